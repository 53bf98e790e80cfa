"""A call made in a forked child (reviewer.service.forked), and when a scan makes one.

Whatever the child does — answer, raise, die, send what can't be pickled — the
caller gets the answer, or the exception, a call in its own process gives.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

from reviewer.service import forked
from reviewer.service.forked import Forked, can_fork
from tests.service.conftest import needs_fork, only_new_threads_count

pytestmark = needs_fork

PARENT = os.getpid()


def _pid() -> int:
    return os.getpid()


def test_the_call_is_made_in_another_process_and_its_answer_comes_back():
    with Forked(_pid) as child:
        assert child.result() != PARENT
        assert child.answered_by == "child"
        # Asked again: the same answer, without a second call.
        assert child.result() == child.result()
    assert not multiprocessing.active_children()


def test_an_error_in_the_child_is_the_callers_own_call_made_again_here():
    calls = []

    def only_fails_in_the_child() -> str:
        calls.append(os.getpid())
        if os.getpid() != PARENT:
            raise RuntimeError("child only")
        return "made here"

    with Forked(only_fails_in_the_child) as child:
        assert child.result() == "made here"
        assert child.answered_by == "here"
    assert calls == [PARENT]  # the child's append stayed in the child


def test_an_error_that_happens_anywhere_is_raised_to_the_caller():
    def always_fails() -> None:
        raise ValueError("bad rule data")

    with Forked(always_fails) as child, pytest.raises(ValueError, match="bad rule data"):
        child.result()


def test_a_child_that_dies_without_answering_is_replaced_by_a_call_here():
    def dies_in_the_child() -> str:
        if os.getpid() != PARENT:
            os._exit(3)
        return "made here"

    with Forked(dies_in_the_child) as child:
        assert child.result() == "made here" and child.answered_by == "here"


def test_an_answer_that_cannot_be_pickled_is_made_here():
    def unpicklable():
        return lambda: os.getpid()  # a local lambda: pickle refuses it

    with Forked(unpicklable) as child:
        made = child.result()
        assert child.answered_by == "here" and made() == PARENT


def test_cancel_ends_a_busy_child_at_once_and_leaves_no_process():
    with Forked(lambda: time.sleep(60)) as child:
        started = time.perf_counter()
        child.cancel()
        child.cancel()  # twice: nothing more to do
        assert time.perf_counter() - started < 5
    assert not multiprocessing.active_children()


def test_leaving_the_block_unanswered_ends_the_child():
    with Forked(lambda: time.sleep(60)):
        pass
    assert not multiprocessing.active_children()


def test_no_fork_while_another_thread_runs(monkeypatch):
    monkeypatch.setattr(forked, "usable_cpus", lambda: 2)
    assert can_fork() is (threading.active_count() == 1)
    only_new_threads_count(monkeypatch)
    assert can_fork() is True
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert can_fork() is False
    finally:
        stop.set()
        other.join()


def test_no_fork_on_a_single_core(monkeypatch):
    monkeypatch.setattr(forked, "usable_cpus", lambda: 1)
    assert can_fork() is False


def test_no_fork_on_macos(monkeypatch):
    monkeypatch.setattr(forked, "usable_cpus", lambda: 2)
    monkeypatch.setattr(forked.sys, "platform", "darwin")
    assert can_fork() is False


def test_asked_again_a_failed_call_raises_again_without_running_again():
    calls = []

    def always_fails() -> None:
        calls.append(os.getpid())
        raise ValueError("bad")

    with Forked(always_fails) as child:
        for _ in range(2):
            with pytest.raises(ValueError):
                child.result()
    assert calls == [PARENT]


def test_asked_after_a_cancel_the_call_is_made_here():
    with Forked(_pid) as child:
        child.cancel()
        assert child.result() == PARENT and child.answered_by == "here"
