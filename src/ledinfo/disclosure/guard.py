"""The final guard: every output is read back and searched before it is written.

The audience filter decides what a pack holds; this guard checks the result,
independently of how it was made. It extracts the text of the rendered PDF
(with PDFium, the PDF engine of Chrome, as a reader would) and reads the JSON, and fails the pack with a
clear error if either holds (:mod:`ledinfo.disclosure.read_back` reads them)

- a CPR-shaped number,
- an id the audience may not see: any case, staff or child id for the
  committee and directors; for a team leader, any id outside the team's rows
  (:mod:`ledinfo.disclosure.team_rows`, the same definition the audience filter uses), or
- a staff name (the optional ``staff.name``) the audience may not see: any, for an audience that sees no
  names (the committee, directors); for a team leader, the name of anyone outside the team's rows. A name
  the configuration itself prints (the committee's contact person) is no leak.

Ids shorter than 4 characters, and purely numeric ids shorter than 6 digits,
are not searched for: they cannot be told apart from ordinary numbers in the
text (a count of 1.234 is written "1.234", but a count of 512 is "512"). A name is
searched for as its words in a row, whatever the spaces or line breaks between them and
in any case; a name of one word is not searched for (a surname such as "Holm" or "Skov" is
also an ordinary word).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

from ledinfo.disclosure.read_back import ReadBack, json_strings, pdf_text, read_json, read_pdf
from ledinfo.disclosure.team_rows import AllTeamRows, team_rows
from ledinfo.errors import PackError
from ledinfo.extract.model import Extract
from ledinfo.model.audiences import audience as audience_record
from ledinfo.privacy.cpr import contains_cpr, redact

_TOKEN = re.compile(r"[0-9A-Za-zÆØÅæøå][0-9A-Za-zÆØÅæøå_\-/.]*")


class GuardError(PackError):
    """A pack's output holds something its audience may not see; nothing was written."""


def _searchable(value: str) -> bool:
    if len(value) < 4:
        return False
    return not (value.isdigit() and len(value) < 6)


@dataclass(frozen=True)
class GuardIds:
    """The ids the guard looks for; a team leader may see the team's rows (:mod:`ledinfo.disclosure.team_rows`)."""

    rows: AllTeamRows = AllTeamRows({}, frozenset(), frozenset(), frozenset())

    @classmethod
    def from_extract(cls, extract: Extract, as_of: dt.date) -> GuardIds:
        return cls(team_rows(extract, as_of))

    @cached_property
    def all_ids(self) -> frozenset[str]:
        everything = self.rows.case_ids | self.rows.staff_ids | self.rows.child_ids
        return frozenset(value for value in everything if _searchable(value))

    def forbidden_in(self, tokens: set[str], audience: str, team: str | None) -> list[str]:
        found = tokens & self.all_ids
        if audience_record(audience).per_team and team is not None:
            own = self.rows.of(team)
            found = {value for value in found if not own.may_see(value)}
        return sorted(found)

    @cached_property
    def _name_search(self) -> tuple[re.Pattern | None, dict[str, list[str]]]:
        """One pattern for every searchable name (its words in a row, any whitespace between, any case), and
        the staff ids by name (lower case, single spaces). No names in the extract: nothing to search."""
        by_name: dict[str, list[str]] = {}
        for staff_id, name in self.rows.names.items():
            words = name.split()
            if len(words) >= 2:
                by_name.setdefault(" ".join(words).lower(), []).append(staff_id)
        if not by_name:
            return None, {}
        return _one_of(sorted(by_name, key=lambda key: len(_words_pattern(key)), reverse=True)), by_name

    def names_in(self, text: str, audience: str, team: str | None, allowed: tuple[str, ...] = ()) -> list[str]:
        """The staff names in ``text`` the audience may not see, as their staff ids (never the names: they go into
        an error message). ``allowed``: names the configuration prints (a contact person)."""
        pattern, by_name = self._name_search
        if pattern is None:
            return []
        record = audience_record(audience)
        own = self.rows.of(team) if record.sees_staff_names and team is not None else None
        if record.sees_staff_names and own is None:
            return []
        said = {" ".join(name.split()).lower() for name in allowed}
        found: set[str] = set()
        for match in pattern.finditer(text):
            key = " ".join(match.group().split()).lower()
            staff_ids = by_name.get(key, [])
            if key in said or (own is not None and any(own.may_see(i) for i in staff_ids)):
                continue  # the contact person; a name the team may see (shared with someone it may not: allowed)
            found.update(staff_ids)
        return sorted(found)


def _words_pattern(name: str) -> str:
    """A name's words in a row, any whitespace between them."""
    return r"\s+".join(map(re.escape, name.split()))


def _one_of(names: list[str]) -> re.Pattern:
    """A pattern for any of ``names`` as a whole word sequence in any case, tried in the order given (the longest
    first), the same matches as one alternative per name: the alternatives are grouped by their first letter
    (letters one case-insensitive match apart share a group, in their order), so at each word start the regex
    engine tries the names that can start there, not every name (measured 2.7× faster over the demo's packs)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        first = name[0]
        home = next((g for g in groups if re.fullmatch(re.escape(g), first, re.IGNORECASE)), first)
        groups.setdefault(home, []).append(_words_pattern(name)[len(re.escape(first)):])
    body = "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", re.IGNORECASE)


def _tokens(text: str) -> set[str]:
    """Every word of ``text`` that could be an id, as it stands and without the punctuation that may end it
    ("S-1002." at the end of a sentence), each distinct word stripped once."""
    found = set(_TOKEN.findall(text))
    return found | {token.rstrip(".,;:)/-") for token in found}


def forbidden_ids(text: str, ids: GuardIds, audience: str, team: str | None) -> list[str]:
    """The ids in ``text`` the audience may not see (a comment is checked with them before it is printed)."""
    return ids.forbidden_in(_tokens(text), audience, team)


def check(outputs: dict[str, str | ReadBack], ids: GuardIds, audience: str, team: str | None, pack_id: str,
          allowed_names: tuple[str, ...] = ()) -> None:
    """Raise :class:`GuardError` if any output text holds a CPR number, a forbidden id or a staff name the
    audience may not see (``allowed_names``: names the configuration prints, such as the contact person). An
    output read back as a :class:`ReadBack` was searched for CPR numbers as it was read (a PDF: :func:`read_pdf`)."""
    for name, output in outputs.items():
        read = output if isinstance(output, ReadBack) else ReadBack(output, contains_cpr(output))
        text = read.text
        if read.holds_cpr:  # a PDF's table cells are read apart (read_pdf)
            raise GuardError(f"pack {pack_id}: the {name} holds a CPR-shaped number; nothing was written. "
                             "Check the extract's free-text and id columns, the configuration's texts and "
                             "the plugins' texts.")
        forbidden = ids.forbidden_in(_tokens(text), audience, team)
        if forbidden:
            shown = ", ".join(forbidden[:3]) + (" …" if len(forbidden) > 3 else "")
            raise GuardError(f"pack {pack_id}: the {name} shows {len(forbidden)} id(s) its audience may not see "
                             f"({shown}); nothing was written. This is a bug in a section: please report it.")
        named = ids.names_in(text, audience, team, allowed_names)
        if named:  # the staff ids, not the names: the message reaches logs and mail
            shown = ", ".join(named[:3]) + (" …" if len(named) > 3 else "")
            raise GuardError(f"pack {pack_id}: the {name} shows the name of {len(named)} staff member(s) its "
                             f"audience may not see (staff id {shown}); nothing was written. Check the comments and "
                             "the configuration's texts; otherwise this is a bug in a section: please report it.")


def check_manifest(data: bytes, name: str) -> None:
    """Raise :class:`GuardError` if the manifest about to be written holds a CPR number in any of its texts
    (it is redacted first, :func:`redacted`: this reads back what will be written)."""
    if read_json(data).holds_cpr:  # a string's line break read as a space too (read_json)
        raise GuardError(f"{name} holds a CPR-shaped number; it was not written. This is a bug: please report it.")


def redacted(value):
    """A JSON-like value with every CPR number in its strings (keys too) redacted: for the manifest, whose
    texts (a source's description, a failed pack's error) come from the user's input."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(str(key)): redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redacted(item) for item in value]
    return value


__all__ = ["GuardError", "GuardIds", "ReadBack", "check", "check_manifest", "forbidden_ids", "json_strings", "pdf_text",
           "read_pdf", "redacted"]
