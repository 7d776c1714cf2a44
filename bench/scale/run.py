"""A room of many SNMP devices: net-snmp snmpd agents on loopback, `dutyroom serve` polling them all.

    python bench/scale/run.py [--targets 2000] [--agents 4] [--v3-share 0.5] [--interval 10] [--seconds 60]

Starts `--agents` snmpd processes (snmpsim is too slow to be the agent at this scale, PERFORMANCE.md), writes a
checks.toml with `--targets` SNMP targets spread over them (v2c and SNMPv3 authPriv SHA-256/AES-128 mixed, the
if-mib profile), runs the real `serve` and prints, per interval: the poller's CPU % of one core, its RSS, how
many targets got samples in that interval, and the stale count the service itself reports (every agent is up,
so every stale target is a false one); then the first-pass time (start to the last target's first sample).
Then prometheus-snmp-exporter scraping the same targets once per interval, for its CPU. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "integration")]

from snmp_agents import Agent, free_udp_port, start_snmpd  # type: ignore[import-not-found]  # noqa: E402

CLK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
USER = ("bench3", ("SHA-256", "bench-auth-key", "AES", "bench-priv-key"))
EXPORTER = Path("/usr/bin/prometheus-snmp-exporter")


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20


def write_room(folder: Path, agents: list[Agent], targets: int, v3_share: float, interval: int) -> Path:
    secrets = folder / "secrets"
    secrets.mkdir(mode=0o700)
    for name, value in (("community", "public"), ("auth", USER[1][1]), ("priv", USER[1][3])):
        path = secrets / name
        path.write_text(value)
        path.chmod(0o600)
    (folder / "playbooks").mkdir()
    lines = [
        "[site]", 'name = "scale bench"', "",
        "[defaults]", f'interval = "{interval}s"', 'timeout = "2s"', "retries = 1", "",
        "[groups.room]", 'label = "Room"', "",
        "[credentials.v2]", 'version = "2c"', 'community = { file = "secrets/community" }', "",
        "[credentials.v3]", 'version = "3"', f'user = "{USER[0]}"', 'auth = "SHA-256"',
        'auth_key = { file = "secrets/auth" }', 'priv = "AES-128"', 'priv_key = { file = "secrets/priv" }', "",
    ]  # fmt: skip
    every = round(1 / v3_share) if v3_share > 0 else 0
    for number in range(targets):
        agent = agents[number % len(agents)]
        credentials = "v3" if every and number % every == 0 else "v2"
        lines += [
            "[[target]]", f'id = "dev-{number:04d}"', 'group = "room"', 'kind = "snmp"',
            f'address = "udp://{agent.host}:{agent.port}"', f'credentials = "{credentials}"', 'profile = "if-mib"', "",
        ]  # fmt: skip
    config = folder / "checks.toml"
    config.write_text("\n".join(lines) + "\n")
    return config


class StatusListener:
    """Stands in for systemd: collects the service's STATUS= lines from $NOTIFY_SOCKET."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.5)
        self.statuses: list[tuple[float, str]] = []
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            try:
                data = self.sock.recv(65536).decode(errors="replace")
            except OSError:
                continue
            for line in data.splitlines():
                if line.startswith("STATUS="):
                    self.statuses.append((time.monotonic(), line.removeprefix("STATUS=")))

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=2)
        self.sock.close()


def run_serve(config: Path, state: Path, seconds: float, interval: int) -> None:
    listener = StatusListener(config.parent / "notify.sock")
    env = {**os.environ, "NOTIFY_SOCKET": str(listener.path)}
    command = [sys.executable, "-m", "tui.cli.main", "serve", "--config", str(config), "--state", str(state)]
    command += ["--seconds", f"{seconds:g}"]
    log = (config.parent / "serve.log").open("wb")
    started_wall, started = time.time(), time.monotonic()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    rows: list[tuple[float, float, float]] = []
    last_cpu, last_at = 0.0, started
    try:
        while process.poll() is None and time.monotonic() - started < seconds + 60:
            time.sleep(interval)
            try:
                now, used, rss = time.monotonic(), cpu_s(process.pid), rss_mb(process.pid)
            except (FileNotFoundError, ProcessLookupError):
                break
            if rss == 0:  # exited, not yet reaped
                break
            rows.append((now - started, 100 * (used - last_cpu) / (now - last_at), rss))
            last_cpu, last_at = used, now
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        listener.close()
        log.close()
    if not (state / "dutyroom.db").exists():
        print((config.parent / "serve.log").read_text()[-2000:])
        return
    text = config.read_text()
    v3_targets = set(re.findall(r'id = "([^"]+)"\ngroup = "room"\nkind = "snmp"\n[^\n]*\ncredentials = "v3"', text))
    report(rows, listener.statuses, started, state / "dutyroom.db", started_wall, interval, v3_targets)


def report(
    rows: list[tuple[float, float, float]],
    statuses: list[tuple[float, str]],
    started: float,
    database: Path,
    started_wall: float,
    interval: int,
    v3_targets: set[str],
) -> None:
    polled, first_pass, total = samples_by_interval(database, started_wall, interval, len(rows), v3_targets)
    header = f"{'t (s)':>6} {'CPU % of a core':>16} {'RSS MB':>8} {'targets polled':>15} {'of them v3':>11}"
    print(f"{header} {'stale (service)':>16}")
    for position, (at, cpu, rss) in enumerate(rows):
        stale = [int(m.group(1)) for t, s in statuses if t - started <= at and (m := re.search(r"(\d+) stale", s))]
        count, v3 = polled[position] if position < len(polled) else (0, 0)
        print(f"{at:6.0f} {cpu:16.1f} {rss:8.0f} {count:15d} {v3:11d} {stale[-1] if stale else 0:16d}")
    settled = started + (first_pass if first_pass is not None else float("inf"))
    after = [int(m.group(1)) for t, s in statuses if t > settled and (m := re.search(r"(\d+) stale", s))]
    first = f"{first_pass:.1f} s" if first_pass is not None else f"not finished ({total} targets answered)"
    print(f"first pass over every target (from the process start, imports included): {first}")
    print(f"false stale after the first pass: at most {max(after, default=0)} targets at once")
    polling = [status for _, status in statuses if "polling" in status]
    if polling:
        print(f"last status: {polling[-1]}")


def samples_by_interval(
    database: Path, started_wall: float, interval: int, buckets: int, v3_targets: set[str]
) -> tuple[list[tuple[int, int]], float | None, int]:
    """Targets (all, v3) with a sample in each interval since start; when the last got its first sample."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT series.target, MIN(samples_raw.at) FROM samples_raw JOIN series ON series.id = samples_raw.series "
            "GROUP BY series.target"
        ).fetchall()
        firsts = [at for _target, at in rows]
        counts = []
        for bucket in range(buckets):
            low = started_wall + bucket * interval
            polled = connection.execute(
                "SELECT DISTINCT series.target FROM samples_raw JOIN series ON series.id = samples_raw.series "
                "WHERE samples_raw.at >= ? AND samples_raw.at < ?",
                (low, low + interval),
            ).fetchall()
            v3 = sum(1 for (target,) in polled if target in v3_targets)
            counts.append((len(polled), v3))
        (targets,) = connection.execute("SELECT COUNT(DISTINCT target) FROM series").fetchone()
    return counts, (max(firsts) - started_wall) if firsts else None, int(targets)


def exporter_cpu(agents: list[Agent], targets: int, interval: int, seconds: float, folder: Path) -> None:
    """prometheus-snmp-exporter scraping the same agents: v2c and v3 modules, every target once per interval."""
    if not EXPORTER.exists():
        print("prometheus-snmp-exporter is not installed: no peer row")
        return
    walk = ["1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.8", "1.3.6.1.2.1.31.1.1.1.6", "1.3.6.1.2.1.31.1.1.1.10"]
    metrics = ["  metrics:"]
    for position, oid in enumerate(walk):
        kind = "DisplayString" if position == 0 else "gauge" if position == 1 else "counter"
        metrics += [f"    - name: m{position}", f"      oid: {oid}", f"      type: {kind}", "      help: x"]
        metrics += ["      indexes:", "        - labelname: ifIndex", "          type: gauge"]
    config = ["v2:", "  version: 2", "  auth:", "    community: public", "  walk:"] + [f"    - {o}" for o in walk]
    config += [*metrics, "v3:", "  version: 3", "  auth:", f"    username: {USER[0]}", "    security_level: authPriv"]
    config += [f"    password: {USER[1][1]}", "    auth_protocol: SHA256", "    priv_protocol: AES"]
    config += [f"    priv_password: {USER[1][3]}", "  walk:"] + [f"    - {o}" for o in walk] + metrics
    path = folder / "snmp.yml"
    path.write_text("\n".join(config) + "\n")
    port = free_udp_port()
    command = [str(EXPORTER), f"--config.file={path}", f"--web.listen-address=127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        urls = [
            f"http://127.0.0.1:{port}/snmp?module={'v3' if number % 2 == 0 else 'v2'}"
            f"&target={agents[number % len(agents)].host}:{agents[number % len(agents)].port}"
            for number in range(targets)
        ]
        before, started, scraped = cpu_s(process.pid), time.monotonic(), 0
        with ThreadPoolExecutor(64) as pool:
            while time.monotonic() - started < seconds:
                round_started = time.monotonic()
                scraped += sum(pool.map(_scrape, urls))
                time.sleep(max(0.0, interval - (time.monotonic() - round_started)))
        elapsed = time.monotonic() - started
        share = 100 * (cpu_s(process.pid) - before) / elapsed
        print(f"prometheus-snmp-exporter: {share:.1f} % of a core, {scraped} scrapes in {elapsed:.0f} s")
    finally:
        process.terminate()
        process.wait(timeout=10)


def _scrape(url: str) -> int:
    try:
        urllib.request.urlopen(url, timeout=20).read()
        return 1
    except OSError:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=2000)
    parser.add_argument("--agents", type=int, default=4)
    parser.add_argument("--v3-share", type=float, default=0.5)
    parser.add_argument("--interval", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-exporter", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dutyroom-scale-") as temp:
        folder = Path(temp)
        agents = []
        try:
            for number in range(args.agents):
                agents.append(start_snmpd(folder / f"agent-{number}", users={USER[0]: USER[1]}))
            config = write_room(folder, agents, args.targets, args.v3_share, args.interval)
            v3 = round(args.targets * args.v3_share)
            print(f"{args.targets} targets ({v3} SNMPv3 authPriv) on {args.agents} snmpd, every {args.interval} s")
            run_serve(config, folder / "state", args.seconds, args.interval)
            if not args.no_exporter:
                exporter_cpu(agents, args.targets, args.interval, min(args.seconds, 3 * args.interval), folder)
        finally:
            for agent in agents:
                agent.stop()


if __name__ == "__main__":
    main()
