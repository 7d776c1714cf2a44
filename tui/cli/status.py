"""`dutyroom status`: is a poller alive on this state directory, did the last reload work, how is polling."""

from __future__ import annotations

import argparse
import json
import time

from tui.cli.common import CommandFailed, load_or_fail, open_store

HEARTBEAT_FRESH_S = 10.0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    status = commands.add_parser("status", parents=[common], help="poller, reload and collector health")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    from dutyroom.store.beacon import read_beacon
    from dutyroom.store.lock import poller_is_running
    from dutyroom.views.alerts import collector_health
    from dutyroom.views.snapshot import read_engine_state

    now = time.time()
    try:
        config = load_or_fail(args.config)
    except CommandFailed as failure:
        config, config_problem = None, str(failure).splitlines()[0]
    else:
        config_problem = ""
    with open_store(args.state) as store:
        heartbeat = store.read_heartbeat()
        reload_status = store.get_meta("reload_status") or ""
        health = collector_health(config, read_engine_state(store).health, now) if config else None
    beacon = read_beacon(args.state)
    running = poller_is_running(args.state)
    alive = running and heartbeat is not None and heartbeat.is_fresh(now, HEARTBEAT_FRESH_S)
    report = {
        "poller": "alive" if alive else ("locked, no heartbeat" if running else "not running"),
        "poller_pid": heartbeat.pid if heartbeat else None,
        "heartbeat_age_s": round(heartbeat.age(now), 1) if heartbeat else None,
        "reload": reload_status or "ok",
        "config": config_problem or "ok",
        "store": (beacon.store_problem if beacon else "") or "ok",
        "listeners": "; ".join(beacon.listener_problems if beacon else ()) or "ok",
        "targets": health.targets if health else None,
        "on_time": health.on_time if health else None,
        "stale": health.stale if health else None,
        "failing": health.failing if health else None,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for key, value in report.items():
            print(f"{key:<16} {value}")
    return 0
