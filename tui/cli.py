"""The `dutyroom` command line: one entry point, one small module per family of commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tui import cli_actions, cli_check, cli_serve
from tui.cli_common import CommandFailed, add_common_options


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    add_common_options(common, for_subcommand=True)
    parser = argparse.ArgumentParser(prog="dutyroom", description="Machine-room duty console.")
    add_common_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_check.register(commands, common)
    cli_actions.register(commands, common)
    cli_serve.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        status: int = handler(args)
    except CommandFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
