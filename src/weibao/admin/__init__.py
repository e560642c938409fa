"""/admin/: a form editor for staff (Decap CMS), configured from schemas/ and the vocabularies.

fields: one JSON Schema property → one Decap widget.  config: the whole Decap configuration.
bundle: Decap's files from the npm registry, pinned and verified.  page: the admin HTML page.
build: the optional step of `weibao build` that puts it all in <out>/admin/.
"""
