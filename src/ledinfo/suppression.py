"""Small-count suppression with complementary suppression, for the committee's tables.

Primary suppression hides every count from 1 to threshold − 1. That alone is
not enough where counts add up to totals a reader also sees: one hidden cell in
a row whose total is shown can be recomputed by subtraction. Complementary
(secondary) suppression therefore hides more cells until, in every row and
every column — totals included as members of their line — either nothing is
hidden, or at least two cells are hidden and together they hold at least
``threshold``. No hidden value can then be recovered from the row and column
totals, and the hidden cells of a line cannot be told apart from one another.

The cells chosen for secondary suppression are the smallest visible ones, so
as little as possible is hidden. Zeros are not primary-suppressed (a zero is no
small group of people), but may be hidden as complements.
"""

from __future__ import annotations

import numpy as np


def protect(matrix: np.ndarray, threshold: int, row_totals: bool = True, column_totals: bool = True) -> np.ndarray:
    """Which cells of ``matrix`` (counts, rows × columns) to hide.

    ``row_totals``/``column_totals`` say the sums of rows/columns are published; the
    returned mask has one extra column (row totals) and one extra row (column totals)
    when they are, marking totals that must be hidden too.
    """
    values = np.asarray(matrix, dtype=np.int64)
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
            visible.sort(key=lambda cell: (_is_total(cell, rows, cols), full[cell] == 0, full[cell]))
            hidden[visible[0]] = True
            changed = True
    return hidden


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
