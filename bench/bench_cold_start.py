#!/usr/bin/env python3
"""Benchmark start-up: what a reviewer waits for before a small course's findings (room: bench).

Every figure is a whole new process, median of ``--repeat`` runs, printed beside
its bare baseline measured in the same run:

* baselines: ``python -c pass``; ``import textual``; jieba ready
  (``jieba.initialize()``); a blank spaCy pipeline (``spacy.blank("zh")``);
* ``reviewer --help``: the CLI's own import cost;
* ``scan, first run``: an empty data folder (compiles and caches the rule
  files and the segmenter dictionary — once per installation);
* ``scan, cold``: a new process, caches on disk, a new database (the usual
  case: a reviewer opens a course for the first time);
* ``re-scan``: the same course again, nothing changed.

Targets (issue 10): cold ≤ 1.0 s, re-scan ≤ 0.3 s.
Run ``python bench/bench_cold_start.py [--course sample_courses/zh-data-structures] [--repeat 5] [--bytecode]``
(``--bytecode``: where ``PYTHONDONTWRITEBYTECODE`` is set, as in this project's sandbox, every
process would otherwise compile the project's modules from source — ~0.1 s an installed
package doesn't pay).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINES = {
    "python -c pass": "pass",
    "import textual": "import textual.app",
    "jieba ready": "import jieba; jieba.setLogLevel(60); jieba.initialize()",
    "spaCy blank zh": "import spacy; spacy.blank('zh')",
}


def run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    took = time.perf_counter() - start
    said = done.stderr.decode(errors="replace")
    # 1 is a course with error findings (the samples have some); Python says 1 too when it
    # can't run the module at all
    if done.returncode not in (0, 1) or "Traceback" in said or "No module named" in said:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n"
                         + said[-2000:])
    return took


def median(argv: list[str], env: dict[str, str], repeat: int, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        times.append(run(argv, env))
    return statistics.median(times)


def add_options(ap: argparse.ArgumentParser) -> None:
    """``--course``, ``--repeat`` and ``--bytecode`` (shared with ``bench_tui_open.py``)."""
    ap.add_argument("--course", type=Path, default=ROOT / "sample_courses" / "zh-data-structures")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--bytecode", action="store_true",
                    help="let the processes keep compiled bytecode (in a temporary PYTHONPYCACHEPREFIX), "
                         "as an installed package has it, even where PYTHONDONTWRITEBYTECODE is set")


def process_env(args: argparse.Namespace) -> dict[str, str]:
    """The measured processes' environment: this one's, with bytecode kept on ``--bytecode``."""
    env = dict(os.environ)
    if args.bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="reviewer-pycache-")
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_options(ap)
    args = ap.parse_args()
    py = sys.executable
    env = process_env(args)
    print(f"{'what':<34}{'median s':>10}")
    for label, code in BASELINES.items():
        print(f"{'baseline: ' + label:<34}{median([py, '-c', code], env, args.repeat):>10.3f}")
    reviewer = [py, "-m", "reviewer"] if not shutil.which("reviewer") else [shutil.which("reviewer")]
    print(f"{'reviewer --help':<34}{median(reviewer + ['--help'], env, args.repeat):>10.3f}")
    scan = reviewer + ["scan", str(args.course)]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env_home = dict(env, REVIEWER_HOME=str(home))
        env_home.pop("REVIEWER_DB", None)

        def empty_home():
            shutil.rmtree(home, ignore_errors=True)

        first = median(scan, env_home, args.repeat, before=empty_home)
        print(f"{'scan, first run (empty caches)':<34}{first:>10.3f}")

        def new_database():
            for db in home.glob("*.db*"):
                db.unlink()

        run(scan, env_home)  # caches on disk
        cold = median(scan, env_home, args.repeat, before=new_database)
        print(f"{'scan, cold (caches on disk)':<34}{cold:>10.3f}   target ≤ 1.0")
        run(scan, env_home)
        again = median(scan, env_home, args.repeat)
        print(f"{'re-scan, nothing changed':<34}{again:>10.3f}   target ≤ 0.3")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
