#!/usr/bin/env python3
"""Benchmark ingestion and scanning of the large course (room: bench — prints figures, asserts nothing).

Each measurement runs in its own fresh Python process, so "cold" really is cold
(imports, caches) and ``ru_maxrss`` is the peak of that phase alone:

* ``bare-pdf``   bare pypdfium2 text extraction of the 300-page slide PDF (the yardstick)
* ``ingest-pdf`` ``load_package`` on a package holding only that PDF (→ ratio to bare)
* ``ingest``     ``load_package`` on the whole course, no cache: pages/s, MB/s, peak memory
* ``scan-cold``  ``reviewer.service.scan.scan`` with a fresh database: ingest, checks + store
* ``scan-warm``  the same scan again, nothing changed: files reused from the store

Peak memory is reported twice: tracemalloc's peak of Python allocations (in a
second, traced run, since tracing slows the code down) and the process's
``ru_maxrss`` (everything, C libraries included).

Targets (issue 2): ingest cold < 5 s, re-scan unchanged < 0.5 s, peak < 500 MB.
Run ``.venv/bin/python bench/bench_ingest.py [--course DIR] [--repeat N] [--scale N] [--bytecode]``
(``--scale 4``: only the cold scan, of a course with 4× the transcripts — peak memory).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
SLIDES = Path("slides/lectures.pdf")


def maxrss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def course_stats(course: Path) -> dict[str, Any]:
    import pypdfium2 as pdfium

    pages = 0
    for pdf in course.rglob("*.pdf"):
        doc = pdfium.PdfDocument(str(pdf))
        pages += len(doc)
        doc.close()
    size = sum(p.stat().st_size for p in course.rglob("*") if p.is_file())
    return {"bytes": size, "pdf_pages": pages}


# ------------------------------------------------------------------ phases (child processes)

def phase_bare_pdf(course: Path) -> dict[str, Any]:
    import pypdfium2 as pdfium

    t = time.perf_counter()
    doc = pdfium.PdfDocument(str(course / SLIDES))
    chars = 0
    for i in range(len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        chars += len(tp.get_text_range())
        tp.close()
        page.close()
    n = len(doc)
    doc.close()
    secs = time.perf_counter() - t
    return {"seconds": secs, "pages": n, "pages_per_s": n / secs, "chars": chars}


def _pdf_only_package(course: Path) -> Path:
    target = OUT / "pdf-only"
    if not (target / "lectures.pdf").exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(course / SLIDES, target / "lectures.pdf")
    return target


def phase_ingest_pdf(course: Path) -> dict[str, Any]:
    from reviewer.ingest.package import load_package

    pkg = _pdf_only_package(course)
    t = time.perf_counter()
    package = load_package(str(pkg))
    secs = time.perf_counter() - t
    record = package.file("lectures.pdf")
    assert record is not None and record.status == "ok", record
    chars = sum(len(s.text) for s in record.segments)
    return {"seconds": secs, "pages": record.units, "pages_per_s": record.units / secs, "chars": chars}


def phase_ingest(course: Path) -> dict[str, Any]:
    from reviewer.ingest.package import Limits, load_package

    stats = course_stats(course)
    gc.collect()
    t = time.perf_counter()
    package = load_package(str(course), limits=Limits())
    secs = time.perf_counter() - t
    rss = maxrss_mb()
    segments = sum(len(f.segments) for f in package.files)
    errors = [(f.path, f.error) for f in package.files if f.status != "ok"]
    del package
    gc.collect()
    tracemalloc.start()
    load_package(str(course))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": secs, "segments": segments, "errors": errors, **stats,
            "pages_per_s": stats["pdf_pages"] / secs, "mb_per_s": stats["bytes"] / 2**20 / secs,
            "tracemalloc_peak_mb": peak / 2**20, "maxrss_mb": rss}


def _timed_scan(course: Path, db_path: Path, trace: bool = False) -> dict[str, Any]:
    from reviewer.service.scan import scan
    from reviewer.store import open_db

    marks: dict[str, float] = {}

    def progress(p) -> None:
        now = time.perf_counter()
        if p.stage == "ingest":
            marks["ingest_end"] = now  # the last ingest event comes when every file is read
        elif p.stage == "checks" and "checks" not in marks:
            marks["checks"] = now

    db = open_db(db_path)
    if trace:
        tracemalloc.start()
    t = time.perf_counter()
    outcome = scan(db, course, on_progress=progress)
    end = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    start_checks = marks.get("checks", end)
    ingest_end = marks.get("ingest_end", start_checks)
    return {"seconds": end - t, "ingest_seconds": ingest_end - t,
            "rules_seconds": start_checks - ingest_end,
            "checks_and_store_seconds": end - start_checks, "reused": outcome.reused,
            "extracted": outcome.extracted, "findings": len(outcome.findings),
            "tracemalloc_peak_mb": peak / 2**20, "maxrss_mb": maxrss_mb(),
            **_forked_child()}


def _forked_child() -> dict[str, float]:
    """What the scan's forked child used (reviewer.service.forked; zero where none ran):
    its peak RSS counts the pages it shares with this process, so it is an upper bound
    of what it added."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"child_maxrss_mb": kids.ru_maxrss / 1024,
            "child_cpu_seconds": kids.ru_utime + kids.ru_stime}


def phase_scan_cold(course: Path) -> dict[str, Any]:
    db_path = OUT / "bench-scan.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    return _timed_scan(course, db_path)


def phase_scan_warm(course: Path) -> dict[str, Any]:
    return _timed_scan(course, OUT / "bench-scan.db")


def phase_scan_memory(course: Path) -> dict[str, Any]:
    db_path = OUT / "bench-scan-mem.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    return _timed_scan(course, db_path, trace=True)


PHASES = {"bare-pdf": phase_bare_pdf, "ingest-pdf": phase_ingest_pdf, "ingest": phase_ingest,
          "scan-cold": phase_scan_cold, "scan-warm": phase_scan_warm, "scan-memory": phase_scan_memory}


# ------------------------------------------------------------------ driver

#: The phases' environment (``--bytecode`` keeps compiled bytecode, see bench_cold_start.py).
ENV: dict[str, str] | None = None


def run_phase(name: str, course: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--phase", name, "--course", str(course)],
                          capture_output=True, text=True, cwd=ROOT, env=ENV)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best(name: str, course: Path, repeat: int) -> dict[str, Any]:
    runs = [run_phase(name, course) for _ in range(repeat)]
    ok = [r for r in runs if "error" not in r]
    return min(ok, key=lambda r: r["seconds"]) if ok else runs[0]


def report(results: dict[str, dict[str, Any]]) -> None:
    def line(label: str, value: str, target: str = "") -> None:
        print(f"  {label:<44} {value:>22}   {target}")

    print("Ingest benchmark — large course (best of the runs)")
    for name, r in results.items():
        if "error" in r:
            print(f"  {name}: FAILED — {r['error']}")
    bare, ing_pdf = results.get("bare-pdf", {}), results.get("ingest-pdf", {})
    if "pages_per_s" in bare:
        line("bare pypdfium2, 300-page slide PDF", f"{bare['pages_per_s']:,.0f} pages/s")
    if "pages_per_s" in ing_pdf and "pages_per_s" in bare:
        line("ingest of the same PDF", f"{ing_pdf['pages_per_s']:,.0f} pages/s",
             f"ratio to bare: {ing_pdf['pages_per_s'] / bare['pages_per_s']:.2f}")
    ing = results.get("ingest", {})
    if "seconds" in ing:
        line("ingest cold (load_package, no store)", f"{ing['seconds']:.2f} s", "target < 5 s")
        line("  PDF pages / s (all PDF pages ÷ total time)", f"{ing['pages_per_s']:,.0f}")
        line("  MB / s", f"{ing['mb_per_s']:.1f}", f"({ing['bytes'] / 2**20:.1f} MB, "
             f"{ing['segments']:,} segments)")
        line("  peak memory (tracemalloc)", f"{ing['tracemalloc_peak_mb']:.0f} MB", "target < 500 MB")
        line("  peak memory (ru_maxrss, whole process)", f"{ing['maxrss_mb']:.0f} MB", "target < 500 MB")
        if ing["errors"]:
            line("  files with errors", str(ing["errors"]))
    for name, label in (("scan-cold", "scan cold (fresh DB)"), ("scan-warm", "re-scan unchanged")):
        r = results.get(name, {})
        if "seconds" not in r:
            continue
        target = "target < 5 s (ingest)" if name == "scan-cold" else "target < 0.5 s (ingest)"
        line(f"{label}: total", f"{r['seconds']:.2f} s")
        line("  ingest phase (hash, extract or reuse)", f"{r['ingest_seconds']:.2f} s", target)
        line("  loading rule files", f"{r['rules_seconds']:.2f} s")
        line("  checks + store", f"{r['checks_and_store_seconds']:.2f} s")
        line("  files extracted / reused", f"{r['extracted']} / {r['reused']}")
        line("  findings", f"{r['findings']:,}")
        line("  peak memory (ru_maxrss)", f"{r['maxrss_mb']:.0f} MB", "target < 500 MB")
        if r.get("child_cpu_seconds"):
            line("  forked checks: CPU / peak RSS (shared pages included)",
                 f"{r['child_cpu_seconds']:.2f} s / {r['child_maxrss_mb']:.0f} MB")
    mem = results.get("scan-memory", {})
    if "tracemalloc_peak_mb" in mem:
        line("scan cold, peak memory (tracemalloc)", f"{mem['tracemalloc_peak_mb']:.0f} MB", "target < 500 MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--course", type=Path, default=OUT / "large-course")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timing phase (best is shown)")
    ap.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    ap.add_argument("--scale", type=int, default=1,
                    help="transcripts × N (bench/out/large-course-xN): the scan phases only, for peak memory")
    ap.add_argument("--bytecode", action="store_true",
                    help="let the phases keep compiled bytecode (a temporary PYTHONPYCACHEPREFIX), as "
                         "an installed package has it, even where PYTHONDONTWRITEBYTECODE is set")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.course)))
        return 0
    sys.path.insert(0, str(HERE))
    from bench_cold_start import process_env
    from make_large_course import make

    global ENV
    ENV = process_env(args)
    if args.bytecode:  # compiled once here, so every timed phase finds it (as installed)
        subprocess.run([sys.executable, "-c", "import reviewer.service.scan, reviewer.checks.registry as r;"
                        " r.all_checks()"], cwd=ROOT, env=ENV, check=True)

    if args.scale > 1:
        if args.course == OUT / "large-course":
            args.course = OUT / f"large-course-x{args.scale}"
        make(args.course, scale=args.scale)
        print(f"(transcripts × {args.scale}: {args.course})")
        results = {"scan-cold": best("scan-cold", args.course, args.repeat)}
        report(results)
        if args.json:
            print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    make(args.course)
    results = {name: best(name, args.course, args.repeat)
               for name in ("bare-pdf", "ingest-pdf", "ingest", "scan-cold")}
    results["scan-warm"] = best("scan-warm", args.course, args.repeat)  # after a cold scan
    results["scan-memory"] = run_phase("scan-memory", args.course)
    report(results)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
