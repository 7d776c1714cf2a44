"""`dutyroom demo`: the simulated machine room on loopback, with a scripted incident or a drill.

Without --config, and with no checks.toml in the working directory, the demo runs the room shipped inside the
package, so an installed dutyroom shows its demo from any directory.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from tui.cli.common import CommandFailed, add_common_options

DEFAULT_CONFIG = Path("checks.toml")
"""What --config is when neither the option nor $DUTYROOM_CONFIG names a file (see tui.cli.common)."""


class _DrillNames:
    """The drill names for argparse's `choices`, read from the demo only when a demo command is parsed."""

    def _names(self) -> list[str]:
        from tui.demo.drills import DRILLS

        return sorted(DRILLS)

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser(
        "demo", parents=[common], help="a simulated machine room with a scripted incident (or a drill)",
        description="Start a simulated machine room on loopback (snmpsim devices, an order gateway, a "
        "market-data server, exchange lines, traps) and watch it with the real collectors and rules. "
        "--config names the room (default: ./checks.toml, or the shipped room where there is none); the "
        "run's own copy is written into --state.",
    )  # fmt: skip
    demo.add_argument("--headless", action="store_true", help="no console: poll and evaluate only")
    demo.add_argument("--seconds", type=_positive, help="stop after this many seconds")
    demo.add_argument(
        "--clock-speed", type=_positive, default=1.0, metavar="X",
        help="play the scripted incident X times faster (devices are still polled at their interval)",
    )  # fmt: skip
    demo.add_argument(
        "--drill", action="append", default=[], choices=_DrillNames(), metavar="NAME",
        help="inject this emergency instead of the scripted incident (repeatable): %(choices)s",
    )  # fmt: skip
    demo.add_argument("--lang", choices=["en", "zh"], default="", help="console language")
    demo.add_argument(
        "--clock-start", default="", metavar="TIME",
        help="run the demo on a simulated clock from TIME: HH:MM on the next trading day (e.g. 08:10, to watch "
        "the pre-open check fill in), or an ISO date-time; other shells keep the real clock",
    )  # fmt: skip
    demo.add_argument("--playbooks", type=Path, help="playbooks directory (default: beside --config)")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from tui.demo.director import UnknownDrill
    from tui.demo.runner import DemoError, DemoOptions, run_demo

    options = DemoOptions(
        room_config=room_config(args.config),
        state=args.state.resolve(),  # snmpsim runs in another directory: relative paths would miss
        headless=args.headless,
        seconds=args.seconds,
        clock_speed=args.clock_speed,
        drills=tuple(dict.fromkeys(args.drill)),
        language=args.lang,
        playbooks=args.playbooks,
        clock_start=args.clock_start,
    )
    try:
        return run_demo(options)
    except (DemoError, UnknownDrill) as error:
        raise CommandFailed(f"dutyroom demo: {error}") from None


def room_config(given: Path) -> Path:
    """`given`, or the shipped room when `given` is the default ./checks.toml and there is none here."""
    if given != DEFAULT_CONFIG or given.exists():
        return given
    from tui.demo.shipped import NotOnDisk, shipped_config

    try:
        return shipped_config()
    except NotOnDisk as error:
        raise CommandFailed(f"dutyroom demo: {error}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tui.cli.demo ...`: the same command where tui/cli/main.py does not register it (yet)."""
    common = argparse.ArgumentParser(add_help=False)
    add_common_options(common, for_subcommand=True)
    parser = argparse.ArgumentParser(prog="dutyroom")
    add_common_options(parser)
    register(parser.add_subparsers(dest="command", required=True), common)
    args = parser.parse_args(["demo", *(sys.argv[1:] if argv is None else argv)])
    try:
        status: int = args.handler(args)
    except CommandFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
