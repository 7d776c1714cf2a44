"""Atomic file writes on a really full filesystem (a tiny tmpfs): the previous file stays, the error names it."""

from __future__ import annotations

import errno

from small_tmpfs import RunOnSmallTmpfs

FILL_SMALL_TMPFS = """
import json, sys
from pathlib import Path
from dutyroom.atomic import AtomicWriteError, write_atomically
root = Path(sys.argv[1])
target = root / "handover.md"
write_atomically(target, "previous handover\\n")
result = {"error": None}
try:
    write_atomically(target, "x" * 200_000)
except AtomicWriteError as exc:
    result = {"error": str(exc), "errno": exc.errno}
result["content"] = target.read_text()
result["files"] = sorted(path.name for path in root.iterdir())
print(json.dumps(result))
"""


def test_a_really_full_filesystem_keeps_the_previous_file(run_on_small_tmpfs: RunOnSmallTmpfs) -> None:
    result = run_on_small_tmpfs(FILL_SMALL_TMPFS, "64k")

    assert result["errno"] == errno.ENOSPC
    assert "handover.md" in str(result["error"])
    assert "No space left on device" in str(result["error"])
    assert result["content"] == "previous handover\n"
    assert result["files"] == ["handover.md"]
