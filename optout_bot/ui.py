"""What the person reads in the terminal, and the one question the tool may ask them.

Kept in one place so that issue 5 (French, progress display) changes this module only.
"""

from __future__ import annotations

import sys

import click

from optout_bot.errors import UsageError


class Ui:
    def __init__(self, interactive: bool | None = None) -> None:
        self.interactive = sys.stdin.isatty() if interactive is None else interactive

    def say(self, message: str) -> None:
        click.echo(message)

    def step(self, message: str) -> None:
        click.echo(f"  · {message}")

    def warn(self, message: str) -> None:
        click.echo(f"! {message}", err=True)

    def ask(self, question: str, refusal: str) -> bool:
        """Ask a yes/no question; without a terminal to ask on, stop with `refusal` (exit 2)."""
        if not self.interactive:
            raise UsageError(refusal)
        return click.confirm(question, default=False)
