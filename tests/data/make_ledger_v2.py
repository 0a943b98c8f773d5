"""Builds tests/data/ledger-v2.sqlite3: a ledger as optout-bot's schema version 2 left it.

The stored file is what tests/unit/test_ledger.py migrates, to prove that a ledger written by version 2 (runs with
a route and a dry-run mark) survives the upgrade to later versions. The schema is built by the released
steps 0→1 and 1→2 of optout_bot/records/ledger.py (`_migrate(conn, target=2)`: released steps never change), and the
rows are written as version 2's `start_run`/`finish_run` wrote them, with fixed dates. Never change the rows:
the tests expect exactly these. The stored file was made with the code of schema version 2 itself.

    .venv/bin/python tests/data/make_ledger_v2.py [OUTPUT]
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from optout_bot.records.ledger import _migrate

Row = tuple[
    int, str, str, str, str | None, str, int | None, str | None, str | None, str | None, str | None, int
]  # id, account, platform, started_at, ended_at, outcome, exit_code, form_url, confirmation_text, receipt_path,
#    route, dry_run

RECEIPTS = "/home/jane/.local/share/optout-bot/receipts"
SCREENSHOTS = "/home/jane/.local/share/optout-bot/screenshots"
FORM = "https://help.instagram.com/contact/767264225370182"

# A rehearsal, then a confirmed objection with its receipt; another account's run that was not submitted,
# then one that was killed before it ended.
ROWS: list[Row] = [
    (1, "personal", "instagram", "2025-06-02T08:00:05+00:00", "2025-06-02T08:00:40+00:00", "dry_run_ready", 0,
     FORM, None, f"{SCREENSHOTS}/20250602-100040-personal-instagram-form.png", "settings-privacy-center", 1),
    (2, "personal", "instagram", "2025-06-02T08:05:00+00:00", "2025-06-02T08:07:31+00:00", "confirmed", 0,
     FORM, "Thank you. We've received your objection.",
     f"{RECEIPTS}/20250602-100731-personal-instagram-confirmation.png", "settings-privacy-center", 0),
    (3, "work", "facebook", "2025-06-03T17:30:00+00:00", "2025-06-03T17:45:02+00:00", "not_submitted", 4,
     "https://www.facebook.com/help/contact/712876720715583", None, None, "privacy-topics", 0),
    (4, "work", "facebook", "2025-06-04T07:12:09+00:00", None, "interrupted", None, None, None, None, None, 0),
]  # fmt: skip


def build(path: Path, rows: list[Row] = ROWS) -> Path:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _migrate(conn, target=2)
        conn.executemany(
            """INSERT INTO runs (id, account, platform, started_at, ended_at, outcome, exit_code, form_url,
               confirmation_text, receipt_path, route, dry_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows,
        )
    finally:
        conn.close()
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("ledger-v2.sqlite3")
    print(build(out))
