"""Pack templates: the layout of a pack for its audience (``templates/*.toml``).

A template says which sections a pack holds and in which order, which of
each section's charts and tables it shows, what the summary page says, and
whether sections start on a new page. ledinfo ships one per audience; a pack in
the config can name another file (``template = "my-committee.toml"``). A
template never widens what an audience may see: the audience filter runs
first, whatever the template asks for. A template file is read as
:func:`ledinfo.outside.files.read_text_confined` reads a file (inside the folder
the config names it in, regular, at most 64 kB, no control characters).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ledinfo.errors import ConfigError
from ledinfo.model.audiences import AUDIENCES, normalise_audience
from ledinfo.outside.files import TEMPLATE, FileRefused, read_text_confined
from ledinfo.outside.headers import header_text_problem

TEMPLATE_DIR = Path(__file__).parent / "templates_toml"
SUMMARIES = ("changes", "actions", "none")


@dataclass(frozen=True)
class Show:
    charts: tuple[str, ...] | None = None  # None: all
    tables: tuple[str, ...] | None = None
    # the figures (indicator ids) the pack publishes of the section, in its key figures, texts and JSON; None: all.
    # What a pack does not publish, its protection need not hide: the committee's template leaves out a breakdown
    # it shows folded (placements by type), so that a small category costs no large one beside it.
    figures: tuple[str, ...] | None = None
    # "quarter": the section's counts of a period's events (Over.SPAN) are published by whole quarter only, its
    # months' and a year to date's left out; a state at a period's end is kept. None: as the section gives them.
    # For a small municipality's committee: a deadline rule judged on a month's few cases says little, and its
    # monthly items give away the month's notifications by reporter (docs/disclosure.md).
    grain: str | None = None


@dataclass(frozen=True)
class Template:
    name: str
    audience: str
    title: dict[str, str]
    sections: tuple[str, ...] = ()  # these first, in this order (if installed)
    others: str = "after"  # "after": then every other section whose audiences include the pack's; "none": no others
    summary: str = "changes"
    summary_points: int = 5
    section_breaks: bool = True
    notes: str = "section"
    show: dict[str, Show] = field(default_factory=dict)

    def shows(self, section: str) -> Show:
        return self.show.get(section, Show())


def _strings(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of names, got {value!r}")
    return tuple(value)


def parse_template(data: dict, name: str) -> Template:
    where = f"template {name}"
    allowed = {"audience", "title", "sections", "others", "summary", "summary_points", "section_breaks", "notes",
               "show"}
    unknown = set(data) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})")
    audience = normalise_audience(str(data.get("audience", "")))
    if audience is None:
        raise ConfigError(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
    title = data.get("title", {})
    if not isinstance(title, dict) or "da" not in title:
        raise ConfigError(f"{where}: title must be a table with at least da = \"...\"")
    for language, text in title.items():  # printed on the cover and sent in the mail subject: one line
        problem = "is not a text" if not isinstance(text, str) else header_text_problem(text)
        if problem:
            raise ConfigError(f"{where}: title.{language} {problem}")
    summary = data.get("summary", "changes")
    if summary not in SUMMARIES:
        raise ConfigError(f"{where}: summary must be one of {', '.join(SUMMARIES)}")
    notes = data.get("notes", "section")
    if notes not in ("section", "end"):
        raise ConfigError(f"{where}: notes must be section or end")
    show = {}
    for section, spec in data.get("show", {}).items():
        if not isinstance(spec, dict) or set(spec) - {"charts", "tables", "figures", "grain"}:
            raise ConfigError(f"{where}: show.{section} takes charts = [...], tables = [...], figures = [...] and "
                              "grain = \"quarter\"")
        if spec.get("grain", "quarter") != "quarter":
            raise ConfigError(f"{where}: show.{section}.grain: only \"quarter\" (or leave it out)")
        show[section] = Show(*(_strings(spec[key], f"{where}: show.{section}.{key}") if key in spec else None
                               for key in ("charts", "tables", "figures")), spec.get("grain"))
    others = data.get("others", "after")
    if others not in ("after", "none"):
        raise ConfigError(f"{where}: others must be after (every other section that suits the audience follows) "
                          "or none")
    points = data.get("summary_points", 5)
    if not isinstance(points, int) or not 1 <= points <= 10:
        raise ConfigError(f"{where}: summary_points must be a whole number from 1 to 10")
    return Template(name, audience, dict(title), _strings(data.get("sections", []), f"{where}: sections"), others,
                    summary, points, bool(data.get("section_breaks", True)), notes, show)


def load_template(name_or_path: str | None, audience: str, base_dir: Path | None = None) -> Template:
    """A built-in template by name (committee, director, team_leader) or a TOML file."""
    if not name_or_path:
        name_or_path = audience
    path = TEMPLATE_DIR / f"{name_or_path}.toml"
    if not path.exists():
        path = Path(name_or_path) if base_dir is None else (base_dir / name_or_path)
    if not os.path.lexists(path):  # whatever is there by the name is read as a template, or refused
        builtin = ", ".join(p.stem for p in sorted(TEMPLATE_DIR.glob("*.toml")))
        raise ConfigError(f"template {name_or_path!r} is neither a built-in template ({builtin}) nor a file")
    try:
        data = tomllib.loads(read_text_confined(path, TEMPLATE, shown=f"template {path}"))
    except FileRefused as refused:
        raise ConfigError(str(refused)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"template {path} is not valid TOML: {error}") from None
    template = parse_template(data, str(path.name))
    if template.audience != audience:
        raise ConfigError(f"template {path.name} is for {template.audience}, but the pack is for {audience}")
    return template
