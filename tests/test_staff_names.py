"""Staff names (issue 24): the optional staff.name, checked as personal data, shown beside the staff id in a team
leader's pack only; a committee or director pack can never carry one (the final guard refuses it).

The small extract (ledinfo.api.small_extract) with names: M1 Anne Berg and M2 Jens Holm (Børn), M3 Pia Dam
(Unge, left 2024-03-15), M4 Line Skov (Unge), L1 Bo (a team leader with a one-word name).
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from conftest import run_cli
from ledinfo.api.small_extract import small_tables, write_small_extract
from ledinfo.api.testing import frames_to_extract
from ledinfo.disclosure.guard import GuardError, GuardIds, check, json_strings, pdf_text

NAMES = {"M1": "Anne Berg", "M2": "Jens Holm", "M3": "Pia Dam", "M4": "Line Skov", "L1": "Bo"}


def named_tables() -> dict[str, pl.DataFrame]:
    tables = small_tables()
    tables["staff"] = tables["staff"].with_columns(
        pl.col("staff_id").replace_strict(NAMES, return_dtype=pl.String).alias("name"))
    return tables


def named_extract(folder):
    write_small_extract(folder)
    staff = pl.read_csv(folder / "staff.csv", infer_schema=False)
    staff.with_columns(pl.col("staff_id").replace_strict(NAMES).alias("name")).write_csv(folder / "staff.csv")
    return folder


def guard_ids() -> GuardIds:
    import datetime as dt

    return GuardIds.from_extract(frames_to_extract(named_tables()), dt.date(2024, 3, 31))


# --- the extract -----------------------------------------------------------------------------------------------

def test_a_name_that_could_hide_a_number_or_an_address_is_refused_without_showing_it(tmp_path):
    folder = named_extract(tmp_path / "extract")
    staff = pl.read_csv(folder / "staff.csv", infer_schema=False)
    names = staff["name"].to_list()
    names[0], names[1], names[3] = "Anne Berg 2", "jens@fjordby.dk", "Line\x1bSkov"
    staff.with_columns(pl.Series("name", names)).write_csv(folder / "staff.csv")
    result = run_cli("validate", "--data", str(folder))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for row in (2, 3):
        assert (f"staff.csv, row {row}, column name: the value (not shown) does not look like a person's name"
                in result.stderr), result.stderr
    assert "row 5, column name: holds the control character U+001B (ESC)" in result.stderr
    assert "Anne Berg 2" not in result.stderr and "jens@" not in result.stderr


def test_a_cpr_number_in_the_name_column_is_refused_and_other_name_columns_are_still_dropped(tmp_path):
    folder = named_extract(tmp_path / "extract")
    staff = pl.read_csv(folder / "staff.csv", infer_schema=False)
    staff = staff.with_columns(pl.Series("name", ["Anne Berg", "0101901234", "Pia Dam", "Line Skov", "Bo"]))
    staff.with_columns(pl.lit("Hemmelig").alias("navn")).write_csv(folder / "staff.csv")
    result = run_cli("validate", "--data", str(folder))
    assert result.returncode == 2
    assert "staff.csv, row 3, column name: holds a CPR number (value not shown)" in result.stderr
    assert "0101901234" not in result.stderr
    staff.with_columns(pl.Series("name", list(NAMES.values())), pl.lit("Hemmelig").alias("navn")).write_csv(
        folder / "staff.csv")
    assert run_cli("validate", "--data", str(folder)).returncode == 0


# --- the packs -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def named_packs(tmp_path_factory):
    root = tmp_path_factory.mktemp("named")
    folder = named_extract(root / "extract")
    result = run_cli("build", "--data", str(folder), "--municipality", "Småby Kommune", "--period", "2024-03",
                     "--out", str(root / "out"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.mark.slow
def test_names_stand_beside_the_ids_in_the_team_leaders_pack_only(named_packs):
    boern = json.loads((named_packs / "team-boern.json").read_text(encoding="utf-8"))
    text = " ".join(pdf_text((named_packs / "team-boern.pdf").read_bytes()).split())
    assert "M1 Anne Berg" in text and "M2 Jens Holm" in text
    chart = next(c for s in boern["sections"] for c in s["charts"] if c["id"] == "caseload_by_caseworker")
    assert {row["staff_id"] for row in chart["data"]} == {"M1 Anne Berg", "M2 Jens Holm"}
    assert {group["title"] for group in boern["actions"]} >= {"M1 Anne Berg"}
    # the team that lost M3 sees the leaver by name and mark; no other team's staff by name
    unge = " ".join(pdf_text((named_packs / "team-unge.pdf").read_bytes()).split())
    assert "M3 Pia Dam (fratrådt)" in unge and "Anne Berg" not in unge and "Jens Holm" not in text.replace(
        "M2 Jens Holm", "")
    for pack in ("udvalg", "direktion"):
        shown = pdf_text((named_packs / f"{pack}.pdf").read_bytes()) + json_strings(
            (named_packs / f"{pack}.json").read_bytes())
        assert not [name for name in NAMES.values() if len(name.split()) > 1 and name in " ".join(shown.split())]


def test_the_guard_refuses_a_staff_name_in_a_committee_or_director_output_wherever_the_line_breaks():
    ids = guard_ids()
    for audience in ("committee", "director"):
        with pytest.raises(GuardError) as caught:
            check({"PDF": "Sagerne fordeles af ANNE\nBERG i april."}, ids, audience, None, "udvalg")
        assert "staff id M1" in str(caught.value) and "Anne" not in str(caught.value)
    check({"PDF": "Bo har orienteret udvalget."}, ids, "committee", None, "udvalg")  # one word: no name searched for
    check({"PDF": "Kontakt: Anne Berg"}, ids, "committee", None, "udvalg", allowed_names=("Anne Berg",))
    check({"JSON": "M1 Anne Berg"}, ids, "team_leader", "Børn", "team-boern")  # the team's own caseworker
    with pytest.raises(GuardError, match="staff id M4"):
        check({"JSON": "Line Skov"}, ids, "team_leader", "Børn", "team-boern")  # another team's caseworker


@pytest.mark.slow
def test_a_comment_naming_a_caseworker_fails_the_committee_pack_without_repeating_the_name(tmp_path):
    folder = named_extract(tmp_path / "extract")
    (tmp_path / "ledinfo.toml").write_text(
        '[municipality]\nname = "Småby Kommune"\n\n[source]\ntype = "folder"\npath = "extract"\n\n'
        '[[packs]]\nid = "udvalg"\naudience = "committee"\nsections = ["six_week_followup"]\n', encoding="utf-8")
    (tmp_path / "comments" / "2024-03").mkdir(parents=True)
    (tmp_path / "comments" / "2024-03" / "udvalg.md").write_text("Line Skov har overtaget sagerne.\n",
                                                                 encoding="utf-8")
    result = run_cli("build", "--config", str(tmp_path / "ledinfo.toml"), "--period", "2024-03", "--out",
                     str(tmp_path / "out"), "--jobs", "1")
    assert folder.is_dir() and result.returncode == 1
    assert ("udvalg: comments/2024-03/udvalg.md: names 1 member(s) of staff this pack's readers may not see by name "
            "(staff id M4)") in result.stderr
    assert "Line Skov" not in result.stderr + result.stdout
    assert not (tmp_path / "out" / "udvalg.pdf").exists()


def test_the_guards_name_search_finds_what_one_alternative_per_name_finds():
    """The guard groups the names by first letter for speed (guard._one_of); its matches must be those of the plain
    pattern, one alternative per name, longest first: names that share words, that differ only after a common start,
    letters one case-insensitive match apart (s, S and the long s; k and the Kelvin sign), whitespace and line breaks,
    and words that only begin like a name."""
    import random
    import re

    from ledinfo.disclosure.guard import _one_of, _words_pattern

    names = ["anne berg", "anne berg hansen", "anne bergström", "ann berg", "jens holm", "jens", "sø dam",
             "ſø dam", "ßo ek", "kim kirk", "\u212aim lund", "åse øst", "o'neil ray", "(pia) dam", "pia dam"]
    ordered = sorted(names, key=lambda n: len(_words_pattern(n)), reverse=True)
    plain = re.compile(r"(?<!\w)(?:" + "|".join(map(_words_pattern, ordered)) + r")(?!\w)", re.IGNORECASE)
    grouped = _one_of(ordered)
    pieces = [*(n.split()[0] for n in names), *(n.split()[-1] for n in names), "Anne", "BERG", "Hansen", "SØ",
              "Sø", "Kim", "KIM", "berg2", "x", "ſø", "SS", "ström", ",", ".", "-"]
    rng = random.Random(27)
    texts = [" ".join(names), " ".join(n.upper() for n in names), "Anne Berg Hansens bog; Anne\nBerg-Hansen; "
             "annE  berG; Anne Bergström; Ann Berg; (Pia) Dam; Pia Dam"]
    texts += ["".join(rng.choice([" ", "\n", "  ", ""]) + rng.choice(pieces) for _ in range(60)) for _ in range(400)]
    for text in texts:
        assert ([(m.start(), m.group()) for m in grouped.finditer(text)]
                == [(m.start(), m.group()) for m in plain.finditer(text)]), text
