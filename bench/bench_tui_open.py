#!/usr/bin/env python3
"""How long a new small course takes to show its findings in the terminal UI (room: bench, owned by the TUI).

Every figure is measured in a fresh process, the cost a reviewer pays: the app
is started headless (``App.run_test``, 100×32), and once it is ready a never-scanned
copy of a small course (``sample_courses/zh-data-structures``, copied to a new
temporary folder each time) is opened with the same call ``reviewer open`` and
the library's *scan new* use (``app.open_package``).  Measured from that call to
the moment the package screen's findings table holds its rows and has been drawn
(target, issue 10: ≤ 1.5 s).  Also printed, per run and as medians of ``--repeat``:

* process start → app ready (the library on screen, nothing opened);
* where the open goes: the scan screen up, the scan in its worker (``service.scan``),
  loading the package session, the package screen drawn;
* baselines in the same run, interleaved: bare ``import textual.app`` and the app mounted
  with no package (whole processes, wall time), and ``reviewer scan`` of a new copy
  (the same scan without the UI).

Caches as ``bench_cold_start.py``'s "cold": one warm-up run fills a temporary
``REVIEWER_HOME`` (compiled rule files, segmenter dictionary, encoder, sentence
vectors); every measured run uses a new database in it and a new copy of the course.

    python bench/bench_tui_open.py [--repeat 5] [--bytecode] [--course DIR] [--profile FILE]

``--profile FILE``: one more run with cProfile in the scan's worker thread and the
session's, written to FILE (``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The child: argv = db, course copy, mode ("open" | "mount"), profile file or "".
CHILD = r"""
import sys, time
marks = {"main": time.time()}
db, course, mode, profile = sys.argv[1:5]

import asyncio
from reviewer.tui.app import create_app
marks["imported"] = time.time()

if mode == "open":
    # where the time goes: stamps around the scan and the session load (wrapped, not changed)
    import functools, threading
    import reviewer.service.scan as scan_service
    import reviewer.tui.session as tui_session

    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile()

    def stamped(name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            marks.setdefault(name + "_start", time.time())
            if profiler is not None:
                profiler.enable()
            try:
                return fn(*args, **kwargs)
            finally:
                if profiler is not None:
                    profiler.disable()
                marks[name + "_end"] = time.time()
        return wrapper

    scan_service.scan = stamped("scan", scan_service.scan)
    init = tui_session.PackageSession.__init__
    tui_session.PackageSession.__init__ = stamped("session", init)


async def main():
    from textual.css.query import NoMatches

    app = create_app(db, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        marks["ready"] = time.time()
        if mode == "mount":
            return
        marks["open"] = time.time()
        app.open_package(course)
        rows = 0
        while time.time() - marks["open"] < 120:
            screen = app.screen
            name = type(screen).__name__
            if name == "ScanScreen":
                marks.setdefault("scan_screen", time.time())
            if name == "PackageScreen":
                marks.setdefault("package_screen", time.time())
                try:
                    table = screen.query_one("#fv-table")
                except NoMatches:
                    table = None
                if table is not None and table.virtual_size.height and table.size.height:
                    rows = table.virtual_size.height
                    await pilot.pause()  # the rows drawn
                    marks["rows"] = time.time()
                    break
            await asyncio.sleep(0.002)
        marks["row_count"] = rows
        marks["heavy"] = ",".join(m for m in ("jieba", "spacy", "numpy", "sqlite_utils", "rich",
                                              "onnxruntime", "pptx", "docx") if m in sys.modules)
    if mode == "open" and profile:
        profiler.dump_stats(profile)

asyncio.run(main())
print("MARKS " + __import__("json").dumps(marks))
"""


def child(mode: str, db: Path, course: Path, env: dict[str, str], profile: str = "") -> dict:
    spawned = time.time()
    proc = subprocess.run([sys.executable, "-c", CHILD, str(db), str(course), mode, profile],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    ended = time.time()
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("MARKS ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"child ({mode}) failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    marks = json.loads(line[6:])
    marks["spawned"], marks["ended"] = spawned, ended
    return marks


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_cold_start import add_options, process_env

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_options(ap)
    ap.add_argument("--profile", default="", help="also write a cProfile of the worker threads here")
    args = ap.parse_args()
    env = process_env(args)
    env.pop("REVIEWER_DB", None)
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env["REVIEWER_HOME"] = str(tmp / "home")
        counter = iter(range(10**6))

        def fresh() -> tuple[Path, Path]:
            n = next(counter)
            course = tmp / f"copy{n}" / args.course.name
            shutil.copytree(args.course, course)
            return tmp / f"state{n}.db", course

        # warm-up: fills the caches (and the bytecode folder) once
        db, course = fresh()
        child("open", db, course, env)
        samples: dict[str, list[float]] = {}

        def add(key: str, value: float) -> None:
            samples.setdefault(key, []).append(value)

        print(f"load average at start: {Path('/proc/loadavg').read_text().split()[:3]}")
        for i in range(args.repeat):
            add("baseline: import textual.app", wall([py, "-c", "import textual.app"], env))
            m = child("mount", *fresh(), env)
            add("baseline: app mounted, no package (whole process)", m["ended"] - m["spawned"])
            db, course = fresh()
            add("baseline: reviewer scan of a new copy (whole process)",
                wall([py, "-m", "reviewer", "scan", str(course), "--db", str(db)], env))
            m = child("open", *fresh(), env)
            add("process start → app ready", m["ready"] - m["spawned"])
            add("  of which importing the app", m["imported"] - m["main"])
            add("open → scan screen up", m.get("scan_screen", m["open"]) - m["open"])
            add("open → scan starts in its worker", m["scan_start"] - m["open"])
            add("scan (service.scan, worker thread)", m["scan_end"] - m["scan_start"])
            add("scan done → session loaded", m["session_end"] - m["scan_end"])
            add("  of which loading the session", m["session_end"] - m["session_start"])
            add("session loaded → package screen", m["package_screen"] - m["session_end"])
            add("package screen → rows drawn", m["rows"] - m["package_screen"])
            add("OPEN → FINDINGS ROWS DRAWN", m["rows"] - m["open"])
            print(f"run {i + 1}: open → rows {m['rows'] - m['open']:.3f} s "
                  f"({m['row_count']} rows; imported by then: {m['heavy']})", flush=True)
        print(f"\nmedians of {args.repeat} fresh processes"
              f"{' (bytecode kept)' if args.bytecode else ''}:")
        for key, values in samples.items():
            target = "   target ≤ 1.5" if key.startswith("OPEN") else ""
            print(f"{key:<56}{statistics.median(values):>8.3f} s{target}")
        print(f"load average at end: {Path('/proc/loadavg').read_text().split()[:3]}")
        if args.profile:
            child("open", *fresh(), env, profile=str(Path(args.profile).resolve()))
            print(f"profile of the worker threads: {args.profile}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
