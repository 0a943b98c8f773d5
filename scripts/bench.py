#!/usr/bin/env python3
"""Benchmarks of optout-bot on the bundled mock of Meta's site, side by side with a bare Playwright script.

    .venv/bin/python scripts/bench.py [-n 10] [--warmup 1] [--platform instagram] [--out docs]

In one run, on this machine:
  - the time from starting `optout-bot run --dry-run --headless` to its exit (the form found, filled and
    screenshotted, the browser closed), for each platform, alternating run by run with scripts/bare_walk.py:
    the same walk hand-written in plain Playwright (same browser and flags, a fresh profile each, same clicks,
    same fills, one screenshot). Each pair gives a ratio tool / bare script;
  - the same again with the mock server waiting 150 ms before every response (Scenario.latency_ms);
  - the time of `optout-bot --help` and `optout-bot flows check` (no browser), beside a bare `python -c pass`;
  - the CPU time of each run (less disturbed by a busy machine than its duration), and the peak memory of
    the tool's own Python process, of Playwright's driver and of the browser;
  - "changed site": the time to a ready form on the scrambled mock (Scenario.scrambled: menus renamed and
    moved, known form addresses gone, titles reworded), beside the happy path, alternating run by run;
  - "gives up": the time to exit 5 on a site where nothing the tool knows is on any page (layout="changed");
  - "heavy": the happy path's pairs on pages padded to a real site's size (~10,000 elements: HEAVY_PAGES).
`--rows` runs only some of these (pairs, startup, changed, gives-up, heavy); the report has only those.
It writes <out>/benchmarks.md (tables, the machine, the targets) and <out>/benchmarks.json (every run).
Benchmarks are not tests: nothing here fails on a missed target; the tables say whether each is met.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve():
    os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])  # the project's own environment
sys.path.insert(0, str(ROOT))  # time this checkout, whatever the environment has installed

from playwright.sync_api import sync_playwright  # noqa: E402

from optout_bot.mock_site import MockMeta, Scenario  # noqa: E402
from optout_bot.walk.browser import OWN_PROFILE_ARGS, find_browser  # noqa: E402

PLATFORMS = ("instagram", "facebook")
SLOW_MS = 150
EMAIL = Scenario().account_email  # the one Meta pre-fills: the tool fills it without asking
COUNTRY = "FR"
SAMPLE_S = 0.05  # how often memory is read while a run goes on
RUN_TIMEOUT_S = 180.0
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
BARE_WALK = ROOT / "scripts" / "bare_walk.py"

# The targets of issue 6.
MAX_RATIO = 1.25  # tool / bare script, median of the pairs, with and without latency
MAX_HELP_S = 0.25  # `optout-bot --help`, median
MAX_TOOL_RSS_MB = 120.0  # the tool's own Python process, worst run
# The targets of issue 15 ("Speed").
MAX_CHANGED_RATIO = 1.5  # time to a ready form on the scrambled site / on the happy path, medians
MAX_GIVE_UP_S = 20.0  # time to exit 5 where nothing leads to the place, median
CHANGED_SITE = Scenario.scrambled("en", seed=1)
NOTHING_MATCHES = Scenario(layout="changed")
# Pages as big as the real ones: ~10,000 elements each (Scenario.filler_blocks), where the bundled pages hold a few
# dozen. No target yet: it measures what the walk's page-wide questions cost on a page of a real site's size.
HEAVY_PAGES = Scenario(filler_blocks=2000)
ROWS = ("pairs", "startup", "changed", "gives-up", "heavy")


# --- one measured process -----------------------------------------------------------------------------------


@dataclass
class Memory:
    """Peaks, in MB: the measured Python process (VmHWM), Playwright's driver under it, the browser under that."""

    python_mb: float = 0.0
    driver_mb: float = 0.0
    browser_mb: float = 0.0  # the largest sum, at one moment, of the RSS of every browser process
    browser_processes: int = 0  # the most browser processes seen at once


@dataclass
class Run:
    seconds: float  # process start to process exit
    ready_seconds: float | None  # process start to the screenshot of the ready form written (None: no screenshot)
    cpu_seconds: float  # user + system CPU time of the process and its descendants (driver, browser)
    python_cpu_seconds: float  # that of the Python process alone (its last reading, up to SAMPLE_S before exit)
    memory: Memory
    exit_code: int = 0  # always 0 unless measured with check=False (a walk that may fail)


def _kib(status: str, key: str) -> int:
    for line in status.splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def _read(path: str) -> str:
    try:
        with open(path) as file:
            return file.read()
    except OSError:  # the process is gone
        return ""


def _parents() -> dict[int, int]:
    """pid -> parent pid, for every process on the machine (a few hundred small reads)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _read(f"/proc/{entry}/stat")
            if stat:  # "pid (comm) state ppid ...": comm may hold spaces and parentheses
                parents[int(entry)] = int(stat[stat.rfind(")") + 2 :].split()[1])
    return parents


class Sampler(threading.Thread):
    """Reads the memory (and CPU time) of a process tree every SAMPLE_S until stopped: Linux's /proc only.

    The Python process's VmHWM is the kernel's own high-water mark, so the last reading before it exits is its
    peak. Its children are Playwright's driver (node); everything below the driver is the browser, whose
    processes come and go: their RSS is summed at each reading and the largest sum kept (shared pages count
    once per process, so this overstates what the browser takes from the machine, the same way for both).
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.memory = Memory()
        self.python_cpu_s = 0.0
        self._done = threading.Event()
        self.enabled = os.path.isdir("/proc")

    def run(self) -> None:
        while self.enabled and not self._done.is_set():
            self.sample()
            self._done.wait(SAMPLE_S)

    def sample(self) -> None:
        stat = _read(f"/proc/{self.pid}/stat")
        if stat:  # utime and stime, fields 14 and 15, in clock ticks
            fields = stat[stat.rfind(")") + 2 :].split()
            self.python_cpu_s = max(self.python_cpu_s, (int(fields[11]) + int(fields[12])) / _TICKS)
        status = _read(f"/proc/{self.pid}/status")
        if _kib(status, "VmHWM:"):
            self.memory.python_mb = max(self.memory.python_mb, _kib(status, "VmHWM:") / 1024)
        parents = _parents()
        children: dict[int, list[int]] = {}
        for pid, parent in parents.items():
            children.setdefault(parent, []).append(pid)
        browser_kib, browser_count = 0, 0
        for driver in children.get(self.pid, []):
            driver_kib = _kib(_read(f"/proc/{driver}/status"), "VmHWM:")
            self.memory.driver_mb = max(self.memory.driver_mb, driver_kib / 1024)
            below = list(children.get(driver, []))
            while below:
                pid = below.pop()
                below.extend(children.get(pid, []))
                rss = _kib(_read(f"/proc/{pid}/status"), "VmRSS:")
                if rss:
                    browser_kib += rss
                    browser_count += 1
        self.memory.browser_mb = max(self.memory.browser_mb, browser_kib / 1024)
        self.memory.browser_processes = max(self.memory.browser_processes, browser_count)

    def stop(self) -> None:
        self._done.set()
        self.join()


def measure(
    command: list[str], env: dict[str, str], cwd: Path, screenshot: Path | None = None, check: bool = True
) -> Run:
    """Start `command` and wait for it to exit 0: its times, its CPU time and its memory.

    With check=False any exit is measured (its code in the Run), and a missing screenshot is ready_seconds None.
    """
    with tempfile.TemporaryFile() as out:
        wall_start = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a browser left behind can be ended with it
        )
        sampler = Sampler(process.pid)
        sampler.start()
        timer = threading.Timer(RUN_TIMEOUT_S, _end_group, (process.pid,))
        timer.start()
        try:
            # wait4, not wait: it also tells the CPU time of the process and of every descendant it reaped.
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            seconds = time.perf_counter() - started
            timer.cancel()
            sampler.stop()
            _end_group(process.pid)  # a browser left behind would weigh on the next run
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode(errors="replace").strip()[-3000:]
    failure = f"bench: {' '.join(command)}\n{output}"
    usage_s = usage.ru_utime + usage.ru_stime
    if not check:
        shot = screenshot is not None and screenshot.is_file()
        ready = screenshot.stat().st_mtime - wall_start if shot and screenshot else None
        return Run(seconds, ready, usage_s, sampler.python_cpu_s, sampler.memory, process.returncode)
    if process.returncode != 0:
        timed_out = f"no exit within {RUN_TIMEOUT_S:.0f} s" if seconds >= RUN_TIMEOUT_S else ""
        raise SystemExit(f"{failure}\n-> exit {process.returncode} {timed_out}")
    ready = None
    if screenshot is not None:
        if not screenshot.is_file():
            raise SystemExit(f"{failure}\n-> no screenshot at {screenshot}")
        ready = screenshot.stat().st_mtime - wall_start
    return Run(seconds, ready, usage_s, sampler.python_cpu_s, sampler.memory)


def _end_group(pid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


# --- what is run ----------------------------------------------------------------------------------------------


@dataclass
class Setup:
    python: str
    executable: str  # the browser optout-bot finds on this machine; the bare script is given the same
    browser_description: str
    lang_args: list[str]  # ["--lang", "en"] where the tool has that option


# Where the measured processes keep the byte-code of the checkout's modules, for the whole bench: a person's
# installed optout-bot has its byte-code written at install time, so it is compiled once here too (the warm-up
# run), never on the measured runs, even where the calling environment says PYTHONDONTWRITEBYTECODE (without
# it every run of the tool compiled its ~60 modules again, 0.1 s of CPU the bare script, one file, never pays).
_BYTECODE: list[Path] = []


def bytecode_dir() -> Path:
    if not _BYTECODE:
        _BYTECODE.append(Path(tempfile.mkdtemp(prefix="optout-bench-bytecode-")))
        atexit.register(shutil.rmtree, _BYTECODE[0], ignore_errors=True)
    return _BYTECODE[0]


def base_env(home: Path) -> dict[str, str]:
    """A person's environment with a fresh home: no screen, no debug, optout-bot's folders under `home`, the
    byte-code compiled once (see bytecode_dir)."""
    unwanted = ("DISPLAY", "WAYLAND_DISPLAY", "OPTOUT_BOT_DEBUG", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        PYTHONPYCACHEPREFIX=str(bytecode_dir()),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def tool_command(setup: Setup, *args: str) -> list[str]:
    return [setup.python, "-m", "optout_bot", *setup.lang_args, *args]


def tool_walk(setup: Setup, site: MockMeta, platform_name: str, screenshot: Path) -> list[str]:
    return tool_command(
        setup,
        "run",
        "--platform",
        platform_name,
        "--dry-run",
        "--headless",
        "--email",
        EMAIL,
        "--country",
        COUNTRY,
        "--screenshot",
        str(screenshot),
        *(f"--browser-arg={flag}" for flag in site.chromium_args()),
    )


def bare_walk(setup: Setup, site: MockMeta, platform_name: str, screenshot: Path, profile: Path) -> list[str]:
    return [
        setup.python,
        str(BARE_WALK),
        platform_name,
        "--executable",
        setup.executable,
        "--profile",
        str(profile),
        "--screenshot",
        str(screenshot),
        "--email",
        EMAIL,
        "--country",
        COUNTRY,
        # The flags optout-bot gives its own profile, then the mock's: the same command line for both.
        *(f"--browser-arg={flag}" for flag in (*OWN_PROFILE_ARGS, *site.chromium_args())),
    ]


def one_walk(setup: Setup, site: MockMeta, platform_name: str, who: str) -> Run:
    """One run in a fresh folder (home, profile, screenshot), removed afterwards, outside the timing."""
    site.reset(site.scenario)  # forget the previous run's requests; same scenario
    tmp = Path(tempfile.mkdtemp(prefix=f"optout-bench-{who}-"))
    try:
        screenshot = tmp / "form.png"
        if who == "tool":
            command = tool_walk(setup, site, platform_name, screenshot)
        else:
            command = bare_walk(setup, site, platform_name, screenshot, tmp / "profile")
        run = measure(command, base_env(tmp / "home"), tmp, screenshot)
        if site.posts():
            raise SystemExit(f"bench: the {who} run posted a form: {site.posts()}")
        return run
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tool_attempt(setup: Setup, site: MockMeta, platform_name: str, scenario: Scenario, check: bool) -> Run:
    """One run of the tool on `scenario`, in a fresh folder; with check=False it may fail (its exit code kept)."""
    site.reset(scenario)
    tmp = Path(tempfile.mkdtemp(prefix="optout-bench-attempt-"))
    try:
        screenshot = tmp / "form.png"
        command = tool_walk(setup, site, platform_name, screenshot)
        run = measure(command, base_env(tmp / "home"), tmp, screenshot, check=check)
        if site.posts():
            raise SystemExit(f"bench: the tool posted a form: {site.posts()}")
        return run
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prepare(python: str) -> Setup:
    """The browser optout-bot would choose here, and whether the tool takes --lang (it is being added)."""
    with sync_playwright() as pw:
        choice = find_browser(pw)
    if choice.executable_path is None:
        raise SystemExit(f"bench: optout-bot would use {choice.description}; the bench needs a browser path")
    with tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp:
        env = base_env(Path(tmp))
        probe = subprocess.run(
            [python, "-m", "optout_bot", "--lang", "en", "--help"], env=env, cwd=tmp, capture_output=True, timeout=60
        )
    lang_args = ["--lang", "en"] if probe.returncode == 0 else []
    return Setup(python, choice.executable_path, choice.description, lang_args)


# --- statistics ------------------------------------------------------------------------------------------------


def summary(values: Iterable[float]) -> dict[str, float]:
    data = sorted(values)
    if len(data) >= 2:
        q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive")
    else:
        q1 = q3 = data[0]
    return {
        "median": statistics.median(data),
        "min": data[0],
        "max": data[-1],
        "q1": q1,
        "q3": q3,
        "n": len(data),
    }


@dataclass
class Walks:
    platform: str
    latency_ms: int
    pairs: list[dict[str, Any]] = field(default_factory=list)  # {"tool": Run, "bare": Run}

    def column(self, who: str, get: Callable[[Run], float | None]) -> list[float]:
        return [value for pair in self.pairs if (value := get(pair[who])) is not None]

    def ratios(self, get: Callable[[Run], float | None]) -> list[float]:
        out = []
        for pair in self.pairs:
            tool, bare = get(pair["tool"]), get(pair["bare"])
            if tool is not None and bare:
                out.append(tool / bare)
        return out

    def differences(self, get: Callable[[Run], float | None]) -> list[float]:
        out = []
        for pair in self.pairs:
            tool, bare = get(pair["tool"]), get(pair["bare"])
            if tool is not None and bare is not None:
                out.append(tool - bare)
        return out

    def compared(self, field_name: str) -> dict[str, dict[str, float]]:
        def get(run: Run) -> float | None:
            value: float | None = getattr(run, field_name)
            return value

        return {
            "tool_s": summary(self.column("tool", get)),
            "bare_s": summary(self.column("bare", get)),
            "ratio": summary(self.ratios(get)),
            "overhead_s": summary(self.differences(get)),  # tool - bare, pair by pair
        }

    def report(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "latency_ms": self.latency_ms,
            "to_exit": self.compared("seconds"),
            "to_ready": self.compared("ready_seconds"),
            "cpu": self.compared("cpu_seconds"),
            "python_cpu": self.compared("python_cpu_seconds"),
            "memory_mb": {
                who: {
                    part: summary(getattr(pair[who].memory, part) for pair in self.pairs)
                    for part in ("python_mb", "driver_mb", "browser_mb")
                }
                for who in ("tool", "bare")
            },
            "runs": [{who: asdict(run) for who, run in pair.items()} for pair in self.pairs],
        }


# --- the changed site and giving up (issue 15) ---------------------------------------------------------------


def _failures(runs: list[Run], expected: int) -> str | None:
    """ "exit 5 after 74.2 s" for the runs that did not end with `expected`; None when all did."""
    failed = [run for run in runs if run.exit_code != expected]
    if not failed:
        return None
    codes = "/".join(str(code) for code in sorted({run.exit_code for run in failed}))
    return f"exit {codes} after {statistics.median(run.seconds for run in failed):.1f} s"


def changed_site_report(platform_name: str, happy: list[Run], changed: list[Run]) -> dict[str, Any]:
    """Time to a ready form on the scrambled site beside the happy path; a walk that failed says so, timed."""
    happy_ready = summary(run.ready_seconds or run.seconds for run in happy)
    failure = _failures(changed, 0)
    reached = [run.ready_seconds for run in changed if run.exit_code == 0 and run.ready_seconds is not None]
    row: dict[str, Any] = {
        "platform": platform_name,
        "happy_ready_s": happy_ready,
        "changed_ready_s": summary(reached) if reached else None,
        "changed_exit_s": summary(run.seconds for run in changed),
        "failure": failure,
        "ratio": None,
        "met": False,
        "runs": {"happy": [asdict(run) for run in happy], "changed": [asdict(run) for run in changed]},
    }
    if failure is None and reached:
        row["ratio"] = statistics.median(reached) / happy_ready["median"]
        row["met"] = row["ratio"] <= MAX_CHANGED_RATIO
    return row


def gives_up_report(platform_name: str, runs: list[Run]) -> dict[str, Any]:
    """Time to exit 5 where nothing matches; any other exit is reported with its time, never as met."""
    to_exit = summary(run.seconds for run in runs)
    failure = _failures(runs, 5)
    return {
        "platform": platform_name,
        "to_exit_s": to_exit,
        "failure": failure,
        "met": failure is None and to_exit["median"] <= MAX_GIVE_UP_S,
        "runs": [asdict(run) for run in runs],
    }


def changed_site_value(row: dict[str, Any]) -> str:
    if row["failure"] is not None:
        return f"not reached ({row['failure']})"
    return f"{row['ratio']:.2f} × ({row['changed_ready_s']['median']:.2f} s / {row['happy_ready_s']['median']:.2f} s)"


def gives_up_value(row: dict[str, Any]) -> str:
    if row["failure"] is not None:
        return f"not exit 5 ({row['failure']})"
    return f"{row['to_exit_s']['median']:.2f} s"


def run_changed_site(setup: Setup, platforms: list[str], runs: int, warmup: int) -> list[dict[str, Any]]:
    rows = []
    with MockMeta(Scenario()) as site:
        for name in platforms:
            happy: list[Run] = []
            changed: list[Run] = []
            for number in range(warmup + runs):
                plain = tool_attempt(setup, site, name, Scenario(), check=True)
                scrambled = tool_attempt(setup, site, name, CHANGED_SITE, check=False)
                if number >= warmup:
                    happy.append(plain)
                    changed.append(scrambled)
                print(
                    f"  changed site, {name}: happy {plain.seconds:.2f} s, scrambled {scrambled.seconds:.2f} s "
                    f"(exit {scrambled.exit_code})",
                    flush=True,
                )
            rows.append(changed_site_report(name, happy, changed))
    return rows


def walk_pairs(setup: Setup, site: MockMeta, name: str, runs: int, warmup: int, label: str) -> Walks:
    """`warmup` + `runs` pairs (the tool first, then the bare script) on `site`; the warm-up pairs are not kept."""
    walk = Walks(name, site.scenario.latency_ms)
    for number in range(warmup + runs):
        pair = {who: one_walk(setup, site, name, who) for who in ("tool", "bare")}
        if number >= warmup:
            walk.pairs.append(pair)
        print(
            f"  {label} {'warm-up' if number < warmup else number - warmup + 1}: "
            f"tool {pair['tool'].seconds:.2f} s, bare {pair['bare'].seconds:.2f} s",
            flush=True,
        )
    return walk


def run_heavy(setup: Setup, platforms: list[str], runs: int, warmup: int) -> list[dict[str, Any]]:
    """The happy path's pairs (tool, bare script) on pages padded to a real site's size (HEAVY_PAGES)."""
    with MockMeta(HEAVY_PAGES) as site:
        return [walk_pairs(setup, site, name, runs, warmup, f"heavy pages, {name}").report() for name in platforms]


def run_gives_up(setup: Setup, platforms: list[str], runs: int, warmup: int) -> list[dict[str, Any]]:
    rows = []
    with MockMeta(NOTHING_MATCHES) as site:
        for name in platforms:
            measured = []
            for number in range(warmup + runs):
                run = tool_attempt(setup, site, name, NOTHING_MATCHES, check=False)
                if number >= warmup:
                    measured.append(run)
                print(f"  gives up, {name}: exit {run.exit_code} after {run.seconds:.2f} s", flush=True)
            rows.append(gives_up_report(name, measured))
    return rows


# --- the machine -------------------------------------------------------------------------------------------------


def machine(setup: Setup) -> dict[str, Any]:
    cpuinfo = _read("/proc/cpuinfo")
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line), None)
    memtotal = _kib(_read("/proc/meminfo"), "MemTotal:")
    os_release = _read("/etc/os-release")
    pretty = next((line.split("=", 1)[1].strip('"') for line in os_release.splitlines() if "PRETTY_NAME" in line), "")
    try:
        version = subprocess.run([setup.executable, "--version"], capture_output=True, text=True, timeout=30)
        browser_version = version.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        browser_version = None
    return {
        "cpu": model or platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": round(memtotal / 1024 / 1024, 1) if memtotal else None,
        "os": f"{pretty} ({platform.platform()})" if pretty else platform.platform(),
        "python": platform.python_version(),
        "playwright": importlib.metadata.version("playwright"),
        "browser": browser_version,
        "browser_path": setup.executable,
        "optout_bot": _git_revision(),
    }


def _git_revision() -> str | None:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True)
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


# --- the report --------------------------------------------------------------------------------------------------


def _s(stats: dict[str, float]) -> str:
    return f"{stats['median']:.2f} s [{stats['min']:.2f}–{stats['max']:.2f}]"


def _x(stats: dict[str, float]) -> str:
    return f"{stats['median']:.2f} [{stats['min']:.2f}–{stats['max']:.2f}]"


def _mb(stats: dict[str, float]) -> str:
    return f"{stats['median']:.0f} MB [{stats['min']:.0f}–{stats['max']:.0f}]"


def _busy_warning(result: dict[str, Any]) -> list[str]:
    cpus = result["machine"]["cpus_usable"] or 1
    load = result["load"]["start"]  # before the benchmark's own runs
    if load <= cpus / 2:
        return []
    return [
        f"**The machine was busy**: load average {load:.1f} on {cpus} CPUs before the benchmark started. Other "
        "work shared its CPUs, so the times below are unreliable (the CPU times less so): re-run it on a quiet "
        "machine.",
        "",
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def targets(
    walks: list[dict[str, Any]],
    startup: dict[str, Any] | None,
    tool_rss_max: float | None,
    changed_site: list[dict[str, Any]],
    gives_up: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    rows = [
        {
            "what": f"ratio tool / bare script, {w['platform']}, {w['latency_ms']} ms latency (median)",
            "target": f"≤ {MAX_RATIO}",
            "value": round(w["to_exit"]["ratio"]["median"], 3),
            "met": w["to_exit"]["ratio"]["median"] <= MAX_RATIO,
        }
        for w in walks
    ]
    if startup is not None:
        rows.append(
            {
                "what": "`optout-bot --help` (median)",
                "target": f"≤ {MAX_HELP_S} s",
                "value": round(startup["help"]["median"], 3),
                "met": startup["help"]["median"] <= MAX_HELP_S,
            }
        )
    if tool_rss_max is not None:
        rows.append(
            {
                "what": "the tool's own process, peak RSS (worst run)",
                "target": f"≤ {MAX_TOOL_RSS_MB:.0f} MB",
                "value": round(tool_rss_max, 1),
                "met": tool_rss_max <= MAX_TOOL_RSS_MB,
            }
        )
    rows += [
        {
            "what": f"changed site, {row['platform']}: time to a ready form / happy path (medians)",
            "target": f"≤ {MAX_CHANGED_RATIO} ×",
            "value": changed_site_value(row),
            "met": row["met"],
        }
        for row in changed_site
    ]
    rows += [
        {
            "what": f"gives up, {row['platform']}: time to exit 5 where nothing matches (median)",
            "target": f"≤ {MAX_GIVE_UP_S:.0f} s",
            "value": gives_up_value(row),
            "met": row["met"],
        }
        for row in gives_up
    ]
    return rows


def markdown(result: dict[str, Any]) -> str:
    m, s = result["machine"], result["settings"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `scripts/bench.py` — do not edit by hand; re-run it on a quiet machine:",
        "",
        "```sh",
        f".venv/bin/python {s.get('command_line') or 'scripts/bench.py'}",
        "```",
        "",
        f"Run on {result['date']}: {_count(s['runs'], 'pair')} per row, after "
        f"{_count(s['warmup'], 'unmeasured warm-up pair')}; "
        "each pair one run of `optout-bot` then one of the bare script, alternating. Figures are "
        "**median [min–max]**; every run is in `benchmarks.json`.",
        "",
        *_busy_warning(result),
        "## The machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m['cpu']} × {m['cpus']} (usable: {m['cpus_usable']}) |",
        f"| memory | {m['memory_gib']} GiB |",
        f"| OS | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Playwright | {m['playwright']} |",
        f"| browser | {m['browser']} (`{m['browser_path']}`) |",
        f"| optout-bot | {m['optout_bot'] or 'unknown (not a git checkout)'} |",
        f"| load average (1 min) | {result['load']['start']:.2f} at the start, {result['load']['end']:.2f} at the end "
        "(other work on the machine) |",
        "",
        "## Targets",
        "",
        "| what | target | measured | met? |",
        "|---|---|---|---|",
        *(f"| {t['what']} | {t['target']} | {t['value']} | {_met(t['met'])} |" for t in result["targets"]),
    ]
    if result["walks"]:
        lines += _walk_tables(result)
    if result["startup"]:
        lines += _startup_table(result["startup"])
    if result["walks"]:
        lines += _memory_table(result["memory_mb"])
    if result["changed_site"]:
        lines += _changed_site_table(result["changed_site"])
    if result["gives_up"]:
        lines += _gives_up_table(result["gives_up"])
    if result.get("heavy"):
        lines += _heavy_table(result["heavy"])
    if result["walks"]:
        lines += _HOW_TO_READ
    return "\n".join(lines) + "\n"


def _heavy_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "",
        "## Pages as big as the real ones",
        "",
        f"The same pairs on the bundled pages padded to ~10,000 elements each (`Scenario(filler_blocks="
        f"{HEAVY_PAGES.filler_blocks})`: a feed of links, text and buttons, as a real page holds), no latency. "
        "No target yet: it shows what the walk's questions to the page (where the place is, what is in the way, "
        "whether a click is safe) cost on a page of a real site's size.",
        "",
        "| platform | optout-bot | bare script | ratio tool / bare | tool − bare | to the ready form: tool, bare |",
        "|---|---|---|---|---|---|",
    ]
    for w in rows:
        e, r = w["to_exit"], w["to_ready"]
        lines.append(
            f"| {w['platform']} | {_s(e['tool_s'])} | {_s(e['bare_s'])} | {_x(e['ratio'])} | {_s(e['overhead_s'])} "
            f"| {_s(r['tool_s'])}, {_s(r['bare_s'])} |"
        )
    return lines


def _walk_tables(result: dict[str, Any]) -> list[str]:
    s = result["settings"]
    lines = [
        "",
        "## Time to a ready form",
        "",
        "From starting the process to its exit: `optout-bot "
        + " ".join(s["lang_args"])
        + (" " if s["lang_args"] else "")
        + "run --platform P --dry-run --headless --email … --country FR --screenshot …` (walk, pre-fill, one "
        "full-page screenshot, close the browser) against `scripts/bare_walk.py`, the same walk in plain "
        "Playwright. Both are new Python processes on the same browser with the same flags and a fresh "
        "profile, against the bundled mock site; latency is the mock server's wait before every response.",
        "",
        "| platform | latency | optout-bot | bare script | ratio tool / bare | tool − bare | target | met? |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for w in result["walks"]:
        e = w["to_exit"]
        lines.append(
            f"| {w['platform']} | {w['latency_ms']} ms | {_s(e['tool_s'])} | {_s(e['bare_s'])} | {_x(e['ratio'])} "
            f"| {_s(e['overhead_s'])} | ≤ {MAX_RATIO} | {_met(e['ratio']['median'] <= MAX_RATIO)} |"
        )
    lines += [
        "",
        "The same runs, to the moment the screenshot of the ready form was written (what the person waits for; "
        "closing the browser comes after):",
        "",
        "| platform | latency | optout-bot | bare script | ratio tool / bare | tool − bare |",
        "|---|---|---|---|---|---|",
    ]
    for w in result["walks"]:
        r = w["to_ready"]
        lines.append(
            f"| {w['platform']} | {w['latency_ms']} ms | {_s(r['tool_s'])} | {_s(r['bare_s'])} | {_x(r['ratio'])} "
            f"| {_s(r['overhead_s'])} |"
        )
    lines += [
        "",
        "CPU time used by the same runs (user + system, read from the operating system when each process ended; "
        "less disturbed by other work on the machine than the times above). All processes: Python, Playwright's "
        "driver and the browser; Python: the measured Python process alone.",
        "",
        "| platform | latency | optout-bot, all processes | bare script, all processes | ratio | "
        "optout-bot, Python | bare script, Python |",
        "|---|---|---|---|---|---|---|",
    ]
    for w in result["walks"]:
        c, py = w["cpu"], w["python_cpu"]
        lines.append(
            f"| {w['platform']} | {w['latency_ms']} ms | {_s(c['tool_s'])} | {_s(c['bare_s'])} | {_x(c['ratio'])} "
            f"| {_s(py['tool_s'])} | {_s(py['bare_s'])} |"
        )
    return lines


def _startup_table(st: dict[str, Any]) -> list[str]:
    return [
        "",
        "## Start-up (no browser)",
        "",
        f"{_count(st['help']['n'], 'run')} each (after one unmeasured), in a fresh home folder.",
        "",
        "| command | time | target | met? |",
        "|---|---|---|---|",
        f"| `python -c pass` (the interpreter alone, for reference) | {_s(st['python'])} | | |",
        f"| `optout-bot --help` | {_s(st['help'])} | ≤ {MAX_HELP_S} s | {_met(st['help']['median'] <= MAX_HELP_S)} |",
        f"| `optout-bot flows check` | {_s(st['flows_check'])} | | |",
    ]


def _memory_table(mem: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## Memory",
        "",
        "Peak resident memory during the walks above (all platforms and latencies together), read from `/proc` "
        f"every {SAMPLE_S * 1000:.0f} ms. The Python process: its own high-water mark (VmHWM). The browser: the "
        "largest sum of the RSS of all its processes at one moment (pages shared between them are counted in "
        "each, so this overstates it — equally for both).",
        "",
        "| process | optout-bot | bare script | target | met? |",
        "|---|---|---|---|---|",
    ]
    tool_ok = mem["tool"]["python_mb"]["max"] <= MAX_TOOL_RSS_MB
    lines += [
        f"| Python (the tool's own process) | {_mb(mem['tool']['python_mb'])} | {_mb(mem['bare']['python_mb'])} "
        f"| ≤ {MAX_TOOL_RSS_MB:.0f} MB | {_met(tool_ok)} |",
        f"| Playwright's driver (node) | {_mb(mem['tool']['driver_mb'])} | {_mb(mem['bare']['driver_mb'])} | | |",
        f"| the browser, all its processes | {_mb(mem['tool']['browser_mb'])} | {_mb(mem['bare']['browser_mb'])} | | |",
    ]
    return lines


def _ratio(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}"


def _changed_site_table(rows: list[dict[str, Any]]) -> list[str]:
    return [
        "",
        "## A changed site",
        "",
        "The time to a ready form (the screenshot written) of `optout-bot run --dry-run --headless` on the mock "
        'scrambled the way real sites change (`Scenario.scrambled("en", seed=1)`: menus renamed and '
        "reordered among decoys, Settings in the navigation, the AI topic moved, the known form addresses gone, "
        "the titles reworded, 2025's link wording), beside the happy path, alternating run by run. A walk that "
        "did not reach the form is shown with its exit code and its time to exit.",
        "",
        "| platform | happy path | changed site | ratio | target | met? |",
        "|---|---|---|---|---|---|",
        *(
            f"| {row['platform']} | {_s(row['happy_ready_s'])} | "
            + (_s(row["changed_ready_s"]) if row["failure"] is None else f"not reached ({row['failure']})")
            + f" | {_ratio(row['ratio'])} | ≤ {MAX_CHANGED_RATIO} × "
            f"| {_met(row['met'])} |"
            for row in rows
        ),
    ]


def _gives_up_table(rows: list[dict[str, Any]]) -> list[str]:
    return [
        "",
        "## Giving up",
        "",
        "The time to exit 5 (nothing filled, a diagnostic saved) of `optout-bot run --dry-run --headless` on the "
        'mock where nothing the tool knows is on any page (`Scenario(layout="changed")`), with its default waits.',
        "",
        "| platform | time to exit | target | met? |",
        "|---|---|---|---|",
        *(
            f"| {row['platform']} | "
            + (_s(row["to_exit_s"]) if row["failure"] is None else f"not exit 5 ({row['failure']})")
            + f" | ≤ {MAX_GIVE_UP_S:.0f} s | {_met(row['met'])} |"
            for row in rows
        ),
    ]


_HOW_TO_READ = [
    "",
    "## How to read it",
    "",
    "- The bare script (`scripts/bare_walk.py`) does no checking at all: no safety check before clicks, no "
    'watch for cookie walls, logins or "not offered" notices, no ledger, no log file. The ratio is what '
    "optout-bot's care costs on top of the browser's own work.",
    "- `tool − bare` is the tool's overhead in seconds, pair by pair. Compare it at 0 and 150 ms: fixed "
    "sleeps or polling intervals in the tool would make it grow with slow pages; event-driven waits do not.",
    "- Both measure from process start, so Python's start-up and imports count for both.",
]


# --- main -----------------------------------------------------------------------------------------------------------


def timed(command: list[str], runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="optout-bench-") as tmp:
        env = base_env(Path(tmp) / "home")
        measure(command, env, Path(tmp))  # warm-up: byte-code and files in the OS cache
        return summary(measure(command, env, Path(tmp)).seconds for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "-n", "--runs", type=int, default=10, help="measured pairs per platform and latency (default 10)"
    )
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured pairs first (default 1)")
    parser.add_argument("--platform", action="append", choices=PLATFORMS, help="default: every platform")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where to write the report (default docs/)")
    parser.add_argument(
        "--rows",
        default=",".join(ROWS),
        help=f"which rows to run, comma-separated, among {', '.join(ROWS)} (default: all)",
    )
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 0:
        parser.error("-n must be 1 or more, --warmup 0 or more")
    rows = [row.strip() for row in args.rows.split(",") if row.strip()]
    if not rows or set(rows) - set(ROWS):
        parser.error(f"--rows takes some of {', '.join(ROWS)}, comma-separated")
    platforms = args.platform or list(PLATFORMS)

    load_start = os.getloadavg()[0]
    setup = prepare(sys.executable)
    print(f"bench: {setup.browser_description}; {args.runs} pairs per row; writing to {args.out}", flush=True)

    walks: list[Walks] = []
    commands: dict[str, list[str]] = {}
    for latency in (0, SLOW_MS) if "pairs" in rows else ():
        with MockMeta(Scenario(latency_ms=latency)) as site:
            commands = commands or {
                "tool": tool_walk(setup, site, "PLATFORM", Path("SCREENSHOT")),
                "bare": bare_walk(setup, site, "PLATFORM", Path("SCREENSHOT"), Path("PROFILE")),
            }
            for name in platforms:
                walks.append(walk_pairs(setup, site, name, args.runs, args.warmup, f"{name} {latency} ms"))

    startup = None
    if "startup" in rows:
        startup = {
            "python": timed([setup.python, "-c", "pass"], args.runs),
            "help": timed(tool_command(setup, "--help"), args.runs),
            "flows_check": timed(tool_command(setup, "flows", "check"), args.runs),
        }
        print(f"  start-up: --help {startup['help']['median']:.3f} s", flush=True)
    changed_site = run_changed_site(setup, platforms, args.runs, args.warmup) if "changed" in rows else []
    gives_up = run_gives_up(setup, platforms, args.runs, args.warmup) if "gives-up" in rows else []
    heavy = run_heavy(setup, platforms, args.runs, args.warmup) if "heavy" in rows else []

    reports = [walk.report() for walk in walks]
    every = [pair for walk in walks for pair in walk.pairs]
    memory = (
        {
            who: {
                part: summary(getattr(pair[who].memory, part) for pair in every)
                for part in ("python_mb", "driver_mb", "browser_mb")
            }
            for who in ("tool", "bare")
        }
        if every
        else None
    )
    result: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(setup),
        "load": {"start": load_start, "end": os.getloadavg()[0]},
        "settings": {
            "command_line": shlex.join(["scripts/bench.py", *sys.argv[1:]]),
            "runs": args.runs,
            "warmup": args.warmup,
            "platforms": platforms,
            "latencies_ms": [0, SLOW_MS],
            "lang_args": setup.lang_args,
            "tool_command": commands.get("tool"),  # the port is that of the first mock server
            "bare_command": commands.get("bare"),
            "sample_interval_s": SAMPLE_S,
            "rows": rows,
        },
        "targets": targets(
            reports, startup, memory["tool"]["python_mb"]["max"] if memory else None, changed_site, gives_up
        ),
        "walks": reports,
        "startup": startup,
        "memory_mb": memory,
        "changed_site": changed_site,
        "gives_up": gives_up,
        "heavy": heavy,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "benchmarks.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    (args.out / "benchmarks.md").write_text(markdown(result))
    print(f"bench: wrote {args.out / 'benchmarks.md'} and {args.out / 'benchmarks.json'}")
    for target in result["targets"]:
        print(f"  {'met' if target['met'] else 'MISSED'}: {target['what']}: {target['value']} ({target['target']})")


if __name__ == "__main__":
    main()
