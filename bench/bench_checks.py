#!/usr/bin/env python3
"""Benchmark the whole check suite over the large course (room: bench — prints figures only).

Ingests ``bench/out/large-course`` once (not timed here: see bench_ingest.py),
loads the shipped rule files the way ``reviewer scan`` does, builds the
CheckContext with the service's ``build_context`` and runs every registered
check, printing the seconds each one takes.  The first pass includes one-off
costs inside the checks (jieba/spaCy loading, automaton building); a second pass
in the same process shows the steady state.

Target (issue 3): the whole check suite in under 10 s.
Run ``.venv/bin/python bench/bench_checks.py [--course DIR] [--passes N]``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def timed_checks(ctx):
    """Run every check through ``iter_checks``: (seconds per check, the merged CheckResult)."""
    from reviewer.checks.registry import iter_checks

    times: dict[str, float] = {}
    gen = iter_checks(ctx)
    current, started = None, time.perf_counter()
    while True:
        try:
            step = next(gen)
        except StopIteration as done:
            result = done.value
            break
        now = time.perf_counter()
        if current is not None:
            times[current] = now - started
        current, started = step.check or None, now
    if current is not None:
        times[current] = time.perf_counter() - started
    return times, result


def planted_recall(package, findings) -> list[tuple[str, str, int, int]]:
    """For each kind of planted problem: (check, marker, cues holding it, of those with a finding)."""
    from make_large_course import PLANTED

    flagged = {(f.check, f.file, f.locator.key()) for f in findings if f.locator is not None}
    out = []
    for check, marker, _template in PLANTED:
        cues = [s for s in package.segments("transcript") if marker in s.text]
        hit = sum(1 for s in cues if (check, s.file, s.locator.key()) in flagged)
        out.append((check, marker, len(cues), hit))
    return out


def coverage_summary(coverage) -> str:
    from make_large_course import UNTAUGHT

    untaught = {zh for zh, _en in UNTAUGHT}
    missing = [t for t in coverage.topics if not t.covered]
    true_missing = sum(1 for t in missing if any(u in t.title for u in untaught))
    return (f"{len(coverage.topics)} topics, {len(missing)} reported not covered: "
            f"{true_missing} of the {len(untaught)} untaught ones, "
            f"{len(missing) - true_missing} taught ones wrongly; ratio {coverage.ratio:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--course", type=Path, default=HERE / "out" / "large-course")
    ap.add_argument("--passes", type=int, default=2, help="passes over the suite (first is cold)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(HERE))
    from make_large_course import make

    from reviewer.ingest.package import load_package
    from reviewer.service.scan import build_context, load_rules

    make(args.course)
    t = time.perf_counter()
    package = load_package(str(args.course))
    t_ingest = time.perf_counter() - t
    t = time.perf_counter()
    rules, errors, files, _digest = load_rules()
    t_rules = time.perf_counter() - t
    ctx = build_context(package, rules)
    segments = sum(len(f.segments) for f in package.files)
    chars = sum(len(s.text) for f in package.files for s in f.segments)
    print(f"Check suite benchmark — {segments:,} segments, {chars / 1e6:.1f} M characters "
          f"(ingest {t_ingest:.2f} s, not counted)")
    print(f"  rule files loaded: {len(files)} in {t_rules:.2f} s"
          + (f"; {len(errors)} failed to load: {errors}" if errors else ""))
    for n in range(1, args.passes + 1):
        times, result = timed_checks(ctx)
        findings = result.findings
        total = sum(times.values())
        label = "cold (first pass)" if n == 1 else f"pass {n}"
        print(f"  {label}:")
        for name, secs in times.items():
            print(f"    {name:<16} {secs:7.2f} s")
        print(f"    {'total':<16} {total:7.2f} s   target < 10 s (with rule loading: {total + t_rules:.2f} s)")
        by_check = Counter(f.check for f in findings)
        print(f"    findings: {len(findings):,} " + ", ".join(f"{k} {v}" for k, v in sorted(by_check.items())))
        if n == 1:
            if result.coverage is not None:
                print(f"    coverage: {coverage_summary(result.coverage)}")
            for check, marker, total_, hit in planted_recall(package, findings):
                print(f"    planted {marker!r:<14} found by {check:<9} in {hit:>3} of {total_} cues")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (ru_maxrss, whole process): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
