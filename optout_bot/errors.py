"""Exit codes and the expected failures that map to them.

An *expected* failure is an `OptoutError`: the CLI prints its one-line message (what went wrong and what
to do) and exits with its code. Anything else is a bug: exit 1, traceback only with --debug.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    SUCCESS = 0  # the person submitted and Meta's confirmation was seen (--dry-run: the form is ready)
    BUG = 1  # unexpected error
    USAGE = 2  # usage or configuration error
    NOT_OFFERED = 3  # Meta does not offer the objection to this account
    NOT_SUBMITTED = 4  # the person closed the tab, or the wait ran out
    NOT_RECOGNISED = 5  # the pages were not recognised: nothing was filled; a diagnostic was saved
    REFUSED = 6  # the walk led off Meta's domains, or to a form that is not the objection form
    BROWSER = 7  # no browser found, profile locked, --cdp unreachable


EXIT_CODE_HELP = """\
Exit codes:
  0  you submitted and Meta's confirmation was seen (with --dry-run: the form is ready)
  1  a bug in optout-bot (run again with --debug and report it)
  2  usage or configuration error
  3  Meta does not offer the objection to this account (region, Page rather than profile)
  4  you did not submit: the tab was closed or the wait ran out
  5  the pages were not recognised: nothing was filled; a diagnostic was saved
  6  refused: the walk led off Meta's domains or to a form that is not the objection form
  7  browser problem: none found, profile in use by a running browser, --cdp unreachable"""


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
