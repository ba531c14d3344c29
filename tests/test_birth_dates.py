"""No pack tells a child's birth date (domain.md, "Disclosure": anyone — never birth dates): a deadline set by the
child's age (the decision on youth support at 17½, efterværn's meetings at 16, 17½ and 18) is a birthday, so the lists
keep it to its month and leave out its count of days (``Column.from_birth_date``), in the PDF and the JSON alike.
A fresh reader found the day printed ("Fylder 18: anbringelsen ophører 05.12.2026") and worked the births back."""

import datetime as dt
import json

import polars as pl
import pytest

from ledinfo.model.results import Column, ResultError, Table


def _table(flags):
    frame = pl.DataFrame({"case_id": ["S-1", "S-2"], "due": [dt.date(2026, 12, 5), dt.date(2026, 11, 20)],
                          "days": [12, 3], "from_birth": flags})
    return Table("steps", "Steps", frame, (Column("case_id", "Case", "id"),
                                           Column("due", "Deadline", "date", from_birth_date="from_birth"),
                                           Column("days", "Days", "days", from_birth_date="from_birth")))


def test_a_day_from_a_birth_date_is_kept_to_its_month_and_its_days_left_out():
    table = _table([True, False])
    assert table.frame["due"].to_list() == [dt.date(2026, 12, 1), dt.date(2026, 11, 20)]
    assert table.frame["days"].to_list() == [None, 3]
    assert _table([None, None]).frame["due"].to_list() == [dt.date(2026, 12, 5), dt.date(2026, 11, 20)]


def test_a_birth_date_column_must_be_a_date_or_days_and_name_a_column_the_frame_has():
    with pytest.raises(ResultError, match="from_birth_date"):
        Column("case_id", "Case", "id", from_birth_date="from_birth")
    frame = pl.DataFrame({"due": [dt.date(2026, 12, 5)]})
    with pytest.raises(ResultError, match="lacks"):
        Table("steps", "Steps", frame, (Column("due", "Deadline", "date", from_birth_date="from_birth"),))


def test_a_step_due_by_age_says_its_month_in_the_team_leaders_to_do_list():
    from ledinfo.language import Language
    from ledinfo.plugins.compliance import _deadline

    language = Language("da")
    row = {"due": dt.date(2026, 12, 1), "from_birth": True}
    assert _deadline(language, row) == language.month(2026, 12)
    assert _deadline(language, {**row, "from_birth": False}) == language.weekday_date(dt.date(2026, 12, 1))


def test_a_step_due_by_age_is_late_or_due_soon_by_its_month_not_its_day():
    """Its day would tell the birthday: due on the period's last day (0 days overdue) it stood among the steps due
    soon while its month's other days stood among the late ones; due on the 31st, beyond a horizon ending on the
    30th, it was missing where its month's other days were listed."""
    from ledinfo.plugins.compliance import split_by_deadline

    end = dt.date(2026, 4, 30)  # the horizon, 30 days on, ends on 30 May: a step due on 31 May was left out
    due = [dt.date(2026, 4, 1), dt.date(2026, 4, 30), dt.date(2026, 5, 31), dt.date(2026, 4, 30), dt.date(2026, 5, 31)]
    steps = pl.DataFrame({"case_id": ["S-1", "S-2", "S-3", "S-4", "S-5"], "due": due,
                          "days": [(end - d).days for d in due], "from_birth": [True, True, True, False, False]})
    late, soon = split_by_deadline(steps, end)
    assert late["case_id"].to_list() == ["S-1", "S-2"]  # April's, whatever the day
    assert soon["case_id"].to_list() == ["S-3", "S-4"]  # May's by age; a deadline of any other kind by its day


def _birthdays(cases: pl.DataFrame) -> dict[str, set[dt.date]]:
    """Each case's days a deadline by age falls on: the 16th, 17½th and 18th birthdays."""
    from ledinfo.model.period import add_months

    return {case_id: {add_months(born, months) for months in (16 * 12, 210, 18 * 12)}
            for case_id, born in cases.select("case_id", "birth_date").iter_rows() if born is not None}


@pytest.mark.slow
def test_no_team_pack_of_the_demo_tells_a_birthday_of_a_case_it_lists(demo_packs):
    from ledinfo.demo import demo_config
    from ledinfo.interfaces.source import load_extract
    from ledinfo.language import Language
    from ledinfo.model.period import Period
    from ledinfo.plugin_host.manager import load_plugins
    from pdfcheck import poppler_text

    config = demo_config()
    extract = load_extract(config.source, load_plugins().registry, config.base_dir, Period.parse("2026-10"),
                           config.mappings)
    birthdays = _birthdays(extract["cases"])
    language = Language("da")
    checked = 0
    for pdf in sorted(demo_packs.glob("team-*.pdf")):
        lines = poppler_text(pdf).splitlines()
        document = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        said = json.dumps(document, ensure_ascii=False)
        for case_id, days in birthdays.items():
            if case_id not in said:
                continue
            mine = [line for line in lines if case_id in line]
            for day in days:
                for text in (day.strftime("%d.%m.%Y"), language.weekday_date(day)):
                    assert not any(text in line for line in mine), (pdf.name, case_id, text)
                assert f'"{case_id}"' not in said or day.isoformat() not in _rows_of(document, case_id), \
                    (pdf.name, case_id, day)
            checked += 1
    assert checked > 20  # the demo's team packs list many cases: the test looked at them


def _rows_of(document: dict, case_id: str) -> str:
    """Every table row and action line of ``document`` that names ``case_id``, as one text."""
    rows = [json.dumps(row) for section in document["sections"] for table in section["tables"]
            for row in table["rows"] if row.get("case_id") == case_id]
    rows += [line for group in document.get("actions", []) for line in group.get("lines", []) if case_id in line]
    return "\n".join(rows)
