"""Where the files shipped with optout-bot are: the flows a contributor edits and the mock site's fixtures.

In a checkout they are the top-level `flows/` and `fixtures/` folders, edited in place. A built wheel carries
copies of them inside the package (`optout_bot/_bundled/`, see pyproject.toml's force-include), so an installed
`optout-bot` finds them with no checkout around.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

_PACKAGE = Path(__file__).parent
_IN_WHEEL = _PACKAGE / "_bundled"
_IN_CHECKOUT = _PACKAGE.parent


def _folder(name: str) -> Path:
    packaged = _IN_WHEEL / name
    return packaged if packaged.is_dir() else _IN_CHECKOUT / name


FLOWS_DIR = _folder("flows")
WORDS_DIR = FLOWS_DIR / "words"
FIXTURES_DIR = _folder("fixtures")


# A folder of flow files (and its words/) chosen by the person (--flows-dir, OPTOUT_BOT_FLOWS_DIR, else the settings
# file's `flows_dir`): each of its files replaces the bundled file of the same name, so a fixed flow can be tried
# before a release. It is read and validated exactly like the bundled ones (flows/loader.py); `flows check` checks
# what is then in use.
_override: Path | None = None
# Where the folder comes from when none was chosen on the command line: the settings file, read only once flows are
# read (flows_override), so that `--help` and the commands without flows never read it, nor fail on its mistakes.
_find_override: Callable[[], Path | None] | None = None


def use_flows_from(folder: Path | None, *, otherwise: Callable[[], Path | None] | None = None) -> None:
    """The folder chosen (None: the bundled flows); without one, `otherwise` names one when flows are first read."""
    global _override, _find_override
    _override = folder
    _find_override = otherwise if folder is None else None


def flows_override() -> Path | None:
    """The folder whose files replace the bundled ones, if any. Its finder's error (a settings key naming no
    folder) stops this read of flows and every later one: never the bundled flows instead of the person's."""
    global _override, _find_override
    if _find_override is not None:
        _override = _find_override()
        _find_override = None
    return _override


def flow_file(name: str) -> Path:
    """The flow file of that name in use: the chosen folder's, else the bundled one."""
    folder = flows_override()
    if folder is not None and (folder / name).is_file():
        return folder / name
    return FLOWS_DIR / name


def flow_files() -> list[Path]:
    """Every flow file in use, by name: the chosen folder's, and the bundled ones it does not replace."""
    names = {path.name for path in FLOWS_DIR.glob("*.yaml")}
    folder = flows_override()
    if folder is not None:
        names |= {path.name for path in folder.glob("*.yaml")}
    return sorted((flow_file(name) for name in names), key=lambda path: path.name)


def word_files() -> list[Path]:
    """Every word file in use (words/<lang>.yaml), the chosen folder's replacing the bundled one of its language."""
    by_name = {path.name: path for path in WORDS_DIR.glob("*.yaml")}
    folder = flows_override()
    if folder is not None:
        by_name |= {path.name: path for path in (folder / "words").glob("*.yaml")}
    return [by_name[name] for name in sorted(by_name)]


def replaced_files() -> list[str]:
    """The files the chosen folder replaces, as named in it (instagram.yaml, words/fr.yaml): what runs read instead."""
    folder = flows_override()
    if folder is None:
        return []
    in_use = [*flow_files(), *word_files()]
    return [path.relative_to(folder).as_posix() for path in in_use if path.is_relative_to(folder)]
