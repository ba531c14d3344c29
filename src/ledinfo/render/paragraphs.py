"""ReportLab's Paragraph, parsed once a process for each text and style, and broken into lines once for each width.

A pack's paragraphs repeat: a table's header words and "Hele kommunen" in every table, the verdicts' legend under
every judged chart, and the same texts in the committee's, the directors' and every team's pack. ReportLab parses
each paragraph's markup anew (its HTML parser: a twentieth of a pack's PDF), and lays a paragraph out again every
time it is asked its size at the same width: a KeepTogether measures its content, then the frame measures each
part as it places it; a table measures its cells, then again as it draws them and as it splits. Both results depend
only on what they are computed from, so each is kept: the parse by text and style (:data:`MAX_PARSED` of them), the
lines on the paragraph itself until the width changes, and a paragraph of one font's plain text (ReportLab's "kind 0",
whose lines are read, never changed, when drawn or split) by its text, style and width for the next paragraph like it.
The output is byte-identical.
"""

from __future__ import annotations

from reportlab.platypus import paragraph

# parsed texts (and broken lines) kept a process, the least recently used dropped first: 8,192 of each took all of
# Denmark's build to 1,035 MiB (over its 1 GiB) where 992 MiB was before; a pack's repeated texts (headers, legends,
# notes) are used again and again and stay, one municipality's own are dropped after it
MAX_PARSED = 2048
_PARSED: dict[tuple, tuple] = {}  # (text, style, bullet, case) -> (cleaned text, style, fragments, bullet)
_BROKEN: dict[tuple, dict] = {}  # (the parse's key, width) -> what wrapping set on a paragraph of one font


class Paragraph(paragraph.Paragraph):
    """A ReportLab paragraph that reuses an identical text's parse and its own last layout."""

    _wrapped_at: float | None = None  # the width the lines in blPara were broken for
    _parsed: tuple | None = None  # the key of its parse in _PARSED (None: a split's part)

    def _setup(self, text, style, bulletText, frags, cleaner):
        if frags is not None or text is None or not isinstance(bulletText, str | None):  # a split's part (fragments
            # given, nothing to parse), or a bullet of fragments
            return super()._setup(text, style, bulletText, frags, cleaner)
        # the style by identity: the pack's styles are made once a process (pdf._styles), and an entry holds its style
        key = (text, style, bulletText, self.caseSensitive)
        parsed = _PARSED.pop(key, None)
        if parsed is not None:
            _PARSED[key] = parsed  # the most recently used last
        else:
            super()._setup(text, style, bulletText, None, cleaner)
            if len(_PARSED) >= MAX_PARSED:
                del _PARSED[next(iter(_PARSED))]
            # the fragments as parsed: breaking lines replaces the paragraph's list with its words (a new list),
            # it does not change the fragments themselves
            _PARSED[key] = (self.text, self.style, self.frags, self.bulletText)
            self._parsed = key
            return None
        self.text, self.style, frags, self.bulletText = parsed
        self.frags = list(frags)
        self.debug = 0
        self._parsed = key
        return None

    def wrap(self, availWidth, availHeight):
        # the lines depend on the width only (the height decides a split, which makes new paragraphs); a split that
        # found no room deletes blPara, and then the lines are broken again
        if availWidth < paragraph._FUZZ:  # no room at all: ReportLab's answer, nothing laid out
            return super().wrap(availWidth, availHeight)
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:
            return self.width, self.height
        key = (self._parsed, availWidth) if self._parsed is not None and "blPara" not in self.__dict__ else None
        wrapped = _BROKEN.pop(key, None) if key is not None else None
        if wrapped is not None:  # the same text, style and width: the same lines (shared: kind 0's are only read)
            _BROKEN[key] = wrapped  # the most recently used last
            self.__dict__.update(wrapped)
            self._wrapWidths = list(wrapped["_wrapWidths"])
        else:
            before = dict(self.__dict__)
            super().wrap(availWidth, availHeight)
            if key is not None and self.blPara.kind == 0 and self.frags is before["frags"]:
                if len(_BROKEN) >= MAX_PARSED:
                    del _BROKEN[next(iter(_BROKEN))]
                _BROKEN[key] = {name: value if name != "_wrapWidths" else list(value)
                                for name, value in self.__dict__.items() if before.get(name, _UNSET) is not value}
        self._wrapped_at = availWidth
        return self.width, self.height


_UNSET = object()


__all__ = ["MAX_PARSED", "Paragraph"]
