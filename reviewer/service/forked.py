"""A call made in a forked child process, for a large scan's second core (room: service).

The checks are pure functions over the ingested package.  A forked child sees
that package as it is, copy-on-write, so nothing is pickled on the way in; only
its answer (a check's findings and report, a few kilobytes) comes back through
a pipe.  On the large benchmark course the outdated and coverage checks then run
beside the lexicon and personal-data checks instead of after them
(:func:`reviewer.service.scan.scan`).

A fork is only made where it is safe and can pay (:func:`can_fork`): a platform
that forks (Linux, the BSDs; not Windows, nor macOS), a process with no other
thread (a thread holding a lock when the process forks leaves that lock held
for ever in the child: the terminal UI, which scans in a thread worker, runs
every check in its own process), and a second core.

Whatever goes wrong in the child — an exception, a crash, a result that can't
be pickled — :meth:`Forked.result` makes the call again here, so the caller
gets the very answer, or the very exception, a call in this process gives.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def usable_cpus() -> int:
    """The cores this process may run on (its affinity mask where there is one), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether a forked child may run part of a scan here.

    False on Windows (no fork), on macOS (system libraries are not fork-safe
    there, which is why Python's default is spawn), in a process that has
    started a thread, in a daemonic process (which may have no children) and
    on a single core (the child would only take turns with its parent).
    """
    import multiprocessing
    import threading

    if sys.platform == "darwin" or "fork" not in multiprocessing.get_all_start_methods():
        return False
    return (threading.active_count() == 1 and not multiprocessing.current_process().daemon
            and usable_cpus() >= 2)


class Forked(Generic[T]):
    """``fn()`` running in a forked child from the moment this is made.

    :meth:`result` waits for the child's answer; :meth:`cancel` ends the child.
    Use it as a context manager so the child never outlives its use.
    """

    def __init__(self, fn: Callable[[], T], name: str = "reviewer-fork") -> None:
        import multiprocessing

        self._fn = fn
        context = multiprocessing.get_context("fork")
        self._answer, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(fn, send), name=name, daemon=True)
        self._process.start()
        send.close()  # the child holds the only writing end: its exit is our EOF
        #: Where the answer came from: ``"child"``, or ``"here"`` when the call was
        #: made again in this process (the child failed); None until :meth:`result`.
        self.answered_by: str | None = None
        self._value: Any = None
        self._error: BaseException | None = None

    def result(self) -> T:
        """The child's answer; if it has none (or was cancelled), ``fn()`` called in this
        process.  Asked again, the same answer or the same exception (nothing is retried)."""
        if self.answered_by is not None:
            if self._error is not None:
                raise self._error
            return self._value
        status, value = "lost", None  # (and so after cancel(): made here)
        if not self._answer.closed:
            try:
                status, value = self._answer.recv()
            except Exception:  # noqa: BLE001 - died without answering (EOF), or unpicklable
                status, value = "lost", None
            finally:
                self._close()
        if status == "ok":
            self.answered_by = "child"
        else:
            self.answered_by = "here"
            try:
                value = self._fn()
            except BaseException as exc:
                self._error = exc
                raise
        self._value = value
        return value

    def cancel(self) -> None:
        """End the child at once (its answer is no longer wanted); idempotent."""
        if self._answer.closed:
            return
        if self._process.is_alive():
            self._process.kill()
        self._close()

    def _close(self) -> None:
        self._answer.close()
        self._process.join()
        self._process.close()

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cancel()


def _child(fn: Callable[[], Any], send: Any) -> None:
    """In the child: call ``fn`` and send ``("ok", value)``, or ``("failed", None)``."""
    try:
        value = fn()
    except BaseException:  # noqa: BLE001 - the parent makes the call again and sees the error
        send.send(("failed", None))
        return
    try:
        send.send(("ok", value))
    except Exception:  # noqa: BLE001 - e.g. a value that can't be pickled
        send.send(("failed", None))
