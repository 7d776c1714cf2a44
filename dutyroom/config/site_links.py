"""`[[site_link]]`: the rooms' services a seat watches (issue 17), and the one reading of a site's name and URL.

A seat (a duty manager's laptop, a bastion) keeps its sites in its own checks.toml, so `dutyroom` with no
`--site` opens them all; `--site NAME=URL` on the command line replaces the whole list. The name and URL are
read here, once, for the config check and for `--site` alike (`tui.site_links` builds its links on it).
Only ssh options that carry no secret are offered (a key file's *path*, a jump host, a connect timeout): a
password has no key here, and `BatchMode=yes` means ssh never asks for one.

Standard library and msgspec only: `dutyroom alerts --site` stays a one-liner.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from msgspec import Meta, Struct

from dutyroom.config.durations import DurationError, parse_duration

SITE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
"""What a site may be called: short, one word, safe to show in a column and a banner (SH-DR, main, bj.1)."""
JUMP_HOSTS = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]*@)?[A-Za-z0-9][A-Za-z0-9.-]*(?::\d{1,5})?")
"""One hop of ssh's -J: [user@]host[:port]; never a leading '-', so it cannot be read as an option."""
SSH_ONLY_KEYS = ("identity_file", "jump_host", "connect_timeout")

Problem = tuple[tuple[str | int, ...], str, bool]
"""(key path under checks.toml, message, whether it is placed at the key's value rather than the key)."""


class SiteLinkEntry(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """One `[[site_link]]`: another room's `dutyroom serve` this seat watches and acts on."""

    name: Annotated[
        str,
        Meta(
            description="The site's name in the site column, banners and papers: up to 32 letters, digits, '-',"
            " '_' or '.' (e.g. SH-DR); each name once."
        ),
    ]
    url: Annotated[
        str,
        Meta(
            description="Where the site's service answers: its API socket, its state directory, or"
            " ssh://[user@]host[:port]/path/to/api.sock (runs `dutyroom api-bridge` there as the SSH user)."
        ),
    ]
    identity_file: Annotated[
        str,
        Meta(description="ssh -i: the private key file's path (relative to checks.toml); ssh:// sites only."),
    ] = ""
    jump_host: Annotated[
        str,
        Meta(description="ssh -J: the bastion(s) to go through, [user@]host[:port][,...]; ssh:// sites only."),
    ] = ""
    connect_timeout: Annotated[
        str,
        Meta(description="ssh's ConnectTimeout, e.g. 5s (default: ssh's own); ssh:// sites only."),
    ] = ""


class SiteLinkInvalid(ValueError):  # noqa: N818 - a bad value, reported in one line
    """A `--site` value (or a `[[site_link]]`) that names no site: the message says why, in one line."""


@dataclass(frozen=True)
class SiteAddress:
    """A site URL read: over SSH (`host` set) the socket on that host, else a local socket or state directory."""

    path: Path
    host: str = ""
    user: str = ""
    port: int | None = None


def check_site_name(name: str) -> None:
    if not SITE_NAME.fullmatch(name):
        raise SiteLinkInvalid(f"{name!r}: a site's name is up to 32 letters, digits, '-', '_' or '.'")


def read_site_url(url: str) -> SiteAddress:
    """The URL as an address; SiteLinkInvalid says what is wrong with it. No file is looked at."""
    if url.startswith("ssh://"):
        return _ssh_address(url)
    if "://" in url:
        raise SiteLinkInvalid(f"{url!r}: only ssh:// URLs, socket paths and state directories are sites")
    return SiteAddress(Path(url).expanduser())


def _ssh_address(url: str) -> SiteAddress:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise SiteLinkInvalid(f"{url!r}: the port is not a number from 1 to 65535") from None
    if not parts.hostname or not parts.path.startswith("/") or len(parts.path) < 2:
        raise SiteLinkInvalid(f"{url!r}: an SSH site is ssh://user@host[:port]/absolute/path/to/api.sock")
    if parts.query or parts.fragment or parts.password:
        raise SiteLinkInvalid(f"{url!r}: no password, query or fragment in a site's URL (keys come from ssh)")
    if parts.hostname.startswith("-") or (parts.username or "").startswith("-"):
        raise SiteLinkInvalid(f"{url!r}: a host or user may not start with '-'")
    return SiteAddress(Path(parts.path), parts.hostname, parts.username or "", port)


def ssh_options(entry: SiteLinkEntry, base_dir: Path) -> tuple[str, ...]:
    """The entry's ssh options as ssh arguments (checked values only: see `site_link_problems`)."""
    options: list[str] = []
    if entry.identity_file:
        options += ["-i", str(base_dir / Path(entry.identity_file).expanduser())]
    if entry.jump_host:
        options += ["-J", entry.jump_host]
    if entry.connect_timeout:
        options += ["-o", f"ConnectTimeout={max(1, math.ceil(parse_duration(entry.connect_timeout)))}"]
    return tuple(options)


def site_link_problems(entries: list[SiteLinkEntry]) -> list[Problem]:
    """Every problem of every `[[site_link]]`, each at its key."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        at = ("site_link", index)
        try:
            check_site_name(entry.name)
        except SiteLinkInvalid as error:
            problems.append(((*at, "name"), str(error), True))
        if entry.name in seen:
            problems.append(((*at, "name"), f"site {entry.name!r} is given twice", True))
        seen.add(entry.name)
        try:
            over_ssh = bool(read_site_url(entry.url).host)
        except SiteLinkInvalid as error:
            problems.append(((*at, "url"), str(error), True))
            continue
        problems += _ssh_option_problems(entry, at, over_ssh=over_ssh)
    return problems


def _ssh_option_problems(entry: SiteLinkEntry, at: tuple[str | int, ...], *, over_ssh: bool) -> list[Problem]:
    given = [key for key in SSH_ONLY_KEYS if getattr(entry, key)]
    if given and not over_ssh:
        return [((*at, given[0]), "identity_file, jump_host and connect_timeout are for ssh:// sites only", False)]
    problems: list[Problem] = []
    if entry.jump_host and not all(JUMP_HOSTS.fullmatch(hop) for hop in entry.jump_host.split(",")):
        problems.append(((*at, "jump_host"), f"jump_host {entry.jump_host!r} is not [user@]host[:port][,...]", True))
    if entry.identity_file.startswith("-"):
        problems.append(((*at, "identity_file"), "identity_file may not start with '-'", True))
    if entry.connect_timeout:
        try:
            if parse_duration(entry.connect_timeout) <= 0:
                problems.append(((*at, "connect_timeout"), "'connect_timeout' must be longer than 0s", True))
        except DurationError as error:
            problems.append(((*at, "connect_timeout"), str(error), True))
    return problems
