"""Where the files dutyroom ships live: package data of `tui.demo`, found through importlib.resources.

The demo room (checks.toml, playbooks/, calendars/) and the device recordings travel inside the wheel, so the
demo and `dutyroom init` work from any directory; the repository's top-level checks.toml, playbooks/,
calendars/ and demo/devices are links to these same files (one copy of each).
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

ROOM = "shipped_room"
"""The demo room, laid out as a site lays out its own: checks.toml with playbooks/ and calendars/ beside it."""
DEVICES = "devices"
"""One snmpsim recording per simulated device (`<device>.snmprec`)."""
CONFIG_NAME = "checks.toml"
PACKAGE = __name__.rpartition(".")[0]


class NotOnDisk(RuntimeError):  # noqa: N818 - names the condition, like FileNotFoundError
    """The package was imported from somewhere other than plain files (a zip), where snmpsim cannot read."""


def shipped_resource(*parts: str) -> Traversable:
    """A shipped file or folder to read (for copying it somewhere else)."""
    return files(PACKAGE).joinpath(*parts)


def on_disk(resource: Traversable) -> Path:
    """`resource` as a path: the demo gives these to snmpsim and links them from its state directory."""
    if not isinstance(resource, Path):
        raise NotOnDisk(f"{resource} is not a file on disk: install dutyroom as files (pip install), not zipped")
    return resource


def shipped_room() -> Path:
    """The folder of the demo room's checks.toml."""
    return on_disk(shipped_resource(ROOM))


def shipped_config() -> Path:
    """The demo room's checks.toml, the example a site copies."""
    return shipped_room() / CONFIG_NAME


def shipped_devices() -> Path:
    """The folder of the simulated devices' recordings."""
    return on_disk(shipped_resource(DEVICES))
