"""Issue 18.5: flows from a folder the person chooses (--flows-dir, OPTOUT_BOT_FLOWS_DIR), file by file.

Each file of the folder replaces the bundled file of the same name, and is validated exactly like it; the walk
then follows it. The bundled files themselves are never changed by these tests.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from optout_bot.bundled import FLOWS_DIR
from tests.e2e.cli import Home, run_cli


def _bundled_digest() -> str:
    files = sorted([*FLOWS_DIR.glob("*.yaml"), *(FLOWS_DIR / "words").glob("*.yaml")])
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()


def _folder_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "my-flows"
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (FLOWS_DIR / name).read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_fixed_flow_from_the_folder_is_the_one_the_walk_follows(home: Home, tmp_path: Path) -> None:
    before = _bundled_digest()
    # The fixed flow: the first route renamed, so the run says which file it followed.
    folder = _folder_with(tmp_path, "instagram.yaml", "id: settings-privacy-center", "id: my-fixed-route")

    checked = run_cli(home, "--flows-dir", str(folder), "flows", "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == ["flows OK", f"from {folder}: instagram.yaml"]

    demo = run_cli(home, "--flows-dir", str(folder), "demo", "--platform", "instagram", "--headless", "--dry-run")
    assert demo.returncode == 0, demo.stderr
    assert "(route: my-fixed-route)" in demo.stdout
    # Without the folder, the bundled flow again; and the environment variable is the same choice.
    demo_line = ("demo", "--platform", "instagram", "--headless", "--dry-run")
    assert "(route: settings-privacy-center)" in run_cli(home, *demo_line).stdout
    by_env = run_cli(home, *demo_line, OPTOUT_BOT_FLOWS_DIR=str(folder))
    assert "(route: my-fixed-route)" in by_env.stdout, by_env.stderr
    assert _bundled_digest() == before


def test_a_mistake_in_the_folder_is_named_at_its_file_and_line(home: Home, tmp_path: Path) -> None:
    folder = _folder_with(
        tmp_path, "facebook.yaml", "role: button, name: your_profile", "role: buton, name: your_profile"
    )
    line = next(n for n, text in enumerate((folder / "facebook.yaml").read_text().splitlines(), 1) if "buton" in text)

    checked = run_cli(home, "--flows-dir", str(folder), "flows", "check")
    assert checked.returncode == 2
    assert f"facebook.yaml:{line}: routes.0.steps.1.click.role: Input should be 'button'" in checked.stderr
    assert str(folder) in checked.stderr or "my-flows" in checked.stderr  # the folder's file, not the bundled one

    run = run_cli(home, "--flows-dir", str(folder), "demo", "--platform", "facebook", "--headless", "--dry-run")
    assert run.returncode == 2
    assert "invalid flow data: " in run.stderr and "Traceback" not in run.stderr


def test_a_word_file_in_the_folder_replaces_that_language_only(home: Home, tmp_path: Path) -> None:
    folder = _folder_with(tmp_path, "words/fr.yaml", "language: fr", "language: de")
    checked = run_cli(home, "--flows-dir", str(folder), "flows", "check")
    assert checked.returncode == 2
    assert "fr.yaml:" in checked.stderr and "says 'de' but the file is fr.yaml" in checked.stderr


def test_a_folder_that_is_not_there_is_a_usage_error(home: Home, tmp_path: Path) -> None:
    result = run_cli(home, "--flows-dir", str(tmp_path / "nowhere"), "flows", "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "nowhere" in result.stderr
