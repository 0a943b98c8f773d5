"""Issue 17, point 3: a report a data-protection authority accepts, made from a real run in each language.

The real command walks the mock site; the test plays the person, who changes the email in the form before
clicking Submit, so what was submitted differs from the settings. The report must show what was submitted (as the
server received it), never the settings' email, and every element an authority asks for; no temporary folder.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from optout_bot.mock_site import MockMeta, Scenario
from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import FAST, Home, finish, run_cli, start_cli
from tests.e2e.conftest import submit_as_person
from tests.e2e.person import Person

SETTINGS_EMAIL = "jane.settings@example.com"
TYPED_EMAIL = "jane.objects@example.net"  # what the person types in the form instead, before Submit
ZONE = "Europe/Paris"

# What each element is called in the report, in each language (the words the person reads).
WORDS = {
    "en": {
        "controller": "Controller",
        "basis": "Article 21",
        "account": "Account as the site named it",
        "submitted": "Submitted in the form",
        "confirmation_address": "Confirmation page",
        "attach": "confirmation email",
        "confirmation": "your request will be applied going forward",
    },
    "fr": {
        "controller": "Responsable du traitement",
        "basis": "article 21",
        "account": "Compte tel que le site le nommait",
        "submitted": "Envoyé dans le formulaire",
        "confirmation_address": "Page de confirmation",
        "attach": "e-mail de confirmation",
        "confirmation": "votre demande sera appliquée",
    },
}


def _settings(home: Home, lang: str) -> None:
    write_config(
        Config(
            email=SETTINGS_EMAIL,
            country="FR",
            language="fr" if lang == "fr" else "en",
            accounts=(Account(name="personal", platform="instagram"),),
        ),
        home.root / "config" / "optout-bot" / "config.toml",
    )


def _run_and_submit_another_email(site: MockMeta, home: Home, cdp: str, person: Person) -> None:
    tool = start_cli(home, "run", "--account", "personal", "--cdp", cdp, *FAST, TZ=ZONE)
    tab = person.tool_tab(tool, banner_text="")
    tab.locator("#optout-bot-banner").wait_for()
    tab.wait_for_function("() => document.querySelector('input[type=email]').value !== ''")
    email = tab.locator("form input[type=email]")
    email.fill(TYPED_EMAIL)  # the person's own change, after the hand-over
    submit_as_person(tab, site)
    code, out, err = finish(tool)
    assert code == 0, f"{out}\n{err}"
    (post,) = [r for r in site.posts() if "login" not in r.path]
    assert post.form["email"] == [TYPED_EMAIL]  # what the server received: the report must say the same


def _ledger_row(home: Home) -> sqlite3.Row:
    conn = sqlite3.connect(home.data / "ledger.sqlite3")
    conn.row_factory = sqlite3.Row
    try:
        row: sqlite3.Row = conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return row
    finally:
        conn.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_report_from_a_real_run_holds_what_an_authority_asks_for(
    lang: str, site: MockMeta, home: Home, cdp: str, person: Person, tmp_path: Path
) -> None:
    site.reset(Scenario(lang=lang, prefill_email=False))
    _settings(home, lang)
    _run_and_submit_another_email(site, home, cdp, person)

    row = _ledger_row(home)
    assert row["outcome"] == "confirmed"
    (receipt,) = (home.data / "receipts").glob("*.png")
    sha256 = hashlib.sha256(receipt.read_bytes()).hexdigest()
    ended = datetime.fromisoformat(row["ended_at"]).astimezone(ZoneInfo(ZONE))
    people_date = format_date(ended, "long", locale=lang)  # « 6 décembre 2026 », "December 6, 2026"
    offset = ended.strftime("%z")
    zone = f"UTC{offset[0]}{int(offset[1:3])}"  # (UTC+1) or (UTC+2)
    words = WORDS[lang]

    for fmt in ("html", "md"):
        out = tmp_path / f"report-{lang}.{fmt}"
        result = run_cli(home, "--lang", lang, "report", "--format", fmt, "--out", str(out), TZ=ZONE)
        assert result.returncode == 0, result.stderr
        text = out.read_text(encoding="utf-8")
        shown = text.replace("&#x27;", "'").replace("\\", "")  # HTML and Markdown escapes, for the searches

        assert "Meta Platforms Ireland Limited" in shown and words["controller"] in shown
        assert words["basis"] in shown and ("GDPR" in shown or "RGPD" in shown)
        assert words["account"] in shown and "Jane Doe" in shown
        assert words["submitted"] in shown and TYPED_EMAIL in shown
        assert SETTINGS_EMAIL not in shown  # the settings' email is not what was submitted: never shown as such
        assert "https://help.instagram.com/contact/767264225370182" in shown
        assert words["confirmation_address"] in shown
        assert words["confirmation"] in shown
        assert receipt.name in shown and sha256 in shown
        assert "data:image/png;base64," in shown
        assert people_date in shown and zone in shown  # for people, in their language
        assert row["ended_at"].replace("+00:00", "") in shown  # and ISO (UTC)
        assert words["attach"] in shown
        assert str(home.root) not in text and str(tmp_path) not in text and "/tmp/" not in text
