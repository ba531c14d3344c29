"""The delivery ledger: which pack reached which recipient, for which period, with which PDF.

A row is written the moment a delivery is accepted (the mail server's "250",
the file renamed into place), so a rerun sends only what failed or was never
sent — and a changed pack (new data, same period) is noticed rather than sent
silently. SQLite keeps every write atomic, also when a run is killed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    pack TEXT NOT NULL,
    recipient TEXT NOT NULL,
    period TEXT NOT NULL,
    delivery TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    delivered_at TEXT NOT NULL,
    receipt TEXT,
    PRIMARY KEY (pack, recipient, period, delivery, sha256)
)
"""


@dataclass(frozen=True)
class Entry:
    sha256: str
    delivered_at: str
    receipt: str | None


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(SCHEMA)

    def entries(self, pack: str, recipient: str, period: str, delivery: str) -> list[Entry]:
        rows = self._db.execute(
            "SELECT sha256, delivered_at, receipt FROM deliveries WHERE pack=? AND recipient=? AND period=? "
            "AND delivery=? ORDER BY delivered_at", (pack, recipient, period, delivery)).fetchall()
        return [Entry(*row) for row in rows]

    def record(self, pack: str, recipient: str, period: str, delivery: str, sha256: str, receipt: str | None) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._db.execute("INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (pack, recipient, period, delivery, sha256, now, receipt))

    def close(self) -> None:
        self._db.close()
