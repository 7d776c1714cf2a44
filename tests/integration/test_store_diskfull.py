"""R9 for the store: an action hitting a full disk raises an error naming the database and is not recorded."""

from __future__ import annotations

from small_tmpfs import RunOnSmallTmpfs

ACT_ON_A_FULL_DISK = """
import json, os, sys
from pathlib import Path
from dutyroom.actions_model import Ack, Note
from dutyroom.model import Identity
from dutyroom.store.database import ActionRecord, Store, StoreError
root = Path(sys.argv[1])
actor = Identity("alice", ssh_client="192.0.2.9")
result = {"error": None}
with Store.open(root / "state") as store:
    store.record_action(ActionRecord(Ack(comment="first"), actor, 1.0, "fp-ups"))
    fd = os.open(root / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\\0" * 4096):
            pass
    except OSError:
        pass
    os.close(fd)
    try:
        store.record_action(ActionRecord(Note(text="y" * 60_000), actor, 2.0, "fp-ups"))
    except StoreError as exc:
        result["error"] = str(exc)
    result["after_failure"] = [a.kind for a in store.actions_after(0)]
    os.unlink(root / "filler")
    store.record_action(ActionRecord(Note(text="space is back"), actor, 3.0, "fp-ups"))
    result["after_space_freed"] = [a.kind for a in store.actions_after(0)]
    result["audit"] = store.verify_audit().ok
    result["db"] = str(store.db_path)
print(json.dumps(result))
"""


def test_an_action_on_a_full_disk_fails_loudly_and_is_not_recorded(run_on_small_tmpfs: RunOnSmallTmpfs) -> None:
    result = run_on_small_tmpfs(ACT_ON_A_FULL_DISK, "512k")

    assert result["error"] is not None
    assert str(result["error"]).startswith(f"{result['db']}: could not record the note")
    assert "full" in str(result["error"])
    assert result["after_failure"] == ["ack"]
    assert result["after_space_freed"] == ["ack", "note"]
    assert result["audit"] is True
