"""The `dutyroom` command line: one entry point, one small module per family of commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.cli import actions as cli_actions
from tui.cli import api_bridge as cli_api_bridge
from tui.cli import calendar as cli_calendar
from tui.cli import check as cli_check
from tui.cli import demo as cli_demo
from tui.cli import duties as cli_duties
from tui.cli import handover as cli_handover
from tui.cli import init as cli_init
from tui.cli import probe as cli_probe
from tui.cli import profile as cli_profile
from tui.cli import runs as cli_runs
from tui.cli import serve as cli_serve
from tui.cli import site_status as cli_site_status
from tui.cli import status as cli_status
from tui.cli.common import CommandFailed, add_common_options

if TYPE_CHECKING:
    from dutyroom.room import Room
    from tui.launch import ConsoleOptions
    from tui.service_client import ServiceClient
    from tui.site_links import SiteLink


class _PrintVersion(argparse.Action):
    """`--version`: the installed distribution's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("dutyroom")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        print(f"dutyroom {found}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    add_common_options(common, for_subcommand=True)
    parser = argparse.ArgumentParser(prog="dutyroom", description="Machine-room duty console.")
    add_common_options(parser)
    parser.add_argument("--version", action=_PrintVersion)
    parser.add_argument("--lang", choices=["en", "zh"], help="interface language (default: checks.toml's)")
    parser.add_argument(
        "--ascii", action="store_true", help="ASCII borders and symbols (double-width fonts; default on TERM=linux)"
    )
    parser.add_argument(
        "--remote",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="remote profile (default: on when SSH_CONNECTION is set)",
    )
    parser.add_argument("--no-bell", action="store_true", help="do not ring the terminal bell")
    parser.add_argument(
        "--mouse",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="mouse support (default: off in the remote profile)",
    )
    parser.add_argument("--live-clock", action="store_true", help="repaint the clock every second")
    parser.add_argument(
        "--poll",
        action="store_true",
        help="poll from this console even on a state directory `dutyroom serve` owns, while it is down "
        "(default: wait for it; a directory no serve ever polled is polled by its first console anyway)",
    )
    parser.add_argument(
        "--16-colors",
        dest="sixteen_colors",
        action="store_true",
        default=None,
        help="use the 16-colour theme (default: from TERM)",
    )
    parser.add_argument(
        "--site",
        dest="console_sites",
        action="append",
        metavar="NAME=URL",
        help="watch this site's serve (repeatable): a socket, a state directory or ssh://user@host/path/api.sock",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_check.register(commands, common)
    cli_calendar.register(commands, common)
    cli_actions.register(commands, common)
    cli_runs.register(commands, common)
    cli_serve.register(commands, common)
    cli_handover.register(commands, common)
    cli_probe.register(commands, common)
    cli_profile.register(commands, common)
    cli_status.register(commands, common)
    cli_site_status.extend(commands.choices["status"])
    cli_duties.register(commands, common)
    cli_demo.register(commands, common)
    cli_init.register(commands, common)
    cli_api_bridge.register(commands, common)
    return parser


def cmd_console(args: argparse.Namespace) -> int:
    """The console on the room's state directory: the poller itself on a fresh directory, else a viewer of
    the poller that owns it (see `tui.launch.claim_polling`). While checks.toml is broken it starts from the
    poller's published configuration."""
    from dutyroom.store.lock import StateLocked
    from dutyroom.store.records import StoreError
    from tui.cli.common import load_or_fail
    from tui.cli.seat import room_or_fail, seat_config, seat_room, seat_sites
    from tui.launch import ConsoleOptions, run_console

    options = ConsoleOptions(
        language=args.lang or "",
        ascii_only=args.ascii,
        remote=args.remote,
        bell=False if args.no_bell else None,
        mouse=args.mouse,
        live_clock=args.live_clock,
        sixteen_colors=args.sixteen_colors,
    )
    # the poller's published configuration while checks.toml is broken; with --site, checks.toml is optional
    config = seat_config(args.config, args.state) if args.console_sites else load_or_fail(args.config, args.state)
    if args.console_sites or (config is not None and config.parsed.site_link):  # a seat: --site, else [[site_link]]
        return _console_on_sites(seat_room(config), seat_sites(args.console_sites, config, "dutyroom"), options)
    room = room_or_fail(config)
    if not args.poll and (service := _service_for_console(args)) is not None:
        from tui.launch import run_console_through_service

        return run_console_through_service(room, service, options)
    try:
        return run_console(room, args.state, options, poll=args.poll)
    except (StateLocked, StoreError) as error:
        raise CommandFailed(str(error)) from None


def _console_on_sites(room: Room, links: list[SiteLink], options: ConsoleOptions) -> int:
    """The console on several sites' services (`tui.site_source`)."""
    from tui.site_launch import run_console_on_sites

    return run_console_on_sites(room, links, options)


def _service_for_console(args: argparse.Namespace) -> ServiceClient | None:
    """The serve that owns the room, when one answers on its socket (see `tui.cli.common.client_socket`)."""
    from tui.cli.service_door import service_or_none

    return service_or_none(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = cmd_console
    try:
        status: int = handler(args)
    except CommandFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except Exception as error:
        from dutyroom.store.records import StoreError

        if not isinstance(error, StoreError):
            raise
        print(error, file=sys.stderr)  # "<db path>: could not record the ack: database or disk is full"
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
