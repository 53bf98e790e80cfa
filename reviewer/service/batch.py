"""Scanning many packages at once — the use case behind ``reviewer scan PATH...``.

Each package is scanned by :func:`reviewer.service.scan.scan` in a worker:
a process of a :class:`concurrent.futures.ProcessPoolExecutor` (one per core
by default) or, with ``cluster=ADDRESS``, a task on a Dask distributed
cluster.  Whichever engine runs it, a task works the same way:

1. open a fresh in-memory store of its own, seeded from the user's database
   when the worker can read it (:func:`reviewer.store.merge.copy_package`),
   so unchanged files are not extracted again and an unchanged package takes
   its findings over, exactly as a serial scan would;
2. scan the package into that store;
3. send the store back as bytes, with a summary.

The parent merges each returned store into the one database as soon as it
arrives (:func:`reviewer.store.merge.copy_package`: one transaction per
package).  So only the parent ever writes the user's database, no two
processes contend for one SQLite file, a worker on another machine needs no
access to it, and every SQL statement stays in ``reviewer.store``.  The
alternative — workers returning Python objects for the parent to write with
``save_package`` — would repeat :func:`scan`'s bookkeeping (options, rule
digests, scan reuse) here; a store is the form a scan already produces.

A package that fails (unreadable, a bug in a parser, even a worker process
that dies) becomes a result with status ``error`` or ``failed``; the others
go on.  Progress from every worker arrives on one stream of
:class:`BatchEvent`; the results come in input order in :class:`BatchOutcome`.

Worker processes warm up once: the check modules and the rule files are
loaded when the process starts, and the segmenter and pipelines stay loaded
for every later package of that process.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Generator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from reviewer.checks.model import Finding
from reviewer.i18n import CodedError, error_text

#: Exit status of one package, as ``reviewer scan`` gives it.
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
#: A task whose worker died this many times is reported failed, not retried.
MAX_ATTEMPTS = 2
#: How long ``--cluster`` waits for the scheduler to answer.
CONNECT_TIMEOUT = "20s"


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """What every package of a batch is scanned with."""

    lexicons: tuple[str, ...] = ()
    only_lexicons: tuple[str, ...] | None = None
    options: dict[str, Any] | None = None
    lang: str = "zh"
    #: Build each package's ``--format json`` report in the worker (for JSON Lines).
    report: bool = False
    #: The user's database, read (never written) by workers to seed their stores.
    seed_db: str | None = None


@dataclass(slots=True)
class PackageResult:
    """The outcome of one package of a batch.

    ``status``: ``ok`` (scanned; ``exit_code`` 1 when a finding is an error),
    ``error`` (the path is not a readable package) or ``failed`` (the scan
    broke: ``detail`` holds the traceback); both of the latter exit 2.
    """

    index: int
    path: str
    status: str
    exit_code: int
    message: str = ""
    #: ``message`` in the run's language, for people (the CLI's stderr); JSON Lines keep
    #: ``message`` (English) for programs.
    said: str = ""
    detail: str = ""
    title: str = ""
    digest: str = ""
    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    reused: int = 0
    extracted: int = 0
    seconds: float = 0.0
    worker: str = ""
    rule_errors: list[str] = field(default_factory=list)
    package_id: int | None = None
    scan_id: int | None = None
    findings: list[Finding] = field(default_factory=list)
    report: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """One JSON Lines record (findings are in ``report`` when it was asked for)."""
        out = {k: v for k, v in asdict(self).items()
               if k not in ("findings", "report", "detail", "said")}
        out["exit"] = out.pop("exit_code")
        out["seconds"] = round(self.seconds, 3)
        if self.detail:
            out["detail"] = self.detail
        if self.report is not None:
            out["report"] = self.report
        return out


@dataclass(frozen=True, slots=True)
class BatchEvent:
    """One step of a batch: ``kind`` is ``start`` (a worker took the package),
    ``step`` (``stage``/``done``/``total``/``label`` as in
    :class:`reviewer.service.scan.ScanProgress`) or ``done`` (``result`` set,
    ``finished`` packages of ``total_packages`` are done)."""

    kind: str
    index: int
    path: str
    stage: str = ""
    done: int = 0
    total: int = 0
    label: str = ""
    result: PackageResult | None = None
    finished: int = 0
    total_packages: int = 0


@dataclass(slots=True)
class BatchOutcome:
    results: list[PackageResult]
    seconds: float
    jobs: int
    engine: str  # "process" | "dask"

    @property
    def exit_code(self) -> int:
        """The worst of the packages' exit statuses (0 for an empty batch)."""
        return max((r.exit_code for r in self.results), default=EXIT_OK)


class BatchError(CodedError):
    """The batch can't start (no cluster at that address, nothing to scan)."""


def default_jobs() -> int:
    """Every core this process may run on."""
    from reviewer.service.forked import usable_cpus

    return usable_cpus()


# ---------------------------------------------------------------- the worker side

@dataclass(slots=True)
class _TaskResult:
    result: PackageResult
    key: str = ""
    store: bytes | None = None  # the worker's store (merge.to_bytes)
    scan_id: int | None = None  # the scan's id in that store


_PROGRESS = None  # the queue of a process-pool worker (set by _init_worker)
_WARM = False


def _warm(opts: BatchOptions) -> None:
    """Once per worker process: import the checks and read the rule files."""
    global _WARM
    if _WARM:
        return
    from reviewer.service.scan import load_rules

    load_rules(opts.lexicons, opts.only_lexicons)
    _WARM = True


def _init_worker(queue, opts: BatchOptions) -> None:
    global _PROGRESS
    _PROGRESS = queue
    try:
        _warm(opts)
    except Exception:  # noqa: BLE001 - a bad rule file is reported by each scan
        pass


def _post(event: tuple) -> None:
    if _PROGRESS is not None:
        try:
            _PROGRESS.put(event)
        except Exception:  # noqa: BLE001 - progress is best effort, never fatal
            pass


def scan_task(index: int, path: str, opts: BatchOptions) -> _TaskResult:
    """Scan one package into a fresh store of this worker's and return it (never raises)."""
    import socket

    from reviewer.service.scan import ScanError, package_key, scan
    from reviewer.store import merge, open_memory

    started = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    _post(("start", index, path, "", 0, 0, ""))
    last = [0.0]

    def progress(p) -> None:
        now = time.perf_counter()
        if now - last[0] >= 0.1 or p.done == p.total:
            last[0] = now
            _post(("step", index, path, p.stage, p.done, p.total, p.label))

    try:
        _warm(opts)
        key = package_key(path)
        db = open_memory()
        if opts.seed_db:
            seed = merge.open_readonly(opts.seed_db)
            if seed is not None:
                try:
                    merge.copy_package(db, seed, key)
                finally:
                    seed.conn.close()
        outcome = scan(db, path, lexicons=opts.lexicons, only_lexicons=opts.only_lexicons,
                       options=opts.options, on_progress=progress, lang=opts.lang,
                       parallel=False)  # the batch has a process per core already
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in outcome.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        report = None
        if opts.report:
            from reviewer import __version__
            from reviewer.checks.report import report_dict

            report = report_dict(outcome.package, outcome.findings, outcome.coverage,
                                 version=__version__, lang=opts.lang)
        result = PackageResult(
            index, path, "ok", EXIT_PROBLEMS if counts["error"] else EXIT_OK,
            title=outcome.package.title or "", digest=outcome.package.digest,
            files=len(outcome.package.files), errors=counts["error"],
            warnings=counts["warning"], infos=counts["info"], reused=outcome.reused,
            extracted=outcome.extracted, worker=worker, rule_errors=list(outcome.rule_errors),
            report=report)
        data = merge.to_bytes(db)
        db.conn.close()
        result.seconds = time.perf_counter() - started
        return _TaskResult(result, key, data, outcome.scan_id)
    except ScanError as exc:
        result = PackageResult(index, path, "error", EXIT_USAGE, message=str(exc), worker=worker,
                               said=error_text(exc, opts.lang) if opts.lang != "en" else "")
    except Exception as exc:  # noqa: BLE001 - one package's bug must not stop the batch
        result = PackageResult(index, path, "failed", EXIT_USAGE,
                               message=f"{type(exc).__name__}: {exc}",
                               detail=traceback.format_exc(), worker=worker)
    result.seconds = time.perf_counter() - started
    return _TaskResult(result)


# ---------------------------------------------------------------- engines

#: Thread pools of numerical libraries, one per core by default in every process.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


@contextmanager
def _one_thread_each() -> Generator[None, None, None]:
    """Worker processes spawned inside this block get one numerical thread each.

    Every worker is already one per core; numpy's and onnxruntime's own thread
    pools on top of that oversubscribe the cores: measured on 2 cores, 32 small
    packages took 7.7 s on two workers against 5.5 s on one, and 3.5 s with one
    thread each.  A variable the user set is left as it is.
    """
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    for name, value in saved.items():
        if value is None:
            os.environ[name] = "1"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)


def _run_processes(tasks: list[tuple[int, str]], opts: BatchOptions, jobs: int,
                   mp_context: str | None, stop: Callable[[], bool]
                   ) -> Generator[tuple, None, None]:
    """Yield progress tuples and ``("result", _TaskResult)`` as the pool produces them.

    When a worker process dies the pool is broken: a new one takes the
    unfinished tasks; a task that was running in ``MAX_ATTEMPTS`` dead workers
    is given up as ``failed``.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool
    ctx = multiprocessing.get_context(mp_context or "spawn")
    # A SimpleQueue writes at once (no feeder thread): a worker's "start" is
    # there even when the worker dies right after, so the crash is laid on it.
    queue = ctx.SimpleQueue()
    attempts = {index: 0 for index, _ in tasks}
    todo = list(tasks)

    def drain() -> Generator[tuple, None, None]:
        while not queue.empty():
            event = queue.get()
            if event[0] == "start":
                running.add(event[1])
            yield event

    width = jobs
    while todo:
        running: set[int] = set()
        broken = False
        pool = ProcessPoolExecutor(max_workers=min(width, len(todo)), mp_context=ctx,
                                   initializer=_init_worker, initargs=(queue, opts))
        try:
            with _one_thread_each():  # the workers are spawned by these submits
                pending = {pool.submit(scan_task, index, path, opts): (index, path)
                           for index, path in todo}
            finished: set[int] = set()
            while pending:
                if stop():
                    from reviewer.service.scan import ScanCancelled

                    pool.shutdown(wait=False, cancel_futures=True)
                    raise ScanCancelled()
                # The pool hands tasks out in the order submitted, so the one that finishes
                # next is among the first few pending: those running and its short call
                # queue.  Waiting on all of them cost the parent a lock and a waiter per
                # future per call (64 packages: ~2.5 ms of its CPU a package).
                done, _ = wait(list(islice(pending, 2 * width + 2)), timeout=0.1,
                               return_when=FIRST_COMPLETED)
                yield from drain()
                for fut in done:
                    index, path = pending.pop(fut)
                    try:
                        out = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that can't be sent
                        out = _TaskResult(PackageResult(index, path, "failed", EXIT_USAGE,
                                                        message=f"{type(exc).__name__}: {exc}"))
                    finished.add(index)
                    yield ("result", out)
                if broken:
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        yield from drain()
        if not broken:
            return
        todo = [(i, p) for i, p in todo if i not in finished]
        # The packages being scanned when the pool broke are the suspects (all
        # unfinished ones if none is known to have started): so the loop ends.
        suspects = {i for i, _ in todo if i in running} or {i for i, _ in todo}
        retry = []
        for index, path in todo:
            if index in suspects:
                attempts[index] += 1
            if attempts[index] >= MAX_ATTEMPTS:
                yield ("result", _TaskResult(PackageResult(
                    index, path, "failed", EXIT_USAGE,
                    message="the worker process scanning this package died")))
            else:
                retry.append((index, path))
        # Several suspects: run them first and one at a time, so the next
        # crash names its package; one suspect: back to full width.
        todo = sorted(retry, key=lambda t: t[0] not in suspects)
        width = jobs if len(suspects) == 1 else 1


def _run_dask(tasks: list[tuple[int, str]], opts: BatchOptions, cluster: Any,
              stop: Callable[[], bool], info: dict[str, int]) -> Generator[tuple, None, None]:
    """The same tasks on Dask distributed: ``cluster`` is a scheduler address
    (``tcp://host:8786``) or anything :class:`distributed.Client` accepts
    (a ``LocalCluster``).  Dask schedules; a task that raises becomes ``failed``."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - the extra is installed in CI
        raise BatchError("--cluster needs Dask: pip install 'reviewer[cluster]'",
                         "batch.no-dask") from exc
    try:
        client = Client(cluster, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise BatchError(f"cannot reach the Dask scheduler at {cluster}: {exc}",
                         "batch.no-scheduler", address=cluster, reason=exc) from exc
    try:
        info["jobs"] = max(1, sum(client.nthreads().values()))
        by_future = {}
        for index, path in tasks:
            fut = client.submit(scan_task, index, path, opts, pure=False,
                                key=f"reviewer-scan-{index}-{os.getpid()}-{time.time_ns()}")
            by_future[fut] = (index, path)
        for fut in as_completed(list(by_future), loop=client.loop):
            if stop():
                from reviewer.service.scan import ScanCancelled

                client.cancel(list(by_future))
                raise ScanCancelled()
            index, path = by_future[fut]
            try:
                out = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker lost, a task killed …
                out = _TaskResult(PackageResult(index, path, "failed", EXIT_USAGE,
                                                message=f"{type(exc).__name__}: {exc}"))
            yield ("result", out)
    finally:
        client.close()


# ---------------------------------------------------------------- the parent side

def iter_batch(db, paths: Sequence[str | Path], *, jobs: int | None = None,
               cluster: Any = None, lexicons: Sequence[str | Path] = (),
               only_lexicons: Sequence[str | Path] | None = None,
               options: dict[str, Any] | None = None, lang: str = "zh", report: bool = False,
               cancel: Callable[[], bool] | None = None, mp_context: str | None = None,
               ) -> Generator[BatchEvent, None, BatchOutcome]:
    """Scan every package of ``paths`` (as given: see
    :func:`reviewer.service.found.expand_paths`) and merge
    each into ``db`` as it finishes; yields :class:`BatchEvent`, returns the outcome.

    ``jobs`` worker processes (default: every core); with ``cluster`` the
    tasks go to that Dask scheduler instead.  ``cancel()`` turning true stops
    the batch (:class:`reviewer.service.scan.ScanCancelled`); packages already
    merged stay recorded.
    """
    from reviewer.store import merge
    from reviewer.store import packages as store

    started = time.perf_counter()
    stop = cancel or (lambda: False)
    seed = merge.database_file(db)
    opts = BatchOptions(tuple(str(p) for p in lexicons),
                        tuple(str(p) for p in only_lexicons) if only_lexicons else None,
                        dict(options) if options else None, lang, report, seed)
    tasks = [(i, str(Path(p).expanduser().absolute())) for i, p in enumerate(paths)]
    shown = {i: str(p) for i, p in enumerate(paths)}
    jobs = max(1, min(jobs or default_jobs(), len(tasks) or 1))
    info = {"jobs": jobs}  # a Dask cluster says how many workers it has
    if cluster is not None:
        engine, source = "dask", _run_dask(tasks, opts, cluster, stop, info)
    else:
        engine, source = "process", _run_processes(tasks, opts, jobs, mp_context, stop)
    results: dict[int, PackageResult] = {}
    for item in source:
        if item[0] != "result":
            kind, index, _path, stage, done, total, label = item
            yield BatchEvent(kind, index, shown[index], stage, done, total, label,
                             finished=len(results), total_packages=len(tasks))
            continue
        out: _TaskResult = item[1]
        result = out.result
        result.path = shown[result.index]
        if out.store is not None:
            try:
                src = merge.from_bytes(out.store)
                try:
                    merged = merge.copy_package(db, src, out.key, scan_ids=[out.scan_id])
                finally:
                    src.conn.close()
                if merged is None:
                    raise RuntimeError("the worker's store does not hold the package")
                result.package_id, scans = merged
                result.scan_id = scans[out.scan_id]
                result.findings = sorted(store.scan_findings(db, result.scan_id),
                                         key=lambda f: f.sort_key())
            except Exception as exc:  # noqa: BLE001 - reported on this package only
                result.status, result.exit_code = "failed", EXIT_USAGE
                result.message = f"merging into the database failed: {type(exc).__name__}: {exc}"
                result.detail = traceback.format_exc()
        results[result.index] = result
        yield BatchEvent("done", result.index, result.path, result=result,
                         finished=len(results), total_packages=len(tasks))
    ordered = [results[i] for i in sorted(results)]
    return BatchOutcome(ordered, time.perf_counter() - started, info["jobs"], engine)


def scan_batch(db, paths: Sequence[str | Path], *,
               on_progress: Callable[[BatchEvent], None] | None = None,
               **kwargs: Any) -> BatchOutcome:
    """:func:`iter_batch` run to its end, each event passed to ``on_progress``."""
    gen = iter_batch(db, paths, **kwargs)
    while True:
        try:
            event = next(gen)
        except StopIteration as end:
            return end.value
        if on_progress is not None:
            on_progress(event)
