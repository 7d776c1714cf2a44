"""Net-snmp's snmpd on loopback for the tests, and the test recordings snmpsim serves beside the shared ones.

snmpsim itself is started by the demo's own launcher (`tui.demo.snmpsim_agent`); the fixtures that wrap both
agents live in conftest.py. `start_snmpd` waits for the agent with a bounded loop; its port is picked at runtime.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tui.demo.snmpsim_agent import free_udp_port

SNMPREC_DIR = (Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "snmprec").resolve()
SNMPD = Path("/usr/sbin/snmpd")
SNMPGET = shutil.which("snmpget") or "/usr/bin/snmpget"
READY_TIMEOUT_S = 30.0

V3_USERS = {
    # user: (auth protocol, auth key, priv protocol, priv key) as net-snmp spells them
    "ops256": ("SHA-256", "auth-key-256-ops", "AES", "priv-key-128-ops"),
    "ops512": ("SHA-512", "auth-key-512-ops", "AES-256", "priv-key-256-ops"),
    "opsmd5": ("MD5", "auth-key-md5-ops", "DES", "priv-key-des-ops"),
    "opsauth": ("SHA", "auth-key-sha-ops", "", ""),
}


@dataclass
class Agent:
    """A running snmpd and where it listens."""

    process: subprocess.Popen[bytes]
    port: int
    host: str = "127.0.0.1"
    workdir: Path = field(default_factory=Path)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wait_ready(agent: Agent, community: str, log: Path) -> None:
    """Poll sysDescr with net-snmp's snmpget until it answers; bounded by READY_TIMEOUT_S."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    command = [SNMPGET, "-v2c", "-c", community, "-t", "0.5", "-r", "0", "-On", "-m", "", "-M", "/dev/null"]
    command += [f"{agent.host}:{agent.port}", "1.3.6.1.2.1.1.1.0"]
    while time.monotonic() < deadline:
        if agent.process.poll() is not None:
            raise RuntimeError(f"agent exited with {agent.process.returncode}; see {log}")
        probe = subprocess.run(command, capture_output=True, timeout=10, check=False)
        if probe.returncode == 0:
            return
        time.sleep(0.2)
    agent.stop()
    raise RuntimeError(f"agent not answering after {READY_TIMEOUT_S:g} s; see {log}")


AUTH_PROTOCOLS = ("MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512")
PRIV_PROTOCOLS = ("DES", "AES", "AES-192", "AES-256")
"""What Debian's net-snmp 5.9 snmpd supports (`snmpget -h`: -a and -x); 3DES and draft-reeder AES are not."""
MATRIX_USERS = {
    f"u-{auth}-{priv or 'nopriv'}".lower(): (auth, f"auth-{auth}-key", priv, f"priv-{priv}-key" if priv else "")
    for auth in AUTH_PROTOCOLS
    for priv in ("", *PRIV_PROTOCOLS)
} | {"u-noauth": ("", "", "", "")}
"""Every auth/priv combination snmpd supports, and noAuthNoPriv."""


def snmpd_config(
    port: int,
    community: str = "public",
    users: dict[str, tuple[str, str, str, str]] | None = None,
    engine_id: str = "",
) -> str:
    lines = [f"agentAddress udp:127.0.0.1:{port}", f"rocommunity {community} 127.0.0.1"]
    if engine_id:
        lines.append(f"engineID {engine_id}")
    for user, (auth, auth_key, priv, priv_key) in (V3_USERS if users is None else users).items():
        privacy = f" {priv} {priv_key}" if priv else ""
        lines.append(f"createUser {user} {auth} {auth_key}{privacy}" if auth else f"createUser {user}")
        lines.append(f"rouser {user} {'priv' if priv else 'auth' if auth else 'noauth'}")
    return "\n".join(lines) + "\n"


def start_snmpd(
    workdir: Path,
    port: int | None = None,
    *,
    community: str = "public",
    users: dict[str, tuple[str, str, str, str]] | None = None,
    engine_id: str = "",
) -> Agent:
    """Debian's net-snmp snmpd on 127.0.0.1:port with v2c `community` and `users` (V3_USERS unless given),
    state in `workdir`; `engine_id` is snmpd.conf's `engineID` text (snmpd derives the engine ID from it)."""
    port = port or free_udp_port()
    persistent = workdir / "persist"
    persistent.mkdir(parents=True, exist_ok=True)
    config = workdir / "snmpd.conf"
    config.write_text(snmpd_config(port, community, users, engine_id))
    log = workdir / "snmpd.log"
    env = {**os.environ, "SNMP_PERSISTENT_DIR": str(persistent), "MIBS": "", "MIBDIRS": str(persistent)}
    command = [str(SNMPD), "-f", "-Lf", str(log), "-C", "-c", str(config), "-p", str(workdir / "snmpd.pid")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=workdir)
    agent = Agent(process, port, workdir=workdir)
    _wait_ready(agent, community, log)
    return agent


EXTRA_RECORDINGS = {
    # A small ENTITY-SENSOR device written for these tests (no recording carries ENTITY-SENSOR-MIB):
    # index 1: 41.5 C (scale units=9, precision 1); 2: 12.05 V DC (precision 2); 3: 12 at milli
    # scale (8) -> 0.012 A; 4: -2.3 dBm; 5: a fan that is unavailable (no value reported).
    "test_entity_sensor": "\n".join(
        [
            "1.3.6.1.2.1.1.1.0|4|entity sensor test device",
            "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1",
            "1.3.6.1.2.1.1.3.0|67|123456",
            "1.3.6.1.2.1.47.1.1.1.1.2.1|4|Inlet temperature sensor",
            "1.3.6.1.2.1.47.1.1.1.1.2.2|4|12V rail",
            "1.3.6.1.2.1.47.1.1.1.1.2.3|4|Fan tray current",
            "1.3.6.1.2.1.47.1.1.1.1.2.4|4|Te1/1 receive power",
            "1.3.6.1.2.1.47.1.1.1.1.2.5|4|Fan 2",
            "1.3.6.1.2.1.47.1.1.1.1.7.1|4|Inlet",
            "1.3.6.1.2.1.47.1.1.1.1.7.2|4|",
            "1.3.6.1.2.1.47.1.1.1.1.7.3|4|FanTray Current",
            "1.3.6.1.2.1.47.1.1.1.1.7.4|4|Te1/1 Rx",
            "1.3.6.1.2.1.47.1.1.1.1.7.5|4|Fan 2",
            *(f"1.3.6.1.2.1.99.1.1.1.1.{i}|2|{t}" for i, t in enumerate((8, 4, 5, 14, 10), start=1)),
            *(f"1.3.6.1.2.1.99.1.1.1.2.{i}|2|{s}" for i, s in enumerate((9, 9, 8, 9, 9), start=1)),
            *(f"1.3.6.1.2.1.99.1.1.1.3.{i}|2|{p}" for i, p in enumerate((1, 2, 0, 1, 0), start=1)),
            *(f"1.3.6.1.2.1.99.1.1.1.4.{i}|2|{v}" for i, v in enumerate((415, 1205, 12, -23, 0), start=1)),
            *(f"1.3.6.1.2.1.99.1.1.1.5.{i}|2|{o}" for i, o in enumerate((1, 1, 1, 1, 2), start=1)),
        ]
    )
    + "\n",
}


def _on_bypass(recording: str) -> str:
    """`recording` with its UPS-MIB upsOutputSource set to bypass (4): a real UPS, as it reads on bypass."""
    path = SNMPREC_DIR / f"{recording}.snmprec"
    if not path.is_file():
        return ""
    lines = path.read_text().splitlines()
    changed = [("1.3.6.1.2.1.33.1.4.1.0|2|4" if line.startswith("1.3.6.1.2.1.33.1.4.1.0|") else line) for line in lines]
    assert changed != lines, f"{recording} has no upsOutputSource"
    return "\n".join(changed) + "\n"


EXTRA_RECORDINGS["test_ups_bypass"] = _on_bypass("eaton-mgeups_93ps")
