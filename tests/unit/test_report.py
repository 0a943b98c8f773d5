"""`optout-bot report`: the proof a person attaches to a complaint, from a real ledger, opened in a real browser."""

from __future__ import annotations

import base64
import hashlib
import re
import stat
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from optout_bot import __version__
from optout_bot.errors import ExitStatus, UsageError
from optout_bot.records.ledger import Ledger, Outcome
from optout_bot.records.report import md_escape, md_quote, new_report_path, render_report, write_report
from optout_bot.settings.config import Account, Config, load_config, write_config
from tests.unit.test_status import (
    CONFIRMATION,
    FORM_URL,
    SETTING_URL,
    ledger_clock,
    local_time_zone,
    png,
    receipt_file,
    record,
    setting_record,
)

HOSTILE = "Thanks <script>alert('pwned')</script> & *bold* [click](javascript:alert(1)) | `code`\n# Not a heading"
NO_RUN = "no run recorded yet: run `optout-bot run --platform instagram` (or facebook) first"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def settings(tmp_path: Path) -> Config:
    config = Config(
        email="jane@example.com",
        accounts=(
            Account(name="personal", platform="instagram"),
            Account(name="work", platform="facebook", email="jane@work.example.org"),
        ),
    )
    return load_config(write_config(config, tmp_path / "config.toml"))


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ledger.sqlite3"


@pytest.fixture
def receipt(tmp_path: Path) -> Path:
    return receipt_file(tmp_path)


@pytest.fixture
def history(ledger_path: Path, receipt: Path) -> Path:
    """personal: a rehearsal, a run not submitted, then Meta's confirmation; work: only a failed attempt."""
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.DRY_RUN_READY)
        record(ledger, "personal", "instagram", Outcome.NOT_SUBMITTED)
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, CONFIRMATION)
        record(ledger, "work", "facebook", Outcome.NOT_OFFERED)
    return ledger_path


# --- Content ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_report_holds_the_proof(fmt: str, settings: Config, history: Path, receipt: Path) -> None:
    text = render_report(settings, "html" if fmt == "html" else "md", history)
    with Ledger.open(history) as ledger:
        confirmed = ledger.confirmed("personal", "instagram")
    assert confirmed is not None and confirmed.ended_at is not None
    iso = confirmed.ended_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    unescape = (lambda t: t.replace("&#x27;", "'")) if fmt == "html" else (lambda t: t.replace("\\", ""))

    assert f"optout-bot {__version__}" in text
    # The settings' emails are not facts of the objection: what the form carried is (recorded when it was sent).
    assert "jane@example.com" not in text and "jane@work.example.org" not in text
    assert "submitted Meta's objection form themselves" in unescape(text)
    assert "optout-bot only walked to the form, pre-filled it" in text
    assert f"ISO 8601: {iso}" in text and " (UTC" in text
    assert "Meta Platforms Ireland Limited" in text and "Article 21" in text
    assert FORM_URL in text
    assert CONFIRMATION in unescape(text)
    assert f"data:image/png;base64,{base64.b64encode(receipt.read_bytes()).decode()}" in text
    assert hashlib.sha256(receipt.read_bytes()).hexdigest() in text
    assert receipt.name in unescape(text) and str(receipt.parent) not in unescape(text)  # no folder of this computer
    # The history of each account, and the account that has no confirmed objection says so.
    for words in ("dry run: form ready", "not submitted", "confirmed", "not offered by Meta"):
        assert words in text
    assert "No confirmed objection is recorded for this account." in text
    assert "no confirmed objection" in text  # in the summary, for work


def test_a_configured_account_never_run_is_listed_as_such(settings: Config, ledger_path: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.NOT_SUBMITTED)
    text = render_report(settings, "md", ledger_path)
    assert "## work — Facebook" in text
    assert "optout-bot has never been run for this account." in text
    assert "| work | Facebook | never run |" in text


def test_times_are_local_and_utc(history: Path, settings: Config) -> None:
    with local_time_zone("IST-5:30"):
        text = render_report(settings, "html", history)
    assert "(UTC+5:30) — ISO 8601: " in text


# --- Other flows, and settings ---------------------------------------------------------------------------------


@pytest.fixture
def mixed(ledger_path: Path, receipt: Path) -> Path:
    """work: Meta's own form not offered, the third-party form confirmed; pro: a LinkedIn setting switched off,
    then found on again by `verify`; tweets: an X setting only ever seen on."""
    with local_time_zone("UTC0"), Ledger.open(ledger_path) as ledger:
        with ledger_clock("2025-06-01T09:00:00"):
            record(ledger, "work", "facebook", Outcome.NOT_OFFERED)
            record(ledger, "work", "facebook", Outcome.CONFIRMED, receipt, CONFIRMATION, flow="third-party")
            setting_record(ledger, "pro", "linkedin", "on", "off", receipt=receipt)
            setting_record(ledger, "tweets", "x", "on", None, Outcome.DRY_RUN_READY)
        with ledger_clock("2025-06-10T09:00:00"):
            ledger.record_check("pro", "linkedin", "off", SETTING_URL)
        with ledger_clock("2025-07-01T09:00:00"):
            ledger.record_check("pro", "linkedin", "on", SETTING_URL)
    return ledger_path


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_settings_and_other_flows_are_in_the_report(fmt: str, settings: Config, mixed: Path) -> None:
    with local_time_zone("UTC0"):
        text = render_report(settings, "html" if fmt == "html" else "md", mixed)
    unescape = (lambda t: t.replace("&#x27;", "'")) if fmt == "html" else (lambda t: t.replace("\\", ""))
    plain = unescape(text)

    # Several companies: a title for all of them; what the person did, for forms and for settings.
    assert "Objections to the use of personal data for AI training: proof" in plain
    assert "submitted Meta's objection form themselves" in plain
    assert "optout-bot never switches a setting: where a setting was on, the person switched it off themselves" in plain
    # Each flow of an account is its own section, with its own attempts.
    assert "work — Facebook (third-party)" in plain and "Objection confirmed by Meta" in plain
    assert "work — Facebook" in plain and "not offered by Meta" in plain
    # The setting switched back on comes first in its section, with what to do.
    pro = plain[plain.index("pro — LinkedIn") :]
    warning = "SWITCHED BACK ON: off on 2025-06-10, on again by 2025-07-01. Switch it off yourself: optout-bot run"
    assert pro.index(warning) < pro.index("Setting seen off by optout-bot")
    assert "Setting in that run" in pro and "on → off" in pro
    assert "Screenshot of the setting switched off, for pro on LinkedIn" in pro
    assert "Checks by optout-bot (verify)" in pro
    assert "2025-06-10 09:00" in pro and "2025-07-01 09:00" in pro
    tweets = plain[plain.index("tweets — X") :]
    assert "on, never seen off. Switch it off yourself: optout-bot run --account tweets --platform x" in tweets
    assert "dry run: on" in tweets and "No confirmed objection" not in tweets
    # In the summary.
    assert "setting SWITCHED BACK ON: off on 2025-06-10, on again by 2025-07-01" in plain
    assert "setting on, never seen off" in plain


def test_a_setting_seen_on_stands_out_in_html(settings: Config, mixed: Path) -> None:
    text = render_report(settings, "html", mixed)
    assert '<p class="problem">SWITCHED BACK ON' in text
    assert '<tr class="problem"><td>2025-07-01 09:00</td><td>on</td></tr>' in text
    assert "<tr><td>2025-06-10 09:00</td><td>off</td></tr>" in text


def test_a_setting_seen_on_stands_out_in_markdown(settings: Config, mixed: Path) -> None:
    text = render_report(settings, "md", mixed)
    assert "**SWITCHED BACK ON: off on 2025-06-10, on again by 2025-07-01. Switch it off yourself:" in text
    assert "| **2025-07-01 09:00** | **on** |" in text and "| 2025-06-10 09:00 | off |" in text


def test_a_report_of_one_companys_settings_names_it(ledger_path: Path, receipt: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        setting_record(ledger, "pro", "linkedin", "off", "off", receipt=receipt)
    text = render_report(Config(), "md", ledger_path).replace("\\", "")
    assert text.startswith("# Objection to LinkedIn's use of personal data for AI training: proof")
    assert "objection form" not in text  # no form in this report
    assert "Setting in that run:** already off" in text


# --- Escaping ---------------------------------------------------------------------------------------------------


def test_html_escapes_what_comes_from_the_ledger(settings: Config, ledger_path: Path, receipt: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, HOSTILE)
    text = render_report(settings, "html", ledger_path)
    assert "<script" not in text and "javascript:alert(1)" in text  # present as words, never as markup
    assert "Thanks &lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt; &amp; *bold*" in text
    assert "Content-Security-Policy" in text  # and even a slip could not run or fetch anything


def test_markdown_escapes_what_comes_from_the_ledger(settings: Config, ledger_path: Path, receipt: Path) -> None:
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, HOSTILE)
    text = render_report(settings, "md", ledger_path)
    assert "<script>" not in text and "[click]" not in text and "*bold*" not in text
    quoted = r"> Thanks \<script\>alert('pwned')\</script\> \& \*bold\* \[click\](javascript:alert(1)) \| \`code\`"
    assert quoted in text
    assert "> \\# Not a heading" in text  # each line of Meta's text stays inside the quote


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("1. not a list", "1\\. not a list"),
        ("- not an item", "\\- not an item"),
        ("+ nor this", "\\+ nor this"),
        ("=== no underline", "\\=== no underline"),
        ("a_b*c", "a\\_b\\*c"),
        ("x\ny", "x y"),
        ("<b>&amp;</b>", "\\<b\\>\\&amp;\\</b\\>"),
    ],
)
def test_markdown_escaping(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_markdown_quote_keeps_every_line_quoted() -> None:
    # A blank line stays a paragraph break; other line breaks stay line breaks (a trailing backslash).
    assert md_quote("first\n\n  - second\n> third") == "> first\n>\n> \\- second\\\n> \\> third"


# --- Receipts that are not there --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_missing_receipt_is_said_not_a_crash(fmt: str, settings: Config, ledger_path: Path, tmp_path: Path) -> None:
    gone = tmp_path / "receipts" / "gone.png"
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, gone, CONFIRMATION)
    text = render_report(settings, "html" if fmt == "html" else "md", ledger_path)
    escaped = md_escape(gone.name) if fmt == "md" else gone.name
    assert f"receipt file missing: {escaped}" in text
    assert "data:image" not in text and str(tmp_path) not in text  # the file's name, never this computer's folders


def test_an_unreadable_receipt_is_said_not_a_crash(settings: Config, ledger_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.png"  # a folder where a file should be: reading it fails even as root
    folder.mkdir()
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, folder, CONFIRMATION)
    assert f"receipt file unreadable: {folder.name} (" in render_report(settings, "html", ledger_path)


def test_a_receipt_that_is_not_an_image_gets_its_hash_but_no_picture(
    settings: Config, ledger_path: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not a picture")
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, junk, CONFIRMATION)
    text = render_report(settings, "html", ledger_path)
    assert f"receipt file is not a PNG or JPEG image: {junk.name}" in text
    assert hashlib.sha256(b"not a picture").hexdigest() in text and "<img" not in text


# --- Nothing to prove -------------------------------------------------------------------------------------------


def test_no_ledger_is_a_usage_error_and_creates_none(settings: Config, ledger_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        render_report(settings, "html", ledger_path)
    assert (caught.value.message, caught.value.status) == (NO_RUN, ExitStatus.USAGE)
    assert not ledger_path.exists()


def test_an_empty_ledger_is_the_same_usage_error(settings: Config, ledger_path: Path) -> None:
    Ledger.open(ledger_path).close()
    with pytest.raises(UsageError, match=re.escape(NO_RUN)):
        render_report(settings, "md", ledger_path)


# --- Writing ----------------------------------------------------------------------------------------------------


def test_a_report_is_written_whole_and_private(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("an older report")
    path.chmod(0o644)
    assert write_report("<p>new</p>\n", path) == path
    assert path.read_text() == "<p>new</p>\n" and mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left behind


def test_writing_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"cannot write the report .*/nowhere/report.md: No such file or directory"):
        write_report("text", tmp_path / "nowhere" / "report.md")


def test_default_reports_are_new_files_in_the_private_reports_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first = write_report("one", new_report_path("html"))
    second = write_report("two", new_report_path("html"))  # within the same second, most likely
    assert first != second and first.read_text() == "one"
    assert first.parent == second.parent == tmp_path / "data" / "optout-bot" / "reports"
    assert mode(first.parent) == 0o700
    assert re.fullmatch(r"\d{8}-\d{6}-objection-report(-\d+)?\.html", second.name)
    assert new_report_path("md").suffix == ".md"


# --- In a real browser ------------------------------------------------------------------------------------------


def test_the_html_report_renders_in_chromium(page: Page, settings: Config, ledger_path: Path, tmp_path: Path) -> None:
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(png(320, 180, (20, 160, 90)))
    with Ledger.open(ledger_path) as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, receipt, HOSTILE)
    report = write_report(render_report(settings, "html", ledger_path), tmp_path / "report.html")

    page.goto("about:blank")
    blank = page.screenshot(full_page=True)
    page.goto(report.as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Objection to Meta's use of personal data for AI training: proof"
    )
    expect(page.get_by_text("Thanks <script>alert('pwned')</script>")).to_be_visible()  # shown, not run
    assert page.locator("script").count() == 0
    image = page.get_by_role("img", name="Screenshot of Meta's confirmation for personal on Instagram")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 320  # decoded, not a broken picture
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate("document.characterSet") == "UTF-8"
    shot = page.screenshot(full_page=True)
    assert shot.startswith(b"\x89PNG") and shot != blank and len(shot) > len(blank)
    (tmp_path / "report-screenshot.png").write_bytes(shot)  # for a person looking at a failed run


# --- What an authority asks of a proof (issue 17.3) ---------------------------------------------------------------


def _proof_run(ledger_path: Path, receipt: Path, platform: str = "instagram") -> None:
    with Ledger.open(ledger_path) as ledger:
        run_id = ledger.start_run("personal", platform, dry_run=False)
        ledger.record_submission(run_id, (("Email address", "typed@example.net"), ("Country", "France")), "Jane Doe")
        ledger.finish_run(
            run_id, Outcome.CONFIRMED, 0, FORM_URL, "settings-privacy-center", CONFIRMATION, receipt,
            confirmation_url=FORM_URL + "?done=1",
        )  # fmt: skip


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_what_was_submitted_is_shown_not_the_settings(
    fmt: str, settings: Config, ledger_path: Path, receipt: Path
) -> None:
    _proof_run(ledger_path, receipt)
    text = render_report(settings, "html" if fmt == "html" else "md", ledger_path).replace("\\", "")
    assert "Submitted in the form" in text and "typed@example.net" in text and "France" in text
    assert "jane@example.com" not in text
    assert "Account as the site named it" in text and "Jane Doe" in text
    assert "Confirmation page" in text and "Submitted on" in text
    assert "Meta Platforms Ireland Limited, Merrion Road, Dublin 4, D04 X2K5, Ireland" in text
    assert "Objection under Article 21 of the General Data Protection Regulation (GDPR)" in text
    assert "Attach Meta's confirmation email too" in text.replace("&#x27;", "'")


def test_a_person_in_the_uk_objected_under_the_uk_gdpr(tmp_path: Path, ledger_path: Path, receipt: Path) -> None:
    config = load_config(write_config(Config(country="GB", accounts=()), tmp_path / "uk.toml"))
    _proof_run(ledger_path, receipt, platform="linkedin")  # a form on LinkedIn: its UK controller is another
    text = render_report(config, "md", ledger_path)
    assert "Objection under Article 21 of the UK GDPR" in text and "LinkedIn Corporation" in text


def test_an_older_run_says_what_it_did_not_record(settings: Config, history: Path) -> None:
    text = render_report(settings, "html", history)
    assert "not recorded (the run was made by an older optout-bot)" in text  # never the settings' email instead


def test_a_setting_shows_its_controller_what_was_switched_and_its_state_after(
    settings: Config, ledger_path: Path, receipt: Path
) -> None:
    with Ledger.open(ledger_path) as ledger:
        run_id = ledger.start_run("pro", "linkedin", dry_run=False)
        ledger.finish_run(
            run_id, Outcome.CONFIRMED, 0, "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
            "direct", None, receipt, setting_before="on", setting_after="off", account_shown="Jane Doe",
            setting_label="Use my data for training content creation AI models",
        )  # fmt: skip
    text = render_report(settings, "md", ledger_path).replace("\\", "")
    assert "LinkedIn Ireland Unlimited Company" in text and "Jane Doe" in text
    assert "Setting switched:** Use my data for training content creation AI models" in text
    assert "on → off" in text and hashlib.sha256(receipt.read_bytes()).hexdigest() in text
    assert "Attach" not in text  # no confirmation email comes of a setting
