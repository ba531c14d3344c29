"""A team leader's list in groups: its rows under a line per caseworker (``Table.group_by``), for the PDF.

A team leader goes through a list caseworker by caseworker (domain.md: the leader follows up with each). The
caseworker in a column of every row took a fifth of a narrow page and wrapped every row onto two to four lines
("M-0013 / Jakob / Knudsen"); here each caseworker is named once, on a line spanning the table above his or her
rows, and the columns left share the page. The groups come in the order each first comes in the rows, the rows of
each in their order: the table has them in its one order already (``Table.group_by``: by caseworker as "Til
handling" orders them, each caseworker's the most urgent first), the JSON's too.

The line is kept on a page with its group's first rows (:data:`KEPT`), and a group's last rows together; a
group that goes on over a page break is named again under the header the next page repeats, with "(fortsat)".
The tagged PDF reads the line as a header cell of its row spanning the table (TH, ``Scope`` Row, ``ColSpan``:
:mod:`ledinfo.render.tagging`), the repeated line as an artifact, as the repeated header row is: each is read
once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Table, TableStyle

KEPT = 2  # a group's line stays on a page with this many of its first rows (all, when it has fewer)


@dataclass(frozen=True)
class Line:
    """A row of a grouped list below its header: a group's line (``heading``) or one of its rows."""

    cells: list
    group: int  # the group it belongs to: an index into the list's group texts
    heading: bool = False
    commands: tuple = ()  # its own TableStyle commands, at row 0 (a judged cell's tint)


def grouped_order(keys: list[str]) -> list[list[int]]:
    """The rows' indices by group: the groups in the order their key first comes, each group's rows in order."""
    groups: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        groups.setdefault(key, []).append(index)
    return list(groups.values())


@dataclass(frozen=True)
class Layout:
    """What every piece of one grouped list shares: its header row, column widths and style; a group's line (its
    text, and the cell showing a text), and the text of a group's line continued on another page."""

    header: list
    widths: list[float]
    style: list[tuple]  # the commands for the whole table, as for a list that is not grouped
    texts: list[str]  # each group's text ("Rådgiver: M-0013 Jakob Knudsen")
    cell: Callable[[str], object]  # a group's line's cell for a text (a string, or a Paragraph when it must wrap)
    continued: Callable[[str], str]  # "… (fortsat)"
    line_style: tuple = ()  # how a group's line looks: its commands, at row 0 (it spans the table whatever they say)
    split_rows: int = 3  # each piece of a list split over pages holds at least this many lines

    def heading(self, group: int, continued: bool = False) -> Line:
        text = self.continued(self.texts[group]) if continued else self.texts[group]
        return Line([self.cell(text)] + [""] * (len(self.widths) - 1), group, heading=True)

    def table(self, lines: list[Line], cls: type | None = None, **options) -> GroupedTable:
        """A piece of the list: the header row, then ``lines``."""
        commands = list(self.style)
        for row, line in enumerate(lines, start=1):
            own = (("SPAN", (0, 0), (-1, 0)), *self.line_style) if line.heading else line.commands  # a line spans
            commands += [(name, (start[0], row), (end[0], row), *rest) for name, start, end, *rest in own]
            if line.heading:  # the line with its group's first rows: never alone at the foot of a page; and its
                # last rows together: a page never starts with a group's last row alone under its line again
                size = next((i for i, after in enumerate(lines[row:]) if after.heading), len(lines) - row)
                if size:
                    commands.append(("NOSPLIT", (0, row), (-1, row + min(KEPT, size))))
                if size > KEPT:
                    commands.append(("NOSPLIT", (0, row + size - KEPT + 1), (-1, row + size)))
        rows = [self.header] + [line.cells for line in lines]
        split_range = (1 + self.split_rows, -self.split_rows) if len(lines) > 2 * self.split_rows else None
        grid = (cls or GroupedTable)(rows, colWidths=self.widths, repeatRows=1, hAlign="LEFT",
                                     rowSplitRange=split_range, **options)
        grid.setStyle(TableStyle(commands))
        grid.lines, grid.layout = lines, self
        grid.group_rows = [row for row, line in enumerate(lines, start=1) if line.heading]
        return grid


class GroupedTable(Table):
    """A grouped list's table (:meth:`Layout.table`): split at a page's end like any table, its header repeated; the
    piece after a break inside a group starts with that group's line again, "(fortsat)"."""

    lines: list[Line] | None = None
    layout: Layout | None = None
    group_rows: list[int] | tuple = ()  # the rows that are a group's line (the tagged PDF's row headers)

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        if len(parts) != 2 or self.lines is None:
            return parts
        first = parts[0]
        cut = len(first._cellvalues) - 1  # the lines on this page
        rest = self.lines[cut:]
        if not rest[0].heading:
            rest = [self.layout.heading(rest[0].group, continued=True)] + rest
        return [first, self.layout.table(rest, type(self), renderCB=getattr(self, "_renderCB", None),
                                          spaceAfter=getattr(self, "spaceAfter", None))]


def grouped_lines(cells: list[list], keys: list[str], commands: dict[int, list[tuple]] | None = None
                  ) -> tuple[list[str], list[Line]]:
    """The group keys in order and the lines of the list: each group's line, then its rows. ``commands``: a row's
    own TableStyle commands by its index in ``cells`` (at any row: moved to row 0)."""
    commands = commands or {}
    order = grouped_order(keys)
    lines: list[Line] = []
    for group, indices in enumerate(order):
        lines.append(Line([], group, heading=True))
        lines += [Line(cells[i], group, commands=tuple((name, (start[0], 0), (end[0], 0), *rest)
                                                        for name, start, end, *rest in commands.get(i, ())))
                  for i in indices]
    return [keys[indices[0]] for indices in order], lines


def grouped_table(layout: Layout, lines: list[Line]) -> GroupedTable:
    """The whole list's table, each group's line filled in from ``layout``."""
    return layout.table([layout.heading(line.group) if line.heading else line for line in lines])
