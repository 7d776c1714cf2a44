"""Deadlines of a run (due, remaining, met, missed, waived) and the run summary for the handover."""

from __future__ import annotations

from pathlib import Path

from dutyroom.model import Identity
from dutyroom.playbooks.library import AppliesTo, Deadline, Playbook, Step
from dutyroom.playbooks.runs import AlertRef, DeadlineState, PlaybookRun, RunBook, StepStatus, deadline_status, summary

T0 = 1_767_225_600.0
SYSTEM = Identity("dutyroom")
ALICE = Identity("alice")
BOB = Identity("bob")

PLAYBOOK = Playbook(
    id="exchange-line-down",
    lang="en",
    title="Exchange line down",
    severity="critical",
    kind="incident",
    applies_to=AppliesTo(rules=("exchange-line-down",)),
    contacts=(),
    deadlines=(
        Deadline("call-carrier", 10, "Call the carrier", step=1),
        Deadline("switch", 5, "Switch to the backup line", start="run-start", step=2),
        Deadline("regulator-call", 30, "Report to the regulator", during=("trading", "holiday"), step=3),
        Deadline("close", 120, "Close the run"),
    ),
    steps=(Step(1, "Call the carrier."), Step(2, "Switch lines.", two_person=True), Step(3, "Report.")),
    body_text="",
    path=Path("exchange-line-down.md"),
)


def started(sessions: frozenset[str] = frozenset({"trading"})) -> tuple[RunBook, str]:
    """A run started at T0 for an alert that fired at T0 - 120."""
    ref = AlertRef("fp", "exchange-line-down", "sse-line-1", T0 - 120)
    action = RunBook().plan_alert(PLAYBOOK, ref, SYSTEM, T0, sessions=sessions)
    assert action is not None
    return RunBook().apply(action), action.action.run


def act(book: RunBook, kind: str, run_id: str, actor: Identity, at: float, **values: str | int) -> RunBook:
    planner = {"tick": book.plan_tick, "confirm": book.plan_confirm}
    if kind == "skip":
        return book.apply(book.plan_skip(run_id, int(values["step"]), str(values["reason"]), actor, at))
    if kind == "close":
        return book.apply(book.plan_close(run_id, actor, at))
    return book.apply(planner[kind](run_id, int(values["step"]), actor, at))


def the_run(book: RunBook, run_id: str) -> PlaybookRun:
    run = book.get(run_id)
    assert run is not None
    return run


def by_id(book: RunBook, run_id: str, now: float) -> dict[str, tuple[DeadlineState, float, float]]:
    return {
        status.deadline.id: (status.state, status.due_at, status.remaining_s)
        for status in deadline_status(the_run(book, run_id), PLAYBOOK, now)
    }


def test_due_times_count_from_the_alert_or_the_run_and_are_pending() -> None:
    book, run_id = started()
    statuses = by_id(book, run_id, T0 + 60)
    assert statuses["call-carrier"] == (DeadlineState.PENDING, T0 - 120 + 600, 420.0)
    assert statuses["switch"] == (DeadlineState.PENDING, T0 + 300, 240.0)
    assert statuses["regulator-call"] == (DeadlineState.PENDING, T0 - 120 + 1800, 1620.0)
    ordered = [status.deadline.id for status in deadline_status(the_run(book, run_id), PLAYBOOK, T0)]
    assert ordered == ["switch", "call-carrier", "regulator-call", "close"]


def test_met_when_the_step_is_done_in_time_and_missed_when_late() -> None:
    book, run_id = started()
    book = act(book, "tick", run_id, ALICE, T0 + 100, step=1)
    statuses = by_id(book, run_id, T0 + 5000)
    assert statuses["call-carrier"] == (DeadlineState.MET, T0 + 480, 380.0)
    assert statuses["regulator-call"][0] is DeadlineState.MISSED
    book = act(book, "tick", run_id, BOB, T0 + 2000, step=3)
    assert by_id(book, run_id, T0 + 5000)["regulator-call"] == (DeadlineState.MISSED, T0 + 1680, -320.0)


def test_a_two_person_step_meets_its_deadline_only_when_confirmed() -> None:
    book, run_id = started()
    book = act(book, "tick", run_id, ALICE, T0 + 100, step=2)
    assert by_id(book, run_id, T0 + 200)["switch"][0] is DeadlineState.PENDING
    assert by_id(book, run_id, T0 + 400)["switch"][0] is DeadlineState.MISSED
    confirmed = act(book, "confirm", run_id, BOB, T0 + 250, step=2)
    assert by_id(confirmed, run_id, T0 + 400)["switch"] == (DeadlineState.MET, T0 + 300, 50.0)


def test_a_skipped_step_waives_its_deadline() -> None:
    book, run_id = started()
    book = act(book, "skip", run_id, ALICE, T0 + 100, step=3, reason="orders not affected")
    assert by_id(book, run_id, T0 + 9000)["regulator-call"][0] is DeadlineState.WAIVED


def test_a_deadline_without_a_step_is_met_by_closing_the_run() -> None:
    book, run_id = started()
    assert by_id(book, run_id, T0 + 60)["close"][0] is DeadlineState.PENDING
    closed = act(book, "close", run_id, ALICE, T0 + 3600)
    statuses = by_id(closed, run_id, T0 + 99999)
    assert statuses["close"] == (DeadlineState.MET, T0 + 7080, 3480.0)
    assert statuses["call-carrier"][0] is DeadlineState.MISSED


def test_a_session_bound_deadline_applies_only_in_its_sessions() -> None:
    off_hours, off_id = started(frozenset({"off-hours"}))
    holiday, holiday_id = started(frozenset({"off-hours", "holiday"}))
    unknown, unknown_id = started(frozenset())
    assert "regulator-call" not in by_id(off_hours, off_id, T0)
    assert "regulator-call" in by_id(holiday, holiday_id, T0)
    assert "regulator-call" in by_id(unknown, unknown_id, T0)


def test_summary_tells_who_did_what_and_what_is_open() -> None:
    book, run_id = started()
    book = act(book, "tick", run_id, ALICE, T0 + 100, step=1)
    book = act(book, "tick", run_id, ALICE, T0 + 200, step=2)
    book = act(book, "skip", run_id, BOB, T0 + 300, step=3, reason="orders not affected")
    book = book.apply(book.plan_note(run_id, "ticket CT-1234", BOB, T0 + 310, step=1))
    report = summary(the_run(book, run_id), PLAYBOOK, now=T0 + 400)
    assert report.title == "Exchange line down"
    assert [(step.number, step.status) for step in report.steps] == [
        (1, StepStatus.DONE),
        (2, StepStatus.AWAITING_CONFIRMATION),
        (3, StepStatus.SKIPPED),
    ]
    first, second, third = report.steps
    assert (first.done_by, first.done_at, [note.text for note in first.notes]) == (
        (ALICE,),
        T0 + 100,
        ["ticket CT-1234"],
    )
    assert (second.done_by, second.done_at, second.text) == ((ALICE,), None, "Switch lines.")
    assert (third.skipped_by, third.skip_reason) == (BOB, "orders not affected")
    assert [step.number for step in report.open] == [2]
    assert (report.count(StepStatus.DONE), len(report.skipped), len(report.done)) == (1, 1, 1)
    assert {status.deadline.id: status.state for status in report.deadlines}["switch"] is DeadlineState.MISSED


def test_summary_of_a_closed_run_is_as_of_its_close() -> None:
    book, run_id = started()
    book = act(book, "tick", run_id, ALICE, T0 + 100, step=1)
    book = act(book, "close", run_id, BOB, T0 + 200)
    report = summary(the_run(book, run_id), PLAYBOOK)
    assert {status.deadline.id: status.state for status in report.deadlines}["close"] is DeadlineState.MET
    assert report.run.closed_by == BOB
