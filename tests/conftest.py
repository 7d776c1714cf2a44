"""The whole suite's hooks: each folder marks its tests, and the long-running tests are handed out first.

Folders say what a test is (unit and console: in-process, fast, fakes allowed; integration: real processes,
agents, servers and file systems; e2e: real terminals in tmux), so `-m` can select by kind without every file
repeating a mark. The suite runs on pytest-xdist with `--dist loadfile`, which hands whole files to workers in
collection order: files marked `slow` go first, longest first, so no worker starts a minute-long demo last.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
MARK_BY_FOLDER = {"integration": pytest.mark.integration, "e2e": pytest.mark.e2e}


def _folder(item: pytest.Item) -> str:
    relative = item.path.relative_to(TESTS) if item.path.is_relative_to(TESTS) else item.path
    return relative.parts[0] if len(relative.parts) > 1 else ""


def _expected_seconds(item: pytest.Item) -> float:
    """What a `slow` mark says the file takes (`pytest.mark.slow(seconds=60)`); 0 for everything else."""
    mark = item.get_closest_marker("slow")
    return float(mark.kwargs.get("seconds", 1)) if mark is not None else 0.0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder_mark = MARK_BY_FOLDER.get(_folder(item))
        if folder_mark is not None:
            item.add_marker(folder_mark)
    items.sort(key=_expected_seconds, reverse=True)  # stable: each file's tests keep their order
