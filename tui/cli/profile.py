"""`dutyroom profile check FILE` and `dutyroom profile try FILE snmp://...`: help for writing a device profile.

`check` loads the profile as discovery and polling would and reports the first problem as file:line:col;
`try` polls one device once with it and prints what it decodes, before the file goes into a site's
`profiles/` folder. The format is documented in collectors/profiles/README.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.cli.common import CommandFailed


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    profile = commands.add_parser("profile", help="check a device profile, or try it on one device")
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate a profile file (OIDs, expressions, units, enum maps)")
    check.add_argument("file", type=Path, help="the profile (NAME.toml)")
    check.set_defaults(handler=cmd_profile_check)
    attempt = actions.add_parser("try", help="poll one device once with a profile file and print the metrics")
    attempt.add_argument("file", type=Path, help="the profile (NAME.toml)")
    attempt.add_argument("url", help="snmp://[community@]host[:port]")
    attempt.add_argument("--json", action="store_true", help="one JSON object per metric")
    from tui.cli.probe import secret_options

    secret_options(attempt)
    attempt.set_defaults(handler=cmd_profile_try)


def cmd_profile_check(args: argparse.Namespace) -> int:
    from collectors.snmp.profiles_check import checked_profile

    profile, problem = checked_profile(args.file)
    if problem is not None:
        print(problem)
        return 1
    assert profile is not None
    counts = f"{len(profile.scalars)} scalars, {len(profile.tables)} tables, {len(profile.metric_names)} metrics"
    detect = "detected by " + ", ".join(
        [*(f"OID {'.'.join(map(str, oid))}" for oid in profile.detect.oids)]
        + [f"sysObjectID {'.'.join(map(str, oid))}*" for oid in profile.detect.sys_object_ids]
    )
    if not profile.detect.oids and not profile.detect.sys_object_ids:
        detect = "no [detect]: discover never proposes it (a target must name it)"
    print(f"ok: {profile.name}: {counts}; {detect}")
    return 0


def cmd_profile_try(args: argparse.Namespace) -> int:
    from collectors.snmp.profiles_check import checked_profile
    from tui.cli.probing import run_profile_try

    profile, problem = checked_profile(args.file)
    if problem is not None:
        raise CommandFailed(str(problem))
    assert profile is not None
    return run_profile_try(args, profile)
