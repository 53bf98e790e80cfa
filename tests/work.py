"""Work, not wall-clock time: how many lines of Python a call runs (room: tests).

A test that something scales linearly runs it at two sizes and compares these counts,
which are the same on a quiet laptop and a loaded CI machine (timings belong in
bench/).  Work done inside C (a regular expression, a C extension) is not counted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def lines_run(call: Callable[[], Any]) -> tuple[int, Any]:
    """``(lines of Python executed, result)`` for ``call()``."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = call()
    finally:
        sys.settrace(previous)
    return count, result
