"""Which pull request or merge brought each commit into the main line."""

from __future__ import annotations

import pytest

from weibao.audit.gitlog import Commit
from weibao.audit.merges import merge_labels, pr_number


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("Merge pull request #12 from weibao-org/fix-hotline", "12"),
        ("更新莱阳中心电话 (#34)", "34"),
        ("Merge pull request 'fix' (#56) from fix into main", "56"),  # Gitea / Forgejo
        ("Merge branch 'fix' into 'main' See merge request org/data!78", "78"),  # GitLab
        ("Merge branch 'fix'", None),
        ("修正 #12 号议题提到的号码", None),  # an issue reference is not a pull request
    ],
)
def test_pr_number(subject, number):
    """Pull request numbers are read from the subjects hosting services write."""
    assert pr_number(subject) == number


def _c(sha: str, parents: str, subject: str) -> Commit:
    return Commit(sha, parents.split(), "作者", "a@example.invalid", "2026-01-01T00:00:00+08:00", subject)


def test_commits_brought_in_by_merges():
    """Branch commits take the merge's number; a plain merge is named by its commit."""
    commits = [  # newest first, like git log
        _c("m2", "m1 d1", "Merge branch 'side'"),
        _c("d1", "b2", "side work"),
        _c("m1", "a1 b2", "Merge pull request #7 from org/feature"),
        _c("b2", "b1", "second feature commit"),
        _c("b1", "a1", "first feature commit"),
        _c("a1", "", "start (#3)"),
    ]
    assert merge_labels(commits) == {
        "m2": "",
        "d1": "合并 m2",
        "m1": "#7",
        "b2": "#7",
        "b1": "#7",
        "a1": "#3",
    }
