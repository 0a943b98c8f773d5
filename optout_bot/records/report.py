"""`optout-bot report`: a self-contained proof of the person's objections, to attach to a complaint.

One file (HTML, or Markdown) holding, per account and flow, what a data-protection authority asks of a proof
(issue 17.3): the platform's controller and the legal basis (an objection under Article 21 GDPR, or the UK GDPR),
when the platform confirmed the objection (for people in their language, and in ISO 8601), the account as the
site named it, the values the form carried when the person sent it (not the settings: the person may change
anything before clicking), the form's and the confirmation page's addresses, the platform's confirmation text,
the receipt screenshot embedded as a data: URI with its file's name and SHA-256 (never a folder of this
computer), a reminder to attach the platform's confirmation email, and the account's attempts. For a setting
(LinkedIn's, X's AI-training switch): its controller, the account, the setting's name, when it was seen off, its
state before and after that run, its receipt and what `optout-bot verify` saw since — a setting seen back on is
said first, in red. It must stand on its own in an email to a
data-protection authority: no external resource, nothing to run, and everything taken from the ledger escaped
(a confirmation text is the platform's page's words, not ours). The HTML also forbids scripts and outside
requests by its own CSP.

A report is written atomically with mode 0600 — it shows the person's accounts — so a crash leaves either
no report or a whole one.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from optout_bot import __version__
from optout_bot.errors import UsageError
from optout_bot.i18n import N_, _, current_language
from optout_bot.paths import make_private, read_regular_file, timestamped_file
from optout_bot.platforms import platform_name, site_of
from optout_bot.records.authorities import UK, authorities, controller_of
from optout_bot.records.dates import iso_utc, people_datetime
from optout_bot.records.ledger import OWN_FLOW, SETTING_ON, Ledger, RunRecord, SettingCheck
from optout_bot.records.status import (
    PLATFORM_FLOW,
    SETTING_FIX,
    AccountStatus,
    account_statuses,
    existing_ledger,
    fix_command,
    outcome_time,
    outcome_words,
    setting_summary,
    setting_words,
    short_local,
    state_words,
)
from optout_bot.settings.config import Config

Format = Literal["html", "md"]
FORMATS: tuple[Format, ...] = ("html", "md")
SUFFIXES: dict[Format, str] = {"html": ".html", "md": ".md"}
REPORTS_FOLDER = "reports"
REPORT_STEM = "objection-report"

# --- Words shown to the person (all here; marked N_ for the catalogue, translated by _() when shown) -------------

TITLE = N_("Objection to {company}'s use of personal data for AI training: proof")
TITLE_ANY = N_("Objections to the use of personal data for AI training: proof")
SELF_SUBMITTED = N_(
    "The person who made this report submitted {company}'s objection form themselves, in their own browser; "
    "optout-bot only walked to the form, pre-filled it, and kept {company}'s confirmation as a receipt."
)
SELF_SUBMITTED_ANY = N_(
    "The person who made this report submitted each objection form themselves, in their own browser; "
    "optout-bot only walked to the form, pre-filled it, and kept the platform's confirmation as a receipt."
)
SELF_SWITCHED = N_(
    "optout-bot never switches a setting: where a setting was on, the person switched it off themselves, in "
    "their own browser; optout-bot only walked to it, read its state, and kept a screenshot of it, off, as a receipt."
)
MADE_BY = N_("Made by")
MADE_ON = N_("Made on")
TIMES_NOTE = N_(
    "Times are given in the local time of the computer that made this report, with its offset from UTC, and in "
    "ISO 8601 (UTC)."
)
HASH_NOTE = N_("A receipt's SHA-256 identifies its file: anyone can compute it again to check the file is the same.")
SUMMARY = N_("Summary")
ACCOUNT = N_("Account")
PLATFORM = N_("Platform")
OBJECTION = N_("Objection")
CONFIRMED_ON = N_("confirmed on {when}")
NOT_CONFIRMED = N_("no confirmed objection")
NOT_RUN = N_("never run")
SETTING_SUMMARY = N_("setting {summary}")  # the summary table's cell: "setting off, last seen off 2026-12-20"
CONFIRMED_AT = N_("Objection confirmed by {company}")
CONTROLLER = N_("Controller")
LEGAL_BASIS = N_("Legal basis")
BASIS_GDPR = N_("Objection under Article 21 of the General Data Protection Regulation (GDPR)")
BASIS_UK_GDPR = N_("Objection under Article 21 of the UK GDPR")
BASIS_FADP = N_(
    "Objection under Article 21 GDPR, made on {company}'s form for the European Region; in Switzerland, the Federal "
    "Act on Data Protection (FADP), Article 30(2)(b)"
)
ACCOUNT_SHOWN = N_("Account as the site named it")
NOT_SHOWN = N_("not recorded (the site showed no account name, or the run was made by an older optout-bot)")
SUBMITTED = N_("Submitted in the form")
SUBMITTED_AT = N_("Submitted on")
NOT_SUBMITTED_RECORDED = N_("not recorded (the run was made by an older optout-bot)")
CONFIRMATION_ADDRESS = N_("Confirmation page")
ATTACH_EMAIL = N_(
    "Attach {company}'s confirmation email too: it went to the email address submitted in the form, and says which "
    "accounts the objection covers."
)
SETTING_NAME = N_("Setting switched")
FORM_ADDRESS = N_("Form address")
CONFIRMATION_TEXT = N_("{company}'s confirmation")
NO_CONFIRMATION_TEXT = N_("(not recorded)")
SETTING_STATE = N_("Setting now")
SETTING_OFF_AT = N_("Setting seen off by optout-bot")
SETTING_RUN = N_("Setting in that run")
SETTING_ADDRESS = N_("Setting's address")
# A label of the proof, not a command to paste: written so that invocation.as_typed leaves it as it is.
LAST_CHECK = N_("Last check by optout-bot (verify)")
NO_CHECK = N_("none yet")
CHECK_STATE = N_("{state} — {when}")
SETTING_NEVER_OFF = N_("The setting has not been seen off for this account.")
CHECKS = N_("Checks by optout-bot (verify)")
STATE = N_("State")
RECEIPT = N_("Receipt")
RECEIPT_SHA256 = N_("Receipt SHA-256")
RECEIPT_FILE = N_("{name} (the file kept by optout-bot; the picture is below)")
RECEIPT_ALT = N_("Screenshot of {company}'s confirmation for {account} on {platform}")
RECEIPT_CAPTION = N_("Receipt: the screenshot optout-bot took when {company}'s confirmation appeared.")
RECEIPT_ALT_SETTING = N_("Screenshot of the setting switched off, for {account} on {platform}")
RECEIPT_CAPTION_SETTING = N_("Receipt: the screenshot optout-bot took when the setting showed off.")
RECEIPT_MISSING = N_("receipt file missing: {path}")
RECEIPT_UNREADABLE = N_("receipt file unreadable: {path} ({reason})")
RECEIPT_NOT_IMAGE = N_("receipt file is not a PNG or JPEG image: {path}")
NO_RECEIPT = N_("no receipt recorded")
NO_OBJECTION = N_("No confirmed objection is recorded for this account.")
LAST_ATTEMPT = N_("Last attempt: {when}, {outcome}.")
NEVER_RUN = N_("optout-bot has never been run for this account.")
ATTEMPTS = N_("Attempts")
DATE_LOCAL = N_("Date (local time)")
OUTCOME = N_("Outcome")
LOCAL_AND_UTC = N_("{local} — ISO 8601: {iso}")
NO_RUN_YET = N_("no run recorded yet: run `optout-bot run --platform instagram` (or facebook) first")
CANNOT_WRITE = N_("cannot write the report {path}: {reason}")
LABEL = N_("{label}:")  # a name before its value (French puts a space before the colon)

LONG_TIME = "%Y-%m-%d %H:%M:%S"


# --- Gathering ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    path: Path
    sha256: str | None  # None: the file could not be read
    data_uri: str | None  # None: nothing to embed
    problem: str | None  # what to say instead of the picture


@dataclass(frozen=True)
class AccountProof:
    status: AccountStatus
    attempts: list[RunRecord]  # oldest first
    receipt: Receipt | None  # of the confirmed objection; None: no confirmed objection, or it has no receipt
    checks: list[SettingCheck]  # a setting's `verify` checks, oldest first (none for a form)


@dataclass(frozen=True)
class Proof:
    made_at: datetime
    country: str | None  # the person's: the UK has its own GDPR and, for some platforms, its own controller
    accounts: list[AccountProof]


# A full-page screenshot is a few MB at most: beyond this the file is not a receipt, and embedding it (in base64)
# would make a report nobody can open.
RECEIPT_SIZE_LIMIT = 50_000_000

_IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def read_receipt(path: Path) -> Receipt:
    """The receipt's hash and picture; a missing or unreadable file is said in the report, never a crash."""
    try:
        data = read_regular_file(path, RECEIPT_SIZE_LIMIT)  # never a FIFO (hangs) or a device (endless)
    except FileNotFoundError:
        return Receipt(path, None, None, _(RECEIPT_MISSING).format(path=path.name))
    except OSError as exc:
        return Receipt(path, None, None, _(RECEIPT_UNREADABLE).format(path=path.name, reason=exc.strerror or exc))
    sha256 = hashlib.sha256(data).hexdigest()
    mime = next((mime for magic, mime in _IMAGE_TYPES.items() if data.startswith(magic)), None)
    if mime is None:
        return Receipt(path, sha256, None, _(RECEIPT_NOT_IMAGE).format(path=path.name))
    return Receipt(path, sha256, f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", None)


def _account_proof(status: AccountStatus, ledger: Ledger, config: Config) -> AccountProof:
    runs = ledger.runs(status.account)
    attempts = [run for run in runs if (run.platform, run.flow) == (status.platform, status.flow)]
    receipt_path = status.confirmed.receipt_path if status.confirmed else None
    checks = ledger.checks(status.account, status.platform, status.flow) if status.setting is not None else []
    return AccountProof(status, attempts, read_receipt(receipt_path) if receipt_path else None, checks)


def gather_proof(config: Config, ledger_path: Path | None = None) -> Proof:
    """Everything the report shows; a UsageError when there is nothing to prove yet."""
    with existing_ledger(ledger_path) as ledger:
        statuses = account_statuses(config, ledger)
        if ledger is None or not any(status.last_run for status in statuses):
            raise UsageError(_(NO_RUN_YET))
        accounts = [_account_proof(status, ledger, config) for status in statuses]
    return Proof(made_at=datetime.now(UTC), country=config.country, accounts=accounts)


# --- Shared by both formats -------------------------------------------------------------------------------------


def local_and_utc(moment: datetime) -> str:
    """« 6 décembre 2026 à 14:05 (UTC+1) — ISO 8601 : 2026-12-06T13:05:00Z »."""
    return _(LOCAL_AND_UTC).format(local=people_datetime(moment), iso=iso_utc(moment))


def controller(account: AccountProof, country: str | None) -> str:
    """The platform's controller for a person in `country`, with its address where it is known, on one line."""
    name, address = controller_of(account.status.platform).for_country(country)
    return ", ".join([name, *(address.splitlines() if address else [])])


def legal_basis(account: AccountProof, country: str | None) -> str:
    """The law the objection was made under: the GDPR, the UK GDPR, or for Switzerland the FADP beside it."""
    regime = authorities()[country].regime if country in authorities() else "gdpr"
    if regime == "uk_gdpr" or country == UK:
        return _(BASIS_UK_GDPR)
    if regime == "fadp":
        return _(BASIS_FADP).format(company=company(account))
    return _(BASIS_GDPR)


def shown_platform(status: AccountStatus) -> str:
    """The platform's name, and the flow when it is not the own-information one: "Facebook (third-party)"."""
    name = platform_name(status.platform)
    return name if status.flow == OWN_FLOW else _(PLATFORM_FLOW).format(platform=name, flow=status.flow)


def heading(account: AccountProof) -> str:
    return f"{account.status.account} — {shown_platform(account.status)}"


def company(account: AccountProof) -> str:
    return site_of(account.status.platform).company


def title(proof: Proof) -> str:
    companies = {site_of(account.status.platform).company for account in proof.accounts}
    return _(TITLE).format(company=companies.pop()) if len(companies) == 1 else _(TITLE_ANY)


def lead(proof: Proof) -> str:
    """What the person did and what optout-bot did: for the forms, for the settings, as the report holds them."""
    ran = [account for account in proof.accounts if account.status.last_run or account.status.setting]
    forms = {company(account) for account in ran if not account.status.is_setting}
    sentences = []
    if forms:
        sentences.append(_(SELF_SUBMITTED).format(company=forms.pop()) if len(forms) == 1 else _(SELF_SUBMITTED_ANY))
    if any(account.status.is_setting for account in ran):
        sentences.append(_(SELF_SWITCHED))
    return " ".join(sentences)


def objection_summary(account: AccountProof) -> str:
    setting = account.status.setting
    if setting is not None:
        return _(SETTING_SUMMARY).format(summary=setting_summary(setting))
    confirmed = account.status.confirmed
    if confirmed:
        return _(CONFIRMED_ON).format(when=people_datetime(outcome_time(confirmed)))
    return _(NOT_CONFIRMED) if account.status.last_run else _(NOT_RUN)


def switch_it_off(account: AccountProof) -> str | None:
    """For a setting that is on: what to do about it, said before anything else in its section."""
    setting, status = account.status.setting, account.status
    if setting is None or setting.state != SETTING_ON:
        return None
    command = fix_command(status.account, status.platform, status.configured, status.flow)
    return f"{setting_summary(setting)}. {_(SETTING_FIX).format(command=command)}"


def last_check(account: AccountProof) -> str:
    check = account.checks[-1] if account.checks else None
    if check is None:
        return _(NO_CHECK)
    return _(CHECK_STATE).format(when=local_and_utc(check.checked_at), state=state_words(check.state))


def check_rows(account: AccountProof) -> list[tuple[str, str]]:
    return [(short_local(check.checked_at), state_words(check.state)) for check in account.checks]


def check_problems(account: AccountProof) -> list[bool]:
    """Which checks saw the setting on: those rows stand out."""
    return [check.state == SETTING_ON for check in account.checks]


def receipt_alt(account: AccountProof) -> str:
    status = account.status
    if status.is_setting:
        return _(RECEIPT_ALT_SETTING).format(account=status.account, platform=shown_platform(status))
    return _(RECEIPT_ALT).format(company=company(account), account=status.account, platform=shown_platform(status))


def receipt_caption(account: AccountProof) -> str:
    if account.status.is_setting:
        return _(RECEIPT_CAPTION_SETTING)
    return _(RECEIPT_CAPTION).format(company=company(account))


@dataclass(frozen=True)
class Item:
    name: str
    text: str
    code: bool = False  # an address: shown as code, never as a link


def confirmed_items(account: AccountProof, confirmed: RunRecord, country: str | None) -> list[Item]:
    """The confirmed objection (or the run that left the setting off), item by item; the values submitted and the
    confirmation's words come apart (submitted_items), as lists and quotes."""
    when = local_and_utc(outcome_time(confirmed))
    address = confirmed.form_url or _(NO_CONFIRMATION_TEXT)
    platform = Item(_(PLATFORM), shown_platform(account.status))
    shown = Item(_(ACCOUNT_SHOWN), confirmed.account_shown or _(NOT_SHOWN))
    who = Item(_(CONTROLLER), controller(account, country))
    if account.status.is_setting:
        items = [Item(_(SETTING_OFF_AT), when), platform, who, shown]
        if confirmed.setting_label:
            items.append(Item(_(SETTING_NAME), confirmed.setting_label))
        return [
            *items,
            Item(_(SETTING_RUN), setting_words(confirmed) or outcome_words(confirmed)),
            Item(_(SETTING_ADDRESS), address, code=True),
        ]
    items = [
        Item(_(CONFIRMED_AT).format(company=company(account)), when),
        platform,
        who,
        Item(_(LEGAL_BASIS), legal_basis(account, country)),
        shown,
    ]
    if confirmed.submitted_at:
        items.append(Item(_(SUBMITTED_AT), local_and_utc(confirmed.submitted_at)))
    items.append(Item(_(FORM_ADDRESS), address, code=True))
    if confirmed.confirmation_url:
        items.append(Item(_(CONFIRMATION_ADDRESS), confirmed.confirmation_url, code=True))
    return items


def submitted_items(confirmed: RunRecord) -> list[tuple[str, str]] | None:
    """What the form carried when the person sent it, (label, value); None: not recorded (an older run)."""
    return list(confirmed.submitted) if confirmed.submitted is not None else None


def receipt_file(receipt: Receipt) -> str:
    """The receipt by its file's name: a folder of this computer means nothing to whoever reads the report."""
    return _(RECEIPT_FILE).format(name=receipt.path.name) if receipt.data_uri else receipt.path.name


def nothing_confirmed(account: AccountProof) -> str:
    return _(SETTING_NEVER_OFF) if account.status.is_setting else _(NO_OBJECTION)


def last_attempt(account: AccountProof) -> str:
    run = account.status.last_run
    if run is None:
        return _(NEVER_RUN)
    return _(LAST_ATTEMPT).format(when=people_datetime(outcome_time(run)), outcome=outcome_words(run))


# --- HTML -------------------------------------------------------------------------------------------------------

# Inline and sober: it is printed, attached and read by officials. No web fonts, no outside request.
_CSS = """
body { font-family: Georgia, "Times New Roman", serif; color: #111; background: #fff; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: 0.5rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #999; }
h3 { font-size: 1rem; }
.lead { font-weight: bold; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
ul.submitted { margin: 0; padding-left: 1.1rem; }
blockquote { margin: 0; padding: 0.25rem 0.75rem; border-left: 3px solid #666; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
figure { margin: 1rem 0; }
img { max-width: 100%; border: 1px solid #999; }
.problem { color: #a00; font-weight: bold; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
.notes { font-size: 0.9em; color: #333; }
@media print {
  body { margin: 0; max-width: none; }
  section { break-before: page; }
  figure, tr, dl { break-inside: avoid; }
}
"""
# Even if an escaping slip let markup through, nothing could run and nothing could be fetched.
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_dl(items: Sequence[tuple[str, str]]) -> str:
    """A definition list; the values are HTML already (escaped by the caller)."""
    return "<dl>\n" + "".join(f"<dt>{_e(name)}</dt><dd>{value}</dd>\n" for name, value in items) + "</dl>"


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], problems: Sequence[bool] = ()) -> str:
    """A table; the rows whose `problems` entry is true stand out (a setting seen on)."""
    head = "".join(f"<th>{_e(cell)}</th>" for cell in headers)
    marked = [*problems, *[False] * (len(rows) - len(problems))]
    body = "".join(
        ('<tr class="problem">' if problem else "<tr>") + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>\n"
        for row, problem in zip(rows, marked, strict=True)
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _html_receipt(account: AccountProof) -> list[str]:
    receipt = account.receipt
    if receipt is None:
        return [f"<p>{_e(_(LABEL).format(label=_(RECEIPT)))} {_e(_(NO_RECEIPT))}</p>"]
    parts = []
    if receipt.problem:
        parts.append(f'<p class="problem">{_e(receipt.problem)}</p>')
    if receipt.data_uri:
        parts.append(
            f'<figure><img src="{_e(receipt.data_uri)}" alt="{_e(receipt_alt(account))}">'
            f"<figcaption>{_e(receipt_caption(account))}</figcaption></figure>"
        )
    return parts


def _html_setting(account: AccountProof) -> list[tuple[str, str]]:
    """A setting's state now and its latest check, as definition-list items (HTML)."""
    setting = account.status.setting
    if setting is None:
        return []
    state = _e(setting_summary(setting))
    return [
        (_(SETTING_STATE), f'<span class="problem">{state}</span>' if setting.state == SETTING_ON else state),
        (_(LAST_CHECK), _e(last_check(account))),
    ]


def _html_submitted(confirmed: RunRecord) -> str:
    submitted = submitted_items(confirmed)
    if submitted is None:
        return _e(_(NOT_SUBMITTED_RECORDED))
    values = "".join(f"<li>{_e(_(LABEL).format(label=n))} <strong>{_e(v)}</strong></li>" for n, v in submitted)
    return f'<ul class="submitted">{values}</ul>'


def _html_account(account: AccountProof, country: str | None) -> str:
    parts = [f"<section>\n<h2>{_e(heading(account))}</h2>"]
    warning = switch_it_off(account)
    if warning:
        parts.append(f'<p class="problem">{_e(warning)}</p>')
    confirmed = account.status.confirmed
    if confirmed:
        items = [
            (item.name, f"<code>{_e(item.text)}</code>" if item.code else _e(item.text))
            for item in confirmed_items(account, confirmed, country)
        ]
        if not account.status.is_setting:
            items.append((_(SUBMITTED), _html_submitted(confirmed)))
            items.append(
                (
                    _(CONFIRMATION_TEXT).format(company=company(account)),
                    f"<blockquote>{_e(confirmed.confirmation_text or _(NO_CONFIRMATION_TEXT))}</blockquote>",
                )
            )
        items += _html_setting(account)
        if account.receipt:
            items.append((_(RECEIPT), _e(receipt_file(account.receipt))))
            if account.receipt.sha256:
                items.append((_(RECEIPT_SHA256), f"<code>{_e(account.receipt.sha256)}</code>"))
        parts.append(_html_dl(items))
        if not account.status.is_setting:
            parts.append(f'<p class="attach">{_e(_(ATTACH_EMAIL).format(company=company(account)))}</p>')
        parts += _html_receipt(account)
    else:
        said = "" if warning else f"<strong>{_e(nothing_confirmed(account))}</strong> "  # the warning says it is on
        parts.append(f"<p>{said}{_e(last_attempt(account))}</p>")
        items = _html_setting(account)
        if items:
            parts.append(_html_dl(items))
    if account.attempts:
        rows = [(people_datetime(outcome_time(run)), outcome_words(run)) for run in account.attempts]
        parts += [f"<h3>{_e(_(ATTEMPTS))}</h3>", _html_table((_(DATE_LOCAL), _(OUTCOME)), rows)]
    if account.checks:
        table = _html_table((_(DATE_LOCAL), _(STATE)), check_rows(account), check_problems(account))
        parts += [f"<h3>{_e(_(CHECKS))}</h3>", table]
    parts.append("</section>")
    return "\n".join(parts)


def render_html(proof: Proof) -> str:
    header = [(_(MADE_BY), _e(f"optout-bot {__version__}")), (_(MADE_ON), _e(local_and_utc(proof.made_at)))]
    summary = [(a.status.account, shown_platform(a.status), objection_summary(a)) for a in proof.accounts]
    body = [
        f"<h1>{_e(title(proof))}</h1>",
        f'<p class="lead">{_e(lead(proof))}</p>',
        _html_dl(header),
        f'<p class="notes">{_e(_(TIMES_NOTE))} {_e(_(HASH_NOTE))}</p>',
        f"<h2>{_e(_(SUMMARY))}</h2>",
        _html_table((_(ACCOUNT), _(PLATFORM), _(OBJECTION)), summary),
        *(_html_account(account, proof.country) for account in proof.accounts),
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(current_language())}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title(proof))}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


# --- Markdown ---------------------------------------------------------------------------------------------------

# Characters with a meaning anywhere in CommonMark/GFM text: emphasis, code, links, raw HTML and entities,
# tables, strikethrough. Backslash-escaping them shows them as they are.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#!])")
# What makes a line a list item, a heading underline or a thematic break when it starts the line.
_MD_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def md_escape(text: str) -> str:
    """Text shown as written, on one line (a cell, an item): no markup, no HTML, no link can come of it."""
    return md_escape_line(" ".join(text.split()))


def md_escape_line(line: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", line.strip())
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def md_quote(text: str) -> str:
    """A block quote of `text`, line by line, each escaped; its line breaks kept (a trailing \\ is one)."""
    lines = [md_escape_line(line) for line in text.strip().splitlines()]
    broken = [
        line + "\\" if line and following else line for line, following in zip(lines, [*lines[1:], ""], strict=True)
    ]
    return "\n".join(f"> {line}".rstrip() for line in broken)


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], problems: Sequence[bool] = ()) -> list[str]:
    """A table; the rows whose `problems` entry is true are in bold (a setting seen on)."""

    def line(cells: Sequence[str], strong: bool = False) -> str:
        return "| " + " | ".join(f"**{md_escape(c)}**" if strong else md_escape(c) for c in cells) + " |"

    marked = [*problems, *[False] * (len(rows) - len(problems))]
    return [line(headers), "|" + "---|" * len(headers), *(line(row, m) for row, m in zip(rows, marked, strict=True))]


def _md_item(name: str, value: str) -> str:
    """A list item; `value` is Markdown already (escaped by the caller)."""
    return f"- **{md_escape(_(LABEL).format(label=name))}** {value}".rstrip()


def _md_receipt(account: AccountProof) -> list[str]:
    receipt = account.receipt
    if receipt is None:
        return [_md_item(_(RECEIPT), md_escape(_(NO_RECEIPT)))]
    lines = [_md_item(_(RECEIPT), md_escape(receipt_file(receipt)))]
    if receipt.sha256:
        lines.append(_md_item(_(RECEIPT_SHA256), f"`{receipt.sha256}`"))
    if receipt.problem:
        lines += ["", f"**{md_escape(receipt.problem)}**"]
    if receipt.data_uri:
        # A data: URI is only base64 characters: nothing in it can close the link.
        alt, caption = receipt_alt(account), receipt_caption(account)
        lines += ["", f"![{md_escape(alt)}]({receipt.data_uri})", "", f"*{md_escape(caption)}*"]
    return lines


def _md_setting(account: AccountProof) -> list[str]:
    """A setting's state now and its latest check, as list items (Markdown)."""
    setting = account.status.setting
    if setting is None:
        return []
    state = md_escape(setting_summary(setting))
    return [
        _md_item(_(SETTING_STATE), f"**{state}**" if setting.state == SETTING_ON else state),
        _md_item(_(LAST_CHECK), md_escape(last_check(account))),
    ]


def _md_submitted(confirmed: RunRecord) -> list[str]:
    submitted = submitted_items(confirmed)
    if submitted is None:
        return [_md_item(_(SUBMITTED), md_escape(_(NOT_SUBMITTED_RECORDED)))]
    values = [f"  - {md_escape(_(LABEL).format(label=n))} **{md_escape(v)}**" for n, v in submitted]
    return [_md_item(_(SUBMITTED), ""), *values]


def _md_account(account: AccountProof, country: str | None) -> list[str]:
    lines = ["", f"## {md_escape(heading(account))}", ""]
    warning = switch_it_off(account)
    if warning:
        lines += [f"**{md_escape(warning)}**", ""]
    confirmed = account.status.confirmed
    if confirmed:
        found = confirmed_items(account, confirmed, country)
        lines += [_md_item(item.name, f"`{item.text}`" if item.code else md_escape(item.text)) for item in found]
        lines += _md_setting(account)
        if not account.status.is_setting:
            lines += _md_submitted(confirmed)
            text = confirmed.confirmation_text or _(NO_CONFIRMATION_TEXT)
            lines += [_md_item(_(CONFIRMATION_TEXT).format(company=company(account)), ""), "", md_quote(text)]
        lines += ["", *_md_receipt(account)]
        if not account.status.is_setting:
            lines += ["", f"**{md_escape(_(ATTACH_EMAIL).format(company=company(account)))}**"]
    else:
        said = "" if warning else f"**{md_escape(nothing_confirmed(account))}** "  # the warning says it is on
        lines.append(said + md_escape(last_attempt(account)))
        items = _md_setting(account)
        if items:
            lines += ["", *items]
    if account.attempts:
        rows = [(people_datetime(outcome_time(run)), outcome_words(run)) for run in account.attempts]
        lines += ["", f"### {md_escape(_(ATTEMPTS))}", "", *_md_table((_(DATE_LOCAL), _(OUTCOME)), rows)]
    if account.checks:
        table = _md_table((_(DATE_LOCAL), _(STATE)), check_rows(account), check_problems(account))
        lines += ["", f"### {md_escape(_(CHECKS))}", "", *table]
    return lines


def render_markdown(proof: Proof) -> str:
    lines = [
        f"# {md_escape(title(proof))}",
        "",
        f"**{md_escape(lead(proof))}**",
        "",
        _md_item(_(MADE_BY), md_escape(f"optout-bot {__version__}")),
        _md_item(_(MADE_ON), md_escape(local_and_utc(proof.made_at))),
    ]
    summary = [(a.status.account, shown_platform(a.status), objection_summary(a)) for a in proof.accounts]
    lines += ["", md_escape(f"{_(TIMES_NOTE)} {_(HASH_NOTE)}"), "", f"## {md_escape(_(SUMMARY))}", ""]
    lines += _md_table((_(ACCOUNT), _(PLATFORM), _(OBJECTION)), summary)
    for account in proof.accounts:
        lines += _md_account(account, proof.country)
    return "\n".join(lines) + "\n"


# --- Writing ----------------------------------------------------------------------------------------------------

_RENDERERS: dict[Format, Callable[[Proof], str]] = {
    "html": render_html,
    "md": render_markdown,
}


def render_report(config: Config, fmt: Format, ledger_path: Path | None = None) -> str:
    """The whole report as text; a UsageError if no run is recorded yet."""
    return _RENDERERS[fmt](gather_proof(config, ledger_path))


def new_report_path(fmt: Format) -> Path:
    """A new file under the data folder's reports/, never one made earlier in the same second."""
    path = timestamped_file(REPORTS_FOLDER, REPORT_STEM, SUFFIXES[fmt])
    number = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def write_report(text: str, path: Path) -> Path:
    """Write `text` to `path` atomically (a temporary file in the same folder, then a rename), mode 0600."""
    try:
        # mkstemp creates the file with mode 0600; in the same folder, so os.replace is a rename.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            make_private(Path(temporary))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(_(CANNOT_WRITE).format(path=path, reason=exc.strerror or exc)) from exc
    return path
