"""The optional /admin/ step of `weibao build`: after the public site is built, add the editor.

It never stops the main command: without npm, without a registry, or without editor.repo in
weibao.yaml, the site is still built and a warning says that /admin/ was left out and why.
"""

from __future__ import annotations

import shutil
import sys
from importlib import resources
from pathlib import Path

from weibao.admin import bundle, config, page
from weibao.errors import UsageError
from weibao.repo import Repository

FOLDER = "admin"
STATIC = "static"
LICENCE_NOTE = """\
网页编辑器使用的第三方文件，生成网站时从 npm 取得并核对校验值，没有改动：
{lines}
decap-cms.js.LICENSE.txt 列出了打包在 decap-cms.js 中的第三方组件及其许可证。
"""


def write_admin(repo: Repository, out: Path) -> Path:
    """Write <out>/admin/ (page, generated config.yml, package files); raises on what is missing."""
    conf = config.generate(repo)  # UsageError without editor.repo
    fetched = [(pkg, bundle.package_files(pkg)) for pkg in config.packages()]
    admin = out / FOLDER
    if admin.exists():
        shutil.rmtree(admin)
    admin.mkdir(parents=True)
    for pkg, files in fetched:
        shutil.copytree(files, admin / pkg["to"], dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(bundle.MARKER))
    for path in resources.files("weibao.admin").joinpath(STATIC).iterdir():
        if path.name.endswith(".js"):
            (admin / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (admin / "config.yml").write_text(config.dump(conf), encoding="utf-8")
    (admin / "index.html").write_text(
        page.render(repo.config.site.title, conf["backend"]), encoding="utf-8")
    lines = "\n".join(f"- {p['name']} {p['version']}（{p['licence']}；{p['integrity']}）→ {p['to']}/"
                      for p, _ in fetched)
    (admin / "THIRD-PARTY-LICENCES.txt").write_text(LICENCE_NOTE.format(lines=lines), encoding="utf-8")
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
