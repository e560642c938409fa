"""The /admin/ HTML page: loads Decap from this folder only, under a Content-Security-Policy that
lets the page talk to nothing but this site, the chosen git host's API and a local decap-server."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlsplit

DEFAULT_API = {"github": "https://api.github.com"}
# decap-server (local_backend) answers on localhost; Decap only tries it when the page itself
# is opened from localhost, so on the public site this never connects anywhere
LOCAL = ["http://localhost:*", "http://127.0.0.1:*"]


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("https", "http") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def connect_sources(backend: dict[str, Any]) -> list[str]:
    """'self', the backend API origin (and the Gitea/Forgejo host for PKCE tokens), local."""
    origins = ["'self'"]
    for url in (backend.get("api_root") or DEFAULT_API.get(backend["name"], ""),
                backend.get("base_url", "") if backend["name"] != "github" else ""):
        origin = _origin(url)
        if origin and origin not in origins:
            origins.append(origin)
    return origins + LOCAL


def csp(backend: dict[str, Any]) -> str:
    return "; ".join([
        "default-src 'self'",
        # Decap validates its configuration with ajv, which compiles validators with new Function
        "script-src 'self' 'unsafe-eval'",
        # emotion (Decap's CSS-in-JS) writes <style> elements at run time
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src " + " ".join(connect_sources(backend)),
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def render(title: str, backend: dict[str, Any]) -> str:
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp(backend), quote=False).replace('"', "&quot;")}">
<title>网页编辑器 · {html.escape(title)}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<noscript>网页编辑器需要启用 JavaScript。也可以按“如何提交修改”的说明直接修改 YAML 文件。</noscript>
<script src="init.js"></script>
<script src="decap-cms.js"></script>
<script type="module" src="weibao-yaml.js"></script>
</body>
</html>
"""
