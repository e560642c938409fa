"""MkDocs hook used only by `weibao serve`: regenerate pages from records before each rebuild."""

from weibao.site.serve import on_pre_build as _regenerate


def on_pre_build(config, **kwargs):
    _regenerate(config)
