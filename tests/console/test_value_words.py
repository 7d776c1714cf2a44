"""Flags read as words in the alert list (issue 14.4): `battery`, not `1`, using the words the SNMP profile
already gives the same raw column; a flag that clears reads `normal`; gauges and enum words are untouched."""

from __future__ import annotations

from dutyroom.model import State
from dutyroom.rules.alert import AlertPhase
from dutyroom.views.alerts import AlertView

from .apps import console_app
from .fakes import FIXED_NOW, FakeSource, make_alert
from .test_readable_alerts import row_texts


def on_battery(fingerprint: str, profile: str, value: float, **changes: object) -> AlertView:
    return make_alert(
        fingerprint,
        rule="ups-on-battery",
        metric="ups.on_battery",
        profile=profile,
        value=value,
        unit="",
        playbook=None,
        **changes,
    )


async def test_a_flag_reads_as_the_profiles_word_for_its_raw_code() -> None:
    alerts = [
        on_battery("u1", "ups-mib", 1.0),
        on_battery("u2", "apc-ups", 1.0, target="ups-b", target_name="UPS B"),
        on_battery(
            "u3",
            "ups-mib",
            0.0,
            target="ups-c",
            target_name="UPS C",
            phase=AlertPhase.RESOLVED,
            state=State.OK,
            resolved_at=FIXED_NOW - 30,
        ),
    ]
    app = console_app(FakeSource(alerts=alerts, runs={}))
    async with app.run_test(size=(120, 40)):
        rows = row_texts(app)
        assert " battery " in rows["u1"], rows["u1"]
        assert " battery " in rows["u2"], rows["u2"]
        assert " normal " in rows["u3"], rows["u3"]


async def test_a_flag_without_an_enum_beside_it_reads_as_its_metrics_last_word() -> None:
    leak = make_alert(
        "w1",
        rule="water-leak",
        metric="env.water_leak",
        profile="akcp-sensorprobe",
        value=1.0,
        unit="",
        playbook=None,
    )
    app = console_app(FakeSource(alerts=[leak], runs={}))
    async with app.run_test(size=(120, 40)):
        assert " leak " in row_texts(app)["w1"]


async def test_an_unknown_profile_or_a_gauge_keeps_its_number() -> None:
    alerts = [
        on_battery("u1", "no-such-profile", 1.0),
        make_alert("g1", metric="ups.runtime_min", profile="ups-mib", value=1.0, unit="min", target="ups-d"),
    ]
    app = console_app(FakeSource(alerts=alerts, runs={}))
    async with app.run_test(size=(120, 40)):
        rows = row_texts(app)
        assert " 1 " in rows["u1"], rows["u1"]
        assert " 1min " in rows["g1"], rows["g1"]
