"""Page generators: each turns the SiteContext into {docs-relative path: Markdown text}."""
