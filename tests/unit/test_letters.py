"""`optout-bot letter reminder|complaint`: drafts built from a real ledger and a real settings file, through the
command itself (click's CliRunner, in this process), and the tables of authorities and controllers they use."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from optout_bot.i18n import use_language
from optout_bot.platforms import PLATFORMS
from optout_bot.records.authorities import authorities, authority_for, controllers
from optout_bot.records.ledger import Ledger, Outcome
from optout_bot.settings.config import Account, Config, write_config
from tests.e2e.cli import Home
from tests.unit.test_status import FORM_URL, ledger_clock, receipt_file, record, setting_record

# The EU's 27, the EEA's 3 others, the United Kingdom and Switzerland.
EU = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
}
COUNTRIES = {*EU, "IS", "LI", "NO", "GB", "CH"}
SENT = "2026-01-05T09:30:00"  # long enough ago for the default 30 days, whenever the tests run


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str]) -> Invoke:
    """`optout-bot letter …` through the program's own entry point (its one-line errors and exit codes), in this
    process; what it printed, and its exit code."""
    from optout_bot.cli.app import main

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main(["letter", *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def settings(home: Home, country: str | None = "FR", **values: Any) -> Config:
    config = Config(
        email="jane@example.com",
        country=country,
        full_name="Jane Doe",
        accounts=(Account(name="personal", platform="instagram"), Account(name="pro", platform="linkedin")),
        **values,
    )
    write_config(config, home.root / "config" / "optout-bot" / "config.toml")
    return config


def sent_objection(home: Home, moment: str = SENT, account: str = "personal", platform: str = "instagram") -> None:
    """A run that saw the person's form sent, without the platform's confirmation, dated `moment` (UTC)."""
    with ledger_clock(moment), Ledger.open(home.data / "ledger.sqlite3") as ledger:
        record(ledger, account, platform, Outcome.UNCONFIRMED)


@pytest.fixture
def french() -> Iterator[None]:
    use_language("fr")
    try:
        yield
    finally:
        use_language("en")


# --- The tables -------------------------------------------------------------------------------------------------


def test_every_eu_eea_country_the_uk_and_switzerland_have_one_authority_with_its_sources() -> None:
    table = authorities()
    assert set(table) == COUNTRIES
    for authority in table.values():
        # The dataset's record at a fixed commit, then the authority's own pages it cites.
        assert authority.source[0].startswith("https://github.com/datenanfragen/data/blob/")
        assert all(address.startswith(("https://", "http://")) for address in authority.source)
        assert authority.postal_address.strip() and authority.website.startswith("http")


def test_every_platform_has_a_controller_with_its_source() -> None:
    table = controllers()
    assert set(table) == set(PLATFORMS)
    assert table["instagram"].name == table["facebook"].name == "Meta Platforms Ireland Limited"
    assert table["whatsapp"].name == "WhatsApp Ireland Limited"
    assert table["linkedin"].name == "LinkedIn Ireland Unlimited Company"
    assert table["linkedin"].for_country("GB")[0] == "LinkedIn Corporation"
    assert table["x"].name == "Twitter International Unlimited Company"


@pytest.mark.parametrize(
    ("country", "named"),
    [
        ("FR", "Commission nationale de l'informatique et des libertés (CNIL)"),
        # One row for Germany, the federal BfDI: the settings know no Land, and BDSG § 19(2) has it pass the
        # complaint on to the competent authority (authorities.yaml says why).
        ("DE", "Die Bundesbeauftragte für den Datenschutz und die Informationsfreiheit"),
        ("IE", "Data Protection Commission"),
        ("GB", "Information Commissioner's Office (ICO)"),
        ("CH", "Eidgenössischer Datenschutz- und Öffentlichkeitsbeauftragter (EDÖB)"),
        ("fr", "Commission nationale de l'informatique et des libertés (CNIL)"),  # as typed
    ],
)
def test_the_authority_is_chosen_from_the_country(home: Home, country: str, named: str, invoke: Invoke) -> None:
    assert authority_for(country).name_local.startswith(named)
    settings(home, country="IT")  # --country wins over the settings
    sent_objection(home)
    result = invoke("complaint", "--account", "personal", "--country", country)
    assert result.exit_code == 0, result.output
    recipient = result.stdout.split("\n\n")[1]
    assert recipient.startswith(named)
    assert authority_for(country).postal_address.splitlines()[0] in recipient


def test_the_complaint_goes_to_the_authority_of_the_settings_country(home: Home, invoke: Invoke) -> None:
    settings(home, country="IE")
    sent_objection(home)
    result = invoke("complaint", "--account", "personal")
    assert result.exit_code == 0
    assert "Data Protection Commission (DPC)\n21 Fitzwilliam Square South" in result.stdout
    assert "under Article 77 of the General Data Protection Regulation (GDPR) against Meta Platforms Ireland" in (
        result.stdout
    )


def test_switzerland_and_the_uk_are_asked_under_their_own_law(home: Home, invoke: Invoke) -> None:
    settings(home)
    sent_objection(home)
    swiss = invoke("complaint", "--account", "personal", "--country", "CH").stdout
    assert "Federal Act on Data Protection (FADP)" in swiss and "Article 77" not in swiss
    british = invoke("complaint", "--account", "personal", "--country", "GB").stdout
    assert "Article 77 of the UK GDPR" in british


# --- The facts quoted -------------------------------------------------------------------------------------------


def test_the_reminder_quotes_the_ledgers_facts_and_goes_to_the_controller(
    home: Home, tmp_path: Path, invoke: Invoke
) -> None:
    settings(home)
    receipt = receipt_file(tmp_path, "sent.png")
    with ledger_clock(SENT), Ledger.open(home.data / "ledger.sqlite3") as ledger:
        record(ledger, "personal", "instagram", Outcome.UNCONFIRMED, receipt)
    with ledger_clock("2026-01-07T10:00:00"), Ledger.open(home.data / "ledger.sqlite3") as ledger:
        record(ledger, "personal", "instagram", Outcome.UNCONFIRMED)
    result = invoke("reminder", "--account", "personal")
    assert result.exit_code == 0, result.output
    letter = result.stdout
    assert letter.startswith("Jane Doe\njane@example.com\n\nMeta Platforms Ireland Limited\nMerrion Road\n")
    assert "On 5 January 2026, I objected under Article 21 of the General Data Protection Regulation" in letter
    assert "- Objection sent: 5 January 2026 (2026-01-05T09:30:00 UTC)" in letter
    assert "- Sent again: 7 January 2026" in letter
    assert f"- Form used: {FORM_URL}\n" in letter
    assert (
        f"- SHA-256 of the screenshot taken when the form was sent: {hashlib.sha256(receipt.read_bytes()).hexdigest()}"
        in letter
    )
    assert "- Email address of my account: jane@example.com" in letter
    # Nothing of this computer: no path (the receipt's, the ledger's), and the ledger's name for the account is
    # said to the person only.
    assert str(tmp_path) not in letter and str(home.root) not in letter and "'personal'" not in letter
    assert "This is a draft" in result.stderr and "optout-bot calls 'personal' (Instagram)" in result.stderr


def test_without_a_name_the_letter_leaves_a_place_for_it(home: Home, invoke: Invoke) -> None:
    write_config(Config(country="FR"), home.root / "config" / "optout-bot" / "config.toml")
    sent_objection(home)
    letter = invoke("reminder", "--account", "personal", "--platform", "instagram").stdout
    assert letter.startswith("[your name]\n[the email address of your account]\n")


# --- Refusals: one line, exit 2 ---------------------------------------------------------------------------------


def refused(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    return str(lines[0])


def test_a_confirmed_objection_is_not_followed_up(home: Home, invoke: Invoke) -> None:
    settings(home)
    sent_objection(home)
    with ledger_clock("2026-01-06T08:00:00"), Ledger.open(home.data / "ledger.sqlite3") as ledger:
        record(ledger, "personal", "instagram", Outcome.CONFIRMED, confirmation_text="We received it.")
    for kind in ("reminder", "complaint"):
        line = refused(invoke(kind, "--account", "personal"))
        assert "confirmed the objection of 'personal' on 6 January 2026" in line


def test_too_early_says_when_a_letter_is_due(home: Home, invoke: Invoke) -> None:
    settings(home)
    sent_objection(home)
    line = refused(invoke("reminder", "--account", "personal", "--days", "100000"))
    assert "was sent on 5 January 2026" in line and "give Meta 100000 days" in line
    assert invoke("reminder", "--account", "personal", "--days", "0").exit_code == 0


def test_no_run_recorded_is_refused(home: Home, invoke: Invoke) -> None:
    settings(home)
    line = refused(invoke("reminder", "--account", "personal"))
    assert "no run recorded for the account 'personal'" in line
    assert not (home.data / "ledger.sqlite3").exists()  # looking created no ledger
    sent_objection(home, account="other")
    assert "no run recorded for the account 'personal'" in refused(invoke("complaint", "--account", "personal"))


def test_a_form_never_sent_is_refused(home: Home, invoke: Invoke) -> None:
    settings(home)
    with Ledger.open(home.data / "ledger.sqlite3") as ledger:
        record(ledger, "personal", "instagram", Outcome.NOT_SUBMITTED)
        record(ledger, "personal", "instagram", Outcome.DRY_RUN_READY)
    assert "has no objection sent for 'personal'" in refused(invoke("reminder", "--account", "personal"))


def test_a_setting_has_no_objection_to_follow_up(home: Home, invoke: Invoke) -> None:
    settings(home)
    with Ledger.open(home.data / "ledger.sqlite3") as ledger:
        setting_record(ledger, "pro", "linkedin", before="on", after="off")
    assert "is a setting, not an objection form" in refused(invoke("reminder", "--account", "pro"))


@pytest.mark.parametrize("country", ["ZZ", "US", "France"])
def test_an_unknown_country_is_refused(home: Home, country: str, invoke: Invoke) -> None:
    settings(home)
    sent_objection(home)
    line = refused(invoke("complaint", "--account", "personal", "--country", country))
    assert "knows no data-protection authority for the country" in line and "FR" in line


def test_no_country_in_the_settings_is_refused(home: Home, invoke: Invoke) -> None:
    settings(home, country=None)
    sent_objection(home)
    assert "--country" in refused(invoke("complaint", "--account", "personal"))


# --- Languages, formats, files ----------------------------------------------------------------------------------


def test_the_letters_are_in_french_for_a_french_speaker(home: Home, french: None, invoke: Invoke) -> None:
    settings(home)
    sent_objection(home)
    reminder = invoke("reminder", "--account", "personal")
    assert reminder.exit_code == 0
    assert "Le 5 janvier 2026, je me suis opposée" in reminder.stdout or "Le 5 janvier 2026" in reminder.stdout
    assert "article 21 du règlement général sur la protection des données (RGPD)" in reminder.stdout
    assert "Madame, Monsieur," in reminder.stdout
    complaint = invoke("complaint", "--account", "personal")
    assert "Commission nationale de l'informatique et des libertés (CNIL)" in complaint.stdout
    assert "article 77 du règlement général sur la protection des données" in complaint.stdout
    assert "brouillon" in complaint.stderr
    refusal = refused(invoke("reminder", "--account", "personal", "--days", "100000"))
    assert "envoyée le 5 janvier 2026" in refusal


def test_the_letter_written_to_a_file_is_private(home: Home, tmp_path: Path, invoke: Invoke) -> None:
    settings(home)
    sent_objection(home)
    out = tmp_path / "letters" / "complaint.html"
    out.parent.mkdir()
    result = invoke("complaint", "--account", "personal", "--format", "html", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout == f"Letter written: {out}\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "<dt>Objection sent:</dt><dd>5 January 2026 (2026-01-05T09:30:00 UTC)</dd>" in page
    assert "Commission nationale de l&#x27;informatique et des libertés (CNIL)" in page


def test_markdown_keeps_the_address_lines_and_escapes(home: Home, invoke: Invoke) -> None:
    settings(home)
    sent_objection(home)
    letter = invoke("reminder", "--account", "personal", "--format", "md").stdout
    assert "Meta Platforms Ireland Limited\\\nMerrion Road\\\n" in letter
    assert "- **Objection sent:** 5 January 2026 (2026-01-05T09:30:00 UTC)" in letter
