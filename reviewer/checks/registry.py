"""The registry of checks and the runner that drives them.

Each check module registers one function with :func:`register`; the runner
calls them in order, yielding progress so a UI worker can relay it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass

from reviewer.checks.model import CheckContext, CheckResult, lower_uncertain

CheckFn = Callable[[CheckContext], CheckResult]

#: Check modules, imported on first use (each calls :func:`register`).
CHECK_MODULES = [
    "reviewer.checks.ingest_issues",
    "reviewer.checks.lexicon",
    "reviewer.checks.pii",
    "reviewer.checks.outdated",
    "reviewer.checks.completeness",
    "reviewer.checks.coverage",
    "reviewer.checks.platform",
]

_REGISTRY: dict[str, CheckFn] = {}


def register(name: str) -> Callable[[CheckFn], CheckFn]:
    def deco(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = fn
        return fn

    return deco


def all_checks() -> dict[str, CheckFn]:
    """Name → function for every check, in the order of :data:`CHECK_MODULES`."""
    for module in CHECK_MODULES:
        importlib.import_module(module)
    # Registration order follows whichever module happened to be imported
    # first; the promised order is that of CHECK_MODULES (others last).
    rank = {m: i for i, m in enumerate(CHECK_MODULES)}
    ordered = sorted(_REGISTRY.items(),
                     key=lambda kv: rank.get(kv[1].__module__, len(rank)))
    return dict(ordered)


@dataclass(frozen=True, slots=True)
class CheckProgress:
    check: str
    done: int
    total: int


def iter_checks(ctx: CheckContext, only: Iterable[str] | None = None,
                elsewhere: Mapping[str, Callable[[], CheckResult]] | None = None
                ) -> Generator[CheckProgress, None, CheckResult]:
    """Run the checks, yielding progress before each one; returns the merged result.

    ``elsewhere`` maps a check's name to a call that returns its result, made
    somewhere else (a second process): in that check's turn the call is awaited
    instead of running the check, so the merged result is the one the checks
    would give run here one after another.
    """
    checks = all_checks()
    wanted = None if only is None else set(only)  # once: ``only`` may be a one-shot iterator
    names = [n for n in checks if wanted is None or n in wanted]
    away = elsewhere or {}
    merged = CheckResult()
    for i, name in enumerate(names):
        yield CheckProgress(name, i, len(names))
        result = away[name]() if name in away else checks[name](ctx)
        merged.findings.extend(result.findings)
        if result.coverage is not None:
            merged.coverage = result.coverage
        merged.facts.update(result.facts)
    yield CheckProgress("", len(names), len(names))
    merged.findings = lower_uncertain(merged.findings, ctx.options)  # uncertain OCR text: one level lower
    merged.findings.sort(key=lambda f: f.sort_key())
    return merged


def run_checks(ctx: CheckContext, only: Iterable[str] | None = None) -> CheckResult:
    """Run the checks to completion (no progress)."""
    gen = iter_checks(ctx, only)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value
