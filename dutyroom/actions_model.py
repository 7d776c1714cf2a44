"""Operator actions as types: one frozen Struct per kind, tagged by `kind`, shared by the store, operators and views.

Each kind names its own fields, so a comment cannot land on a step tick and a field of another kind is refused
when an action is decoded. The store keeps an action as it always has (the kind in one column, the other fields
as a JSON object in another): `action_fields` and `action_from_fields` are the only translation, and fields that
were written only when set (an ack's expiry) are still left out when unset, so the stored text does not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

import msgspec

FieldValue = str | float | int | bool | None
"""What an action's field may hold: JSON scalars only, so an action can be hashed and compared exactly."""
AckedSeverity = Literal["", "info", "warning", "critical"]
"""The severity an alert had when it was acknowledged; "" in rows written before it was recorded."""
_ACKED_SEVERITIES: dict[str, AckedSeverity] = {"info": "info", "warning": "warning", "critical": "critical"}


def acked_severity(severity: str) -> AckedSeverity:
    """`severity` as an ack keeps it: "" for anything that is not a severity (a resolved alert has none)."""
    return _ACKED_SEVERITIES.get(severity, "")


class _Action(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", omit_defaults=True, kw_only=True
):
    """The common configuration: immutable, keyword-built, `kind` as the tag, unknown fields refused."""


class Ack(_Action, tag="ack", frozen=True):
    """An operator takes an alert on; the alert's fingerprint is the action's `alert`."""

    comment: str
    """Why, or what is being done (required)."""
    expires_at: float | None = None
    """Epoch seconds after which the ack no longer applies; absent for an ack that lasts the incident."""
    severity: AckedSeverity = ""
    """The alert's severity as the operator saw it when acknowledging: a rise above it clears a normal ack."""
    sticky: bool = False
    """Kept when the severity rises (Icinga's sticky ack); a normal ack is cleared then and escalation resumes."""


class Unack(_Action, tag="unack", frozen=True):
    """The ack on the action's alert is taken back."""

    comment: str = ""


class Silence(_Action, tag="silence", frozen=True):
    """Alerts matching rule, target and group (an empty one matches anything) are silenced from start to end."""

    rule: str
    target: str
    group: str
    comment: str
    """Why (required)."""
    start: float
    end: float
    id: str = ""
    """A name to lift it by; when empty the silence is known as `s<action id>`."""


class Unsilence(_Action, tag="unsilence", frozen=True):
    """An operator silence is lifted early."""

    id: str
    """The silence's name (`s<action id>` unless it was given one)."""


class Lapse(_Action, tag="lapse", frozen=True):
    """An ack or a one-shot silence stopped applying: recorded by the poller the first time it saw so.

    Expiry is decided once: readers honour this record whatever their clock says, so a clock set back cannot
    bring the ack or the silence back. An ack is named by its action id (the action's `alert` is its alert), so
    a newer ack on the same alert is untouched; a silence by its id and end, so a window edited to end later is
    a new window.
    """

    reason: str
    """'expired', or 'severity rose to critical' for a normal ack."""
    ack: int = 0
    """The id of the ack action that lapsed (0 for a silence)."""
    silence: str = ""
    """The silence's id ('s12' for an operator's, its checks.toml id for a configured one); "" for an ack."""
    end: float = 0.0
    """The silence's end as it was when it lapsed."""


class Note(_Action, tag="note", frozen=True):
    """Free text attached to the action's alert."""

    text: str


class DrillEvent(_Action, tag="drill", frozen=True):
    """A simulated incident began or ended (the demo room announces its drills this way)."""

    drill: str
    """The drill's name."""
    event: str
    """'started' or 'ended'."""
    title: str


class HandoverSign(_Action, tag="handover-sign", frozen=True):
    """A handover file is signed: by whom is the action's actor, what is the file and the hash of its text."""

    file: str
    role: str
    """'outgoing' or 'incoming'."""
    sha256: str


class HandoverNote(_Action, tag="handover-note", frozen=True):
    """A note for the next shift, not tied to one alert."""

    text: str


class RunStart(_Action, tag="run-start", frozen=True):
    """A playbook run starts; the action's `alert` is the starting alert ("" when started by hand)."""

    run: str
    playbook: str
    steps: int
    two_person: str
    """Numbers of the steps that need a second operator, comma-separated ("2,5")."""
    join: str
    """'target' or 'site': where later alerts may join this run."""
    rule: str
    target: str
    alert_started_at: float
    sessions: str
    """Session tags true when the alert started, comma-separated ("trading,holiday")."""

    @property
    def two_person_steps(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.two_person.split(",") if part.strip().isdigit())

    @property
    def session_tags(self) -> frozenset[str]:
        return frozenset(part for part in self.sessions.split(",") if part)


class RunJoin(_Action, tag="run-join", frozen=True):
    """Another alert (the action's `alert`) joins an open run."""

    run: str
    rule: str
    target: str


class RunClose(_Action, tag="run-close", frozen=True):
    run: str
    reason: str


class StepNote(_Action, tag="step-note", frozen=True):
    """Text attached to a run, or to one of its steps."""

    run: str
    text: str
    step: int
    """The step it is about; 0 for the run as a whole."""


class StepTick(_Action, tag="step", frozen=True):
    """The step is done (a two-person step then awaits its second operator)."""

    run: str
    step: int


class StepConfirm(_Action, tag="step-confirm", frozen=True):
    """A second operator (not the one who ticked it) confirms a two-person step."""

    run: str
    step: int


class StepUndo(_Action, tag="step-undo", frozen=True):
    """Takes back the latest of confirmation, tick or skip."""

    run: str
    step: int


class StepSkip(_Action, tag="step-skip", frozen=True):
    run: str
    step: int
    reason: str
    """Why it was skipped (required)."""


StepChange: TypeAlias = StepTick | StepConfirm | StepUndo | StepSkip
RunChange: TypeAlias = RunStart | RunJoin | RunClose | StepNote | StepChange
"""The kinds a playbook run is rebuilt from."""
OperatorAction: TypeAlias = (
    Ack | Unack | Silence | Unsilence | Lapse | Note | DrillEvent | HandoverSign | HandoverNote | RunChange
)
"""Every kind of action the store keeps."""

RUN_CHANGE_TYPES: tuple[type[RunChange], ...] = (
    RunStart,
    RunJoin,
    RunClose,
    StepNote,
    StepTick,
    StepConfirm,
    StepUndo,
    StepSkip,
)
ACTION_TYPES: tuple[type[OperatorAction], ...] = (
    Ack,
    Unack,
    Silence,
    Unsilence,
    Lapse,
    Note,
    DrillEvent,
    HandoverSign,
    HandoverNote,
    *RUN_CHANGE_TYPES,
)


class ActionDecodeError(ValueError):
    """Fields that do not make an action of the kind named: unknown kind, missing or foreign field, wrong type."""


@dataclass(frozen=True, slots=True)
class UnreadableAction:
    """A stored action that decodes to no known kind (a newer version's kind, a hand-edited row).

    Readers skip it as they skipped kinds they did not know, so one odd row never stops a console.
    """

    kind: str
    fields: Mapping[str, FieldValue]
    problem: str


def kind_of(action: OperatorAction | UnreadableAction | type[OperatorAction]) -> str:
    """The tag an action (or a kind of action) is stored under: 'ack', 'step', 'run-start', ..."""
    if isinstance(action, UnreadableAction):
        return action.kind
    cls = action if isinstance(action, type) else type(action)
    if cls not in ACTION_TYPES:
        raise ValueError(f"{cls.__name__} is not an operator action")
    return str(cls.__struct_config__.tag)


ACTION_KINDS = frozenset(kind_of(cls) for cls in ACTION_TYPES)
RUN_ACTION_KINDS = frozenset(kind_of(cls) for cls in RUN_CHANGE_TYPES)


def action_fields(action: OperatorAction) -> dict[str, FieldValue]:
    """The action's own fields as the store keeps them: a flat JSON object without the `kind` tag."""
    fields: dict[str, FieldValue] = msgspec.to_builtins(action)
    del fields["kind"]
    return fields


def action_from_fields(kind: str, fields: Mapping[str, object]) -> OperatorAction:
    """The action of `kind` with `fields`, decoded strictly (raises ActionDecodeError saying what does not fit)."""
    if "kind" in fields:
        raise ActionDecodeError("an action's fields may not contain 'kind'")
    try:
        action: OperatorAction = msgspec.convert({**fields, "kind": kind}, OperatorAction)
    except msgspec.ValidationError as error:
        raise ActionDecodeError(f"not a valid {kind!r} action: {error}") from None
    return action
