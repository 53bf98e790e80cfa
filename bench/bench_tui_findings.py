"""Findings at scale in the terminal UI (room: bench, owned by the TUI).

Records a scan with N findings (default 10,000) into a temporary database,
then measures: loading the package session (last scan + review status),
filtering the in-memory model (severity, text search, clear), re-sorting,
and, headless, opening the package screen and applying a search there
(one filter pass plus the repaint of the visible rows).

    .venv/bin/python bench/bench_tui_findings.py [--findings 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, runs: int = 5) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    args = parser.parse_args()
    from tests.tui.conftest import make_package, many_findings, record_scan

    from reviewer.store import open_db
    from reviewer.tui.session import PackageSession

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pkg = make_package(root)
        db_path = root / "bench.db"
        record_scan(db_path, pkg, lambda p: many_findings(p, args.findings))
        db = open_db(db_path)
        start = time.perf_counter()
        session = PackageSession(db, str(pkg))
        session.status  # noqa: B018 - the review status is part of opening
        print(f"findings: {args.findings}")
        print(f"open session (load scan + review status): {time.perf_counter() - start:.3f} s")
        model = session.model

        def severity():
            model.filters.severity = "error"
            model.refilter()
            model.filters.severity = None
            model.refilter()

        print(f"severity filter on + off:  {timed(severity) * 1000:.1f} ms")
        print(f"text search '9999':         {timed(lambda: model.set_text('9999')) * 1000:.1f} ms")
        print(f"clear search:               {timed(lambda: model.set_text('')) * 1000:.1f} ms")
        print(f"re-sort by file:            {timed(lambda: (setattr(model, 'sort_key', 'file'), model.resort())) * 1000:.1f} ms")
        rows = iter(model.rows)
        print(f"dispose one (service call): "
              f"{timed(lambda: session.dispose(next(rows), 'confirmed'), 5) * 1000:.1f} ms")
        db.conn.close()

        from reviewer.tui.app import create_app
        from reviewer.tui.widgets.findings_view import FindingsView

        async def ui() -> None:
            app = create_app(db_path, "zh")
            async with app.run_test(size=(100, 32)) as pilot:
                start = time.perf_counter()
                app.open_package(str(pkg))
                while type(app.screen).__name__ != "PackageScreen":
                    await pilot.pause(0.01)
                await pilot.pause()
                print(f"UI: open package screen:    {time.perf_counter() - start:.3f} s")
                view = app.screen.query_one(FindingsView)
                start = time.perf_counter()
                view.apply_search("9999")
                await pilot.pause()
                print(f"UI: search + repaint:       {(time.perf_counter() - start) * 1000:.1f} ms "
                      f"({len(view.model.view)} shown)")
                start = time.perf_counter()
                view.apply_search("")
                await pilot.pause()
                print(f"UI: clear + repaint:        {(time.perf_counter() - start) * 1000:.1f} ms")

        asyncio.run(ui())


if __name__ == "__main__":
    main()
