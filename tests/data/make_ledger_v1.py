"""Builds tests/data/ledger-v1.sqlite3: a ledger as optout-bot's schema version 1 left it.

The stored file is what tests/unit/test_ledger.py migrates, to prove that a person's existing ledger survives an
upgrade. The schema below is a frozen copy of version 1 (`_migrate_0_to_1` in optout_bot/records/ledger.py), not an
import of it, so that the file keeps describing what v1 wrote; never change it. A new schema version that
needs its own golden file gets its own script.

    .venv/bin/python tests/data/make_ledger_v1.py [OUTPUT]
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

V1_SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    platform TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'interrupted',
    exit_code INTEGER,
    form_url TEXT,
    confirmation_text TEXT,
    receipt_path TEXT,
    CHECK ((ended_at IS NULL) = (exit_code IS NULL))
)
"""

Row = tuple[int, str, str, str, str | None, str, int | None, str | None, str | None, str | None]

# A confirmed objection with its receipt, and a run that was killed before it ended.
ROWS: list[Row] = [
    (
        1,
        "personal",
        "instagram",
        "2025-05-20T09:14:03+00:00",
        "2025-05-20T09:16:41+00:00",
        "confirmed",
        0,
        "https://help.instagram.com/contact/767264225370182",
        "Thank you. We've received your objection.",
        "/home/jane/.local/share/optout-bot/receipts/20250520-111641-instagram-confirmation.png",
    ),
    (2, "work", "facebook", "2025-05-21T18:02:11+00:00", None, "interrupted", None, None, None, None),
]


def build(path: Path, rows: list[Row] = ROWS) -> Path:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.execute(V1_SCHEMA)
        conn.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
    finally:
        conn.close()
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("ledger-v1.sqlite3")
    print(build(out))
