"""Reading PDFs back, with pypdf and with poppler's independent tools."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    """The text as a reader reads it: a no-break space (a number held to its unit) is a space. Read once per file
    as it is (a shared build's packs are read by several tests of a worker; a file written again is read again)."""
    stat = Path(path).stat()
    return _pdf_text(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _pdf_text(path: str, modified: int, size: int) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages).replace("\u00a0", " ")


def poppler_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u00a0", " ")


def fonts(path: Path) -> list[dict]:
    """pdffonts' rows: name, type, embedded."""
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in output.splitlines()[2:]:
        parts = line.split()
        # columns: name type [type2] encoding emb sub uni object gen
        rows.append({"name": parts[0], "embedded": parts[-5] == "yes"})
    return rows


def have_poppler() -> bool:
    return shutil.which("pdffonts") is not None and shutil.which("pdftotext") is not None


def word_boxes(path: Path) -> list[tuple[int, float, float, str]]:
    """Every word poppler finds: (page, xMin, xMax, text)."""
    import html
    import re

    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    return [(number, float(x0), float(x1), html.unescape(text))
            for number, page in enumerate(out.split("<page ")[1:], start=1) for x0, x1, text in word.findall(page)]


def body_font_sizes(path: Path, bottom: float, top: float) -> list[set[float]]:
    """Per page, the font sizes (points, as drawn) of the text between ``bottom`` and ``top``
    (the body frame: the running header and footer left out)."""
    pages = []
    for page in PdfReader(str(path)).pages:
        sizes: set[float] = set()

        def visit(text, cm, tm, font, size, sizes=sizes):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and bottom < y < top:
                sizes.add(round(size * (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5, 1))

        page.extract_text(visitor_text=visit)
        pages.append(sizes)
    return pages


def drawn_words(path: Path) -> list[tuple[int, float, float, float, str]]:
    """Every word in the order the page draws it (poppler's raw order: a paragraph's lines one after the other):
    (page, xMin, yMin, xMax, text)."""
    import html
    import re

    out = subprocess.run(["pdftotext", "-raw", "-bbox", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    return [(number, float(x0), float(y0), float(x1), html.unescape(text))
            for number, page in enumerate(out.split("<page ")[1:], start=1) for x0, y0, x1, text in word.findall(page)]


def _bare(word: str) -> str:
    return word.strip(".,:;()«»\"'“”–").casefold()


def words_split_across_lines(paths: list[Path]) -> list[tuple[str, int, str, str]]:
    """Words a line break cut in two without a hyphen ("Ikke nåe" / "t"): a line's last word that joined with the
    next line's first word is a word the same PDFs print whole inside a line, and is not such a word itself (the
    words inside lines, never at a line's end or start, are the vocabulary). (file, page, head, tail)."""
    drawn = {path: drawn_words(path) for path in paths}
    breaks = {path: [index for index, ((page, x0, y0, _, head), (next_page, x1, y1, _, tail))
                     in enumerate(zip(words, words[1:]))
                     if next_page == page and y1 > y0 + 1 and x1 < x0]  # the next word starts a line below, left
              for path, words in drawn.items()}
    at_breaks = {(path, index + step) for path, indices in breaks.items() for index in indices for step in (0, 1)}
    vocabulary = {_bare(text) for path, words in drawn.items() for index, (*_, text) in enumerate(words)
                  if (path, index) not in at_breaks}
    found = []
    for path, indices in breaks.items():
        for index in indices:
            page, head, tail = drawn[path][index][0], drawn[path][index][4], drawn[path][index + 1][4]
            if (not head.endswith("-") and _bare(head) and _bare(tail) and _bare(head) not in vocabulary
                    and _bare(head + tail) in vocabulary):
                found.append((path.name, page, head, tail))
    return found
