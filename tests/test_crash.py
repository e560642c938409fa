"""A bug in weibao is not a data error: it says so, shows the traceback and exits 3, never 1."""

from __future__ import annotations

import pytest

from weibao import cli
from weibao.cli import main


def _explode(repo, args) -> int:
    raise TypeError("'dict' object is not subscriptable")


def test_unexpected_exception_exits_3_with_report_request(make_repo, capsys, monkeypatch) -> None:
    """Any exception weibao did not raise on purpose: exit 3, "请报告" and the traceback."""
    root = make_repo()
    monkeypatch.setitem(cli.COMMANDS, "validate", f"{__name__}:_explode")
    assert main(["--root", str(root), "validate"]) == 3
    err = capsys.readouterr().err
    assert "这是 weibao 的缺陷，请报告" in err
    assert "Traceback" in err and "TypeError" in err


def test_bug_in_a_worker_process_also_exits_3(make_repo, capsys, monkeypatch) -> None:
    """A crash while checking files (in-process or in a worker) ends the same way."""
    from weibao import validate

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(validate, "check_file", broken)
    root = make_repo()
    assert main(["--root", str(root), "validate"]) == 3
    assert "这是 weibao 的缺陷，请报告" in capsys.readouterr().err


@pytest.mark.parametrize("code", [0, 2])
def test_exit_codes_on_purpose_pass_through(make_repo, code: int) -> None:
    """SystemExit (argparse usage errors, --version) is not a bug."""
    root = make_repo()
    with pytest.raises(SystemExit) as stop:
        main(["--root", str(root), "--version"] if code == 0 else ["--root", str(root), "nosuch"])
    assert stop.value.code == code
