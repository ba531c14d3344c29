"""Packs as published documents: read back with pypdf and poppler; disclosure as a guarantee."""

import html
import json
import re
import subprocess

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pypdf import PdfReader

from conftest import run_cli
from ledinfo.api import Column, Section, SectionResult, Table
from ledinfo.api.testing import render_section, small_extract
from ledinfo.disclosure.suppression import protect, recoverable
from ledinfo.render.pdf import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, _styles
from pdfcheck import body_font_sizes, fonts, have_poppler, poppler_text, word_boxes

pytestmark = pytest.mark.skipif(not have_poppler(), reason="poppler-utils is required")

A4 = (595.28, 841.89)


def test_every_page_is_a4_with_side_x_af_y(demo_packs):
    for pdf in sorted(demo_packs.glob("*.pdf")):
        reader = PdfReader(str(pdf))
        pages = len(reader.pages)
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1)), pdf.name
        # the first and the last page's footers (every page's text read cost about 2.5 s of CPU for the demo's packs)
        first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
        assert f"Side 1 af {pages}" in first and f"Side {pages} af {pages}" in last, pdf.name


def test_committee_briefing_is_short_with_a_summary_and_contents(demo_packs):
    pdf = demo_packs / "udvalg.pdf"
    reader = PdfReader(str(pdf))
    assert 4 <= len(reader.pages) <= 9  # 9 since effect and money (issue 25): the ladder, breakdowns, volume and price
    text = poppler_text(pdf)
    assert "Orientering til udvalget" in text and "Kort fortalt" in text and "Indhold" in text
    for title in ("Årsmål", "Underretninger", "Foranstaltninger og anbringelser", "Lovens frister", "Budget og forbrug"):
        assert re.search(rf"{title}\s*\.[ .]*\d", text), title  # a TOC line with dots and a page number


def test_bookmarks_and_metadata(demo_packs):
    reader = PdfReader(str(demo_packs / "direktion.pdf"))
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == "Kort fortalt"
    assert {"Årsmål", "Lovens frister", "Sagsstammer", "Ledelsestilsyn", "Budget og forbrug"} <= set(outline)
    info = reader.metadata
    assert info.title == "Ledelsesinformation til direktionen" and info.author == "Fjordby Kommune"
    assert info.subject == "Ledelsesinformation, oktober 2026"
    assert reader.trailer["/Root"]["/Lang"] == "da-DK"
    assert str(info["/CreationDate"]).startswith("D:20261101")  # derived from the period, not the clock


def test_fonts_are_embedded_and_danish_letters_survive(demo_packs):
    for pdf in demo_packs.glob("*.pdf"):
        rows = fonts(pdf)
        assert rows and all(row["embedded"] for row in rows), (pdf.name, rows)
        assert all("Vera" in row["name"] for row in rows)
    text = poppler_text(demo_packs / "team-boern.pdf")
    for word in ("Børn", "Sagsstammer", "Årsværk", "Rådgiver", "Opfølgning"):
        assert word in text, word
    qpdf = subprocess.run(["qpdf", "--check", str(demo_packs / "direktion.pdf")], capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stdout


def test_charts_are_vectors_with_danish_numbers(demo_packs):
    reader = PdfReader(str(demo_packs / "direktion.pdf"))
    assert all(not page.images for page in reader.pages)  # no raster images: charts are vector drawings
    text = poppler_text(demo_packs / "direktion.pdf")
    assert re.search(r"\d+,\d", text) and re.search(r"\d{1,3}\.\d{3}", text)  # 27,3 and 1.461
    assert re.search(r"\d+ %", text)


def test_team_leader_pack_lists_what_to_act_on(demo_packs):
    text = poppler_text(demo_packs / "team-boern.pdf")
    for heading in ("Til handling", "Overskredne frister", "Frister inden for de næste 30 dage",
                    "Sager uden kontakt i mindst 42 dage", "Nye sager, der venter på første kontakt",
                    "Stikprøve for november 2026", "Sagsstamme pr. rådgiver"):
        assert heading in text, heading
    assert "Fortroligt" in text


def test_a_rebuild_is_byte_identical(demo_packs, demo_command):
    # two builds of the demo: in this process with workers, and by the command in another without
    again, result = demo_command
    assert result.returncode == 0, result.stderr
    for first in demo_packs.iterdir():
        assert (again / first.name).read_bytes() == first.read_bytes(), first.name


@pytest.mark.slow
def test_source_date_epoch_sets_the_creation_date(tmp_path, small_dir):
    out = tmp_path / "out"
    result = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(out), "--jobs", "1",
                     env={"SOURCE_DATE_EPOCH": "1714521600"})  # 2024-05-01 00:00 UTC
    assert result.returncode == 0, result.stderr
    assert str(PdfReader(str(out / "direktion.pdf")).metadata["/CreationDate"]).startswith("D:20240501")


@pytest.mark.slow
def test_english_packs(tmp_path, small_dir):
    out = tmp_path / "en"
    result = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(out), "--lang", "en",
                     "--jobs", "1")
    assert result.returncode == 0, result.stderr
    text = poppler_text(out / "direktion.pdf")
    assert "Page 1 of" in text and "Caseload" in text and "Management information for directors" in text
    assert "Sagsstammer" not in text
    assert PdfReader(str(out / "direktion.pdf")).trailer["/Root"]["/Lang"] == "en-GB"


@pytest.mark.parametrize("where", ["reason", "notification_id"])
def test_a_cpr_number_in_the_extract_reaches_no_output(tmp_path, small_dir, where):
    notes = pl.DataFrame({"notification_id": ["U1", "U2"], "child_id": ["B1", "B2"], "case_id": ["S1", None],
                          "team": ["Børn", "Børn"], "received_at": ["2024-03-04 10:00", "2024-03-05 11:00"],
                          "reporter_type": ["professional", "private"], "acute_assessed_at": ["", ""],
                          "receipt_sent_on": ["", ""], "reason": ["Skolen er bekymret", "Ring til mor"]})
    planted = "Barnet har cpr 0105121234" if where == "reason" else "010512-1234"
    notes = notes.with_columns(pl.when(pl.int_range(pl.len()) == 1).then(pl.lit(planted))
                               .otherwise(pl.col(where)).alias(where))
    notes.write_csv(small_dir / "notifications.csv")
    out = tmp_path / "out"
    # --jobs 1: the extract is refused before any pack is built, so worker processes would only
    # be started and warmed up to be stopped again (seconds); test_validation refuses with them
    result = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(out), "--jobs", "1")
    assert result.returncode == 2 and "CPR number" in result.stderr and f"column {where}" in result.stderr
    assert "0105121234" not in result.stderr and "010512-1234" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_the_guard_fails_a_pack_that_leaks_another_teams_case_id(tmp_path, small_dir):
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.config.file import PackSpec, folder_config
    from ledinfo.interfaces.section import Section
    from ledinfo.model.period import Period
    from ledinfo.model.results import SectionResult
    from ledinfo.pipeline.build import build
    from ledinfo.pipeline.plan import plan
    from ledinfo.plugin_host.registry import Registry

    class Leaky(Section):
        name, title, description = "leaky", "Leaky", "Names every case in its text."

        def compute(self, context):
            return SectionResult(self.name, self.title)

        def narrate(self, result, view):
            return ["Cases: " + ", ".join(f"S{i}XX" for i in range(1, 11))]

    plugins = load_test_plugins()
    registry = Registry(entries={k: dict(v) for k, v in plugins.registry.entries.items()})
    registry.register_callback("section", "leaky-plugin")(Leaky())
    cases = pl.read_csv(small_dir / "cases.csv", separator=";", infer_schema=False)
    cases = cases.with_columns((pl.col("case_id") + "XX").alias("case_id"))
    (small_dir / "cases.csv").write_text(cases.write_csv(separator=";"), encoding="utf-8")
    activities = pl.read_csv(small_dir / "activities.csv", infer_schema=False)
    activities.with_columns((pl.col("case_id") + "XX").alias("case_id")).write_csv(small_dir / "activities.csv")
    config = folder_config(small_dir).with_packs((PackSpec("team", "team_leader", ("leaky", "caseload")),
                                                  PackSpec("udvalg", "committee", ("caseload",))))
    report = build(plan(config, registry), Period(2024, 3), tmp_path / "out", workers=1)
    failed = {o.job.pack_id: o.error for o in report.failed}
    assert set(failed) == {"team-boern", "team-unge"}
    assert "shows" in failed["team-boern"] and "S6XX" in failed["team-boern"]  # Unge's case in Børn's pack
    assert not (tmp_path / "out" / "team-boern.pdf").exists()
    assert (tmp_path / "out" / "udvalg.pdf").exists()


@pytest.mark.slow  # 200 tables protected and checked: 5 to 20 s
@settings(max_examples=200, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=st.integers(0, 30)),
       st.integers(2, 10))
def test_suppressed_cells_cannot_be_recomputed_from_row_and_column_totals(matrix, threshold):
    hidden = protect(matrix, threshold)
    rows, cols = matrix.shape
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:rows, :cols] = matrix
    full[:rows, cols] = matrix.sum(axis=1)
    full[rows, :cols] = matrix.sum(axis=0)
    full[rows, cols] = matrix.sum()
    visible = full[~hidden]
    assert not ((visible > 0) & (visible < threshold)).any()  # no visible count from 1 to threshold - 1
    assert recoverable(matrix, hidden, threshold) == []  # no line has exactly one hidden cell
    for line in [hidden[r, :] for r in range(rows + 1)] + [hidden[:, c] for c in range(cols + 1)]:
        assert line.sum() != 1


@pytest.mark.slow
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 5000), scale=st.sampled_from([0.05, 0.3]))
def test_no_committee_output_shows_a_count_from_1_to_4(registry, seed, scale):
    from builders import extract_of
    from ledinfo.config.file import COMMITTEE, PackSpec
    from ledinfo.demo import DemoSpec, demo_config, generate
    from ledinfo.language import Language
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import compute, prepare
    from ledinfo.pipeline.plan import Plan
    from ledinfo.render.json_out import pack_json
    from ledinfo.texts.content import PackJob
    from ledinfo.texts.templates import load_template

    period = Period(2026, 3)
    extract = extract_of(generate(DemoSpec(period, seed, scale)))
    names = [s.name for s in registry.sections()]
    job = PackJob("udvalg", PackSpec("udvalg", COMMITTEE, tuple(names)))
    planned = Plan(demo_config(), registry, {"udvalg": names}, {"udvalg": load_template(None, COMMITTEE)})
    computed = compute(planned, extract, period)  # the pipeline's own stage: the committee's series reads its data
    assert not computed.failures
    content = prepare(planned, computed, job, Language("da"), period)
    data = pack_json(content)
    for section in data["sections"]:
        for indicator, entry in section["indicators"].items():
            points = [entry] + entry.get("trend", [])
            for point in points:
                if entry["unit"] == "count":
                    assert point.get("value") in (None, 0) or point["value"] >= 5, (indicator, point)
                if point.get("share_of", entry.get("share_of")) == "composition":  # people by a characteristic
                    for key in ("numerator", "denominator"):
                        value = point.get(key)
                        assert value is None or value == 0 or value >= 5, (indicator, point)
        for table in section["tables"]:
            # the counts behind a share of case handling (met, judged, pending) are no protected counts
            handling = {"numerator", "denominator", "pending"}
            counts = [c["key"] for c in table["columns"] if c["kind"] == "count" and c["key"] not in handling]
            for row in table["rows"]:
                for key in counts:
                    assert row.get(key) is None or row[key] == 0 or row[key] >= 5, (table["id"], row)
        for chart in section["charts"]:
            for row in chart["data"]:
                value = row.get("count")
                assert value is None or value == 0 or value >= 5, (chart["id"], row)
    text = json.dumps(data, ensure_ascii=False)
    assert not re.search(r'"(case_id|staff_id|caseworker_id)"', text)


@pytest.mark.slow
def test_a_config_can_use_its_own_template(tmp_path, small_dir):
    template = tmp_path / "kort.toml"
    template.write_text('audience = "committee"\ntitle = { da = "Kort orientering" }\nsummary = "none"\n'
                        'sections = ["six_week_followup"]\nothers = "none"\n', encoding="utf-8")
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Testby Kommune"\n[source]\ntype = "folder"\npath = "{small_dir}"\n'
                      f'[[packs]]\nid = "kort"\naudience = "committee"\ntemplate = "{template}"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(config), "--period", "2024-03", "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    text = poppler_text(out / "kort.pdf")
    assert "Kort orientering" in text and "Kort fortalt" not in text and "Opfølgning hver 6. uge" in text
    assert [s["id"] for s in json.loads((out / "kort.json").read_text())["sections"]] == ["six_week_followup"]
    bad = tmp_path / "bad.toml"
    bad.write_text('audience = "director"\ntitle = { da = "x" }\n', encoding="utf-8")
    config.write_text(config.read_text().replace(str(template), str(bad)), encoding="utf-8")
    result = run_cli("build", "--config", str(config), "--period", "2024-03", "--out", str(out))
    assert result.returncode == 2 and "is for director, but the pack is for committee" in result.stderr


def test_the_guard_reads_json_strings_not_large_amounts():
    from ledinfo.disclosure.guard import GuardIds, check, json_strings

    data = b'{"actual": 3012345678.5, "text": "ok"}'  # a national amount: ten digits that form a date
    check({"JSON": json_strings(data)}, GuardIds(), "committee", None, "udvalg")
    from ledinfo.disclosure.guard import GuardError

    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"JSON": json_strings(b'{"note": "301234-5678"}')}, GuardIds(), "committee", None, "udvalg")


class Remarks(Section):
    """A section with one table: short cells (drawn as they are) and one long remark (which must wrap)."""

    name, title, description = "remarks", "Remarks", "Remarks per team."
    LONG = ("Sagsbehandlingen i Børn og Unge følger planen, men ventetiden på udredning af særlige behov "
            "er længere end ønsket; øvrige bemærkninger om fristerne står i afsnittet om overholdelse.")

    def compute(self, context):
        frame = pl.DataFrame({"team": ["Børn", "Unge", None], "remark": ["Kort bemærkning", self.LONG, "Åben"]})
        result = SectionResult(self.name, self.title)
        result.tables.append(Table("remarks", "Remarks", frame, (Column("team", "Team"), Column("remark", "Remark"))))
        return result


def test_table_cells_wrap_when_long_and_no_text_passes_the_margin(tmp_path):
    """Cells that fit stay one line; a long one wraps inside its column: every word is there, none past the margin."""
    rendered = render_section(Remarks(), small_extract(), out_dir=tmp_path)
    boxes = subprocess.run(["pdftotext", "-bbox", str(rendered.pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    words = [(float(x0), float(x1), html.unescape(word)) for x0, x1, word in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)]
    assert words
    assert all(MARGIN_X - 1 <= x0 and x1 <= PAGE_WIDTH - MARGIN_X + 1 for x0, x1, _ in words), \
        [w for w in words if w[1] > PAGE_WIDTH - MARGIN_X + 1]
    text = " ".join(word for _, _, word in words)
    assert Remarks.LONG in text and "Kort bemærkning" in text and "Åben" in text


def _packs(demo_packs, messy_packs) -> list:
    out, result = messy_packs("2024-03")
    assert result.returncode == 0, result.stderr
    return sorted(demo_packs.glob("*.pdf")) + sorted(out.glob("*.pdf"))


def test_no_text_of_a_director_or_team_pack_passes_the_margins(demo_packs, messy_packs):
    """The director's wide tables (teams × indicators) and the team lists: every word inside the margins."""
    packs = [p for p in _packs(demo_packs, messy_packs) if p.stem == "direktion" or p.stem.startswith("team-")]
    assert len(packs) >= 4
    for pdf in packs:
        words = word_boxes(pdf)
        assert words, pdf
        outside = [w for w in words if w[1] < MARGIN_X - 1 or w[2] > PAGE_WIDTH - MARGIN_X + 1]
        assert not outside, (pdf, outside[:5])


def test_no_page_holds_only_notes(demo_packs, messy_packs):
    """Notes (the small print under a chart, a table or a section) go with what they explain: no page of a
    pack holds nothing but notes (read back by font size: the notes' style is the only text in the body)."""
    small = _styles()["small"].fontSize
    for pdf in _packs(demo_packs, messy_packs):
        pages = body_font_sizes(pdf, MARGIN_BOTTOM, PAGE_HEIGHT - MARGIN_TOP)
        only_notes = [number for number, sizes in enumerate(pages, start=1) if sizes and sizes <= {small}]
        assert not only_notes, (pdf.name, only_notes)
