"""The public site: validated records → Markdown pages → an MkDocs (Material) build.

Generated pages are written into a temporary docs folder next to a copy of the hand-written
sources in site/; nothing is ever written into site/ or records/.
"""
