"""`optout-bot doctor`: a checklist of what optout-bot needs on this computer, each failure with its fix.

cli.py registers the command. optout_bot.cli.checkup (which loads Playwright and pydantic) is imported only when
the command runs, so `optout-bot --help` and `doctor --help` stay fast.
"""

from __future__ import annotations

import json
import sys

import click

from optout_bot.errors import ExitStatus
from optout_bot.i18n import _

# A check failed: the same code as a configuration error, which is what a failed check is (of the machine).
FAILED = ExitStatus.USAGE


def _epilog() -> str:
    """doctor's own exit codes ("\\b" keeps click from re-wrapping them)."""
    return "\n".join(
        [
            "\b",
            _("Exit codes:"),
            f"  {int(ExitStatus.SUCCESS)}  " + _("every check passed"),
            f"  {int(FAILED)}  " + _("a check failed: its line says how to fix it"),
            f"  {int(ExitStatus.BUG)}  " + _("a bug in optout-bot (run again with --debug and report it)"),
        ]
    )


@click.command(
    help=_(
        "Check that this computer is ready for optout-bot, and say how to fix what is not.\n\n"
        "Checks Python, Playwright, the browser (started hidden for a moment to read its version), a screen "
        "for the browser window, browser profiles held by a running browser, the settings file, the data "
        "and log folders, and the ledger. Prints one line per check; exit code 0 only when all pass, "
        "{failed} otherwise."
    ).format(failed=int(FAILED)),
    epilog=_epilog(),
)
@click.option("--json", "as_json", is_flag=True, help=_("Print the results as JSON, to attach to a bug report."))
@click.option(
    "--browser-channel",
    type=click.Choice(["chrome", "msedge", "chromium"]),
    help=_("Check this browser rather than the one found first (as for `run`)."),
)
@click.option(
    "--executable-path",
    type=click.Path(dir_okay=False),
    help=_("Check the browser at this path (as for `run`)."),
)
def doctor(as_json: bool, browser_channel: str | None, executable_path: str | None) -> None:
    from optout_bot.cli import checkup as checks

    results = []
    marks = checks.marks_for(getattr(sys.stdout, "encoding", None))
    for check in checks.run_checks(browser_channel, executable_path):
        results.append(check)
        if not as_json:
            click.echo(_printable(checks.checklist_line(check, marks)))
    if as_json:
        click.echo(_printable(json.dumps(checks.as_json(results), indent=2, ensure_ascii=False)))
    else:
        click.echo(_printable(checks.summary(results)))
    sys.exit(int(ExitStatus.SUCCESS if all(check.ok for check in results) else FAILED))


def _printable(text: str) -> str:
    """What the terminal can show of `text`: a character it cannot print becomes "?" rather than a crash."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        return text.encode(encoding, errors="replace").decode(encoding)
    except LookupError:
        return text
