"""A user's extract's problems: each located (file, table, row, column), counted by kind, reported all at once
(:class:`ExtractError`, exit code 2), never with a CPR number in it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from ledinfo.errors import LedinfoError
from ledinfo.extract.model import RawTable
from ledinfo.privacy.cpr import quotable, redact, redact_value

# Problem kinds, in the order the report lists them, with their labels.
KINDS = {
    "missing_table": "missing table",
    "empty_table": "table without rows",
    "missing_column": "missing required column",
    "duplicate_column": "column given twice",
    "missing_value": "missing value",
    "wrong_type": "wrong type",
    "unparseable_date": "not a date",
    "unknown_category": "unknown category value",
    "out_of_range": "value out of range",
    "bad_format": "value in the wrong format",
    "duplicate_id": "duplicate id",
    "dangling_reference": "dangling reference",
    "end_before_start": "end before start",
    "without_its_event": "detail without its event",
    "overlapping_periods": "overlapping employment periods",
    "cpr_number": "CPR number",
    "control_character": "control character",
    "unprintable_text": "text that does not print as written",
    "unusable_team_name": "team name that cannot name a file",
    "unmapped_value": "value the mapping does not know",
}

EXAMPLES_PER_GROUP = 20
REPORT_LIMIT = 20


@dataclass(frozen=True)
class Problem:
    """One located problem in a user's extract."""

    kind: str
    table: str
    origin: str
    row: int | None
    column: str | None
    message: str

    def location(self) -> str:
        parts = [self.origin]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class ExtractError(LedinfoError):
    """The extract has problems; :meth:`report` lists them."""

    def __init__(self, problems: list[Problem], counts: Counter, description: str = "") -> None:
        self.problems = problems
        self.counts = counts
        self.description = description
        super().__init__(self.report())

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def report(self, limit: int = REPORT_LIMIT) -> str:
        where = f" in {self.description}" if self.description else ""
        noun = "problem" if self.total == 1 else "problems"
        lines = [f"The extract{where} has {self.total} {noun}; nothing was built.", ""]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if self.total > limit:
            lines.append(f"  … and {self.total - limit} more (first {limit} shown)")
        lines += ["", "Problems by kind:"]
        width = max(len(KINDS[k]) for k in self.counts)
        for kind in KINDS:
            if self.counts.get(kind):
                lines.append(f"  {KINDS[kind]:<{width}}  {self.counts[kind]}")
        lines += ["", "The extract format is described in docs/extract-format.md."]
        # A last net under every message kind (a mapping's, a column name, a folder name):
        # no CPR number is ever repeated to the user.
        return redact("\n".join(lines))


@dataclass
class Collector:
    """Counts every problem and keeps the first few of each group as examples."""

    counts: Counter = field(default_factory=Counter)
    examples: list[tuple[int, int, Problem]] = field(default_factory=list)
    table_order: dict[str, int] = field(default_factory=dict)
    # (table, column) -> the rows that hold a CPR number: already reported as such, and
    # left out of every other check, whose message would point at the number.
    cpr_rows: dict[tuple[str, str], pl.Series] = field(default_factory=dict)

    def add(self, problem: Problem, count: int = 1) -> None:
        self.counts[problem.kind] += count
        order = self.table_order.setdefault(problem.table, len(self.table_order))
        self.examples.append((order, problem.row or 0, problem))

    def add_masked(self, raw: RawTable, mask: pl.Series, kind: str, column: str | None,
                   message, values: pl.Series | None = None) -> None:
        """Report every row where ``mask`` is true; ``message(value)`` words it."""
        mask = mask.fill_null(False)
        cpr_rows = self.cpr_rows.get((raw.name, column)) if kind != "cpr_number" else None
        if cpr_rows is not None and len(cpr_rows) == len(mask):
            mask = mask & ~cpr_rows
        count = int(mask.sum())
        if not count:
            return
        self.counts[kind] += count
        order = self.table_order.setdefault(raw.name, len(self.table_order))
        rows = pl.arg_where(mask, eager=True).head(EXAMPLES_PER_GROUP).to_list()
        shown = values.filter(mask).head(EXAMPLES_PER_GROUP).to_list() if values is not None else [None] * len(rows)
        for index, value in zip(rows, shown):
            row = raw.row_number(index)
            self.examples.append((order, row, Problem(kind, raw.name, raw.origin, row, column, message(value))))

    def sorted_problems(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.examples, key=lambda item: (item[0], item[1]))]


def show_value(value) -> str:
    """Quote a bad value for a message, hiding anything CPR-shaped: a value is quoted only if it is
    :func:`quotable`; a CPR number is redacted, and a value whose digits could be one is not shown."""
    if value is None:
        return "(empty)"
    text = redact_value(str(value))  # before shortening, so no part of a number is left (its groups split too)
    if not quotable(text):
        return "(a value whose digits could be a CPR number; not shown)"
    return repr(text if len(text) <= 40 else text[:37] + "...")
