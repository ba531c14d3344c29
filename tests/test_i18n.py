"""Danish first: a complete catalogue, Danish numbers and dates, æøå."""

import datetime as dt
from pathlib import Path

from ledinfo.texts import language as i18n
from ledinfo.texts.language import Language, danish_sort_key, extract_message_ids, slug


def test_every_message_id_in_the_code_has_a_danish_translation():
    ids = extract_message_ids(Path(i18n.__file__).parents[1])
    danish = Language("da")._messages()
    missing = sorted(m for m in ids if m not in danish)
    assert not missing, f"untranslated (run scripts/update_catalogue.py): {missing}"
    assert len(ids) > 50


def test_building_the_demo_asks_for_no_untranslated_message(demo_packs):
    assert not i18n.MISSING, sorted(i18n.MISSING)


def test_danish_and_english_numbers_and_dates():
    da, en = Language("da"), Language("en")
    assert da.number(1234.5) == "1.234,5" and en.number(1234.5) == "1,234.5"
    assert da.percent(0.734) == "73 %" and en.percent(0.734) == "73%"
    assert da.integer(1234567) == "1.234.567"
    assert da.date(dt.date(2026, 10, 31)) == "31. oktober 2026"
    assert da.short_date(dt.date(2026, 10, 1)) == "01.10.2026"
    assert da.money(153_400_000) == "153,4 mio. kr."
    assert da("Page {page} of {pages}", page=1, pages=7) == "Side 1 af 7"


def test_danish_sorting_and_file_names():
    assert sorted(["Åen", "Øst", "Zulu", "Ærø", "Børn"], key=danish_sort_key) == ["Børn", "Zulu", "Ærø", "Øst", "Åen"]
    assert slug("Børn & Unge") == "boern-unge" and slug("Anbringelse 2") == "anbringelse-2"
