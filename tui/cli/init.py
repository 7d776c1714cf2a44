"""`dutyroom init DIR`: a starting site to edit - checks.toml, the playbooks, the trading calendar.

Everything written ships with dutyroom, so it works offline from an installed wheel: the starting checks.toml
beside this module, the demo room's playbooks and calendar (package data, see `tui.demo.shipped`) and the
JSON Schema generated from the config types (as `dutyroom schema` prints it). The site passes `dutyroom check`
as written; its one secret file is reported as not written yet. When any of the files exists already,
nothing is written unless --force.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from tui.cli.common import CommandFailed

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

PACKAGE = __name__.rpartition(".")[0]
STARTING_CONFIG = "starting_checks.toml"
SECRETS_DIR = "secrets"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    init = commands.add_parser(
        "init", help="write a starting site to edit: checks.toml, playbooks and the trading calendar",
        description="Write a starting site into DIRECTORY (created when missing): a commented checks.toml "
        "that watches this machine and shows every other kind of target, the emergency playbooks in English "
        "and Chinese, the exchange calendar and checks.schema.json. Existing files are not overwritten "
        "unless --force.",
    )  # fmt: skip
    init.add_argument("directory", type=Path, help="where the site goes, e.g. /etc/dutyroom")
    init.add_argument("--force", action="store_true", help="overwrite files of the same names")
    init.set_defaults(handler=cmd_init)


def cmd_init(args: argparse.Namespace) -> int:
    site: Path = args.directory
    files = {site / relative: content for relative, content in starting_site()}
    existing = [path for path in files if path.exists() or path.is_symlink()]
    if existing and not args.force:
        others = f" (and {len(existing) - 1} other files)" if len(existing) > 1 else ""
        raise CommandFailed(f"dutyroom init: {existing[0]} exists{others}; --force overwrites")
    try:
        for path, content in files.items():
            _write(path, content)
        (site / SECRETS_DIR).mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise CommandFailed(f"dutyroom init: {error}") from None
    print(f"dutyroom init: wrote {site}: checks.toml, checks.schema.json, playbooks/, calendars/ ({len(files)} files)")
    print(f"next: put the SNMP community in {site / SECRETS_DIR / 'snmp.community'} (chmod 600), edit checks.toml,")
    print(f"then run `dutyroom check --config {site / 'checks.toml'}`")
    return 0


def starting_site() -> Iterator[tuple[PurePosixPath, bytes]]:
    """Every file of a starting site, by its path inside the site's directory."""
    import json
    from importlib.resources import files

    from dutyroom.config.types import json_schema
    from tui.demo.shipped import ROOM, shipped_resource

    yield PurePosixPath("checks.toml"), files(PACKAGE).joinpath(STARTING_CONFIG).read_bytes()
    schema = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    yield PurePosixPath("checks.schema.json"), schema.encode()
    for folder in ("playbooks", "calendars"):
        yield from _tree(shipped_resource(ROOM, folder), PurePosixPath(folder))


def _tree(folder: Traversable, inside: PurePosixPath) -> Iterator[tuple[PurePosixPath, bytes]]:
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.is_dir():
            yield from _tree(entry, inside / entry.name)
        elif entry.is_file():
            yield inside / entry.name, entry.read_bytes()


def _write(path: Path, content: bytes) -> None:
    """A new file at `path`; what was there (with --force), even a symlink, is replaced, never written through."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink() or path.exists():
        path.unlink()
    with path.open("xb") as sink:
        sink.write(content)
