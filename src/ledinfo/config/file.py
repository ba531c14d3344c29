"""The TOML configuration: source, municipality, local standards and packs.

Everything is checked when the file is read, and every problem is reported at
once with its key path (``packs[2].audience``), so a committee secretary can
fix the file in one go. See ``docs/configuration.md`` for the reference and
``examples/ledinfo.toml`` for a worked example.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from pathlib import Path

from ledinfo.domain.rules import load_catalogue
from ledinfo.errors import ConfigError
from ledinfo.interfaces.delivery import delivery_problems
from ledinfo.interfaces.source import source_problems
from ledinfo.language import LANGUAGES
from ledinfo.model.audiences import (  # noqa: F401 - COMMITTEE, DIRECTOR, TEAM_LEADER: still importable from here
    AUDIENCES,
    COMMITTEE,
    DIRECTOR,
    TEAM_LEADER,
    normalise_audience,
)
from ledinfo.model.audiences import audience as audience_record
from ledinfo.model.config import (  # noqa: F401 - the types, re-exported: a config is read here
    DEFAULT_PACKS,
    Committee,
    Config,
    Contact,
    Municipality,
    MunicipalitySpec,
    PackSpec,
    Standards,
)
from ledinfo.model.fields import CPR_PROBLEM
from ledinfo.model.verdicts import Margin
from ledinfo.outside import character_name
from ledinfo.outside.headers import address_problem, header_text_problem
from ledinfo.privacy.cpr import contains_cpr, redact

_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Line breaks and other control characters in a setting end up in mail headers (a broken or
# forged message), file names and PDF titles: no text setting may hold one. (The source's
# options may: an SQL query spans lines.)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
DELIVERY_KEYS = {"type", "ledger", "attempts", "backoff_seconds", "operator", "lock_timeout"}
# Settings of a built-in plugin live in its [plugins.<name>] table, like any plugin's.
MOVED_TO_PLUGINS = {"goals": "write each goal as a [[plugins.goals.goal]] table (the goals plugin's settings)",
                    "supervision": "write [plugins.supervision] (the supervision plugin's settings)"}


def shown_key(key) -> str:
    """A key as a key path shows it: as written, or quoted and escaped if it holds what cannot be printed."""
    key = str(key)
    return key if key.isprintable() else repr(key)


class _Checker:
    """Collects problems in a config so they can be reported together."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        self.checked_by_models: list[str] = []  # key paths a settings model already found a problem at

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def model_problems(self, problems: list[str]) -> None:
        """Problems a plugin's settings model found (``key.path: message``): the net below says no more there."""
        self.problems += problems
        self.checked_by_models += [problem.split(": ", 1)[0] for problem in problems]

    def net(self, path: str, message: str) -> None:
        """A problem the core's safety net finds in any text (a control character, a CPR number), unless the
        settings model that owns the key already said what is wrong with it: one problem, said once."""
        if not any(path == known or path.startswith((f"{known}.", f"{known}[")) for known in self.checked_by_models):
            self.problem(path, message)

    def keys(self, table: dict, allowed: set[str], path: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(sorted(allowed))})"
                self.problem(f"{path}.{key}" if path else key, f"unknown key{hint}")

    def typed(self, table: dict, key: str, kind, path: str, default=None):
        if key not in table:
            return default
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join(k.__name__.replace("str", "text").replace("int", "whole number") for k in kinds)
            self.problem(f"{path}.{key}" if path else key, f"expected {names}, got {value!r}")
            return default
        return value

    def strings(self, table: dict, key: str, path: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{path}.{shown_key(key)}", f"expected a list of texts, got {value!r}")
            return ()
        return tuple(value)

    def one_line_texts(self, value, path: str) -> None:
        """Refuse a control character (a line break, a tab, ESC) in every text in ``value``."""
        if isinstance(value, str):
            found = _CONTROL.search(value)
            if found:
                what = character_name(found.group())
                where = "at the end" if found.start() == len(value.rstrip()) else f"at character {found.start() + 1}"
                self.net(path, f"holds {what} {where}; a setting is one line of text")
        elif isinstance(value, dict):
            for key, item in value.items():
                self.one_line_texts(str(key), f"{path}.{shown_key(key)}" if path else shown_key(key))
                self.one_line_texts(item, f"{path}.{shown_key(key)}" if path else shown_key(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.one_line_texts(item, f"{path}[{index + 1}]")

    def no_cpr_numbers(self, value, path: str) -> None:
        """Refuse a CPR number in every text in ``value``, keys too (a team name in ``team_recipients``):
        a setting is printed on packs, in file names, mail headers and the manifest. The number is never
        repeated, not even in the key path."""
        if isinstance(value, str):
            if contains_cpr(value):
                self.net(path, CPR_PROBLEM)
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{redact(str(key))}" if path else redact(str(key))
                if contains_cpr(str(key)):
                    self.net(where, "the key holds a CPR number; remove it")
                self.no_cpr_numbers(item, where)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.no_cpr_numbers(item, f"{path}[{index + 1}]")

    def address(self, value, path: str) -> None:
        """An email address, optionally with a name: ``Ledelsesinfo <li@fjordby.dk>`` (ledinfo.outside.headers)."""
        if isinstance(value, str) and (_CONTROL.search(value) or contains_cpr(value)):
            return  # reported by one_line_texts and no_cpr_numbers: one problem, said once
        problem = address_problem(value)
        if problem:
            self.problem(path, problem)

    def header_text(self, value, path: str) -> None:
        """A text that goes in a mail header (a pack's title, a team's name): one line, as a mail program reads it."""
        if isinstance(value, str) and not _CONTROL.search(value):  # a control character: one_line_texts
            problem = header_text_problem(value)
            if problem:
                self.problem(path, problem)

    def raise_if_any(self) -> None:
        if self.problems:
            lines = "\n".join(f"  {p}" for p in self.problems)
            raise ConfigError(f"The configuration {self.origin} has {len(self.problems)} "
                              f"problem{'s' if len(self.problems) != 1 else ''}:\n{lines}")


def _pack(check: _Checker, raw: dict, path: str) -> PackSpec | None:
    if not isinstance(raw, dict):
        check.problem(path, "each [[packs]] entry must be a table")
        return None
    check.keys(raw, {"id", "audience", "title", "sections", "leave_out", "recipients", "team_recipients", "teams",
                    "template"}, path)
    pack_id = check.typed(raw, "id", str, path)
    if pack_id is None:
        check.problem(f"{path}.id", "every pack needs an id (used for its file names), e.g. id = \"udvalg\"")
    elif not _PACK_ID.match(pack_id):
        check.problem(f"{path}.id", f"{pack_id!r} must be lower-case letters, digits, - or _ (it names files)")
    audience_text = check.typed(raw, "audience", str, path)
    audience = normalise_audience(audience_text) if audience_text else None
    if audience_text is None:
        check.problem(f"{path}.audience", f"every pack needs an audience: {', '.join(AUDIENCES)}")
    elif audience is None:
        check.problem(f"{path}.audience", f"{audience_text!r} is not an audience (choose {', '.join(AUDIENCES)})")
    team_recipients: dict[str, tuple[str, ...]] = {}
    raw_teams = raw.get("team_recipients", {})
    if not isinstance(raw_teams, dict):
        check.problem(f"{path}.team_recipients", "expected a table of team = [addresses]")
    else:
        for team in raw_teams:
            where = f"{path}.team_recipients.{shown_key(team)}"
            check.header_text(team, where)  # the team's name goes in the subject
            team_recipients[team] = check.strings(raw_teams, team, f"{path}.team_recipients")
            for index, address in enumerate(team_recipients[team]):
                check.address(address, f"{where}[{index + 1}]")
    recipients = check.strings(raw, "recipients", path)
    for index, address in enumerate(recipients):
        check.address(address, f"{path}.recipients[{index + 1}]")
    check.header_text(raw.get("title"), f"{path}.title")  # the title goes in the subject
    if team_recipients and audience is not None and not audience_record(audience).per_team:
        check.problem(f"{path}.team_recipients", "only team-leader packs have recipients per team")
    if pack_id is None or audience is None:
        return None
    return PackSpec(
        id=pack_id,
        audience=audience,
        sections=check.strings(raw, "sections", path),
        title=check.typed(raw, "title", str, path),
        recipients=recipients,
        team_recipients=team_recipients,
        teams=check.strings(raw, "teams", path),
        leave_out=check.strings(raw, "leave_out", path),
        template=check.typed(raw, "template", str, path),
    )


def plugin_problems(delivery: dict, plugins: dict, registry, sources: dict[str, dict] | None = None
                    ) -> tuple[dict, list[str]]:
    """What only the installed plugins can check, each against the pydantic model the plugin declares:
    each ``[plugins.<name>]`` table, ``[delivery.<type>]`` against the delivery's ``Options`` and each source
    (``sources``: key path -> ``[source]`` table) against the source's. (The checked settings, the problems.)

    :func:`parse_config` calls this when it is given the plugins (the registry), so a user sees these
    problems in the same list as the rest, before any data is read; the plan calls it again for the settings.
    """
    settings, problems = registry.check_settings(plugins)
    problems += delivery_problems(delivery, registry)[1]
    for prefix, source in (sources or {}).items():
        problems += source_problems(source, registry, prefix)[1]
    return settings, problems


def parse_config(data: dict, base_dir: Path, origin: str, path: Path | None = None, registry=None) -> Config:
    """Check a parsed TOML document and turn it into a :class:`Config`.

    With ``registry`` (the installed plugins), the plugins' settings tables and the delivery's
    options are checked too, and their problems listed with the rest.
    """
    check = _Checker(origin)
    for moved in MOVED_TO_PLUGINS:
        if moved in data:
            check.problem(moved, f"has moved: {MOVED_TO_PLUGINS[moved]}; see docs/configuration.md")
    check.keys({k: v for k, v in data.items() if k not in MOVED_TO_PLUGINS},
               {"language", "municipality", "source", "standards", "disclosure", "packs", "delivery", "rules",
                "mapping", "municipalities", "plugins", "committee", "comments", "verdicts"}, "")

    language = check.typed(data, "language", str, "", "da")
    if language not in LANGUAGES:
        check.problem("language", f"{language!r} is not supported (choose {', '.join(LANGUAGES)})")

    muni_raw = check.typed(data, "municipality", dict, "", {})
    check.keys(muni_raw, {"name", "inhabitants"}, "municipality")
    municipality = Municipality(
        name=check.typed(muni_raw, "name", str, "municipality", ""),
        inhabitants=check.typed(muni_raw, "inhabitants", int, "municipality"),
    )

    municipalities = _municipalities(check, data)
    if not municipalities and not municipality.name.strip() and "name" not in muni_raw:
        check.problem("municipality.name", "missing: the municipality's name, printed on every pack's cover, "
                                           "e.g. [municipality] name = \"Fjordby Kommune\"")
    elif not municipalities and not municipality.name.strip():
        check.problem("municipality.name", "is empty: write the name printed on every pack's cover")
    committee = _committee(check, data.get("committee", {}), "committee")
    comments = _comments(check, data.get("comments", {}), base_dir)
    source = check.typed(data, "source", dict, "", None)
    if municipalities:
        if source is not None or "municipality" in data:
            check.problem("municipalities", "with [[municipalities]], each municipality has its own name and "
                                            "source: remove the top-level [source] and [municipality]")
        source = {}
    elif source is None:
        check.problem("source", "missing: add a [source] table, e.g. type = \"folder\" and path = \"extract\"")
        source = {}
    elif "type" not in source or not isinstance(source["type"], str):
        check.problem("source.type", "missing: which source reads the data (folder, demo, ...)")

    std_raw = check.typed(data, "standards", dict, "", {})
    defaults = Standards()
    check.keys(std_raw, set(defaults.__dataclass_fields__), "standards")
    values = {}
    for name in defaults.__dataclass_fields__:
        value = check.typed(std_raw, name, int, "standards", getattr(defaults, name))
        if value is not None and value <= 0:
            check.problem(f"standards.{name}", "must be a positive whole number")
            value = getattr(defaults, name)
        values[name] = value
    standards = Standards(**values)

    verdicts = _verdicts(check, data.get("verdicts", {}))
    disclosure = check.typed(data, "disclosure", dict, "", {})
    check.keys(disclosure, {"threshold"}, "disclosure")
    threshold = check.typed(disclosure, "threshold", int, "disclosure", 5)
    if threshold is not None and threshold < 1:
        check.problem("disclosure.threshold", "must be at least 1")

    packs_raw = data.get("packs", None)
    packs: list[PackSpec] = []
    if packs_raw is None:
        packs = list(DEFAULT_PACKS)
    elif not isinstance(packs_raw, list):
        check.problem("packs", "write each pack as a [[packs]] table")
    else:
        for index, raw in enumerate(packs_raw):
            pack = _pack(check, raw, f"packs[{index + 1}]")
            if pack:
                packs.append(pack)
        seen: set[str] = set()
        for pack in packs:
            if pack.id in seen:
                check.problem("packs", f"two packs have the id {pack.id!r}; ids name files and must differ")
            seen.add(pack.id)

    delivery = check.typed(data, "delivery", dict, "", {})
    plugins = check.typed(data, "plugins", dict, "", {})  # checked against each plugin's schema
    if registry is not None:  # the plugins' own models first: the core's net below says no more where they did
        sources = {f"municipalities[{m + 1}].source": raw["source"] for m, raw in enumerate(data["municipalities"])
                   if isinstance(raw, dict) and isinstance(raw.get("source"), dict)} if municipalities \
            else {"source": source}
        check.model_problems(plugin_problems(delivery if isinstance(delivery, dict) else {},
                                             plugins if isinstance(plugins, dict) else {}, registry, sources)[1])
    _delivery(check, delivery)
    for key in ("language", "municipality", "packs", "plugins", "committee", "comments"):
        check.one_line_texts(data.get(key), key)
    check.no_cpr_numbers(_without_sources(data), "")
    for index, raw in enumerate(data.get("municipalities", []) if isinstance(data.get("municipalities"), list) else []):
        if isinstance(raw, dict):
            check.one_line_texts({k: v for k, v in raw.items() if k != "source"}, f"municipalities[{index + 1}]")
    rules = check.typed(data, "rules", dict, "", {})
    if isinstance(rules, dict) and rules:
        try:
            load_catalogue(rules, standards)
        except ConfigError as error:
            check.problem("", str(error))
    mappings = {}
    mapping_raw = check.typed(data, "mapping", dict, "", {})
    if mapping_raw:
        from ledinfo.extract.mapping import parse_mappings  # deferred: Polars; the rerun check reads a config without it

        try:
            mappings = parse_mappings(mapping_raw)
        except ConfigError as error:
            check.problem("", str(error))
    check.raise_if_any()
    return Config(
        base_dir=base_dir,
        source=dict(source),
        path=path,
        language=language,
        municipality=municipality,
        standards=standards,
        threshold=threshold,
        packs=tuple(packs),
        delivery=dict(delivery),
        rules=dict(rules),
        plugins=dict(plugins),
        mappings=mappings,
        municipalities=tuple(municipalities),
        committee=committee,
        verdicts=verdicts,
        comments=comments,
    )


def _verdicts(check: _Checker, raw) -> Margin:
    """``[verdicts]``: the margin within which a figure is "close" to its yardstick (docs/configuration.md)."""
    if not isinstance(raw, dict):
        check.problem("verdicts", "write it as a table: [verdicts] margin_points = 5")
        return Margin()
    check.keys(raw, {"margin_points", "margin_percent"}, "verdicts")
    values = {}
    for key, name, most in (("margin_points", "points", 100), ("margin_percent", "percent", 100)):
        value = raw.get(key, getattr(Margin(), name))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            check.problem(f"verdicts.{key}", f"must be a number, got {value!r}")
        elif not 0 <= value <= most:
            check.problem(f"verdicts.{key}", f"must be from 0 to {most}, got {value!r}")
        else:
            values[name] = float(value)
    return Margin(**values)


def _committee(check: _Checker, raw, path: str) -> Committee:
    """``[committee]``: name, meetings (dates) and contact (name, email, phone), for the committee pack's cover."""
    if not isinstance(raw, dict):
        check.problem(path, "must be a table: name = \"...\", meetings = [2026-11-10, ...], contact = { name = \"...\" }")
        return Committee()
    check.keys(raw, {"name", "meetings", "contact"}, path)
    name = check.typed(raw, "name", str, path)
    meetings: list[dt.date] = []
    raw_meetings = raw.get("meetings", [])
    if not isinstance(raw_meetings, list):
        raw_meetings = [raw_meetings]
    for index, value in enumerate(raw_meetings):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            meetings.append(value)
        else:
            hint = " (write the date without quotes: 2026-11-10)" if isinstance(value, str) else ""
            check.problem(f"{path}.meetings[{index + 1}]", f"expected a date such as 2026-11-10, got {value!r}{hint}")
    contact = None
    raw_contact = raw.get("contact")
    if raw_contact is not None:
        where = f"{path}.contact"
        if not isinstance(raw_contact, dict):
            check.problem(where, "must be a table: { name = \"...\", email = \"...\", phone = \"...\" }")
        else:
            check.keys(raw_contact, {"name", "email", "phone"}, where)
            contact_name = check.typed(raw_contact, "name", str, where)
            if not contact_name:
                check.problem(f"{where}.name", "missing: the contact person's name, e.g. name = \"Mette Hansen\"")
            if "email" in raw_contact:
                check.address(raw_contact["email"], f"{where}.email")
            phone = check.typed(raw_contact, "phone", str, where)
            if contact_name:
                email = raw_contact.get("email") if isinstance(raw_contact.get("email"), str) else None
                contact = Contact(contact_name, email, phone)
    return Committee(name, tuple(meetings), contact)


def _comments(check: _Checker, raw, base_dir: Path) -> Path:
    """``[comments] folder``: where the administration's comments are (default ``comments`` next to the config)."""
    if not isinstance(raw, dict):
        check.problem("comments", "must be a table: folder = \"comments\"")
        return base_dir / "comments"
    check.keys(raw, {"folder"}, "comments")
    folder = check.typed(raw, "folder", str, "comments")
    if folder is None:
        return base_dir / "comments"
    path = base_dir / folder
    if not path.is_dir():
        check.problem("comments.folder", f"{path} is not a folder (it holds one folder per period, e.g. "
                                         f"{folder}/2026-10/udvalg.md)")
    return path


def _delivery(check: _Checker, raw: dict) -> None:
    """``[delivery]``: every key, all at once, when the config is read (``ledinfo run`` sends with it)."""
    if not raw:
        return
    check.one_line_texts(raw, "delivery")
    kind = check.typed(raw, "type", str, "delivery")
    if kind is None:
        check.problem("delivery.type", "missing: how packs are delivered (email or folder)")
    check.keys({k: v for k, v in raw.items() if k != kind}, DELIVERY_KEYS, "delivery")
    for key, low, high in (("attempts", 1, 10), ("backoff_seconds", 0, 300), ("lock_timeout", 0, 86_400)):
        value = check.typed(raw, key, int if key == "attempts" else (int, float), "delivery")
        if value is not None and not low <= value <= high:
            check.problem(f"delivery.{key}", f"must be from {low} to {high}, got {value!r}")
    check.typed(raw, "ledger", str, "delivery")
    if "operator" in raw:
        check.address(raw["operator"], "delivery.operator")
    if kind is not None and kind in raw and not isinstance(raw[kind], dict):
        check.problem(f"delivery.{kind}", "must be a table of the delivery's options")
    # the options themselves are checked by the delivery plugin, with the plugins' settings (ledinfo.pipeline.plan)


def _municipalities(check: _Checker, data: dict) -> list[MunicipalitySpec]:
    """``[[municipalities]]``: id, name, inhabitants and source of each."""
    raw_list = data.get("municipalities", [])
    if not isinstance(raw_list, list):
        check.problem("municipalities", "write each municipality as a [[municipalities]] table")
        return []
    found: list[MunicipalitySpec] = []
    for index, raw in enumerate(raw_list):
        path = f"municipalities[{index + 1}]"
        if not isinstance(raw, dict):
            check.problem(path, "each [[municipalities]] entry must be a table")
            continue
        check.keys(raw, {"id", "name", "inhabitants", "source", "committee"}, path)
        municipality_id = check.typed(raw, "id", str, path)
        name = check.typed(raw, "name", str, path)
        source = check.typed(raw, "source", dict, path)
        if municipality_id is None:
            check.problem(f"{path}.id", "every municipality needs an id (it names its output folder), "
                                        "e.g. id = \"aarhus\"")
        elif not _PACK_ID.match(municipality_id):
            check.problem(f"{path}.id", f"{municipality_id!r} must be lower-case letters, digits, - or _ "
                                        "(it names a folder)")
        if name is None:
            check.problem(f"{path}.name", "every municipality needs a name, e.g. name = \"Aarhus Kommune\"")
        if source is None:
            check.problem(f"{path}.source", "every municipality needs a source, e.g. "
                                            "source = { type = \"folder\", path = \"data/aarhus\" }")
        elif not isinstance(source.get("type"), str):
            check.problem(f"{path}.source.type", "missing: which source reads the data (folder, sql, ...)")
        if municipality_id and name and source is not None:
            found.append(MunicipalitySpec(municipality_id, Municipality(
                name, check.typed(raw, "inhabitants", int, path)), dict(source),
                _committee(check, raw.get("committee", {}), f"{path}.committee")))
    seen: set[str] = set()
    for spec in found:
        if spec.id in seen:
            check.problem("municipalities", f"two municipalities have the id {spec.id!r}; ids name folders "
                                            "and must differ")
        seen.add(spec.id)
    return found


def _without_sources(data: dict) -> dict:
    """The settings whose texts can reach an output: all but a source's options (an SQL query, a path)."""
    settings = {key: value for key, value in data.items() if key != "source"}
    if isinstance(settings.get("municipalities"), list):
        settings["municipalities"] = [{k: v for k, v in entry.items() if k != "source"} if isinstance(entry, dict)
                                      else entry for entry in settings["municipalities"]]
    return settings


def load_config(path: Path, registry=None) -> Config:
    """Read and check a config file (with ``registry``: against the installed plugins too)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; save it as UTF-8") from None
    return parse_config(data, path.resolve().parent, str(path), path.resolve(), registry)


def folder_config(data_dir: Path, municipality: str | None = None, language: str = "da") -> Config:
    """The config ``ledinfo build --data DIR`` uses: the folder source and the default packs."""
    return Config(
        base_dir=Path.cwd(),
        source={"type": "folder", "path": str(data_dir)},
        language=language,
        municipality=Municipality(name=municipality or ""),  # no name: the packs print none
        packs=DEFAULT_PACKS,
    )
