"""A fake room with a small machine room, frozen at FIXED_NOW: a ConsoleSource and an ActionDesk in one.

It records submits and can refuse. Accepted actions change the fake's state the way the real store would (an
ack shows ACK, a tick marks the step), so tests can check that the console shows an action as done only after
`submit` returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dutyroom import actions_model as actions
from dutyroom.config.types import BellSetting
from dutyroom.duties.status import Readiness
from dutyroom.model import Identity, State, Transition
from dutyroom.operators.actions import ActionRefused
from dutyroom.operators.planning import Intent, StartDrill
from dutyroom.operators.roles import Role
from dutyroom.operators.state import Ack
from dutyroom.playbooks.model import AppliesTo, Deadline, Playbook, Step
from dutyroom.playbooks.run_state import JoinedAlert, Mark, PlaybookRun, Skip, StepState
from dutyroom.playbooks.run_state import Note as RunNote
from dutyroom.rules.alert import AlertPhase
from dutyroom.store.records import StoredAction
from dutyroom.views.alerts import AlertView, CollectorHealth, GroupCount
from dutyroom.views.console_source import (
    ConsoleSnapshot,
    MetricLine,
    StatusLine,
    TargetDetail,
    TimelineEntry,
)

FIXED_NOW = 1772417700.0
"""2026-03-02 10:15:00 in Asia/Shanghai (a Monday, continuous trading)."""
TIMEZONE = "Asia/Shanghai"
ALICE = Identity("alice", ssh_client="10.9.0.7")
BOB = Identity("bob")
CAROL = Identity("carol")
RUN_ID = "20260302T020000Z-ups-battery-low"
MAINS_RUN_ID = "20260302T020200Z-mains-failure"

STEPS_EN = (
    Step(1, "On the UPS panel read the alarm; note battery charge (%), runtime left (minutes) and temperature."),
    Step(2, "Check the output source; if mains failed, also follow the mains-failure playbook."),
    Step(
        3,
        "Call the UPS vendor's 24x7 line: model, serial, alarm; ask for an engineer and a ticket number.",
        command="ups-ctl status --unit ups-a",
    ),
    Step(
        4,
        "Only with the vendor engineer: switch the UPS to maintenance bypass; check the load stayed up.",
        two_person=True,
    ),
    Step(5, "Record the ticket number, parts replaced and the times, then close the incident."),
)
STEPS_ZH = (
    Step(1, "在 UPS 面板上查看告警：记录电池容量（%）、剩余后备时间（分钟）和电池温度。"),
    Step(2, "查看输出来源。如因市电中断而电池供电，同时按“市电中断 / UPS 电池供电”预案处置。"),
    Step(
        3,
        "致电 UPS 厂商 7x24 服务热线，报型号、序列号和告警内容，要求派工程师并确认到场时间，记录工单号。",
        command="ups-ctl status --unit ups-a",
    ),
    Step(4, "仅在厂商工程师指导下：按厂商操作规程将 UPS 切换到维修旁路；确认负载未掉电。", two_person=True),
    Step(5, "记录厂商工单号、更换的部件和各时间点，然后结束本次处置。"),
)


def make_playbook(lang: str) -> Playbook:
    zh = lang == "zh"
    deadlines = (
        Deadline("call-ups-vendor", 15, "致电 UPS 厂商" if zh else "Call the UPS vendor", step=3),
        Deadline("report", 30, "向监管报告" if zh else "Report to the regulator"),
    )
    return Playbook(
        id="ups-battery-low",
        lang=lang,
        title="UPS 电池电量低或电池故障" if zh else "UPS battery low or failed",
        severity="critical",
        kind="incident",
        applies_to=AppliesTo(rules=("ups-runtime-low",)),
        contacts=(),
        deadlines=deadlines,
        steps=STEPS_ZH if zh else STEPS_EN,
        body_text="",
        path=Path(f"playbooks/{lang}/x.md"),
    )


MAINS_STEPS = (
    Step(1, "On each UPS panel confirm output source = battery; note charge and runtime left."),
    Step(2, "At the main distribution panel, note which feed is lost and whether the generator started."),
    Step(3, "Call the building power duty room: cause, scope, expected restoration time."),
    Step(4, "Tell the duty manager.", two_person=True),
    Step(5, "When mains returns, note the time, then close the run."),
)


def mains_playbook() -> Playbook:
    """A playbook whose applies_to lists ups-runtime-low too: that alert joins its open run."""
    return Playbook(
        id="mains-failure",
        lang="en",
        title="Mains failure / UPS on battery",
        severity="critical",
        kind="incident",
        applies_to=AppliesTo(rules=("ups-on-battery", "ups-runtime-low")),
        contacts=(),
        deadlines=(Deadline("call-building-power", 10, "Call the building power duty room", step=3),),
        steps=MAINS_STEPS,
        body_text="",
        path=Path("playbooks/en/mains-failure.md"),
        join="site",
    )


def mains_run(*, ticked: Sequence[int] = (1,)) -> PlaybookRun:
    """The mains-failure run started at 10:02 by ups-a's on-battery alert (a0), joined by runtime-low (a1)."""
    started = FIXED_NOW - 780
    steps = tuple(
        replace(StepState(step.number, step.two_person), ticked=Mark(ALICE, FIXED_NOW - 300))
        if step.number in ticked
        else StepState(step.number, step.two_person)
        for step in MAINS_STEPS
    )
    return PlaybookRun(
        run_id=MAINS_RUN_ID,
        playbook_id="mains-failure",
        incident_key="a0",
        started_at=started,
        started_by=Identity("dutyroom-engine"),
        drill=False,
        steps=steps,
        alert_started_at=started,
        join_scope="site",
        alerts=(
            JoinedAlert("a0", "ups-on-battery", "ups-a", started),
            JoinedAlert("a1", "ups-runtime-low", "ups-a", FIXED_NOW - 600),
        ),
    )


def make_alert(fingerprint: str, **changes: object) -> AlertView:
    base = AlertView(
        fingerprint=fingerprint,
        rule="ups-runtime-low",
        target="ups-a",
        target_name="UPS A",
        group="power",
        labels=(),
        phase=AlertPhase.FIRING,
        state=State.CRITICAL,
        severity="critical",
        value=8.0,
        value_at=FIXED_NOW - 12,
        unit="min",
        reason="",
        since=FIXED_NOW - 600,
        fired_at=FIXED_NOW - 600,
        resolved_at=0.0,
        suppressed_by="",
        flapping=False,
        ack=None,
        silenced_by="",
        notes=(),
        escalated=False,
        playbook="ups-battery-low",
        summary="",
        drill=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def make_transition(alert: AlertView, after: AlertPhase = AlertPhase.FIRING, **changes: object) -> Transition:
    """The transition the engine records when `alert` moves to `after`: it notifies unless `changes` say not."""
    base = Transition(
        at=FIXED_NOW,
        fingerprint=alert.fingerprint,
        rule=alert.rule,
        target=alert.target,
        labels=alert.labels,
        before=AlertPhase.PENDING if after is AlertPhase.FIRING else AlertPhase.FIRING,
        after=after,
        state=alert.state if after is AlertPhase.FIRING else State.OK,
        severity=alert.severity,
        value="",
        reason="",
        notify=True,
        suppressed_by=alert.suppressed_by,
        flapping=alert.flapping,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def room_alerts(*, cjk: bool = False) -> list[AlertView]:
    return [
        make_alert("a1", target_name="上海 UPS-A 一号机" if cjk else "UPS A (hall 1)", escalated=True),
        make_alert(
            "a2",
            rule="link-congested",
            target="core-sw1",
            target_name="核心交换机 1" if cjk else "core-sw1",
            group="links",
            state=State.UNREACHABLE,
            value=None,
            playbook="core-switch-down",
        ),
        make_alert(
            "a3",
            rule="link-util",
            target="sz-line",
            target_name="深交所专线" if cjk else "SZSE line",
            group="links",
            state=State.WARNING,
            severity="warning",
            value=87.5,
            unit="%",
            ack=Ack(BOB, FIXED_NOW - 120, "vendor called"),
            playbook=None,
        ),
        make_alert(
            "a4",
            rule="oms-health",
            target="oms-gw1",
            target_name="OMS gateway",
            group="trading",
            state=State.UNREACHABLE,
            value=None,
            suppressed_by="core-sw1",
            playbook=None,
        ),
        make_alert(
            "a5",
            rule="room-temp",
            target="crac-2",
            target_name="CRAC 2",
            group="cooling",
            state=State.WARNING,
            severity="warning",
            value=27.4,
            unit="°C",
            flapping=True,
            playbook=None,
        ),
        make_alert(
            "a6",
            rule="disk-free",
            target="db1",
            target_name="db1",
            group="servers",
            state=State.STALE,
            severity="warning",
            value=9.0,
            unit="%",
            value_at=FIXED_NOW - 1800,
            playbook=None,
        ),
        make_alert(
            "a7",
            rule="pdu-load",
            target="pdu-3",
            target_name="PDU 3",
            group="power",
            phase=AlertPhase.RESOLVED,
            state=State.OK,
            severity="warning",
            value=41.0,
            unit="%",
            resolved_at=FIXED_NOW - 60,
            playbook=None,
            drill=True,
        ),
        make_alert(
            "a8",
            rule="backup-window",
            target="bk-sw1",
            target_name="备份交换机" if cjk else "backup switch",
            group="backup",
            state=State.CRITICAL,
            severity="warning",
            capped_from="critical",
            capped_in="trading",
            value=97.0,
            unit="%",
            ack=Ack(CAROL, FIXED_NOW - 240, "backup jobs moved to 20:00", sticky=True, severity="warning"),
            playbook=None,
        ),
    ]


def room_overview() -> tuple[GroupCount, ...]:
    return (
        GroupCount("power", "Power", "供配电", {State.CRITICAL: 1, State.OK: 5}),
        GroupCount("links", "Links", "链路", {State.UNREACHABLE: 1, State.WARNING: 1, State.OK: 4}),
        GroupCount("trading", "Trading", "交易系统", {State.UNREACHABLE: 1, State.OK: 3}),
        GroupCount("cooling", "Cooling", "空调", {State.WARNING: 1, State.OK: 2}),
        GroupCount("servers", "Servers", "服务器", {State.STALE: 1, State.OK: 12}),
    )


def ups_run(*, ticked: Sequence[int] = (1,), awaiting: Sequence[int] = ()) -> PlaybookRun:
    steps = []
    for number, step in enumerate(STEPS_EN, start=1):
        state = StepState(number, step.two_person)
        if number in ticked or number in awaiting:
            state = replace(state, ticked=Mark(ALICE, FIXED_NOW - 300))
        if number in ticked and step.two_person:
            state = replace(state, confirmed=Mark(BOB, FIXED_NOW - 240))
        steps.append(state)
    return PlaybookRun(
        run_id=RUN_ID,
        playbook_id="ups-battery-low",
        incident_key="a1",
        started_at=FIXED_NOW - 590,
        started_by=ALICE,
        drill=False,
        steps=tuple(steps),
        alert_started_at=FIXED_NOW - 600,
    )


@dataclass
class Submitted:
    intent: Intent
    alert: str


@dataclass
class FakeSource:
    """A ConsoleSource and ActionDesk over in-memory state; `refuse` (a reason) makes every submit refuse."""

    alerts: list[AlertView] = field(default_factory=room_alerts)
    runs: dict[str, PlaybookRun] = field(default_factory=lambda: {"a1": ups_run()})
    playbooks: dict[tuple[str, str], Playbook] = field(
        default_factory=lambda: {("ups-battery-low", lang): make_playbook(lang) for lang in ("en", "zh")}
    )
    site: str = "SZ core machine room"
    reload_status: str = ""
    calendar_mark: str = ""
    calendar_warning: str = ""
    readiness: Readiness | None = None
    duty_state: str = ""
    duty_title: str = ""
    role: Role = "operator"
    mode: str = "owner"
    identity: Identity = ALICE
    refuse: str = ""
    fail_with: Exception | None = None
    snapshot_error: Exception | None = None
    submitted: list[Submitted] = field(default_factory=list)
    timeline_entries: list[TimelineEntry] = field(default_factory=list)
    details: dict[str, TargetDetail] = field(default_factory=dict)
    snapshots_taken: int = 0
    transitions: list[Transition] = field(default_factory=list)
    """Handed out with the next snapshot only, as the store hands out what was recorded since the last read."""
    bell: BellSetting = True

    def snapshot(self, now: float) -> ConsoleSnapshot:
        self.snapshots_taken += 1
        if self.snapshot_error is not None:
            raise self.snapshot_error
        status = StatusLine(
            site=self.site,
            now=now,
            timezone=TIMEZONE,
            phase_kind="trading",
            phase_text="continuous trading",
            calendar_warning=self.calendar_warning,
            health=CollectorHealth(42, 40, 1, 1),
            reload_status=self.reload_status,
            mode="viewer" if self.mode == "viewer" else "owner",
            identity=self.identity,
            role=self.role,
            calendar_mark=self.calendar_mark,
            readiness=self.readiness,
            duty_state=self.duty_state,
            duty_title=self.duty_title,
        )
        new, self.transitions = tuple(self.transitions), []
        return ConsoleSnapshot(
            status, tuple(self.alerts), room_overview(), dict(self.runs), bell=self.bell, transitions=new
        )

    def playbook(self, playbook_id: str, language: str) -> Playbook | None:
        return self.playbooks.get((playbook_id, language)) or self.playbooks.get((playbook_id, "en"))

    def detail(self, target_id: str, now: float) -> TargetDetail | None:
        return self.details.get(target_id)

    def timeline(self, since: float, until: float, kinds: Sequence[str] = ()) -> list[TimelineEntry]:
        return [
            entry
            for entry in self.timeline_entries
            if since <= entry.at <= until and (not kinds or entry.kind in kinds)
        ]

    def submit(self, intent: Intent, alert: str, now: float) -> StoredAction:
        if self.fail_with is not None:
            raise self.fail_with
        if self.role == "viewer":
            raise ActionRefused(
                f"{self.identity.user} is a viewer: viewers can look but not act (roles in checks.toml)"
            )
        if self.refuse:
            raise ActionRefused(self.refuse)
        if isinstance(intent, StartDrill):
            raise ActionRefused("the fake room plans no drills")
        self.submitted.append(Submitted(intent, alert))
        self._apply(intent, alert, now)
        return StoredAction(len(self.submitted), intent, self.identity, now, alert)

    def _apply(self, intent: Intent, alert: str, now: float) -> None:
        if isinstance(intent, actions.Ack):
            ack = Ack(self.identity, now, intent.comment, intent.expires_at, intent.sticky, intent.severity)
            self.alerts = [replace(item, ack=ack) if item.fingerprint == alert else item for item in self.alerts]
        elif isinstance(intent, actions.StepTick | actions.StepConfirm | actions.StepUndo | actions.StepSkip):
            run = self._run(intent.run)
            state = run.step(intent.step)
            assert state is not None
            mark = Mark(self.identity, now)
            if isinstance(intent, actions.StepTick):
                state = replace(state, ticked=mark)
            elif isinstance(intent, actions.StepConfirm):
                state = replace(state, confirmed=mark)
            elif isinstance(intent, actions.StepSkip):
                state = replace(state, skipped=Skip(self.identity, now, intent.reason))
            else:
                state = replace(state, confirmed=None) if state.confirmed else replace(state, ticked=None, skipped=None)
            self._replace_run(run.with_step(state))
        elif isinstance(intent, actions.StepNote):
            run = self._run(intent.run)
            self._replace_run(replace(run, notes=(*run.notes, RunNote(self.identity, now, intent.text, intent.step))))
        elif isinstance(intent, actions.RunClose):
            run = self._run(intent.run)
            self._replace_run(replace(run, closed_at=now, closed_by=self.identity, close_reason=intent.reason))

    def _run(self, run_id: str) -> PlaybookRun:
        """The run an action names (by its id, as the store's run book finds it), whichever alert it is shown for."""
        return next(run for run in self.runs.values() if run.run_id == run_id)

    def _replace_run(self, changed: PlaybookRun) -> None:
        for alert, run in self.runs.items():
            if run.run_id == changed.run_id:
                self.runs[alert] = changed


def joined_room() -> FakeSource:
    """UPS A on battery (a0) started the mains-failure run; its runtime-low alert (a1) joined that run."""
    on_battery = make_alert(
        "a0", rule="ups-on-battery", value=1.0, unit="", since=FIXED_NOW - 780, playbook="mains-failure"
    )
    alerts = [on_battery, *room_alerts()]
    run = mains_run()
    playbooks = {("ups-battery-low", lang): make_playbook(lang) for lang in ("en", "zh")}
    playbooks[("mains-failure", "en")] = mains_playbook()
    return FakeSource(alerts=alerts, runs={"a0": run, "a1": run}, playbooks=playbooks)


def sample_detail() -> TargetDetail:
    history = tuple(float(40 + (index * 7) % 23) for index in range(60))
    return TargetDetail(
        target="ups-a",
        name="UPS A (hall 1)",
        group="power",
        kind="snmp",
        state=State.CRITICAL,
        last_error="timeout after 2.0s (1 retry)",
        metrics=(
            MetricLine("ups.runtime_min", (), 8.0, "min", 12.0, history),
            MetricLine("ups.battery_pct", (), 31.0, "%", 12.0, tuple(reversed(history))),
            MetricLine("ups.on_battery", (), 1.0, "", 12.0, (0.0,) * 50 + (1.0,) * 10),
            MetricLine("ups.load_pct", (("phase", "L1"),), 48.5, "%", 12.0, ()),
        ),
    )


LONG_ACK_COMMENT = (
    "Vendor called at 10:13, ticket 4471; engineer on site by 11:00. Load moved to UPS B feed for rack row C "
    "while the battery string is inspected; do not switch back before the vendor signs the work order."
)


def sample_timeline() -> list[TimelineEntry]:
    return [
        TimelineEntry(
            FIXED_NOW - 600,
            "transition",
            "ups-a",
            "8 min",
            rule="ups-runtime-low",
            what="firing",
            before="pending",
            severity="critical",
        ),
        TimelineEntry(FIXED_NOW - 590, "action", "ups-a", "", who="alice", rule="ups-on-battery", what="run-start"),
        TimelineEntry(FIXED_NOW - 580, "action", "ups-a", "", who="alice", rule="ups-runtime-low", what="run-join"),
        TimelineEntry(FIXED_NOW - 300, "action", "ups-a", "", who="alice", rule="ups-runtime-low", what="step", step=1),
        TimelineEntry(FIXED_NOW - 200, "event", "ups-a", "agent restarted (sysUpTime dropped)", what="agent-restarted"),
        TimelineEntry(
            FIXED_NOW - 150, "action", "ups-a", LONG_ACK_COMMENT, who="bob", rule="ups-runtime-low", what="ack"
        ),
        TimelineEntry(FIXED_NOW - 120, "action", "sz-line", "vendor called", who="bob", rule="link-down", what="ack"),
        TimelineEntry(FIXED_NOW - 90, "event", "crac-2", "trap received: highTemp", drill=True, what="trap"),
    ]
