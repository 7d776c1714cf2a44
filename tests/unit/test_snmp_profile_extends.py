"""A profile that extends another reads everything the base reads, plus its own; mistakes are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.snmp.profiles import ProfileError, load_profile


def write(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.toml").write_text(f'name = "{name}"\n{text}', encoding="utf-8")


def test_the_base_comes_first_and_the_profile_adds(tmp_path: Path) -> None:
    write(tmp_path, "site-ups", 'extends = "ups-mib"\n[scalars]\nbypass_volts = "1.3.6.1.2.1.33.1.5.3.1.2.1"\n'
          '[[metric]]\nname = "ups.bypass_voltage_v"\nvalue = "bypass_volts"\n')  # fmt: skip
    profile = load_profile("site-ups", [tmp_path])
    base = load_profile("ups-mib")
    assert profile.metrics[: len(base.metrics)] == base.metrics
    assert profile.metrics[-1].name == "ups.bypass_voltage_v"
    assert profile.tables == base.tables
    assert profile.group == "power"  # from the base, as the file names none
    assert profile.detect.oids == ()  # detection is the file's own
    assert set(profile.scalars) == set(base.scalars) | {"bypass_volts"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('extends = "site-ups"\n', "`extends` must name another profile"),
        ('extends = "no-such-profile"\n', "no profile named 'no-such-profile'"),
        ('extends = "ups-mib"\n[scalars]\noutput_source = "1.3.6.1.4.1.1.0"\n', "scalars.output_source: names another"),
    ],
)
def test_mistakes_are_refused(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "site-ups", text)
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace("`", "`")):
        load_profile("site-ups", [tmp_path])
