"""The optional /admin/ step of `weibao build`: after the public site is built, add the editor.

It never stops the main command: without npm, without a registry, or without editor.repo in
weibao.yaml, the site is still built and a warning says that /admin/ was left out and why.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from weibao.admin import bundle, config, page
from weibao.errors import UsageError
from weibao.repo import Repository

FOLDER = "admin"
LICENCE_NOTE = """\
网页编辑器使用 Decap CMS {version}（npm 包 decap-cms，MIT 许可证，
https://github.com/decaporg/decap-cms/blob/main/LICENSE）。
decap-cms.js.LICENSE.txt 列出了打包在其中的第三方组件及其许可证。
这些文件在生成网站时从 npm 取得并核对校验值（{integrity}），没有改动。
"""


def write_admin(repo: Repository, out: Path) -> Path:
    """Write <out>/admin/ (page, generated config.yml, Decap files); raises on what is missing."""
    conf = config.generate(repo)  # UsageError without editor.repo
    settings = config.settings()
    files = bundle.package_files(settings)
    admin = out / FOLDER
    if admin.exists():
        shutil.rmtree(admin)
    admin.mkdir(parents=True)
    for path in files.iterdir():
        if path.is_file() and path.name != bundle.MARKER:
            shutil.copy2(path, admin / path.name)
    (admin / "config.yml").write_text(config.dump(conf), encoding="utf-8")
    (admin / "index.html").write_text(
        page.render(repo.config.site.title, conf["backend"]), encoding="utf-8")
    (admin / "LICENSE-decap-cms.txt").write_text(
        LICENCE_NOTE.format(**settings), encoding="utf-8")
    return admin


def add_admin(repo: Repository, out: Path) -> bool:
    """The build step: True when /admin/ was written, else a warning on stderr and False."""
    try:
        write_admin(repo, out)
    except (UsageError, bundle.AdminUnavailable) as err:
        print(f"警告：{err}；网站已生成，但没有包含网页编辑器 /admin/。", file=sys.stderr)
        return False
    print(f"网页编辑器已生成：{out / FOLDER}")
    return True
