"""What a walk needs before its first page is prepared while Playwright's driver starts (walk/objection.py,
prepare_walk; walk/targets.py, warm_patterns), so the main thread does not do it between the browser's start and
the first page (scripts/bench.py measures the difference).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from optout_bot.flows import load_flow, load_vocabulary
from optout_bot.flows import vocabulary as words
from optout_bot.flows.loader import bundled_platforms
from optout_bot.settings.options import RunOptions, Timeouts
from optout_bot.settings.values import FormValues
from optout_bot.ui import Ui
from optout_bot.walk import objection
from optout_bot.walk.targets import locate, warm_patterns
from optout_bot.walk.walker import Walker


@pytest.mark.parametrize("platform", bundled_platforms())
def test_after_the_warm_up_the_walker_and_its_route_targets_compile_no_pattern(mock_tab: Page, platform: str) -> None:
    vocabulary = load_vocabulary()
    flow = load_flow(platform, vocabulary)
    words._compiled.cache_clear()
    warm_patterns(flow, vocabulary)
    warmed = words._compiled.cache_info()
    assert warmed.misses > 0  # it did compile the flow's patterns

    Walker(mock_tab, flow, vocabulary, Ui(interactive=False), Timeouts(step=2))
    for route in flow.routes:
        for step in route.steps:
            if hasattr(step, "click"):
                locate(mock_tab, step.click, vocabulary)

    assert words._compiled.cache_info().misses == warmed.misses


def test_a_prepared_walk_is_taken_once_and_read_again_when_its_file_changed(tmp_path: Path) -> None:
    options = RunOptions(platform="whatsapp", values=FormValues())
    objection.prepare_walk(options)
    vocabulary, flow = objection._read(options)
    assert flow.platform == "whatsapp" and "submit_button" in vocabulary.phrases
    assert objection._prepared == {}  # taken: a later walk reads the files again

    objection.prepare_walk(options)
    key = next(iter(objection._prepared))
    changed = (*key[:-1], ("elsewhere", 0, 0))  # as if a word file had changed since
    objection._prepared[changed] = objection._prepared.pop(key)
    _, again = objection._read(options)
    assert again is not flow and again == flow  # read anew, not the stale one
    objection._prepared.clear()


def test_a_flow_that_cannot_be_read_is_left_for_the_walk_to_report(monkeypatch: pytest.MonkeyPatch) -> None:
    options = RunOptions(platform="nowhere", values=FormValues())
    objection.prepare_walk(options)  # no error here: the walk reports it, recorded with its run
    assert objection._prepared == {}
