"""Helpers for Pilot tests: waiting for screens and reading state back from the store."""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager

from textual.widgets import Input


async def wait_for(pilot, predicate, timeout: float = 20.0, step: float = 0.05) -> None:
    """Pump the app until ``predicate()`` is true (fails the test after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        await pilot.pause(step)


async def wait_screen(pilot, name: str, timeout: float = 20.0) -> None:
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, timeout)


async def type_into_prompt(pilot, text: str) -> None:
    """Fill the open TextPrompt's input and press Enter."""
    await wait_screen(pilot, "TextPrompt")
    field = pilot.app.screen.query_one(Input)
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


def fresh_status(db_path, pkg):
    """The review status as another process would read it (a new connection)."""
    from reviewer.service.review import review_status
    from reviewer.store import open_db

    db = open_db(db_path)
    try:
        return review_status(db, pkg)
    finally:
        db.conn.close()


def settle():
    return asyncio.sleep(0)


def sync(fn):
    """Run an async test function with ``asyncio.run`` (no async pytest plugin needed)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


async def open_package(pilot, path) -> None:
    """Open ``path`` and wait until the package screen is up with its table focused."""
    pilot.app.open_package(str(path))
    await wait_screen(pilot, "PackageScreen")
    await wait_for(pilot, lambda: pilot.app.focused is not None
                   and pilot.app.focused.id == "fv-table")


async def open_view(pilot, path, key: str, ready=None) -> None:
    """Open ``path``, press the view key ``key`` and wait until ``ready()`` is true
    (its table filled or focused, say); without ``ready``, one pause."""
    await open_package(pilot, path)
    await pilot.press(key)
    if ready is None:
        await pilot.pause()
    else:
        await wait_for(pilot, ready)


async def recommend(pilot, comment: str) -> None:
    """From the package screen: the summary view (5), decide (d), "recommend" with
    ``comment``; back on the package screen (recorded, or refused with a notification)."""
    await pilot.press("5")
    await record_decision(pilot, comment, key="d")


async def record_decision(pilot, comment: str, key: str = "D") -> None:
    """From the package screen: open the decision dialog with ``key``, keep the first
    choice, write ``comment`` and confirm; wait until the package screen is back."""
    await pilot.press(key)
    await wait_screen(pilot, "DecisionModal")
    await pilot.press("enter")
    pilot.app.screen.query_one("#comment").value = comment
    await pilot.press("enter")
    await wait_screen(pilot, "PackageScreen")


async def press_for(pilot, key: str, screen: str) -> None:
    """Press ``key`` and wait until the screen named ``screen`` is on top."""
    await pilot.press(key)
    await wait_screen(pilot, screen)


@asynccontextmanager
async def package_open(seeded, lang: str, size: tuple[int, int] = (100, 32)):
    """The app in ``lang`` with the ``seeded`` package open on its package screen: the pilot."""
    from reviewer.tui.app import create_app

    app = create_app(seeded.db, lang)
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, "LibraryScreen")
        await open_package(pilot, seeded.pkg)
        yield pilot


async def steady_cursors(pilot) -> None:
    """Stop every text box's cursor blinking (shown, as a snapshot records it): a snapshot
    taken in the blink's off half-second differed by the cursor cell alone."""
    from textual.widgets import Input

    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
