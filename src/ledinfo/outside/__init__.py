"""What comes from outside ledinfo's own code, confined and checked before it is used.

:mod:`ledinfo.outside.files` opens every file a user or a config names (comments, templates,
data files, the SMTP password and CA files) inside the folder it belongs to, only if it is a
regular file of a size that fits its kind, and refuses control characters in text.
:mod:`ledinfo.outside.headers` checks every value that goes in a mail header. Both use the
standard library only, so the core's lowest layers (extract, config) can use them.
"""

from __future__ import annotations

import re
import unicodedata

# Control characters (C0, DEL, C1) are never text a reader is shown: an ESC or a line break in a team name or a
# setting reaches PDFs, file names and mail headers. One line of text (a name, an id, a setting) holds none;
# text of several lines (a comment file, a free-text note: Excel's Alt+Enter) may hold tab, LF and CR.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Characters that make text display otherwise than written. The bidirectional embeddings, overrides and isolates
# (LRE ... RLO U+202E ... PDI) reorder what follows them ("Trojan Source": a title "Orientering <RLO>
# moc.elpmaxe@live" shows as "Orientering live@example.com"); no text of ledinfo's needs one. A name or a one-line
# setting needs no bidirectional mark either (LRM, RLM, ALM: a note in a right-to-left script may).
BIDI_REORDERING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI = BIDI_REORDERING + "\u061c\u200e\u200f"
#: Every bidirectional control, refused in one line of text (a setting, a name) besides :data:`CONTROL`.
BIDI_CONTROL = re.compile(f"[{BIDI}]")

_NAMES = {0x00: "NUL", 0x09: "a tab", 0x0A: "a line break (LF)", 0x0B: "a vertical tab (VT)",
          0x0C: "a form feed (FF)", 0x0D: "a carriage return (CR)", 0x1B: "ESC", 0x7F: "DEL",
          0x85: "a next-line character (NEL, U+0085)", 0x2028: "a line separator (U+2028)",
          0x2029: "a paragraph separator (U+2029)"}


def character_name(character: str) -> str:
    """A character a message names, as a reader knows it: "ESC", "a line break (LF)", "the control character U+0007"."""
    code = ord(character)
    if code in _NAMES:
        return _NAMES[code]
    if character in BIDI:
        return f"the bidirectional control U+{code:04X} ({unicodedata.name(character).lower()})"
    if unicodedata.category(character) == "Cc":
        return f"the control character U+{code:04X}"
    return f"the character U+{code:04X}"
