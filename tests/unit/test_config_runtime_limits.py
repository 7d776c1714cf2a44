"""Configs that would break a running poller are refused by the loader at file:line:col (issue 13.8).

A zero interval made the scheduler raise on reload; arrays nested a few hundred deep made tomllib recurse
until RecursionError, in `check` (a 3,000-line traceback) and in a reload alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError, ProblemCollector
from dutyroom.config.typed_toml import MAX_NESTING, nesting_too_deep, parse_toml_text

HOST_ONLY = """\
[site]
name = "room"

[defaults]
interval = "{interval}"
timeout = "{timeout}"

[[target]]
id = "console"
group = "servers"
kind = "host"
{extra}
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "checks.toml"
    path.write_text(text)
    try:
        load_config(path, environ={})
    except ConfigError as error:
        return [str(problem).replace(str(path), "checks.toml") for problem in error.problems]
    return []


def test_a_zero_default_interval_is_refused_where_it_is_written(tmp_path: Path) -> None:
    text = HOST_ONLY.format(interval="0s", timeout="2s", extra="")
    assert problems_of(tmp_path, text) == ["checks.toml:5:12: 'interval' must be longer than 0s"]


def test_a_zero_target_interval_is_refused_instead_of_falling_back_to_the_default(tmp_path: Path) -> None:
    text = HOST_ONLY.format(interval="10s", timeout="2s", extra='interval = "0ms"')
    assert problems_of(tmp_path, text) == ["checks.toml:12:12: 'interval' must be longer than 0s"]


def test_a_zero_timeout_is_refused(tmp_path: Path) -> None:
    text = HOST_ONLY.format(interval="10s", timeout="0s", extra="")
    assert problems_of(tmp_path, text) == ["checks.toml:6:11: 'timeout' must be longer than 0s"]


def test_arrays_nested_hundreds_deep_are_one_problem_at_the_bracket_not_a_recursion_error(tmp_path: Path) -> None:
    text = HOST_ONLY.format(interval="10s", timeout="2s", extra="mounts = " + "[" * 500 + "]" * 500)
    column = len("mounts = ") + MAX_NESTING + 1
    assert problems_of(tmp_path, text) == [
        f"checks.toml:12:{column}: arrays and inline tables nested more than {MAX_NESTING} deep"
    ]


def test_inline_tables_count_as_nesting_too() -> None:
    text = "a = " + "{ b = " * 40 + "1" + " }" * 40 + "\n"
    assert nesting_too_deep(text) == (1, len("a = ") + len("{ b = ") * MAX_NESTING + 1)


@pytest.mark.parametrize(
    "text",
    [
        'a = "' + "[" * 100 + '"\n',
        "a = '" + "[" * 100 + "'\n",
        'a = """\n' + "[" * 100 + '\n"""\n',
        "a = '''\n" + "{" * 100 + "\n'''\n",
        "# " + "[" * 100 + "\na = 1\n",
        'a = "\\"' + "[" * 100 + '"\n',
        "a = [[[1]], [[2]]]\n[[t]]\nb = [{ c = [1] }]\n" * 50,
    ],
)
def test_brackets_in_strings_comments_and_siblings_are_not_nesting(text: str) -> None:
    collector = ProblemCollector("x.toml")
    assert nesting_too_deep(text) is None
    assert parse_toml_text(text, collector) is not None
    assert collector.problems == []


def test_nesting_at_the_limit_still_loads() -> None:
    text = "a = " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n"
    collector = ProblemCollector("x.toml")
    assert parse_toml_text(text, collector) is not None


def test_read_commands_load_without_resolving_any_secret(tmp_path: Path) -> None:
    secret = tmp_path / "community"
    secret.write_text("public\n")
    secret.chmod(0o644)  # refused when resolved: readable by others
    text = HOST_ONLY.format(interval="10s", timeout="2s", extra="") + (
        '\n[credentials.ups]\ncommunity = { file = "community" }\n'
        '\n[credentials.gw]\ntoken = { env = "NOT_SET_ANYWHERE" }\n'
    )
    path = tmp_path / "checks.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="accessible by group or others"):
        load_config(path, environ={})
    loaded = load_config(path, environ={}, resolve_secrets=False)
    assert set(loaded.parsed.credentials) == {"ups", "gw"}
    assert loaded.unset_env == ()
