"""Roles from config: operators act, viewers look. Users are named directly or as `@unixgroup`.

Only the verified user (`Identity.user`, a uid's name) is looked up: SUDO_USER is reported context and a
viewer cannot become an operator by setting it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from dutyroom.config.types import Roles
from dutyroom.model import Identity
from dutyroom.operators.identity import user_groups

Role = Literal["operator", "viewer"]


def _listed(user: str, entries: list[str], groups_of: Callable[[str], set[str]]) -> bool:
    if user in entries:
        return True
    wanted = {entry[1:] for entry in entries if entry.startswith("@")}
    return bool(wanted and wanted & groups_of(user))


def role_of(identity: Identity, roles: Roles, groups_of: Callable[[str], set[str]] = user_groups) -> Role:
    """A listed viewer is a viewer; otherwise an operator if listed (or if no operators are configured)."""
    if _listed(identity.user, roles.viewers, groups_of):
        return "viewer"
    if not roles.operators or _listed(identity.user, roles.operators, groups_of):
        return "operator"
    return "viewer"
