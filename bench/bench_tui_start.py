"""How long until the first screen of the terminal UI is up (room: bench, owned by the TUI).

Runs ``reviewer``'s app headless in a fresh interpreter, exits right after the
library's first refresh, and prints the wall time of the whole process
(interpreter start, imports, database open, compose, first frame) and which
heavy modules were imported by then (none should be).  Median of N runs.

    .venv/bin/python bench/bench_tui_start.py [--runs 7] [--db FILE]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import sys, time
t0 = time.perf_counter()
from reviewer.tui.app import create_app
t_import = time.perf_counter()
app = create_app(sys.argv[1], "zh")
marks = {}

async def first_frame(pilot):
    await pilot.pause()
    marks["frame"] = time.perf_counter()
    heavy = [m for m in ("spacy", "jieba", "pdfplumber", "pypdfium2", "pptx", "docx")
             if m in sys.modules]
    print(f"import={t_import - t0:.3f} frame={marks['frame'] - t0:.3f} heavy={','.join(heavy) or 'none'}")
    app.exit()

app.run(headless=True, size=(100, 32), auto_pilot=first_frame)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", default=None, help="state file (default: a fresh one)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        walls, frames = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", CHILD, db], cwd=root, check=True,
                                 capture_output=True, text=True).stdout.strip()
            walls.append(time.perf_counter() - start)
            fields = dict(part.split("=") for part in out.split())
            frames.append(float(fields["frame"]))
            heavy = fields["heavy"]
        print(f"runs: {args.runs}")
        print(f"process start → first frame (wall, incl. interpreter exit): "
              f"median {statistics.median(walls):.3f} s, min {min(walls):.3f} s")
        print(f"in-process: first frame at median {statistics.median(frames):.3f} s "
              f"after the first import")
        print(f"heavy modules imported by the first frame: {heavy}")


if __name__ == "__main__":
    main()
