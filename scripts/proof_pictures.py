"""Pictures of the proof as a person sends it: one report page and one complaint letter, rendered in Chromium.

    .venv/bin/python scripts/proof_pictures.py [--out docs/images] [--lang en --lang fr]

For each language, in a throwaway data folder: the bundled mock site's Instagram form is sent (by this script,
in its own headless browser: a picture-maker, not optout-bot) and its confirmation screenshotted as the receipt;
a ledger records that run as optout-bot records one (what the form carried, the account the site named), and an
older Facebook objection left unanswered for 40 days. Then `optout-bot report` and `optout-bot letter complaint`
are rendered as HTML, opened in headless Chromium, and saved as report-<lang>.png and letter-<lang>.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project itself, and tests/support's browser starter

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from optout_bot.i18n import use_language  # noqa: E402
from optout_bot.mock_site import MockMeta, Scenario  # noqa: E402
from optout_bot.records import ledger as ledger_module  # noqa: E402
from optout_bot.records.authorities import authority_for  # noqa: E402
from optout_bot.records.ledger import Ledger, Outcome  # noqa: E402
from optout_bot.records.letters import complaint_letter, render, unanswered_objection  # noqa: E402
from optout_bot.records.report import render_report  # noqa: E402
from optout_bot.settings.config import Account, Config  # noqa: E402
from tests.support.chromium import QUIET_ARGS, system_chromium  # noqa: E402

FORM = "https://help.instagram.com/contact/767264225370182"
WIDTH, PAGE_HEIGHT = 900, 1270  # about an A4 page at that width
EMAIL = {"en": "jane.objects@example.net", "fr": "jeanne.oppose@example.net"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--lang", action="append", choices=["en", "fr"], help="default: en and fr")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["TZ"] = "Europe/Paris"
    time.tzset()
    with sync_playwright() as playwright, MockMeta() as site:
        browser = playwright.chromium.launch(
            executable_path=system_chromium(), args=[*QUIET_ARGS, *site.chromium_args()]
        )
        for lang in args.lang or ["en", "fr"]:
            with tempfile.TemporaryDirectory(prefix="optout-bot-proof-") as folder:
                report, letter = documents(browser, site, lang, Path(folder))
                for name, html in (("report", report), ("letter", letter)):
                    path = args.out / f"{name}-{lang}.png"
                    shoot(browser, html, path)
                    print(path)
        browser.close()


def documents(browser: Browser, site: MockMeta, lang: str, folder: Path) -> tuple[str, str]:
    """The report and the complaint letter, as HTML, from a ledger like a person's."""
    use_language(lang)
    site.reset(Scenario(lang=lang, prefill_email=False))
    receipt = folder / "receipts" / "20261206-140512-personal-instagram-confirmation.png"
    receipt.parent.mkdir(parents=True)
    shot, confirmation = confirmation_screenshot(browser, lang)
    receipt.write_bytes(shot)
    ledger_path = folder / "ledger.sqlite3"
    now = datetime.now(UTC).replace(microsecond=0)
    with Ledger.open(ledger_path) as ledger:
        with clock(now - timedelta(days=40)):
            sent = ledger.start_run("work", "facebook", dry_run=False)
            ledger.record_submission(sent, (("Email address" if lang == "en" else "Adresse e-mail", EMAIL[lang]),))
            ledger.finish_run(sent, Outcome.UNCONFIRMED, 4, "https://www.facebook.com/help/contact/712876720715583",
                              "privacy-topics", None, None, account_shown="Jane Doe")  # fmt: skip
        with clock(now - timedelta(minutes=3)):
            run = ledger.start_run("personal", "instagram", dry_run=False)
        with clock(now - timedelta(minutes=1)):
            label = "Email address" if lang == "en" else "Adresse e-mail"
            ledger.record_submission(run, ((label, EMAIL[lang]),), "Jane Doe")
        with clock(now):
            ledger.finish_run(run, Outcome.CONFIRMED, 0, FORM, "settings-privacy-center", confirmation, receipt,
                              confirmation_url=FORM)  # fmt: skip
    config = Config(
        email="jane.settings@example.com", country="FR", language="fr" if lang == "fr" else "en",
        full_name="Jane Doe", accounts=(Account(name="personal", platform="instagram"),),
    )  # fmt: skip
    report = render_report(config, "html", ledger_path)
    objection = unanswered_objection(config, "work", "facebook", 30, ledger_path=ledger_path)
    letter = render(complaint_letter(objection, config, authority_for("FR")), "html")
    return report, letter


def confirmation_screenshot(browser: Browser, lang: str) -> tuple[bytes, str]:
    """The mock's confirmation page after its form is sent (the receipt the report embeds), and its words."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1000, "height": 620}, locale=lang)
    page = context.new_page()
    page.goto(FORM)
    page.locator("form input[type=email]").fill(EMAIL[lang])
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state("load")
    shot = page.screenshot()
    words = " ".join(page.locator("main p").first.inner_text().split())
    context.close()
    return shot, words


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Every ledger write dated `moment`, as if it had happened then."""
    real = ledger_module._now
    ledger_module._now = lambda: moment.isoformat(timespec="seconds")
    try:
        yield
    finally:
        ledger_module._now = real


def shoot(browser: Browser, html: str, path: Path) -> None:
    """The document's first page as a person sees it opened in a browser."""
    context = browser.new_context(viewport={"width": WIDTH, "height": PAGE_HEIGHT}, device_scale_factor=1)
    page = context.new_page()
    page.set_content(html, wait_until="load")
    page.screenshot(path=str(path))
    context.close()


if __name__ == "__main__":
    main()
