"""`optout-bot letter reminder|complaint`: drafts of follow-up letters, built from what the ledger recorded.

A reminder goes to the platform's controller when an objection the person sent (a run that saw the form sent,
`unconfirmed`) has had no confirmation within a number of days; a complaint goes to the data-protection authority
of the person's country (authorities.yaml) about the same unanswered objection. Both are drafts: optout-bot
sends nothing, the person reads, signs and sends them.

A letter holds only what the ledger and the settings say (dates, the form's address without its query, the
platform, the account as the site named it, what the form carried when it was sent — else the settings' email —
the person's name) and the SHA-256 of the screenshot kept then: never a path on this
computer, never anything of a session. Its sentences are gettext messages, one per paragraph, so the letter is
in the person's language (`--lang`, the settings) like everything else, and a new language is a new catalogue.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from optout_bot.errors import UsageError
from optout_bot.i18n import N_, _, current_language
from optout_bot.platforms import platform_name, site_of
from optout_bot.records.authorities import UK, Authority, controller_of
from optout_bot.records.ledger import OWN_FLOW, Ledger, Outcome, RunRecord
from optout_bot.records.report import md_escape, md_escape_line, read_receipt
from optout_bot.records.status import existing_ledger, outcome_time, outcome_words, utc_iso
from optout_bot.settings.config import Config

Format = Literal["text", "md", "html"]
FORMATS: tuple[Format, ...] = ("text", "md", "html")
DEFAULT_DAYS = 30  # Art. 12(3) GDPR: information on action taken within one month of receipt

# --- Words (marked N_ for the catalogue, translated by _() when the letter is made) ------------------------------

MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"), N_("August"),
    N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip
DATE = N_("{day} {month} {year}")
YOUR_NAME = N_("[your name]")
YOUR_EMAIL = N_("[the email address of your account]")
SALUTATION = N_("Dear Sir or Madam,")
CLOSING = N_("Yours faithfully,")
SUBJECT = N_("Subject: {subject}")
FACTS = N_("The facts, as recorded at the time:")
FACT_SENT = N_("Objection sent")
FACT_PLATFORM = N_("Service")
FACT_FORM = N_("Form used")
FACT_EMAIL = N_("Email address of my account")
FACT_ACCOUNT_SHOWN = N_("My account, as {company}'s site named it")
FACT_SUBMITTED = N_("Sent in the form: {label}")
FACT_RECEIPT = N_("SHA-256 of the screenshot taken when the form was sent")
FACT_CONFIRMATION = N_("Confirmation received")
FACT_NONE = N_("none as of {date} ({days} days later)")
FACT_CONTROLLER = N_("Controller")
FACT_ATTEMPTS = N_("Sent again")
WHEN = N_("{date} ({utc} UTC)")

REMINDER_SUBJECT = N_("my objection under Article 21 GDPR of {date}: no confirmation after {days} days")
REMINDER_SENT = N_(
    "On {date}, I objected under Article 21 of the General Data Protection Regulation (GDPR) to the processing of "
    "my personal data to develop and improve artificial intelligence, using {company}'s own form for my {platform} "
    "account."
)
REMINDER_SILENCE = N_(
    "{days} days later, I have received no confirmation of my objection and no information on any action taken on "
    "it, although Article 12(3) GDPR requires that information within one month of receipt of the request."
)
REMINDER_ASK = N_(
    "Please confirm in writing, without further delay, that my objection was received and acted on, and that my "
    "personal data is no longer processed for this purpose."
)
REMINDER_NEXT = N_(
    "Without an answer within one month, I will lodge a complaint with a data-protection authority under Article "
    "77 GDPR."
)

COMPLAINT_SUBJECT = N_("complaint against {controller}: objection under Article 21 GDPR left unanswered")
COMPLAINT_SUBJECT_CH = N_("report about {controller}: objection under Article 21 GDPR left unanswered")
COMPLAINT_LODGE = N_(
    "I lodge a complaint under Article 77 of the General Data Protection Regulation (GDPR) against {controller}, "
    "the controller of my personal data as a user of {platform}."
)
COMPLAINT_LODGE_UK = N_(
    "I lodge a complaint under Article 77 of the UK GDPR against {controller}, the controller of my personal data "
    "as a user of {platform}."
)
COMPLAINT_LODGE_CH = N_(
    "I report to you the facts below about {controller}, the controller of my personal data as a user of "
    "{platform}, and ask you to examine them under the Federal Act on Data Protection (FADP)."
)
COMPLAINT_FACTS = N_(
    "On {date}, I objected under Article 21 GDPR to the processing of my personal data to develop and improve "
    "artificial intelligence, using {company}'s own form. {days} days later, {company} has neither confirmed my "
    "objection nor told me of any action taken on it, although Article 12(3) GDPR requires that information within "
    "one month of receipt of the request."
)
COMPLAINT_ASK = N_(
    "I ask you to handle this complaint, to use your powers so that {controller} gives effect to my objection and "
    "stops processing my personal data for this purpose, and to inform me of the progress and the outcome of the "
    "complaint, as Article 77(2) GDPR provides."
)
COMPLAINT_ASK_CH = N_(
    "I ask you to take the measures open to you so that {controller} gives effect to my objection and stops "
    "processing my personal data for this purpose, and to tell me what you decide."
)
COMPLAINT_TOOL = N_(
    "I submitted the form myself, in my own browser. The facts below come from the record kept at the time by "
    "optout-bot, the tool that led me to the form."
)
COMPLAINT_ATTACHED = N_(
    "I attach the proof document made from that record, with the screenshots and their SHA-256, and any reminder I "
    "sent to {company} with its answer."
)

NOTE_DRAFT = N_("This is a draft: read it, complete what is in [brackets], sign it and send it yourself.")
NOTE_CONTROLLER_ADDRESS = N_(
    "{controller}'s postal address could not be confirmed: find it in {company}'s privacy policy."
)
NOTE_SEND_REMINDER = N_("Send it to {controller} by post, or through {company}'s privacy contact form.")
NOTE_COMPLAINT_PAGE = N_("Lodge it on the authority's complaint page: {address}")
NOTE_COMPLAINT_WEBSITE = N_("Send it by post, or by the means the authority's website names: {address}")
NOTE_COMPLAINT_EMAIL = N_("The authority's email address: {email}")
NOTE_REPORT = N_("Attach the proof: `optout-bot report` makes it.")
NOTE_GERMANY = N_(
    "In Germany the authority of your Land supervises companies; the federal commissioner (BfDI) passes a "
    "complaint on to the competent authority (BDSG § 19(2)). You may send this letter to your Land's authority "
    "instead."
)
NOTE_UK = N_(
    "For the United Kingdom, check in {company}'s privacy policy which company is your controller: optout-bot's "
    "table holds the one for the EU and EEA."
)
NOTE_ACCOUNT = N_("This letter is about the account optout-bot calls {account!r} ({platform}).")

NO_RUN = N_("no run recorded for the account {account!r} on {platform}: run `optout-bot run --account {account}` first")
CONFIRMED_ALREADY = N_(
    "the ledger shows {company} confirmed the objection of {account!r} on {date}: there is nothing to follow up"
)
NOTHING_SENT = N_(
    "the ledger has no objection sent for {account!r} on {platform} (last run: {outcome}): a follow-up letter needs "
    "a form you submitted"
)
TOO_EARLY = N_(
    "the objection of {account!r} was sent on {date}, {elapsed} days ago: give {company} {days} days, until {due} "
    "(or say --days)"
)
WHICH_PLATFORM = N_("the account {account!r} has runs on {platforms}: say which with --platform")
A_SETTING = N_(
    "{platform}'s opt-out is a setting, not an objection form: there is no objection to follow up; "
    "`optout-bot verify` checks that it stays off"
)


# --- The facts --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnansweredObjection:
    """An objection the person sent (the run saw the form sent) that the platform has not confirmed."""

    account: str
    platform: str
    flow: str
    sent: RunRecord  # the first run that saw it sent
    later: tuple[RunRecord, ...]  # the runs that sent it again since, oldest first
    days: int  # how many days ago it was first sent
    receipt_sha256: str | None  # of the screenshot taken when it was sent, if one was kept and readable


def _platform_of(config: Config, ledger: Ledger, account: str, platform: str | None) -> str:
    """The platform asked for, else the account's in the settings, else the only one the ledger has for it."""
    if platform:
        return platform
    configured = config.account(account)
    if configured is not None:
        return configured.platform
    platforms = sorted({run.platform for run in ledger.runs(account)})
    if len(platforms) > 1:
        raise UsageError(_(WHICH_PLATFORM).format(account=account, platforms=", ".join(platforms)))
    if not platforms:
        raise UsageError(_(NO_RUN).format(account=account, platform=_("any platform")))
    return platforms[0]


def unanswered_objection(
    config: Config,
    account: str,
    platform: str | None,
    days: int,
    flow: str = OWN_FLOW,
    ledger_path: Path | None = None,
    now: datetime | None = None,
) -> UnansweredObjection:
    """The objection a letter follows up; a one-line UsageError when the ledger shows none to follow up.

    Refused: no run recorded; the platform confirmed it already; no run saw the form sent; fewer than `days` days
    since it was first sent; a setting (LinkedIn's, X's switch) rather than a form.
    """
    now = now or datetime.now(UTC)
    with existing_ledger(ledger_path) as ledger:
        if ledger is None:
            raise UsageError(_(NO_RUN).format(account=account, platform=platform or _("any platform")))
        platform = _platform_of(config, ledger, account, platform)
        runs = [run for run in ledger.runs(account) if (run.platform, run.flow) == (platform, flow)]
        confirmed = ledger.confirmed(account, platform, flow)
    if not runs:
        raise UsageError(_(NO_RUN).format(account=account, platform=platform))
    company = site_of(platform).company
    if any(run.is_setting for run in runs):
        raise UsageError(_(A_SETTING).format(platform=platform_name(platform)))
    if confirmed is not None:
        when = long_date(outcome_time(confirmed))
        raise UsageError(_(CONFIRMED_ALREADY).format(company=company, account=account, date=when))
    sent = [run for run in runs if run.outcome is Outcome.UNCONFIRMED and not run.dry_run]
    if not sent:
        raise UsageError(_(NOTHING_SENT).format(account=account, platform=platform, outcome=outcome_words(runs[-1])))
    first = sent[0]
    elapsed = (now - outcome_time(first)).days
    if elapsed < days:
        due = outcome_time(first).timestamp() + days * 86400
        raise UsageError(
            _(TOO_EARLY).format(
                account=account, date=long_date(outcome_time(first)), elapsed=elapsed, company=company, days=days,
                due=long_date(datetime.fromtimestamp(due, UTC)),
            )
        )  # fmt: skip
    receipt = read_receipt(first.receipt_path) if first.receipt_path else None
    return UnansweredObjection(
        account, platform, flow, first, tuple(sent[1:]), elapsed, receipt.sha256 if receipt else None
    )


# --- Dates ------------------------------------------------------------------------------------------------------


def long_date(moment: datetime) -> str:
    """A date as people write it, in the person's language: "6 December 2026", « 6 décembre 2026 »."""
    local = moment.astimezone()
    return _(DATE).format(day=local.day, month=_(MONTHS[local.month - 1]), year=local.year)


def _when(moment: datetime) -> str:
    return _(WHEN).format(date=long_date(moment), utc=utc_iso(moment).replace("+00:00", ""))


# --- The letter -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """A letter as blocks of text; the renderers lay it out as text, Markdown or HTML."""

    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    date: str
    subject: str
    paragraphs: tuple[str, ...]  # before the facts
    facts: tuple[tuple[str, str], ...]
    after_facts: tuple[str, ...]
    signature: str
    notes: tuple[str, ...] = field(default=())  # for the person, not part of the letter


def _sender(config: Config, account: str) -> tuple[str, ...]:
    configured = config.account(account)
    email = (configured.email if configured else None) or config.email
    return (config.full_name or _(YOUR_NAME), email or _(YOUR_EMAIL))


def _common_facts(objection: UnansweredObjection, config: Config, now: datetime) -> list[tuple[str, str]]:
    run = objection.sent
    facts = [
        (_(FACT_PLATFORM), platform_name(objection.platform)),
        (_(FACT_SENT), _when(outcome_time(run))),
    ]
    if objection.later:
        facts.append((_(FACT_ATTEMPTS), "; ".join(long_date(outcome_time(later)) for later in objection.later)))
    if run.form_url:
        facts.append((_(FACT_FORM), run.form_url))
    if run.account_shown:
        company = site_of(objection.platform).company
        facts.append((_(FACT_ACCOUNT_SHOWN).format(company=company), run.account_shown))
    if run.submitted:  # what the form carried, recorded when it was sent: the settings may say otherwise
        facts += [(_(FACT_SUBMITTED).format(label=label), value) for label, value in run.submitted]
    else:
        facts.append((_(FACT_EMAIL), _sender(config, objection.account)[1]))
    if objection.receipt_sha256:
        facts.append((_(FACT_RECEIPT), objection.receipt_sha256))
    facts.append((_(FACT_CONFIRMATION), _(FACT_NONE).format(date=long_date(now), days=objection.days)))
    return facts


def reminder_letter(objection: UnansweredObjection, config: Config, now: datetime | None = None) -> Letter:
    """The reminder to the platform's controller."""
    now = now or datetime.now(UTC)
    company = site_of(objection.platform).company
    controller, address = controller_of(objection.platform).for_country(config.country)
    sent = long_date(outcome_time(objection.sent))
    notes = [_(NOTE_DRAFT), _(NOTE_SEND_REMINDER).format(controller=controller, company=company)]
    if address is None:
        notes.append(_(NOTE_CONTROLLER_ADDRESS).format(controller=controller, company=company))
    notes.append(_(NOTE_ACCOUNT).format(account=objection.account, platform=platform_name(objection.platform)))
    return Letter(
        sender=_sender(config, objection.account),
        recipient=(controller, *(address.splitlines() if address else ())),
        date=long_date(now),
        subject=_(REMINDER_SUBJECT).format(date=sent, days=objection.days),
        paragraphs=(
            _(REMINDER_SENT).format(date=sent, company=company, platform=platform_name(objection.platform)),
            _(REMINDER_SILENCE).format(days=objection.days),
        ),
        facts=tuple(_common_facts(objection, config, now)),
        after_facts=(_(REMINDER_ASK), _(REMINDER_NEXT)),
        signature=_sender(config, objection.account)[0],
        notes=tuple(notes),
    )


def _authority_notes(authority: Authority, company: str) -> list[str]:
    notes = []
    if authority.complaint:
        notes.append(_(NOTE_COMPLAINT_PAGE).format(address=authority.complaint))
    else:
        notes.append(_(NOTE_COMPLAINT_WEBSITE).format(address=authority.website))
    if authority.email:
        notes.append(_(NOTE_COMPLAINT_EMAIL).format(email=authority.email))
    if authority.country == "DE":
        notes.append(_(NOTE_GERMANY))
    if authority.country == UK:
        notes.append(_(NOTE_UK).format(company=company))
    return notes


def complaint_letter(
    objection: UnansweredObjection, config: Config, authority: Authority, now: datetime | None = None
) -> Letter:
    """The complaint to the data-protection authority of the person's country."""
    now = now or datetime.now(UTC)
    company = site_of(objection.platform).company
    platform = platform_name(objection.platform)
    controller, _address = controller_of(objection.platform).for_country(authority.country)
    lodge, subject, ask = {
        "gdpr": (COMPLAINT_LODGE, COMPLAINT_SUBJECT, COMPLAINT_ASK),
        "uk_gdpr": (COMPLAINT_LODGE_UK, COMPLAINT_SUBJECT, COMPLAINT_ASK),
        "fadp": (COMPLAINT_LODGE_CH, COMPLAINT_SUBJECT_CH, COMPLAINT_ASK_CH),
    }[authority.regime]
    sent = long_date(outcome_time(objection.sent))
    names = (authority.name_local, *([authority.name_en] if authority.name_en != authority.name_local else []))
    recipient = (*names, *authority.postal_address.splitlines())
    facts = [(_(FACT_CONTROLLER), controller), *_common_facts(objection, config, now)]
    return Letter(
        sender=_sender(config, objection.account),
        recipient=recipient,
        date=long_date(now),
        subject=_(subject).format(controller=controller),
        paragraphs=(
            _(lodge).format(controller=controller, platform=platform),
            _(COMPLAINT_FACTS).format(date=sent, company=company, days=objection.days),
            _(ask).format(controller=controller),
            _(COMPLAINT_TOOL),
        ),
        facts=tuple(facts),
        after_facts=(_(COMPLAINT_ATTACHED).format(company=company),),
        signature=_sender(config, objection.account)[0],
        notes=(
            _(NOTE_DRAFT),
            *_authority_notes(authority, company),
            _(NOTE_REPORT),
            _(NOTE_ACCOUNT).format(account=objection.account, platform=platform),
        ),
    )


# --- Rendering --------------------------------------------------------------------------------------------------


def _label(name: str) -> str:
    return _("{label}:").format(label=name)


def render_text(letter: Letter) -> str:
    lines = [*letter.sender, "", *letter.recipient, "", letter.date, "", _(SUBJECT).format(subject=letter.subject)]
    lines += ["", _(SALUTATION), ""]
    for paragraph in letter.paragraphs:
        lines += [paragraph, ""]
    lines += [_(FACTS), *(f"- {_label(name)} {value}" for name, value in letter.facts), ""]
    for paragraph in letter.after_facts:
        lines += [paragraph, ""]
    lines += [_(CLOSING), "", letter.signature]
    return "\n".join(lines) + "\n"


def _md_lines(lines: Sequence[str]) -> str:
    """Lines kept as lines: a Markdown hard break (a trailing backslash) after each but the last."""
    escaped = [md_escape_line(line) for line in lines]
    return "\\\n".join(escaped)


def _md_fact(name: str, value: str) -> str:
    return f"- **{md_escape(_label(name))}** {md_escape(value)}"


def render_markdown(letter: Letter) -> str:
    parts = [
        _md_lines(letter.sender),
        _md_lines(letter.recipient),
        md_escape(letter.date),
        f"**{md_escape(_(SUBJECT).format(subject=letter.subject))}**",
        md_escape(_(SALUTATION)),
        *(md_escape(paragraph) for paragraph in letter.paragraphs),
        md_escape(_(FACTS)) + "\n\n" + "\n".join(_md_fact(name, value) for name, value in letter.facts),
        *(md_escape(paragraph) for paragraph in letter.after_facts),
        md_escape(_(CLOSING)),
        md_escape(letter.signature),
    ]
    return "\n\n".join(parts) + "\n"


# Like the report's: printable, no outside request, no script (its own CSP).
_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_CSS = """
body { font-family: Georgia, "Times New Roman", serif; color: #111; background: #fff; max-width: 42rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
.recipient { margin-left: 50%; } .date { text-align: right; } .signature { margin-top: 3rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: bold; } dd { margin: 0; overflow-wrap: anywhere; }
@media print { body { margin: 0; max-width: none; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(letter: Letter) -> str:
    def block(lines: Sequence[str], css: str) -> str:
        return f'<p class="{css}">' + "<br>\n".join(_e(line) for line in lines) + "</p>"

    facts = "\n".join(f"<dt>{_e(_label(name))}</dt><dd>{_e(value)}</dd>" for name, value in letter.facts)
    body = [
        block(letter.sender, "sender"),
        block(letter.recipient, "recipient"),
        f'<p class="date">{_e(letter.date)}</p>',
        f"<p><strong>{_e(_(SUBJECT).format(subject=letter.subject))}</strong></p>",
        f"<p>{_e(_(SALUTATION))}</p>",
        *(f"<p>{_e(paragraph)}</p>" for paragraph in letter.paragraphs),
        f"<p>{_e(_(FACTS))}</p>",
        f"<dl>\n{facts}\n</dl>",
        *(f"<p>{_e(paragraph)}</p>" for paragraph in letter.after_facts),
        f"<p>{_e(_(CLOSING))}</p>",
        f'<p class="signature">{_e(letter.signature)}</p>',
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(current_language())}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{_e(letter.subject)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


RENDERERS: dict[Format, Callable[[Letter], str]] = {"text": render_text, "md": render_markdown, "html": render_html}


def render(letter: Letter, fmt: Format) -> str:
    return RENDERERS[fmt](letter)
