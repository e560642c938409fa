"""`weibao serve`: MkDocs' live-reload server on the generated docs, regenerated on every change.

records/, site/ and weibao.yaml are watched; before each rebuild the serve hook regenerates the
pages (only changed files are rewritten, see sync.py), so a staff member sees an edited record
in the browser before opening a pull request. Invalid records are reported and left out.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from weibao.repo import Repository
from weibao.report import report_text
from weibao.validate import load_records

_STATE: dict[str, Any] = {}


def regenerate(root: Path, work: Path) -> None:
    """Validate and regenerate the docs folder of a running preview."""
    from weibao.site.build import prepare

    repo = Repository(root)
    result, records = load_records(repo)
    errors = result.sorted_errors()
    if errors and errors != _STATE.get("errors"):  # each rebuild runs twice: say it once
        report_text(result, sys.stderr)
        print("以上记录有错误：预览尽量照常显示，但 weibao build 会拒绝生成网站，请改正后再提交。",
              file=sys.stderr)
    _STATE["errors"] = errors
    prepare(repo, records, work, work / "site", repo.today(), dev=True)


def serve(repo: Repository, args: Any) -> int:
    from mkdocs.commands.serve import serve as mkdocs_serve

    work = Path(tempfile.mkdtemp(prefix="weibao-serve-"))
    _STATE.update(root=repo.root, work=work, first=True)
    regenerate(repo.root, work)
    watch = [str(p) for p in (repo.records_dir, repo.root / "site", repo.root / "weibao.yaml") if p.exists()]
    print(f"预览地址：http://{args.addr}/ （按 Ctrl+C 停止）")
    mkdocs_serve(config_file=str(work / "mkdocs.yml"), livereload=True, watch=watch,
                 dev_addr=args.addr)
    return 0


def on_pre_build(config: Any) -> None:
    """Called by the serve hook before each rebuild (the first build is already fresh)."""
    if not _STATE or _STATE.pop("first", False):
        return
    regenerate(_STATE["root"], _STATE["work"])
