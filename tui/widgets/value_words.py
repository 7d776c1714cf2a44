"""Words for flag values in the alert list: `battery` or `leak`, not `1`; `normal`, not `0`; `firing` for an
alert an Alertmanager lists (its 1 or 2 only encodes the severity the row already shows).

A flag metric is 1 when a device's raw code is one of the profile's `flag` codes (ups.on_battery, env.water_leak).
Its word for 1 is its name's last part (`leak`, `battery`, `alarm`), or the profile's own enum word for the same
raw code when that word says the same thing more precisely (APC's `on-battery`); the profile's enum word alone
can be generic (the AKCP probe calls a wet leak switch `critical`). Profiles are read once, lazily, from the
installed set; an unknown profile (or a site's own directory) keeps the number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutyroom.model import SOURCE_ALERT_METRIC, MetricValue

if TYPE_CHECKING:
    from collectors.snmp.profile_model import MetricSpec, Profile


def flag_word(flag: MetricSpec, beside: tuple[MetricSpec, ...]) -> str:
    """The word for a flag that is set, from its name, preferring an enum word on the same raw column."""
    own = flag.name.rpartition(".")[2].rpartition("_")[2] or flag.name
    column = flag.values[0].bare_name if len(flag.values) == 1 else ""
    for metric in beside:
        if column and metric.enum and len(metric.values) == 1 and metric.values[0].bare_name == column:
            words = [metric.enum[code] for code in sorted(flag.flag) if code in metric.enum]
            if len(words) == 1 and own.casefold() in words[0].casefold():
                return words[0]
    return own


def profile_flag_words(profile: Profile) -> dict[str, str]:
    """Every flag metric of `profile` with its word for 1."""
    from collectors.snmp.profile_model import MetricKind

    groups = [profile.metrics, *(table.metrics for table in profile.tables)]
    return {
        metric.name: flag_word(metric, group) for group in groups for metric in group if metric.kind is MetricKind.FLAG
    }


class FlagWords:
    """Flag words per profile, read the first time a profile's flag alert is drawn."""

    def __init__(self, cleared: str, listed: str = "") -> None:
        self._cleared = cleared
        self._listed = listed
        self._profiles: dict[str, dict[str, str]] = {}

    def words_of(self, profile: str) -> dict[str, str]:
        found = self._profiles.get(profile)
        if found is None:
            found = self._profiles[profile] = _read(profile)
        return found

    def word(self, profile: str, metric: str, value: MetricValue | None) -> str | None:
        """The word for `value` of `metric` when it is a flag of `profile` or an Alertmanager's alert (else None:
        show the value)."""
        if metric == SOURCE_ALERT_METRIC and self._listed and isinstance(value, float):
            return self._listed if value > 0 else self._cleared
        if not profile or not metric or not isinstance(value, float) or value not in (0.0, 1.0):
            return None
        word = self.words_of(profile).get(metric)
        if word is None:
            return None
        return word if value == 1.0 else self._cleared


def _read(profile: str) -> dict[str, str]:
    from collectors.snmp.profiles import load_profile

    try:
        return profile_flag_words(load_profile(profile))
    except (OSError, ValueError):  # ProfileError is a ValueError: no words, the number is shown
        return {}
