"""First-load bytes of a built site page on a phone: what a parent's phone downloads (gzip)
before the page is usable, measured in Debian's chromium.

    python scripts/first_load.py public/            # the home page at 375 px
    python scripts/first_load.py public/ hotlines.html

Every response until the network is idle is counted at its gzip size (level 6, what a static
server typically sends), so the number does not depend on the test server's compression.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_load(folder: Path, path: str = "", width: int = 375) -> dict[str, int]:
    """{url path: gzip bytes} of everything the page loads until the network is idle."""
    from playwright.sync_api import sync_playwright

    sizes: dict[str, int] = {}
    with _serve(folder) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        context = browser.new_context(viewport={"width": width, "height": 800}, service_workers="block")
        page = context.new_page()

        def record(response) -> None:
            with contextlib.suppress(Exception):  # a response without a body (redirect, 204)
                sizes[response.url.removeprefix(base)] = len(gzip.compress(response.body(), 6))

        page.on("response", record)
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        context.close()
        browser.close()
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("path", nargs="?", default="")
    parser.add_argument("--width", type=int, default=375)
    args = parser.parse_args()
    sizes = first_load(args.folder, args.path, args.width)
    for url, n in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"{n / 1024:8.1f} KB  {url or '/'}")
    print(f"{sum(sizes.values()) / 1024:8.1f} KB  total (gzip), {len(sizes)} requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
