"""Run snmpsim once for the whole room: every device file under its community, on one free loopback port.

The device files are copied into the state directory named after their community (snmpsim's rule: the
community is the file name), the communities come from the caller (secrets of this run), and readiness is
a bounded loop of GETs through `DeviceWriter`. snmpsim needs no root; as root it needs SNMPSIM_ALLOW_ROOT.
snmpsim is an optional dependency (the `demo` extra) and runs under this interpreter, wherever pip put its
console scripts.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tui.demo.snmp_control import DeviceWriter

RESPONDER = "import sys; from snmpsim.commands.responder import main; sys.exit(main())"
"""snmpsim's command responder, as its `snmpsim-command-responder` script starts it."""
INSTALL_HINT = "pip install 'dutyroom[demo]'"
READY_TIMEOUT_S = 90.0
"""Bounded, and generous: snmpsim indexes every recording before it answers, slow on a loaded host."""
START_ATTEMPTS = 3


class AgentError(RuntimeError):
    """snmpsim is not installed, could not be started or did not answer in time."""


def require_snmpsim() -> None:
    """Fail with the one command that fixes it when snmpsim (an optional dependency) is not installed."""
    if importlib.util.find_spec("snmpsim") is None:
        raise AgentError(f"the demo needs snmpsim, which is not installed: {INSTALL_HINT}")


@dataclass
class SnmpsimAgent:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    host: str = "127.0.0.1"
    """Where it listens: always loopback (the address its clients, the relays and the tests, send to)."""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_udp_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def prepare_data(devices_dir: Path, work_dir: Path, communities: Mapping[str, str]) -> Path:
    """A fresh data directory with each device file under its community's name."""
    work_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    data_dir = work_dir / "data"
    for previous in (data_dir, work_dir / "cache"):  # a previous run's communities and their indexes
        if previous.exists():
            shutil.rmtree(previous)
    data_dir.mkdir(parents=True, mode=0o700)
    for device, community in communities.items():
        source = devices_dir / f"{device}.snmprec"
        if not source.is_file():
            raise AgentError(f"device file {source} is missing")
        shutil.copyfile(source, data_dir / f"{community}.snmprec")
    return data_dir


def _launch(data_dir: Path, work_dir: Path, port: int) -> SnmpsimAgent:
    require_snmpsim()
    cache = work_dir / "cache"
    cache.mkdir(exist_ok=True, mode=0o700)
    log_path = work_dir / "snmpsim.log"
    command = [
        sys.executable, "-c", RESPONDER, f"--data-dir={data_dir}", f"--cache-dir={cache}",
        f"--agent-udpv4-endpoint=127.0.0.1:{port}", "--logging-method=null", "--log-level=error",
    ]  # fmt: skip
    env = {**os.environ, "SNMPSIM_ALLOW_ROOT": "true"}
    with log_path.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=work_dir)
    return SnmpsimAgent(process, port, log_path)


async def start_snmpsim(devices_dir: Path, work_dir: Path, communities: Mapping[str, str]) -> SnmpsimAgent:
    """Start snmpsim and wait (bounded) until every device answers; a port lost to a race is retried."""
    data_dir = await asyncio.to_thread(prepare_data, devices_dir, work_dir, communities)
    for _attempt in range(START_ATTEMPTS):
        agent = _launch(data_dir, work_dir, free_udp_port())
        writer = DeviceWriter(agent.port, communities, timeout_s=0.5)
        try:
            if await _wait_ready(agent, writer, list(communities)):
                return agent
        finally:
            writer.close()
        agent.stop()
    raise AgentError(f"snmpsim did not start; see {work_dir / 'snmpsim.log'}")


async def _wait_ready(agent: SnmpsimAgent, writer: DeviceWriter, devices: list[str]) -> bool:
    """True once every device answers; False if the process died (e.g. its port was taken)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    waiting = list(devices)
    while waiting and time.monotonic() < deadline:
        if agent.process.poll() is not None:
            return False
        if await writer.answers(waiting[0]):
            waiting.pop(0)
            continue
        await asyncio.sleep(0.2)
    if waiting:
        agent.stop()
        raise AgentError(f"snmpsim not answering after {READY_TIMEOUT_S:g} s; see {agent.log_path}")
    return True
