"""A mistake found in a file someone edits (a flow, a word list, the settings), shown as `file:line: where: what`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from optout_bot.bundled import FLOWS_DIR as _FLOWS_DIR


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None
    where: str
    message: str
    # A warning is reported but does not fail `flows check` nor stop a flow from loading (e.g. a word
    # missing in one language, which then uses the English phrases for it).
    warning: bool = False

    def __str__(self) -> str:
        place = f"{display_path(self.file)}:{self.line}" if self.line else display_path(self.file)
        if self.warning:
            place += ": warning"
        return f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"


def display_path(path: Path) -> str:
    """`flows/instagram.yaml` for the bundled files, a path relative to the working directory otherwise."""
    try:
        return str(Path("flows") / path.resolve().relative_to(_FLOWS_DIR.resolve()))
    except ValueError:
        pass
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
