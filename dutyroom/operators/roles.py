"""Roles from config: operators act, viewers look. Users are named directly or as `@unixgroup`."""

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
    user = identity.sudo_user or identity.user
    names = {identity.user, user}
    if any(_listed(name, roles.viewers, groups_of) for name in names):
        return "viewer"
    if not roles.operators or any(_listed(name, roles.operators, groups_of) for name in names):
        return "operator"
    return "viewer"
