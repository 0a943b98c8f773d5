"""The log file: where it is, who can read it, and that no secret of the person's ever reaches it."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from loguru import logger

from optout_bot.promises.scrub import forget_personal, remember_personal, scrub_log_text
from optout_bot.records.logfile import configure_logging, current_log, record_failure, stop_logging

TOKEN = "NAcMqXb3yFzK8a1-p2Wc_7Qe9RtYuIoPlKjHgF"  # shaped like Meta's fb_dtsg


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """platformdirs reads XDG_STATE_HOME on Linux: the log goes under tmp, and no handler outlives a test."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield tmp_path / "state"
    stop_logging()
    forget_personal()


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def log_text(path: Path) -> str:
    logger.complete()
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(path.parent.iterdir()))


# --- the scrubber, on its own ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "settings-privacy-center: goto https://www.facebook.com/settings at "
            "https://www.facebook.com/settings/?tab=privacy&fb_dtsg=NAcX#top: ok",
            "settings-privacy-center: goto https://www.facebook.com/settings at https://www.facebook.com/settings/: ok",
        ),
        ("https://jane:hunter2@www.facebook.com/login/", "https://www.facebook.com/login/"),
        ("see https://www.facebook.com/profile.php?id=100012345678901.", "see https://www.facebook.com/profile.php."),
        ("Cookie: c_user=100012345678901; xs=12%3AabcDEF; datr=Zx81", "Cookie: [removed]"),
        ("Set-Cookie: sessionid=abc123; Path=/; Secure", "Set-Cookie: [removed]"),
        ("authorization: Bearer EAAGm0PX4ZCpsBA", "authorization: [removed]"),
        ("c_user=100012345678901; xs=12%3Aabc", "c_user=[removed]; xs=[removed]"),
        ('{"token": "NAcabc", "USER_ID":"100012345678901"}', '{"token": "[removed]", "USER_ID":"[number]"}'),
        ("fb_dtsg=NAcabc&lsd=AVxyz&jazoest=21234", "fb_dtsg=[removed]&lsd=[removed]&jazoest=[removed]"),
        ("fb_dtsg%3DNAcabc", "fb_dtsg%3D[removed]"),
        ("{'csrftoken': 'kT8s', 'sessionid': '5%3A9'}", "{'csrftoken': '[removed]', 'sessionid': '[removed]'}"),
        ("access_token=EAAB session_token=s3cr", "access_token=[removed] session_token=[removed]"),
        ("password=hunter2 passwd: hunter3", "password=[removed] passwd: [removed]"),
        ("approvals_code=123456 otp=654321 code: 111222", "approvals_code=[removed] otp=[removed] code: [removed]"),
        ("email jane.doe@example.com filled", "email [email] filled"),
        ("profile facebook.com/100012345678901/ and 100012345678901", "profile facebook.com/[number]/ and [number]"),
        ("phone +33612345678", "phone [phone]"),
        ("call 06.12.34.56.78 or 06 12 34 56 78", "call [phone] or [phone]"),
        ("email jöhn@exämple.fr and jöhn@xn--exmple-cua.fr", "email [email] and [email]"),
        (
            "at https://www.facebook.com/confirm/AbCdEf0123456789token/?t=1",
            "at https://www.facebook.com/confirm/[token]/",
        ),
        ('Locator.fill: Timeout\n  - fill("jane@example.com")', 'Locator.fill: Timeout\n  - fill("[removed]")'),
        (
            '  - locator resolved to <input value="Jane Doe" type="text"/>',
            '  - locator resolved to <input value="[removed]" type="text"/>',
        ),
    ],
)
def test_the_scrubber_removes_secrets_and_personal_data(line: str, expected: str) -> None:
    assert scrub_log_text(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "exit 7: no browser found; exit code 7",
        "route 2/3: privacy-topics-ai-at-meta",
        "form-address: goto https://www.facebook.com/help/contact/712876720715583 at https://www.facebook.com/: ok",
        "A diagnostic is in /home/jane/.local/share/optout-bot/diagnostics/20261129-101500-instagram",
        "cookie_wall: declined optional cookies",
        "boxes=3 and 1234567 short numbers stay",
    ],
)
def test_the_scrubber_keeps_what_a_contributor_needs(line: str) -> None:
    assert scrub_log_text(line) == line


def test_the_persons_values_are_hidden_in_every_form_once_remembered() -> None:
    remember_personal(emails=["jöhn@exämple.fr"], names=["Jane Doe"], phones=["+33 6 71 82 93 04"],
                      texts=["stop using my posts"])  # fmt: skip
    line = (
        'locator.fill("Jane Doe") typed jane, DOE; call 06-71-82-93-04 or %2B33%206%2071%2082%2093%2004; '
        "j%C3%B6hn%40ex%C3%A4mple.fr, j\\u00f6hn@ex\\u00e4mple.fr, jöhn@xn--exmple-cua.fr; reason: Stop using my posts"
    )
    scrubbed = scrub_log_text(line)
    for secret in ("Jane", "jane", "DOE", "71", "%2B33", "C3%B6hn", "u00f6hn", "exmple", "using my posts"):
        assert secret not in scrubbed
    assert "Janet" in scrub_log_text("Janet and Does stay: they are not the person's")


def test_a_malformed_address_is_dropped_whole() -> None:
    assert scrub_log_text("at http://[::1/x?fb_dtsg=abc now") == "at [url] now"


# --- the file -------------------------------------------------------------------------------------------------


def test_the_log_file_is_private_and_in_the_state_folder(state_home: Path) -> None:
    path = configure_logging(debug=False)

    assert path == state_home / "optout-bot" / "logs" / "optout-bot.log"
    assert current_log() == path
    logger.debug("a line")
    assert "a line" in log_text(path)
    assert mode(path) == "0o600"
    assert mode(path.parent) == "0o700"
    assert mode(path.parent.parent) == "0o700"


def test_an_existing_readable_log_is_tightened(state_home: Path) -> None:
    folder = state_home / "optout-bot" / "logs"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    (folder / "optout-bot.log").write_text("old line\n")
    (folder / "optout-bot.log").chmod(0o644)

    path = configure_logging(debug=False)

    assert path is not None
    assert (mode(path), mode(folder)) == ("0o600", "0o700")
    assert "old line" in log_text(path)  # appended to, not replaced


def test_lines_are_dated_levelled_and_scrubbed(state_home: Path) -> None:
    path = configure_logging(debug=False)
    assert path is not None

    url = f"https://www.facebook.com/privacy/center/?fb_dtsg={TOKEN}&__user=100012345678901"
    logger.debug("{route}: {step} at {url}: {outcome}", route="settings-privacy-center", step="click", url=url,
                 outcome="ok")  # fmt: skip
    logger.warning("Cookie: c_user=100012345678901; xs=31%3AxyZ")
    logger.info("form pre-filled for jane.doe@example.com, password=hunter2")

    text = log_text(path)
    assert "settings-privacy-center: click at https://www.facebook.com/privacy/center/: ok" in text
    for secret in (TOKEN, "100012345678901", "xyZ", "jane.doe@example.com", "hunter2"):
        assert secret not in text
    line = next(line for line in text.splitlines() if "settings-privacy-center" in line)
    assert line.split(" | ")[1].strip() == "DEBUG"
    assert line[:4].isdigit() and line[4] == "-"  # starts with the date


def test_a_traceback_logged_by_anyone_is_scrubbed(state_home: Path) -> None:
    path = configure_logging(debug=False)
    assert path is not None

    def failing(address: str) -> None:
        secret_local = f"fb_dtsg={TOKEN}"  # diagnose mode would print this local variable
        raise RuntimeError(f"page {address} went wrong ({len(secret_local)})")

    try:
        failing("https://www.facebook.com/profile.php?id=100012345678901&c_user=100012345678901")
    except RuntimeError:
        logger.exception("walk failed for jane.doe@example.com")

    text = log_text(path)
    assert "Traceback (most recent call last)" in text and "in failing" in text
    assert "RuntimeError: page https://www.facebook.com/profile.php went wrong" in text
    for secret in (TOKEN, "100012345678901", "jane.doe@example.com"):
        assert secret not in text


def test_the_home_folder_is_written_as_a_tilde(state_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = state_home.parent / "jane"
    monkeypatch.setenv("HOME", str(home))
    path = configure_logging(debug=False)
    assert path is not None

    logger.info("a diagnostic is in {}/.local/share/optout-bot/diagnostics", home)
    logger.info("not hidden: {}t/file", home)

    text = log_text(path)
    assert "a diagnostic is in ~/.local/share/optout-bot/diagnostics" in text
    assert f"not hidden: {home}t/file" in text  # another folder whose name only starts the same


def test_record_failure_writes_exit_code_message_and_traceback_to_the_file_only(
    state_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = configure_logging(debug=True)
    try:
        raise ValueError(f"token={TOKEN} for jane.doe@example.com")
    except ValueError as exc:
        assert record_failure(7, "could not reach your browser at http://127.0.0.1:9?x=1", exc) == path

    assert path is not None
    text = log_text(path)
    assert "| ERROR   | exit 7: could not reach your browser at http://127.0.0.1:9" in text
    assert "Traceback (most recent call last)" in text and "ValueError: token=[removed] for [email]" in text
    assert TOKEN not in text and "x=1" not in text
    assert "exit 7" not in capsys.readouterr().err  # the terminal line is cli.main's to print, once


def test_debug_lines_go_to_stderr_scrubbed_as_well(state_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(debug=True)
    logger.debug("at https://www.instagram.com/accounts/?next=%2Fsecret: ok (lsd=AVtoken)")
    err = capsys.readouterr().err
    assert "at https://www.instagram.com/accounts/: ok (lsd=[removed])" in err
    assert "secret" not in err and "AVtoken" not in err


def test_record_failure_configures_the_file_if_the_command_had_not(state_home: Path) -> None:
    try:
        raise ImportError("no module named playwright")
    except ImportError as exc:
        path = record_failure(1, "unexpected error", exc)
    assert path == state_home / "optout-bot" / "logs" / "optout-bot.log"
    assert "exit 1: unexpected error" in log_text(path)


def test_rotated_files_are_private_too_and_old_ones_are_removed(state_home: Path) -> None:
    path = configure_logging(debug=False, rotation=400, retention=2)
    assert path is not None

    for number in range(60):
        logger.info("line {} of a long walk, long enough to fill the small file quickly", number)

    files = sorted(path.parent.iterdir())
    assert len(files) == 3  # the current file and the two newest rotated ones
    assert path in files
    assert {mode(f) for f in files} == {"0o600"}
    assert "line 59 of" in path.read_text()


def test_an_unusable_state_folder_does_not_stop_the_tool(state_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state_home.parent.mkdir(parents=True, exist_ok=True)
    state_home.write_text("a file where the state folder should be")

    assert configure_logging(debug=False) is None
    assert current_log() is None
    logger.info("nowhere to go, and no crash")
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        assert record_failure(1, "unexpected error", exc) is None
    assert len([line for line in capsys.readouterr().err.splitlines() if "could not be written" in line]) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to play a full disk")
def test_a_full_disk_is_said_once_and_the_log_is_given_up(state_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = state_home / "optout-bot" / "logs"
    folder.mkdir(parents=True)
    (folder / "optout-bot.log").symlink_to("/dev/full")

    assert configure_logging(debug=False) is None  # its first line could not be written
    for number in range(20):
        logger.info("line {}", number)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        assert record_failure(1, "unexpected error", exc) is None  # no "details in <log>" for an empty log

    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"optout-bot: the log file {folder / 'optout-bot.log'} could not be written (No space left on device); "
        "optout-bot carries on without it."
    ]
