"""When alerts go to Alertmanager (issue 16 item 1), decided with explicit times as Prometheus's notifier does."""

from __future__ import annotations

from dataclasses import replace

from collectors.service.alertmanager.outbox import RESOLVED_RETENTION_S, Outbox, Wording
from dutyroom.model import State
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView

WORDING = Wording("SZ core", lambda playbook: playbook.upper(), "https://wiki/{playbook}")
FIRING = AlertView(
    fingerprint="f1",
    rule="ups-runtime-low",
    target="ups-a",
    target_name="UPS A",
    group="power",
    labels=(("target", "odd"), ("phase", "L1")),
    phase=AlertPhase.FIRING,
    state=State.WARNING,
    severity="warning",
    value=18.0,
    value_at=1000.0,
    unit="min",
    reason="",
    since=900.0,
    fired_at=950.0,
    resolved_at=0.0,
    suppressed_by="",
    flapping=False,
    ack=None,
    silenced_by="",
    notes=(),
    escalated=False,
    playbook="ups-on-battery",
    summary="",
    drill=False,
)


def test_a_firing_alert_is_sent_then_resent_each_interval_valid_for_four() -> None:
    outbox = Outbox(resend_interval_s=60.0)
    [first] = outbox.due([FIRING], WORDING, 1000.0)
    assert first.labels == {
        "alertname": "ups-runtime-low",
        "target": "ups-a",
        "sample_target": "odd",
        "phase": "L1",
        "severity": "warning",
        "site": "SZ core",
        "group": "power",
        "dutyroom_site": "SZ core",
    }
    assert first.annotations["playbook"] == "UPS-ON-BATTERY"
    assert first.annotations["runbook_url"] == "https://wiki/ups-on-battery"
    assert first.annotations["value"] == "18.0 min"
    assert (first.starts_at, first.ends_at) == (950.0, 1240.0)
    assert outbox.due([replace(FIRING, value=17.0)], WORDING, 1030.0) == []
    [again] = outbox.due([replace(FIRING, value=17.0)], WORDING, 1060.0)
    assert again.annotations["value"] == "17.0 min"
    assert again.ends_at == 1300.0


def test_resolution_is_sent_with_its_end_and_repeated_for_fifteen_minutes() -> None:
    outbox = Outbox(resend_interval_s=60.0)
    outbox.due([FIRING], WORDING, 1000.0)
    [resolved] = outbox.due([replace(FIRING, phase=AlertPhase.RESOLVED)], WORDING, 1010.0)
    assert resolved.ends_at == 1010.0
    assert outbox.due([], WORDING, 1020.0) == []
    [repeated] = outbox.due([], WORDING, 1070.0)
    assert repeated.ends_at == 1010.0
    assert outbox.due([], WORDING, 1010.0 + RESOLVED_RETENTION_S + 1) == []
    assert outbox.sent == {}


def test_an_escalation_resolves_the_warning_and_fires_the_critical() -> None:
    outbox = Outbox(resend_interval_s=60.0)
    outbox.due([FIRING], WORDING, 1000.0)
    old, new = outbox.due([replace(FIRING, severity="critical", state=State.CRITICAL)], WORDING, 1005.0)
    assert (old.labels["severity"], old.ends_at) == ("warning", 1005.0)
    assert (new.labels["severity"], new.ends_at) == ("critical", 1005.0 + 240.0)


def test_suppressed_pending_and_drill_alerts_are_never_sent_and_the_parent_names_them() -> None:
    outbox = Outbox(resend_interval_s=60.0)
    parent = replace(FIRING, fingerprint="p", rule="target-down", target="core-sw1", labels=())
    children = [
        replace(FIRING, fingerprint="c1", target="oms-gw1", suppressed_by="core-sw1"),
        replace(FIRING, fingerprint="c2", phase=AlertPhase.PENDING),
        replace(FIRING, fingerprint="c3", drill=True),
    ]
    sent = outbox.due([parent, *children], WORDING, 1000.0)
    assert [alert.labels["target"] for alert in sent] == ["core-sw1"]
    assert sent[0].annotations["suppressed_alerts"] == "ups-runtime-low on oms-gw1"


def test_a_sent_alert_that_becomes_suppressed_is_resolved() -> None:
    outbox = Outbox(resend_interval_s=60.0)
    outbox.due([FIRING], WORDING, 1000.0)
    [resolved] = outbox.due([replace(FIRING, suppressed_by="core-sw1")], WORDING, 1001.0)
    assert resolved.ends_at == 1001.0


def test_an_alert_read_from_an_alertmanager_is_never_sent_to_one() -> None:
    """It is already there: one root cause, one page (and no loop when the source is the destination)."""
    from_source = replace(
        FIRING, fingerprint="f2", rule="firm-any", target="firm-am", metric="alertmanager.alert", labels=()
    )
    outbox = Outbox(resend_interval_s=60.0)
    assert [alert.labels["alertname"] for alert in outbox.due([from_source, FIRING], WORDING, 1000.0)] == [
        "ups-runtime-low"
    ]
    assert set(outbox.sent) == {"f1"}
    assert [alert.labels["alertname"] for alert in outbox.due([from_source], WORDING, 1060.0)] == ["ups-runtime-low"]


def test_what_dutyroom_sends_carries_its_site_as_the_mark_a_sample_label_cannot_forge() -> None:
    forging = replace(FIRING, labels=(("dutyroom_site", "SH DR"),))
    [alert] = Outbox(resend_interval_s=60.0).due([forging], WORDING, 1000.0)
    assert alert.labels["dutyroom_site"] == "SZ core"
    assert alert.labels["sample_dutyroom_site"] == "SH DR"
