"""Exit codes and the expected failures that map to them.

An *expected* failure is an `OptoutError`: the CLI prints its one-line message (what went wrong and what
to do) and exits with its code. Anything else is a bug: exit 1, traceback only with --debug.
"""

from __future__ import annotations

from enum import IntEnum

from optout_bot.i18n import N_, _


class ExitStatus(IntEnum):
    SUCCESS = 0  # the person submitted and Meta's confirmation was seen (--dry-run: the form is ready)
    BUG = 1  # unexpected error
    USAGE = 2  # usage or configuration error
    NOT_OFFERED = 3  # Meta does not offer the objection to this account
    NOT_SUBMITTED = 4  # the person closed the tab, or the wait ran out
    NOT_RECOGNISED = 5  # the pages were not recognised: nothing was filled; a diagnostic was saved
    REFUSED = 6  # the walk led off Meta's domains, or to a form that is not the objection form
    BROWSER = 7  # no browser found, profile locked, --cdp unreachable
    SETTING_ON = 8  # `verify` only: a setting was found on (switched back on, or never switched off)
    FORM_TAMPERED = 9  # the page tried to send or replace the form while the tool filled it: stopped
    NO_CONNECTION = 10  # the browser could not reach the platform's site at all (offline, name not found, refused)
    PROBE_FAILED = 11  # `probe` only: a flow reached its place by none of its routes (the site changed)
    INTERRUPTED = 130  # Ctrl-C before the platform's confirmation (128 + SIGINT, as shells report it)


# The table of exit codes at the end of every `--help`, each meaning translated where it is shown.
EXIT_CODES: tuple[tuple[ExitStatus, str], ...] = (
    (
        ExitStatus.SUCCESS,
        N_(
            "you submitted and the platform's confirmation was seen, or the setting shows off "
            "(with --dry-run: the form is ready)"
        ),
    ),
    (ExitStatus.BUG, N_("a bug in optout-bot (run again with --debug and report it)")),
    (ExitStatus.USAGE, N_("usage or configuration error")),
    (
        ExitStatus.NOT_OFFERED,
        N_("the platform does not offer the objection to this account (region, Page rather than profile)"),
    ),
    (ExitStatus.NOT_SUBMITTED, N_("you did not submit: the tab was closed or the wait ran out")),
    (ExitStatus.NOT_RECOGNISED, N_("the pages were not recognised: nothing was filled; a diagnostic was saved")),
    (
        ExitStatus.REFUSED,
        N_("refused: the walk led off the platform's own domains, or to a form that is not the right one"),
    ),
    (ExitStatus.BROWSER, N_("browser problem: none found, profile in use by a running browser, --cdp unreachable")),
    (ExitStatus.SETTING_ON, N_("verify: a setting is on (switched back on, or never switched off)")),
    (
        ExitStatus.FORM_TAMPERED,
        N_(
            "the page tried to send or replace the form by itself while optout-bot filled it: stopped, nothing was sent"
        ),
    ),
    (
        ExitStatus.NO_CONNECTION,
        N_("no connection to the platform's site: check your internet connection, then run again"),
    ),
    (
        ExitStatus.PROBE_FAILED,
        N_("probe: a flow reached its form or setting by none of its routes (the site changed); an archive was saved"),
    ),
    (ExitStatus.INTERRUPTED, N_("stopped with Ctrl-C: the line printed says whether anything was sent")),
)


def exit_code_help() -> str:
    """The table of exit codes, in the person's language (click shows it as each command's epilog)."""
    lines = [_("Exit codes:"), *(f"  {int(status)}  {_(meaning)}" for status, meaning in EXIT_CODES)]
    return "\n".join(lines)


class OptoutError(Exception):
    """An expected failure: `str(self)` is the one line shown to the person."""

    status: ExitStatus = ExitStatus.BUG

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(OptoutError):
    status = ExitStatus.USAGE


class NotOfferedError(OptoutError):
    status = ExitStatus.NOT_OFFERED


class NotSubmittedError(OptoutError):
    status = ExitStatus.NOT_SUBMITTED


class NotRecognisedError(OptoutError):
    status = ExitStatus.NOT_RECOGNISED


class RefusedError(OptoutError):
    status = ExitStatus.REFUSED


class BrowserProblemError(OptoutError):
    status = ExitStatus.BROWSER


class FormTamperedError(OptoutError):
    """The page sent itself, or changed under the tool, while it filled the form (the sending was blocked)."""

    status = ExitStatus.FORM_TAMPERED


class NoConnectionError(OptoutError):
    status = ExitStatus.NO_CONNECTION
