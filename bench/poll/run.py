"""SNMP poller benchmark: dutyroom's poller vs net-snmp's tools vs prometheus-snmp-exporter, same snmpd.

    python bench/poll/run.py [--seconds 4] [--concurrency 32] [--v3-seconds 1.5] [--v3 all|some|none]

Starts net-snmp's snmpd on a free loopback port and asks each poller for the same 10 scalar OIDs
(one GET PDU) as fast as it goes for a few seconds, measuring GETs/s and CPU per GET (the poller's own
process, plus the agent's share). The machine is shared and noisy: read the ratios, not the numbers.
Then SNMPv3: a row per auth/priv pair snmpd supports, the fast path next to pysnmp, and the exporter at
authPriv SHA-256/AES-128 (`--v3 some` keeps one pair per privacy protocol).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "integration")]

from snmp_agents import MATRIX_USERS, Agent, free_udp_port, start_snmpd  # type: ignore[import-not-found]  # noqa: E402

from collectors.snmp.client import SnmpClient  # noqa: E402
from collectors.snmp.collector import TransportFactory, auto_transport, pysnmp_transport  # noqa: E402
from collectors.snmp.oids import parse_oid  # noqa: E402
from collectors.snmp.runtime import acquire_runtime, release_runtime  # noqa: E402
from collectors.snmp.spec import SnmpTargetSpec  # noqa: E402

OIDS = [f"1.3.6.1.2.1.1.{n}.0" for n in range(1, 8)]
OIDS += ["1.3.6.1.4.1.2021.4.5.0", "1.3.6.1.4.1.2021.4.6.0", "1.3.6.1.4.1.2021.4.11.0"]
EXPORTER = Path("/usr/bin/prometheus-snmp-exporter")
CLK = os.sysconf("SC_CLK_TCK")


@dataclass
class Outcome:
    name: str
    gets: int
    seconds: float
    cpu_s: float
    agent_cpu_s: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.gets / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_get(self) -> float:
        return 1000 * self.cpu_s / self.gets if self.gets else float("nan")


def process_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(name: str, agent: Agent, run: Callable[[], int], cpu: Callable[[], float], note: str = "") -> Outcome:
    agent_before, cpu_before, started = process_cpu_s(agent.process.pid), cpu(), time.monotonic()
    gets = run()
    seconds = time.monotonic() - started
    return Outcome(name, gets, seconds, cpu() - cpu_before, process_cpu_s(agent.process.pid) - agent_before, note)


def v2c_spec(agent: Agent) -> SnmpTargetSpec:
    return SnmpTargetSpec("bench", agent.host, agent.port, community="public", timeout_s=2.0, retries=0)


def v3_spec(agent: Agent, user: str) -> SnmpTargetSpec:
    auth, auth_key, priv, priv_key = MATRIX_USERS[user]
    return SnmpTargetSpec(
        "bench", agent.host, agent.port, version="3", v3_user=user, auth_protocol=auth, auth_key=auth_key,
        priv_protocol=priv, priv_key=priv_key, timeout_s=2.0, retries=0,
    )  # fmt: skip


def dutyroom_poller(
    agent: Agent, seconds: float, concurrency: int, factory: TransportFactory, spec: SnmpTargetSpec | None = None
) -> int:
    """`concurrency` targets (clients), each with one GET in flight at a time, on one engine."""
    oids = [parse_oid(text) for text in OIDS]
    spec = spec or v2c_spec(agent)

    async def main() -> int:
        runtime = acquire_runtime()
        transports = [factory(spec, runtime) for _ in range(concurrency)]
        clients = [
            SnmpClient(t, version=spec.version, timeout_s=2.0, retries=0, semaphore=runtime.semaphore)
            for t in transports
        ]
        # engine set-up, discovery and first-request costs are not the steady state
        await asyncio.gather(*(client.get(oids) for client in clients))
        deadline = time.monotonic() + seconds
        counts = [0] * len(clients)

        async def loop(position: int) -> None:
            while time.monotonic() < deadline:
                await clients[position].get(oids)
                counts[position] += 1

        try:
            await asyncio.gather(*(loop(position) for position in range(len(clients))))
        finally:
            release_runtime(runtime)
        return sum(counts)

    return asyncio.run(main())


def netsnmp_tool(agent: Agent, seconds: float, tool: str) -> int:
    """One `snmpget`/`snmpbulkget` process per GET (how shell scripts and many checks poll)."""
    command = [tool, "-v2c", "-c", "public", "-On", "-m", "", "-M", "/dev/null", f"127.0.0.1:{agent.port}", *OIDS]
    if tool.endswith("snmpbulkget"):
        command[1:1] = ["-Cn10", "-Cr1"]
    deadline, gets = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        subprocess.run(command, capture_output=True, check=True)
        gets += 1
    return gets


EXPORTER_NAMES = {"SHA-224": "SHA224", "SHA-256": "SHA256", "SHA-384": "SHA384", "SHA-512": "SHA512"}
EXPORTER_NAMES |= {"AES-192": "AES192", "AES-256": "AES256"}


def exporter_config(user: str = "") -> str:
    if user:
        auth, auth_key, priv, priv_key = MATRIX_USERS[user]
        level = "authPriv" if priv else "authNoPriv"
        lines = ["bench:", "  version: 3", "  auth:", f"    username: {user}", f"    security_level: {level}"]
        lines += [f"    password: {auth_key}", f"    auth_protocol: {EXPORTER_NAMES.get(auth, auth)}"]
        if priv:
            lines += [f"    priv_protocol: {EXPORTER_NAMES.get(priv, priv)}", f"    priv_password: {priv_key}"]
        lines += ["  get:"]
    else:
        lines = ["bench:", "  version: 2", "  auth:", "    community: public", "  get:"]
    lines += [f"    - {oid}" for oid in OIDS]
    lines += ["  metrics:"]
    for position, oid in enumerate(OIDS):
        kind = "DisplayString" if oid.startswith("1.3.6.1.2.1.1.") and oid[-3] in "1456" else "gauge"
        lines += [f"    - name: bench_{position}", f"      oid: {oid[:-2]}", f"      type: {kind}", "      help: x"]
    return "\n".join(lines) + "\n"


def exporter(agent: Agent, seconds: float, concurrency: int, workdir: Path, user: str = "") -> tuple[int, float, str]:
    config = workdir / "snmp.yml"
    config.write_text(exporter_config(user))
    port = free_udp_port()
    command = [str(EXPORTER), f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/snmp?module=bench&target=127.0.0.1:{agent.port}"
    try:
        for _ in range(100):
            try:
                body = urllib.request.urlopen(url, timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("snmp exporter did not start")
        if "bench_0" not in body:
            raise RuntimeError(f"exporter scrape has no bench metrics:\n{body[:400]}")
        cpu_before, deadline = process_cpu_s(process.pid), time.monotonic() + seconds

        async def scrapes() -> int:
            async def one() -> int:
                count = 0
                while time.monotonic() < deadline:
                    await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read())
                    count += 1
                return count

            return sum(await asyncio.gather(*(one() for _ in range(min(concurrency, 8)))))

        gets = asyncio.run(scrapes())
        return gets, process_cpu_s(process.pid) - cpu_before, "per HTTP scrape; CPU is the exporter's"
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--v3-seconds", type=float, default=1.5)
    parser.add_argument("--v3", choices=("all", "some", "none"), default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dutyroom-bench-") as temp:
        agent = start_snmpd(Path(temp), users=MATRIX_USERS)
        try:
            outcomes = run_all(agent, args.seconds, args.concurrency, Path(temp))
            if args.v3 != "none":
                outcomes += run_v3(agent, args.v3_seconds, args.concurrency, Path(temp), args.v3 == "all")
        finally:
            agent.stop()
    report(outcomes)


def run_all(agent: Agent, seconds: float, concurrency: int, workdir: Path) -> list[Outcome]:
    own = lambda: time.process_time()  # noqa: E731
    outcomes = []
    for label, factory in (("pysnmp", pysnmp_transport), ("BER codec", auto_transport)):
        run = lambda factory=factory: dutyroom_poller(agent, seconds, concurrency, factory)  # noqa: E731
        outcomes.append(measure(f"dutyroom {label} ({concurrency} targets)", agent, run, own))
    for tool in ("snmpget", "snmpbulkget"):
        path = shutil.which(tool)
        if path:
            run = lambda path=path: netsnmp_tool(agent, seconds, path)  # noqa: E731
            outcomes.append(measure(f"net-snmp {tool} (a process per GET)", agent, run, children_cpu_s))
    if EXPORTER.exists():
        box: dict[str, float] = {}

        def run_exporter() -> int:
            gets, cpu, _ = exporter(agent, seconds, concurrency, workdir)
            box["cpu"] = cpu
            return gets

        outcome = measure("prometheus-snmp-exporter 0.21", agent, run_exporter, lambda: 0.0)
        outcome.cpu_s = box.get("cpu", 0.0)
        outcome.note = "per HTTP scrape of the 10 OIDs; exporter CPU only"
        outcomes.append(outcome)
    return outcomes


def run_v3(agent: Agent, seconds: float, concurrency: int, workdir: Path, every_pair: bool) -> list[Outcome]:
    own = lambda: time.process_time()  # noqa: E731
    outcomes = []
    users = [user for user, (auth, _, _, _) in MATRIX_USERS.items() if auth]
    if not every_pair:
        users = ["u-md5-des", "u-sha-aes", "u-sha-256-aes", "u-sha-512-aes-256", "u-sha-256-nopriv"]
    for user in users:
        auth, _, priv, _ = MATRIX_USERS[user]
        pair = f"{auth}/{priv or 'noPriv'}"
        for label, factory in (("fast path", auto_transport), ("pysnmp", pysnmp_transport)):
            run = lambda factory=factory, user=user: dutyroom_poller(  # noqa: E731
                agent, seconds, concurrency, factory, v3_spec(agent, user)
            )
            outcomes.append(measure(f"v3 {pair} dutyroom {label}", agent, run, own))
    if EXPORTER.exists():
        box: dict[str, float] = {}

        def run_exporter() -> int:
            gets, cpu, _ = exporter(agent, seconds, concurrency, workdir, "u-sha-256-aes")
            box["cpu"] = cpu
            return gets

        outcome = measure("v3 SHA-256/AES prometheus-snmp-exporter", agent, run_exporter, lambda: 0.0)
        outcome.cpu_s = box.get("cpu", 0.0)
        outcome.note = "per HTTP scrape; exporter CPU only"
        outcomes.append(outcome)
    return outcomes


def report(outcomes: list[Outcome]) -> None:
    base = outcomes[0]
    print(f"{'poller':48} {'GETs/s':>9} {'CPU ms/GET':>11} {'agent ms/GET':>13} {'CPU vs dutyroom':>16}")
    for outcome in outcomes:
        agent_ms = 1000 * outcome.agent_cpu_s / outcome.gets if outcome.gets else float("nan")
        ratio = base.cpu_ms_per_get / outcome.cpu_ms_per_get if outcome.cpu_ms_per_get else float("nan")
        print(
            f"{outcome.name:48} {outcome.rate:9.0f} {outcome.cpu_ms_per_get:11.3f} {agent_ms:13.3f} "
            f"{ratio:15.2f}x  {outcome.note}"
        )
    print("(10 scalar OIDs per GET; 'CPU vs dutyroom' > 1 means that poller spends less CPU per GET)")


if __name__ == "__main__":
    main()
