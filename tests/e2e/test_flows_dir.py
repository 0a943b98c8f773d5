"""Issue 18.5: flows from a folder the person chooses (--flows-dir, OPTOUT_BOT_FLOWS_DIR), file by file.

Each file of the folder replaces the bundled file of the same name, and is validated exactly like it; the walk
then follows it. The bundled files themselves are never changed by these tests.
"""

from __future__ import annotations

import hashlib
import json
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


# --- The settings file's `flows_dir`: written once, used by every command that reads flows ---------------------


def _settings(home: Home, text: str) -> Path:
    path = home.root / "config" / "optout-bot" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_settings_folder_replaces_its_files_and_the_bundled_ones_serve_for_the_rest(
    home: Home, tmp_path: Path
) -> None:
    settings = _settings(home, 'schema_version = 1\nflows_dir = "my-flows"\n')  # beside the settings file
    folder = _folder_with(tmp_path, "instagram.yaml", "id: settings-privacy-center", "id: my-fixed-route")
    folder.rename(settings.parent / "my-flows")
    folder = settings.parent / "my-flows"

    checked = run_cli(home, "flows", "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == ["flows OK", f"from {folder}: instagram.yaml"]

    # A mistake in the folder's file is named there: it is that file `flows check` read, not the bundled one.
    (folder / "instagram.yaml").write_text(
        (folder / "instagram.yaml").read_text(encoding="utf-8").replace("role: button", "role: buton", 1), "utf-8"
    )
    broken = run_cli(home, "flows", "check")
    assert broken.returncode == 2
    assert f"{folder / 'instagram.yaml'}:" in broken.stderr and "Input should be 'button'" in broken.stderr
    # The option still beats the settings.
    assert run_cli(home, "--flows-dir", str(FLOWS_DIR), "flows", "check").returncode == 0


def test_the_demo_keeps_to_the_bundled_flows_unless_a_folder_is_asked_for_on_the_line(
    home: Home, tmp_path: Path
) -> None:
    folder = _folder_with(tmp_path, "instagram.yaml", "id: settings-privacy-center", "id: my-fixed-route")
    _settings(home, f'schema_version = 1\nflows_dir = "{folder}"\n')
    demo_line = ("demo", "--platform", "instagram", "--headless", "--dry-run")
    assert "(route: settings-privacy-center)" in run_cli(home, *demo_line).stdout
    asked = run_cli(home, "--flows-dir", str(folder), *demo_line)
    assert "(route: my-fixed-route)" in asked.stdout, asked.stderr


def test_a_settings_folder_that_is_not_there_is_one_line_and_exit_2_where_flows_are_read(
    home: Home, tmp_path: Path
) -> None:
    settings = _settings(home, 'schema_version = 1\nemail = "jane@example.com"\nflows_dir = "~/nowhere"\n')
    result = run_cli(home, "flows", "check", HOME=str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"optout-bot: invalid settings: {settings}:3: flows_dir: there is no folder {tmp_path / 'nowhere'}: "
        "create it, correct the path, or remove the line"
    ]
    probe = run_cli(home, "probe", "--mock", "--platform", "instagram", "--headless", HOME=str(tmp_path))
    assert (probe.returncode, probe.stderr) == (2, result.stderr)  # before any browser: the same line

    # What reads no flows, or keeps to the bundled ones, is not stopped by it.
    assert run_cli(home, "--help", HOME=str(tmp_path)).returncode == 0
    initialised = run_cli(home, "init", "--yes", HOME=str(tmp_path))
    assert initialised.returncode == 0, initialised.stderr
    assert 'flows_dir = "~/nowhere"' in settings.read_text(encoding="utf-8")  # kept as the person wrote it


def test_probe_walks_the_routes_of_the_settings_folder(home: Home, tmp_path: Path) -> None:
    folder = _folder_with(tmp_path, "whatsapp.yaml", "id: form-address\n", "id: my-fixed-address\n")
    _settings(home, f'schema_version = 1\nflows_dir = "{folder}"\n')
    result = run_cli(home, "probe", "--mock", "--platform", "whatsapp", "--headless", "--json")
    assert result.returncode == 0, result.stderr
    (flow,) = json.loads(result.stdout)["flows"]
    assert [route["id"] for route in flow["routes"]] == ["my-fixed-address", "privacy-policy-contact"]


def test_a_run_stopped_by_a_bad_settings_folder_stops_before_anything_is_opened_or_recorded(home: Home) -> None:
    _settings(home, 'schema_version = 1\nflows_dir = "nowhere"\n')
    line = ("run", "--platform", "instagram", "--dry-run", "--headless", "--email", "jane@example.com")
    result = run_cli(home, *line, "--country", "FR")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "flows_dir: there is no folder" in result.stderr
    assert run_cli(home, "status").stdout.startswith("No run recorded")  # no run began: nothing in the ledger
    assert not (home.data / "profiles").exists()
