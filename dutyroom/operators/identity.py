"""Who is at the keyboard: the user the kernel names, plus what the environment reports (SUDO_USER, SSH address).

The person is always a uid's name: this process's effective uid, or the peer uid `dutyroom serve` reads from a
client's socket (SO_PEERCRED). SUDO_USER and SSH_CONNECTION come from an environment the user controls, so they
are recorded as reported context and never decide a person or a role.
"""

from __future__ import annotations

import grp
import ipaddress
import os
import pwd
from collections.abc import Mapping

from dutyroom.model import Identity
from dutyroom.textclean import clean_text

NAME_LIMIT = 64
"""Longest user name or address kept; anything longer is truncated by `clean_text`."""


def current_identity(environ: Mapping[str, str] | None = None) -> Identity:
    """The identity of this process's operator (roles are assigned later, from the configuration)."""
    env = os.environ if environ is None else environ
    return identity_of_uid(os.geteuid(), reported_context(env))


def identity_of_uid(uid: int, context: Mapping[str, str]) -> Identity:
    """The person a uid is, with the context its process reported (`reported_context`) kept as unverified."""
    return Identity(
        user=user_name(uid),
        sudo_user=clean_text(context.get("sudo_user", ""), NAME_LIMIT),
        ssh_client=_clean_address(context.get("ssh_client", "")) if context.get("ssh_client") else "",
    )


def reported_context(environ: Mapping[str, str]) -> dict[str, str]:
    """What a process's environment says about where it came from: recorded, never trusted."""
    return {"sudo_user": environ.get("SUDO_USER", ""), "ssh_client": ssh_client_address(environ)}


def user_name(uid: int) -> str:
    """The uid's passwd name, or `uid-N` when it has none: LOGNAME and USER are the user's to set, so never used."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid-{uid}"


def ssh_client_address(environ: Mapping[str, str]) -> str:
    """The client address from SSH_CONNECTION (or the older SSH_CLIENT): its first field, or ""."""
    for variable in ("SSH_CONNECTION", "SSH_CLIENT"):
        fields = environ.get(variable, "").split()
        if fields:
            return _clean_address(fields[0])
    return ""


def user_groups(user: str) -> set[str]:
    """Names of the user's primary and supplementary groups; empty for an unknown user."""
    try:
        primary_gid = pwd.getpwnam(user).pw_gid
    except KeyError:
        return set()
    try:
        gids = set(os.getgrouplist(user, primary_gid))
    except OSError:
        gids = {primary_gid} | {group.gr_gid for group in grp.getgrall() if user in group.gr_mem}
    names: set[str] = set()
    for gid in gids:
        try:
            names.add(grp.getgrgid(gid).gr_name)
        except KeyError:
            continue  # a gid without a group entry has no name a role could refer to
    return names


def _clean_address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.split("%", 1)[0]))
    except ValueError:
        return clean_text(text, NAME_LIMIT)
