"""Load and check MIB profiles (TOML) into `Profile` values; every problem names its file and entry."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from collectors.snmp.oids import Oid, parse_oid
from collectors.snmp.profile_metrics import parse_metric
from collectors.snmp.profile_model import Detect, Profile, TableSpec
from collectors.snmp.profile_parts import ProfileError, check_keys, parse_conditions, parse_labels
from dutyroom.config.typed_toml import nesting_too_deep

INSTALLED_DIR = Path(__file__).resolve().parent.parent / "profiles"
SITE_DIR_NAME = "profiles"
"""A site's own profiles live in `profiles/` beside its checks.toml and are searched before the installed ones."""
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TOP_KEYS = {"name", "description", "priority", "group", "extends", "detect", "scalars", "metric", "table", "suggest"}
_TABLE_KEYS = {"name", "columns", "labels", "where", "select_by", "discontinuity", "metric"}

__all__ = [
    "INSTALLED_DIR",
    "ProfileError",
    "installed_profile_names",
    "load_profile",
    "parse_profile",
    "profile_path",
    "site_profile_dirs",
]


def site_profile_dirs(config_dir: Path) -> tuple[Path, ...]:
    """The site's own profile folder (`profiles/` beside checks.toml), when there is one."""
    local = config_dir / SITE_DIR_NAME
    return (local,) if local.is_dir() else ()


def installed_profile_names() -> tuple[str, ...]:
    """Profiles shipped with dutyroom (collectors/profiles/*.toml)."""
    return tuple(sorted(path.stem for path in INSTALLED_DIR.glob("*.toml")))


def available_profile_names(extra_dirs: Iterable[str | Path] = ()) -> tuple[str, ...]:
    """Installed profiles plus those in a site's own directories."""
    names = set(installed_profile_names())
    for directory in extra_dirs:
        names.update(path.stem for path in Path(directory).glob("*.toml") if _NAME.match(path.stem))
    return tuple(sorted(names))


def load_profile(name: str, extra_dirs: Iterable[str | Path] = ()) -> Profile:
    """The profile called `name`: a site's directories are searched first, then the installed ones."""
    return parse_profile_file(profile_path(name, extra_dirs))


def profile_path(name: str, extra_dirs: Iterable[str | Path] = ()) -> Path:
    """The file `load_profile(name, extra_dirs)` reads; ProfileError for a bad name or when there is none."""
    if not _NAME.match(name):
        raise ProfileError(f"bad profile name {name!r}: lower-case letters, digits, - and _ only")
    for directory in [*map(Path, extra_dirs), INSTALLED_DIR]:
        path = directory / f"{name}.toml"
        if path.is_file():
            return path
    raise ProfileError(f"no profile named {name!r} (installed: {', '.join(installed_profile_names())})")


def read_profile_document(path: Path) -> dict[str, Any]:
    """The profile file as TOML data; ProfileError (never RecursionError or OSError) when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}: {error}") from None
    if (too_deep := nesting_too_deep(text)) is not None:
        raise ProfileError(f"{path}:{too_deep[0]}:{too_deep[1]}: arrays and tables nested too deeply")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: {error}") from None


def parse_profile_file(path: Path) -> Profile:
    document = read_profile_document(path)
    try:
        profile = parse_profile(document, source=str(path))
    except ProfileError as error:
        raise ProfileError(f"{path}: {error}") from None
    except (TypeError, AttributeError, KeyError, RecursionError) as error:  # a shape the checks did not foresee
        raise ProfileError(f"{path}: malformed profile ({type(error).__name__})") from None
    if profile.name != path.stem:
        raise ProfileError(f"{path}: name {profile.name!r} must match the file name")
    return profile


def parse_profile(document: Mapping[str, Any], source: str = "") -> Profile:
    check_keys(document, _TOP_KEYS, "profile")
    name = document.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ProfileError("`name` must be a profile name (lower-case letters, digits, -, _)")
    scalars = _oid_table(document.get("scalars", {}), "scalars")
    metrics = tuple(
        parse_metric(entry, set(scalars), f"metric[{position}]", in_table=False)
        for position, entry in enumerate(_list_of_tables(document.get("metric", []), "metric"))
    )
    tables = tuple(
        _parse_table(entry, set(scalars), f"table[{position}]")
        for position, entry in enumerate(_list_of_tables(document.get("table", []), "table"))
    )
    priority = document.get("priority", 0)
    description = document.get("description", "")
    group = document.get("group", "")
    if not isinstance(priority, int) or not isinstance(description, str) or not isinstance(group, str):
        raise ProfileError("`priority` must be an integer, `description` and `group` strings")
    own = Profile(
        name=name,
        description=description,
        priority=priority,
        group=group,
        detect=_parse_detect(document.get("detect", {})),
        scalars=MappingProxyType(scalars),
        metrics=metrics,
        tables=tables,
        suggested_rules=tuple(
            MappingProxyType(dict(rule)) for rule in _list_of_tables(document.get("suggest", []), "suggest")
        ),
        source=source,
    )
    extends = document.get("extends", "")
    if not isinstance(extends, str) or extends == name:
        raise ProfileError("`extends` must name another profile")
    return _extended(own, extends, source) if extends else own


def _extended(own: Profile, base_name: str, source: str) -> Profile:
    """`own` on top of the profile it extends (found beside it, then installed): the base's scalars,
    metrics, tables and suggested rules come first; `own` adds to them and keeps its name and detection."""
    base = load_profile(base_name, (Path(source).parent,) if source else ())
    for key, oid in own.scalars.items():
        if base.scalars.get(key, oid) != oid:
            raise ProfileError(f"scalars.{key}: names another OID than in '{base_name}', which this profile extends")
    return Profile(
        name=own.name,
        description=own.description,
        priority=own.priority,
        group=own.group or base.group,
        detect=own.detect,
        scalars=MappingProxyType({**base.scalars, **own.scalars}),
        metrics=base.metrics + own.metrics,
        tables=base.tables + own.tables,
        suggested_rules=base.suggested_rules + own.suggested_rules,
        source=own.source,
    )


def _parse_table(entry: Mapping[str, Any], scalar_names: set[str], where: str) -> TableSpec:
    check_keys(entry, _TABLE_KEYS, where)
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise ProfileError(f"{where}: needs a `name`")
    columns = _oid_table(entry.get("columns", {}), f"{where}.columns")
    if not columns:
        raise ProfileError(f"{where}: needs `columns`")
    known = set(columns)
    for key in ("select_by", "discontinuity"):
        if entry.get(key, "") and entry[key] not in known:
            raise ProfileError(f"{where}: `{key}` must name a column")
    names = known | scalar_names
    entries = _list_of_tables(entry.get("metric", []), f"{where}.metric")
    metrics = tuple(
        parse_metric(metric, names, f"{where}.metric[{position}]", in_table=True, columns=known)
        for position, metric in enumerate(entries)
    )
    return TableSpec(
        name=name,
        columns=MappingProxyType(columns),
        metrics=metrics,
        labels=parse_labels(entry.get("labels", {}), known, where),
        where=parse_conditions(entry.get("where", {}), known, where),
        select_by=str(entry.get("select_by", "")),
        discontinuity=str(entry.get("discontinuity", "")),
    )


def _parse_detect(entry: Any) -> Detect:
    if not isinstance(entry, Mapping):
        raise ProfileError("`detect` must be a table")
    check_keys(entry, {"oids", "sys_object_ids"}, "detect")
    return Detect(
        oids=tuple(_oid(text, "detect.oids") for text in _list_of_str(entry.get("oids", []), "detect.oids")),
        sys_object_ids=tuple(
            _oid(text, "detect.sys_object_ids")
            for text in _list_of_str(entry.get("sys_object_ids", []), "detect.sys_object_ids")
        ),
    )


def _oid_table(entry: Any, where: str) -> dict[str, Oid]:
    if not isinstance(entry, Mapping):
        raise ProfileError(f'`{where}` must be a table of name = "OID"')
    result: dict[str, Oid] = {}
    for key, text in entry.items():
        if not re.match(r"^[a-z_][a-z0-9_]*$", key) or key == "index":
            raise ProfileError(f"{where}: bad name {key!r} (lower-case identifier, not `index`)")
        result[key] = _oid(text, f"{where}.{key}")
    return result


def _oid(text: Any, where: str) -> Oid:
    if not isinstance(text, str):
        raise ProfileError(f"{where}: an OID must be a string")
    try:
        return parse_oid(text)
    except ValueError as error:
        raise ProfileError(f"{where}: {error}") from None


def _list_of_str(entry: Any, where: str) -> list[str]:
    if not isinstance(entry, list) or not all(isinstance(item, str) for item in entry):
        raise ProfileError(f"`{where}` must be a list of strings")
    return entry


def _list_of_tables(entry: Any, where: str) -> list[Mapping[str, Any]]:
    if not isinstance(entry, list) or not all(isinstance(item, Mapping) for item in entry):
        raise ProfileError(f"`{where}` must be an array of tables ([[{where}]])")
    return entry
