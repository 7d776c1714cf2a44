"""The handover's line for an open alert carries what its source wrote (an Alertmanager alert's summary and
description): the engineer taking over reads "Disk /var on db1 will fill in 4h", not only an alertname. The
alert goes through the real engine and store, as the poller writes it, and the words through the scrubber."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dutyroom.documents.render import render
from dutyroom.handover.writer import build_handover
from dutyroom.model import SOURCE_ALERT_METRIC, Identity, PollResult, Sample
from dutyroom.room import load_room
from dutyroom.rules.engine import Engine
from dutyroom.store.database import Store

TZ = ZoneInfo("Asia/Shanghai")
CONFIG = """
[site]
name = "firm room"
timezone = "Asia/Shanghai"
shifts = ["08:00", "20:00"]
[[target]]
id = "firm-am"
group = "monitoring"
kind = "alertmanager"
url = "http://127.0.0.1:9093"
[[rule]]
id = "disk-filling"
metric = "alertmanager.alert"
labels = { alertname = "DiskFilling" }
warning = ">= 1"
"""
WORDS = (
    ("description", "free space falls by 2 GiB an hour | check the *log* rotation"),
    ("summary", "Disk /var on db1 will fill in 4h"),
)


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()


@pytest.mark.parametrize(("language", "summary_word"), [("en", "summary: "), ("zh", "说明：")])
def test_an_open_alerts_line_says_what_its_source_wrote(tmp_path: Path, language: str, summary_word: str) -> None:
    (tmp_path / "checks.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "playbooks").mkdir()
    room = load_room(tmp_path / "checks.toml")
    store = Store.open(tmp_path / "state")
    engine = Engine(room.config)
    fired = at("2026-03-02T09:00")
    sample = Sample("firm-am", SOURCE_ALERT_METRIC, 1.0, fired, (("alertname", "DiskFilling"),), annotations=WORDS)
    engine.evaluate([PollResult("firm-am", fired, (sample,))], fired)
    store.save_alert_states(*engine.export_changes())
    doc, _ = build_handover(room, store, at("2026-03-02T10:15"), actor=Identity("alice"), lang=language)
    text = " ".join(render(doc, "txt").split())  # lines are wrapped at the page's width
    assert f"{summary_word}Disk /var on db1 will fill in 4h" in text, text
    assert "free space falls by 2 GiB an hour | check the *log* rotation" in text, text
    markdown = " ".join(render(doc, "md").split())
    assert "Disk /var on db1 will fill in 4h" in markdown, markdown
    assert "check the \\*log\\* rotation" in markdown, markdown
