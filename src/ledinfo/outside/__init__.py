"""What comes from outside ledinfo's own code, confined and checked before it is used.

:mod:`ledinfo.outside.files` opens every file a user or a config names (comments, templates,
data files, the SMTP password and CA files) inside the folder it belongs to, only if it is a
regular file of a size that fits its kind, and refuses control characters in text.
:mod:`ledinfo.outside.headers` checks every value that goes in a mail header. Both use the
standard library only, so the core's lowest layers (extract, config) can use them.
"""

from __future__ import annotations

import unicodedata

_NAMES = {0x00: "NUL", 0x09: "a tab", 0x0A: "a line break (LF)", 0x0B: "a vertical tab (VT)",
          0x0C: "a form feed (FF)", 0x0D: "a carriage return (CR)", 0x1B: "ESC", 0x7F: "DEL",
          0x85: "a next-line character (NEL, U+0085)", 0x2028: "a line separator (U+2028)",
          0x2029: "a paragraph separator (U+2029)"}


def character_name(character: str) -> str:
    """A character a message names, as a reader knows it: "ESC", "a line break (LF)", "the control character U+0007"."""
    code = ord(character)
    if code in _NAMES:
        return _NAMES[code]
    if unicodedata.category(character) == "Cc":
        return f"the control character U+{code:04X}"
    return f"the character U+{code:04X}"
