"""What a committee member reads in one pack: every number of its JSON — figures, trends, comparisons,
table cells, chart values — shown or hidden, and what the PDF's chart alt texts (``/Alt``, read back
with pypdf) say of each hidden value ("<5" or "–").

Which figure a table cell or a chart value shows is the structure of the pack (its ``FigureRef``), as a
reader sees it from the chart's title and axes; everything else comes from the published files.
How a hidden number is labelled comes from what the pack prints: the JSON's ``hidden_as`` where it has
one, the alt text for a chart's values, the table's "<5" or "–", and a key figure's tile ("<5" for a
small count; "rests on fewer than 5 cases" for a share, which says its denominator is 1 to 4).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace

from ledinfo.api.attack.numbers import COUNTED, DASH, FEW, SMALL, Key, Seen, whole
from ledinfo.disclosure.disclose import suppressed_column
from ledinfo.render.charts import _prepare, readable
from ledinfo.words.formatting import translate

HIDDEN_AS = {"small": SMALL, "few": FEW, "other": DASH}  # the result model's names for how a number is hidden


@dataclass
class Reading:
    """Everything one pack shows: ``seen`` the counts (shown or hidden), ``ratios`` the shares' values shown
    (a share of 81 % ties its numerator to its denominator), ``units`` each indicator's unit, ``notes``
    what could not be read."""

    pack: str
    threshold: int
    seen: list[Seen] = field(default_factory=list)
    ratios: list[tuple[Key, float]] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_pack(data: dict, pdf: bytes, content) -> Reading:
    """Read a committee pack: its JSON ``data``, its PDF, and the disclosed ``content`` it was made from
    (for the figure each table cell and chart value shows, and what the page prints for a hidden one)."""
    reading = Reading(data["period"], int(data["disclosure_threshold"]))
    printed = _printed_labels(content, reading.pack)
    for section in data["sections"]:
        for indicator, entry in section["indicators"].items():
            reading.units[indicator] = entry.get("unit", "")
            _read_indicator(reading, indicator, entry, section["id"], printed)
    alts = alt_texts(pdf)
    by_id = {s.section: s for s in content.sections}
    for section in data["sections"]:
        disclosed = by_id[section["id"]]
        for table, shown in zip(disclosed.tables, section["tables"]):
            _read_table(reading, table, shown, section["id"])
        for chart, shown in zip(disclosed.charts, section["charts"]):
            labels = _alt_labels(chart, alts, content.view.language, reading)
            _read_chart(reading, chart, shown, section["id"], labels)
    return reading


# --- figures ------------------------------------------------------------------------------------------

def _printed_labels(content, period: str) -> dict[Key, str]:
    """What the page prints for each hidden figure: "<5" (SMALL) for a small count, "fewer than 5 cases"
    (FEW) for a share's denominator, "–" (DASH) otherwise."""
    labels = {}
    for section in content.sections:
        for figure in section.figures:
            if not figure.suppressed or figure.staff_id is not None:
                continue
            key = Key(figure.indicator, figure.period or period, figure.category or "", "value", figure.team or "")
            if figure.unit == "count":
                labels[key] = DASH if figure.hidden_as == "other" else SMALL
            elif figure.hidden_as == "few":
                labels[key.as_part("denominator")] = FEW
    return labels


def _read_indicator(reading: Reading, indicator: str, entry: dict, where: str, printed: dict[Key, str]) -> None:
    pack = reading.pack

    unit = entry.get("unit", "")
    counted = COUNTED.get(unit, ())

    def read(data: dict, period: str, category: str = "", team: str = "", place: str = "") -> None:
        base = Key(indicator, period, category, "value", team)
        spot = f"{indicator}{place}"
        if data.get("suppressed"):
            said = HIDDEN_AS.get(data.get("hidden_as"))
            for part in counted:
                key = base.as_part(part)
                label = (said if part == "value" else None) or printed.get(key)
                reading.seen.append(Seen(key, pack, None, where, spot, label))
            return
        for part in counted:
            if whole(data.get(part)) is not None:
                reading.seen.append(Seen(base.as_part(part), pack, whole(data[part]), where, spot))
        if unit in ("share", "rate") and isinstance(data.get("value"), (int, float)):
            reading.ratios.append((base, float(data["value"])))

    if "value" in entry or entry.get("suppressed"):
        read(entry, pack)
    for point in entry.get("trend", []):
        read(point, point["period"], place=" trend")
    for category, points in entry.get("trend_by_category", {}).items():
        for point in points:
            read(point, point["period"], category, place=" trend")
    for category, data in entry.get("by_category", {}).items():
        read(data, pack, category, place=" by category")
    for data in entry.get("compared", {}).values():
        read(data, data["period"], place=" compared")
    # a committee pack shows no team: if one does, its numbers are read too (and the leak is plain)
    for team, data in entry.get("by_team", {}).items():
        read(data, pack, team=team, place=" by team")
    for team, points in entry.get("trend_by_team", {}).items():
        for point in points:
            read(point, point["period"], team=team, place=" trend by team")
    for team, compared in entry.get("compared_by_team", {}).items():
        for data in compared.values():
            read(data, data["period"], team=team, place=" compared by team")
    for team, by_category in entry.get("by_team_and_category", {}).items():
        for category, data in by_category.items():
            read(data, pack, category, team, " by team and category")


# --- tables and charts -----------------------------------------------------------------------------------

def _cell_key(row: dict, ref, team_column: str | None, period: str) -> Key:
    """The figure a bound cell shows (``Column.figure`` / ``Chart.figure``), from its row."""
    indicator = ref.indicator or row.get(ref.indicator_column)
    category = ref.category if ref.category_column is None else row.get(ref.category_column)
    if ref.total_category is not None and category == ref.total_category:
        category = None
    when = ref.period or (row.get(ref.period_column) if ref.period_column else None) or period
    team = row.get(team_column) if team_column else None
    return Key(str(indicator), str(when), category or "", ref.part, team or "")


def _read_cells(reading: Reading, frame, shown_rows: list[dict], column: str, ref, team_column, section: str,
                where: str, labels: list[str | None] | None, flags: list | None, unit_of) -> None:
    for index, (row, shown) in enumerate(zip(frame.iter_rows(named=True), shown_rows)):
        key = _cell_key(row, ref, team_column, reading.pack)
        hidden = column in shown.get("_suppressed", ())
        label = labels[index] if labels is not None else None
        if label is not None and label not in (SMALL, DASH):  # the alt text printed a number the JSON hides
            if hidden:
                reading.notes.append(f"{section}, {where}: the alt text says {label!r} for {key}, which the JSON "
                                     "hides")
                number = _number(label)
                if number is not None and unit_of(key) not in ("share", "rate"):
                    reading.seen.append(Seen(key, reading.pack, number, section, f"{where} (alt text)"))
            label = None
        ratio = key.part == "value" and unit_of(key) in ("share", "rate")
        if hidden and ratio:
            continue  # a share hidden: its counts are hidden in its figure
        if hidden:
            if label is None and flags is not None:
                label = SMALL if flags[index] == "small" else DASH
            reading.seen.append(Seen(key, reading.pack, None, section, where, label))
            continue
        number = shown.get(column)
        if number is None:
            continue
        if ratio:
            reading.ratios.append((key, float(number)))
        elif whole(number) is not None:
            reading.seen.append(Seen(key, reading.pack, whole(number), section, where))


def _read_table(reading: Reading, table, shown: dict, section: str) -> None:
    for column in table.columns:
        if column.figure is None or column.key not in table.frame.columns:
            continue
        marker = suppressed_column(column.key)
        flags = table.frame[marker].to_list() if marker in table.frame.columns else None
        _read_cells(reading, table.frame, shown["rows"], column.key, column.figure, table.team_column, section,
                    f"table {table.id}", None, flags, _unit_of(reading))


def _read_chart(reading: Reading, chart, shown: dict, section: str, labels) -> None:
    if chart.figure is None:
        return
    _read_cells(reading, chart.frame, shown["data"], chart.y, chart.figure, chart.team_column, section,
                f"chart {chart.id}", labels, None, _unit_of(reading))


def _unit_of(reading: Reading):
    return lambda key: reading.units.get(key.indicator, "")


def _number(text: str) -> int | None:
    digits = text.replace(".", "").replace("\u00a0", "").strip()
    return int(digits) if digits.isdigit() else None


# --- the alt texts -----------------------------------------------------------------------------------------

def alt_texts(pdf: bytes) -> list[str]:
    """Every figure's ``/Alt`` in the PDF's structure tree, in reading order (read back with pypdf)."""
    try:
        from pypdf import PdfReader  # deferred: pypdf, a test tool, only when a PDF is read
    except ImportError:  # a test dependency: the attack is a test
        raise RuntimeError("reading the alt texts needs pypdf: pip install 'ledinfo[test]'") from None
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    found: list[str] = []
    stack = [root["/StructTreeRoot"]] if "/StructTreeRoot" in root else []
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "keys"):
            continue
        if "/Alt" in node and node.get("/S") == "/Figure":
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        kids = [] if kids is None else list(kids) if isinstance(kids, list) else [kids]
        stack += [kid for kid in reversed(kids) if hasattr(kid, "get_object")]
    return found


def _alt_labels(chart, alts: list[str], language, reading: Reading) -> list[str | None] | None:
    """What the chart's alt text says of each of its values, in the order of its rows: SMALL ("<5"),
    DASH ("–"), the number's text when it prints one, None for a row it does not draw."""
    if chart.figure is None:
        return None
    title = translate(language, chart.title)
    alt = next((text for text in alts if title in text), None)
    if alt is None:
        reading.notes.append(f"chart {chart.id}: no alt text with its title in the PDF")
        return None
    numbered = replace(chart, frame=chart.frame.with_row_index("__row"))
    labelled, _ = _prepare(numbered, language)
    rows = readable(numbered)[0]["__row"].to_list()
    groups: dict[str, list[tuple[str, int]]] = {}
    for (x, series), row in zip(labelled.select("x_label", "series").iter_rows(), rows):
        groups.setdefault(series or "", []).append((x, row))
    named = len(groups) > 1
    said: list[str | None] = [None] * chart.frame.height
    position = alt.index(title) + len(title)
    entries = [(name, x, row) for name, items in groups.items() for x, row in items]
    for number, (name, x, row) in enumerate(entries):
        if named and name and (number == 0 or entries[number - 1][0] != name):
            found = alt.find(f"{name}: ", position)
            if found < 0:
                reading.notes.append(f"chart {chart.id}: its alt text lost the series {name!r}")
                return said
            position = found + len(name) + 2
        found = alt.find(f"{x} ", position)
        if found < 0:
            reading.notes.append(f"chart {chart.id}: its alt text lost {x!r} ({name})")
            return said
        start = found + len(x) + 1
        if number + 1 < len(entries):
            following = entries[number + 1]
            marker = f", {following[1]} " if following[0] == name else "; "
            end = alt.find(marker, start)
        else:
            end = -1
        if end < 0:
            end = re.search(r"\.(\s|$)", alt[start:]).start() + start
        text = alt[start:end].strip()
        said[row] = SMALL if text == f"<{reading.threshold}" else DASH if text == "–" else text
        position = end
    return said
