"""Where the files shipped with optout-bot are: the flows a contributor edits and the mock site's fixtures.

In a checkout they are the top-level `flows/` and `fixtures/` folders, edited in place. A built wheel carries
copies of them inside the package (`optout_bot/_bundled/`, see pyproject.toml's force-include), so an installed
`optout-bot` finds them with no checkout around.
"""

from __future__ import annotations

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


# A folder of flow files (and its words/) chosen by the person (--flows-dir, OPTOUT_BOT_FLOWS_DIR): each of its
# files replaces the bundled file of the same name, so a fixed flow can be tried before a release. It is read and
# validated exactly like the bundled ones (flows/loader.py); `flows check` checks what is then in use.
_override: Path | None = None


def use_flows_from(folder: Path | None) -> None:
    global _override
    _override = folder


def flows_override() -> Path | None:
    return _override


def flow_file(name: str) -> Path:
    """The flow file of that name in use: the chosen folder's, else the bundled one."""
    if _override is not None and (_override / name).is_file():
        return _override / name
    return FLOWS_DIR / name


def flow_files() -> list[Path]:
    """Every flow file in use, by name: the chosen folder's, and the bundled ones it does not replace."""
    names = {path.name for path in FLOWS_DIR.glob("*.yaml")}
    if _override is not None:
        names |= {path.name for path in _override.glob("*.yaml")}
    return sorted((flow_file(name) for name in names), key=lambda path: path.name)


def word_files() -> list[Path]:
    """Every word file in use (words/<lang>.yaml), the chosen folder's replacing the bundled one of its language."""
    by_name = {path.name: path for path in WORDS_DIR.glob("*.yaml")}
    if _override is not None:
        by_name |= {path.name: path for path in (_override / "words").glob("*.yaml")}
    return [by_name[name] for name in sorted(by_name)]
