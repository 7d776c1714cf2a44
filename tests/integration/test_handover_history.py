"""A day shift of machine-room history, built the way it happens: through the engine and operator actions.

The real `Poller` (engine -> store) runs on a fake clock and is fed poll results; operators act through
`dutyroom.operators.actions.submit` (at the fake times) and through the `dutyroom` command line (`ack`, `note`,
`silence`, `handover --note`, at real time). The shift is placed so that it contains the real `now`: it
started three hours ago, and the fake clock stops two minutes before the command-line actions.

`shift_history(tmp_path_factory)` builds it once per test process; tests that change the state copy it.
The tests here check that the history holds what the handover and report tests rely on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from collectors.service.poller import Poller
from dutyroom.actions_model import Ack, Note
from dutyroom.model import AlertPhase, Identity, PollResult, Sample, State
from dutyroom.operators.actions import ActionRequest, submit
from dutyroom.playbooks.runs import RunAction
from dutyroom.room import Room, load_room
from dutyroom.rules.alert import fingerprint
from dutyroom.store.database import Store

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")
COMMUNITY = "c0mmunity-S3CRET-9f2e"
TOKEN = "tok-S3CRET-7b1d-bearer"
HOSTILE = "\x1b[2J\x1b]52;c;Zm9v\x07[bold red]PWNED[/] [@click=app.quit] <img src=x onerror=alert(1)> | # x"
ALICE = Identity(user="alice", ssh_client="10.8.0.5")
BOB = Identity(user="bob", ssh_client="10.8.0.6")
MINUTE = 60.0

PLAYBOOK_EN = """+++
id = "ups-runtime"
lang = "en"
title = "UPS runtime low"
severity = "critical"
kind = "incident"
applies_to = { rules = ["ups-runtime-low"] }

[[deadline]]
id = "check-panel"
minutes = 5
from = "alert-start"
step = 1
what = "Check the UPS panel"

[[deadline]]
id = "call-vendor"
minutes = 15
from = "alert-start"
step = 3
what = "Call the UPS vendor"
+++

# UPS runtime low

## Steps

1. Check the UPS panel: output source, charge and runtime left.
2. [two-person] Shed non-trading load in the agreed order.
3. Call the UPS vendor duty line and note the ticket number.
"""
PLAYBOOK_ZH = (
    PLAYBOOK_EN.replace('lang = "en"', 'lang = "zh"')
    .replace('title = "UPS runtime low"', 'title = "UPS 后备时间不足"')
    .replace("# UPS runtime low", "# UPS 后备时间不足")
    .replace("## Steps", "## 步骤")
    .replace('what = "Check the UPS panel"', 'what = "查看 UPS 面板"')
    .replace('what = "Call the UPS vendor"', 'what = "致电 UPS 厂商"')
    .replace(
        "1. Check the UPS panel: output source, charge and runtime left.",
        "1. 查看 UPS 面板：输出来源、电池容量和剩余后备时间。",
    )
    .replace("2. [two-person] Shed non-trading load in the agreed order.", "2. 【双人确认】按约定顺序卸载非交易负载。")
    .replace("3. Call the UPS vendor duty line and note the ticket number.", "3. 致电 UPS 厂商值班电话并记录工单号。")
)

CONFIG = """
[site]
name = "张江主机房 Zhangjiang DC"
timezone = "Asia/Shanghai"
language = "en"
roster = ["王伟", "Alice Chen"]
shifts = ["{day}", "{night}"]

[defaults]
interval = "60s"
timeout = "2s"
retries = 0
attempts = 3
stale_after = "10m"

[credentials.snmp-ro]
version = "2c"
community = {{ env = "DUTYROOM_TEST_COMMUNITY" }}

[credentials.gw-token]
token = {{ file = "gw.token" }}

[groups.power]
label = "Power"
label_zh = "供配电"
order = 1
[groups.network]
label = "Network"
label_zh = "网络"
order = 2
[groups.trading]
label = "Trading systems"
label_zh = "交易系统"
order = 3
[groups.environment]
label = "Environment"
label_zh = "机房环境"
order = 4

[[target]]
id = "ups-a"
name = "UPS-A 一号主机房"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:16100"
credentials = "snmp-ro"
profile = "ups-mib"
[[target]]
id = "ups-b"
name = "UPS-B 演练"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:16101"
credentials = "snmp-ro"
profile = "ups-mib"
[[target]]
id = "core-sw"
name = "核心交换机 A"
group = "network"
kind = "snmp"
address = "udp://127.0.0.1:16102"
credentials = "snmp-ro"
profile = "if-mib"
[[target]]
id = "trade-gw"
name = "报盘网关 1"
group = "trading"
kind = "http"
url = "http://127.0.0.1:9/health"
credentials = "gw-token"
[[target]]
id = "md-feed"
group = "trading"
kind = "tcp"
address = "tcp://127.0.0.1:9"
[[target]]
id = "oms"
group = "trading"
kind = "http"
url = "http://127.0.0.1:9/metrics"
[[target]]
id = "temp-1"
name = "温湿度探头 1"
group = "environment"
kind = "snmp"
address = "udp://127.0.0.1:16103"
credentials = "snmp-ro"
profile = "akcp"

[[rule]]
id = "ups-runtime-low"
metric = "ups.runtime_min"
warning = "< 30"
critical = "< 15"
for = "2m"
playbook = "ups-runtime"
[[rule]]
id = "reach"
kind = "reachability"
[[rule]]
id = "gw-latency"
metric = "gw.latency_ms"
warning = "> 50"
critical = "> 200"
[[rule]]
id = "md-lag"
metric = "md.lag_ms"
warning = "> 100"
[[rule]]
id = "temp-high"
metric = "env.temp_c"
warning = "> 27"
critical = "> 32"
[[rule]]
id = "orders-capacity"
kind = "capacity"
metric = "oms.orders_per_s"
capacity = 3000
factor = 3

[[silence]]
id = "md-nightly"
match = {{ target = "md-feed" }}
comment = "exchange line maintenance window"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
from = "{maint_from}"
to = "{maint_to}"
"""


@dataclass
class ShiftHistory:
    root: Path
    config: Path
    state: Path
    shift_start: float
    shift_end: float
    built_at: float
    """Real time when the command-line actions began (every fake time is before it)."""
    fingerprints: dict[str, str] = field(default_factory=dict)
    run_id: str = ""

    def env(self, **extra: str) -> dict[str, str]:
        environ = {key: value for key, value in os.environ.items() if key not in ("SUDO_USER", "SSH_CONNECTION")}
        return {**environ, "DUTYROOM_TEST_COMMUNITY": COMMUNITY, "PYTHONPATH": str(ROOT), **extra}

    def cli(self, *args: str, state: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-m",
            "tui.cli.main",
            *args,
            "--config",
            str(self.config),
            "--state",
            str(state or self.state),
        ]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT, env=self.env(**env)
        )

    def copy_state(self, name: str) -> Path:
        """A private copy of the state directory for a test that changes it."""
        target = self.root / name
        shutil.copytree(self.state, target)
        return target


_BUILT: dict[str, ShiftHistory] = {}


def shift_history(factory: pytest.TempPathFactory) -> ShiftHistory:
    if "shift" not in _BUILT:
        _BUILT["shift"] = build_shift(factory.mktemp("shift"))
    return _BUILT["shift"]


@pytest.fixture(scope="module")
def shift(tmp_path_factory: pytest.TempPathFactory) -> ShiftHistory:
    return shift_history(tmp_path_factory)


def _hhmm(at: float) -> str:
    return datetime.fromtimestamp(at, TZ).strftime("%H:%M")


def write_room(root: Path, shift_start: float) -> Path:
    """checks.toml (two 12-hour shifts, the current one started at `shift_start`), playbooks, secret file."""
    maintenance_end = datetime.fromtimestamp(shift_start + 14 * 3600, TZ)
    config = root / "checks.toml"
    config.write_text(
        CONFIG.format(
            day=_hhmm(shift_start),
            night=_hhmm(shift_start + 12 * 3600),
            maint_from=(maintenance_end - timedelta(hours=1)).strftime("%H:%M"),
            maint_to=maintenance_end.strftime("%H:%M"),
        ),
        encoding="utf-8",
    )
    token = root / "gw.token"
    token.write_text(TOKEN + "\n")
    token.chmod(0o600)
    for lang, text in (("en", PLAYBOOK_EN), ("zh", PLAYBOOK_ZH)):
        folder = root / "playbooks" / lang
        folder.mkdir(parents=True)
        (folder / "ups-runtime.md").write_text(text, encoding="utf-8")
    return config


def _results(at: float, minute: float) -> list[PollResult]:
    """What every target answered at shift minute `minute` (negative: the previous shift)."""

    def sample(target: str, metric: str, value: float, unit: str = "") -> PollResult:
        return PollResult(target, at, (Sample(target, metric, value, at, unit=unit),))

    results = [
        sample("ups-a", "ups.runtime_min", 10.0 if minute >= 30 else 45.0, "min"),
        sample("ups-b", "ups.runtime_min", 10.0 if 140 <= minute < 160 else 50.0, "min"),
        sample("trade-gw", "gw.latency_ms", 80.0 if 40 <= minute < 70 else 20.0, "ms"),
        sample("md-feed", "md.lag_ms", (150.0 if int(minute) % 2 else 50.0) if minute >= 165 else 50.0, "ms"),
        sample("oms", "oms.orders_per_s", 1100.0 if minute == 100 else 800.0),
    ]
    if minute < 60:
        results.append(sample("core-sw", "if.util_pct", 20.0, "%"))
    else:
        reason = f"timeout after 2s {HOSTILE} token={TOKEN}"
        results.append(PollResult("core-sw", at, failure=State.UNREACHABLE, reason=reason))
    if minute < 120:
        results.append(sample("temp-1", "env.temp_c", 30.0 if -20 <= minute < -10 else 24.0, "C"))
    return results


def build_shift(root: Path) -> ShiftHistory:
    real_now = time.time()
    shift_start = (real_now - 3 * 3600) // 60 * 60
    config = write_room(root, shift_start)
    os.environ.setdefault("DUTYROOM_TEST_COMMUNITY", COMMUNITY)
    room = load_room(config)
    state = root / "state"
    history = ShiftHistory(root, config, state, shift_start, shift_start + 12 * 3600, 0.0)
    last_minute = int((real_now - shift_start) // 60) - 2
    clock = [shift_start - 30 * MINUTE]
    with Store.open(state) as store:
        poller = Poller(room, store, clock=lambda: clock[0])
        for minute in range(-30, last_minute + 1):
            clock[0] = shift_start + minute * MINUTE
            poller.engine.drill = 140 <= minute < 161
            for result in _results(clock[0], minute):
                poller.intake(result)
            poller.step()
            _operators_at(minute, clock[0], room, store, poller, history)
    history.fingerprints = {
        "ups-a": fingerprint("ups-runtime-low", "ups-a", ()),
        "ups-b": fingerprint("ups-runtime-low", "ups-b", ()),
        "core-sw": fingerprint("reach", "core-sw", ()),
        "trade-gw": fingerprint("gw-latency", "trade-gw", ()),
        "temp-1": fingerprint("temp-high", "temp-1", ()),
        "oms": fingerprint("orders-capacity", "oms", ()),
    }
    history.built_at = time.time()
    _command_line_actions(history)
    return history


def _operators_at(minute: int, now: float, room: Room, store: Store, poller: Poller, history: ShiftHistory) -> None:
    """Operator actions at the fake time of shift minute `minute` (through the same submit as the console)."""
    config = room.config
    runs = poller.runs
    if minute == 34:
        run = next(run for run in runs.open_runs() if not run.drill)
        history.run_id = run.run_id
        _record(store, room, runs.plan_tick(run.run_id, 1, ALICE, now))
    elif minute == 45:
        alert = fingerprint("gw-latency", "trade-gw", ())
        ack = Ack(comment=f"bob: gateway slow, exchange informed {HOSTILE}")
        submit(store, config, BOB, ActionRequest(ack, alert), now)
    elif minute == 50:
        _record(store, room, runs.plan_tick(history.run_id, 2, ALICE, now))
    elif minute == 55:
        _record(store, room, runs.plan_confirm(history.run_id, 2, BOB, now))
    elif minute == 120:
        _record(store, room, runs.plan_note(history.run_id, "runtime steady at 10 min", ALICE, now))
    elif minute == 150:
        alert = fingerprint("ups-runtime-low", "ups-b", ())
        request = ActionRequest(Note(text="drill: simulated battery test on UPS-B"), alert, drill=True)
        submit(store, config, ALICE, request, now)


def _record(store: Store, room: Room, planned: RunAction) -> None:
    """Commit a planned playbook-run action the way the console does."""
    request = ActionRequest(planned.action, planned.alert, planned.drill)
    submit(store, room.config, planned.actor, request, planned.at)


def _command_line_actions(history: ShiftHistory) -> None:
    ups = history.fingerprints["ups-a"]
    steps = [
        ("ack", ups, "-m", f"on site, vendor called {HOSTILE}", "--expires", "8h"),
        ("note", ups, "-m", "runtime 10 min steady; 下一班继续观察电池温度"),
        ("note", ups, "-m", '=HYPERLINK("http://evil") spreadsheet bait'),
        ("silence", "--target", "temp-1", "--for", "4h", "-m", "sensor replacement 更换传感器"),
        ("handover", "--note", "Vendor engineer arrives 21:00; 厂商工程师 21:00 到场"),
    ]
    for args in steps:
        result = history.cli(*args)
        assert result.returncode == 0, (args, result.stderr)


def test_the_engine_recorded_the_shift(shift: ShiftHistory) -> None:
    with Store.open(shift.state) as store:
        transitions = store.transitions_between(shift.shift_start, time.time())
        fired = {(record.target, record.rule) for record in transitions if record.after is AlertPhase.FIRING}
        actions = list(store.actions_after(0, 10_000))
    assert {("ups-a", "ups-runtime-low"), ("core-sw", "reach"), ("trade-gw", "gw-latency")} <= fired
    assert {("temp-1", "temp-high"), ("oms", "orders-capacity"), ("md-feed", "md-lag")} <= fired
    assert any(record.drill and record.target == "ups-b" for record in transitions)
    kinds = [action.kind for action in actions]
    assert kinds.count("run-start") == 2  # the real incident and the drill
    assert {"step", "step-confirm", "step-note", "ack", "note", "silence", "handover-note"} <= set(kinds)
    assert {action.actor.user for action in actions} >= {"alice", "bob", "dutyroom-engine"}
