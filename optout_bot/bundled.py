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
