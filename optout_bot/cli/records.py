"""The commands that read the ledger: `status` and `report`. cli.py registers them.

They import their modules when they run, so `optout-bot --help` pays neither for the settings' pydantic
models nor for the ledger. Neither command ever opens a browser.
"""

from __future__ import annotations

import sys

import click

from optout_bot.cli.shared import exit_code_epilog
from optout_bot.i18n import _

EPILOG = exit_code_epilog()

STDOUT = "-"


@click.command(
    epilog=EPILOG,
    help=_(
        "Show each account's last outcome, its date and its receipt.\n\n"
        "Lists the accounts in your settings and every account (and form) the ledger has a run for. The receipt "
        "is the screenshot of the platform's confirmation of your objection, or of its AI-training setting "
        "switched off; for a setting, it also says what `optout-bot verify` saw since."
    ),
)
@click.option(
    "--json", "as_json", is_flag=True, help=_("Print JSON for scripts (schema 1, see optout_bot/records/status.py).")
)
def status(as_json: bool) -> None:
    """`optout-bot status` (its help is in the decorator, to be translated)."""
    from optout_bot.records.status import status_output
    from optout_bot.settings.config import load_config

    click.echo(status_output(load_config(), as_json), nl=False)


@click.command(
    epilog=EPILOG,
    help=_(
        "Write a proof of your objections, to attach to a complaint.\n\n"
        "One file per report, for a data-protection authority: for each account, the platform's controller and the "
        "legal basis, when the platform confirmed your objection, the account as the site named it, what the form "
        "carried when you sent it, the form's and the confirmation's addresses, the platform's words and the receipt "
        "screenshot itself with its SHA-256; for an AI-training setting, what was switched, when it was seen off and "
        "what `optout-bot verify` saw since."
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help=_("HTML (one file, prints well) or Markdown (some viewers do not show its embedded pictures)."),
)
@click.option(
    "--out",
    metavar="PATH",
    type=click.Path(dir_okay=False, allow_dash=True),
    help=_("Where to write it; '-' for standard output. Default: a new file in your data folder's reports/."),
)
def report(fmt: str, out: str | None) -> None:
    """`optout-bot report` (its help is in the decorator, to be translated)."""
    from pathlib import Path

    from optout_bot.records.report import FORMATS, new_report_path, render_report, write_report
    from optout_bot.settings.config import load_config

    chosen = next(known for known in FORMATS if known == fmt)  # click.Choice checked it: this narrows the type
    text = render_report(load_config(), chosen)
    if out == STDOUT:
        # The bytes the HTML's charset declares, whatever the terminal's encoding.
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    path = write_report(text, Path(out) if out else new_report_path(chosen))
    click.echo(_("Report written: {path}").format(path=path.absolute()))
