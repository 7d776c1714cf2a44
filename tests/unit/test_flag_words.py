"""A flag's word: the profile's enum word for its code when it says the same thing, else its name's last part."""

from __future__ import annotations

import tomllib

from collectors.snmp.profiles import load_profile, parse_profile
from tui.widgets.value_words import FlagWords, profile_flag_words

PROFILE = """
name = "test-ups"
[scalars]
status = "1.3.6.1.4.1.99.1.0"
[[metric]]
name = "ups.output_status"
kind = "enum"
value = "status"
enum = { 2 = "online", 3 = "on-battery", 4 = "critical" }
[[metric]]
name = "ups.on_battery"
kind = "flag"
value = "status"
flag = [3]
[[metric]]
name = "ups.fault_alarm"
kind = "flag"
value = "status"
flag = [4]
"""


def test_the_enum_word_is_taken_when_it_says_what_the_flag_name_says() -> None:
    words = profile_flag_words(parse_profile(tomllib.loads(PROFILE)))
    assert words == {"ups.on_battery": "on-battery", "ups.fault_alarm": "alarm"}


def test_the_shipped_profiles_give_battery_and_leak() -> None:
    assert profile_flag_words(load_profile("ups-mib"))["ups.on_battery"] == "battery"
    assert profile_flag_words(load_profile("akcp-sensorprobe"))["env.water_leak"] == "leak"


def test_only_a_flag_of_a_known_profile_becomes_a_word() -> None:
    words = FlagWords("normal")
    assert words.word("ups-mib", "ups.on_battery", 1.0) == "battery"
    assert words.word("ups-mib", "ups.on_battery", 0.0) == "normal"
    assert words.word("ups-mib", "ups.runtime_min", 1.0) is None
    assert words.word("ups-mib", "ups.on_battery", 0.5) is None
    assert words.word("no-such-profile", "ups.on_battery", 1.0) is None
    assert words.word("", "ups.on_battery", 1.0) is None
