"""The administration's comments: a Markdown file per period the secretary writes, per pack and per section.

The layout, in the ``[comments] folder`` (default ``comments`` next to the config; docs/configuration.md)::

    comments/2026-10/udvalg.md          the pack's comment: printed after the summary
    comments/2026-10/udvalg/budget.md   the budget section's: printed at the top of that section

The file is named after the pack's file (``team-boern.md`` for the Børn team's pack) and the section's id
(``ledinfo sections``); ``.txt`` works as well as ``.md``. No file, no comment: the pack prints nothing in its
place, and a committee pack is marked as a draft ("Udkast") on every page.

A committee pack's comment is laid out as an agenda item, as committee papers are: its parts are found by
their headings — ``# Sagsfremstilling`` (or ``# Baggrund``), ``# Forvaltningens vurdering`` (or
``# Vurdering``), ``# Indstilling`` — and text under no such heading is the administration's assessment.
``ledinfo comments`` writes the file with these headings and, as lines starting with ``??``, the questions a
politician will ask about the period's figures (:data:`PROMPT`): such a line is never printed.

A comment is read as :func:`ledinfo.outside.files.read_text_confined` reads a file: only from inside the
comments folder (a link that leads out is refused), only a regular file, at most 5,000 characters and 60
lines (about two pages), without control characters. It is the administration's own text, so it is checked
here, with its file and line named, for what the final guard would refuse anyway (a CPR number, an id the
audience may not see).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ledinfo.disclosure.guard import GuardIds, forbidden_ids
from ledinfo.errors import PackError
from ledinfo.outside.files import COMMENT, FileRefused, read_text_confined
from ledinfo.privacy.cpr import contains_cpr, holds_cpr

log = logging.getLogger("ledinfo.pipeline")
SUFFIXES = (".md", ".txt")
PROMPT = "??"  # a line that asks the writer a question (ledinfo comments): never printed
# The parts of an agenda item by their headings, in the languages of the packs (lower case, no colon).
AGENDA_HEADINGS = {
    "background": ("sagsfremstilling", "baggrund", "sagsfremstilling og baggrund", "background"),
    "assessment": ("forvaltningens vurdering", "administrationens vurdering", "vurdering",
                   "the administration's assessment", "assessment"),
    "proposal": ("indstilling", "forslag til beslutning", "proposed decision", "recommendation"),
}
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*:?\s*#*\s*$")


class CommentError(PackError):
    """A comment file the pack cannot print; that pack fails, the others are built."""


@dataclass(frozen=True)
class Comment:
    text: str  # the Markdown as written, without the questions (lines starting with PROMPT)
    file: str  # from the comments folder on, e.g. "comments/2026-10/udvalg.md"

    @property
    def agenda(self) -> AgendaItem:
        return agenda_item(self.text)


@dataclass(frozen=True)
class AgendaItem:
    """A committee pack's comment as an agenda item's parts, each Markdown ("" when not written)."""

    background: str  # Sagsfremstilling: what happened, why the figures moved
    assessment: str  # Forvaltningens vurdering
    proposal: str  # Indstilling: "Forvaltningen indstiller, at …"


def agenda_item(text: str) -> AgendaItem:
    """The parts of an agenda item in a comment, by their headings; text under no such heading is the assessment."""
    parts: dict[str, list[str]] = {name: [] for name in AGENDA_HEADINGS}
    current = "assessment"
    for line in text.splitlines():
        heading = _HEADING.match(line)
        named = heading and next((part for part, names in AGENDA_HEADINGS.items()
                                  if heading.group(1).strip().lower() in names), None)
        if named:
            current = named
        else:
            parts[current].append(line)
    return AgendaItem(*("\n".join(lines).strip() for lines in parts.values()))


def without_prompts(text: str) -> tuple[str, int]:
    """The text without its questions (lines starting with PROMPT), and how many there were."""
    lines = text.splitlines(keepends=True)
    kept = [line for line in lines if not line.lstrip().startswith(PROMPT)]
    return "".join(kept), len(lines) - len(kept)


def _only_headings(text: str) -> bool:
    return all(not line.strip() or _HEADING.match(line) for line in text.splitlines())


@dataclass(frozen=True)
class Comments:
    pack: Comment | None = None
    sections: dict[str, Comment] = field(default_factory=dict)  # section id -> its comment


def load_comments(folder: Path | None, period: str, pack_id: str, sections: list[str], ids: GuardIds,
                  audience: str, team: str | None, allowed_names: tuple[str, ...] = ()) -> Comments:
    """The comments of one pack for ``period``; each checked for CPR numbers, and ids and staff names the audience
    may not see (``allowed_names``: the contact person the config names)."""
    if folder is None or not (folder / period).is_dir():
        return Comments()
    here = folder / period
    pack = _read(_one(here, pack_id, folder), folder, ids, audience, team, allowed_names)
    found: dict[str, Comment] = {}
    section_dir = here / pack_id
    if section_dir.is_dir():
        # a comment's name (a pipe or a folder named budget.md is refused when read), or any other file
        for path in sorted(p for p in section_dir.iterdir() if not p.name.startswith(".")
                           and (p.suffix in SUFFIXES or p.is_file())):
            if path.suffix not in SUFFIXES:
                raise CommentError(f"{_relative(path, folder)}: a comment is a .md or .txt file")
            if path.stem not in sections:
                raise CommentError(f"{_relative(path, folder)}: the pack {pack_id} has no section {path.stem!r} "
                                   f"this period (its sections: {', '.join(sections) or 'none'})")
            if path.stem in found:
                raise CommentError(f"{_relative(path, folder)}: the section {path.stem} has two comment files "
                                   f"({found[path.stem].file} too); keep one")
            comment = _read(path, folder, ids, audience, team, allowed_names)
            if comment is not None:
                found[path.stem] = comment
    return Comments(pack, found)


def stray_files(folder: Path | None, period: str, pack_ids: list[str]) -> list[str]:
    """Comment files of the period that name no pack of this build (a typo would leave a comment out)."""
    if folder is None or not (folder / period).is_dir():
        return []
    stray = []
    for path in sorted((folder / period).iterdir()):
        name = path.stem if path.suffix in SUFFIXES else path.name
        if path.name.startswith(".") or name in pack_ids:
            continue
        stray.append(_relative(path, folder))
    return stray


def _one(here: Path, pack_id: str, folder: Path) -> Path | None:
    # whatever is there by the name: a pipe, a folder or a link that leads out is refused when read, not passed over
    paths = [here / f"{pack_id}{suffix}" for suffix in SUFFIXES if os.path.lexists(here / f"{pack_id}{suffix}")]
    if len(paths) > 1:
        raise CommentError(f"{' and '.join(_relative(p, folder) for p in paths)}: two comment files for the pack "
                           f"{pack_id}; keep one")
    return paths[0] if paths else None


def _read(path: Path | None, folder: Path, ids: GuardIds, audience: str, team: str | None,
          allowed_names: tuple[str, ...] = ()) -> Comment | None:
    if path is None:
        return None
    where = _relative(path, folder)
    try:
        text = read_text_confined(path, COMMENT, folder, where)
    except FileRefused as refused:
        raise CommentError(f"{refused} (the pack was not written)") from None
    text, questions = without_prompts(text.replace("\r\n", "\n"))
    if questions:
        log.info("%s: %d question(s) of ledinfo comments left unanswered (lines starting with %s are never printed)",
                 where, questions, PROMPT)
    if not text.strip() or _only_headings(text):
        log.info("%s holds no text beside headings and questions: no comment printed", where)
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if contains_cpr(line):
            raise CommentError(f"{where}, line {number}: holds a CPR-shaped number; remove it (the pack was not "
                               "written)")
    if holds_cpr(text):  # a line break or a blank line between its groups: the page may wrap it into one line
        raise CommentError(f"{where}: holds a CPR-shaped number across two lines; remove it (the pack was not "
                           "written)")
    forbidden = forbidden_ids(text, ids, audience, team)
    if forbidden:
        raise CommentError(f"{where}: names {len(forbidden)} case, child or staff id(s) this pack's readers may "
                           f"not see ({', '.join(forbidden[:3])}); remove them (the pack was not written)")
    named = ids.names_in(text, audience, team, allowed_names)
    if named:
        raise CommentError(f"{where}: names {len(named)} member(s) of staff this pack's readers may not see by name "
                           f"(staff id {', '.join(named[:3])}); remove the names (the pack was not written)")
    log.info("comment %s printed", where)
    return Comment(text, where)


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder.parent).as_posix()  # "comments/2026-10/udvalg.md"
    except ValueError:
        return str(path)
