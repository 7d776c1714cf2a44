"""`dutyroom handover` on a shift built through the engine and the command line: every section, in English and
Chinese, Markdown and plain text, at 80 columns; the fixed file-name pattern; sign-off by two operators.
"""

# ruff: noqa: F811 (the fixture imported from test_handover_history is a parameter here)
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import time
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from test_handover_history import ROOT, TZ, ShiftHistory, shift  # noqa: F401 (fixture)
from unix_users import python_for_everyone, readable_by_everyone, serving, shared_directory, unix_users

from dutyroom.handover.writer import write_handover
from dutyroom.operators.identity import current_identity
from dutyroom.room import load_room
from dutyroom.store.database import Store

pytestmark = pytest.mark.integration

HEADINGS = {
    "en": [
        "Open alerts",
        "Opened and resolved during the shift",
        "Playbook runs",
        "Silences and maintenance ending by",
        "Flapping, stale and unreachable targets",
        "Collector health",
        "Capacity headroom",
        "Notes for the next shift",
        "DRILLS",
        "Sign-off",
    ],
    "zh": [
        "未恢复告警",
        "本班发生并已恢复的告警",
        "应急预案执行",
        "下一班结束",
        "抖动、数据过期与不可达的对象",
        "采集状态",
        "容量余量",
        "给下一班的留言",
        "演练",
        "交接签字",
    ],
}


def cells(line: str) -> int:
    """Terminal cells, measured independently of dutyroom: East Asian Wide/Fullwidth count two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in line)


def sections(text: str, fmt: str) -> dict[str, str]:
    """Section heading -> its text, for Markdown (## headings) or plain text (underlined headings)."""
    lines = text.splitlines()
    starts: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if fmt == "md" and line.startswith("## "):
            starts.append((index, line[3:]))
        elif fmt == "txt" and index + 1 < len(lines) and line and re.fullmatch(r"-{3,}", lines[index + 1]):
            starts.append((index, line))
    bounds = [*starts, (len(lines), "")]
    return {title: "\n".join(lines[index + 1 : bounds[number + 1][0]]) for number, (index, title) in enumerate(starts)}


def find(parts: dict[str, str], prefix: str) -> str:
    matches = [body for title, body in parts.items() if title.replace("\\", "").startswith(prefix)]
    assert len(matches) == 1, f"section {prefix!r} not found once in {list(parts)}"
    return matches[0].replace("\\", "")


def flat(text: str) -> str:
    """Wrapped lines joined, Markdown list marks removed, so phrases can be searched across line breaks."""
    return re.sub(r"\s+", " ", re.sub(r"(?m)^\s*(?:[-*] )?", "", text))


@pytest.fixture(scope="module")
def handovers(shift: ShiftHistory) -> dict[tuple[str, str], str]:
    written: dict[tuple[str, str], str] = {}
    for lang in ("en", "zh"):
        for fmt in ("md", "txt"):
            out = shift.root / f"handover-check-{lang}.{fmt}"
            result = shift.cli("handover", "--lang", lang, "--format", fmt, "--out", str(out))
            assert result.returncode == 0, result.stderr
            assert result.stdout.strip() == f"handover written: {out}"
            written[(lang, fmt)] = out.read_text(encoding="utf-8")
    return written


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_every_section_in_english(shift: ShiftHistory, handovers: dict[tuple[str, str], str], fmt: str) -> None:
    text = handovers[("en", fmt)]
    parts = sections(text, fmt)
    assert [title.replace("\\", "").split(" (")[0] for title in parts][:1] == ["Open alerts"]
    for prefix in HEADINGS["en"]:
        find(parts, prefix)
    header = flat(text.split("Open alerts")[0].replace("\\", ""))
    start, end = (
        datetime.fromtimestamp(at, TZ).strftime("%Y-%m-%d %H:%M") for at in (shift.shift_start, shift.shift_end)
    )
    assert "Site: 张江主机房 Zhangjiang DC" in header
    assert f"{start} to {end} (Asia/Shanghai)" in header
    assert "alice from 10.8.0.5" in header
    assert "bob from 10.8.0.6" in header
    assert "王伟, Alice Chen" in header
    assert "Verdict: 2 critical alerts open, 1 unacknowledged" in header

    open_alerts = flat(find(parts, "Open alerts"))
    assert "UNREACHABLE core-sw (核心交换机 A) / reach" in open_alerts
    assert "CRITICAL ups-a (UPS-A 一号主机房) / ups-runtime-low" in open_alerts
    assert "value 10 min" in open_alerts
    assert "acknowledged by" in open_alerts
    assert "on site, vendor called" in open_alerts
    assert re.search(r"the acknowledgement expires (\d\d-\d\d )?\d\d:\d\d", open_alerts)
    assert "NOT acknowledged" in open_alerts
    assert "STALE (warning) temp-1" in open_alerts
    assert "silenced by" in open_alerts

    resolved = find(parts, "Opened and resolved")
    assert re.search(r"trade-gw .*gw-latency .*warning .* 1 .* 30m", resolved)
    assert "gw-latency: acknowledged by bob from 10.8.0.6 at" in flat(resolved), "its ack comment stays"
    assert "gateway slow, exchange informed" in flat(resolved)
    assert "md-feed" in resolved
    assert "temp-high" not in resolved, "an incident of the previous shift leaked in"

    runs = flat(find(parts, "Playbook runs"))
    assert "UPS runtime low" in runs
    assert "step 1 done by alice from 10.8.0.5" in runs
    assert "step 2 done by alice from 10.8.0.5 + bob from 10.8.0.6" in runs
    assert "step 3 OPEN: Call the UPS vendor" in runs
    assert "deadline Check the UPS panel: met" in runs
    assert "deadline Call the UPS vendor: MISSED" in runs
    assert "runtime steady at 10 min" in runs
    assert "DRILL" not in runs

    silences = flat(find(parts, "Silences and maintenance"))
    assert "target=temp-1" in silences
    assert "sensor replacement 更换传感器" in silences
    assert "md-nightly (target=md-feed) by checks.toml" in silences

    targets = flat(find(parts, "Flapping, stale and unreachable"))
    assert "core-sw (核心交换机 A): UNREACHABLE since" in targets
    assert "md-feed: md-lag is FLAPPING" in targets
    assert "temp-high STALE" in targets

    assert "7 targets polled" in find(parts, "Collector health")
    capacity = find(parts, "Capacity headroom")
    assert re.search(r"oms .*orders-capacity .*2\.73x .*3x .*1,100 .*3,000 .*BELOW", capacity)

    notes = flat(find(parts, "Notes for the next shift"))
    assert "Vendor engineer arrives 21:00; 厂商工程师 21:00 到场" in notes
    assert "runtime 10 min steady; 下一班继续观察电池温度" in notes
    assert "drill" not in notes

    drills = flat(find(parts, "DRILLS"))
    assert "[DRILL] ups-b (UPS-B 演练) ups-runtime-low: critical" in drills
    assert "[DRILL] UPS runtime low" in drills
    assert "drill: simulated battery test on UPS-B" in drills

    signoff = flat(find(parts, "Sign-off"))
    assert "Outgoing: not signed yet" in signoff
    assert "Incoming: not signed yet" in signoff


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_every_section_in_chinese(handovers: dict[tuple[str, str], str], fmt: str) -> None:
    text = handovers[("zh", fmt)]
    parts = sections(text, fmt)
    for prefix in HEADINGS["zh"]:
        find(parts, prefix)
    header = flat(text.split("未恢复告警")[0].replace("\\", ""))
    assert "机房：张江主机房 Zhangjiang DC" in header
    assert "结论：2 条严重告警未恢复，其中 1 条未确认" in header
    open_alerts = flat(find(parts, "未恢复告警"))
    assert "不可达 core-sw" in open_alerts
    assert "未确认" in open_alerts
    assert re.search(r"确认于 (\d\d-\d\d )?\d\d:\d\d 失效", open_alerts)
    assert "gw-latency" in find(parts, "本班发生并已恢复的告警")
    runs = flat(find(parts, "应急预案执行"))
    assert "UPS 后备时间不足" in runs
    assert "第 3 步 未完成：致电 UPS 厂商值班电话并记录工单号。" in runs
    assert "时限 致电 UPS 厂商：已超时" in runs
    assert "md-lag 抖动中" in flat(find(parts, "抖动、数据过期与不可达的对象"))
    assert "不足" in find(parts, "容量余量")
    assert "厂商工程师 21:00 到场" in flat(find(parts, "给下一班的留言"))
    assert "【演练】 ups-b" in flat(find(parts, "演练"))
    assert "交班人：尚未签字" in flat(find(parts, "交接签字"))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_lines_fit_80_columns_and_carry_no_escape_bytes(
    handovers: dict[tuple[str, str], str], lang: str, fmt: str
) -> None:
    text = handovers[(lang, fmt)]
    too_wide = [line for line in text.splitlines() if cells(line) > 80]
    assert not too_wide
    assert any(unicodedata.east_asian_width(char) == "W" for char in text), "the check needs CJK text to mean anything"
    assert not [char for char in text if unicodedata.category(char) == "Cc" and char != "\n"]
    assert "[redacted]" in text.replace("\\", "")  # the core switch's reason echoed the HTTP token


def test_markup_from_devices_stays_literal_in_markdown(handovers: dict[tuple[str, str], str]) -> None:
    text = handovers[("en", "md")]
    assert "\\<img src=x onerror=alert(1)\\>" in text
    assert "\\[@click=app.quit\\]" in text
    assert not re.search(r"(?<!\\)[<>\[\]]", text), "an unescaped Markdown/HTML character"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plain_text_has_no_markdown_escapes(handovers: dict[tuple[str, str], str], lang: str) -> None:
    text = handovers[(lang, "txt")]
    assert "<img src=x onerror=alert(1)>" in " ".join(text.split())
    assert not re.search(r"\\[<>\[\]#*_`|~]", text), "a Markdown escape in the plain-text file"


def test_default_name_pattern_and_private_directory(shift: ShiftHistory) -> None:
    state = shift.copy_state("state-name")
    result = shift.cli("handover", "--format", "txt", state=state)
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip().removeprefix("handover written: "))
    assert path.parent == state / "handovers"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    match = re.fullmatch(r"handover-(\d{8}T\d{6})-(\d{4}|day|night)\.txt", path.name)
    assert match, path.name
    written = datetime.strptime(match[1], "%Y%m%dT%H%M%S").replace(tzinfo=TZ).timestamp()
    assert shift.built_at - 5 <= written <= time.time() + 1
    assert match[2] == datetime.fromtimestamp(shift.shift_start, TZ).strftime("%H%M") or match[2] in ("day", "night")
    assert not [entry for entry in path.parent.iterdir() if entry.name.endswith(".tmp")]


def test_an_earlier_shift_is_chosen_with_shift_start(shift: ShiftHistory) -> None:
    previous = datetime.fromtimestamp(shift.shift_start - 12 * 3600, TZ).strftime("%Y-%m-%dT%H:%M")
    out = shift.root / "previous-shift.md"
    result = shift.cli("handover", "--shift-start", previous, "--out", str(out))
    assert result.returncode == 0, result.stderr
    parts = sections(out.read_text(encoding="utf-8"), "md")
    resolved = find(parts, "Opened and resolved")
    assert "temp-1" in resolved
    assert "temp-high" in resolved
    assert "gw-latency" not in resolved
    assert "Vendor engineer" not in find(parts, "Notes for the next shift")


def test_outgoing_then_incoming_sign_off(shift: ShiftHistory) -> None:
    """Two verified people sign through the service: a real Unix user (alice), then root as the second person.

    The room is served the way several people share it: `serve` runs as the service's user (svc), which owns
    the state directory and wrote the handover; the signers act through its socket, told apart by the uid the
    kernel gives the service (SUDO_USER names nobody). A third signer is refused in
    tests/unit/test_handover_signoff.py.
    """
    with unix_users() as users, shared_directory() as room:
        duty = users.group("duty")
        service = users.add("svc", groups=[duty])
        alice = users.add("alice", groups=[duty])
        state, config = _room_owned_by(service, shift, room)
        run = room / "run"
        run.mkdir(mode=0o750)
        shutil.chown(run, service, duty)
        socket = run / "api.sock"
        python, packages = python_for_everyone()

        def as_user(who: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
            argv = [python, "-m", "tui.cli.main", *args, "--config", str(config), "--state", str(state)]
            argv += ["--socket", str(socket)]
            environ = {**shift.env(), "PYTHONPATH": os.pathsep.join((str(ROOT), packages)), **env}
            return users.run_as(who, argv, environ, cwd="/")

        result = as_user("svc", "handover")  # the service's user writes it, before anyone signs
        assert result.returncode == 0, result.stderr
        path = Path(result.stdout.strip().removeprefix("handover written: "))
        assert path.parent == state / "handovers"
        original = path.read_text(encoding="utf-8")
        body = original[: original.index("## Sign-off")]

        community = {"DUTYROOM_TEST_COMMUNITY": shift.env()["DUTYROOM_TEST_COMMUNITY"]}
        with serving(users, "svc", config, state, socket, duty, env=community):
            outgoing = as_user("alice", "handover", "--sign", SUDO_USER="bob")
            assert outgoing.returncode == 0, outgoing.stderr
            assert outgoing.stdout.startswith(f"signed {path.name} as outgoing (action #"), outgoing.stdout
            again = as_user("alice", "handover", "--sign", SUDO_USER="bob")
            assert "as outgoing (signed before; file refreshed)" in again.stdout, again.stdout + again.stderr
            incoming = shift.cli("handover", "--sign", "--socket", str(socket), state=state)
            assert incoming.returncode == 0, incoming.stderr
            assert "as incoming" in incoming.stdout

        signed = path.read_text(encoding="utf-8")
        assert signed.startswith(body), "signing must not change what was signed"
        signoff = flat(signed[len(body) :])
        outgoing_by = re.escape(f"{alice} (SUDO_USER bob, unverified)")
        assert re.search(rf"Outgoing: {outgoing_by}, signed \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d", signoff), signoff
        assert re.search(r"Incoming: root, signed", signoff)
        assert "not signed yet" not in signoff
        assert "changed between" not in signoff
        assert not [line for line in signed.splitlines() if cells(line) > 80]

        with Store.open_existing(state, read_only=True) as store:
            signs = [action for action in store.actions_after(0, 10_000) if action.kind == "handover-sign"]
        connection = sqlite3.connect(f"file:{state / 'dutyroom.db'}?mode=ro", uri=True)
        try:
            written = [
                detail for kind, detail in connection.execute("SELECT kind, detail FROM audit") if kind == "handover"
            ]
        finally:
            connection.close()
        assert json.loads(written[-1])["file"] == path.name  # the write itself is audited too
        assert [(action.actor.user, action.payload["role"], action.payload["file"]) for action in signs] == [
            (alice, "outgoing", path.name),
            ("root", "incoming", path.name),
        ]
        assert signs[0].payload["sha256"] == signs[1].payload["sha256"]
        audit = as_user("svc", "audit", "verify")
        assert audit.returncode == 0, audit.stdout + audit.stderr


def test_screen_svg_is_written_beside_the_file_without_secrets(
    shift: ShiftHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_handover_history import COMMUNITY, TOKEN

    monkeypatch.setenv("DUTYROOM_TEST_COMMUNITY", COMMUNITY)
    state = shift.copy_state("state-svg")
    room = load_room(shift.config)
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><text>ups-a token {TOKEN} &amp; {COMMUNITY}</text></svg>'
    with Store.open(state) as store:
        result = write_handover(room, store, time.time(), actor=current_identity(), screen_svg=svg)
    assert result.svg_path == result.path.with_suffix(".svg")
    assert result.svg_path is not None
    assert result.svg_path.parent == result.path.parent
    picture = result.svg_path.read_text(encoding="utf-8")
    assert "ups-a token [redacted] &amp; [redacted]" in picture


def _room_owned_by(user: str, shift: ShiftHistory, room: Path) -> tuple[Path, Path]:
    """A copy of the shift's room in `room`: checks.toml and playbooks readable, state and secret owned by `user`."""
    source = shift.config.parent
    config = room / "checks.toml"
    shutil.copy(shift.config, config)
    shutil.copytree(source / "playbooks", room / "playbooks")
    shutil.copy(source / "gw.token", room / "gw.token")
    state = room / "state"
    shutil.copytree(shift.state, state)
    for path in [room / "gw.token", state, *state.rglob("*")]:
        shutil.chown(path, user)
    readable_by_everyone(config)
    readable_by_everyone(room / "playbooks")
    return state, config
