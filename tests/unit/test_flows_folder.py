"""Issue 18.5: which folder of flow files is in use, and who chose it.

`--flows-dir` > OPTOUT_BOT_FLOWS_DIR > the settings file's `flows_dir` > the bundled flows. The settings key is
read only when flows are first read (optout_bot.bundled), so `--help` and commands without flows never read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from optout_bot import bundled
from optout_bot.bundled import FLOWS_DIR
from optout_bot.paths import config_path
from optout_bot.settings.config import ConfigFileError, flows_dir_setting
from tests.e2e.cli import Home


@pytest.fixture(autouse=True)
def _bundled_again(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Whatever a test chose, the next one starts with the bundled flows (bundled.py keeps the choice globally)."""
    monkeypatch.setattr(bundled, "_override", None)
    monkeypatch.setattr(bundled, "_find_override", None)
    yield


def _folder_renaming_route(where: Path, route: str) -> Path:
    """A folder of one flow file, instagram.yaml, whose first route is renamed: `flows check` then names it."""
    text = (FLOWS_DIR / "instagram.yaml").read_text(encoding="utf-8")
    assert "id: settings-privacy-center" in text
    where.mkdir(parents=True)
    (where / "instagram.yaml").write_text(text.replace("id: settings-privacy-center", f"id: {route}", 1), "utf-8")
    return where


def _settings(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- bundled: the choice, and the settings read when flows are first read ---------------------------------------


def test_a_folder_chosen_on_the_line_wins_and_the_settings_are_never_read(tmp_path: Path) -> None:
    asked: list[str] = []
    folder = _folder_renaming_route(tmp_path / "chosen", "chosen")

    def from_settings() -> Path:
        asked.append("settings")
        return tmp_path

    bundled.use_flows_from(folder, otherwise=from_settings)
    assert bundled.flow_file("instagram.yaml") == folder / "instagram.yaml"
    assert asked == []


def test_without_a_chosen_folder_the_settings_are_read_once_when_flows_are_first_read(tmp_path: Path) -> None:
    folder = _folder_renaming_route(tmp_path / "from-settings", "from-settings")
    asked: list[str] = []

    def from_settings() -> Path:
        asked.append("settings")
        return folder

    bundled.use_flows_from(None, otherwise=from_settings)
    assert asked == []  # choosing reads nothing: `--help` and commands without flows stay as they were
    assert bundled.flow_file("instagram.yaml") == folder / "instagram.yaml"
    assert bundled.flow_file("facebook.yaml") == FLOWS_DIR / "facebook.yaml"  # the bundled one for the rest
    assert {path.parent for path in bundled.flow_files()} == {folder, FLOWS_DIR}
    assert asked == ["settings"]


def test_a_bad_settings_folder_stops_every_read_of_flows_not_only_the_first(tmp_path: Path) -> None:
    def refuse() -> Path:
        raise ValueError("bad flows_dir")

    bundled.use_flows_from(None, otherwise=refuse)
    for _ in range(2):
        with pytest.raises(ValueError, match="bad flows_dir"):
            bundled.flow_files()


def test_nothing_chosen_is_the_bundled_flows() -> None:
    bundled.use_flows_from(None)
    assert bundled.flows_override() is None
    assert all(path.parent == FLOWS_DIR for path in bundled.flow_files())


# --- the settings key ------------------------------------------------------------------------------------------


def test_no_settings_file_or_no_key_is_no_folder(tmp_path: Path) -> None:
    assert flows_dir_setting(tmp_path / "config.toml") is None
    (tmp_path / "config.toml").write_text('schema_version = 1\nemail = "jane@example.com"\n', encoding="utf-8")
    assert flows_dir_setting(tmp_path / "config.toml") is None


def test_a_relative_folder_is_taken_from_the_settings_files_folder(tmp_path: Path) -> None:
    (tmp_path / "my-flows").mkdir()
    (tmp_path / "config.toml").write_text('flows_dir = "my-flows"\n', encoding="utf-8")
    assert flows_dir_setting(tmp_path / "config.toml") == tmp_path / "my-flows"


def test_a_home_folder_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "person"))
    (tmp_path / "person" / "flows").mkdir(parents=True)
    (tmp_path / "config.toml").write_text('flows_dir = "~/flows"\n', encoding="utf-8")
    assert flows_dir_setting(tmp_path / "config.toml") == tmp_path / "person" / "flows"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('"nowhere"', "there is no folder {folder}: create it, correct the path, or remove the line"),
        ('"a-file"', "{folder} is not a folder: name the folder that holds your flow files, or remove the line"),
        ('""', "is empty: name the folder that holds your flow files, or remove the line"),
        ("3", 'should be text in double quotes, such as "…"'),
    ],
)
def test_a_bad_folder_is_one_line_naming_the_file_the_line_and_the_key(tmp_path: Path, value: str, says: str) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(f'schema_version = 1\nflows_dir = {value}\nemail = "jane@example.com"\n', encoding="utf-8")
    with pytest.raises(ConfigFileError) as raised:
        flows_dir_setting(path)
    folder = tmp_path / value.strip('"')
    assert raised.value.message == f"invalid settings: {path}:2: flows_dir: {says.format(folder=folder)}"
    assert raised.value.status == 2


def test_a_mistake_elsewhere_in_the_file_does_not_keep_the_flows_from_being_read(tmp_path: Path) -> None:
    """`flows check` reads the key alone: a bad email is for the commands that use it to say."""
    (tmp_path / "my-flows").mkdir()
    (tmp_path / "config.toml").write_text('email = "not an email"\nflows_dir = "my-flows"\n', encoding="utf-8")
    assert flows_dir_setting(tmp_path / "config.toml") == tmp_path / "my-flows"


def test_the_key_is_a_known_setting_kept_when_the_file_is_written_again(tmp_path: Path) -> None:
    from optout_bot.settings.config import load_config, to_toml

    (tmp_path / "config.toml").write_text('schema_version = 1\nflows_dir = "~/my flows"\n', encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    assert config.flows_dir == "~/my flows"
    assert 'flows_dir = "~/my flows"' in to_toml(config).splitlines()


# --- the command line: --flows-dir > OPTOUT_BOT_FLOWS_DIR > settings > bundled ---------------------------------


def _in_use(*args: str, **env: str) -> list[str]:
    """What `flows check` says it read from a folder (its `from FOLDER: files` line), in this process."""
    from optout_bot.cli.app import cli

    result = CliRunner().invoke(cli, [*args, "flows", "check"], env={"OPTOUT_BOT_FLOWS_DIR": None, **env})
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line.startswith("from ")]


def test_the_option_beats_the_environment_which_beats_the_settings_which_beat_the_bundled_flows(
    home: Home, tmp_path: Path
) -> None:
    option = _folder_renaming_route(tmp_path / "option", "option")
    environment = _folder_renaming_route(tmp_path / "environment", "environment")
    settings = _folder_renaming_route(tmp_path / "settings", "settings")
    _settings(f'schema_version = 1\nflows_dir = "{settings}"\n')

    everything = {"OPTOUT_BOT_FLOWS_DIR": str(environment)}
    assert _in_use("--flows-dir", str(option), **everything) == [f"from {option}: instagram.yaml"]
    assert _in_use(**everything) == [f"from {environment}: instagram.yaml"]
    assert _in_use() == [f"from {settings}: instagram.yaml"]
    config_path().unlink()
    assert _in_use() == []
