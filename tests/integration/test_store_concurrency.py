"""Several processes on one fresh state directory: their actions form one unbroken audit chain."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dutyroom.actions_model import Note
from dutyroom.store.database import Store

WRITE_ACTIONS = """
import sys
from pathlib import Path
from dutyroom.actions_model import Note
from dutyroom.model import Identity
from dutyroom.model import Sample
from dutyroom.store.database import ActionRecord, Store
state_dir, who, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
with Store.open(state_dir) as store:
    for index in range(count):
        store.record_action(ActionRecord(Note(text=f"n {index}"), Identity(who), float(index), "fp"))
        store.record_samples([Sample(who, "m", float(index), float(index))])
"""
PER_WRITER = 40


def test_concurrent_writers_share_one_chain_and_lose_nothing(tmp_path: Path) -> None:
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITE_ACTIONS, str(tmp_path), who, str(PER_WRITER)])
        for who in ("console-1", "console-2", "cli")
    ]
    for writer in writers:
        assert writer.wait(timeout=120) == 0

    with Store.open(tmp_path) as store:
        actions = store.actions_after(0)
        report = store.verify_audit()
        samples = store.raw_series("cli", "m", (), 0)

    assert [a.id for a in actions] == list(range(1, 3 * PER_WRITER + 1))
    for who in ("console-1", "console-2", "cli"):
        assert [a.action for a in actions if a.actor.user == who] == [
            Note(text=f"n {index}") for index in range(PER_WRITER)
        ]
    assert (report.ok, report.records) == (True, 3 * PER_WRITER)
    assert len(samples) == PER_WRITER
