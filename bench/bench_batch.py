"""Batch scans: packages per second for 1, 4, 16, 64, 256 small packages.

    python bench/bench_batch.py [--sizes 1,4,16,64,256] [--jobs N] [--speedup 64] [--json]

Every figure is a whole ``reviewer scan FOLDER`` process on a fresh database
(cold: nothing cached in the store), so start-up and worker warm-up count.
Baseline: one ``reviewer scan PACKAGE`` process per package, the way 16
courses were scanned before batches (its median over a few packages, times N).
The speed-up runs the same folder with ``--jobs 1`` and ``--jobs 2``, and
reports the parent process's own CPU time (``os.times()`` at its exit: the
merging, not the workers), per package.

The packages are copies of ``sample_courses/*`` (10–11 files each), each with a
note of its own so no two are byte-identical.  On a shared 2-core machine the
figures are noisy: run it when the machine is quiet, and read the ratios.
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

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ["zh-data-structures", "en-intro-ml", "bi-computer-networks"]


def make_packages(root: Path, count: int) -> Path:
    folder = root / f"n{count}"
    for i in range(count):
        sample = SAMPLES[i % len(SAMPLES)]
        target = folder / f"p{i:04d}-{sample}"
        shutil.copytree(ROOT / "sample_courses" / sample, target)
        (target / "notes" / f"extra-{i}.md").write_text(
            f"# 第 {i} 组\n\n助教答疑时间另行通知（第 {i} 次更新）。\n", encoding="utf-8")
    return folder


# ``python -m reviewer`` that writes its own CPU seconds (not its children's) when it exits.
_MEASURED = """import atexit, os, runpy, sys
def _cpu():
    t = os.times()
    with open(os.environ["BENCH_PARENT_CPU"], "w") as out:
        out.write(str(t.user + t.system))
atexit.register(_cpu)
runpy.run_module("reviewer", run_name="__main__", alter_sys=True)
"""


def run(args: list[str], db: Path, cpu: list[float] | None = None) -> float:
    """Wall seconds of ``reviewer scan ARGS``; its parent's CPU seconds appended to ``cpu``."""
    cpu_file = db.with_suffix(".cpu")
    env = dict(os.environ, REVIEWER_HOME=str(db.parent / "home"), BENCH_PARENT_CPU=str(cpu_file))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURED, "scan", *args, "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    took = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"reviewer scan {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    if cpu is not None:
        cpu.append(float(cpu_file.read_text()))
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,4,16,64,256")
    ap.add_argument("--jobs", type=int, default=None, help="workers (default: every core)")
    ap.add_argument("--speedup", type=int, default=64, help="packages for the 1→2 worker run (0: skip)")
    ap.add_argument("--baseline", type=int, default=4, help="single-package processes timed")
    ap.add_argument("--json", action="store_true")
    opts = ap.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",") if s]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = opts.jobs or cores
    out: dict = {"cores": cores, "jobs": jobs, "load": os.getloadavg()[0], "sizes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folders = {n: make_packages(tmp, n) for n in sorted(set(sizes + [max(opts.speedup, 1)]))}
        # Baseline: one process per package (fresh database each, cold).
        one = folders[max(folders)]
        singles = [run([str(p)], tmp / f"single{i}.db")
                   for i, p in enumerate(sorted(one.iterdir())[:opts.baseline])]
        per_process = statistics.median(singles)
        out["one_process_per_package_s"] = per_process
        print(f"machine: {cores} cores, load {out['load']:.2f} at start (shared: figures are noisy)")
        print(f"baseline: one `reviewer scan PKG` process per package, median {per_process:.2f} s "
              f"({len(singles)} runs: {', '.join(f'{s:.2f}' for s in singles)})")
        print(f"{'packages':>8}  {'seconds':>8}  {'pkg/s':>7}  {'baseline s':>10}  {'× faster':>8}")
        for n in sizes:
            took = run([str(folders[n]), "--jobs", str(jobs)], tmp / f"batch{n}.db")
            base = per_process * n
            out["sizes"][n] = {"seconds": took, "per_second": n / took, "baseline_s": base,
                               "ratio": base / took}
            print(f"{n:>8}  {took:>8.2f}  {n / took:>7.1f}  {base:>10.1f}  {base / took:>8.1f}")
        if opts.speedup:
            folder = folders[opts.speedup]
            cpu: list[float] = []
            t1 = run([str(folder), "--jobs", "1"], tmp / "j1.db", cpu)
            t2 = run([str(folder), "--jobs", "2"], tmp / "j2.db", cpu)
            out["speedup"] = {"packages": opts.speedup, "jobs1_s": t1, "jobs2_s": t2,
                              "ratio": t1 / t2, "parent_cpu_s": cpu}
            print(f"speed-up 1→2 workers ({opts.speedup} packages): {t1:.2f} s → {t2:.2f} s = "
                  f"{t1 / t2:.2f}× (target ≥ 1.7× on a quiet machine)")
            print(f"parent process CPU (start-up and merging; not the workers): "
                  f"{cpu[0]:.2f} s, {cpu[1]:.2f} s = {1000 * cpu[1] / opts.speedup:.1f} ms a package "
                  f"with 2 workers")
        out["load_end"] = os.getloadavg()[0]
        print(f"load {out['load_end']:.2f} at the end")
    if opts.json:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
