"""The device tests' one harness: walks (.snmprec files) read raw, snmpsim serving them on loopback, one poll
with a profile, and discover's stanza pasted into a copy of the shipped room for `dutyroom check`.

The profile tests each work out from the raw OIDs what a poll must decode; what they share (how a walk is read,
how the agent is started and polled, how a stanza is checked) lives here once, so every family is held to the
same rules. A walk's community is its file stem.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest
import tomli_w

from collectors.discover import DiscoveryResult, checks_stanza, discover
from collectors.snmp.collector import SnmpCollector
from collectors.snmp.profiles import load_profile
from collectors.snmp.spec import SnmpTargetSpec
from dutyroom.model import MetricValue, PollResult
from dutyroom.playbooks.library import read_playbooks
from tui.cli.check import validate_all
from tui.demo.snmpsim_agent import SnmpsimAgent, start_snmpsim

ROOT = Path(__file__).resolve().parents[2]
MIB_WALKS = ROOT / "tests" / "fixtures" / "snmprec-mib"
"""Walks written from vendor MIBs for devices never recorded for the repository (see the folder's README)."""
SHIPPED_ROOM = ROOT / "tui" / "demo" / "shipped_room"
NUMERIC_TAGS = {"2", "65", "66", "67"}
"""snmprec tags of Integer32, Counter32, Gauge32 and TimeTicks."""
Labels = tuple[tuple[str, str], ...]
Key = tuple[str, Labels]
Value = TypeVar("Value")


def labels(**pairs: str) -> Labels:
    """A sample's labels as the model keeps them: sorted by name."""
    return tuple(sorted(pairs.items()))


def walk_lines(name: str, folder: Path = MIB_WALKS) -> list[str]:
    """The walk's `OID|tag|value` lines."""
    return (folder / f"{name}.snmprec").read_text(encoding="utf-8").splitlines()


def raw_text(name: str, folder: Path = MIB_WALKS) -> dict[str, str]:
    """OID (no leading dot) -> the value as the walk writes it (BITS and hex-encoded text as hex digits)."""
    values = {}
    for line in walk_lines(name, folder):
        oid, _tag, text = line.split("|", 2)
        values[oid] = text
    return values


def raw_typed(name: str, folder: Path = MIB_WALKS) -> dict[str, int | str]:
    """OID -> the value as the device means it: numbers as int, hex-encoded text (`4x`) decoded, other text as is."""
    values: dict[str, int | str] = {}
    for line in walk_lines(name, folder):
        oid, tag, text = line.split("|", 2)
        values[oid] = bytes.fromhex(text).decode() if tag == "4x" else int(text) if tag in NUMERIC_TAGS else text
    return values


def column(values: Mapping[str, Value], prefix: str) -> dict[str, Value]:
    """The rows of one column of a walk: row index -> value."""
    return {oid.removeprefix(prefix + "."): value for oid, value in values.items() if oid.startswith(prefix + ".")}


def serve_walks(
    tmp_path_factory: pytest.TempPathFactory, names: Iterable[str], folder: Path = MIB_WALKS
) -> Iterator[SnmpsimAgent]:
    """snmpsim serving the walks `names` of `folder` until the generator is closed: the body of a module-scoped
    fixture (`yield from serve_walks(...)`), so a test file starts one agent. Skips when snmpsim is absent."""
    if importlib.util.find_spec("snmpsim") is None:
        pytest.skip("snmpsim is not installed (pip install -c constraints.txt -e '.[test,demo]')")
    communities = {name: name for name in names}
    agent = asyncio.run(start_snmpsim(folder, tmp_path_factory.mktemp("snmpsim"), communities))
    try:
        yield agent
    finally:
        agent.stop()


def target_spec(agent: SnmpsimAgent, community: str, profile: str = "", *, target_id: str = "") -> SnmpTargetSpec:
    """The agent's walk `community` as a target (named after it unless `target_id` says), read with `profile`."""
    options: dict[str, Any] = {"profile": load_profile(profile)} if profile else {}
    return SnmpTargetSpec(
        target_id or community, agent.host, agent.port, community=community, timeout_s=3.0, retries=1,
        interval_s=30.0, **options,
    )  # fmt: skip


async def poll_once(agent: SnmpsimAgent, community: str, profile: str, *, target_id: str = "") -> PollResult:
    """One poll of the walk with `profile`, the collector closed after it (the result may be a failure)."""
    collector = SnmpCollector(target_spec(agent, community, profile, target_id=target_id))
    try:
        return await collector.poll()
    finally:
        await collector.aclose()


async def decoded(agent: SnmpsimAgent, community: str, profile: str) -> dict[Key, MetricValue]:
    """What one successful poll with `profile` reports: (metric, labels) -> value, each key once."""
    result = await poll_once(agent, community, profile)
    assert result.ok, result.reason
    samples = {(sample.metric, sample.labels): sample.value for sample in result.samples}
    assert len(samples) == len(result.samples), "two samples with the same metric and labels"
    return samples


def assert_decodes(
    samples: Mapping[Key, object], expected: Mapping[Key, object], *, abs_tolerance: float | None = None
) -> None:
    """The poll reports exactly the expected samples: words equal, numbers approximately (`abs_tolerance`: the tolerance
    near zero, where a relative one says nothing)."""
    assert set(samples) == set(expected), (sorted(set(samples) - set(expected)), sorted(set(expected) - set(samples)))
    for key, value in expected.items():
        assert samples[key] == (value if isinstance(value, str) else pytest.approx(value, abs=abs_tolerance)), key


async def discover_walk(agent: SnmpsimAgent, community: str) -> DiscoveryResult:
    """`discover` on the walk, as `dutyroom discover` runs it; it must succeed."""
    result = await discover(target_spec(agent, community))
    assert result.ok, result.reason
    return result


def found_id(recording: str) -> str:
    """The target id a test gives a discovered recording: `found-` and its name as an id may spell it."""
    return "found-" + re.sub(r"[^a-z0-9-]", "-", recording.lower())


def rule_ids(stanza: dict[str, Any]) -> set[str]:
    """The ids of the rules a stanza proposes."""
    return {rule["id"] for rule in stanza.get("rule", [])}


class ShippedRoom:
    """A copy of the shipped room under `tmp_path`: discover's stanza is written for its playbooks, pasted
    into its checks.toml and must pass `dutyroom check` there."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "room"
        shutil.copytree(SHIPPED_ROOM, self.folder, symlinks=False)
        self.config = self.folder / "checks.toml"
        self.playbooks, _ = read_playbooks(self.folder / "playbooks")

    def stanza(self, result: DiscoveryResult, target_id: str, credentials: str = "ups-a") -> dict[str, Any]:
        """What `dutyroom discover` writes for this room, which requires a playbook on every rule."""
        return checks_stanza(
            result,
            target_id=target_id,
            credentials=credentials,
            known_playbooks=self.playbooks.ids(),
            require_playbook=True,
        )

    async def discovered_stanza(self, agent: SnmpsimAgent, community: str) -> dict[str, Any]:
        """`discover` on the walk, and its stanza for this room with the target id `found_id(community)`."""
        return self.stanza(await discover_walk(agent, community), found_id(community))

    def assert_accepts(self, stanza: dict[str, Any]) -> None:
        """Pastes `stanza` at the end of checks.toml; `dutyroom check` must find no problem."""
        with self.config.open("a", encoding="utf-8") as pasted:
            pasted.write("\n" + tomli_w.dumps(stanza))
        report = validate_all(self.config, now=time.time())
        assert not report.problems, "\n".join(map(str, report.problems))
