"""A signed handover carries the audit head as it was just after the signature, readable back for verify."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.handover.audit_head import recorded_head
from dutyroom.handover.writer import sign_handover, write_handover
from dutyroom.model import Identity
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.room import Room
from dutyroom.store.database import Store
from dutyroom.textwidth import cell_width

CONFIG = '[site]\nname = "Head"\nlanguage = "{lang}"\n'


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_each_signature_prints_the_head_after_it(tmp_path: Path, lang: str, fmt: str) -> None:
    config = tmp_path / "checks.toml"
    config.write_text(CONFIG.format(lang=lang))
    room = Room(load_config(config), PlaybookLibrary())
    with Store.open(tmp_path / "state") as store:
        written = write_handover(room, store, time.time(), actor=Identity("alice"), fmt=fmt)
        assert recorded_head(written.text, "unsigned") is None
        sign_handover(room, store, time.time(), actor=Identity("alice"), path=written.path)
        first = recorded_head(written.path.read_text(encoding="utf-8"), written.path.name)
        first_head = store.audit_head()
        sign_handover(room, store, time.time(), actor=Identity("bob"), path=written.path)
        text = written.path.read_text(encoding="utf-8")
        second = recorded_head(text, written.path.name)
        assert second is not None
        assert store.verify_audit(second).ok
        assert (second.seq, second.hash) == store.audit_head()

    assert first is not None
    assert (first.seq, first.hash) == first_head
    assert second.seq > first.seq
    assert text.count(second.hash) == 1
    assert max(cell_width(line) for line in text.splitlines()) <= 80
