"""scripts/bench.py runs once with one pair so it cannot rot. Its targets are for the benchmark, not for CI."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a whole benchmark round
@pytest.mark.timeout(600)
def test_the_benchmark_script_runs_and_writes_its_report(tmp_path: Path) -> None:
    published = ROOT / "docs" / "benchmarks.json"
    before = published.stat().st_mtime_ns if published.exists() else None
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            *("-n", "1", "--warmup", "0", "--platform", "instagram", "--out", str(tmp_path)),
            *("--rows", "pairs,startup,heavy"),  # the changed-site rows are checked below, without a browser
        ],
        capture_output=True,
        text=True,
        timeout=540,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    report = json.loads((tmp_path / "benchmarks.json").read_text())
    assert {"date", "machine", "settings", "targets", "walks", "startup", "memory_mb"} <= report.keys()
    assert report["machine"]["cpus"] >= 1 and report["machine"]["playwright"]

    assert [(w["platform"], w["latency_ms"]) for w in report["walks"]] == [("instagram", 0), ("instagram", 150)]
    for walk in report["walks"]:
        for measure in ("to_exit", "to_ready", "cpu"):
            for column in ("tool_s", "bare_s", "ratio"):
                stats = walk[measure][column]
                assert stats["n"] == 1 and stats["median"] > 0, (walk["latency_ms"], measure, column)
        assert walk["to_ready"]["tool_s"]["median"] <= walk["to_exit"]["tool_s"]["median"]
        for who in ("tool", "bare"):
            memory = walk["memory_mb"][who]
            if Path("/proc").is_dir():  # memory is read from Linux's /proc
                assert all(memory[part]["median"] > 0 for part in ("python_mb", "driver_mb", "browser_mb")), who
    for command in ("python", "help", "flows_check"):
        assert report["startup"][command]["median"] > 0
    assert len(report["targets"]) == 4 and all(isinstance(t["met"], bool) for t in report["targets"])

    (heavy,) = report["heavy"]  # the same walk, on pages of a real site's size: it still reaches the form
    assert heavy["platform"] == "instagram" and heavy["to_ready"]["tool_s"]["n"] == 1

    page = (tmp_path / "benchmarks.md").read_text()
    assert "| instagram | 150 ms |" in page and "optout-bot --help" in page
    assert "## Pages as big as the real ones" in page
    assert (published.stat().st_mtime_ns if published.exists() else None) == before  # --out, never docs/


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def _run(bench: ModuleType, seconds: float, ready: float | None, exit_code: int) -> Any:
    return bench.Run(seconds, ready, 1.0, 0.5, bench.Memory(), exit_code)


def test_the_changed_site_and_giving_up_rows_say_honestly_whether_their_target_is_met(tmp_path: Path) -> None:
    bench = _bench()
    happy = [_run(bench, 3.0, 2.0, 0)]
    reached = bench.changed_site_report("instagram", happy, [_run(bench, 3.5, 2.5, 0)])
    failed = bench.changed_site_report("facebook", happy, [_run(bench, 74.8, None, 5)])
    quick = bench.gives_up_report("instagram", [_run(bench, 12.0, None, 5)])
    slow = bench.gives_up_report("facebook", [_run(bench, 75.0, None, 5)])
    wrong = bench.gives_up_report("x", [_run(bench, 4.0, None, 10)])

    assert reached["met"] and reached["ratio"] == 1.25
    assert not failed["met"] and failed["ratio"] is None
    assert bench.changed_site_value(failed) == "not reached (exit 5 after 74.8 s)"
    assert quick["met"] and not slow["met"] and not wrong["met"]
    assert bench.gives_up_value(wrong) == "not exit 5 (exit 10 after 4.0 s)"

    rows = bench.targets([], None, None, [reached, failed], [quick, slow, wrong])
    assert [row["met"] for row in rows] == [True, False, True, False, False]
    page = bench.markdown(
        {
            "machine": {key: "?" for key in ("cpu", "cpus", "memory_gib", "os", "python", "playwright", "browser")}
            | {"cpus_usable": 2, "browser_path": "?", "optout_bot": None},
            "settings": {"runs": 1, "warmup": 0, "lang_args": []},
            "date": "today",
            "load": {"start": 0.0, "end": 0.0},
            "targets": rows,
            "walks": [],
            "startup": None,
            "memory_mb": None,
            "changed_site": [reached, failed],
            "gives_up": [quick, slow, wrong],
        }
    )
    assert "| facebook | 2.00 s [2.00–2.00] | not reached (exit 5 after 74.8 s) | – | ≤ 1.5 × | **no** |" in page
    assert "| instagram | 12.00 s [12.00–12.00] | ≤ 20 s | yes |" in page


def test_every_measured_process_writes_its_byte_code_once_whatever_the_environment_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed optout-bot has its byte-code from the install; under PYTHONDONTWRITEBYTECODE every run of the
    # checkout compiled its modules again, a cost the one-file bare script does not pay.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    bench = _bench()
    first, second = bench.base_env(tmp_path / "one"), bench.base_env(tmp_path / "two")
    assert "PYTHONDONTWRITEBYTECODE" not in first
    assert first["PYTHONPYCACHEPREFIX"] == second["PYTHONPYCACHEPREFIX"]  # one cache for the whole bench
    code = "import sys; print(sys.dont_write_bytecode, sys.pycache_prefix)"
    shown = subprocess.run([sys.executable, "-c", code], env=first, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", first["PYTHONPYCACHEPREFIX"]]
