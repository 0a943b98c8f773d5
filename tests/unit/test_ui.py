"""What the person reads in the terminal: the walk's numbered steps, plain or with rich, and when each is used."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest

from optout_bot.flows import Route, load_flow, load_vocabulary
from optout_bot.flows.model import ClickStep, GotoStep, Target
from optout_bot.i18n import _, use_language
from optout_bot.ui import Ui, duration, wants_rich
from optout_bot.walk.walker import FROM_LINK_ROUTE, stages

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# --- plain or rich --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TERM": "xterm-256color"}, True),
        ({}, True),
        ({"TERM": "xterm", "NO_COLOR": "1"}, False),  # https://no-color.org
        ({"TERM": "xterm", "NO_COLOR": ""}, True),  # set but empty does not count
        ({"TERM": "dumb"}, False),
    ],
)
def test_rich_only_on_a_terminal_that_wants_colours(environ: dict[str, str], expected: bool) -> None:
    assert wants_rich(Terminal(), environ) is expected


def test_debug_gives_plain_lines_even_on_a_terminal() -> None:
    """--debug, handed down by the command group: the log's lines go to stderr between ours, as lines."""
    assert wants_rich(Terminal(), {"TERM": "xterm"}, debug=True) is False
    assert Ui(out=Terminal(), debug=True).fancy is False


def test_never_rich_when_the_output_is_not_a_terminal() -> None:
    assert wants_rich(io.StringIO(), {"TERM": "xterm-256color"}) is False
    assert Ui(out=io.StringIO()).fancy is False


def test_no_color_gives_plain_lines_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = Terminal()
    ui = Ui(out=out)
    ui.progress(1, 5, "Opening Instagram…")
    assert not ui.fancy and out.getvalue() == "[1/5] Opening Instagram…\n"


def test_plain_output_is_one_line_per_message_with_the_same_words() -> None:
    out, err = io.StringIO(), io.StringIO()
    ui = Ui(fancy=False, out=out, err=err)
    ui.progress(2, 5, "Opening Settings…")
    ui.step("Cookie notice: declined optional cookies.")
    ui.activity("Waiting up to 15 minutes for Meta's confirmation…")
    ui.success("Meta confirmed your objection: “Done.”")
    ui.warn("Meta's cookie notice offered no way to decline")
    ui.close()
    assert out.getvalue().splitlines() == [
        "[2/5] Opening Settings…",
        "  · Cookie notice: declined optional cookies.",
        "Waiting up to 15 minutes for Meta's confirmation…",
        "Meta confirmed your objection: “Done.”",
    ]
    assert err.getvalue() == "! Meta's cookie notice offered no way to decline\n"


def test_rich_output_keeps_each_step_as_a_line_once_the_next_begins() -> None:
    out, err = io.StringIO(), io.StringIO()
    with Ui(fancy=True, out=out, err=err) as ui:
        ui.progress(1, 2, "Opening Instagram…")
        ui.progress(2, 2, "Filling in the form…")
        ui.step("Email: jane@example.com (filled in by Meta).")
        ui.warn("a warning [in brackets]")  # rich markup is never interpreted in the person's text
        ui.say("Done [bold]")
    raw = out.getvalue()
    assert "\x1b[" in raw  # colours and the spinner's cursor moves
    assert raw.count("\x1b[?25l") == raw.count("\x1b[?25h") >= 1  # the cursor is always given back
    lines = [line.strip() for line in ANSI.sub("", raw).replace("\r", "\n").splitlines() if line.strip()]
    kept = [line for line in lines if line[0] not in "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"]  # without the spinner's frames
    assert kept == [
        "[1/2] Opening Instagram…",
        "[2/2] Filling in the form…",
        "· Email: jane@example.com (filled in by Meta).",
        "Done [bold]",
    ]
    assert ANSI.sub("", err.getvalue()) == "! a warning [in brackets]\n"


def test_closing_without_anything_under_way_prints_nothing() -> None:
    out = io.StringIO()
    Ui(fancy=True, out=out).close()
    assert out.getvalue() == ""


def test_rich_is_not_loaded_for_help_nor_by_the_ui_module() -> None:
    help_run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "optout_bot", "run", "--help"], capture_output=True, text=True
    )
    assert help_run.returncode == 0
    assert not re.search(r"\|\s+rich(\.|$)", help_run.stderr, re.MULTILINE)
    probe = "import sys, optout_bot.ui, optout_bot.walk.objection; print('rich' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "False"


@pytest.mark.parametrize(
    ("seconds", "said"), [(900, "15 minutes"), (60, "1 minute"), (89, "1 minute"), (45, "45 seconds"), (1, "1 second")]
)
def test_durations_are_said_in_words(seconds: float, said: str) -> None:
    assert duration(seconds) == said


# --- the clock while the person has the form (issue 17.7) -----------------------------------------------------


def test_plain_clock_says_elapsed_and_remaining_about_once_a_minute() -> None:
    out = io.StringIO()
    ui = Ui(fancy=False, out=out)
    with ui.countdown("Waiting for Meta's confirmation…", 900) as tick:
        for second in range(0, 185):  # the wait looks at the page several times a second: 3 minutes of it
            for quarter in range(4):
                tick(second + quarter / 4)
    ui.close()
    assert out.getvalue().splitlines() == [
        "Waiting for Meta's confirmation… (15:00 left)",
        "  · Still waiting: 1:00 so far, 14:00 left.",
        "  · Still waiting: 2:00 so far, 13:00 left.",
        "  · Still waiting: 3:00 so far, 12:00 left.",
    ]


def test_rich_clock_counts_the_seconds_on_the_waiting_line() -> None:
    out = io.StringIO()
    with Ui(fancy=True, out=out) as ui, ui.countdown("Waiting for Meta's confirmation…", 900) as tick:
        tick(65.2)
        tick(65.7)  # the same second: not redrawn
        tick(66.1)
    shown = ANSI.sub("", out.getvalue())
    assert "Waiting for Meta's confirmation… (1:06 so far, 13:54 left)" in shown
    assert "Still waiting" not in shown  # on a terminal the line itself is the clock


def test_a_new_activity_during_the_wait_keeps_the_clock() -> None:
    out = io.StringIO()
    with Ui(fancy=True, out=out) as ui, ui.countdown("Waiting for Meta's confirmation…", 120) as tick:
        ui.say("Meta sent you a code by email.")
        ui.activity("Waiting for Meta's confirmation after your code…")
        tick(30)
    assert "Waiting for Meta's confirmation after your code… (0:30 so far, 1:30 left)" in ANSI.sub("", out.getvalue())


# --- the walk's steps, as the person sees them ------------------------------------------------------------------


def labels(route: Route) -> list[str]:
    return [stage.label for stage in stages(route)]


def test_each_platform_s_own_click_path_is_five_steps_with_the_filling() -> None:
    vocabulary = load_vocabulary()
    instagram, facebook = (load_flow(p, vocabulary).routes[0] for p in ("instagram", "facebook"))
    expected = ["Opening Settings…", "Opening the Privacy Center…", "Opening the objection form…"]
    assert labels(instagram) == ["Opening Instagram…", *expected]  # More › Settings is one step
    assert labels(facebook) == ["Opening Facebook…", *expected]  # profile › Settings & privacy › Settings too
    assert [stage.steps for stage in stages(instagram)] == [(0,), (1, 2), (3,), (4,)]


def test_the_other_routes_name_their_pages() -> None:
    routes = {route.id: route for route in load_flow("facebook", load_vocabulary()).routes}
    assert labels(routes["privacy-topics-ai-at-meta"]) == [
        "Opening the Privacy Center…",
        "Opening Privacy topics…",
        "Opening “AI at Meta”…",
        "Opening the objection form…",
    ]
    assert labels(routes["privacy-policy-right-to-object"]) == [
        "Opening the Privacy Policy…",
        "Opening the objection form…",
    ]
    assert labels(routes["form-address-2025"]) == ["Opening the objection form…"]


def test_unknown_steps_and_the_link_from_metas_email_have_plain_names() -> None:
    link = Route(id=FROM_LINK_ROUTE, source="test", steps=[GotoStep(goto="https://www.facebook.com/help/contact/1")])
    assert labels(link) == ["Opening the link from Meta's email…"]
    odd = Route(
        id="odd",
        source="test",
        steps=[
            GotoStep(goto="https://www.instagram.com/explore/"),
            ClickStep(click=Target(role="link", name="something_new")),
            ClickStep(click=Target(role="button", name="more_menu"), menu=True),
        ],
    )
    assert labels(odd) == ["Opening the next page…", "Opening the next page…", "Opening the menu…"]


def test_what_a_step_says_comes_from_the_flow_file_and_is_translated() -> None:
    # The flow file writes it in English; the catalogue (scripts/i18n extracts flow files) has it in French.
    said = {stage.label for route in load_flow("x", load_vocabulary()).routes for stage in stages(route)}
    assert "Opening Privacy and safety…" in said
    use_language("fr")
    try:
        assert _("Opening Privacy and safety…") == "Ouverture de « Confidentialité et sécurité »…"
    finally:
        use_language("en")
