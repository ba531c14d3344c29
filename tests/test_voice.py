"""The administration's voice (issue 24): a committee pack built without the administration's comment is a draft,
marked on every page; `ledinfo comments` writes the comment file with the questions in place; filled in, the build
lays the pack out as an agenda item (Sagsfremstilling, Forvaltningens vurdering, Indstilling)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_cli
from ledinfo.api.small_extract import write_small_extract
from ledinfo.texts.comments import agenda_item, without_prompts

CONFIG = """
[municipality]
name = "Småby Kommune"

[source]
type = "folder"
path = "extract"

[committee]
name = "Børne- og Ungeudvalget"

[[packs]]
id = "udvalg"
audience = "committee"
sections = ["six_week_followup"]

[[packs]]
id = "direktion"
audience = "director"
sections = ["six_week_followup"]
"""


def pages(path: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages]


def build(root: Path, out: str):
    result = run_cli("build", "--config", str(root / "ledinfo.toml"), "--period", "2024-03", "--out", str(root / out),
                     "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return root / out, result


@pytest.fixture(scope="module")
def municipality(tmp_path_factory):
    root = tmp_path_factory.mktemp("voice")
    write_small_extract(root / "extract")
    (root / "ledinfo.toml").write_text(CONFIG, encoding="utf-8")
    return root


@pytest.mark.slow
def test_without_comments_every_page_is_marked_draft_and_the_build_lists_the_questions(municipality):
    out, result = build(municipality, "bare")
    udvalg = pages(out / "udvalg.pdf")
    assert len(udvalg) >= 2 and all("UDKAST – uden forvaltningens bemærkninger" in page for page in udvalg)
    assert "Udarbejdet til: Børne- og Ungeudvalget" in udvalg[0]
    assert "Udkast: forvaltningens bemærkninger (sagsfremstilling, vurdering og indstilling) er ikke skrevet endnu." \
        in udvalg[0]
    assert not any("UDKAST" in page for page in pages(out / "direktion.pdf"))  # a director's pack is no agenda item
    data = json.loads((out / "udvalg.json").read_text(encoding="utf-8"))
    assert data["draft"] is True and data["prompts"] == data["summary"][:5] and data["prompts"]
    assert "udvalg is a draft" in result.stdout and f"\n  - {data['prompts'][0]}" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {pack["pack"]: pack for pack in manifest["packs"]}
    assert listed["udvalg"]["draft"] is True and listed["udvalg"]["prompts"] == data["prompts"]
    assert "draft" not in listed["direktion"]


@pytest.mark.slow
def test_ledinfo_comments_writes_the_file_the_build_reads_and_never_overwrites_it(municipality):
    result = run_cli("comments", "--config", str(municipality / "ledinfo.toml"), "--period", "2024-03")
    assert result.returncode == 0, result.stderr
    written = municipality / "comments" / "2024-03" / "udvalg.md"
    assert f"Wrote {written}" in result.stdout and not (written.parent / "direktion.md").exists()
    text = written.read_text(encoding="utf-8")
    prompts = json.loads((municipality / "bare" / "udvalg.json").read_text(encoding="utf-8"))["prompts"]
    assert text.splitlines()[:3] == ["# Sagsfremstilling", "",
                                     "?? Skriv, hvad udvalget skal vide om marts 2024: hvad der er sket, og hvorfor "
                                     "tallene har flyttet sig."]
    assert all(f"?? - {prompt}" in text for prompt in prompts)
    assert "# Forvaltningens vurdering" in text and text.rstrip().endswith(
        "# Indstilling\n\nForvaltningen indstiller, at udvalget tager orienteringen til efterretning.")
    again = run_cli("comments", "--config", str(municipality / "ledinfo.toml"), "--period", "2024-03")
    assert again.returncode == 2 and "comments/2024-03/udvalg.md is there already; it is never overwritten" in \
        again.stderr
    assert written.read_text(encoding="utf-8") == text

    # as written, with only the questions and the proposal, it is no comment yet: still a draft
    out, _ = build(municipality, "unanswered")
    assert json.loads((out / "udvalg.json").read_text(encoding="utf-8"))["draft"] is True

    # answered: an agenda item, no draft mark on any page, the questions never printed
    written.write_text(text.replace("# Sagsfremstilling\n\n", "# Sagsfremstilling\n\nTo nye rådgivere er ansat.\n")
                       .replace("# Forvaltningens vurdering\n\n", "# Forvaltningens vurdering\n\nOpfølgningen er for "
                                "lav; forvaltningen sætter ekstra tilsyn i gang.\n"), encoding="utf-8")
    out, result = build(municipality, "answered")
    udvalg = pages(out / "udvalg.pdf")
    assert not any("UDKAST" in page or "??" in page or "Skriv, hvad" in page for page in udvalg)
    body = " ".join(udvalg[1:])
    order = [body.index(s) for s in ("Sagsfremstilling To nye rådgivere er ansat.", "Tallene kort fortalt",
                                     "Forvaltningens vurdering Opfølgningen er for lav",
                                     "Indstilling Forvaltningen indstiller, at udvalget tager orienteringen til "
                                     "efterretning.", "Opfølgning hver 6. uge")]
    assert order == sorted(order)
    data = json.loads((out / "udvalg.json").read_text(encoding="utf-8"))
    assert data["draft"] is False and "??" not in data["comment"]["markdown"]
    assert "udvalg is a draft" not in result.stdout


def test_an_agenda_items_parts_are_found_by_their_headings_and_questions_are_dropped():
    text, questions = without_prompts("# Baggrund:\n?? Hvorfor?\nTallene faldt.\n\n## Vurdering\nGodt.\n"
                                      "# Indstilling\nForvaltningen indstiller, at sagen tages til efterretning.")
    assert questions == 1
    item = agenda_item(text)
    assert (item.background, item.assessment, item.proposal) == (
        "Tallene faldt.", "Godt.", "Forvaltningen indstiller, at sagen tages til efterretning.")
    plain = agenda_item("Blot en bemærkning.\n# Andet\nMere.")  # no agenda heading: all of it is the assessment
    assert (plain.background, plain.assessment, plain.proposal) == ("", "Blot en bemærkning.\n# Andet\nMere.", "")


@pytest.mark.slow
def test_ledinfo_comments_writes_nothing_through_a_link_out_of_the_comments_folder(tmp_path):
    write_small_extract(tmp_path / "extract")
    (tmp_path / "ledinfo.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "comments").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "comments" / "2024-03")
    result = run_cli("comments", "--config", str(tmp_path / "ledinfo.toml"), "--period", "2024-03")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "comments/2024-03/udvalg.md lies in a symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []
    director = run_cli("comments", "--config", str(tmp_path / "ledinfo.toml"), "--period", "2024-03", "--pack",
                       "direktion")
    assert director.returncode == 2 and "--pack direktion: not a committee pack" in director.stderr
