"""The package's folders are floors: a module imports only from its own floor or the ones below it.

The order is the one each folder's docstring states. A new flat module counts as a top-level one, so a module
that reaches up into the walk or the command line from the top level fails here until it finds its folder.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "optout_bot"

# Lowest first. The top-level modules are the floor everyone stands on; `entry` (the program) stands on all.
FLOORS = ["", "flows", "settings", "promises", "records", "mock_site", "walk", "cli"]
PROGRAM = {"optout_bot.entry", "optout_bot.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def floor(module: str) -> int:
    parts = module.split(".")
    folder = parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else ""
    assert folder in FLOORS, f"{module}: the folder {folder!r} has no floor in tests/unit/test_layout.py"
    return FLOORS.index(folder)


def imports_of(path: Path) -> set[str]:
    """Every optout_bot module the file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("optout_bot")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("optout_bot"):
            found.add(node.module)
            # `from optout_bot.walk import walker` imports the module optout_bot.walk.walker
            found |= {
                f"{node.module}.{a.name}"
                for a in node.names
                if (PACKAGE.parent / node.module.replace(".", "/") / f"{a.name}.py").exists()
            }
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts)


def test_the_package_has_its_folders() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders == set(FLOORS) - {""}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_from_its_floor_or_below(path: Path) -> None:
    module = module_name(path)
    if module in PROGRAM:
        return
    upward = sorted(other for other in imports_of(path) if floor(other) > floor(module))
    assert not upward, f"{module} (floor {FLOORS[floor(module)] or 'top level'}) imports from above: {upward}"


def test_every_folder_says_its_job_and_what_it_may_import() -> None:
    for folder in FLOORS[1:]:
        doc = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"optout_bot/{folder}/__init__.py should say its job and what it may import"
