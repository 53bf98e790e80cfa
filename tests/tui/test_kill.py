"""Kill -9 the UI in the middle of a review: every answer and disposition it showed is on disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.tui.helpers import fresh_status

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import asyncio, sys
from textual.widgets import Input
from reviewer.tui.app import create_app

db, pkg = sys.argv[1], sys.argv[2]
app = create_app(db, "zh", open_path=pkg)

async def wait(pilot, cond):
    for _ in range(600):
        if cond():
            return
        await pilot.pause(0.05)
    raise SystemExit("timeout")

async def review(pilot):
    await wait(pilot, lambda: type(app.screen).__name__ == "PackageScreen"
               and app.focused is not None and app.focused.id == "fv-table")
    await pilot.press("x")
    await wait(pilot, lambda: type(app.screen).__name__ == "TextPrompt")
    app.screen.query_one(Input).value = "引用的反面案例"
    await pilot.press("enter")
    await wait(pilot, lambda: type(app.screen).__name__ == "PackageScreen")
    await pilot.press("4")
    await wait(pilot, lambda: app.screen.query_one("#ck-table").row_count > 0
               and app.focused is app.screen.query_one("#ck-table"))
    for _ in range(5):
        await pilot.press("p")
        await pilot.pause()
        if type(app.screen).__name__ == "ConfirmPassModal":  # P3 over its open error finding
            app.screen.query_one(Input).value = "另行处置"
            await pilot.press("enter")
            await wait(pilot, lambda: type(app.screen).__name__ == "PackageScreen")
    print("ANSWERED", flush=True)
    await asyncio.sleep(120)  # killed long before this ends

app.run(headless=True, size=(80, 24), auto_pilot=review)
"""


def test_answers_survive_kill_minus_nine(seeded):
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(seeded.db), str(seeded.pkg)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.strip() == "ANSWERED", proc.stderr.read() if proc.poll() is not None else line
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    status = fresh_status(seeded.db, seeded.pkg)
    answered = [i for i in status.items if i.answer]
    assert [i.id for i in answered] == [i.id for i in status.items[:5]]
    assert all(i.answer == "pass" for i in answered)
    disposed = [f for f in status.findings if f.disposition]
    assert len(disposed) == 1
    assert disposed[0].disposition == "false-alarm" and disposed[0].reason == "引用的反面案例"
