"""The TOML configuration: source, municipality, local standards, packs, delivery and the plugins' settings.

One way to check it: every table is a pydantic model — the core's (:mod:`ledinfo.model.config_file`), each
source's and the delivery's ``Options``, each plugin's ``[plugins.<name>]`` settings — and the file is
checked against all of them when it is read, before any data is, with every problem reported at once with
its key path (``packs[2].audience``, ``source.path``, ``delivery.email.port``) and the file's name, so a
committee secretary can fix the file in one go. Here is only what spans tables or needs the disk. See
``docs/configuration.md`` for the reference and ``examples/ledinfo.toml`` for a worked example.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ledinfo.domain.rules import load_catalogue
from ledinfo.errors import ConfigError
from ledinfo.interfaces.delivery import delivery_problems
from ledinfo.model.audiences import (  # noqa: F401 - COMMITTEE, DIRECTOR, TEAM_LEADER: still importable from here
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
    pack_teams,
)
from ledinfo.model.config_file import CommitteeTable, ConfigFile, DeliveryTable
from ledinfo.model.fields import CPR_PROBLEM, one_line_problem
from ledinfo.model.settings import check_settings, shown_key
from ledinfo.model.verdicts import Margin
from ledinfo.privacy.cpr import holds_cpr

DELIVERY_KEYS = set(DeliveryTable.model_fields)
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # a pack id that may be repeated in a message
# Settings of a built-in plugin live in its [plugins.<name>] table, like any plugin's.
MOVED_TO_PLUGINS = {"goals": "write each goal as a [[plugins.goals.goal]] table (the goals plugin's settings)",
                    "supervision": "write [plugins.supervision] (the supervision plugin's settings)"}
# Who gets a pack is the delivery's own setting (API 0.3): an old [[packs]] list is refused with where it goes now.
MOVED_FROM_PACKS = {
    "recipients": "has moved to the delivery's settings: write [delivery.email.to] {id} = [\"udvalg@fjordby.dk\"] "
                  "(docs/delivery.md)",
    "team_recipients": "has moved to the delivery's settings: write each team's addresses under "
                       "[delivery.email.team_to.{id}], e.g. \"Børn\" = [\"leder.boern@fjordby.dk\"] (docs/delivery.md)",
}


class _Problems:
    """Collects a config's problems so they are reported together."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        self.checked_by_models: list[str] = []  # key paths a settings model already found a problem at

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def model_problems(self, problems: list[str]) -> None:
        """Problems a settings model found (``key.path: message``): the net below says no more there."""
        self.problems += problems
        self.checked_by_models += [problem.split(": ", 1)[0] for problem in problems]

    def net(self, path: str, message: str) -> None:
        """A problem the safety net finds in any text (a control character, a CPR number) — in a plugin's table
        whose model took a plain ``str`` — unless the model that owns the key already said what is wrong with it:
        one problem, said once."""
        if not any(path == known or path.startswith((f"{known}.", f"{known}[")) for known in self.checked_by_models):
            self.problem(path, message)

    def one_line_texts(self, value, path: str) -> None:
        """Refuse a control character (a line break, a tab, ESC) in every text in ``value``, keys too."""
        if isinstance(value, str):
            problem = one_line_problem(value)
            if problem:
                self.net(path, problem)
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{shown_key(key)}" if path else shown_key(key)
                self.one_line_texts(str(key), where)
                self.one_line_texts(item, where)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.one_line_texts(item, f"{path}[{index + 1}]")

    def no_cpr_numbers(self, value, path: str) -> None:
        """Refuse a CPR number in every text in ``value``, keys too (a team name in ``[delivery.email.team_to.<pack>]``):
        a setting is printed on packs, in file names, mail headers and the manifest. The number is never
        repeated, not even in the key path."""
        if isinstance(value, str):
            if holds_cpr(value):
                self.net(path, CPR_PROBLEM)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            # a number setting reaches the packs' JSON as written (a goal's target 2504637933 as 2504637933.0: an
            # attacker's finding); read as the digits a spreadsheet would show, whole or as written
            whole = int(value) if isinstance(value, int) or value.is_integer() else None
            if holds_cpr(str(value)) or (whole is not None and holds_cpr(str(whole))):
                self.net(path, CPR_PROBLEM)
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{shown_key(key)}" if path else shown_key(key)
                if holds_cpr(str(key)):
                    self.net(where, "the key holds a CPR number; remove it")
                self.no_cpr_numbers(item, where)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.no_cpr_numbers(item, f"{path}[{index + 1}]")

    def raise_if_any(self) -> None:
        if self.problems:
            lines = "\n".join(f"  {p}" for p in self.problems)
            raise ConfigError(f"The configuration {self.origin} has {len(self.problems)} "
                              f"problem{'s' if len(self.problems) != 1 else ''}:\n{lines}")


def plugin_problems(delivery: dict, plugins: dict, registry, sources: dict[str, dict] | None = None,
                    packs: dict[str, tuple[str, ...] | None] | None = None, titled: dict | None = None
                    ) -> tuple[dict, list[str]]:
    """What only the installed plugins can check, each against the pydantic model the plugin declares:
    each ``[plugins.<name>]`` table, ``[delivery.<type>]`` against the delivery's ``Options`` and each source
    (``sources``: key path -> ``[source]`` table) against the source's; with ``packs`` (each pack the config makes:
    None, or a team-leader pack's teams), the packs the delivery's options name; with ``titled`` (what
    :func:`_titled_packs` reads), the message the delivery composes for each titled pack. (The checked settings,
    the problems.)

    :func:`parse_config` calls this when it is given the plugins (the registry), so a user sees these
    problems in the same list as the rest, before any data is read; the plan calls it again for the settings.
    """
    # the source interface brings the extract's Polars, which reading a config must not: an unchanged rerun is
    # told from the config and the files before the plugins load, with no heavy library
    from ledinfo.interfaces.source import source_problems  # deferred: Polars, only once plugins are loaded

    settings, problems = registry.check_settings(plugins)
    options, found = delivery_problems(delivery, registry, packs)
    problems += found
    if options is not None and titled:
        problems += composed_message_problems(registry.delivery(delivery["type"]), options, packs or {}, **titled)
    for prefix, source in (sources or {}).items():
        problems += source_problems(source, registry, prefix)[1]
    return settings, problems


def parse_config(data: dict, base_dir: Path, origin: str, path: Path | None = None, registry=None) -> Config:
    """Check a parsed TOML document against the models and turn it into a :class:`Config`.

    With ``registry`` (the installed plugins), each source's and the delivery's options and the plugins'
    settings tables are checked against their plugins' models too, and their problems listed with the rest.
    """
    check = _Problems(origin)
    data = dict(data)
    for moved in MOVED_TO_PLUGINS:
        if moved in data:
            check.problem(moved, f"has moved: {MOVED_TO_PLUGINS[moved]}; see docs/configuration.md")
            del data[moved]
    if isinstance(data.get("packs"), list):
        data["packs"] = [_without_moved_keys(check, raw, index) for index, raw in enumerate(data["packs"])]
    delivery = data.get("delivery") if isinstance(data.get("delivery"), dict) else {}
    kind = delivery.get("type") if isinstance(delivery.get("type"), str) else None
    core = dict(data)
    if "delivery" in core and isinstance(core["delivery"], dict):  # its own [delivery.<type>]: the plugin's model
        core["delivery"] = {k: v for k, v in delivery.items() if k != kind} if delivery else None
    file, problems = check_settings(ConfigFile, core, "")
    check.model_problems(problems)
    municipalities = data.get("municipalities") if isinstance(data.get("municipalities"), list) else []
    if registry is not None:  # the plugins' own models
        sources = {f"municipalities[{m + 1}].source": raw["source"] for m, raw in enumerate(municipalities)
                   if isinstance(raw, dict) and isinstance(raw.get("source"), dict)} if municipalities \
            else {"source": data["source"]} if isinstance(data.get("source"), dict) else {}
        check.model_problems(plugin_problems(delivery, data.get("plugins") if isinstance(data.get("plugins"), dict)
                                             else {}, registry, sources, _packs_made(data), _titled_packs(data))[1])
    _across_tables(check, data, municipalities, kind)
    comments = _comments(check, data.get("comments"), base_dir)
    standards = Standards(**file.standards.model_dump()) if file is not None else Standards()
    if isinstance(data.get("rules"), dict) and data["rules"]:
        try:
            load_catalogue(data["rules"], standards)
        except ConfigError as error:
            check.problem("", str(error))
    mappings = {}
    if isinstance(data.get("mapping"), dict) and data["mapping"]:
        from ledinfo.extract.mapping import parse_mappings  # deferred: Polars; the rerun check reads a config without it

        try:
            mappings = parse_mappings(data["mapping"])
        except ConfigError as error:
            check.problem("", str(error))
    # the safety net, in what plugins' models hold as plain text: what reaches an output is one line, no CPR number
    for key in ("language", "municipality", "packs", "plugins", "committee", "comments", "delivery"):
        check.one_line_texts(data.get(key), key)
    for index, raw in enumerate(municipalities):
        if isinstance(raw, dict):
            check.one_line_texts({k: v for k, v in raw.items() if k != "source"}, f"municipalities[{index + 1}]")
    check.no_cpr_numbers(_without_sources(data), "")
    check.raise_if_any()
    return Config(
        base_dir=base_dir,
        source=dict(file.source or {}) if not file.municipalities else {},
        path=path,
        language=file.language,
        municipality=Municipality(file.municipality.name, file.municipality.inhabitants),
        standards=standards,
        threshold=file.disclosure.threshold,
        packs=DEFAULT_PACKS if file.packs is None else tuple(
            PackSpec(p.id, p.audience, p.sections, p.title, p.teams, p.leave_out, p.template) for p in file.packs),
        delivery=dict(delivery),
        rules=dict(file.rules),
        plugins=dict(file.plugins),
        mappings=mappings,
        municipalities=tuple(MunicipalitySpec(m.id, Municipality(m.name, m.inhabitants), dict(m.source),
                                              _committee(m.committee)) for m in file.municipalities),
        committee=_committee(file.committee),
        verdicts=Margin(file.verdicts.margin_points, file.verdicts.margin_percent),
        comments=comments,
    )


def _across_tables(check: _Problems, data: dict, municipalities: list, kind: str | None) -> None:
    """What no one table's model can see: what is missing given the rest, ids that must differ, the delivery's
    own table."""
    municipality = data.get("municipality") if isinstance(data.get("municipality"), dict) else {}
    name = municipality.get("name")
    if not municipalities and "name" not in municipality:
        check.problem("municipality.name", "missing: the municipality's name, printed on every pack's cover, "
                                           "e.g. [municipality] name = \"Fjordby Kommune\"")
    elif not municipalities and isinstance(name, str) and not name.strip():
        check.problem("municipality.name", "is empty: write the name printed on every pack's cover")
    source = data.get("source")
    if municipalities:
        if source is not None or "municipality" in data:
            check.problem("municipalities", "with [[municipalities]], each municipality has its own name and "
                                            "source: remove the top-level [source] and [municipality]")
        for index, raw in enumerate(municipalities):
            if isinstance(raw, dict) and isinstance(raw.get("source"), dict) \
                    and not isinstance(raw["source"].get("type"), str):
                check.problem(f"municipalities[{index + 1}].source.type",
                              "missing: which source reads the data (folder, sql, ...)")
    elif source is None:
        check.problem("source", "missing: add a [source] table, e.g. type = \"folder\" and path = \"extract\"")
    elif isinstance(source, dict) and not isinstance(source.get("type"), str):
        check.problem("source.type", "missing: which source reads the data (folder, demo, ...)")
    for key, table, what in (("packs", data.get("packs"), "files"), ("municipalities", municipalities, "folders")):
        ids = [raw.get("id") for raw in table if isinstance(raw, dict)] if isinstance(table, list) else []
        for twice in sorted({i for i in ids if isinstance(i, str) and ids.count(i) > 1}):
            check.problem(key, f"two {key} have the id {twice!r}; ids name {what} and must differ")
    delivery = data.get("delivery")
    if isinstance(delivery, dict) and kind is not None and kind in delivery and not isinstance(delivery[kind], dict):
        check.problem(f"delivery.{kind}", "must be a table of the delivery's options")


def _without_moved_keys(check: _Problems, raw, index: int):
    """A ``[[packs]]`` entry less the keys that moved to the delivery's settings, each refused with where it goes."""
    if not isinstance(raw, dict) or not any(key in raw for key in MOVED_FROM_PACKS):
        return raw
    pack_id = raw.get("id") if isinstance(raw.get("id"), str) and _SAFE_ID.match(raw["id"]) else "<the pack's id>"
    for key, where in MOVED_FROM_PACKS.items():
        if key in raw:  # its value is not repeated: it may hold what must not be printed (a CPR number)
            check.problem(f"packs[{index + 1}].{key}", where.format(id=pack_id))
    return {key: value for key, value in raw.items() if key not in MOVED_FROM_PACKS}


def composed_message_problems(delivery, options, packs: dict, titles: dict[int, tuple[str, str]], language: str,
                              municipality: str) -> list[str]:
    """The message the delivery composes for each titled pack (``titles``: a ``[[packs]]`` entry's number to its
    id and title), refused where it holds a CPR number — each setting passed alone, but a title
    "Orientering 250463" in a subject "{title}-7933" makes one — or its subject is one the delivery cannot send
    (:meth:`~ledinfo.interfaces.delivery.Delivery.subject_problem`: email's, an encoded word made of the parts).
    Composed for last month and for each team the delivery addresses (the run checks the message again as sent,
    for its month and the extract's teams); the problem names the settings, never the number."""
    from ledinfo.model.period import Period  # deferred like the rest of what only a check with the plugins needs

    kind, month, problems = delivery.name, str(Period.parse("month")), []
    for number, (pack_id, title) in titles.items():
        teams = [None] if packs.get(pack_id) is None else \
            sorted(delivery.teams_addressed(options, pack_id) | set(packs[pack_id])) or [None]
        for team in teams:
            pack = {"title": title, "team": team, "period": month, "language": language, "headlines": [],
                    "municipality": municipality}
            try:
                subject, body = delivery.message(pack, options)
            except Exception:  # noqa: BLE001 - a plugin's message() fed a sample pack: the run composes the real one
                break
            made_of = f"delivery.{kind}.subject: with packs[{number}].title" + (f" and team {team!r}" if team else "")
            for part, text in (("subject", subject), ("text", body)):
                if holds_cpr(text):
                    problems.append(f"{made_of}, the message's {part} holds a CPR number as composed (not repeated "
                                    "here); change the title or the subject")
                    break
            else:  # an encoded word made of the parts ("=?utf-8?q?{title}" and a title "Orientering?="): refused now,
                # not by the mail server's run at 06:00 (the delivery's own check, the same one, when it sends)
                problem = delivery.subject_problem(subject)
                if problem:
                    problems.append(f"{made_of}, the message's subject as composed {problem}; change the title or "
                                    "the subject")
    return problems


def _titled_packs(data: dict) -> dict:
    """What :func:`composed_message_problems` composes from: each ``[[packs]]`` entry with a title (a pack's
    default title is the catalogue's words), the config's language and the municipality's name."""
    raws = data.get("packs") if isinstance(data.get("packs"), list) else []
    titles = {index + 1: (raw["id"], raw["title"]) for index, raw in enumerate(raws) if isinstance(raw, dict)
              and isinstance(raw.get("id"), str) and isinstance(raw.get("title"), str)}
    municipality = data.get("municipality") if isinstance(data.get("municipality"), dict) else {}
    language = data.get("language") if isinstance(data.get("language"), str) else "da"
    name = municipality.get("name") if isinstance(municipality.get("name"), str) else ""
    return {"titles": titles, "language": language, "municipality": name}


def _packs_made(data: dict) -> dict[str, tuple[str, ...] | None]:
    """Each pack the config makes (its ``[[packs]]``, else the default packs): None for one pack, a team-leader
    pack's ``teams`` (empty: every team) for a pack sent to each team."""
    raws = data.get("packs") if isinstance(data.get("packs"), list) else None
    if raws is None:
        return pack_teams(DEFAULT_PACKS)
    made = {}
    for raw in raws:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        found = normalise_audience(raw["audience"]) if isinstance(raw.get("audience"), str) else None
        teams = [raw["teams"]] if isinstance(raw.get("teams"), str) else raw.get("teams")
        made[raw["id"]] = (tuple(t for t in teams if isinstance(t, str)) if isinstance(teams, list) else ()) \
            if found is not None and audience_record(found).per_team else None
    return made



def _committee(table: CommitteeTable) -> Committee:
    contact = table.contact
    return Committee(table.name, tuple(table.meetings),
                     Contact(contact.name, contact.email, contact.phone) if contact is not None else None)


def _comments(check: _Problems, raw, base_dir: Path) -> Path:
    """``[comments] folder``: where the administration's comments are (default ``comments`` next to the config)."""
    folder = raw.get("folder") if isinstance(raw, dict) else None
    if not isinstance(folder, str):
        return base_dir / "comments"
    path = base_dir / folder
    if not path.is_dir():
        check.problem("comments.folder", f"{path} is not a folder (it holds one folder per period, e.g. "
                                         f"{folder}/2026-10/udvalg.md)")
    return path


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
