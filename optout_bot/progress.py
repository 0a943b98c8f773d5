"""How far the walk got, so that what the command line says when it stops is true.

"Nothing was submitted" is only known until the form (or the setting) is in the person's hands; after that
the tool knows what it saw: the person's submission, then the platform's confirmation. The runner marks each
step here as it is reached; the command line (cli.main) and the ledger (recording) read it when a run ends
unexpectedly — Ctrl-C, a bug — to choose their words. One walk at a time in a process: `run --all` walks its
accounts one after the other, and each run starts again from `WALKING`.
"""

from __future__ import annotations

import enum

from optout_bot.i18n import _


class Stage(enum.IntEnum):
    WALKING = 1  # finding and filling: nothing can have been submitted or switched by the person yet
    HANDED_OVER = 2  # the form or the setting is the person's; the tool only watches
    SUBMITTED = 3  # the tool saw the person's form go to the platform (its POST)
    CONFIRMED = 4  # the platform's confirmation was seen, and recorded in the ledger


class Kind(enum.Enum):
    FORM = "form"
    SETTING = "setting"


_stage: Stage | None = None  # None: no walk has begun in this process (a command without one, or not yet)
_kind = Kind.FORM
_interrupted = False  # the person pressed Ctrl-C (optout_bot.entry's SIGINT handler)


def interrupt() -> None:
    """Ctrl-C was pressed. In a terminal it also stops Playwright's driver, so a call in flight may fail as a
    closed page before Python's KeyboardInterrupt arrives: whatever failure follows, the person stopped it."""
    global _interrupted
    _interrupted = True


def interrupted() -> bool:
    return _interrupted


def begin() -> None:
    """A run starts walking (each run of `run --all` too)."""
    global _stage, _kind
    _stage, _kind = Stage.WALKING, Kind.FORM


def reach(stage: Stage, kind: Kind | None = None) -> None:
    """The walk got this far; `kind` says what was handed over (a form by default)."""
    global _stage, _kind
    _stage = stage
    if kind is not None:
        _kind = kind


def stage() -> Stage | None:
    return _stage


def reset() -> None:
    """For tests: as if no walk had begun."""
    global _stage, _kind, _interrupted
    _stage, _kind, _interrupted = None, Kind.FORM, False


def what_is_known() -> str:
    """One sentence on what was (or was not) submitted, true whenever the walk stops; "" if no walk began."""
    if _stage is None:
        return ""
    if _stage is Stage.WALKING:
        return _("Nothing was submitted.")
    if _kind is Kind.SETTING:
        if _stage is Stage.CONFIRMED:
            return _("The setting was seen off, and that is recorded.")
        return _("The setting was in your hands: optout-bot did not see it switched off.")
    if _stage is Stage.HANDED_OVER:
        return _(
            "The form was in your hands: optout-bot did not see it sent. If you sent it, check your email for "
            "Meta's confirmation."
        )
    if _stage is Stage.SUBMITTED:
        return _("Your form was sent, but optout-bot did not see Meta's confirmation: check your email for it.")
    return _("Meta's confirmation was seen, and it is recorded.")
