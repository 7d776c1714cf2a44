"""The shipped playbooks/ folder: loads with zero problems, complete in both languages, matching the rules."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from dutyroom.playbooks.library import Deadline, PlaybookLibrary, check_playbook_references, load_playbooks

PLAYBOOKS_DIR = Path(__file__).resolve().parents[2] / "playbooks"

STARTER_IDS = {
    "mains-failure", "ups-battery-low", "pdu-overload", "cooling-failure", "humidity", "water-leak", "fire-alarm",
    "core-switch-down", "exchange-line-down", "exchange-line-congested", "market-data-down", "order-gateway",
    "server-overload", "disk-full", "capacity-headroom", "pre-open-check", "holiday-duty-start", "holiday-duty-end",
    "regulator-report", "target-unreachable", "duty-missed", "ups-bypass",
    "ups-fault", "ats-redundancy-lost", "pdu-breaker-tripped", "door-open", "switch-hardware-fault", "optic-signal-low",
}  # fmt: skip
CHECKLISTS = {"pre-open-check", "holiday-duty-start", "holiday-duty-end"}

SHIPPED_CONFIG = Path(__file__).resolve().parents[2] / "checks.toml"
RULE_PLAYBOOKS = {
    rule["id"]: rule["playbook"] for rule in tomllib.loads(SHIPPED_CONFIG.read_text(encoding="utf-8"))["rule"]
}
"""Every rule of the shipped checks.toml and the playbook it names."""
EXAMPLE_PHONE = re.compile(r"0755-8888-01\d\d|138-0000-00\d\d")


def timing(deadline: Deadline) -> tuple[object, ...]:
    return (deadline.id, deadline.minutes, deadline.start, deadline.during, deadline.step)


@pytest.fixture(scope="module")
def library() -> PlaybookLibrary:
    return load_playbooks(PLAYBOOKS_DIR)


def test_every_starter_playbook_is_there_in_both_languages(library: PlaybookLibrary) -> None:
    assert set(library.ids()) == STARTER_IDS
    assert all(library.languages(playbook_id) == ("en", "zh") for playbook_id in STARTER_IDS)


@pytest.mark.parametrize("playbook_id", sorted(STARTER_IDS))
def test_translations_have_the_same_steps_and_two_person_steps(library: PlaybookLibrary, playbook_id: str) -> None:
    english, chinese = library.by_key[(playbook_id, "en")], library.by_key[(playbook_id, "zh")]
    assert len(english.steps) == len(chinese.steps) >= 5
    assert english.two_person_steps == chinese.two_person_steps
    assert [timing(deadline) for deadline in english.deadlines] == [timing(item) for item in chinese.deadlines]
    assert english.kind == chinese.kind == ("checklist" if playbook_id in CHECKLISTS else "incident")
    assert re.search(r"[\u4e00-\u9fff]", chinese.title)
    assert all(re.search(r"[\u4e00-\u9fff]", step.text) for step in chinese.steps)


def test_the_rules_of_checks_toml_and_the_playbooks_refer_to_each_other(library: PlaybookLibrary) -> None:
    rules = [
        (rule_id, playbook_id, (index + 1, 1)) for index, (rule_id, playbook_id) in enumerate(RULE_PLAYBOOKS.items())
    ]
    assert check_playbook_references(library.all(), rules, "checks.toml", require_playbook=True) == []
    for rule_id, playbook_id in RULE_PLAYBOOKS.items():
        assert playbook_id in library.ids_for_rule(rule_id)
        assert library.for_alert(rule_id, "", "", "zh")[0].lang == "zh"


def test_failovers_and_switchovers_need_two_people(library: PlaybookLibrary) -> None:
    for playbook_id in ("mains-failure", "ups-battery-low", "core-switch-down", "exchange-line-down",
                        "market-data-down", "order-gateway"):  # fmt: skip
        playbook = library.by_key[(playbook_id, "en")]
        assert playbook.two_person_steps, playbook_id


def test_contacts_are_example_numbers_in_escalation_order(library: PlaybookLibrary) -> None:
    for playbook in library.all():
        assert playbook.contacts, playbook.path
        assert all(EXAMPLE_PHONE.fullmatch(contact.phone) for contact in playbook.contacts), playbook.path


def test_trading_failures_carry_the_regulator_deadline(library: PlaybookLibrary) -> None:
    for playbook_id in ("core-switch-down", "exchange-line-down", "market-data-down", "order-gateway"):
        playbook = library.by_key[(playbook_id, "en")]
        (deadline,) = [deadline for deadline in playbook.deadlines if deadline.id == "regulator-call"]
        assert (deadline.minutes, deadline.start, deadline.during) == (30, "alert-start", ("trading", "holiday"))
        step = playbook.step(deadline.step or 0)
        assert step is not None
        assert "regulator" in step.text


def test_site_wide_incidents_join_by_site(library: PlaybookLibrary) -> None:
    site_wide = {playbook.id for playbook in library.in_language("en") if playbook.join == "site"}
    assert site_wide == {"mains-failure", "cooling-failure", "water-leak", "fire-alarm"}
