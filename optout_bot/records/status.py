"""`optout-bot status`: for each account, how its last run ended, when, and the receipt of its objection.

The accounts are those in the settings file (name and platform) and every (account, platform, flow) the ledger
has seen, since runs made without settings are recorded too ("default", or the name given with --account),
and a platform may have several flows (Facebook's form for information others shared: `--flow third-party`).
An account in the settings that never ran is listed as "never run". Reading never creates a ledger: with no
ledger file there is simply no run recorded yet.

A form is done once its platform confirmed the objection. A setting (LinkedIn's, X's AI-training switch) is
done while it is off: the table shows its state before and after the last run ("on → off", "already off"),
and a list below says what `optout-bot verify` saw since — a setting seen back on stands out there.

`status --json` prints this shape, for scripts. It is stable: keys may be added, none is renamed or changes
meaning without "schema" going up.

    {
      "schema": 1,
      "ledger": "/home/jane/.local/share/optout-bot/ledger.sqlite3",  # null: no ledger yet, so no run
      "accounts": [
        {
          "account": "default",
          "platform": "instagram",
          "flow": "own",                       # which of the platform's flows ("third-party": Facebook's other form)
          "configured": true,                  # listed in the settings file
          "last_outcome": "not_submitted",     # how the last run ended (records/ledger.py Outcome); null: never run
          "last_run_at": "2026-11-29T09:15:03+00:00",  # when it ended (UTC; its start if it never ended)
          "last_dry_run": false,               # null: never run
          "last_receipt": null,                # the last run's screenshot (a dry run's: the filled form)
          "last_setting_before": null,         # a setting's state when the last run reached it: "on", "off", null
          "last_setting_after": null,          # and when it ended (null: not a setting, or not read)
          "confirmed_at": "2026-11-28T17:02:41+00:00",  # the latest objection confirmed (UTC); null: none
          "receipt": "/home/jane/…/receipts/20261128-180241-default-instagram-confirmation.png",
          "form_url": "https://help.instagram.com/contact/767264225370182",  # the form of that objection
          "confirmation_text": "We've received your objection.",            # the platform's words then
          "setting": null                      # a setting's state as last recorded, below; null for a form
        }
      ]
    }

For a setting, "confirmed_at" is the end of the latest run that left it off, and "setting" is

    {
      "state": "off",                          # the latest state recorded, by a run or by `verify`: "on" or "off"
      "seen_at": "2026-12-20T08:00:12+00:00",  # when
      "last_seen_off": "2026-12-20T08:00:12+00:00",  # the last time it was seen off; null: never
      "switched_back_on": false,               # on now, after it was seen off
      "last_check_at": "2026-12-20T08:00:12+00:00",  # the latest `optout-bot verify` check; null: none yet
      "last_check_state": "off"                # what that check saw
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

from optout_bot.i18n import N_, _
from optout_bot.invocation import command_name
from optout_bot.platforms import site_of
from optout_bot.records.ledger import (
    OWN_FLOW,
    SETTING_OFF,
    SETTING_ON,
    Ledger,
    Outcome,
    RunRecord,
    SettingState,
    default_path,
)
from optout_bot.settings.config import Config

JSON_SCHEMA = 1

# --- Words shown to the person (all here; marked N_ for the catalogue, translated by _() when shown) -------------

OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.CONFIRMED: N_("confirmed"),
    Outcome.DRY_RUN_READY: N_("dry run: form ready"),
    Outcome.BUG: N_("failed: a bug"),
    Outcome.USAGE_ERROR: N_("usage error"),
    Outcome.NOT_OFFERED: N_("not offered by {company}"),
    Outcome.NOT_SUBMITTED: N_("not submitted"),
    Outcome.UNCONFIRMED: N_("sent, unconfirmed"),
    Outcome.NOT_RECOGNISED: N_("pages not recognised"),
    Outcome.REFUSED: N_("refused: unsafe page"),
    Outcome.BROWSER_PROBLEM: N_("browser problem"),
    Outcome.FORM_TAMPERED: N_("stopped: form unsafe"),
    Outcome.NO_CONNECTION: N_("no connection"),
    Outcome.INTERRUPTED: N_("interrupted"),
}
DRY_RUN = N_("dry run: {outcome}")
# A setting's run, by the states it saw (before → after).
SETTING_ALREADY_OFF = N_("already off")
SETTING_SWITCHED_OFF = N_("on → off")
SETTING_LEFT_ON = N_("on, not switched off")
SETTING_SEEN_ON = N_("on")
SETTING_BACK_ON_CELL = N_("ON AGAIN")  # in the CONFIRMED column: it stands out in capitals
NEVER_RUN = N_("never run")
NEVER_CONFIRMED = N_("never")
NO_RUN_YET = N_("No run recorded yet: run `optout-bot run --platform instagram` (or facebook) to object.")
HEADERS = (N_("ACCOUNT"), N_("PLATFORM"), N_("LAST OUTCOME"), N_("WHEN"), N_("CONFIRMED"))
PLATFORM_FLOW = N_("{platform} ({flow})")  # a flow other than the own-information one: "facebook (third-party)"
RECEIPTS_HEADING = N_("Receipts (screenshots of {company}'s confirmation):")
RECEIPTS_HEADING_ANY = N_("Receipts (screenshots of each confirmation, or of the setting once off):")
RECEIPT_LINE = N_("{account} ({platform}): {path}")
RECEIPT_LINE_FLOW = N_("{account} ({platform}, {flow}): {path}")
RECEIPT_MISSING = N_("{path} (file missing)")
SETTINGS_HEADING = N_("AI-training settings (`optout-bot verify` checks that they stay off):")
SETTING_LINE = N_("{account} ({platform}): {state}; {check}")
SETTING_STILL_OFF = N_("off, last seen off {date}")
SETTING_BACK_ON = N_("SWITCHED BACK ON: off on {off}, on again by {seen}")
SETTING_NEVER_OFF = N_("on, never seen off")
SETTING_FIX = N_("Switch it off yourself: {command}")
LAST_CHECK = N_("last check {date}: {state}")
NO_CHECK = N_("not checked yet")
STATE_WORDS = {SETTING_ON: N_("on"), SETTING_OFF: N_("off")}
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
    flow: str  # which of the platform's flows: "own", "third-party"
    configured: bool  # listed in the settings file
    last_run: RunRecord | None  # None: never run
    # The latest run where the platform's confirmation was seen, or a setting's run that left it off (never a
    # dry run).
    confirmed: RunRecord | None
    setting: SettingState | None = None  # a setting's latest known state (runs and `verify`); None: a form

    @property
    def is_setting(self) -> bool:
        return self.setting is not None or (self.last_run is not None and self.last_run.is_setting)


@contextmanager
def existing_ledger(path: Path | None = None) -> Iterator[Ledger | None]:
    """The ledger, opened for reading, if its file exists, else None: looking must not create an empty ledger."""
    path = default_path() if path is None else path
    try:
        found = path.exists()
    except OSError:
        found = True  # e.g. a folder we may not enter: Ledger.open turns that into a one-line error
    if not found:
        yield None
        return
    with Ledger.open(path, read_only=True) as ledger:  # looking writes nothing: it works on a full disk
        yield ledger


def account_statuses(config: Config, ledger: Ledger | None) -> list[AccountStatus]:
    """The settings' accounts in their order, then those only the ledger knows, by account, platform and flow."""
    last_runs = {(run.account, run.platform, run.flow): run for run in ledger.last_runs()} if ledger else {}
    settings = {(s.account, s.platform, s.flow): s for s in ledger.setting_states()} if ledger else {}
    configured = [(account.name, account.platform, OWN_FLOW) for account in config.accounts]
    keys = configured + [key for key in last_runs if key not in configured]
    # A setting has runs of its own flow, so it is listed already; one known only by checks would be too.
    keys += [key for key in settings if key not in keys]
    return [
        AccountStatus(
            account=account,
            platform=platform,
            flow=flow,
            configured=(account, platform, flow) in configured,
            last_run=last_runs.get((account, platform, flow)),
            confirmed=(
                ledger.confirmed(account, platform, flow) if ledger and (account, platform, flow) in last_runs else None
            ),
            setting=settings.get((account, platform, flow)),
        )
        for account, platform, flow in keys
    ]


# --- Words and times --------------------------------------------------------------------------------------------


def setting_words(run: RunRecord) -> str | None:
    """What a setting's run saw, before → after ("on → off", "already off"); None for a form, or a failure."""
    if not run.is_setting:
        return None
    if run.setting_before == SETTING_OFF:
        return _(SETTING_ALREADY_OFF)
    if run.setting_after == SETTING_OFF:
        return _(SETTING_SWITCHED_OFF)
    if run.outcome is Outcome.NOT_SUBMITTED:
        return _(SETTING_LEFT_ON)
    if run.outcome in (Outcome.CONFIRMED, Outcome.DRY_RUN_READY):
        return _(SETTING_SEEN_ON)
    return None  # it failed after reading the setting: the failure is what to say


def outcome_words(run: RunRecord) -> str:
    """How the run ended, in the person's language."""
    setting = setting_words(run)
    if setting is not None:
        return _(DRY_RUN).format(outcome=setting) if run.dry_run else setting
    words = _(OUTCOME_WORDS[run.outcome]).format(company=site_of(run.platform).company)
    # A rehearsal that failed reads like the real thing otherwise; "dry run: form ready" says it already.
    return _(DRY_RUN).format(outcome=words) if run.dry_run and run.outcome is not Outcome.DRY_RUN_READY else words


def state_words(state: str) -> str:
    """A setting's state, "on" or "off", in the person's language."""
    return _(STATE_WORDS[state]) if state in STATE_WORDS else state


def platform_flow(platform: str, flow: str) -> str:
    """The platform, and the flow when it is not the own-information one: "facebook (third-party)"."""
    return platform if flow == OWN_FLOW else _(PLATFORM_FLOW).format(platform=platform, flow=flow)


def in_brackets(platform: str, flow: str) -> str:
    """The platform, and the flow when it is not the own-information one, for inside "{account} (…)":
    "x, business-partners" (so no brackets nest)."""
    return platform if flow == OWN_FLOW else f"{platform}, {flow}"


def fix_command(account: str, platform: str, configured: bool, flow: str = OWN_FLOW) -> str:
    """The command that walks to a setting again so the person can switch it off (`flow`: which of the
    platform's settings, when it has several)."""
    command = f"{command_name()} run --account {account}"  # as the person started the tool (invocation.py)
    if not configured:
        command += f" --platform {platform}"  # not in the settings: say where
    return command if flow == OWN_FLOW else f"{command} --flow {flow}"


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


def _done_cell(status: AccountStatus) -> str:
    """The CONFIRMED column: the date of the confirmation; for a setting, the date it was last seen off."""
    setting = status.setting
    if setting is not None:
        if setting.state == SETTING_OFF:
            return local_date(setting.last_off or setting.seen_at)
        return _(SETTING_BACK_ON_CELL) if setting.back_on else _(NEVER_CONFIRMED)
    # The date is enough here (80 columns); the time is in WHEN when it was the last run, and in the report.
    return local_date(outcome_time(status.confirmed)) if status.confirmed else _(NEVER_CONFIRMED)


def _row(status: AccountStatus) -> tuple[str, ...]:
    run = status.last_run
    platform = platform_flow(status.platform, status.flow)
    if run is None:
        return (status.account, platform, _(NEVER_RUN), "", "")
    return (status.account, platform, outcome_words(run), short_local(outcome_time(run)), _done_cell(status))


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        COLUMN_GAP.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def _receipts_heading(statuses: Sequence[AccountStatus]) -> str:
    companies = {site_of(status.platform).company for status in statuses}
    if len(companies) == 1 and not any(status.is_setting for status in statuses):
        return _(RECEIPTS_HEADING).format(company=companies.pop())
    return _(RECEIPTS_HEADING_ANY)


def _receipt_lines(statuses: Sequence[AccountStatus]) -> list[str]:
    lines, shown = [], []
    for status in statuses:
        receipt = status.confirmed.receipt_path if status.confirmed else None
        if receipt is not None:
            path = str(receipt) if receipt_exists(receipt) else _(RECEIPT_MISSING).format(path=receipt)
            line = RECEIPT_LINE if status.flow == OWN_FLOW else RECEIPT_LINE_FLOW
            lines.append(
                "  " + _(line).format(account=status.account, platform=status.platform, flow=status.flow, path=path)
            )
            shown.append(status)
    return [_receipts_heading(shown), *lines] if lines else []


def setting_summary(setting: SettingState) -> str:
    """A setting's state as the ledger knows it: still off (since when), switched back on, or never off."""
    if setting.state == SETTING_OFF:
        return _(SETTING_STILL_OFF).format(date=local_date(setting.last_off or setting.seen_at))
    if setting.last_off is not None:  # back on
        return _(SETTING_BACK_ON).format(off=local_date(setting.last_off), seen=local_date(setting.seen_at))
    return _(SETTING_NEVER_OFF)


def check_summary(setting: SettingState) -> str:
    """The latest `verify` check: its date and what it saw."""
    check = setting.last_check
    if check is None:
        return _(NO_CHECK)
    return _(LAST_CHECK).format(date=local_date(check.checked_at), state=state_words(check.state))


def _setting_lines(statuses: Sequence[AccountStatus]) -> list[str]:
    lines = []
    for status in statuses:
        setting = status.setting
        if setting is None:
            continue
        state, check = setting_summary(setting), check_summary(setting)
        lines.append(
            "  "
            + _(SETTING_LINE).format(
                account=status.account, platform=in_brackets(status.platform, status.flow), state=state, check=check
            )
        )
        if setting.state == SETTING_ON:
            command = fix_command(status.account, status.platform, status.configured, status.flow)
            lines.append("    " + _(SETTING_FIX).format(command=command))
    return [_(SETTINGS_HEADING), *lines] if lines else []


def render_text(statuses: Sequence[AccountStatus]) -> str:
    """An aligned plain-text table, the settings' states, then the receipts (long paths: one line each, below)."""
    lines = []
    if not any(status.last_run for status in statuses):
        lines.append(_(NO_RUN_YET))
    if statuses:
        if lines:
            lines.append("")
        lines += _table([tuple(_(header) for header in HEADERS), *(_row(status) for status in statuses)])
    settings = _setting_lines(statuses)
    if settings:
        lines += ["", *settings]
    receipts = _receipt_lines(statuses)
    if receipts:
        lines += ["", *receipts, "", _(REPORT_HINT)]
    if any(status.last_run for status in statuses):
        lines += ["", _(TIMES_NOTE).format(offset=utc_offset(datetime.now(UTC)))]
    return "\n".join(lines) + "\n"


# --- JSON -------------------------------------------------------------------------------------------------------


def _path_or_none(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _setting_json(setting: SettingState | None) -> dict[str, Any] | None:
    if setting is None:
        return None
    check = setting.last_check
    return {
        "state": setting.state,
        "seen_at": utc_iso(setting.seen_at),
        "last_seen_off": utc_iso(setting.last_off) if setting.last_off else None,
        "switched_back_on": setting.back_on,
        "last_check_at": utc_iso(check.checked_at) if check else None,
        "last_check_state": check.state if check else None,
    }


def _account_json(status: AccountStatus) -> dict[str, Any]:
    run, confirmed = status.last_run, status.confirmed
    return {
        "account": status.account,
        "platform": status.platform,
        "flow": status.flow,
        "configured": status.configured,
        "last_outcome": run.outcome.value if run else None,
        "last_run_at": utc_iso(outcome_time(run)) if run else None,
        "last_dry_run": run.dry_run if run else None,
        "last_receipt": _path_or_none(run.receipt_path) if run else None,
        "last_setting_before": run.setting_before if run else None,
        "last_setting_after": run.setting_after if run else None,
        "confirmed_at": utc_iso(outcome_time(confirmed)) if confirmed else None,
        "receipt": _path_or_none(confirmed.receipt_path) if confirmed else None,
        "form_url": confirmed.form_url if confirmed else None,
        "confirmation_text": confirmed.confirmation_text if confirmed else None,
        "setting": _setting_json(status.setting),
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
