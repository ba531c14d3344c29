"""Add every message id the demo packs use, and lack a Danish translation, to the catalogue.

    .venv/bin/python scripts/update_catalogue.py

Finds message ids in the source (calls to N_, t, language, gettext; plural pairs in
calls to plural and ngettext, added as msgid/msgid_plural with two msgstr forms), builds
every demo pack in Danish and records the ids that had no translation, and
appends the new ones to the PO file with an empty translation, for a
translator to fill in. Existing
translations are kept. tests/test_i18n.py fails while any id is untranslated.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

import ledinfo.language as i18n
from ledinfo.api.testing import build_demo_packs


def _has(catalogue, message) -> bool:
    """Whether the catalogue holds ``message`` in the same form (plain, or a plural pair)."""
    found = catalogue.get(i18n.message_key(message))
    return found is not None and isinstance(found.id, str) == isinstance(message, str)


def main() -> int:
    path = i18n.LOCALE_DIR / "da" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with tempfile.TemporaryDirectory() as out:
        build_demo_packs(Path(out), language="da")
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="da")
    wanted = i18n.MISSING | i18n.extract_message_ids(Path(i18n.__file__).parents[1])
    added = [m for m in sorted(wanted, key=i18n.message_key) if not _has(catalogue, m)]
    for message in added:
        if i18n.message_key(message) in catalogue:  # a message became plural, or stopped being: its old form goes
            catalogue.delete(i18n.message_key(message))
        catalogue.add(message, "" if isinstance(message, str) else ("",) * catalogue.num_plurals)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=100, sort_output=True)
    print(f"{len(added)} new message id(s) added to {path}")
    for message in added:
        print(f"  {' / '.join(message) if isinstance(message, tuple) else message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
