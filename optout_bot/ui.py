"""What the person reads in the terminal, and the one question the tool may ask them.

The one place that prints during a walk. The same words are shown two ways:

- on a terminal, with `rich`: the step under way has a spinner ("[2/5] Opening Settings…") and stays as a
  line once the next one starts; warnings stand out in colour;
- as plain lines when the output is not a terminal (a pipe, a file, the tests), when NO_COLOR is set
  (https://no-color.org) or when TERM=dumb.

Messages arrive already translated (`_()` where they are written). rich is imported on the first message
shown on a terminal, never when the commands are loaded: `--help` does not pay for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import click

from optout_bot.errors import UsageError
from optout_bot.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status


def wants_rich(stream: IO[str], environ: Mapping[str, str] | None = None, *, debug: bool = False) -> bool:
    """Colours and a spinner only for a person watching a terminal that can show them."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    if debug:  # --debug: the log's lines go to stderr between ours, as lines
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # a closed stream
        return False


def duration(seconds: float) -> str:
    """How long, in the person's language: "15 minutes", "1 minute", "45 seconds"."""
    if seconds >= 60:
        minutes = round(seconds / 60)
        return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
    whole = max(round(seconds), 1)
    return ngettext("{count} second", "{count} seconds", whole).format(count=whole)


class Ui:
    """`fancy`: None decides from the output (see wants_rich); True or False forces it (tests). `debug`: --debug."""

    def __init__(
        self,
        interactive: bool | None = None,
        *,
        fancy: bool | None = None,
        out: IO[str] | None = None,
        err: IO[str] | None = None,
        debug: bool = False,
    ) -> None:
        self.interactive = sys.stdin.isatty() if interactive is None else interactive
        self._out = out
        self._err = err
        self.fancy = wants_rich(out or sys.stdout, debug=debug) if fancy is None else fancy
        self._console: Console | None = None
        self._err_console: Console | None = None
        self._status: Status | None = None
        self._current: tuple[str, str] | None = None  # the activity under way: (prefix, message)
        self._clock: Countdown | None = None  # the wait under way, whose time the activity line shows

    # --- what the walk says -------------------------------------------------------------------------------

    def say(self, message: str) -> None:
        """A sentence for the person."""
        self._line(message)

    def success(self, message: str) -> None:
        """Good news: Meta confirmed, the form is ready."""
        self._line(message, style="bold green")

    def step(self, message: str) -> None:
        """A detail of the step under way (a cookie notice declined, a field filled)."""
        self._line(f"  · {message}", style="dim")

    def progress(self, number: int, total: int, message: str) -> None:
        """A numbered step of the walk, shown as it starts: "[2/5] Opening Settings…"."""
        self.activity(message, prefix=f"[{number}/{total}] ")

    def activity(self, message: str, prefix: str = "") -> None:
        """Something under way (a step, a wait): a spinner on a terminal, a line otherwise.

        On a terminal the line stays, as in the plain output, once the next thing is shown.
        """
        if not self.fancy:
            click.echo(f"{prefix}{message}", file=self._out)
            return
        self._commit()
        self._current = (prefix, message)
        text = self._text(prefix, message)
        if self._status is None:
            self._status = self._stdout().status(text, spinner="dots")
            self._status.start()
        else:
            self._status.update(text)

    def countdown(self, message: str, total_s: float) -> Countdown:
        """A wait for the person, with its clock: `with ui.countdown(…) as tick:`, then `tick(elapsed_s)` as often
        as the waiter looks. On a terminal the activity line counts the seconds, whatever activity is shown during
        the wait; otherwise one line now, then one a minute at most ("Still waiting: 2:00 so far, 13:00 left.")."""
        clock = self._clock = Countdown(self, total_s)
        if self.fancy:
            self.activity(message)
        else:
            click.echo(f"{message} {_(_LEFT).format(left=clock.left())}", file=self._out)
        return clock

    def _tick(self, clock: Countdown, new_second: bool, new_minute: bool) -> None:
        """The clock moved: redraw the activity line (a terminal), or say it once a minute (plain lines)."""
        if clock is not self._clock:
            return
        if not self.fancy:
            if new_minute:
                self.step(_("Still waiting: {elapsed} so far, {left} left.").format(**clock.said()))
            return
        if new_second and self._status is not None and self._current is not None:
            self._status.update(self._text(*self._current))

    def _stop_clock(self, clock: Countdown) -> None:
        if clock is self._clock:
            self._clock = None

    def warn(self, message: str) -> None:
        if not self.fancy:
            click.echo(f"! {message}", err=True, file=self._err)
            return
        from rich.text import Text

        self._pause()
        self._stderr().print(Text.assemble(("! ", "bold yellow"), (message, "yellow")))

    def ask(self, question: str, refusal: str) -> bool:
        """Ask a yes/no question; without a terminal to ask on, stop with `refusal` (exit 2)."""
        if not self.interactive:
            raise UsageError(refusal)
        self._pause()
        return confirm(question, default=False)

    def close(self) -> None:
        """Stop the spinner (and give the cursor back); what was under way stays as a line."""
        self._pause()

    def __enter__(self) -> Ui:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- drawing ------------------------------------------------------------------------------------------

    def _line(self, message: str, style: str = "") -> None:
        if not self.fancy:
            click.echo(message, file=self._out)
            return
        from rich.text import Text

        self._pause()
        self._stdout().print(Text(message, style=style))

    def _text(self, prefix: str, message: str) -> Any:
        from rich.text import Text

        clock = "" if self._clock is None else " " + _(_SO_FAR).format(**self._clock.said())
        return Text.assemble((prefix, "bold cyan"), message, (clock, "dim"))

    def _commit(self) -> None:
        """The activity under way becomes a line of the history."""
        if self._current is not None:
            prefix, message = self._current
            self._current = None
            self._stdout().print(self._text(prefix, message))

    def _pause(self) -> None:
        """Before anything else is printed, or a question asked: the spinner stops, its line stays."""
        if self._status is not None:
            status, self._status = self._status, None
            status.stop()
        self._commit()

    def _stdout(self) -> Console:
        if self._console is None:
            self._console = _console(self._out, stderr=False)
        return self._console

    def _stderr(self) -> Console:
        if self._err_console is None:
            self._err_console = _console(self._err, stderr=True)
        return self._err_console


_LEFT = N_("({left} left)")
_SO_FAR = N_("({elapsed} so far, {left} left)")
_PLAIN_EVERY_S = 60  # without a terminal, a line a minute at most: a log, not a ticker


class Countdown:
    """The clock of one wait (Ui.countdown): how long so far, how long left, as "m:ss"."""

    def __init__(self, ui: Ui, total_s: float) -> None:
        self._ui = ui
        self.total = int(total_s)
        self.elapsed = 0

    def __call__(self, elapsed_s: float) -> None:
        elapsed = min(int(elapsed_s), self.total)
        new_minute = elapsed // _PLAIN_EVERY_S > self.elapsed // _PLAIN_EVERY_S
        new_second = elapsed != self.elapsed
        self.elapsed = elapsed
        self._ui._tick(self, new_second, new_minute)

    def left(self) -> str:
        return _clock_time(self.total - self.elapsed)

    def said(self) -> dict[str, str]:
        return {"elapsed": _clock_time(self.elapsed), "left": self.left()}

    def __enter__(self) -> Countdown:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._ui._stop_clock(self)


def _clock_time(seconds: int) -> str:
    minutes, seconds = divmod(max(seconds, 0), 60)
    return f"{minutes}:{seconds:02d}"


# --- yes or no ----------------------------------------------------------------------------------------------

# Answers to a yes-or-no question, understood in every language optout-bot speaks ("o", "oui": French), so
# that a French person typing "yes" out of habit, or an English one "o", is not refused.
_YES = ("y", "yes", "o", "oui")
_NO = ("n", "no", "non")
_YES_NO_DEFAULT_YES = N_("[Y/n]")
_YES_NO_DEFAULT_NO = N_("[y/N]")
_BAD_YES_NO = N_("answer y for yes or n for no")
# What follows each question, before the answer: French puts a space before the colon.
PROMPT_SUFFIX = N_(": ")


def _yes_or_no(default: bool) -> Callable[[str], bool]:
    def convert(answer: str) -> bool:
        word = answer.strip().lower()
        if not word:
            return default
        if word in _YES or word in _NO:
            return word in _YES
        raise click.UsageError(_(_BAD_YES_NO))  # click says it (after "Error:") and asks again

    return convert


def confirm(question: str, default: bool) -> bool:
    """click.confirm in the person's language: [o/N] and "oui" in French, a wrong answer asked again in it.

    (click.confirm itself shows [y/N] and says "Error: invalid input" in English.)
    """
    suffix = _(_YES_NO_DEFAULT_YES if default else _YES_NO_DEFAULT_NO)
    answer: bool = click.prompt(
        f"{question} {suffix}",
        default="",
        show_default=False,
        prompt_suffix=_(PROMPT_SUFFIX),
        value_proc=_yes_or_no(default),
    )
    return answer


def _console(file: IO[str] | None, *, stderr: bool) -> Console:
    from rich.console import Console

    # soft_wrap: long lines (paths, addresses) are wrapped by the terminal, never cut by rich, so they can
    # be copied whole. highlight off: rich would colour numbers and quotes in the person's sentences.
    if file is None:
        return Console(stderr=stderr, highlight=False, soft_wrap=True)
    return Console(file=file, force_terminal=True, highlight=False, soft_wrap=True, width=100)
