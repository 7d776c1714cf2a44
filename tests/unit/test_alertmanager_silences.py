"""Which Alertmanager silences mirror dutyroom's (issue 16 item 2), decided with explicit times."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from test_alertmanager_outbox import FIRING

from collectors.service.alertmanager.silences import SilenceMirror, wanted_silences
from dutyroom.model import Identity
from dutyroom.operators.state import Ack, OperatorState, SilenceWindow
from dutyroom.rules.alert import AlertPhase

WINDOW = SilenceWindow("s7", "", "oms", "", "vendor patching", "li", start=1000.0, end=2000.0)
RECURRING = SilenceWindow("nightly", "", "", "backup", "backups", "checks.toml", days=("mon",), from_time=time(1))


def test_one_shot_silences_are_mirrored_with_the_site_and_recurring_ones_are_not() -> None:
    wanted = wanted_silences([WINDOW, RECURRING], OperatorState(), [], "SZ core", None, 1500.0)
    [silence] = wanted.values()
    assert silence.matchers == (("target", "oms"), ("site", "SZ core"))
    assert (silence.starts_at, silence.ends_at, silence.created_by) == (1000.0, 2000.0, "li")
    body = silence.as_json("SZ core")
    assert body["comment"] == "vendor patching [dutyroom SZ core silence s7@2000]"
    assert wanted_silences([WINDOW], OperatorState(), [], "SZ core", None, 2000.0) == {}


def test_an_ack_is_a_short_silence_of_its_alert_until_it_resolves() -> None:
    acked = replace(FIRING, ack=Ack(Identity("wang"), 1000.0, "on it", expires_at=1300.0, action_id=9))
    [silence] = wanted_silences([], OperatorState(), [acked], "SZ core", 600.0, 1100.0).values()
    assert silence.key == "ack 9"
    assert (silence.starts_at, silence.ends_at, silence.created_by) == (1000.0, 1300.0, "wang")
    assert ("alertname", "ups-runtime-low") in silence.matchers
    assert wanted_silences([], OperatorState(), [acked], "SZ core", None, 1100.0) == {}
    resolved = replace(acked, phase=AlertPhase.RESOLVED)
    assert wanted_silences([], OperatorState(), [resolved], "SZ core", 600.0, 1100.0) == {}


def test_a_restarted_mirror_adopts_the_silences_it_made() -> None:
    mirror = SilenceMirror("SZ core")
    mirror._adopt(
        [
            {"id": "a1", "comment": "x [dutyroom SZ core silence s7@2000]", "status": {"state": "active"}},
            {"id": "a2", "comment": "y [dutyroom SZ core ack 9]", "status": {"state": "expired"}},
            {"id": "a3", "comment": "z [dutyroom BJ dr silence s1@5]", "status": {"state": "active"}},
        ]
    )
    assert mirror.made == {"silence s7@2000": "a1"}
