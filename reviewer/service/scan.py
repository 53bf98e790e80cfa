"""Scanning a package: ingest, store, run the checks — the use case behind ``reviewer scan``.

Both the CLI and the TUI call :func:`scan`.  It is a plain function that
reports progress through a callback and stops when ``cancel()`` returns true,
so a Textual thread worker can relay it without the core knowing about
Textual.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer import __version__
from reviewer.checks.model import CheckContext, CoverageReport, Finding
from reviewer.checks.registry import all_checks, iter_checks
from reviewer.i18n import CodedError
from reviewer.ingest.model import Package, Segment
from reviewer.store import packages as store
from reviewer.store import transaction

if TYPE_CHECKING:  # reviewer.store imports it, leaving numpy out (see reviewer.store.db)
    import sqlite_utils


@dataclass(frozen=True, slots=True)
class ScanProgress:
    """One step of a scan: ``stage`` is ``"ingest"`` (label = file) or ``"checks"`` (label = check)."""

    stage: str
    label: str
    done: int
    total: int


class ScanCancelled(Exception):
    """The scan was cancelled by the caller; nothing of it was recorded."""


class ScanError(CodedError):
    """The path can't be scanned (not a package, unreadable); the message says why."""


@dataclass(slots=True)
class ScanOutcome:
    """What a scan found.  When the findings were taken over from an earlier scan
    of the same bytes, the files of ``package`` that came from the store have no
    ``segments`` (their text is in the store: :func:`file_text`, :func:`search`)."""

    package_id: int
    scan_id: int
    package: Package
    findings: list[Finding]
    coverage: CoverageReport | None
    reused: int
    extracted: int
    rule_errors: list[str] = field(default_factory=list)
    rule_files: list[str] = field(default_factory=list)
    rules_digest: str = ""
    facts: dict[str, Any] = field(default_factory=dict)  # CheckResult.facts (the platform's whitelist match …)
    #: The review history started at another path this package continues
    #: (:class:`reviewer.service.continuity.Continuation`; ``linked_now`` on the first scan here).
    continued: Any = None


def package_key(path: str | Path) -> str:
    """The key a package is stored under: its resolved absolute path."""
    return str(Path(path).expanduser().resolve())


def term_date(package: Package) -> date | None:
    """The date of the version under review, from the manifest's ``date`` (ISO)."""
    raw = (package.manifest or {}).get("date")
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw.strip()[:10])
        except ValueError:
            return None
    return None


def load_rules(lexicons: Sequence[str | Path] = (), only_lexicons: Sequence[str | Path] | None = None):
    """Read the rule files: shipped ones plus ``lexicons``, or ``only_lexicons`` alone.

    Returns ``(rules by kind, errors as strings, paths used, rules digest)``.
    """
    from reviewer.checks import coverage_semantic
    from reviewer.service.encoder import cached_encoder, vector_cache
    from reviewer.service.lexicons import load_rule_files, rules_by_kind, rules_digest

    all_checks()  # importing the check modules registers the rule-file kinds
    coverage_semantic.install(cached_encoder)  # the sentence encoder from the cache folder
    coverage_semantic.install_vectors(vector_cache)  # and the vectors it made
    if only_lexicons:
        paths, shipped = [Path(p) for p in only_lexicons], False
    else:
        paths, shipped = [Path(p) for p in lexicons], True
    parsed, errors = load_rule_files(paths, include_shipped=shipped)
    return (rules_by_kind(parsed), [str(e) for e in errors], [p.source for p in parsed],
            rules_digest(parsed))


def build_context(package: Package, rules: dict[str, list[Any]] | None = None,
                  options: dict[str, Any] | None = None, lang: str = "zh") -> CheckContext:
    """The context the checks run in, for ``package``."""
    return CheckContext(package=package, rules=rules or {}, term_date=term_date(package),
                        today=date.today(), options=dict(options or {}), lang=lang)


def scan(db: sqlite_utils.Database, path: str | Path, *,
         lexicons: Sequence[str | Path] = (), only_lexicons: Sequence[str | Path] | None = None,
         limits: Any = None, options: dict[str, Any] | None = None,
         on_progress: Callable[[ScanProgress], None] | None = None,
         cancel: Callable[[], bool] | None = None, lang: str = "zh",
         ocr: Any = None, parallel: bool = True) -> ScanOutcome:
    """Ingest ``path``, record it in ``db``, run every check, record the findings.

    ``ocr`` (:class:`reviewer.ingest.ocr.OcrOptions`) says how text in pictures is
    read; by default it is, wherever a picture is.  ``parallel`` lets a package of
    :data:`FORK_SEGMENTS` to :data:`FORK_MAX_SEGMENTS` segments run
    :data:`FORKED_CHECKS` in a forked child beside the other checks, where
    :func:`reviewer.service.forked.can_fork` says that is safe (the batch, which has a
    process per core already, says no).

    Files whose bytes are unchanged since an earlier scan are not extracted
    again.  Raises :class:`ScanError` when ``path`` is not a package and
    :class:`ScanCancelled` when ``cancel()`` turns true (nothing is recorded).
    """
    from reviewer.ingest import manifest
    from reviewer.ingest.package import Limits, PackageError, extractor_versions, iter_package

    manifest.install_validation_cache(_manifest_errors_get, _manifest_errors_put)
    versions = extractor_versions(ocr)
    report = on_progress or (lambda p: None)
    stop = cancel or (lambda: False)
    # Files ingest offers to the cache: a hit is reused, a miss is extracted.
    # (The manifest and media files are never extracted, so they are neither.)
    counts = {"reused": 0, "extracted": 0}
    # A hit comes without its text, which is read only if the checks run
    # (a re-scan of an unchanged package takes the findings over instead).
    deferred: dict[str, tuple[str, str]] = {}  # relpath -> (sha256, format)

    def cached(sha256: str, fmt: str, relpath: str):
        record = store.cached_file(db, sha256, fmt, versions.get(fmt, ""), relpath,
                                   segments=False)
        counts["reused" if record is not None else "extracted"] += 1
        if record is not None:
            deferred[relpath] = (sha256, fmt)
        return record

    try:
        package: Package = _drive(
            iter_package(path, limits=limits or Limits(), cached=cached, ocr=ocr), stop,
            lambda step: report(ScanProgress("ingest", step.label, step.done, step.total)))
    except PackageError as exc:
        raise ScanError(str(exc), exc.code, **exc.params) from exc

    from reviewer.service.lexicons import remember_summary, remembered_summary, rules_fingerprint

    key = package_key(path)
    fingerprint = rules_fingerprint(*((only_lexicons, False) if only_lexicons else (lexicons, True)))
    rules: dict[str, list[Any]] | None = None
    previous = None
    summary = remembered_summary(fingerprint)
    if summary is not None:  # the rule files are the very ones seen before: no need to parse them yet
        digest, rule_files, rule_errors = summary
        scan_options = _scan_options(rule_files, options)
        previous = _reusable_scan(db, key, package, digest, scan_options, versions)
    if previous is None:
        rules, rule_errors, rule_files, digest = load_rules(lexicons, only_lexicons)
        remember_summary(fingerprint, digest, rule_files, rule_errors)
        scan_options = _scan_options(rule_files, options)
        previous = _reusable_scan(db, key, package, digest, scan_options, versions)
    if previous is not None:
        # Same bytes, same rules, same options, same tool, same day: the checks
        # would say the same again, so their findings are taken over as they are.
        findings = store.scan_findings(db, previous["id"])
        findings.sort(key=lambda f: f.sort_key())
        coverage = (CoverageReport.from_dict(json.loads(previous["coverage"]))
                    if previous.get("coverage") else None)
        facts = store.scan_facts(previous) or {}
        report(ScanProgress("checks", "", 1, 1))
    from reviewer.service.continuity import continue_review
    from reviewer.service.profile import opener_name

    # A scan is recorded whole or not at all: the package, its scan and findings, and
    # the review carried over commit together (a cancel or an error records nothing).
    with transaction(db):
        if previous is not None:
            package_id = store.save_package(db, key, package, versions)
        else:
            assert rules is not None
            _read_deferred_segments(db, package, deferred, versions)
            segments = sum(len(record.segments) for record in package.files)
            large = segments >= TRIM_SEGMENTS
            context = build_context(package, rules, options, lang)

            def relay(step: Any) -> None:
                if large:
                    trim_heap()  # what the last check freed, before the next one allocates
                report(ScanProgress("checks", step.check, step.done, step.total))

            package_id, result = _check_and_save(
                db, key, package, versions, context, stop, relay,
                fork=parallel and FORK_SEGMENTS <= segments <= FORK_MAX_SEGMENTS)
            findings, coverage, facts = result.findings, result.coverage, result.facts
        scan_id = store.start_scan(db, package_id, package.digest, __version__, scan_options,
                                   digest)
        store.finish_scan(db, scan_id, findings, coverage,
                          reused=counts["reused"], extracted=counts["extracted"], facts=facts)
        continued = continue_review(db, store.package_row(db, key), opener_name())
    return ScanOutcome(package_id, scan_id, package, findings, coverage,
                       counts["reused"], counts["extracted"], rule_errors,
                       rule_files, digest, facts, continued)


#: A package of at least this many segments gives freed memory back between checks.
TRIM_SEGMENTS = 50_000

#: A package of at least this many segments runs :data:`FORKED_CHECKS` in a forked
#: child (where that is safe): below it the fork's ~10–30 ms would eat the gain.
FORK_SEGMENTS = 10_000

#: Above this many segments the checks stay in one process.  The child's copy-on-write
#: copies (reading a segment's text touches the page its reference count is on) come to
#: ~0.9 KB a segment: 179 MB private to the child at the 4x benchmark course's 204,507
#: segments, beside the parent's 369 MB, where the memory budget (≤ 400 MB) is the scan's.
FORK_MAX_SEGMENTS = 100_000

#: The checks a forked child takes, one after another, while this process runs the
#: others: on the large benchmark course, cold, outdated and coverage take ~1.0–1.2 s
#: of CPU, the lexicon and personal-data checks ~1.0 s.  None shares state with another.
FORKED_CHECKS = ("outdated", "coverage")


def _check_and_save(db: sqlite_utils.Database, key: str, package: Package,
                    versions: dict[str, str], context: CheckContext, stop: Callable[[], bool],
                    relay: Callable[[Any], None], *, fork: bool) -> tuple[int, Any]:
    """Run the checks while the package is written: ``(package id, merged CheckResult)``.

    The package is written on a second thread: SQLite gives up the GIL while it
    inserts and indexes, so the store costs the scan little of its time on a second
    core, and the checks touch no database meanwhile.  With ``fork``, the
    :data:`FORKED_CHECKS` run in a forked child besides, forked first, while this
    process has no other thread.  (Imported here: a re-scan that takes its findings
    over needs neither, ~10 ms.)
    """
    from concurrent.futures import ThreadPoolExecutor, wait
    from contextlib import ExitStack

    with ExitStack() as children:
        elsewhere = _forked_checks(context, children) if fork else {}
        with ThreadPoolExecutor(1, thread_name_prefix="reviewer-store") as writer:
            saving = writer.submit(store.save_package, db, key, package, versions)
            try:
                result = _drive(iter_checks(context, elsewhere=elsewhere), stop, relay)
            finally:
                wait([saving])  # the connection is free again before anything rolls back
    return saving.result(), result


def _forked_checks(context: CheckContext, children: Any) -> dict[str, Callable[[], Any]]:
    """Start :data:`FORKED_CHECKS` in a forked child entered on ``children`` (an
    ExitStack, which ends it if the scan stops first): name → result call for
    :func:`reviewer.checks.registry.iter_checks`.  Empty where no fork is safe."""
    from reviewer.service.forked import Forked, can_fork

    checks = all_checks()
    names = [name for name in FORKED_CHECKS if name in checks]
    if not names or not can_fork():
        return {}
    child = children.enter_context(Forked(
        lambda: {name: checks[name](context) for name in names}, name="reviewer-checks"))
    return {name: (lambda name=name: child.result()[name]) for name in names}


def trim_heap() -> bool:
    """Return the C heap's free memory to the operating system (glibc's ``malloc_trim``).

    glibc keeps what Python frees for reuse: after the lexicon check of the 4x large
    course the process held ~110 MB it no longer used, which then added to the next
    check's own peak.  False where there is no glibc (macOS, musl, Windows)."""
    try:
        import ctypes

        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


def _manifest_errors_path(key: str) -> Path:
    from reviewer.paths import cache_dir

    return cache_dir() / "manifest" / f"{key}.json"


def _manifest_errors_get(key: str) -> Any:
    """The cached schema errors of a manifest (None: not cached or unreadable)."""
    try:
        return json.loads(_manifest_errors_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _manifest_errors_put(key: str, errors: Any) -> None:
    from reviewer.files import write_atomic

    path = _manifest_errors_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(errors, ensure_ascii=False).encode("utf-8"))


def _scan_options(rule_files: Sequence[str], options: dict[str, Any] | None) -> dict[str, Any]:
    """What, besides the bytes and the rules, decides a scan's findings (recorded with it)."""
    return {"lexicons": list(rule_files), "options": options or {}, "as_of": date.today().isoformat()}


def _drive(gen: Generator[Any, None, Any], stop: Callable[[], bool],
           relay: Callable[[Any], None]) -> Any:
    """Run a progress-yielding generator to its return value, relaying each step;
    raise :class:`ScanCancelled` (closing the generator) as soon as ``stop()`` is true."""
    while True:
        if stop():
            gen.close()
            raise ScanCancelled()
        try:
            step = next(gen)
        except StopIteration as done:
            return done.value
        relay(step)


def _reusable_scan(db: sqlite_utils.Database, key: str, package: Package, rules_digest: str,
                   options: dict[str, Any], extractors: dict[str, str]) -> dict[str, Any] | None:
    """The last finished scan of this exact package version under the same rules, if any.

    The package's stored files must be these very files too: then saving the
    package rewrites no segments, so its records may go without their text.
    """
    row = store.package_row(db, key)
    if row is None:
        return None
    last = store.latest_scan(db, row["id"])
    if last is None:
        return None
    same = (last["digest"] == package.digest and last["rules_digest"] == rules_digest
            and last["tool_version"] == __version__
            and last.get("facts") is not None  # a scan from before facts were recorded lacks them
            and json.loads(last["options"] or "{}") == json.loads(json.dumps(options))
            and store.files_unchanged(db, row["id"], package, extractors))
    return last if same else None


def _read_deferred_segments(db: sqlite_utils.Database, package: Package,
                            deferred: dict[str, tuple[str, str]], extractors: dict[str, str]) -> None:
    """Give the records ingest took from the store their text (the checks need it)."""
    for record in package.files:
        if record.path not in deferred:
            continue
        sha256, fmt = deferred[record.path]
        segments = store.cached_segments(db, sha256, fmt, extractors.get(fmt, ""), record.path)
        if segments is None:  # another process replaced that extraction meanwhile
            raise ScanError(f"the stored text of {record.path} changed during the scan; scan again")
        record.segments = segments


# ---------------------------------------------------------------- reading back

@dataclass(slots=True)
class LoadedScan:
    """The last recorded scan of a package, read from the store (no re-ingest)."""

    package: dict[str, Any]
    scan: dict[str, Any]
    files: list[dict[str, Any]]
    findings: list[Finding]
    coverage: dict[str, Any] | None


def load_latest(db: sqlite_utils.Database, path: str | Path) -> LoadedScan | None:
    row = store.package_row(db, package_key(path))
    if row is None:
        return None
    scan_row = store.latest_scan(db, row["id"])
    if scan_row is None:
        return None
    findings = store.scan_findings(db, scan_row["id"])
    findings.sort(key=lambda f: f.sort_key())
    coverage = json.loads(scan_row["coverage"]) if scan_row.get("coverage") else None
    return LoadedScan(row, scan_row, store.file_rows(db, row["id"]), findings, coverage)


def library(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every known package with its last scan's counts."""
    return store.list_packages(db)


def _package_id(db: sqlite_utils.Database, path: str | Path) -> int:
    row = store.package_row(db, package_key(path))
    if row is None:
        raise ScanError(f"{path} has not been scanned yet: run `reviewer scan {path}` first")
    return row["id"]


def search(db: sqlite_utils.Database, path: str | Path, query: str,
           limit: int = 200) -> list[tuple[Segment, int]]:
    """Full-text search of a scanned package: ``(segment, offset of the hit)``."""
    return store.search_segments(db, _package_id(db, path), query, limit)


def file_text(db: sqlite_utils.Database, path: str | Path, relpath: str) -> list[Segment]:
    """The extracted, located text of one file of a scanned package."""
    return list(store.file_segments(db, _package_id(db, path), relpath))
