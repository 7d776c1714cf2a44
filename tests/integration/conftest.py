"""Fixtures of the integration tests: real SNMP agents on loopback and a small tmpfs to fill.

snmpsim is started by the demo's own launcher (`tui.demo.snmpsim_agent`) and snmpd by `snmp_agents`: one of
each per session (per xdist worker, in a parallel run), each on a free port, so parallel workers never collide.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from small_tmpfs import RunOnSmallTmpfs, run_python_on_tmpfs, why_no_tmpfs
from snmp_agents import EXTRA_RECORDINGS, SNMPD, SNMPREC_DIR, Agent, start_snmpd

from tui.demo.snmpsim_agent import SnmpsimAgent, start_snmpsim


@pytest.fixture(scope="session")
def snmprec_dir() -> Path:
    if not SNMPREC_DIR.is_dir():
        pytest.skip(f"{SNMPREC_DIR} is absent")
    return SNMPREC_DIR


@pytest.fixture(scope="session")
def snmpsim_agent(snmprec_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpsimAgent]:
    """One snmpsim for the session, serving every recording (community = file stem) and the test recordings."""
    if importlib.util.find_spec("snmpsim") is None:
        pytest.skip("snmpsim is not installed (pip install -c constraints.txt -e '.[test,demo]')")
    devices = tmp_path_factory.mktemp("snmpsim-devices")
    for recording in snmprec_dir.glob("*.snmprec"):
        shutil.copyfile(recording, devices / recording.name)
    for name, text in EXTRA_RECORDINGS.items():
        (devices / f"{name}.snmprec").write_text(text)
    communities = {path.stem: path.stem for path in sorted(devices.glob("*.snmprec"))}
    agent = asyncio.run(start_snmpsim(devices, tmp_path_factory.mktemp("snmpsim"), communities))
    try:
        yield agent
    finally:
        agent.stop()


@pytest.fixture(scope="session")
def snmpd_agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    if not SNMPD.exists():
        pytest.skip(f"{SNMPD} is not installed")
    agent = start_snmpd(tmp_path_factory.mktemp("snmpd"))
    try:
        yield agent
    finally:
        agent.stop()


@pytest.fixture(scope="session")
def small_tmpfs_allowed(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skips the test unless a tiny tmpfs can be mounted in a private namespace here."""
    reason = why_no_tmpfs(tmp_path_factory.mktemp("tmpfs-probe"))
    if reason:
        pytest.skip(reason)


@pytest.fixture
def run_on_small_tmpfs(tmp_path: Path, small_tmpfs_allowed: None) -> RunOnSmallTmpfs:
    """Runs Python code on a really full disk: a tiny tmpfs, private to the child, that it can fill."""
    return functools.partial(run_python_on_tmpfs, tmp_path / "small-tmpfs")
