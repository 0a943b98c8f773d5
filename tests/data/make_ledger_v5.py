"""Builds tests/data/ledger-v5.sqlite3: a ledger as optout-bot's schema version 5 left it.

The stored file is what tests/unit/test_ledger.py migrates, to prove that a ledger written by version 5 (runs of
forms and settings, `verify` checks of a flow) survives the upgrade to version 6, which adds what a proof needs
(the account as the site named it, what the form carried when it was sent, the confirmation page, a setting's
name). The schema is built by the released steps (`_migrate(conn, target=5)`: released steps never change), and
the rows are written as version 5 wrote them, with fixed dates. Never change the rows: the tests expect exactly
these. The stored file was made with the code of schema version 5 itself.

    .venv/bin/python tests/data/make_ledger_v5.py [OUTPUT]
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from optout_bot.records.ledger import _migrate

RECEIPTS = "/home/jane/.local/share/optout-bot/receipts"
FORM = "https://help.instagram.com/contact/767264225370182"
SETTING = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"

# id, account, platform, flow, started_at, ended_at, outcome, exit_code, form_url, route, confirmation_text,
# receipt_path, dry_run, setting_before, setting_after
RUNS = [
    (1, "personal", "instagram", "own", "2026-01-10T09:00:00+00:00", "2026-01-10T09:03:10+00:00", "confirmed", 0,
     FORM, "settings-privacy-center", "This means your request will be applied going forward.",
     f"{RECEIPTS}/20260110-100310-personal-instagram-confirmation.png", 0, None, None),
    (2, "pro", "linkedin", "own", "2026-01-11T08:00:00+00:00", "2026-01-11T08:01:00+00:00", "confirmed", 0,
     SETTING, "direct", None, f"{RECEIPTS}/20260111-090100-pro-linkedin-setting-off.png", 0, "on", "off"),
]  # fmt: skip
CHECKS = [(1, "pro", "linkedin", "own", "2026-02-01T07:00:00+00:00", "off", SETTING)]


def build(path: Path) -> Path:
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _migrate(conn, target=5)
        conn.executemany(
            """INSERT INTO runs (id, account, platform, flow, started_at, ended_at, outcome, exit_code, form_url,
               route, confirmation_text, receipt_path, dry_run, setting_before, setting_after)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            RUNS,
        )
        conn.executemany(
            "INSERT INTO setting_checks (id, account, platform, flow, checked_at, state, url) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            CHECKS,
        )
    finally:
        conn.close()
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("ledger-v5.sqlite3")
    print(build(out))
