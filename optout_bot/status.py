"""`optout-bot status`: for each account, how its last run ended, when, and the receipt of its objection.

The accounts are those in the settings file (name and platform) and every (account, platform) the ledger has
seen, since runs made without settings are recorded too ("default", or the name given with --account). An
account in the settings that never ran is listed as "never run". Reading never creates a ledger: with no
ledger file there is simply no run recorded yet.

`status --json` prints this shape, for scripts. It is stable: keys may be added, none is renamed or changes
meaning without "schema" going up.

    {
      "schema": 1,
      "ledger": "/home/jane/.local/share/optout-bot/ledger.sqlite3",  # null: no ledger yet, so no run
      "accounts": [
        {
          "account": "default",
          "platform": "instagram",
          "configured": true,                  # listed in the settings file
          "last_outcome": "not_submitted",     # how the last run ended (optout_bot.ledger.Outcome); null: never run
          "last_run_at": "2026-11-29T09:15:03+00:00",  # when it ended (UTC; its start if it never ended)
          "last_dry_run": false,               # null: never run
          "last_receipt": null,                # the last run's screenshot (a dry run's: the filled form)
          "confirmed_at": "2026-11-28T17:02:41+00:00",  # the latest objection Meta confirmed (UTC); null: none
          "receipt": "/home/jane/…/receipts/20261128-180241-default-instagram-confirmation.png",
          "form_url": "https://help.instagram.com/contact/767264225370182",  # the form of that objection
          "confirmation_text": "We've received your objection."             # Meta's words then
        }
      ]
    }

`receipt`, `form_url` and `confirmation_text` belong to the confirmed objection (null without one), whatever
the last run was. Paths are absolute; times are ISO 8601 in UTC.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from optout_bot.config import Config
from optout_bot.i18n import N_, _
from optout_bot.ledger import Ledger, Outcome, RunRecord, default_path

JSON_SCHEMA = 1

# --- Words shown to the person (all here; marked N_ for the catalogue, translated by _() when shown) -------------

OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.CONFIRMED: N_("confirmed"),
    Outcome.DRY_RUN_READY: N_("dry run: form ready"),
    Outcome.BUG: N_("failed: a bug"),
    Outcome.USAGE_ERROR: N_("usage error"),
    Outcome.NOT_OFFERED: N_("not offered by Meta"),
    Outcome.NOT_SUBMITTED: N_("not submitted"),
    Outcome.NOT_RECOGNISED: N_("pages not recognised"),
    Outcome.REFUSED: N_("refused: unsafe page"),
    Outcome.BROWSER_PROBLEM: N_("browser problem"),
    Outcome.INTERRUPTED: N_("interrupted"),
}
DRY_RUN = N_("dry run: {outcome}")
NEVER_RUN = N_("never run")
NEVER_CONFIRMED = N_("never")
NO_RUN_YET = N_("No run recorded yet: run `optout-bot run --platform instagram` (or facebook) to object.")
HEADERS = (N_("ACCOUNT"), N_("PLATFORM"), N_("LAST OUTCOME"), N_("WHEN"), N_("CONFIRMED"))
RECEIPTS_HEADING = N_("Receipts (screenshots of Meta's confirmation):")
RECEIPT_LINE = N_("{account} ({platform}): {path}")
RECEIPT_MISSING = N_("{path} (file missing)")
TIMES_NOTE = N_("Times are local (UTC{offset}).")
REPORT_HINT = N_("`optout-bot report` makes a document with these receipts, to attach to a complaint.")

SHORT_TIME = "%Y-%m-%d %H:%M"
DATE = "%Y-%m-%d"
COLUMN_GAP = "  "


# --- Gathering ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountStatus:
    account: str
    platform: str
    configured: bool  # listed in the settings file
    last_run: RunRecord | None  # None: never run
    confirmed: RunRecord | None  # the latest run where Meta's confirmation was seen (never a dry run)


@contextmanager
def existing_ledger(path: Path | None = None) -> Iterator[Ledger | None]:
    """The ledger if its file exists, else None: looking must not create an empty ledger."""
    path = default_path() if path is None else path
    try:
        found = path.exists()
    except OSError:
        found = True  # e.g. a folder we may not enter: Ledger.open turns that into a one-line error
    if not found:
        yield None
        return
    with Ledger.open(path) as ledger:
        yield ledger


def account_statuses(config: Config, ledger: Ledger | None) -> list[AccountStatus]:
    """The settings' accounts in their order, then those only the ledger knows, by account and platform."""
    last_runs = {(run.account, run.platform): run for run in ledger.last_runs()} if ledger else {}
    configured = [(account.name, account.platform) for account in config.accounts]
    pairs = configured + [pair for pair in last_runs if pair not in configured]
    return [
        AccountStatus(
            account=account,
            platform=platform,
            configured=(account, platform) in configured,
            last_run=last_runs.get((account, platform)),
            confirmed=ledger.confirmed(account, platform) if ledger and (account, platform) in last_runs else None,
        )
        for account, platform in pairs
    ]


# --- Words and times --------------------------------------------------------------------------------------------


def outcome_words(run: RunRecord) -> str:
    """How the run ended, in the person's language."""
    words = _(OUTCOME_WORDS[run.outcome])
    # A rehearsal that failed reads like the real thing otherwise; "dry run: form ready" says it already.
    return _(DRY_RUN).format(outcome=words) if run.dry_run and run.outcome is not Outcome.DRY_RUN_READY else words


def outcome_time(run: RunRecord) -> datetime:
    """When the outcome was known: the run's end, or its start for a run that never ended."""
    return run.ended_at or run.started_at


def short_local(moment: datetime) -> str:
    return moment.astimezone().strftime(SHORT_TIME)


def local_date(moment: datetime) -> str:
    return moment.astimezone().strftime(DATE)


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def utc_offset(moment: datetime) -> str:
    """The local offset from UTC at `moment`, as +01:00."""
    offset = moment.astimezone().strftime("%z")  # +0100
    return f"{offset[:3]}:{offset[3:]}" if offset else "+00:00"


def receipt_exists(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


# --- Text -------------------------------------------------------------------------------------------------------


def _row(status: AccountStatus) -> tuple[str, ...]:
    run, confirmed = status.last_run, status.confirmed
    if run is None:
        return (status.account, status.platform, _(NEVER_RUN), "", "")
    # The date is enough here (80 columns); the time is in WHEN when it was the last run, and in the report.
    confirmed_when = local_date(outcome_time(confirmed)) if confirmed else _(NEVER_CONFIRMED)
    return (status.account, status.platform, outcome_words(run), short_local(outcome_time(run)), confirmed_when)


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        COLUMN_GAP.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _receipt_lines(statuses: Sequence[AccountStatus]) -> list[str]:
    lines = []
    for status in statuses:
        receipt = status.confirmed.receipt_path if status.confirmed else None
        if receipt is not None:
            shown = str(receipt) if receipt_exists(receipt) else _(RECEIPT_MISSING).format(path=receipt)
            lines.append("  " + _(RECEIPT_LINE).format(account=status.account, platform=status.platform, path=shown))
    return [_(RECEIPTS_HEADING), *lines] if lines else []


def render_text(statuses: Sequence[AccountStatus]) -> str:
    """An aligned plain-text table, then the receipts (their paths are long: one line each, below)."""
    lines = []
    if not any(status.last_run for status in statuses):
        lines.append(_(NO_RUN_YET))
    if statuses:
        if lines:
            lines.append("")
        lines += _table([tuple(_(header) for header in HEADERS), *(_row(status) for status in statuses)])
    receipts = _receipt_lines(statuses)
    if receipts:
        lines += ["", *receipts, "", _(REPORT_HINT)]
    if any(status.last_run for status in statuses):
        lines += ["", _(TIMES_NOTE).format(offset=utc_offset(datetime.now(UTC)))]
    return "\n".join(lines) + "\n"


# --- JSON -------------------------------------------------------------------------------------------------------


def _path_or_none(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _account_json(status: AccountStatus) -> dict[str, Any]:
    run, confirmed = status.last_run, status.confirmed
    return {
        "account": status.account,
        "platform": status.platform,
        "configured": status.configured,
        "last_outcome": run.outcome.value if run else None,
        "last_run_at": utc_iso(outcome_time(run)) if run else None,
        "last_dry_run": run.dry_run if run else None,
        "last_receipt": _path_or_none(run.receipt_path) if run else None,
        "confirmed_at": utc_iso(outcome_time(confirmed)) if confirmed else None,
        "receipt": _path_or_none(confirmed.receipt_path) if confirmed else None,
        "form_url": confirmed.form_url if confirmed else None,
        "confirmation_text": confirmed.confirmation_text if confirmed else None,
    }


def render_json(statuses: Sequence[AccountStatus], ledger_path: Path | None) -> str:
    document = {
        "schema": JSON_SCHEMA,
        "ledger": _path_or_none(ledger_path),
        "accounts": [_account_json(status) for status in statuses],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- The command ------------------------------------------------------------------------------------------------


def status_output(config: Config, as_json: bool, ledger_path: Path | None = None) -> str:
    """What `optout-bot status [--json]` prints (a damaged ledger raises the ledger's UsageError)."""
    with existing_ledger(ledger_path) as ledger:
        statuses = account_statuses(config, ledger)
        found_path = ledger.path if ledger else None
    return render_json(statuses, found_path) if as_json else render_text(statuses)
