"""Which pull request or merge brought each commit into the main line."""

from __future__ import annotations

import re

from weibao.audit.gitlog import Commit

# GitHub "Merge pull request #12 from …", squash "标题 (#12)", Gitea/Forgejo "… (#12) from …",
# GitLab "See merge request group/project!12"
_PR = re.compile(r"^Merge pull request #(\d+)\b|\(#(\d+)\)|\bmerge request \S*!(\d+)\b")


def pr_number(subject: str) -> str | None:
    m = _PR.search(subject)
    if not m:
        return None
    return next(g for g in m.groups() if g)


def merge_labels(commits: list[Commit]) -> dict[str, str]:
    """sha → "#12" (a pull request) or "合并 1a2b3c4d" (a plain merge); "" for direct commits.

    Walks the first-parent line from the newest commit; each merge on it owns the commits
    reachable from its other parents that no earlier merge brought in.
    """
    by_sha = {c.sha: c for c in commits}
    labels: dict[str, str] = {}
    if not commits:
        return labels
    mainline = []
    sha: str | None = commits[0].sha
    while sha in by_sha:
        mainline.append(sha)
        parents = by_sha[sha].parents
        sha = parents[0] if parents else None
    on_main = set(mainline)
    owner: dict[str, str] = {}
    for sha in reversed(mainline):  # oldest merge first
        commit = by_sha[sha]
        if len(commit.parents) < 2:
            continue
        stack = list(commit.parents[1:])
        while stack:
            s = stack.pop()
            if s in on_main or s in owner or s not in by_sha:
                continue
            owner[s] = sha
            stack.extend(by_sha[s].parents)
    for commit in commits:
        own = pr_number(commit.subject)
        if own:
            labels[commit.sha] = f"#{own}"
        elif commit.sha in owner:
            merge = by_sha[owner[commit.sha]]
            number = pr_number(merge.subject)
            labels[commit.sha] = f"#{number}" if number else f"合并 {merge.sha[:12]}"
        else:
            labels[commit.sha] = ""
    return labels
