"""The committee's cover, the administration's comments, and pages a politician reads: real packs read back."""

import json
import re
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from conftest import run_cli
from ledinfo.config.file import load_config
from ledinfo.errors import ConfigError
from ledinfo.render.markdown import blocks, plain
from pdfcheck import pdf_text

# software names and configuration hints: the build log's and the PDF metadata's, never a page's
NOT_ON_A_PAGE = re.compile(r"ledinfo|konfiguration|configuration|\[\[|\[plugins|Udarbejdet med|"
                           r"(?-i:(^|\n)Kommunen( ·|\n))",  # the placeholder name: on the cover, in the header
                           re.IGNORECASE)
MARGIN = 2.0 / 2.54 * 72  # render/pdf.py's MARGIN_X, in points


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ledinfo.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- config -------------------------------------------------------------------------------------------

def test_a_config_without_the_municipalitys_name_is_refused_with_its_key(tmp_path):
    with pytest.raises(ConfigError, match=r"municipality\.name: missing: the municipality's name"):
        load_config(config(tmp_path, '[source]\ntype = "demo"\n'))
    with pytest.raises(ConfigError, match=r"municipality\.name: is empty"):
        load_config(config(tmp_path, '[municipality]\nname = " "\n[source]\ntype = "demo"\n'))


def test_committee_settings_are_read_and_every_problem_named_by_its_key(tmp_path):
    good = load_config(config(tmp_path, """
        [municipality]
        name = "Fjordby Kommune"
        [source]
        type = "demo"
        [committee]
        name = "Børne- og Familieudvalget"
        meetings = [2026-12-08, 2026-11-10]
        contact = { name = "Mette Hansen", email = "meha@fjordby.dk", phone = "72 34 56 78" }
    """.replace("\n        ", "\n")))
    import datetime as dt

    assert good.committee.name == "Børne- og Familieudvalget"
    assert good.committee.meeting_after(dt.date(2026, 10, 31)) == dt.date(2026, 11, 10)
    assert good.committee.meeting_after(dt.date(2026, 12, 8)) is None  # the meeting day itself is too late
    assert good.committee.contact.email == "meha@fjordby.dk"
    with pytest.raises(ConfigError) as caught:
        load_config(config(tmp_path, """
            [municipality]
            name = "Fjordby Kommune"
            [source]
            type = "demo"
            [committee]
            nme = "Udvalget"
            meetings = ["2026-11-10", 3]
            contact = { email = "not an address", fax = "1" }
            [comments]
            folder = "no-such-folder"
        """.replace("\n            ", "\n")))
    message = str(caught.value)
    assert "has 7 problems" in message, message
    for expected in ("committee.nme: unknown key (did you mean 'name'?)",
                     "committee.meetings[1]: expected a date such as 2026-11-10, got '2026-11-10' (write the date "
                     "without quotes: 2026-11-10)",
                     "committee.meetings[2]: expected a date such as 2026-11-10, got 3",
                     "committee.contact.fax: unknown key",
                     "committee.contact.name: missing: the contact person's name",
                     "committee.contact.email: 'not an address' is not a valid email address",
                     "comments.folder: "):
        assert expected in message, (expected, message)


# --- Markdown ------------------------------------------------------------------------------------------

def test_markdown_subset_escapes_what_reportlab_would_read_as_markup():
    text = ("Vi har **prioriteret** de *ældste* sager & _venter_ på <b>svar</b> fra a_b_c.\n"
            "Samme afsnit.\n\n- et punkt med `**ikke fed**`\n- og \\*stjerner\\*\n\n2. nummereret\n\n"
            "# Overskrift\n\n**a *b** c* og [referat](https://fjordby.dk/r)")
    found = blocks(text)
    assert [(b.kind, b.bullet) for b in found] == [("paragraph", ""), ("bullet", "•"), ("bullet", "•"),
                                                   ("bullet", "2."), ("heading", ""), ("paragraph", "")]
    assert found[0].markup == ("Vi har <b>prioriteret</b> de <i>ældste</i> sager &amp; <i>venter</i> på "
                               "&lt;b&gt;svar&lt;/b&gt; fra a_b_c. Samme afsnit.")
    assert plain(found[1].markup) == "et punkt med **ikke fed**"
    assert plain(found[2].markup) == "og *stjerner*"
    assert plain(found[5].markup) == "a *b c* og referat (https://fjordby.dk/r)"
    for block in found:  # every one is markup ReportLab accepts
        Paragraph(block.markup)


# --- packs -------------------------------------------------------------------------------------------

SMALL = """
[municipality]
name = "Småby Kommune"

[source]
type = "folder"
path = "extract"

[committee]
name = "Børne- og Ungeudvalget"
meetings = [2024-04-09, 2024-05-14]
contact = { name = "Mette Hansen", email = "meha@smaaby.dk", phone = "72 34 56 78" }

[[packs]]
id = "udvalg"
audience = "committee"
sections = ["six_week_followup"]

[[packs]]
id = "udvalg-uden"
audience = "committee"
sections = ["six_week_followup"]

[[packs]]
id = "direktion"
audience = "director"
sections = ["six_week_followup", "caseload"]
"""


@pytest.fixture(scope="module")
def commented(tmp_path_factory):
    """A small municipality's packs for 2024-03: comments for udvalg (pack and section), none for udvalg-uden,
    and a CPR number in the director's comment."""
    from ledinfo.api.small_extract import write_small_extract

    root = tmp_path_factory.mktemp("commented")
    write_small_extract(root / "extract")
    (root / "ledinfo.toml").write_text(SMALL, encoding="utf-8")
    month = root / "comments" / "2024-03"
    (month / "udvalg").mkdir(parents=True)
    (month / "udvalg.md").write_text("Forvaltningen har **styrket** opfølgningen & <i>tak</i>.\n\n"
                                     "- Tre nye rådgivere er ansat\n- *Ekstra* tilsyn i april\n", encoding="utf-8")
    (month / "udvalg" / "six_week_followup.md").write_text("Opfølgningen følges tæt frem til sommer.\n",
                                                           encoding="utf-8")
    (month / "direktion.txt").write_text("Husk sagen om barnet med cpr 010203-1234.\n", encoding="utf-8")
    result = run_cli("build", "--config", str(root / "ledinfo.toml"), "--period", "2024-03", "--out",
                     str(root / "out"), "--jobs", "1")
    return root / "out", result


def pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


@pytest.mark.slow
def test_cover_names_committee_meeting_and_contact(commented):
    out, result = commented
    cover = pages(out / "udvalg.pdf")[0]
    for expected in ("Småby Kommune", "Børne- og Ungeudvalget", "Udvalgsmøde den 9. april 2024", "Kontakt",
                     "Mette Hansen", "meha@smaaby.dk", "Telefon 72 34 56 78"):
        assert expected in cover, (expected, cover)
    data = json.loads((out / "udvalg.json").read_text(encoding="utf-8"))
    assert data["committee"] == {"name": "Børne- og Ungeudvalget", "meeting": "2024-04-09",
                                 "contact": {"name": "Mette Hansen", "email": "meha@smaaby.dk",
                                             "phone": "72 34 56 78"}}


@pytest.mark.slow
def test_no_software_name_or_config_hint_on_any_page(commented):
    out, result = commented
    for name in ("udvalg", "udvalg-uden"):
        text = pdf_text(out / f"{name}.pdf")
        assert not NOT_ON_A_PAGE.search(text), NOT_ON_A_PAGE.search(text)
        metadata = PdfReader(str(out / f"{name}.pdf")).metadata
        assert "ledinfo" in metadata.producer and "ledinfo" in metadata.creator  # the metadata says what made it


@pytest.mark.slow
def test_comments_print_in_their_place_and_none_leaves_no_placeholder(commented):
    out, result = commented
    text = pdf_text(out / "udvalg.pdf")
    # the committee's pack is an agenda item: a comment without its headings is the administration's assessment
    body = " ".join(pages(out / "udvalg.pdf")[1:])  # after the cover and its contents
    found = [body.index(s) for s in ("Sagsfremstilling", "Tallene kort fortalt", "Forvaltningens vurdering",
                                     "Forvaltningen har styrket opfølgningen & <i>tak</i>.", "Indstilling")]
    assert found == sorted(found)  # escaped: "<i>" is printed, not read as markup
    assert "Tre nye rådgivere er ansat" in text and "Ekstra tilsyn i april" in text
    page = next(p for p in pages(out / "udvalg.pdf") if "Opfølgningen følges tæt" in p)
    # at the top of its section: after the heading, before the key figures (the summary above the section, on the
    # same page of this short pack, names the figure too: read from the heading on)
    heading = page.index("Opfølgning hver 6. uge")
    assert heading < page.index("Opfølgningen følges tæt frem til sommer.") < page.index(
        "Sager fulgt op inden for 6 uger", heading)
    data = json.loads((out / "udvalg.json").read_text(encoding="utf-8"))
    assert data["comment"]["file"] == "comments/2024-03/udvalg.md"
    assert "**styrket**" in data["comment"]["markdown"]
    assert data["sections"][0]["comment"]["markdown"] == "Opfølgningen følges tæt frem til sommer.\n"
    bare = pdf_text(out / "udvalg-uden.pdf")  # no comment: nothing in its place but the draft's mark
    assert "Forvaltningens vurdering" not in bare and "Forvaltningen" not in bare and "UDKAST" in bare
    plain_data = json.loads((out / "udvalg-uden.json").read_text(encoding="utf-8"))
    assert plain_data["comment"] is None and all(s["comment"] is None for s in plain_data["sections"])


@pytest.mark.slow
def test_a_cpr_number_in_a_comment_fails_that_pack_only(commented):
    out, result = commented
    assert result.returncode == 1, result.stderr
    assert "direktion: comments/2024-03/direktion.txt, line 1: holds a CPR-shaped number" in result.stderr
    assert "010203" not in result.stdout + result.stderr  # the number itself is never repeated
    assert not (out / "direktion.pdf").exists() and (out / "udvalg.pdf").exists() and (out / "udvalg-uden.pdf").exists()


@pytest.mark.slow
def test_a_comment_for_a_section_the_pack_lacks_fails_with_the_sections_named(tmp_path, small_dir):
    root = small_dir.parent
    (root / "ledinfo.toml").write_text(SMALL.replace('[[packs]]\nid = "udvalg-uden"', '[[packs]]\nid = "x"'),
                                       encoding="utf-8")
    (root / "comments" / "2024-03" / "udvalg").mkdir(parents=True)
    (root / "comments" / "2024-03" / "udvalg" / "budgett.md").write_text("Om budgettet.\n", encoding="utf-8")
    (root / "comments" / "2024-03" / "udvalgg.md").write_text("En tastefejl.\n", encoding="utf-8")
    result = run_cli("build", "--config", str(root / "ledinfo.toml"), "--period", "2024-03", "--out",
                     str(root / "out"), "--jobs", "1")
    assert result.returncode == 1
    assert ("udvalg: comments/2024-03/udvalg/budgett.md: the pack udvalg has no section 'budgett' this period "
            "(its sections: six_week_followup)") in result.stderr
    assert "comments/2024-03/udvalgg.md names no pack of this build" in result.stderr


@pytest.mark.slow
def test_build_data_takes_the_municipality_by_option_and_never_prints_a_placeholder(tmp_path, small_dir):
    named = run_cli("build", "--data", str(small_dir), "--municipality", "Småby Kommune", "--period", "2024-03",
                    "--out", str(tmp_path / "named"), "--jobs", "1")
    assert named.returncode == 0, named.stderr
    assert pages(tmp_path / "named" / "udvalg.pdf")[0].startswith("Småby Kommune")
    unnamed = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(tmp_path / "unnamed"),
                      "--jobs", "1")
    assert unnamed.returncode == 0, unnamed.stderr
    assert "give --municipality NAME" in unnamed.stdout
    for pdf in (tmp_path / "unnamed").glob("*.pdf"):
        assert not NOT_ON_A_PAGE.search(pdf_text(pdf)), pdf.name
    wrong = run_cli("build", "--config", str(tmp_path / "x.toml"), "--municipality", "X", "--period", "2024-03")
    assert wrong.returncode == 2 and "--municipality goes with --data" in wrong.stderr


# --- the demo and the messy sample, every pack -----------------------------------------------------------

def right_edges(path: Path) -> list[tuple[int, float]]:
    """(page, rightmost glyph's right edge) of the pages whose text runs past the right margin."""
    document = pypdfium2.PdfDocument(str(path))
    past = []
    for number, page in enumerate(document, start=1):
        limit = page.get_width() - MARGIN + 0.5
        text = page.get_textpage()
        edge = max((text.get_charbox(i)[2] for i in range(text.count_chars())
                    if text.get_text_range(i, 1).strip()), default=0)
        if edge > limit:
            past.append((number, round(edge, 1)))
    return past


def test_demo_pages_hold_no_software_name_and_no_table_past_the_margin(demo_packs):
    pdfs = sorted(demo_packs.glob("*.pdf"))
    assert len(pdfs) >= 3
    for pdf in pdfs:
        assert not NOT_ON_A_PAGE.search(pdf_text(pdf)), (pdf.name, NOT_ON_A_PAGE.search(pdf_text(pdf)))
        assert right_edges(pdf) == [], pdf.name


def test_messy_pages_hold_no_software_name_and_no_table_past_the_margin(messy_packs):
    out, result = messy_packs("2024-03")
    assert result.returncode == 0, result.stderr
    for pdf in sorted(out.glob("*.pdf")):
        assert not NOT_ON_A_PAGE.search(pdf_text(pdf)), (pdf.name, NOT_ON_A_PAGE.search(pdf_text(pdf)))
        assert right_edges(pdf) == [], pdf.name
