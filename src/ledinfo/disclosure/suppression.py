"""Small-count suppression with complementary suppression, for the committee's tables.

Primary suppression hides every count from 1 to threshold − 1. That alone is
not enough where counts add up to totals a reader also sees: one hidden cell in
a row whose total is shown can be recomputed by subtraction. Complementary
(secondary) suppression therefore hides more cells until, in every row and
every column — totals included as members of their line — either nothing is
hidden, or at least two cells are hidden and together they hold at least
``threshold``. No hidden value can then be recovered from the row and column
totals, and the hidden cells of a line cannot be told apart from one another.

That line rule is a heuristic, and not enough by itself: cycles of hidden
cells, hidden zeros and the "<5" labels of the primary cells can still pin a
hidden value (a 2 × 2 table [[3, 4], [6, 4]] with its four cells hidden gives
all four away). So the table is then audited exactly (ledinfo.disclosure.audit: every
hidden cell's range must be ``threshold`` wide, or as wide as the labels
alone leave it) and more cells are hidden until the audit passes.

The cells chosen for secondary suppression are the smallest visible ones, so
as little as possible is hidden. Zeros are not primary-suppressed (a zero is no
small group of people), but may be hidden as complements.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ledinfo.disclosure.audit import audit, table_cells


def protect(matrix: np.ndarray, threshold: int, row_totals: bool = True, column_totals: bool = True) -> np.ndarray:
    """Which cells of ``matrix`` (counts, rows × columns) to hide.

    ``row_totals``/``column_totals`` say the sums of rows/columns are published; the
    returned mask has one extra column (row totals) and one extra row (column totals)
    when they are, marking totals that must be hidden too.
    """
    values = np.ascontiguousarray(matrix, dtype=np.int64)
    # Cached: a pack suppresses the same table for its table and its chart, and the audit costs solver time.
    return _protect(values.tobytes(), values.shape, threshold, row_totals, column_totals).copy()


@lru_cache(maxsize=256)
def _protect(data: bytes, shape: tuple[int, int], threshold: int, row_totals: bool, column_totals: bool) -> np.ndarray:
    values = np.frombuffer(data, dtype=np.int64).reshape(shape)
    rows, cols = values.shape
    full = np.zeros((rows + (1 if column_totals else 0), cols + (1 if row_totals else 0)), dtype=np.int64)
    full[:rows, :cols] = values
    if row_totals:
        full[:rows, cols] = values.sum(axis=1)
    if column_totals:
        full[rows, :cols] = values.sum(axis=0)
    if row_totals and column_totals:
        full[rows, cols] = values.sum()
    hidden = (full > 0) & (full < threshold)

    lines = []  # each line: the cells that add up (the members and their total)
    if row_totals:
        lines += [[(r, c) for c in range(full.shape[1])] for r in range(full.shape[0])]
    if column_totals:
        lines += [[(r, c) for r in range(full.shape[0])] for c in range(full.shape[1])]
    if not row_totals and not column_totals:
        return hidden[:rows, :cols]

    _close_lines(full, hidden, lines, rows, cols, threshold)
    # The line rule is a heuristic: cycles of hidden cells, zeros and the "<5" labels can
    # still pin a value (see ledinfo.disclosure.audit). Hide more until the exact audit passes, or every cell is
    # hidden: then the labels alone may still pin a count (two "<3" under a row of 2), and the table is shown
    # with "–" for all (table_cells), which pins nothing.
    alone: dict = {}  # the audit's intervals with every cell hidden: the same for the whole loop
    while not hidden.all() and (failures := _audit(values, hidden, threshold, row_totals, column_totals, alone)):
        for cell in _next_complements(failures, full, hidden, lines, rows, cols):
            hidden[cell] = True
        _close_lines(full, hidden, lines, rows, cols, threshold)
    return hidden


def _close_lines(full: np.ndarray, hidden: np.ndarray, lines: list, rows: int, cols: int, threshold: int) -> None:
    """Hide the smallest visible cells until no line has one hidden cell, or hidden cells under ``threshold`` together."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            secret = [cell for cell in line if hidden[cell]]
            if not secret:
                continue
            if len(secret) >= 2 and sum(full[cell] for cell in secret) >= threshold:
                continue
            visible = [cell for cell in line if not hidden[cell]]
            if not visible:
                continue
            # the smallest non-zero first, then zeros; never a total when an inner cell will do
            visible.sort(key=lambda cell: _preference(cell, full, rows, cols))
            hidden[visible[0]] = True
            changed = True


def _preference(cell: tuple[int, int], full: np.ndarray, rows: int, cols: int) -> tuple:
    return _is_total(cell, rows, cols), full[cell] == 0, full[cell]


def _audit(values: np.ndarray, hidden: np.ndarray, threshold: int, row_totals: bool, column_totals: bool,
           alone: dict) -> list:
    """The failing cells' positions, from the exact audit of the table as it would be shown."""
    cells, relations = table_cells(values, hidden, threshold, row_totals=row_totals, column_totals=column_totals)
    width = hidden.shape[1]
    position = {cell.key: divmod(index, width) for index, cell in enumerate(cells)}
    failures = audit(cells, relations, threshold, alone)
    if any(failure.key is None for failure in failures):
        raise AssertionError(f"a table and its own totals cannot contradict each other: {failures}")
    return [position[failure.key] for failure in failures]


def _next_complements(failures: list, full: np.ndarray, hidden: np.ndarray, lines: list,
                      rows: int, cols: int) -> set[tuple[int, int]]:
    """For each failing cell not yet helped this round, the preferred visible cell sharing a line with it.

    One per failing cell rather than one per audit: each audit solves many small
    integer programmes, so fewer rounds is what keeps ``protect`` fast.
    """
    chosen: set[tuple[int, int]] = set()
    for failing in failures:
        own = [line for line in lines if failing in line]
        if any(cell in line for line in own for cell in chosen):
            continue
        visible = [cell for line in own for cell in line if not hidden[cell]]
        if visible:
            chosen.add(min(visible, key=lambda cell: _preference(cell, full, rows, cols)))
    if not chosen:  # the failing cells' lines are all hidden: widen elsewhere
        visible = [tuple(int(i) for i in cell) for cell in np.argwhere(~hidden)]
        chosen.add(min(visible, key=lambda cell: _preference(cell, full, rows, cols)))
    return chosen


def _is_total(cell: tuple[int, int], rows: int, cols: int) -> bool:
    return cell[0] >= rows or cell[1] >= cols


def recoverable(matrix: np.ndarray, hidden: np.ndarray, threshold: int) -> list[tuple[int, int]]:
    """Hidden cells a reader could recompute from one visible line total (for tests).

    A line (row or column, with its total) gives away a hidden cell when it is the
    only hidden cell of that line.
    """
    values = np.asarray(matrix, dtype=np.int64)
    rows, cols = values.shape
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:rows, :cols] = values
    full[:rows, cols] = values.sum(axis=1)
    full[rows, :cols] = values.sum(axis=0)
    full[rows, cols] = values.sum()
    exposed = []
    for r in range(rows + 1):
        secret = [(r, c) for c in range(cols + 1) if hidden[r, c]]
        if len(secret) == 1:
            exposed += secret
    for c in range(cols + 1):
        secret = [(r, c) for r in range(rows + 1) if hidden[r, c]]
        if len(secret) == 1:
            exposed += secret
    return exposed
