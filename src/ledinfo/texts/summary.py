"""The summary page and the one-line takeaways under charts, in plain language.

Both are written from the results *after* the audience filter, so they can only
mention what the pack's reader may see.

- ``risks``: the figures furthest from their yardsticks, ranked by distance times the children or
  cases they touch (``Verdict.risk``), each with its one verdict; for directors first the team that
  needs their attention (the largest risk summed over its figures);
- ``changes``: the biggest changes since the month before (the committee's and
  the directors' summary), each section's own summary lines (the goals' status),
  and for directors the team lowest on each share (among teams judged on enough cases);
- ``actions``: what a team leader has to act on, as each section says, grouped by caseworker (one line per case
  with every step due on it, the most urgent first), then what is the whole team's.

Core names no section here: what a section adds to the summary it says itself
(:meth:`~ledinfo.interfaces.section.Section.summary` and ``actions``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from babel.lists import format_list

from ledinfo.disclosure.disclose import suppressed_column
from ledinfo.disclosure.view import View
from ledinfo.interfaces.section import Action, Section
from ledinfo.language import N_
from ledinfo.model.pack_periods import last_whole_quarter
from ledinfo.model.period import Period
from ledinfo.model.results import BASE_COLUMN, Chart, Figure, SectionResult
from ledinfo.model.verdicts import CLOSE, OFF_TRACK
from ledinfo.texts.readable import municipality_label, readable
from ledinfo.words.formatting import format_figure_value, key_figure
from ledinfo.words.sentences import label, share_text, text_in
from ledinfo.words.verdicts import verdict_text

MIN_POINTS = 3.0  # a share must move at least this many percentage points to be news
MIN_RELATIVE = 0.15  # a count or ratio must move at least this much
MIN_BASE = 10  # ... and rest on at least this many cases in both months
RISKS = 3  # the summary's risks: the figures furthest from their yardsticks
ATTENTION_ITEMS = 3  # the figures named for the team that needs the director's attention first


def _at_risk(sections: list[SectionResult], team_of=lambda team: True,
             view: View | None = None) -> dict[tuple, tuple[Figure, SectionResult]]:
    """The period's figures whose verdict is close or not met, by (team, indicator): each once. Where a pack shows
    an indicator by whole quarter only (the committee's deadlines, ``grain = "quarter"``), its figure of the last
    whole quarter stands for the period (``view.period_of``: the pack's :class:`PackPeriods`)."""
    found: dict[tuple, tuple[Figure, SectionResult]] = {}
    for section in sections:
        for figure in section.figures:
            own = figure.period is None if view is None or view.period is None else \
                (figure.period or str(view.period)) == str(view.period_of(figure.indicator))
            if (not own or figure.staff_id or figure.category or figure.verdict is None
                    or figure.verdict.level not in (CLOSE, OFF_TRACK) or figure.indicator not in section.labels
                    or not team_of(figure.team)):
                continue
            found.setdefault((figure.team, figure.indicator), (figure, section))
    return found


def _last_quarter(view: View) -> str | None:
    return str(last_whole_quarter(view.period)) if view.period is not None else None


def _label(t, section: SectionResult, figure: Figure, view: View) -> str:
    """The figure's label, with its quarter where it is not the pack's period ("…, 2. kvartal 2024")."""
    label = text_in(t, section.labels[figure.indicator])
    if figure.period is None or view.period is None or figure.period == str(view.period):
        return label
    return t("{label}, {period}", label=label, period=t.period(Period.parse(figure.period)))


def _ranked(found) -> list[tuple[Figure, SectionResult]]:
    """The biggest risk first (domain.md): distance from the yardstick times the children or cases it touches."""
    return sorted(found, key=lambda item: (-item[0].verdict.risk, item[0].indicator, str(item[0].team)))


def _value(view: View, figure: Figure) -> str:
    """ "25 % (9 af 36)" for a share, the value in its unit otherwise."""
    if figure.unit == "share":
        return share_text(view.language, figure, view.threshold)
    return format_figure_value(view.language, figure, figure.value)


def risks(sections: list[SectionResult], view: View, count: int = RISKS) -> tuple[list[str], set[str]]:
    """The ``count`` figures of the pack's scope furthest from their yardsticks, the biggest risk first, each
    with its one verdict; and the indicators they name (named once in a summary)."""
    t = view.language
    ranked = _ranked(_at_risk(sections, lambda team: team == view.team, view).values())[:count]
    lines = [t("{label}: {value} – {verdict}.", label=_label(t, section, figure, view),
               value=_value(view, figure), verdict=verdict_text(t, figure.verdict, view.threshold))
             for figure, section in ranked]
    return lines, {figure.indicator for figure, _ in ranked}


def team_subject(t, team: str) -> str:
    """A team named as a sentence's subject: "Team Børn", not "Børn ligger lavest …", which read as "children lie
    lowest" (a fresh reader's finding; teams are often named for whom they serve); a name that says it is a team
    already stays as it is."""
    return team if team.casefold().startswith(("team", "teamet")) else t("Team {team}", team=team)


def attention(sections: list[SectionResult], view: View) -> tuple[str | None, str | None]:
    """Directors: the team whose figures are furthest from their yardsticks, the risks summed over its figures
    (each indicator once), with its biggest ones; and that team's name. (None, None) when no team is off."""
    t = view.language
    by_team: dict[str, list[tuple[Figure, SectionResult]]] = {}
    for (team, _), item in _at_risk(sections, lambda team: team is not None).items():
        by_team.setdefault(team, []).append(item)
    if not by_team:
        return None, None
    team = min(by_team, key=lambda name: (-sum(f.verdict.risk for f, _ in by_team[name]), name))
    items = [t("{label} {value} – {verdict}", label=text_in(t, section.labels[figure.indicator]).lower(),
               value=_value(view, figure), verdict=verdict_text(t, figure.verdict, view.threshold, short=True))
             for figure, section in _ranked(by_team[team])[:ATTENTION_ITEMS]]
    return t("{team} needs the director's attention first: {items}.", team=team_subject(t, team),
             items="; ".join(items)), team


def changes(sections: list[SectionResult], view: View, points: int, named: set[str] = frozenset()) -> list[str]:
    """The ``points`` largest changes since the period before (the month, the quarter; for a year to date
    the same months a year earlier), largest first; each compares two disclosed figures of the pack. An
    indicator in ``named`` (the summary's risks) is not named again."""
    t = view.language
    if view.period is None:
        return []
    # a year to date has no period before it: its changes are against the same months a year earlier
    before_period = view.period.previous() or view.period.year_before()
    found: list[tuple[float, str]] = []
    seen: set[str] = set(named)
    quarter = _last_quarter(view)
    # an indicator the pack shows by whole quarter (the committee's deadlines): its month is not what the page says
    seen |= {f.indicator for section in sections for f in section.figures if f.period == quarter and f.team == view.team}
    for section in sections:
        for figure in section.figures:
            if (figure.period is not None or figure.team != view.team or figure.staff_id or figure.category
                    or figure.value is None or figure.indicator in seen or figure.indicator not in section.labels
                    or figure.unit == "deviation"):  # a year so far's deviation grows by itself: its cause is news
                continue
            before = section.figure(figure.indicator, team=figure.team, period=str(before_period))
            if before is None or before.value is None or before.suppressed:
                continue
            if figure.unit in ("share", "rate"):
                if min(figure.denominator or 0, before.denominator or 0) < MIN_BASE:
                    continue  # a share of a handful of cases swings by chance
                score = abs(figure.value - before.value) * 100
                if score < MIN_POINTS:
                    continue
            else:
                if not before.value or abs(before.value) < 5:
                    continue
                relative = abs(figure.value - before.value) / abs(before.value)
                if relative < MIN_RELATIVE:
                    continue
                score = relative * 30
            seen.add(figure.indicator)
            name = text_in(t, section.labels[figure.indicator])
            verb = "{label}: up from {before} in {period} to {now}." if figure.value > before.value else \
                "{label}: down from {before} in {period} to {now}."
            found.append((score, t(verb, label=name, before=format_figure_value(view.language, before, before.value),
                                   period=t.period(before_period),
                                   now=format_figure_value(view.language, figure, figure.value))))
    found.sort(key=lambda item: -item[0])
    lines = [text for _, text in found[:points]]
    return lines or [t("No large changes since {period}.", period=t.period(before_period))]


def team_gaps(sections: list[SectionResult], view: View, points: int = 3, named: set[str] = frozenset()) -> list[str]:
    """Directors: for each share, the team furthest behind — the lowest, or the highest where the figure says lower
    is better (``extra["better"] == "lower"``: breakdowns, re-notifications) — only among the teams judged on
    enough cases (at least the threshold: domain.md's rule for "lowest", so the team named is the lowest the pack
    shows judged; a stricter base left a judged team of 6 cases lower than the one named "lowest") — when it is 10
    points or more behind the municipality;
    the largest gaps first, each indicator and each team once (a team in ``named`` is named elsewhere in the
    summary already)."""
    t = view.language
    enough = view.threshold
    lowest: dict[str, tuple[Figure, Figure, SectionResult]] = {}
    for section in sections:
        for figure in section.figures:
            if (figure.period or figure.staff_id or figure.category or figure.team is None or figure.unit != "share"
                    or figure.value is None or (figure.denominator or 0) < enough
                    or figure.indicator not in section.labels):
                continue
            whole = section.figure(figure.indicator)
            if whole is None or whole.value is None or _better(whole) is None:
                continue  # a share with no direction (a mix: prevention's share of a placement team) has no one behind
            found = lowest.get(figure.indicator)
            if found is None or (_behind(figure, whole), figure.team) < (_behind(found[0], whole), found[0].team):
                lowest[figure.indicator] = (figure, whole, section)
    gaps = sorted(((_behind(whole) - _behind(figure, whole), figure, whole, section)
                   for figure, whole, section in lowest.values() if (_behind(whole) - _behind(figure, whole)) * 100 >= 10),
                  key=lambda item: (-item[0], item[1].indicator))
    lines, teams = [], set(named)
    for _, figure, whole, section in gaps:  # each team once, at its largest gap
        if figure.team not in teams:
            teams.add(figure.team)
            # where lower is better the team furthest behind lies highest (breakdowns, re-notifications)
            message = N_("{team} is furthest behind on {label}, where lower is better: {share} against {whole} for "
                         "the municipality.") if _better(whole) == "lower" else \
                N_("{team} is furthest behind on {label}: {share} against {whole} for the municipality.")
            lines.append(t(message, team=team_subject(t, figure.team), label=text_in(t, section.labels[figure.indicator]).lower(),
                           share=t.percent(figure.value), whole=t.percent(whole.value)))
    return lines[:points]


def _better(figure: Figure) -> str | None:
    """Which way a share is better: as it says (``extra["better"]``: breakdowns, re-notifications are better lower),
    else as its yardstick judges it (at least: higher, at most: lower); None for a share nothing judges."""
    if figure.extra.get("better"):
        return figure.extra["better"]
    if figure.verdict is not None:
        return "lower" if figure.verdict.yardstick.direction == "at_most" else "higher"
    return None


def _behind(figure: Figure, whole: Figure | None = None) -> float:
    """A share as how far ahead it is: its value, or the negative of it where lower is better (:func:`_better` of the
    municipality's figure), so the team furthest behind has the smallest."""
    return -figure.value if _better(whole or figure) == "lower" else figure.value


GROUP_LIMIT = 3  # at most this many cases one by one under a caseworker; the rest counted, with the lists they are in


# Whose a group of the to-do list is (the JSON's "kind"): a caseworker's; the cases that name no caseworker
# ("Sager uden rådgiver": cases nobody holds); the team's own tasks ("Hele teamet"). The last two both have no
# caseworker, so a program reading the JSON tells them apart by this, not by the title's words.
CASEWORKER, NO_CASEWORKER, WHOLE_TEAM = "caseworker", "no_caseworker", "team"


@dataclass(frozen=True)
class ActionGroup:
    """One caseworker's part of a team leader's to-do list: a line per case (all its steps) or per thing to do."""

    title: str  # the caseworker as the pack shows them ("R025 Mette Hansen", "M3 (fratrådt)"), or the team
    lines: list[str]
    caseworker: str | None = None  # None: the cases naming no caseworker, or the team's own list (``kind`` says)
    kind: str = CASEWORKER  # CASEWORKER, NO_CASEWORKER or WHOLE_TEAM


def action_groups(results: list[SectionResult], view: View, sections: Mapping[str, Section]) -> list[ActionGroup]:
    """A team leader's to-do list, grouped by caseworker (their cases, each once with every step due on it,
    the most urgent first), then what is the team's; a group of many names the lists that hold the rest."""
    t = view.language
    found = [action for result in results for action in sections[result.section].actions(result, view)]
    by_worker: dict[str | None, list[Action]] = {}
    for action in found:
        # a caseworker's; a case naming none, and what is said of those cases, goes with the cases without one
        # (None); the rest is the team's
        worker = None if action.unassigned else action.caseworker if action.case or action.caseworker else TEAM_GROUP
        by_worker.setdefault(worker, []).append(action)
    groups = []
    for worker in sorted((w for w in by_worker if w is not TEAM_GROUP), key=lambda w: (w is None, w or "")):
        # what is said of the caseworker (a caseload far above the guideline, a leaver's cases to share out)
        # heads their list and is never cut; then their most urgent cases
        said = sorted((a for a in by_worker[worker] if not a.case), key=lambda a: a.urgency)
        entries = _cases(by_worker[worker], t)
        lines = [a.text for a in said] + [text for _, text, _ in entries[:GROUP_LIMIT]]
        rest = entries[GROUP_LIMIT:]
        if rest:
            quoted = [t("“{list}”", list=name) for name in sorted({n for _, _, names in rest for n in names})]
            lists = quoted[0] if len(quoted) == 1 else t("{first} and {last}", first=", ".join(quoted[:-1]),
                                                        last=quoted[-1]) if quoted else "–"
            lines.append(t.plural("{count} more case: see {lists}.", "{count} more cases: see {lists}.",
                                  len(rest), lists=lists))
        if worker is None:
            groups.append(ActionGroup(t("Cases without a caseworker"), lines, None, NO_CASEWORKER))
        else:
            groups.append(ActionGroup(worker, lines, worker, CASEWORKER))
    if TEAM_GROUP in by_worker:
        team = sorted(by_worker[TEAM_GROUP], key=lambda a: a.urgency)
        groups.append(ActionGroup(t("The whole team"), [a.text for a in team], None, WHOLE_TEAM))
    return groups


TEAM_GROUP = object()  # the key of the actions no caseworker holds


def _cases(actions: list[Action], t) -> list[tuple[tuple, str, set[str]]]:
    """One entry per case, its steps joined (most urgent first), with its sort key (urgency, earliest date) and the
    lists that hold it; the most urgent case first."""
    by_case: dict[str, list[Action]] = {}
    for action in actions:
        if action.case:
            by_case.setdefault(action.case, []).append(action)
    entries = []
    for case, steps in by_case.items():
        steps.sort(key=lambda a: (a.urgency, a.due or dt.date.max))
        key = (steps[0].urgency, steps[0].due or dt.date.max, case)
        text = t("Case {case}: {steps}.", case=case, steps="; ".join(a.text for a in steps))
        entries.append((key, text, {a.listed_in for a in steps} - {None}))
    return sorted(entries, key=lambda entry: entry[0])


def headlines(sections: list[SectionResult], view: View, count: int = 3) -> list[str]:
    """The pack's first key figures, "label: value", for an email or a notification; a team pack's are the team's."""
    lines = []
    for section in sections:
        for indicator in section.headline:
            figure = key_figure(view.language, section, indicator, view.team, view.threshold)
            if figure is None:
                continue
            name, value, sub = figure
            lines.append(f"{name}: {value}" + (f" ({sub})" if sub else ""))
            if len(lines) == count:
                return lines
    return lines


def summary_lines(template, results: list[SectionResult], view: View, sections: Mapping[str, Section],
                  groups: list[ActionGroup] | None = None) -> list[str]:
    """The summary page: ``sections`` are the Section objects by name, asked for their own lines; ``groups``: the
    to-do list's (:func:`action_groups`), when the caller has them already."""
    if template.summary == "none":
        return []
    if template.summary == "actions":  # "Til handling": only things to do, never news (good or bad)
        groups = groups if groups is not None else action_groups(results, view, sections)
        return [line for group in groups for line in group.lines] or [view.language("Nothing to act on now.")]
    # the biggest risk first (for directors, the team that needs their attention, then the municipality's
    # figures furthest from their yardsticks); then what each section always says (the goals' status, the
    # budget); then the largest changes; for directors, each share's lowest team. Each named once.
    lines, teams = [], set()
    if view.audience == "director":
        first, team = attention(results, view)
        lines += [first] if first else []
        teams |= {team} if team else set()
    named_risks, named = risks(results, view)
    lines += named_risks
    lines += [line for result in results for line in sections[result.section].summary(result, view)]
    lines += changes(results, view, template.summary_points, named)
    if view.audience == "director":
        lines += team_gaps(results, view, named=teams)
    return lines


# --- takeaways ---------------------------------------------------------------------

def _fmt(view: View, chart: Chart, value) -> str:
    t = view.language
    if value is None:
        return "–"
    return {"share": t.percent, "count": t.integer, "money": t.money}.get(chart.y_format, lambda v: t.number(v, 1))(value)


def _month(t, month: str) -> str:
    """A chart's "2026-10" (or "2026-Q3") as a sentence names it: "oktober 2026", "3. kvartal 2026" (a chart's axis
    may abbreviate, prose does not)."""
    return t.period(Period.parse(month))


def takeaway(chart: Chart, view: View) -> str | None:
    """One line saying what a chart shows, from its (filtered) data."""
    t = view.language
    frame, _ = readable(chart)
    flag = suppressed_column(chart.y)
    # a value hidden from the reader may be the highest or the lowest: then no "highest"/"lowest" is said
    hidden = frame if flag not in frame.columns else frame.filter(pl.col(flag).is_not_null())
    some_hidden = flag in frame.columns and hidden.height > 0
    drawn_to = frame[chart.x].max() if chart.kind == "line" and frame.height else None  # the chart's last month
    frame = frame.filter(pl.col(chart.y).is_not_null())
    if frame.height == 0:
        return None
    series = chart.color or chart.team_column
    if chart.kind == "line":
        months = sorted(frame[chart.x].unique().to_list())
        first, last = months[0], months[-1]
        if series and series in frame.columns:
            main = None
            if series == chart.team_column:
                mine = pl.col(series).is_null() if view.team is None else (pl.col(series).is_null()
                                                                           | (pl.col(series) == view.team))
                main = frame.filter(mine)
            if main is None or main.height == 0:
                if chart.judged:
                    return None  # judged: the verdicts' colours and the section's sentences rank it
                if last != drawn_to or (some_hidden and hidden.filter(pl.col(chart.x) == last).height):
                    return None  # the latest month is hidden: "most in" an earlier month would mislead
                latest = frame.filter(pl.col(chart.x) == last).sort(chart.y, descending=chart.y_format != "share")
                pick = latest.row(0, named=True)
                if not pick[chart.y]:
                    return None  # "most come from X: 0" says nothing, and points at the hidden values
                name = label(str(pick[series]), chart.value_labels, t)
                month = _month(t, last)
                if chart.y_format == "share":
                    return t("Lowest in {month}: {name} ({value}).", month=month, name=name,
                             value=_fmt(view, chart, pick[chart.y]))
                return t("Most in {month}: {name} ({value}).", month=month, name=name,
                         value=_fmt(view, chart, pick[chart.y]))
            frame = main.filter(pl.col(series).is_null()) if view.team is None else main.filter(pl.col(series) == view.team)
        values = dict(zip(frame[chart.x].to_list(), frame[chart.y].to_list()))
        if first not in values or last not in values:
            return None
        before, now = _fmt(view, chart, values[first]), _fmt(view, chart, values[last])
        if before == now:
            return t("{value} both in {first} and in {last}.", value=now, first=_month(t, first), last=_month(t, last))
        return t("From {before} in {first} to {now} in {last}.", before=before, first=_month(t, first), now=now,
                 last=_month(t, last))
    if chart.x == "month":
        values = frame[chart.y].to_list()
        return t.plural("In total over the last month: {total}.", "In total over the last {count} months: {total}.",
                        len(values), total=_fmt(view, chart, sum(values))) if frame.height == chart.frame.height else None
    if some_hidden or chart.judged or chart.budget is not None:
        return None  # a hidden value may rank first; a judged chart is ranked by its verdicts and its section
    rows = list(frame.sort(chart.y, descending=True).iter_rows(named=True))
    everyone = municipality_label(t)

    def name(row):
        value = row[chart.x]
        return everyone if value is None else label(str(value), chart.value_labels, t)

    rows = [r for r in rows if r[chart.x] is not None] or rows
    if chart.y_format == "share" and BASE_COLUMN in frame.columns:
        # a row is ranked "lowest"/"highest" only on at least the threshold of cases (domain.md, "The biggest risk
        # first"): 2 of 4 young people is no rule's "highest" (50 %)
        rows = [r for r in rows if (r[BASE_COLUMN] or 0) >= view.threshold]
    if len(rows) <= 1:
        return None
    # a reader checks the ranking against the numbers as printed: every row that reads as the highest (or the
    # lowest) is named, and nothing is ranked where all read the same ("Lavest: 2024 (17 %); højest: 2022 (17 %)")
    shown = [_fmt(view, chart, r[chart.y]) for r in rows]
    if shown[0] == shown[-1]:
        return None
    high, high_value = _names(t, [name(r) for r, s in zip(rows, shown) if s == shown[0]]), shown[0]
    if chart.y_format != "share":
        # a count of none is no one's lowest ("lavest: Årsag ikke registreret (0)"): the lowest is the least above it
        rows, shown = [r for r in rows if r[chart.y]] or rows, [s for r, s in zip(rows, shown) if r[chart.y]] or shown
        if shown[-1] == shown[0]:
            return t("Highest: {high} ({high_value}).", high=high, high_value=high_value)
    low, low_value = _names(t, [name(r) for r, s in zip(rows, shown) if s == shown[-1]]), shown[-1]
    if chart.y_format == "share":
        return t("Lowest: {low} ({low_value}); highest: {high} ({high_value}).", low=low, low_value=low_value,
                 high=high, high_value=high_value)
    return t("Highest: {high} ({high_value}); lowest: {low} ({low_value}).", high=high, high_value=high_value,
             low=low, low_value=low_value)


def _names(t, names: list[str]) -> str:
    """ "Flyttet til anden kommune og Andet": the rows tied at one end of a ranking, as the language lists them."""
    return format_list(names, locale=t.locale) if len(names) > 1 else names[0]
