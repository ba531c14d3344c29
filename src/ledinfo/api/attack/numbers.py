"""The numbers a committee reader collects: what each one is (:class:`Key`) and how a pack showed it (:class:`Seen`).

A key names a number independently of the pack that printed it — the notifications of March 2024 are
the same number in March's pack, in April's trend and in the second quarter's comparison — so the
series can be attacked as one body of knowledge. Periods are absolute ("2024-03", "2024-Q1",
"2024-03-ytd"); a pack's own figures are filed under the pack's period.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTS = ("value", "numerator", "denominator", "pending")
# The parts of a figure that are counts, by its unit: a share's value is a ratio of two of them; an amount, a
# median or an average is no count (the attack covers sums of whole numbers).
COUNTED = {"count": ("value",), "share": ("numerator", "denominator", "pending"),
           "rate": ("numerator", "denominator", "pending"), "ratio": ("numerator",)}

# What a pack says about a hidden number, beyond "hidden".
SMALL = "small"  # "<5": a count from 1 to threshold-1
FEW = "few"  # a share "resting on fewer than 5 cases": its denominator is 1 to threshold-1
DASH = "dash"  # "–": hidden so that another cannot be worked out


@dataclass(frozen=True, order=True)
class Key:
    """One number a pack can show: an indicator's value, numerator, denominator or pending items."""

    indicator: str
    period: str
    category: str = ""
    part: str = "value"
    team: str = ""  # the committee sees the municipality's numbers only; a team here is itself a finding

    def __str__(self) -> str:
        bits = [self.indicator, self.team, self.category, self.period]
        text = " · ".join(bit for bit in bits if bit)
        return text if self.part == "value" else f"{text} ({self.part})"

    def at(self, period: str) -> Key:
        return Key(self.indicator, period, self.category, self.part, self.team)

    def as_part(self, part: str) -> Key:
        return Key(self.indicator, self.period, self.category, part, self.team)

    @property
    def family(self) -> tuple[str, str, str, str]:
        """The key without its period: what a pattern of relations is decided for."""
        return self.indicator, self.category, self.part, self.team


@dataclass(frozen=True)
class Seen:
    """A number as one pack showed it: its value, or hidden (``value`` None) with what the pack said of it."""

    key: Key
    pack: str  # the period of the pack that showed it: the series' packs are one per period
    value: float | None
    section: str  # the section that shows it
    where: str  # where in the section, for a report ("chart compliance_trend", "notifications trend")
    label: str | None = None  # when hidden: SMALL, FEW, DASH, or None (nothing said)

    @property
    def hidden(self) -> bool:
        return self.value is None


def whole(number) -> int | None:
    """``number`` as an int when it is a whole number (a count), else None."""
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return None
    return int(number) if number == int(number) else None


@dataclass(frozen=True)
class Equation:
    """sum(coefficient * number) = constant (``sense`` "=") or <= constant (``sense`` "<="): a relation a reader
    knows. ``pattern`` names the catalogue entry it comes from (:mod:`ledinfo.api.attack.relations`)."""

    terms: tuple[tuple[Key, int], ...]
    constant: int = 0
    sense: str = "="
    pattern: str = ""

    def holds(self, values: dict[Key, int]) -> bool | None:
        """Whether it holds for ``values``; None when one of its numbers has no value."""
        if any(key not in values for key, _ in self.terms):
            return None
        total = sum(coefficient * values[key] for key, coefficient in self.terms)
        return total == self.constant if self.sense == "=" else total <= self.constant

    def __str__(self) -> str:
        positive = [key for key, c in self.terms if c == 1]
        if self.sense == "=" and self.constant == 0 and len(positive) == 1 and \
                all(c == -1 for key, c in self.terms if key != positive[0]):
            return f"{positive[0]} = " + " + ".join(str(key) for key, c in self.terms if c == -1)
        text = " ".join(f"{'-' if c < 0 else '+'} {'' if abs(c) == 1 else f'{abs(c)}·'}{k}"
                        for k, c in self.terms).removeprefix("+ ")
        return f"{text} {'≤' if self.sense == '<=' else '='} {self.constant}"
