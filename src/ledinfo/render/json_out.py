"""The JSON of a pack: every figure the PDF shows, under domain.md's indicator ids.

Made from the same filtered results as the PDF, so it has the same
disclosure. Layout (documented in docs/outputs.md)::

    {"pack": "udvalg", "audience": "committee", "period": "2026-10", ...,
     "sections": [{"id": "six_week_followup", "indicators": {
         "six_week_followup": {"value": 0.67, "numerator": 622, "denominator": 925,
                               "by_team": {...}, "trend": [...]}}, "tables": [...], "charts": [...]}]}

A suppressed figure has ``"suppressed": true`` and null values; a suppressed
table cell is null and named in its row's ``"_suppressed"`` list.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import orjson

from ledinfo.disclosure.disclose import SUPPRESSED_SUFFIX
from ledinfo.language import round_half_up
from ledinfo.model.audiences import audience
from ledinfo.model.period import MONTH, Period
from ledinfo.model.results import Figure, SectionResult
from ledinfo.model.verdicts import Verdict, Yardstick, distance_of
from ledinfo.render.verdicts import VERDICT_SUFFIX, YARDSTICK_SUFFIX
from ledinfo.texts.content import PackContent
from ledinfo.words.formatting import UNIT_FORMATS, outside_data_text, published, translate
from ledinfo.words.sentences import none_due_yet
from ledinfo.words.verdicts import yardstick_phrase

# The pack JSON's schema (docs/outputs.md, "The pack JSON"): raised when a program reading the JSON must know of a
# change. 2: each "actions" group says whose it is ("kind"): a caseworker's, the cases naming none, the whole team's;
# a share with every item pending (0 of 0, none due yet) says so ("none_due_yet").
SCHEMA_VERSION = 2


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


def _figure(figure: Figure, exact=None) -> dict:
    """``exact``: how exactly a number may be published (:func:`_as_printed`), None: as computed."""
    exact = exact or _as_computed
    kind = UNIT_FORMATS.get(figure.unit, "count")
    data = {"scope": figure.scope, **({"team": figure.team} if figure.team is not None else {}),
            "value": exact(figure.value, kind)}
    # a share's or rate's numerator and denominator are counts (whole numbers, as they are) or amounts (spending on
    # prevention and in all: whole kroner)
    amounts = "money" if figure.unit in ("amount", "deviation", "rate", "share") else kind
    if figure.unit in ("share", "rate", "ratio") or figure.numerator is not None:
        data["numerator"] = exact(figure.numerator, amounts)
        data["denominator"] = exact(figure.denominator, amounts)
    if figure.unit in ("share", "rate"):
        data["share_of"] = str(figure.share_of)  # handling: counts not protected; composition: protected
    if figure.extra:
        # beside a value, its settings (a target: as set) and numbers of its kind (a budget's forecast: an amount)
        beside = "money" if figure.unit in ("amount", "deviation", "rate") else kind
        data.update({k: _plain(v) if k == "target" else exact(_plain(v), beside) for k, v in figure.extra.items()})
    if none_due_yet(figure):  # 0 of 0, every item pending: no share yet (the PDF: "ingen frist udløbet endnu")
        data["none_due_yet"] = True
    if figure.suppressed:
        data["suppressed"] = True
        data["hidden_as"] = figure.hidden_as  # small ("<5" on the page), few or other ("–")
    if figure.verdict is not None:
        data["verdict"] = _verdict(figure.verdict)
        if exact is not _as_computed and isinstance(data["value"], (int, float)) and figure.verdict.judged:
            # how far from its yardstick, no more exactly than the value: the value is the yardstick less it, so the
            # distance of the value as published (to 4 decimals: a fraction of the yardstick, printed nowhere)
            data["verdict"]["distance"] = round_half_up(distance_of(data["value"], figure.verdict.yardstick), 4)
        if figure.base is not None:  # a statistic's base is no number the pack shows (the committee's protection)
            del data["verdict"]["cases"]
    return data


def _as_computed(value, kind: str):
    return value


def _as_printed(language):
    """A committee pack's numbers no more exact than it prints them (``published``): a mean of whole-krone prices
    written to the last binary digit is a fraction whose denominator is its base, a protected count."""
    return lambda value, kind: published(language, value, kind)


def _yardstick(yardstick: Yardstick, language=None) -> dict:
    data = {"indicator": yardstick.indicator, "basis": str(yardstick.basis), "value": yardstick.value,
            "direction": yardstick.direction}
    if language is not None:
        data["label"] = yardstick_phrase(language, yardstick)
    return data


def _verdict(verdict: Verdict) -> dict:
    """A figure's one verdict: the level ("green", "yellow", "red", or "few": not judged), its yardstick, how far
    from it and on how many cases (a share's denominator, a ratio's numerator: numbers the figure shows)."""
    return {"level": verdict.level, "basis": str(verdict.yardstick.basis), "yardstick": verdict.yardstick.value,
            "direction": verdict.yardstick.direction, "distance": verdict.distance, "cases": verdict.cases,
            "also": [_yardstick(y) for y in verdict.also]}


def _indicators(section: SectionResult, language, compared: dict[str, str] | None = None, exact=None) -> dict:
    """Each indicator's figures; ``compared`` names the comparison periods ({"2026-09": "previous",
    "2025-10": "year_before"}), whose figures also go under ``compared`` (and ``compared_by_team``)."""
    result: dict[str, dict] = {}
    compared = compared or {}
    for figure in section.figures:
        entry = result.get(figure.indicator)
        if entry is None:  # its label translated once, not for each of its figures
            label = translate(language, section.labels.get(figure.indicator, figure.indicator))
            entry = result[figure.indicator] = {"label": label, "unit": figure.unit}
        data = _figure(figure, exact)
        if figure.period in compared and figure.staff_id is None and figure.category is None:
            target = entry.setdefault("compared", {}) if figure.team is None else \
                entry.setdefault("compared_by_team", {}).setdefault(figure.team, {})
            target[compared[figure.period]] = {"period": figure.period, **data}
            if Period.parse(figure.period).kind != MONTH:  # a quarter or a year to date: no point of the trend
                continue
        if figure.period is not None:
            _trend(entry, figure).append({"period": figure.period, **data})
        elif figure.staff_id is not None:
            entry.setdefault("by_caseworker", {})[figure.staff_id] = {"team": figure.team, **data}
        elif figure.category is not None:
            target = entry.setdefault("by_category", {})
            if figure.team is not None:
                target = entry.setdefault("by_team_and_category", {}).setdefault(figure.team, {})
            target[figure.category] = data
        elif figure.team is not None:
            entry.setdefault("by_team", {})[figure.team] = data
        else:
            entry.update(data)
    for entry in result.values():  # chronological and by category, whatever order the figures came in
        for points in _trend_lists(entry):
            points.sort(key=lambda point: point["period"])
        if "trend_by_category" in entry:
            entry["trend_by_category"] = dict(sorted(entry["trend_by_category"].items()))
        for team, by_category in entry.get("trend_by_team_and_category", {}).items():
            entry["trend_by_team_and_category"][team] = dict(sorted(by_category.items()))
    return result


def _trend(entry: dict, figure: Figure) -> list:
    """The list a trend point belongs in: the municipality's, a team's, a category's (e.g. a
    reporter type's month by month) or a team's category's."""
    if figure.team is None and figure.category is None:
        return entry.setdefault("trend", [])
    if figure.category is None:
        return entry.setdefault("trend_by_team", {}).setdefault(figure.team, [])
    if figure.team is None:
        return entry.setdefault("trend_by_category", {}).setdefault(figure.category, [])
    return entry.setdefault("trend_by_team_and_category", {}).setdefault(figure.team, {}).setdefault(
        figure.category, [])


def _trend_lists(entry: dict):
    yield from [entry["trend"]] if "trend" in entry else []
    for key in ("trend_by_team", "trend_by_category"):
        yield from entry.get(key, {}).values()
    for by_category in entry.get("trend_by_team_and_category", {}).values():
        yield from by_category.values()


def _rows(frame, keys: list[str], kinds: dict[str, str] | None = None, exact=None) -> list[dict]:
    """The rows; a cell showing a judged figure has its figure's verdict in the row's ``"_status"`` (as the
    PDF's colour and symbol: green, yellow, red, or "few" when it rests on too few cases: not judged). ``kinds``:
    each column's kind, for ``exact`` (:func:`_figure`); a ``goal`` cell is a share or a number as its row's ``unit``
    says, as the PDF prints it."""
    rows, kinds, exact = [], kinds or {}, exact or _as_computed
    flags = [c for c in frame.columns if c.endswith(SUPPRESSED_SUFFIX)]
    verdicts = [c for c in frame.columns if c.endswith(VERDICT_SUFFIX)]
    for row in frame.iter_rows(named=True):
        out = {key: exact(_plain(row[key]), _kind(kinds.get(key, ""), row)) for key in keys if key in row}
        hidden = [c[: -len(SUPPRESSED_SUFFIX)] for c in flags if row[c]]
        if hidden:
            out["_suppressed"] = hidden
            out["_hidden_as"] = {c[: -len(SUPPRESSED_SUFFIX)]: row[c] for c in flags if row[c]}  # as the page shows
        statuses = {c[: -len(VERDICT_SUFFIX)]: row[c] for c in verdicts if row[c] is not None}
        if statuses:
            out["_status"] = statuses
        rows.append(out)
    return rows


def _kind(kind: str, row: dict) -> str:
    """A cell's kind as its number is printed: a goal's (a share or a number) its row's unit's format."""
    return UNIT_FORMATS.get(row.get("unit"), "number") if kind == "goal" else kind


def _by_month(table, rows: list[dict]) -> list[dict]:
    """``rows`` with a date that derives from a birth date (:attr:`Column.from_birth_date`) as its month, "2026-12", as
    the PDF says it: the table keeps only its month (:func:`ledinfo.model.results.birth_dates_coarsened`)."""
    for column in table.columns:
        if column.from_birth_date is None or column.kind != "date" or column.from_birth_date not in table.frame.columns:
            continue
        for row, coarse in zip(rows, table.frame[column.from_birth_date].to_list()):
            if coarse and isinstance(row.get(column.key), str):
                row[column.key] = row[column.key][:7]
    return rows


def _column(column, language) -> dict:
    # a heading's no-break spaces ("3 mdr. før", held whole in the PDF's table) are the page's typesetting, not its
    # words: plain spaces here, as a number's formatting has them
    label = translate(language, column.label).replace("\u00a0", " ")
    data = {"key": column.key, "label": label, "kind": column.kind}
    if column.judged:  # its cells show their figures' verdicts (each row's "_status")
        data["judged"] = True
    return data


def _comment(comment) -> dict | None:
    """A comment as the secretary wrote it (Markdown), and the file it came from."""
    return None if comment is None else {"markdown": comment.text, "file": comment.file}


def _comparisons(period) -> dict[str, str]:
    if period is None:
        return {}
    found = {str(period.year_before()): "year_before"}
    if period.previous() is not None:
        found[str(period.previous())] = "previous"
    return found


def pack_json(content: PackContent) -> dict:
    language, view, job = content.view.language, content.view, content.job
    compared = _comparisons(view.period)
    exact = _as_printed(language) if audience(view.audience).protected else None
    sections = []
    for section in content.sections:
        # each column's kind, for its cells' exactness; a chart's other columns are its section's tables' (the same
        # numbers: a chart's bars are a table's rows)
        kinds = {str(c.key): str(c.kind) for table in section.tables for c in table.columns}
        sections.append({
            "id": section.section,
            "title": language(section.title),
            "indicators": _indicators(section, language, compared, exact),
            "tables": [{
                "id": table.id,
                "title": translate(language, table.title),
                "columns": [_column(c, language) for c in table.columns],
                # a column a cell's note reads (a step's case closed on): its date in the rows too, as the PDF says it
                "rows": _by_month(table, _rows(table.frame, [c.key for c in table.columns]
                                               + [c.dated_note[0] for c in table.columns
                                                  if c.dated_note and c.dated_note[0] in table.frame.columns],
                                               {c.key: str(c.kind) for c in table.columns}, exact)),
                # what its judged cells are judged against
                "yardsticks": [{"column": key, **_yardstick(y, language)} for key, _, y in table.yardsticks],
                "note": None if table.note is None else translate(language, table.note),  # the line under it
                # a list the PDF shows grouped: the column its rows stand under a line of (the rows are the same)
                **({"group_by": table.group_by} if table.group_by in [c.key for c in table.columns] else {}),
            } for table in section.tables],
            "charts": [{
                "id": chart.id,
                "title": translate(language, chart.title),
                "data": _rows(chart.frame, [c for c in chart.frame.columns
                                            if not c.endswith((SUPPRESSED_SUFFIX, VERDICT_SUFFIX,
                                                               YARDSTICK_SUFFIX))],
                              {**kinds, chart.y: chart.y_format}, exact),
                "takeaway": chart.takeaway,  # the one line the PDF prints under the chart
                # the reference lines and band the chart draws (a guideline, a budget): settings, not data; the
                # yardsticks are what its values are judged against (their colour is each value's verdict, "_status")
                "reference": {"lines": [{"value": value, "label": translate(language, text)}
                                        for value, text in chart.rules],
                              "yardsticks": [_yardstick(y, language) for y in chart.yardsticks],
                              "budget": chart.budget,
                              "band": None if chart.band is None else {
                                  "low": chart.band[0], "high": chart.band[1],
                                  "label": translate(language, chart.band[2])}},
            } for chart in section.charts],
            "texts": section.texts,
            "notes": [translate(language, note) for note in section.notes],
            "comment": _comment(content.comments.sections.get(section.section)),  # the administration's, or null
        })
    return {
        "schema_version": SCHEMA_VERSION,
        "ledinfo_version": content.version,
        "pack": job.pack_id,
        "audience": job.audience,
        "team": job.team,
        "title": content.title,
        "summary": content.summary,
        # a team leader's to-do list as the PDF groups it: by caseworker, a line per case with every step due on it;
        # "kind" says whose a group is: a caseworker's, the cases naming none, or the whole team's (both null)
        "actions": [{"caseworker": group.caseworker, "kind": group.kind, "title": group.title, "lines": group.lines}
                    for group in content.actions],
        "headlines": content.headlines,
        "comment": _comment(content.comments.pack),  # the administration's comment on the pack, or null
        "draft": content.draft,  # an agenda item (the committee's pack) without the administration's comment
        "prompts": content.prompts,  # the changes a politician will ask about: the questions for the comment
        "municipality": view.municipality.name or None,
        "committee": None if content.committee is None else {
            "name": content.committee.name,
            "meeting": None if content.meeting is None else content.meeting.isoformat(),
            "contact": None if content.committee.contact is None else {
                "name": content.committee.contact.name, "email": content.committee.contact.email,
                "phone": content.committee.contact.phone}},
        "period": str(view.period),
        "as_of": view.period.end.isoformat(),
        "language": language.code,
        "disclosure_threshold": view.threshold,
        # how near a yardstick is "close" ([verdicts]), as every legend states it: percentage points for a share,
        # a fraction of the yardstick for any other figure
        "close_margin": {"share_points": view.margin.points, "other": view.margin.percent / 100},
        # the values the pack prints with more decimals than their unit's usual, so that a judged figure never reads
        # as if on the other side of its yardstick ("79,7 %" against "mindst 80 %"): wherever the PDF prints them
        "printed_decimals": [{"format": kind, "value": _printed(value, kind, decimals, exact), "decimals": decimals}
                             for kind, value, decimals in language.precise],
        "outside_data": None if view.outside_data is None else {
            "data_first": view.outside_data.first.isoformat(), "data_last": view.outside_data.last.isoformat(),
            "warning": outside_data_text(language, view)},
        "sections": sections,
        "omitted": [{"section": name, "reason": reason} for name, reason in content.omitted],
    }


def _printed(value: float, kind: str, decimals: int, exact) -> float:
    """A value the pack prints with more decimals than usual, as printed where the pack is published (``exact``)."""
    if exact is None:
        return value
    return round_half_up(value, decimals + (2 if kind == "percent" else 0)) + 0.0


def render_json(content: PackContent) -> bytes:
    return json_bytes(pack_json(content))


# a dataclass or a date is no JSON to ``json`` (it raises): orjson's own forms of them are not taken either
_ORJSON = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATACLASS | \
    orjson.OPT_PASSTHROUGH_DATETIME


def json_bytes(data) -> bytes:
    """``data`` as ``json.dumps(data, ensure_ascii=False, indent=2)`` writes it, and a newline, in UTF-8.

    Written by orjson, in C: Python's own encoder runs in pure Python as soon as it indents (a scale-10 build's 52
    packs: 0.79 s of CPU, against 0.08 s with :func:`_awkward`'s check). orjson writes the same bytes except for what
    :func:`_awkward` finds (a float it writes otherwise) and what it refuses (a key that is no string, a type
    ``json`` does not know, a string no UTF-8 can hold); those go to ``json.dumps``, as they always did."""
    if not _awkward(data):
        try:
            return orjson.dumps(data, option=_ORJSON)
        except orjson.JSONEncodeError:  # e.g. an int key, which json writes as a string
            pass
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _awkward(data) -> bool:
    """Whether ``data`` holds a float orjson writes otherwise than ``json``: NaN and infinity (``null`` against
    ``NaN``), and those written with a one-digit exponent or without one below 1e-4 ("1e-5" or "0.00001" against
    "1e-05"). Made of plain dicts, lists, strings and numbers, a pack's data is walked in a tenth of what
    writing it costs."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
        elif isinstance(node, float) and node and not 1e-4 <= abs(node) < math.inf:
            return True
    return False
