"""`dutyroom probe URL` and `dutyroom discover HOST`: poll one device once; suggest a checks.toml stanza.

Secrets come from options that name an environment variable or a file, never from argument text (a community
in an snmp:// URL is accepted for lab devices such as `public`).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def secret_options(parser: argparse.ArgumentParser) -> None:
    for name in ("community", "auth-key", "priv-key", "token"):
        parser.add_argument(f"--{name}-env", metavar="VAR", help=f"read the {name} from this environment variable")
        parser.add_argument(f"--{name}-file", metavar="PATH", type=Path, help=f"read the {name} from this file (0600)")
    parser.add_argument("--v3-user", default="", help="SNMPv3 user (implies version 3)")
    parser.add_argument("--auth", default="", help="SNMPv3 auth protocol, e.g. SHA-256")
    parser.add_argument("--priv", default="", help="SNMPv3 privacy protocol, e.g. AES-128")
    parser.add_argument("--snmp-version", choices=["1", "2c", "3"], help="default 2c, or 3 with --v3-user")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per attempt")
    parser.add_argument("--retries", type=int, default=1)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    probe = commands.add_parser("probe", help="poll one device once and print the decoded metrics")
    probe.add_argument("url", help="snmp://[community@]host[:port], http(s)://..., or tcp://host:port")
    probe.add_argument("--profile", default="", help="SNMP profile name (see collectors/profiles/)")
    probe.add_argument("--field", action="append", default=[], metavar="METRIC=PATH", help="HTTP JSON field")
    probe.add_argument("--prom", action="append", default=[], metavar="METRIC=FAMILY", help="Prometheus series")
    probe.add_argument("--json", action="store_true", help="one JSON object per metric")
    secret_options(probe)
    probe.set_defaults(handler=cmd_probe)

    found = commands.add_parser("discover", help="walk a device and print a checks.toml stanza for it")
    found.add_argument("hosts", nargs="+", metavar="HOST[:PORT]")
    found.add_argument("--credentials", default="", help="name of the [credentials] table to reference")
    secret_options(found)
    found.set_defaults(handler=cmd_discover)


def cmd_probe(args: argparse.Namespace) -> int:
    from tui.cli.probing import run_probe

    return run_probe(args)


def cmd_discover(args: argparse.Namespace) -> int:
    from tui.cli.probing import run_discover

    return run_discover(args)
