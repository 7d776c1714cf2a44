"""What every command shares: where config and state live, and loading them with clear errors.

Imports only the standard library at module level: building the parser (and `--help`) must stay cheap.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutyroom.config.load import LoadedConfig
    from dutyroom.room import Room
    from dutyroom.store.database import Store


SOCKET_NAME = "api.sock"
SYSTEM_STATE = Path("/var/lib/dutyroom")
SYSTEM_SOCKET = Path("/run/dutyroom") / SOCKET_NAME
"""A system install's places (systemd's StateDirectory= and RuntimeDirectory=): a client on the system state
directory finds the service's socket in the runtime directory."""


class CommandFailed(Exception):  # noqa: N818 - carries the message and exit status of a failed command
    """A command that cannot go on: the message is printed (no traceback) and the exit status is 1."""


def add_common_options(parser: argparse.ArgumentParser, *, for_subcommand: bool = False) -> None:
    """--config and --state; a subcommand's copies default to 'not given' so the top level's values stand."""
    config_default: object = default_config()
    state_default: object = default_state()
    if for_subcommand:
        config_default = state_default = argparse.SUPPRESS
    parser.add_argument(
        "--config",
        type=Path,
        default=config_default,
        help="checks.toml to use (default: $DUTYROOM_CONFIG, else $CONFIGURATION_DIRECTORY/checks.toml under "
        "systemd, else ./checks.toml)",
    )
    parser.add_argument(
        "--state",
        type=Path,
        default=state_default,
        help="state directory (default: $DUTYROOM_STATE, else $STATE_DIRECTORY under systemd, else ./.state)",
    )
    parser.add_argument(
        "--socket",
        type=Path,
        default=argparse.SUPPRESS if for_subcommand else None,
        help=f"the service's API socket (default: $DUTYROOM_SOCKET, else STATE/{SOCKET_NAME}, "
        f"else {SYSTEM_SOCKET} for {SYSTEM_STATE})",
    )


def default_config(environ: Mapping[str, str] | None = None) -> Path:
    """$DUTYROOM_CONFIG, else checks.toml in systemd's ConfigurationDirectory= (/etc/dutyroom), else ./checks.toml."""
    env = os.environ if environ is None else environ
    if given := env.get("DUTYROOM_CONFIG"):
        return Path(given)
    configuration = _systemd_directory(env, "CONFIGURATION_DIRECTORY")
    return Path(configuration) / "checks.toml" if configuration else Path("checks.toml")


def default_state(environ: Mapping[str, str] | None = None) -> Path:
    """$DUTYROOM_STATE, else systemd's StateDirectory= (/var/lib/dutyroom), else ./.state."""
    env = os.environ if environ is None else environ
    return Path(env.get("DUTYROOM_STATE") or _systemd_directory(env, "STATE_DIRECTORY") or ".state")


def _systemd_directory(env: Mapping[str, str], name: str) -> str:
    """The first of the directories systemd names in `name` (set only for a unit asking for them), or ""."""
    return env.get(name, "").split(":")[0]


def client_socket(args: argparse.Namespace, environ: Mapping[str, str] | None = None, configured: str = "") -> Path:
    """Where a client looks for `dutyroom serve`'s socket: --socket, $DUTYROOM_SOCKET, checks.toml's
    `[service] socket`, the state directory's, or the system install's runtime directory when the state
    directory is the system one."""
    env = os.environ if environ is None else environ
    given = getattr(args, "socket", None) or env.get("DUTYROOM_SOCKET") or configured
    if given:
        return Path(given)
    state = Path(args.state)
    if state.resolve() == SYSTEM_STATE and not (state / SOCKET_NAME).exists():
        return SYSTEM_SOCKET
    return state / SOCKET_NAME


def service_socket(args: argparse.Namespace, environ: Mapping[str, str] | None = None, configured: str = "") -> Path:
    """Where `dutyroom serve` listens: --socket, $DUTYROOM_SOCKET, checks.toml's `[service] socket`, systemd's
    $RUNTIME_DIRECTORY, the state directory."""
    env = os.environ if environ is None else environ
    given = getattr(args, "socket", None) or env.get("DUTYROOM_SOCKET") or configured
    if given:
        return Path(given)
    runtime = _systemd_directory(env, "RUNTIME_DIRECTORY")
    return Path(runtime) / SOCKET_NAME if runtime else Path(args.state) / SOCKET_NAME


def load_or_fail(path: Path, state: Path | None = None) -> LoadedConfig:
    """checks.toml for a command that reads the state or records actions: no device secret is read.

    When the file does not load and the poller has published the configuration it runs in `state`, that one
    is used and a note on stderr says so (the poller keeps running it until the file is fixed); otherwise the
    file's problems are the command's error.
    """
    from dutyroom.config.load import load_config
    from dutyroom.config.problems import ConfigError

    try:
        return load_config(path, resolve_secrets=False)
    except ConfigError as error:
        if state is not None and (published := _published_instead(path, state, error)) is not None:
            return published
        raise CommandFailed(str(error)) from None


def room_or_fail(path: Path, state: Path) -> Room:
    """checks.toml (or the poller's published configuration, as `load_or_fail`) with the playbooks beside it."""
    from dutyroom.room import room_of

    room, problems = room_of(load_or_fail(path, state))
    if room is None:
        raise CommandFailed("\n".join(str(problem) for problem in problems))
    return room


_noted: set[Path] = set()
"""Published configurations already announced on stderr (`ack` loads the configuration twice)."""


def _published_instead(path: Path, state: Path, error: Exception) -> LoadedConfig | None:
    from datetime import datetime

    from dutyroom.config.problems import ConfigError
    from dutyroom.config.published import PublishedConfigError, read_published

    try:
        published = read_published(state)
    except PublishedConfigError:
        return None
    problems = error.problems if isinstance(error, ConfigError) else []
    first = str(problems[0]) if problems else str(error)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    if state in _noted:
        return published.config
    _noted.add(state)
    when = datetime.fromtimestamp(published.published_at, published.config.timezone).strftime("%Y-%m-%d %H:%M:%S")
    print(
        f"dutyroom: {path} does not load: {first}{more}\n"
        f"dutyroom: using the last good configuration, published by the poller at {when} from {published.source}",
        file=sys.stderr,
        flush=True,
    )
    return published.config


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
    except PermissionError as error:  # a client of the service's room, without the team's read access
        raise CommandFailed(
            f"{state}: cannot read the state directory ({error.strerror}): read the room through its serve's socket"
        ) from None


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1
