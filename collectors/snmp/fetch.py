"""What one poll asks a device for: its clock, plus the profile's scalars and tables by name."""

from __future__ import annotations

from collections.abc import Mapping

from collectors.snmp.client import SnmpClient
from collectors.snmp.decode_common import Fetched, Index
from collectors.snmp.oids import SNMP_ENGINE_BOOTS, SNMP_ENGINE_TIME, SYS_UPTIME, Oid
from collectors.snmp.profile_model import Profile, TableSpec
from collectors.snmp.values import Kind, SnmpValue

CLOCK_OIDS = (SYS_UPTIME, SNMP_ENGINE_BOOTS, SNMP_ENGINE_TIME)
Rows = dict[Index, dict[str, SnmpValue]]


async def fetch(
    client: SnmpClient, profile: Profile, *, selected: tuple[str, ...] = (), max_repetitions: int = 25
) -> tuple[Fetched, dict[Oid, SnmpValue]]:
    """The profile's data and the agent's clock values (sysUpTime, snmpEngineBoots, snmpEngineTime)."""
    values = await client.get([*CLOCK_OIDS, *profile.scalars.values()])
    scalars = {name: values[oid] for name, oid in profile.scalars.items()}
    tables: dict[str, Rows] = {}
    for table in profile.tables:
        if table.select_by and selected:
            tables[table.name] = await _selected_rows(client, table, selected, max_repetitions)
        else:
            columns = await client.walk(list(table.columns.values()), max_repetitions)
            tables[table.name] = _rows(table, columns)
    clock = {oid: values[oid] for oid in CLOCK_OIDS}
    return Fetched(scalars=scalars, tables=tables), clock


async def _selected_rows(client: SnmpClient, table: TableSpec, selected: tuple[str, ...], max_repetitions: int) -> Rows:
    """Walk only the name column, then GET the other columns of the wanted rows (big switches, few links)."""
    name_column = table.columns[table.select_by]
    names = (await client.walk([name_column], max_repetitions))[name_column]
    wanted = [index for index, value in names.items() if value.text() in selected]
    others = {key: oid for key, oid in table.columns.items() if key != table.select_by}
    requested = [(index, key, oid + index) for index in wanted for key, oid in others.items()]
    values = await client.get([oid for _, _, oid in requested])
    rows: Rows = {index: {table.select_by: names[index]} for index in wanted}
    for index, key, oid in requested:
        value = values.get(oid)
        if value is not None and value.kind not in (Kind.NO_SUCH_INSTANCE, Kind.NO_SUCH_OBJECT):
            rows[index][key] = value
    return rows


def _rows(table: TableSpec, columns: Mapping[Oid, Mapping[Index, SnmpValue]]) -> Rows:
    rows: Rows = {}
    for key, oid in table.columns.items():
        for index, value in columns.get(oid, {}).items():
            rows.setdefault(index, {})[key] = value
    return rows


def clock_number(clock: Mapping[Oid, SnmpValue], oid: Oid) -> int | None:
    value = clock.get(oid)
    if value is None or value.kind not in (Kind.TIMETICKS, Kind.INTEGER, Kind.GAUGE32):
        return None
    return value.payload if isinstance(value.payload, int) else None
