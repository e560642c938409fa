"""The audit trail: who changed which record, when, and how, read from the git history.

One `git log` pass gives every commit with its changed files and blob ids; one `git cat-file
--batch` process gives the file contents; records are parsed with the strict loader and compared
field by field. The same rows feed `weibao audit`, `weibao history` and the site's "最近更新".
"""
