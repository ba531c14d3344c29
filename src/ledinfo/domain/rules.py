"""The rule catalogue: legal deadlines as data (``data/rules.toml``).

Each rule has an id, a Danish and an English title, and regimes — the law
(Serviceloven before 2024, Barnets Lov from 2024), the paragraph where it is
verified, the dates it is in force, and the deadline. An event is judged by the
regime in force on its date. A municipality's config can override deadlines and
add local standards (``[rules.<id>]``); they are shown next to the law.
"""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ledinfo.errors import ConfigError

CATALOGUE_FILE = Path(__file__).parent / "data" / "rules.toml"
LAW_NAMES = {"SEL": "Serviceloven", "BL": "Barnets Lov", "LOCAL": None}
KINDS = ("notification_assessment", "receipt", "investigation", "plan", "first_followup",
         "recurring_followup", "visits", "youth_decision")
DEADLINE_KEYS = {"hours", "workdays", "months", "days", "count", "age_months"}
BEGINNING, END_OF_TIME = dt.date(1900, 1, 1), dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Deadline:
    hours: int | None = None
    workdays: int | None = None
    months: int | None = None
    days: int | None = None
    count: int | None = None
    age_months: int | None = None


@dataclass(frozen=True)
class Regime:
    law: str  # SEL | BL | LOCAL
    deadline: Deadline
    paragraph: str | None = None
    start: dt.date = BEGINNING
    end: dt.date = END_OF_TIME  # inclusive
    local_frequency: bool = False

    @property
    def legal_basis(self) -> str | None:
        """ "Barnets Lov § 20, stk. 3"; the law's name where the paragraph is not verified; None for a local standard."""
        name = LAW_NAMES[self.law]
        if name is None:
            return None
        return f"{name} {self.paragraph}" if self.paragraph else name


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    title_template: dict[str, str]  # may hold {months}: the deadline's months
    requirement: dict[str, str]
    regimes: tuple[Regime, ...]
    local: bool = False
    overridden: bool = False
    short_template: dict[str, str] | None = None  # a short title for charts
    # the step to do, as a team leader's list names it in a narrow column ("Tilsynsbesøg"): the deadline has a
    # column of its own there, so the step is said without it
    step_template: dict[str, str] | None = None

    @property
    def by_age(self) -> bool:
        """Its deadline is set by the child's age in some regime (the decision on youth support at 17½): its day is
        a birthday, which no pack tells (``Column.from_birth_date``)."""
        return any(regime.deadline.age_months is not None for regime in self.regimes)

    def regime_on(self, day: dt.date) -> Regime:
        for regime in self.regimes:
            if regime.start <= day <= regime.end:
                return regime
        return self.regimes[-1]

    @property
    def title(self) -> dict[str, str]:
        """The title in each language, {"da": ..., "en": ...}, with the deadline filled in."""
        return self._filled(self.title_template)

    @property
    def short(self) -> dict[str, str]:
        """A short title for chart labels (the title where none is given)."""
        return self._filled(self.short_template or self.title_template)

    @property
    def step(self) -> dict[str, str]:
        """The step a team leader's list names ("Tilsynsbesøg"; the short title, or the title, where none is given)."""
        return self._filled(self.step_template or self.short_template or self.title_template)

    def _filled(self, texts: dict[str, str]) -> dict[str, str]:
        months = next((r.deadline.months for r in reversed(self.regimes) if r.deadline.months), None)
        return {code: text.format(months=months) for code, text in texts.items()}


@dataclass(frozen=True)
class Catalogue:
    rules: dict[str, Rule] = field(default_factory=dict)

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.kind == kind]

    def __iter__(self):
        return iter(self.rules.values())


def _deadline(raw, where: str) -> Deadline:
    if not isinstance(raw, dict) or not raw or set(raw) - DEADLINE_KEYS:
        raise ConfigError(f"{where}: deadline must be a table with one of {', '.join(sorted(DEADLINE_KEYS))}, "
                          f"got {raw!r}")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in raw.values()):
        raise ConfigError(f"{where}: deadline values must be whole numbers ≥ 0, got {raw!r}")
    return Deadline(**raw)


def _rule(rule_id: str, raw: dict, where: str) -> Rule:
    allowed = {"kind", "title", "short", "step", "requirement", "regimes", "local", "deadline"}
    unknown = set(raw) - allowed
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    title = raw.get("title")
    if not isinstance(title, dict) or "da" not in title:
        raise ConfigError(f"{where}: title must be a table with at least da = \"...\"")
    if "regimes" in raw:
        regimes = []
        for index, item in enumerate(raw["regimes"]):
            regimes.append(Regime(
                law=item.get("law", "LOCAL"), deadline=_deadline(item.get("deadline"), f"{where}.regimes[{index}]"),
                paragraph=item.get("paragraph"), start=item.get("from", BEGINNING), end=item.get("until", END_OF_TIME),
                local_frequency=bool(item.get("local_frequency", False))))
    elif "deadline" in raw:
        regimes = [Regime("LOCAL", _deadline(raw["deadline"], where))]
    else:
        raise ConfigError(f"{where}: give a deadline, e.g. deadline = {{ months = 2 }}")
    requirement = raw.get("requirement", title)
    return Rule(rule_id, kind, dict(title), dict(requirement), tuple(regimes), bool(raw.get("local", False)),
                short_template=dict(raw["short"]) if isinstance(raw.get("short"), dict) else None,
                step_template=dict(raw["step"]) if isinstance(raw.get("step"), dict) else None)


@cache
def _shipped() -> dict:
    with CATALOGUE_FILE.open("rb") as handle:
        return tomllib.load(handle)["rules"]


def load_catalogue(overrides: dict | None = None, standards=None) -> Catalogue:
    """The shipped catalogue, with the config's overrides and local standards applied."""
    raw = copy.deepcopy(_shipped())
    rules = {rule_id: _rule(rule_id, spec, f"rules.{rule_id} (shipped)") for rule_id, spec in raw.items()}
    if standards is not None:
        rules = _apply_standards(rules, standards)
    for rule_id, spec in (overrides or {}).items():
        where = f"rules.{rule_id}"
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: expected a table")
        if rule_id in rules and set(spec) <= {"deadline", "title"}:
            rule = rules[rule_id]
            deadline = _deadline(spec["deadline"], where) if "deadline" in spec else None
            regimes = tuple(_replace_deadline(r, deadline) for r in rule.regimes) if deadline else rule.regimes
            title = {**rule.title_template, **spec.get("title", {})}
            rules[rule_id] = replace(rule, title_template=title, regimes=regimes,
                                     overridden=deadline is not None)
        elif rule_id in rules:
            raise ConfigError(f"{where}: a shipped rule can only get another deadline or title")
        else:
            rules[rule_id] = _rule(rule_id, {**spec, "local": True}, where)
    return Catalogue(rules)


def _replace_deadline(regime: Regime, deadline: Deadline) -> Regime:
    return Regime(regime.law, deadline, regime.paragraph, regime.start, regime.end, regime.local_frequency)


def _apply_standards(rules: dict[str, Rule], standards) -> dict[str, Rule]:
    """[standards] set the local standard's months and BL's locally set follow-up frequency."""
    local = rules["investigation_2m"]
    rules["investigation_2m"] = replace(local, regimes=tuple(
        _replace_deadline(r, Deadline(months=standards.investigation_local_months)) for r in local.regimes))
    recurring = rules["followup_recurring"]
    rules["followup_recurring"] = replace(recurring, regimes=tuple(
        _replace_deadline(r, Deadline(months=standards.recurring_followup_months)) if r.local_frequency else r
        for r in recurring.regimes))
    return rules
