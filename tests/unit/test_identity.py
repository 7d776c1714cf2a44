"""Who is at the keyboard: uid-derived login user, SUDO_USER, SSH client address; Unix groups for roles."""

from __future__ import annotations

import grp
import os
import pwd
from typing import NoReturn

import pytest

from dutyroom.operators import identity
from dutyroom.operators.identity import current_identity, identity_of_uid, reported_context, user_groups

THIS_USER = pwd.getpwuid(os.geteuid()).pw_name


def test_the_user_comes_from_the_effective_uid_not_the_environment() -> None:
    assert current_identity({"USER": "mallory", "LOGNAME": "mallory"}).user == THIS_USER


def test_sudo_user_and_ssh_connection_are_recorded() -> None:
    environ = {"SUDO_USER": "alice", "SSH_CONNECTION": "10.1.2.3 51022 10.1.0.9 22"}

    found = current_identity(environ)

    assert (found.user, found.sudo_user, found.ssh_client) == (THIS_USER, "alice", "10.1.2.3")
    assert found.roles == ()


def test_ssh_client_is_the_fallback_and_ipv6_is_normalised() -> None:
    assert current_identity({"SSH_CLIENT": "2001:DB8::1 51022 22"}).ssh_client == "2001:db8::1"
    assert current_identity({"SSH_CONNECTION": "fe80::1%eth0 1 fe80::2 22"}).ssh_client == "fe80::1"


def test_without_ssh_or_sudo_both_are_empty() -> None:
    found = current_identity({})

    assert (found.sudo_user, found.ssh_client) == ("", "")
    assert current_identity({"SSH_CONNECTION": "   "}).ssh_client == ""


def test_hostile_environment_text_is_cleaned() -> None:
    found = current_identity({"SUDO_USER": "ev\x1b[31mil" + "x" * 200, "SSH_CONNECTION": "not\x07an-ip 1 2 3"})

    assert "\x1b" not in found.sudo_user
    assert found.sudo_user.endswith("…")
    assert len(found.sudo_user) <= identity.NAME_LIMIT + 1  # the cap plus the ellipsis
    assert found.ssh_client == "not\\x07an-ip"


def test_the_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUDO_USER", "carol")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.setenv("SSH_CLIENT", "192.0.2.1 4000 22")

    found = current_identity()

    assert (found.sudo_user, found.ssh_client) == ("carol", "192.0.2.1")


def _no_passwd_entry(uid: int) -> NoReturn:
    raise KeyError(uid)


def test_without_a_passwd_entry_the_uid_names_the_person_never_logname_or_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pwd, "getpwuid", _no_passwd_entry)

    assert current_identity({"LOGNAME": "dave", "USER": "erin"}).user == f"uid-{os.geteuid()}"
    assert current_identity({}).user == f"uid-{os.geteuid()}"


def test_a_peer_uid_names_the_person_and_its_reported_context_stays_context() -> None:
    found = identity_of_uid(os.geteuid(), {"sudo_user": "alice", "ssh_client": "fe80::1%eth0"})

    assert (found.user, found.sudo_user, found.ssh_client) == (THIS_USER, "alice", "fe80::1")
    assert found.describe() == f"{THIS_USER} (SUDO_USER alice, unverified) from fe80::1"


def test_reported_context_reads_sudo_user_and_the_ssh_address_only() -> None:
    environ = {"SUDO_USER": "bob", "USER": "mallory", "SSH_CONNECTION": "192.0.2.9 5 192.0.2.1 22"}

    assert reported_context(environ) == {"sudo_user": "bob", "ssh_client": "192.0.2.9"}


def test_user_groups_of_a_real_user_include_the_primary_group() -> None:
    primary = grp.getgrgid(pwd.getpwnam(THIS_USER).pw_gid).gr_name

    assert primary in user_groups(THIS_USER)


def test_user_groups_of_an_unknown_user_are_empty() -> None:
    assert user_groups("no-such-user-dutyroom-test") == set()


class _FakeAccounts:
    """A passwd/group database with one user in a primary and two supplementary groups (one unnamed)."""

    def __init__(self) -> None:
        self.passwd = {"ops1": 1500}
        self.groups = {1500: "ops1", 1600: "duty", 1700: "noc", 1800: None}
        self.members = {1600: ["ops1"], 1700: ["ops1", "other"], 1800: ["ops1"]}

    def getpwnam(self, name: str) -> pwd.struct_passwd:
        gid = self.passwd[name]
        return pwd.struct_passwd((name, "x", 1500, gid, "", "/home", "/bin/sh"))

    def getgrgid(self, gid: int) -> grp.struct_group:
        name = self.groups[gid]
        if name is None:
            raise KeyError(gid)
        return grp.struct_group((name, "x", gid, self.members.get(gid, [])))

    def getgrall(self) -> list[grp.struct_group]:
        return [self.getgrgid(gid) for gid, name in self.groups.items() if name is not None]

    def getgrouplist(self, user: str, gid: int) -> list[int]:
        return [gid, *(g for g, users in self.members.items() if user in users)]


@pytest.fixture
def fake_accounts(monkeypatch: pytest.MonkeyPatch) -> _FakeAccounts:
    fake = _FakeAccounts()
    monkeypatch.setattr(pwd, "getpwnam", fake.getpwnam)
    monkeypatch.setattr(grp, "getgrgid", fake.getgrgid)
    monkeypatch.setattr(grp, "getgrall", fake.getgrall)
    monkeypatch.setattr(os, "getgrouplist", fake.getgrouplist)
    return fake


def test_user_groups_are_primary_plus_supplementary(fake_accounts: _FakeAccounts) -> None:
    assert user_groups("ops1") == {"ops1", "duty", "noc"}


def test_user_groups_fall_back_to_the_group_file(fake_accounts: _FakeAccounts, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_grouplist(user: str, gid: int) -> list[int]:
        raise OSError("getgrouplist failed")

    monkeypatch.setattr(os, "getgrouplist", failing_grouplist)

    assert user_groups("ops1") == {"ops1", "duty", "noc"}
