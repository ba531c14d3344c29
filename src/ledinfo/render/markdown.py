"""A small, safe subset of Markdown for the administration's comments, as ReportLab mini-markup.

No Markdown library is a dependency, and a comment needs little: paragraphs, bullet and numbered
lists, headings (printed as bold lines), **bold**, *italic* (or _italic_), `code` and [links](url)
(printed as "links (url)"). Everything the writer typed is escaped first, so ReportLab's mini-markup
sees only the tags made here: a "<" or "&" in a comment is printed as it is. Raw HTML is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, unescape

_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
_NUMBER = re.compile(r"^\s{0,3}(\d{1,3})[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
# inline, on escaped text; the italic's content holds no tag, so tags never cross (ReportLab refuses that)
_ESCAPED = re.compile(r"\\([\\`*_\[\]()#+\-.!>])")
_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(r"\*(?=[^\s*])([^*<>]+?)(?<=[^\s*])\*|(?<![\w])_(?=\S)([^_<>]+?)(?<=\S)_(?![\w])")
_PLACEHOLDER = "\x00{}\x00"


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph", "bullet", "heading"
    markup: str  # ReportLab mini-markup, safe to give a Paragraph
    bullet: str = ""  # "•" or "1." for list items


def blocks(text: str) -> list[Block]:
    """The comment's blocks, in order; blank lines end a paragraph or a list item."""
    found: list[Block] = []
    kind, bullet, lines = "", "", []

    def flush() -> None:
        nonlocal kind, bullet, lines
        if lines:
            found.append(Block(kind or "paragraph", inline(" ".join(line.strip() for line in lines)), bullet))
        kind, bullet, lines = "", "", []

    for raw in text.replace("\t", "    ").splitlines():
        line = _QUOTE.sub("", raw)
        if not line.strip() or _RULE.match(line):
            flush()
            continue
        heading, item, number = _HEADING.match(line), _BULLET.match(line), _NUMBER.match(line)
        if heading:
            flush()
            found.append(Block("heading", inline(heading.group(1))))
        elif item or number:
            flush()
            kind, bullet = "bullet", "•" if item else f"{number.group(1)}."
            lines = [item.group(1) if item else number.group(2)]
        else:
            lines.append(line)  # a paragraph's next line, or a list item's continuation
    flush()
    return found


def inline(text: str) -> str:
    """One block's text as mini-markup: escaped, then bold, italic, code and links made into tags."""
    kept: list[str] = []

    def keep(value: str) -> str:  # a backslash-escaped or code character is never markup
        kept.append(value)
        return _PLACEHOLDER.format(len(kept) - 1)

    text = _CODE.sub(lambda m: keep(escape(m.group(1))), text.replace("\x00", ""))
    text = _ESCAPED.sub(lambda m: keep(escape(m.group(1))), text)
    text = escape(text)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", text)
    text = _BOLD.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", text)
    text = _ITALIC.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def plain(markup: str) -> str:
    """The text a reader sees of some mini-markup (for tests and fallbacks)."""
    return unescape(re.sub(r"<[^>]+>", "", markup))
