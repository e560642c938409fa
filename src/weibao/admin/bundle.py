"""The editor's files from the npm registry: each package pinned to one version, checked against
its published integrity, unpacked once into a cache outside the repository (never in git).

Nothing is fetched at page load: the built /admin/ serves these files from the site itself.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import os
import posixpath
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

MARKER = ".weibao-verified"
LICENCE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt")


class AdminUnavailable(Exception):
    """The editor's files cannot be had here (no npm, no registry, a wrong download)."""


def cache_root() -> Path:
    """WEIBAO_CACHE_DIR, else the user's cache folder (%LOCALAPPDATA% on Windows)."""
    if os.environ.get("WEIBAO_CACHE_DIR"):
        return Path(os.environ["WEIBAO_CACHE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "weibao" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "weibao"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def _npm_pack(spec: str, folder: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise AdminUnavailable("没有找到 npm（Node.js 的包管理器）")
    try:
        proc = subprocess.run([npm, "pack", spec, "--pack-destination", str(folder), "--silent"],
                              capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=600, cwd=folder)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise AdminUnavailable(f"npm pack {spec} 没有完成（{err}）") from err
    tarballs = sorted(folder.glob("*.tgz"))
    if proc.returncode != 0 or len(tarballs) != 1:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        raise AdminUnavailable(f"npm pack {spec} 失败：{detail[0]}")
    return tarballs[0]


def _safe_relative(name: str, prefix: str) -> str | None:
    """name's path below package/<prefix>/, or None if it is elsewhere or tries to escape."""
    if name.startswith("/") or "\\" in name:
        return None
    norm = posixpath.normpath(name)
    if norm != name.rstrip("/") or ".." in norm.split("/"):
        return None
    base = f"package/{prefix.strip('/')}/" if prefix not in ("", ".") else "package/"
    return norm[len(base):] if norm.startswith(base) else None


def _extract(tarball: Path, prefix: str, patterns: list[str], target: Path) -> None:
    """Regular files below package/<prefix>/ whose relative path matches one of patterns, plus
    the package's licence file; nothing outside target is ever written."""
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            rel = _safe_relative(member.name, prefix)
            licence = member.name in {f"package/{n}" for n in LICENCE_FILES}
            if licence:
                rel = member.name.removeprefix("package/")
            elif rel is None or not any(fnmatch.fnmatchcase(posixpath.basename(rel), p)
                                        for p in patterns):
                continue
            source = tar.extractfile(member)
            if source is None or rel is None:
                continue
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            with source, open(dest, "wb") as out:
                shutil.copyfileobj(source, out)


def package_files(package: dict[str, Any]) -> Path:
    """The folder holding one pinned package's files, downloading and verifying them if needed."""
    name, version = package["name"], package["version"]
    target = cache_root() / "npm" / f"{name}-{version}"
    marker = target / MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == package["integrity"]:
        return target
    cache_root().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="weibao-npm-", dir=cache_root()) as tmp:
        tarball = _npm_pack(f"{name}@{version}", Path(tmp))
        got = _integrity(tarball.read_bytes())
        if got != package["integrity"]:
            raise AdminUnavailable(
                f"下载的 {name}@{version} 与登记的校验值不符（{got[:20]}…），已丢弃：请检查 npm 的镜像设置")
        staging = Path(tmp) / "files"
        staging.mkdir()
        _extract(tarball, package["from"], package["files"], staging)
        if not any(p.is_file() and p.name not in LICENCE_FILES for p in staging.rglob("*")):
            raise AdminUnavailable(f"{name}@{version} 的 {package['from']}/ 中没有需要的文件")
        (staging / MARKER).write_text(package["integrity"] + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), str(target))
    return target
