"""`ledinfo new-plugin`: a working plugin package with a passing test, to start from."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from ledinfo.errors import ConfigError

KINDS = ("section", "source", "delivery")

PYPROJECT = '''[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "{description}"
requires-python = ">=3.11"
dependencies = ["ledinfo"]

[project.optional-dependencies]
test = ["pytest"]

[project.entry-points.ledinfo]
{module} = "{module}"

[tool.setuptools.packages.find]
where = ["src"]
'''

README = '''# {dist}

A ledinfo {kind} plugin. Install it next to ledinfo and it is found through the `ledinfo`
entry-point group:

```sh
pip install -e .            # in the same environment as ledinfo
ledinfo plugins             # lists {module}
pytest                      # its tests
```

See ledinfo's docs/plugins.md for the hooks, `ledinfo.api.testing` and the public API (import from
`ledinfo.api`, `ledinfo.api.domain` and `ledinfo.api.testing` only); `make docs` in ledinfo's folder writes its reference.
'''

SECTION = '''"""{title}: a ledinfo section — cases opened in the month, per team."""

import polars as pl
from pydantic import Field

from ledinfo.api import TEAM, Column, Figure, Section, SectionResult, Settings, Table, Text, hookimpl


class {cls}Settings(Settings):
    """The plugin's [plugins.{module}] table: checked with the rest of the config, before any data is read,
    every problem with its key path (plugins.{module}.label). Without a table, these defaults."""

    label: Text = Field("Cases opened this month", description="what the figure is called in the pack")


class {cls}(Section):
    name = "{name}"
    title = "Cases opened"
    description = "Cases opened in the month, per team."
    requires = ("cases",)

    def compute(self, context):
        settings = context.settings({cls}Settings)  # the plugin's own settings, checked and typed
        cases, period = context.extract["cases"], context.period
        opened = cases.filter(pl.col("opened_on").is_between(period.start, period.end))
        per_team = opened.group_by("team").agg(pl.len().alias("opened").cast(pl.Int64)).sort("team")
        result = SectionResult(self.name, self.title, headline=("cases_opened",),
                               labels={{"cases_opened": settings.label}})
        result.figures.append(Figure("cases_opened", opened.height, unit="count"))
        for team, count in per_team.iter_rows():
            result.figures.append(Figure("cases_opened", count, unit="count", team=team))
        total = pl.DataFrame({{"team": [None], "opened": [opened.height]}}, schema=per_team.schema)
        result.tables.append(Table("cases_opened_by_team", "Cases opened, by team", pl.concat([per_team, total]),
                                   (Column("team", "Team"), Column("opened", "Cases opened", "count")), level=TEAM))
        return result

    def narrate(self, result, view):
        t = view.language  # numbers and dates in the pack's language: t.integer(1234) -> "1.234"
        figure = result.figure("cases_opened", team=view.team)
        if figure is None or figure.suppressed:
            return []
        return [f"{{t.integer(figure.value)}} cases were opened this month."]


@hookimpl
def ledinfo_register_sections(register):
    register({cls}())


@hookimpl
def ledinfo_register_settings(register):
    register({cls}Settings)
'''

SECTION_TEST = '''import {module}
from ledinfo.api.testing import (SMALL_PERIOD, check_committee_protection, context_for, registry_with,
                                 render_section, small_extract)


def test_the_plugin_registers_its_section():
    assert registry_with({module}).section("{name}").title == "Cases opened"


def test_the_figures_on_the_small_extract():
    result = {module}.{cls}().compute(context_for(small_extract(), SMALL_PERIOD))
    # In March 2024 the small extract opens one case: S9 (team Unge, on 31 March).
    assert result.figure("cases_opened").value == 1
    assert result.figure("cases_opened", team="Unge").value == 1


def test_the_settings_reach_compute_and_are_checked():
    context = context_for(small_extract(), SMALL_PERIOD, settings=[{module}.{cls}Settings(label="Nye sager")])
    assert {module}.{cls}().compute(context).labels["cases_opened"] == "Nye sager"
    _, problems = registry_with({module}).check_settings({{"{module}": {{"lable": "x"}}}})
    assert problems == ["plugins.{module}.lable: unknown key (did you mean 'label'?)"]


def test_the_section_in_a_pdf():
    rendered = render_section({module}.{cls}(), audience="director")
    assert "Cases opened" in rendered.text
    assert rendered.json["sections"][0]["indicators"]["cases_opened"]["value"] == 1


def test_the_committee_sees_no_small_counts():
    rendered = render_section({module}.{cls}(), audience="committee")
    assert rendered.json["sections"][0]["indicators"]["cases_opened"]["suppressed"] is True


def test_no_hidden_number_can_be_worked_out_from_the_committee_packs():
    # Builds the committee packs, with this section in them, for periods of a small generated municipality
    # and attacks them as a committee member would, alone and as a series (docs/plugins.md). A failure prints
    # what gave a number away and the seed that chose the periods: LEDINFO_ATTACK_SEED=<seed> runs it again,
    # LEDINFO_ATTACK_PACKS=all attacks every period.
    check_committee_protection({module})
'''

SOURCE = '''"""{title}: a ledinfo source — the extract's tables from JSON Lines files, one per table."""

from pathlib import Path

import polars as pl

from pydantic import Field

from ledinfo.api import OneLineText, RawExtract, RawTable, Settings, Source, hookimpl


class {cls}Options(Settings):
    """The [source] keys besides type, checked before any data is read (problems named source.<key>)."""

    path: OneLineText = Field(description="the folder, relative to the config file")


class {cls}(Source):
    name = "{name}"
    description = "A folder of JSON Lines files, one per table (cases.jsonl, staff.jsonl, ...)."
    Options = {cls}Options

    def read(self, options: {cls}Options, context):
        folder = Path(context.base_dir) / options.path
        tables = {{}}
        for path in sorted(folder.glob("*.jsonl")):
            frame = pl.read_ndjson(path, infer_schema_length=None)
            # first_row=1: problems are reported by line number in the file
            tables[path.stem] = RawTable(path.stem, frame, str(path), first_row=1)
        return RawExtract(tables, {{}}, str(folder))


@hookimpl
def ledinfo_register_sources(register):
    register({cls}())
'''

SOURCE_TEST = '''import {module}
from ledinfo.api.testing import read_source, small_tables, source_option_problems


def test_its_options_are_checked_with_their_key_path():
    problems = source_option_problems({module}, {{"type": "{name}", "pth": "x"}})
    assert "source.pth: unknown key (did you mean 'path'?)" in problems


def test_reads_and_validates_the_small_extract(tmp_path):
    for name, frame in small_tables().items():
        frame.write_ndjson(tmp_path / f"{{name}}.jsonl")
    extract = read_source({module}, {{"type": "{name}", "path": "."}}, tmp_path)
    assert extract["cases"].height == 10 and extract["staff"].height == 5
'''

DELIVERY = '''"""{title}: a ledinfo delivery — copies each pack into an archive folder, one per recipient."""

import shutil
from pathlib import Path

from pydantic import Field

from ledinfo.api import Delivery, OneLineText, PermanentError, Settings, TransientError, hookimpl


class {cls}Options(Settings):
    """[delivery.{name}], checked with the rest of the config (problems named delivery.{name}.<key>)."""

    path: OneLineText = Field(description="the archive folder, relative to the config file")
    to: dict[OneLineText, list[OneLineText]] = Field(
        {{}}, description='who gets each pack, a folder each: [delivery.{name}.to] udvalg = ["udvalget"]')


class {cls}(Delivery):
    name = "{name}"
    description = "Copies each pack into <path>/<recipient>/<period>/."
    Options = {cls}Options
    path_options = ("path",)  # made absolute against the config file's folder before deliver sees it

    def addresses(self, options: {cls}Options, pack_id, team):
        return tuple(options.to.get(pack_id, ()))  # who gets a pack is the delivery's own setting

    def teams_addressed(self, options: {cls}Options, pack_id):
        return set()  # a team-leader pack: each team's pack to the pack's recipients

    def pack_problems(self, options: {cls}Options, packs):
        """A pack in [delivery.{name}.to] that the config does not make: refused before any data is read."""
        return [f"delivery.{name}.to.{{pack_id}}: the config makes no pack {{pack_id!r}} (its packs: "
                f"{{', '.join(sorted(packs))}})" for pack_id in options.to if pack_id not in packs]

    def deliver(self, item, options: {cls}Options):
        target = Path(options.path) / item.recipient / item.period
        try:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.pdf, target / item.pdf.name)
        except PermissionError as error:
            raise PermanentError(str(error)) from None  # trying again will not help
        except OSError as error:
            raise TransientError(str(error)) from None  # ledinfo tries again, with backoff
        return str(target / item.pdf.name)


@hookimpl
def ledinfo_register_deliveries(register):
    register({cls}())
'''

DELIVERY_TEST = '''import {module}
from ledinfo.api import DeliveryItem
from ledinfo.api.testing import registry_with


def test_delivers_a_pack(tmp_path):
    pdf = tmp_path / "udvalg.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    delivery = registry_with({module}).delivery("{name}")
    item = DeliveryItem("udvalg", "udvalg@kommune.dk", pdf, "2024-03", "0" * 64, "Emne", "Tekst")
    receipt = delivery.deliver(item, delivery.Options(path=str(tmp_path / "archive")))
    assert (tmp_path / "archive" / "udvalg@kommune.dk" / "2024-03" / "udvalg.pdf").read_bytes() == pdf.read_bytes()
    assert receipt.endswith("udvalg.pdf")


def test_who_gets_a_pack_is_its_own_setting(tmp_path):
    delivery = registry_with({module}).delivery("{name}")
    options = delivery.Options(path="archive", to={{"udvalg": ["udvalget"], "udvalgg": ["x"]}})
    assert delivery.addresses(options, "udvalg", None) == ("udvalget",)
    assert delivery.pack_problems(options, {{"udvalg": None, "team": ()}}) == [
        "delivery.{name}.to.udvalgg: the config makes no pack 'udvalgg' (its packs: team, udvalg)"]
'''

TEMPLATES = {"section": (SECTION, SECTION_TEST), "source": (SOURCE, SOURCE_TEST), "delivery": (DELIVERY, DELIVERY_TEST)}


def names(name: str) -> tuple[str, str, str, str]:
    """(distribution, module, registered name, class name) for a plugin name."""
    base = re.sub(r"^ledinfo[-_]", "", name.strip().lower())
    base = re.sub(r"[^a-z0-9]+", "_", base).strip("_")
    if not base or not base[0].isalpha() or keyword.iskeyword(base):
        raise ConfigError(f"plugin name {name!r}: use letters, digits and - (starting with a letter), e.g. my-section")
    dist = "ledinfo-" + base.replace("_", "-")
    module = "ledinfo_" + base
    cls = "".join(part.capitalize() for part in base.split("_"))
    return dist, module, base, cls


def scaffold(name: str, kind: str, directory: Path) -> Path:
    """Write a plugin package for ``kind`` under ``directory``; returns its folder."""
    if kind not in KINDS:
        raise ConfigError(f"kind must be one of {', '.join(KINDS)}")
    dist, module, registered, cls = names(name)
    root = directory / dist
    if root.exists():
        raise ConfigError(f"{root} exists already; choose another name or folder")
    values = {"dist": dist, "module": module, "name": registered, "cls": cls + kind.capitalize(), "kind": kind,
              "title": dist, "description": f"A ledinfo {kind} plugin."}
    code, test = TEMPLATES[kind]
    (root / "src" / module).mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT.format(**values), encoding="utf-8")
    (root / "README.md").write_text(README.format(**values), encoding="utf-8")
    (root / "src" / module / "__init__.py").write_text(code.format(**values), encoding="utf-8")
    (root / "tests" / f"test_{registered}.py").write_text(test.format(**values), encoding="utf-8")
    return root
