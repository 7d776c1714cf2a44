"""The seat: the console's own checks.toml, read for the sites it watches and the language it speaks.

A seat that only watches sites (a duty manager's laptop, a bastion) may have no checks.toml at all, or one
with `[site]` and `[[site_link]]` alone. `--site NAME=URL` on the command line replaces the configured list.
Standard library at module level (`tui.cli` imports stay light).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed, load_or_fail

if TYPE_CHECKING:
    from dutyroom.config.load import LoadedConfig
    from dutyroom.room import Room
    from tui.site_links import SiteLink

NO_CONFIG = "(no checks.toml: a seat on sites only)"
"""Where problems of the built-in seat configuration would be reported (it has none)."""


def seat_config(path: Path, state: Path | None = None) -> LoadedConfig | None:
    """The seat's checks.toml when there is one (it must be valid: its problems are the command's error)."""
    return load_or_fail(path, state) if path.exists() else None


def seat_room(config: LoadedConfig | None) -> Room:
    """The room a console on sites starts from: the seat's checks.toml and playbooks, or, with no checks.toml,
    a seat named after the host with no targets and no playbooks (the sites' services hold their own)."""
    import socket

    from dutyroom.config.load import load_config_document
    from dutyroom.playbooks.library import PlaybookLibrary
    from dutyroom.room import Room, playbooks_dir_for

    if config is None:
        document = {"site": {"name": socket.gethostname() or "seat"}}
        return Room(load_config_document(document, Path.cwd() / "checks.toml", source=NO_CONFIG), PlaybookLibrary())
    if not playbooks_dir_for(config.path).is_dir():
        return Room(config, PlaybookLibrary())  # a seat's checks.toml may be [site] and [[site_link]] alone
    return room_or_fail(config)


def room_or_fail(config: LoadedConfig | None) -> Room:
    """The room of a checks.toml already loaded, with the playbooks beside it: they must load too."""
    from dutyroom.room import room_of

    if config is None:
        raise CommandFailed("dutyroom: no checks.toml (give --config, or --site to watch sites only)")
    room, problems = room_of(config)
    if room is None:
        raise CommandFailed("\n".join(str(problem) for problem in problems))
    return room


def seat_sites(given: list[str] | None, config: LoadedConfig | None, command: str) -> list[SiteLink]:
    """`--site` values when any are given, else the config's `[[site_link]]`; a bad one is one line."""
    from tui.site_links import SiteLinkInvalid, configured_site_links, parse_site_links

    try:
        if given:
            return parse_site_links(given)
        return configured_site_links(config.parsed.site_link, config.base_dir) if config is not None else []
    except SiteLinkInvalid as error:
        raise CommandFailed(f"{command}: --site {error}") from None


def chosen_sites(args: argparse.Namespace, command: str) -> list[SiteLink]:
    """The sites a command acts on: its `--site` values, else (with `--all-sites`) the seat's `[[site_link]]`."""
    given = getattr(args, "site", None)
    links = seat_sites(given, seat_config(args.config) if not given else None, command)
    if not links:
        missing = "does not exist (a seat lists its rooms there)"
        where = "has no [[site_link]]" if Path(args.config).exists() else missing
        raise CommandFailed(f"{command}: --all-sites: {args.config} {where}")
    return links


def seat_language(chosen: str | None, config: LoadedConfig | None) -> str:
    """--lang, else the seat config's language, else "" (each site's service writes in its own)."""
    return chosen or (config.parsed.site.language if config is not None else "")
