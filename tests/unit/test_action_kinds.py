"""Operator actions as one tagged union: each kind has its own fields, and fields of another kind are refused."""

from __future__ import annotations

import pytest

from dutyroom.actions_model import (
    ACTION_KINDS,
    ACTION_TYPES,
    RUN_ACTION_KINDS,
    Ack,
    ActionDecodeError,
    DrillEvent,
    HandoverNote,
    HandoverSign,
    Lapse,
    Note,
    OperatorAction,
    RunClose,
    RunJoin,
    RunStart,
    Silence,
    StepConfirm,
    StepNote,
    StepSkip,
    StepTick,
    StepUndo,
    Unack,
    Unsilence,
    action_fields,
    action_from_fields,
    kind_of,
)

ONE_OF_EACH: list[OperatorAction] = [
    Ack(comment="on it", expires_at=1_700_003_600.0),
    Unack(comment="wrong alert"),
    Silence(rule="r", target="ups-a", group="", comment="battery swap", start=1.0, end=7201.0),
    Unsilence(id="s12"),
    Note(text="runtime 40 min"),
    DrillEvent(drill="mains", event="started", title="Mains failure"),
    HandoverSign(file="handover-2026-01-01-day.md", role="outgoing", sha256="ab" * 32),
    HandoverNote(text="generator test at 14:00"),
    RunStart(
        run="r1",
        playbook="mains-failure",
        steps=3,
        two_person="2,3",
        join="site",
        rule="on-battery",
        target="ups-a",
        alert_started_at=1.5,
        sessions="trading",
    ),
    RunJoin(run="r1", rule="runtime-low", target="ups-b"),
    RunClose(run="r1", reason=""),
    StepNote(run="r1", text="called the vendor", step=0),
    StepTick(run="r1", step=1),
    StepConfirm(run="r1", step=2),
    StepUndo(run="r1", step=2),
    StepSkip(run="r1", step=3, reason="no generator on site"),
    Lapse(reason="expired", silence="s12", end=7201.0),
]


def test_every_kind_is_in_the_examples_once() -> None:
    assert sorted(kind_of(action) for action in ONE_OF_EACH) == sorted(ACTION_KINDS)
    assert len(ACTION_KINDS) == len(ACTION_TYPES)
    run_kinds = {"run-start", "run-join", "run-close", "step-note", "step", "step-confirm", "step-undo", "step-skip"}
    assert run_kinds == RUN_ACTION_KINDS


@pytest.mark.parametrize("action", ONE_OF_EACH, ids=kind_of)
def test_each_kind_round_trips_through_its_stored_fields(action: OperatorAction) -> None:
    fields = action_fields(action)

    assert "kind" not in fields
    assert action_from_fields(kind_of(action), fields) == action


def test_an_ack_keeps_the_severity_it_was_made_at_and_whether_it_is_sticky() -> None:
    ack = Ack(comment="on it", severity="warning", sticky=True)

    assert action_fields(ack) == {"comment": "on it", "severity": "warning", "sticky": True}
    assert action_from_fields("ack", action_fields(ack)) == ack


def test_an_ack_stored_before_sticky_acks_reads_as_a_normal_ack_of_unknown_severity() -> None:
    old = action_from_fields("ack", {"comment": "on it", "expires_at": 1_700_003_600.0})

    assert isinstance(old, Ack)
    assert (old.sticky, old.severity) == (False, "")


def test_fields_that_were_written_only_when_set_are_still_left_out() -> None:
    assert action_fields(Ack(comment="on it")) == {"comment": "on it"}
    assert action_fields(Silence(rule="", target="t", group="", comment="c", start=1.0, end=2.0)) == {
        "rule": "",
        "target": "t",
        "group": "",
        "comment": "c",
        "start": 1.0,
        "end": 2.0,
    }
    assert action_fields(RunClose(run="r1", reason="")) == {"run": "r1", "reason": ""}


@pytest.mark.parametrize(
    ("kind", "fields", "problem"),
    [
        ("ack", {"comment": "on it", "text": "a note's field"}, "unknown field `text`"),
        ("step", {"run": "r1", "step": 2, "comment": "an ack's field"}, "unknown field `comment`"),
        ("note", {}, "missing required field `text`"),
        ("step", {"run": "r1", "step": True}, "Expected `int`, got `bool`"),
        ("step", {"run": "r1", "step": "2"}, "Expected `int`, got `str`"),
        ("ack", {"comment": "on it", "expires_at": "soon"}, "Expected `float | null`"),
        ("ack", {"comment": "on it", "severity": "disaster"}, "Invalid enum value .disaster."),
        ("lapse", {"ack": 3}, "missing required field `reason`"),
        ("escalate", {"to": "duty manager"}, "Invalid value 'escalate'"),
        ("note", {"text": "x", "kind": "ack"}, "may not contain 'kind'"),
    ],
)
def test_fields_that_do_not_make_the_kind_are_refused(kind: str, fields: dict[str, object], problem: str) -> None:
    with pytest.raises(ActionDecodeError, match=problem):
        action_from_fields(kind, fields)


def test_a_whole_number_is_accepted_where_a_time_is_expected() -> None:
    fields = {"rule": "", "target": "t", "group": "", "comment": "c", "start": 100, "end": 200}
    silence = action_from_fields("silence", fields)

    assert silence == Silence(rule="", target="t", group="", comment="c", start=100.0, end=200.0)
    assert isinstance(silence, Silence)
    assert isinstance(silence.start, float)


def test_a_run_start_reads_its_lists() -> None:
    start = ONE_OF_EACH[8]

    assert isinstance(start, RunStart)
    assert (start.two_person_steps, start.session_tags) == (frozenset({2, 3}), frozenset({"trading"}))


def test_actions_are_immutable() -> None:
    ack = Ack(comment="on it")

    with pytest.raises(AttributeError):
        ack.comment = "changed"  # type: ignore[misc]
