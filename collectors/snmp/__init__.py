"""SNMP polling: a pysnmp v3arch client, MIB profiles as data, counter rates, and `SnmpCollector`."""

from __future__ import annotations

from collectors.snmp.collector import SnmpCollector
from collectors.snmp.probe import probe_snmp
from collectors.snmp.profile_model import Profile, combine_profiles
from collectors.snmp.profiles import (
    ProfileError,
    available_profile_names,
    installed_profile_names,
    load_profile,
)
from collectors.snmp.runtime import set_max_in_flight
from collectors.snmp.spec import AUTH_PROTOCOLS, PRIV_PROTOCOLS, SnmpTargetSpec

__all__ = [
    "AUTH_PROTOCOLS",
    "PRIV_PROTOCOLS",
    "Profile",
    "ProfileError",
    "SnmpCollector",
    "SnmpTargetSpec",
    "available_profile_names",
    "combine_profiles",
    "installed_profile_names",
    "load_profile",
    "probe_snmp",
    "set_max_in_flight",
]
