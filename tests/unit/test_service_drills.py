"""`POST /v1/drills` on a real store: planned by the service's desk, with the roles of its own `[roles]`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_service_api import CONFIG, ME, PEER, T0

from collectors.service.api.changes import ChangeFeed
from collectors.service.api.http_connection import Request
from collectors.service.api.routes import ServiceRoutes
from dutyroom.config.load import load_config
from dutyroom.playbooks.library import read_playbooks
from dutyroom.room import Room
from dutyroom.store.database import Store

PLAYBOOK = """+++
id = "battery-drill"
lang = "en"
title = "Battery drill"
severity = "critical"
kind = "incident"
applies_to = { rules = ["on-battery"] }
+++

# Battery drill

## Steps

1. Walk to the UPS.
2. [two-person] Read the battery gauge aloud.
"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "state") as opened:
        yield opened


def routes_with_playbook(tmp_path: Path, store: Store, roles: str = "") -> ServiceRoutes:
    (tmp_path / "checks.toml").write_text(CONFIG.format(roles=roles), encoding="utf-8")
    (tmp_path / "playbooks" / "en").mkdir(parents=True)
    (tmp_path / "playbooks" / "en" / "battery-drill.md").write_text(PLAYBOOK, encoding="utf-8")
    library, problems = read_playbooks(tmp_path / "playbooks")
    assert not problems
    room = Room(load_config(tmp_path / "checks.toml", resolve_secrets=False), library)
    return ServiceRoutes(lambda: room, store, ChangeFeed(), clock=lambda: T0)


def post(routes: ServiceRoutes, body: object, method: str = "POST") -> tuple[int, dict[str, object]]:
    request = Request(method, "/v1/drills", {}, {}, json.dumps(body).encode())
    response = asyncio.run(routes.answer(request, PEER))
    return response.status, json.loads(response.body)


def test_an_operator_starts_a_drill_recorded_as_a_drill_run_by_the_peer(tmp_path: Path, store: Store) -> None:
    routes = routes_with_playbook(tmp_path, store)

    status, answer = post(routes, {"playbook": "battery-drill"})

    assert status == 200, answer
    action = answer["action"]
    assert isinstance(action, dict)
    assert (action["kind"], action["playbook"], action["two_person"]) == ("run-start", "battery-drill", "2")
    [stored] = store.actions_after(0)
    assert (stored.drill, stored.actor.user) == (True, ME)
    assert routes.feed.version == 2


def test_a_viewer_is_refused_a_drill_and_an_unknown_playbook_is_a_409(tmp_path: Path, store: Store) -> None:
    viewer = routes_with_playbook(tmp_path, store, roles=f'[roles]\nviewers = ["{ME}"]\noperators = ["alice"]')
    status, answer = post(viewer, {"playbook": "battery-drill"})
    assert status == 403, answer
    assert "viewer" in str(answer["error"])
    assert store.actions_after(0) == []

    assert post(viewer, {"playbook": "battery-drill"}, method="GET")[0] == 405
    assert post(viewer, {"book": "battery-drill"})[0] == 400


def test_an_unknown_playbook_is_refused(tmp_path: Path, store: Store) -> None:
    status, answer = post(routes_with_playbook(tmp_path, store), {"playbook": "no-such"})
    assert status == 409, answer
    assert store.actions_after(0) == []
