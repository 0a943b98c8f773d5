"""scripts/bench.py runs once with one pair so it cannot rot. Its targets are for the benchmark, not for CI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
def test_the_benchmark_script_runs_and_writes_its_report(tmp_path: Path) -> None:
    published = ROOT / "docs" / "benchmarks.json"
    before = published.stat().st_mtime_ns if published.exists() else None
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            *("-n", "1", "--warmup", "0", "--platform", "instagram", "--out", str(tmp_path)),
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

    page = (tmp_path / "benchmarks.md").read_text()
    assert "| instagram | 150 ms |" in page and "optout-bot --help" in page
    assert (published.stat().st_mtime_ns if published.exists() else None) == before  # --out, never docs/
