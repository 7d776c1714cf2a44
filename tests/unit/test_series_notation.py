"""The series notation of `dutyroom test-rules` expands exactly as promtool's does.

The expected expansions are Prometheus's own: `testSeries` and `TestParseSeriesDesc` in
prometheus/prometheus `promql/parser/parse_test.go`, the series lexer cases in `promql/parser/lex_test.go`,
and the examples of `docs/configuration/unit_testing_rules.md` (section `<series>`). Only the values part of
each `input` is used: a rule test names its series with `target`, `metric` and `labels` keys instead.
"""

from __future__ import annotations

import math
import random

import pytest

from dutyroom.rules.series_notation import FAIL, MISSING, STALE, SeriesValue, expand_series

_ = MISSING
INF = math.inf

PROMETHEUS_EXPANSIONS: list[tuple[str, list[SeriesValue]]] = [
    # parse_test.go testSeries: `{} 1 2 3`, `{a="b"} -1 2 3`
    ("1 2 3", [1.0, 2.0, 3.0]),
    ("-1 2 3", [-1.0, 2.0, 3.0]),
    # testSeries: `my_metric{a="b"} 1 2 3-10x4` and `... 1 2 3-0x4`
    ("1 2 3-10x4", [1.0, 2.0, 3.0, -7.0, -17.0, -27.0, -37.0]),
    ("1 2 3-0x4", [1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0]),
    # testSeries: `{} 1x0` and `{} 1+1x0` are one sample each
    ("1x0", [1.0]),
    ("1+1x0", [1.0]),
    # testSeries: `my_metric{a="b"} 1 3 _ 5 _x4`: `_xN` is N missing samples, not N+1
    ("1 3 _ 5 _x4", [1.0, 3.0, _, 5.0, _, _, _, _]),
    # testSeries: signs on plain values
    ("1 -1", [1.0, -1.0]),
    ("1 +1", [1.0, 1.0]),
    ("1 -1 -3-10x4 7 9 +5", [1.0, -1.0, -3.0, -13.0, -23.0, -33.0, -43.0, 7.0, 9.0, 5.0]),
    ("1 +1 +4 -6 -2 8", [1.0, 1.0, 4.0, -6.0, -2.0, 8.0]),
    # testSeries: "Trailing spaces should be correctly handles."
    ("1 2 3    ", [1.0, 2.0, 3.0]),
    # TestParseSeriesDesc "label name characters that require quoting": `0+50x2`
    ("0+50x2", [0.0, 50.0, 100.0]),
    # TestParseSeriesDesc "empty string"
    ("", []),
    # lex_test.go "series descriptions": `metric +Inf Inf NaN` (NaN is checked separately below)
    ("+Inf Inf -Inf", [INF, INF, -INF]),
    # lex.go: `Inf` ends at `+`, so `Inf+0x2` is a repetition (generated_parser.y `series_value signed_number TIMES`)
    ("Inf+0x2 -Inf+1x1", [INF, INF, INF, -INF, -INF]),
    # unit_testing_rules.md, expanding notation examples 1 to 4
    ("-2+4x3", [-2.0, 2.0, 6.0, 10.0]),
    (" 1-2x4", [1.0, -1.0, -3.0, -5.0, -7.0]),
    (" 1x4", [1.0, 1.0, 1.0, 1.0, 1.0]),
    (" 1 _x3 stale", [1.0, _, _, _, STALE]),
]

PROMETHEUS_FAILURES = [
    "1+1",  # testSeries `{} 1+1`: a step without a repetition
    "1 3 _ 5 _a4",  # testSeries: `_a4`
    "-3-3 -3",  # testSeries: `-3-3` (a step without a repetition)
    "-3 -3-3",  # testSeries
    "-3 _-2",  # testSeries: a missing sample cannot step
    "-3 3+3x4-4",  # testSeries: junk after the repetition
    "_ 1 x .3",  # lex_test.go: lexes, but a lone `x` is no series item
    "1x1.5",  # generated_parser.y `uint`: "invalid repetition in series values"
    "stalex3",  # generated_parser.y `series_value`: an identifier other than `stale`
    "0x1f",  # lex.go scanNumber: "Disallow hexadecimal in series descriptions as the syntax is ambiguous"
    "Infx3",  # lex.go lexKeywordOrIdentifier: `Infx3` is one identifier, neither Inf nor a repetition
    "1+NaNx2",  # the same for the step
]


@pytest.mark.parametrize(("notation", "expected"), PROMETHEUS_EXPANSIONS)
def test_series_expand_as_prometheus_expands_them(notation: str, expected: list[SeriesValue]) -> None:
    expansion = expand_series(notation)
    assert expansion.problems == []
    assert expansion.values == expected


@pytest.mark.parametrize("notation", PROMETHEUS_FAILURES)
def test_series_prometheus_refuses_are_refused(notation: str) -> None:
    assert expand_series(notation).problems


def test_nan_is_a_number_as_in_prometheus() -> None:
    values = expand_series("NaN nan").values
    assert len(values) == 2
    assert all(isinstance(value, float) and math.isnan(value) for value in values)


def test_one_x_three_is_four_samples() -> None:
    assert expand_series("1x3").values == [1.0, 1.0, 1.0, 1.0]


def test_steps_accumulate_as_prometheus_adds_them() -> None:
    # generated_parser.y adds the step to the running value (`$1 += $2`) rather than multiplying it.
    running = 0.0
    expected = []
    for _index in range(11):
        expected.append(running)
        running += 0.1
    assert expand_series("0+0.1x10").values == expected


def test_combinations_in_one_string() -> None:
    assert expand_series("10 _x2 5-1x2 stale 7x1 _ fail online").values == [
        10.0,
        _,
        _,
        5.0,
        4.0,
        3.0,
        STALE,
        7.0,
        7.0,
        _,
        FAIL,
        "online",
    ]


def test_numbers_in_the_forms_prometheus_lexes() -> None:
    assert expand_series(".5 1. 1e3 2.5E-1 1e+2x1 1_000").values == [0.5, 1.0, 1000.0, 0.25, 100.0, 100.0, 1000.0]


@pytest.mark.parametrize(
    ("notation", "offset", "message_part"),
    [
        ("1 2 1+1", 4, "'1+1' steps but does not repeat"),
        ("1 2 x", 4, "'x'"),
        ("10 stalex3", 3, "'stale' cannot repeat"),
        ("10 Stale", 3, "did you mean 'stale'"),
        ("10 FAIL", 3, "did you mean 'fail'"),
        ("10 onlinex3", 3, "a word cannot repeat"),
        ("5 010", 2, "leading zero"),
        ("1 0x1f", 2, "hexadecimal"),
        ("1 1x99999999999", 2, "too many samples"),
        ("1 1+", 2, "bad sample '1+'"),
    ],
)
def test_a_bad_token_is_reported_at_its_offset(notation: str, offset: int, message_part: str) -> None:
    problems = expand_series(notation).problems
    assert len(problems) == 1
    assert problems[0].offset == offset
    assert message_part in problems[0].message


def test_every_bad_token_is_reported_at_once() -> None:
    problems = expand_series("1+1 2 _a4 3 x").problems
    assert [problem.offset for problem in problems] == [0, 6, 12]


def test_random_strings_never_raise() -> None:
    rng = random.Random(12)
    alphabet = "0123456789+-x_. eEstaleINFnaf\t"
    for _round in range(5000):
        text = "".join(rng.choice(alphabet) for _char in range(rng.randint(0, 24)))
        expansion = expand_series(text)
        assert all(0 <= problem.offset < len(text) for problem in expansion.problems), text


@pytest.mark.parametrize(
    ("notation", "message_part"),
    [("1e999", "out of range"), ("1x" + "9" * 5000, "too many samples"), ("_x" + "9" * 5000, "too many samples")],
)
def test_numbers_beyond_reason_are_problems_not_exceptions(notation: str, message_part: str) -> None:
    problems = expand_series(notation).problems
    assert [message_part in problem.message for problem in problems] == [True]
