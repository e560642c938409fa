"""Spreadsheets in and out: `weibao template`, `weibao import`, `weibao export`.

layout.py turns a collection's schema into sheets and columns (the one place that decides how
records look in a spreadsheet); template.py writes the blank workbook, read.py reads any
workbook or CSV into cells, cells.py turns one cell into one value, importer.py turns rows into
record files through the same validation as `weibao validate`, export.py writes public records.
"""
