"""The checked kinds of setting, as pydantic field types: defined once, used by every settings model.

The core config, every source's and delivery's options and every plugin's ``[plugins.<name>]`` table
declare their fields with these, so a line break in a mail subject, a CPR number in a title, an address
a mail program would read otherwise, or a whole number out of range is refused the same way, with the
same words, wherever it is written (:func:`ledinfo.model.settings.check_settings` adds the key path).

- :data:`OneLineText`: no control character (a line break, a tab, ESC) and no bidirectional control (U+202E
  reorders what follows) — it ends up in a file name, a PDF title or a mail header. Not for a source's SQL
  query, which spans lines.
- :data:`Text`: one line and no CPR number — anything printed on a pack, in a file name or the manifest.
- :data:`HeaderText`: a :data:`Text` that goes in a mail header (a pack's title, a team's name).
- :data:`Address`: one email address, optionally with a name (``Ledelsesinfo <li@fjordby.dk>``).
- :func:`whole_number` / :func:`number`: a number from ``low`` to ``high``, said in the message.

Every message is one line that never repeats a CPR number; the key path is the caller's to add.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from ledinfo.outside import BIDI, BIDI_CONTROL, CONTROL, character_name
from ledinfo.outside.headers import address_problem, header_text_problem
from ledinfo.privacy.cpr import holds_cpr


def one_line_problem(value: str) -> str | None:
    """Why ``value`` is not one line of text as written (the control character or bidirectional control, and where
    it is), or None."""
    found = CONTROL.search(value) or BIDI_CONTROL.search(value)
    if not found:
        return None
    where = "at the end" if found.start() == len(value.rstrip()) else f"at character {found.start() + 1}"
    if found.group() in BIDI:  # the text would display otherwise than written: in a PDF title, a mail subject
        return f"holds {character_name(found.group())} {where}, which reorders what is shown; remove it"
    return f"holds {character_name(found.group())} {where}; a setting is one line of text"


CPR_PROBLEM = "holds a CPR number (value not shown); remove it"


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be a text setting (one line, no CPR number), or None."""
    if holds_cpr(value):
        return CPR_PROBLEM
    return one_line_problem(value)


def header_problem(value: str) -> str | None:
    """Why ``value`` cannot go in a mail header as a text (a subject's part), or None."""
    return text_problem(value) or header_text_problem(value)


def email_problem(value: str) -> str | None:
    """Why ``value`` is not an address ledinfo can send to (one problem, said once), or None."""
    return one_line_problem(value) or address_problem(value)


def _refusing(problem_of):
    def check(value: str) -> str:
        problem = problem_of(value)
        if problem:
            raise ValueError(problem)
        return value

    return check


def _text_only(value: Any) -> Any:
    """Only a text is a text: no number or true/false made into one (TOML says which it is)."""
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


OneLineText = Annotated[str, BeforeValidator(_text_only), AfterValidator(_refusing(one_line_problem))]
Text = Annotated[str, BeforeValidator(_text_only), AfterValidator(_refusing(text_problem))]
HeaderText = Annotated[str, BeforeValidator(_text_only), AfterValidator(_refusing(header_problem))]
Address = Annotated[str, BeforeValidator(_text_only), AfterValidator(_refusing(email_problem))]


def whole_number(low: int, high: int | None = None):
    """A whole number from ``low`` to ``high`` (not true/false, not 2.5): "must be a whole number from 1 to 10";
    without ``high``, at least ``low``."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected whole number, got {value!r}")
        if high is None and value < low:
            raise ValueError("must be a positive whole number" if low == 1 else f"must be at least {low}")
        if high is not None and not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}, got {value!r}")
        return value

    return Annotated[int, BeforeValidator(check)]


def number(low: float, high: float, *, above: bool = False):
    """A number from ``low`` (exclusive with ``above``) to ``high``: "must be from 0 to 300"."""

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, got {value!r}")
        if not (low < value if above else low <= value) or not value <= high:
            what = "a positive number" if above and low == 0 else f"from {low:g} to {high:g}"
            raise ValueError(f"must be {what}, got {value!r}")
        return float(value)

    return Annotated[float, BeforeValidator(check)]


__all__ = ["Address", "HeaderText", "OneLineText", "Text", "email_problem", "header_problem",
           "number", "one_line_problem", "text_problem", "whole_number"]
