"""`weibao serve`: a live preview that rebuilds only what an edit changed.

records/, site/ and weibao.yaml are watched. On each change a Session validates the changed files
(the cross-record checks run over all of them), regenerates the pages, writes only the pages whose
text changed, and lets MkDocs render only those (a "dirty" build, which compares file times). A
change that alters what every page shows (mkdocs.yml: navigation, title; the theme; a removed
page) gets a full build. An edit that adds a validation error is reported with its location and
the preview keeps showing the last good version; nothing here stops the server.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from weibao.repo import Repository
from weibao.report import report_text
from weibao.result import Error
from weibao.site.preview import Preview

DIRTY_WARNING = "A 'dirty' build is being performed"


class _QuietDirty(logging.Filter):
    """MkDocs warns on every dirty build; the preview decides when one is safe (see Session)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return DIRTY_WARNING not in record.getMessage()


def _theme_stamp(root: Path) -> tuple:
    """Names, sizes and times of site/overrides: a template change re-renders every page."""
    folder = root / "site" / "overrides"
    out = []
    for path, _, names in os.walk(folder):
        for name in sorted(names):
            st = os.stat(os.path.join(path, name))
            out.append((os.path.join(path, name), st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def _theme_env(theme: Any) -> Any:
    """The theme's Jinja environment with its list of files read once: MkDocs makes a new one
    per build, compiling every template again (a third of a one-page rebuild). Safe because a
    full build, after any change to site/overrides or mkdocs.yml, makes a new one."""
    env = theme.get_env()
    names = env.list_templates()

    def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
        return [n for n in names if (extensions is None or n.rsplit(".", 1)[-1] in extensions)
                and (filter_func is None or filter_func(n))]

    env.list_templates = list_templates
    return env


class Session:
    """One preview: the generated docs in work/docs, the built site in work/site."""

    def __init__(self, root: Path, work: Path, dev_addr: str = "127.0.0.1:8000") -> None:
        self.root = root
        self.work = work
        self.site_dir = work / "site"
        self.dev_addr = dev_addr
        self.serve_url: str | None = None  # set by serve(); tests build without a server
        self.preview = Preview(work)
        self.errors_shown: list[Error] | None = None  # errors of the version now on show
        self.config_text = ""
        self.theme: tuple = ()
        self.builds = 0  # MkDocs builds run (full or dirty)
        self._env: Any = None  # the theme's templates, compiled once until the theme changes
        self.last = ""  # what the last rebuild did, one line (also printed)
        logging.getLogger("mkdocs.commands.build").addFilter(_QuietDirty())

    def config(self) -> Any:
        from mkdocs.config import load_config

        config = load_config(str(self.work / "mkdocs.yml"), site_dir=str(self.site_dir),
                             dev_addr=self.dev_addr)
        # no canonical addresses in a preview: MkDocs would compute one per page on every rebuild
        # (a quarter of a one-page rebuild at 5,000 organisations)
        config.site_url = None
        return config

    def rebuild(self) -> None:
        """Bring the preview up to date; reports problems instead of raising them."""
        try:
            self._rebuild()
        except Exception:  # a bug: say so, keep serving the last good version
            traceback.print_exc()
            self.config_text = ""  # the docs may be ahead of the built site: next time build all
            self._say("预览更新失败（程序错误，请把上面的信息报告给维护者）：网页仍显示上一次的版本。")

    def _say(self, line: str) -> None:
        self.last = line
        print(line, file=sys.stderr, flush=True)

    def _rebuild(self) -> None:
        from weibao.site.build import prepare
        from weibao.stats import StatsError

        started = time.monotonic()
        first = self.errors_shown is None
        repo = Repository(self.root)  # weibao.yaml is read again on every rebuild
        result, records = self.preview.records.load(repo)
        errors = result.sorted_errors()
        shown = set(self.errors_shown or [])
        if errors and (first or not set(errors) <= shown):
            report_text(result, sys.stderr)
            if not first:
                self._say("以上记录有错误：预览仍显示上一次正确的版本，改正后会自动更新。")
                return
            print("以上记录有错误：预览先不显示它们，但 weibao build 会拒绝生成网站，请改正后再提交。",
                  file=sys.stderr)
        try:
            config_file = prepare(repo, records, self.work, self.site_dir, repo.today(),
                                  preview=self.preview)
        except StatsError as err:
            self._say(f"统计不能安全发布：{err} 预览仍显示上一次的版本。")
            return
        self.errors_shown = errors
        config_text = config_file.read_text(encoding="utf-8")
        theme = _theme_stamp(self.root)
        written, removed = self.preview.last_sync
        full = first or removed > 0 or config_text != self.config_text or theme != self.theme
        if not full and not written:
            self._say(f"页面没有变化（{time.monotonic() - started:.1f} 秒）。")
            return
        from mkdocs.commands.build import build

        config = self.config()
        if full or self._env is None:
            self._env = _theme_env(config.theme)
        config.theme.get_env = lambda: self._env
        build(config, serve_url=self.serve_url, dirty=not full)
        self.builds += 1
        self.config_text, self.theme = config_text, theme
        how = "全部页面" if full else f" {written} 个改动的页面"
        self._say(f"预览已更新：重新校验 {self.preview.records.rechecked} 个文件，生成{how}"
                  f"（{time.monotonic() - started:.1f} 秒）。")
        if first and self.preview.left_out():
            print("注意：为了让修改很快显示，预览中以下内容只在启动时生成一次，之后的修改不会更新它们："
                  + "；".join(self.preview.left_out())
                  + "。重新启动 weibao serve 或运行 weibao build 可以看到最新版本。", file=sys.stderr)


def _changes_observer() -> Any:
    """File events from the operating system (inotify, ReadDirectoryChanges) instead of MkDocs'
    default of re-listing every watched file twice a second (6,000 records cost a core), and only
    writes: the rebuild itself opens records and site/ files, which must not start another."""
    from watchdog import events
    from watchdog.observers import Observer

    writes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
              events.FileMovedEvent, events.FileClosedEvent]

    class ChangesObserver(Observer):  # type: ignore[misc,valid-type]
        def schedule(self, handler: Any, path: str, *, recursive: bool = False,
                     event_filter: Any = None) -> Any:
            return super().schedule(handler, path, recursive=recursive, event_filter=writes)

    return ChangesObserver()


def _stop(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve(repo: Repository, args: Any) -> int:
    from mkdocs.config.config_options import IpAddress
    from mkdocs.livereload import LiveReloadServer

    addr = IpAddress().validate(args.addr)
    work = Path(tempfile.mkdtemp(prefix="weibao-serve-"))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)  # stopped by a process manager: clean up as on Ctrl+C
    server = None
    try:
        session = Session(repo.root, work, args.addr)
        server = LiveReloadServer(builder=session.rebuild, host=addr.host, port=addr.port,
                                  root=str(session.site_dir))
        session.serve_url = server.url
        session.rebuild()
        server.observer = _changes_observer()
        for path in (repo.records_dir, repo.root / "site", repo.root / "weibao.yaml"):
            if path.exists():
                server.watch(str(path))
        print(f"预览地址：{server.url} （按 Ctrl+C 停止）", file=sys.stderr, flush=True)
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)  # generated pages and site, nothing of the user's
    return 0
