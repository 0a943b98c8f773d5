"""`optout-bot letter reminder` and `optout-bot letter complaint`: drafts of follow-up letters. cli.py registers
the group.

Like `status` and `report`, they only read the ledger and never open a browser; they import their modules when
they run. The letter goes to standard output, or to a private file (0600) with --out; what the person should
know before sending it goes to standard error, so the letter itself stays clean to copy.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from optout_bot.cli.shared import exit_code_epilog
from optout_bot.i18n import _
from optout_bot.platforms import PLATFORMS

EPILOG = exit_code_epilog()
STDOUT = "-"
F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from optout_bot.records.letters import Letter


def _letter_options(command: F) -> F:
    """The options both letters take."""
    options = [
        click.option(
            "--account", required=True, metavar="NAME", help=_("The account, as in your settings or the ledger.")
        ),
        click.option(
            "--platform", type=click.Choice(PLATFORMS), help=_("The platform, when the account has runs on several.")
        ),
        click.option(
            "--flow", default="own", show_default=True, metavar="FLOW",
            help=_("Which of the platform's opt-outs the objection was (as `run --flow`)."),
        ),
        click.option(
            "--days", type=click.IntRange(min=0), default=30, show_default=True,
            help=_("How many days without a confirmation before a letter is due."),
        ),
        click.option(
            "--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text", show_default=True,
            help=_("Plain text, Markdown, or HTML (like `optout-bot report`)."),
        ),
        click.option(
            "--out", metavar="PATH", type=click.Path(dir_okay=False, allow_dash=True),
            help=_("Write it to this file (readable by you only); default: standard output."),
        ),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


@click.group(
    epilog=EPILOG,
    help=_(
        "Draft a follow-up letter about an objection the platform has not confirmed.\n\n"
        "The letters quote what the ledger recorded. optout-bot sends nothing: you read, sign and send them."
    ),
)
def letter() -> None:
    """`optout-bot letter` (its help is in the decorator, to be translated)."""


@letter.command(
    epilog=EPILOG,
    help=_(
        "A reminder to the platform: your objection has had no confirmation within --days days.\n\n"
        "Refused (exit 2) when the ledger shows the platform confirmed it, when no run saw your form sent, or when "
        "fewer days have passed."
    ),
)
@_letter_options
def reminder(account: str, platform: str | None, flow: str, days: int, fmt: str, out: str | None) -> None:
    """`optout-bot letter reminder` (its help is in the decorator, to be translated)."""
    from optout_bot.records.letters import reminder_letter, unanswered_objection
    from optout_bot.settings.config import load_config

    config = load_config()
    objection = unanswered_objection(config, account, platform, days, flow)
    _deliver(reminder_letter(objection, config), fmt, out)


@letter.command(
    epilog=EPILOG,
    help=_(
        "A complaint to the data-protection authority of your country about an objection left unanswered.\n\n"
        "The authority is chosen from the country in your settings (or --country); the same refusals as `letter "
        "reminder`."
    ),
)
@_letter_options
@click.option("--country", metavar="CODE", help=_("Your country (two letters, such as FR), instead of the settings'."))
def complaint(
    account: str, platform: str | None, flow: str, days: int, fmt: str, out: str | None, country: str | None
) -> None:
    """`optout-bot letter complaint` (its help is in the decorator, to be translated)."""
    from optout_bot.records.authorities import authority_for
    from optout_bot.records.letters import complaint_letter, unanswered_objection
    from optout_bot.settings.config import load_config

    config = load_config()
    authority = authority_for(country or config.country)  # before the ledger: a wrong country is said first
    objection = unanswered_objection(config, account, platform, days, flow)
    _deliver(complaint_letter(objection, config, authority), fmt, out)


def _deliver(draft: Letter, fmt: str, out: str | None) -> None:
    """The letter to standard output or a private file; the notes for the person to standard error."""
    from pathlib import Path

    from optout_bot.records.letters import FORMATS, render
    from optout_bot.records.report import write_report

    chosen = next(known for known in FORMATS if known == fmt)  # click.Choice checked it: this narrows the type
    text = render(draft, chosen)
    if out is None or out == STDOUT:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        path = write_report(text, Path(out))
        click.echo(_("Letter written: {path}").format(path=path.absolute()))
    for note in draft.notes:
        click.echo(note, err=True)
