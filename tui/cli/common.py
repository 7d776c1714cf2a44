"""What every command shares: where config and state live, and loading them with clear errors.

Imports only the standard library at module level: building the parser (and `--help`) must stay cheap.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutyroom.config.load import LoadedConfig
    from dutyroom.store.database import Store


class CommandFailed(Exception):  # noqa: N818 - carries the message and exit status of a failed command
    """A command that cannot go on: the message is printed (no traceback) and the exit status is 1."""


def add_common_options(parser: argparse.ArgumentParser, *, for_subcommand: bool = False) -> None:
    """--config and --state; a subcommand's copies default to 'not given' so the top level's values stand."""
    config_default: object = Path(os.environ.get("DUTYROOM_CONFIG", "checks.toml"))
    state_default: object = Path(os.environ.get("DUTYROOM_STATE", ".state"))
    if for_subcommand:
        config_default = state_default = argparse.SUPPRESS
    parser.add_argument(
        "--config",
        type=Path,
        default=config_default,
        help="checks.toml to use (default: ./checks.toml or $DUTYROOM_CONFIG)",
    )
    parser.add_argument(
        "--state",
        type=Path,
        default=state_default,
        help="state directory (default: ./.state or $DUTYROOM_STATE)",
    )


def load_or_fail(path: Path) -> LoadedConfig:
    from dutyroom.config.load import load_config
    from dutyroom.config.problems import ConfigError

    try:
        return load_config(path)
    except ConfigError as error:
        raise CommandFailed(str(error)) from None


def open_store(state: Path) -> Store:
    from dutyroom.store.database import Store

    try:
        return Store.open(state)
    except Exception as error:
        raise CommandFailed(f"cannot open state directory {state}: {error}") from None


def open_existing_store(state: Path, *, read_only: bool = True) -> Store:
    """The store of a state directory that must exist: read commands never create one (a mistyped --state, or
    DUTYROOM_CONFIG set without DUTYROOM_STATE, would otherwise read as an empty, all-clear room)."""
    from dutyroom.store.database import Store
    from dutyroom.store.records import StoreError

    try:
        return Store.open_existing(state, read_only=read_only)
    except StoreError as error:
        raise CommandFailed(f"{error} (give the room's state directory with --state or $DUTYROOM_STATE)") from None


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1
