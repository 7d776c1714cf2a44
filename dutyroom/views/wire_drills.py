"""The service API's drill messages (docs/api.md, `POST /v1/drills`): a console's `d` through the socket.

A drill is not an action a client submits as it is (`/v1/actions` refuses `drill` and `run-start`): the
service plans it against its own run book and playbooks, as the desk of a standalone console does, and answers
with the `run-start` it recorded.
"""

from __future__ import annotations

import msgspec

from dutyroom.actions_model import OperatorAction


class DrillPost(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """POST /v1/drills: start a drill of `playbook`, on the alert the console had selected (its fingerprint)."""

    playbook: str
    alert: str = ""


class DrillStarted(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """The drill's recorded `run-start` (its `run` names the new run) and the action's id."""

    id: int
    action: OperatorAction
