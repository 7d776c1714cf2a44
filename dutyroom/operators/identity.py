"""Who is at the keyboard: the login user, who they sudo'ed from, and the SSH client address.

The user name comes from the effective uid (the kernel's word); SUDO_USER and SSH_CONNECTION come from the
environment, which the user controls, so they are recorded as reported context, not as proof.
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
    return Identity(
        user=login_user(env),
        sudo_user=clean_text(env.get("SUDO_USER", ""), NAME_LIMIT),
        ssh_client=ssh_client_address(env),
    )


def login_user(environ: Mapping[str, str]) -> str:
    """The effective user's name; LOGNAME or USER when the uid has no passwd entry (e.g. in a container)."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        pass
    for variable in ("LOGNAME", "USER"):
        name = clean_text(environ.get(variable, ""), NAME_LIMIT)
        if name:
            return name
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
