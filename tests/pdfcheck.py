"""Reading PDFs back, with pypdf and with poppler's independent tools."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def poppler_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


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
