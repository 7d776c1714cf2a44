"""The bell rings on each new firing that should tell someone, and only then (issue 12, item 5).

The fake source hands each queued transition out once, with the next snapshot, as the store does. Every test
ends with a control: a plain new critical that does ring, so a silent case is silent for its own reason.
"""

from __future__ import annotations

from dataclasses import replace

from dutyroom.model import State
from dutyroom.operators.state import Ack
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView
from tui.app import DutyroomApp
from tui.screens.alert_bell import ringing_severities, should_ring

from .apps import console_app
from .fakes import BOB, FIXED_NOW, FakeSource, make_alert, make_transition


def bells_after(app: DutyroomApp, source: FakeSource, *alerts: AlertView, **changes: object) -> int:
    """Show `alerts` as firing (unless `changes` say otherwise) with their transitions in one read."""
    shown = {alert.fingerprint for alert in alerts}
    source.alerts = [*alerts, *(item for item in source.alerts if item.fingerprint not in shown)]
    source.transitions = [make_transition(alert, **changes) for alert in alerts]
    app.refresh_snapshot()
    return app.bells_rung


def control(app: DutyroomApp, source: FakeSource) -> int:
    """A plain new critical in a read of its own: it rings, whatever was silent before."""
    return bells_after(app, source, make_alert(f"control-{app.bells_rung}"))


async def test_an_alert_that_fires_again_after_resolving_rings_again() -> None:
    ups = make_alert("ups")
    source = FakeSource(alerts=[])
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        assert bells_after(app, source, ups) == 1
        resolved = replace(ups, phase=AlertPhase.RESOLVED, state=State.OK, resolved_at=FIXED_NOW)
        assert bells_after(app, source, resolved, after=AlertPhase.RESOLVED) == 1, "resolving is not news"
        refired = replace(ups, since=FIXED_NOW + 3600, fired_at=FIXED_NOW + 3600)
        assert bells_after(app, source, refired, at=FIXED_NOW + 3600) == 2, "the same alert, hours later"


async def test_a_silenced_critical_stays_silent(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        silenced = make_alert("ups", silenced_by="ups-maintenance")
        assert bells_after(app, source, silenced) == 0
        assert control(app, source) == 1


async def test_an_acknowledged_alert_stays_silent_when_it_turns_critical(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        acked = make_alert("ups", ack=Ack(BOB, FIXED_NOW - 60, "vendor on the way"))
        assert bells_after(app, source, acked, before=AlertPhase.FIRING) == 0
        assert control(app, source) == 1


async def test_a_child_suppressed_by_its_down_parent_stays_silent(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        child = make_alert("oms", target="oms-gw1", state=State.UNREACHABLE, suppressed_by="core-sw1")
        assert bells_after(app, source, child, notify=False) == 0, "the engine says: do not notify"
        assert control(app, source) == 1


async def test_a_flapping_alert_stays_silent(source: FakeSource) -> None:
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        flapping = make_alert("crac", target="crac-2", flapping=True)
        assert bells_after(app, source, flapping, notify=False) == 0
        assert control(app, source) == 1


async def test_a_parent_and_its_child_firing_in_one_batch_ring_once() -> None:
    source = FakeSource(alerts=[])
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        parent = make_alert("sw", rule="reachability", target="core-sw1", state=State.UNREACHABLE)
        child = make_alert("oms", rule="reachability", target="oms-gw1", state=State.UNREACHABLE)
        source.alerts = [parent, replace(child, suppressed_by="core-sw1")]
        # The engine works out suppression after the batch, so the child's own transition still notifies.
        source.transitions = [make_transition(parent), make_transition(child)]
        app.refresh_snapshot()
        assert app.bells_rung == 1
        assert control(app, source) == 2


async def test_a_warning_rings_only_when_the_site_asks_for_warnings(source: FakeSource) -> None:
    warning = make_alert("disk", target="db1", state=State.WARNING, severity="warning")
    app = console_app(source)
    async with app.run_test(size=(80, 24)):
        assert bells_after(app, source, warning) == 0, "by default only criticals ring"
        source.bell = "warning"
        assert bells_after(app, source, replace(warning, fingerprint="disk2")) == 1
        assert control(app, source) == 2


async def test_bell_off_in_the_config_or_on_the_command_line_never_rings() -> None:
    configured_off = FakeSource(bell="off")
    app = console_app(configured_off)
    async with app.run_test(size=(80, 24)):
        assert control(app, configured_off) == 0
        configured_off.bell = True
        assert control(app, configured_off) == 1, "a reloaded config turns it back on"
    no_bell = FakeSource()
    app = console_app(no_bell, bell=False)
    async with app.run_test(size=(80, 24)):
        assert control(app, no_bell) == 0


def test_the_bell_setting_rings_a_severity_and_those_above_it() -> None:
    assert ringing_severities(True) == ringing_severities("critical") == {"critical"}
    assert ringing_severities("warning") == {"warning", "critical"}
    assert ringing_severities("info") == {"info", "warning", "critical"}
    assert ringing_severities(False) == ringing_severities("off") == frozenset()


def test_only_a_notifying_firing_rings_and_the_alert_as_shown_now_can_still_hush_it() -> None:
    critical = {"critical"}
    ups = make_alert("ups")
    assert should_ring(make_transition(ups), ups, frozenset(critical))
    assert should_ring(make_transition(ups, before=AlertPhase.FIRING), ups, frozenset(critical)), "a rise to critical"
    assert should_ring(make_transition(ups), None, frozenset(critical)), "no longer shown: the transition decides"
    assert not should_ring(make_transition(ups, after=AlertPhase.RESOLVED), ups, frozenset(critical))
    assert not should_ring(make_transition(ups, after=AlertPhase.PENDING), ups, frozenset(critical))
    assert not should_ring(make_transition(ups, notify=False), ups, frozenset(critical))
    for hushed in (
        replace(ups, ack=Ack(BOB, FIXED_NOW, "on it")),
        replace(ups, silenced_by="maintenance"),
        replace(ups, suppressed_by="core-sw1"),
        replace(ups, flapping=True),
    ):
        assert not should_ring(make_transition(ups), hushed, frozenset(critical)), hushed
