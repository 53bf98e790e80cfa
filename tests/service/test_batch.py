"""Scanning many packages at once: the same findings as one scan at a time,
merged into the one database, one failure never stopping the others."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewer.service.batch import scan_batch
from reviewer.service.found import expand_paths, is_package_folder
from reviewer.service.scan import load_latest, scan, search
from reviewer.store import open_db
from tests.service.batch_helpers import finding_keys, make_packages


@pytest.fixture(scope="module")
def eight(tmp_path_factory) -> list[Path]:
    return make_packages(tmp_path_factory.mktemp("batch") / "term")


@pytest.fixture(scope="module")
def serial(eight, tmp_path_factory) -> dict[str, list[tuple]]:
    db = open_db(tmp_path_factory.mktemp("serial") / "serial.db")
    return {str(p): finding_keys(scan(db, p).findings) for p in eight}


@pytest.fixture(scope="module")
def batched(eight, tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("batched") / "batch.db")
    events = []
    outcome = scan_batch(db, [str(p) for p in eight], jobs=2, on_progress=events.append)
    return db, outcome, events


# ---------------------------------------------------------------- which paths are packages

def test_a_folder_of_packages_stands_for_its_subfolders_and_zips(tmp_path):
    (tmp_path / "term" / "a").mkdir(parents=True)
    (tmp_path / "term" / "a" / "course.yaml").write_text("title: a\n", encoding="utf-8")
    (tmp_path / "term" / "b.zip").write_bytes(b"PK")
    (tmp_path / "term" / "scratch").mkdir()  # no course.yaml: not a package
    (tmp_path / "term" / "~$lock.zip").write_bytes(b"")  # an Office lock file
    (tmp_path / "term" / ".hidden").mkdir()
    assert not is_package_folder(tmp_path / "term")
    assert expand_paths([tmp_path / "term"]) == [str(tmp_path / "term" / "a"),
                                                 str(tmp_path / "term" / "b.zip")]


def test_a_package_folder_and_a_missing_path_are_kept_as_given(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "week1").mkdir(parents=True)
    (pkg / "week1" / "course.yaml").write_text("x: 1\n", encoding="utf-8")
    (pkg / "course.yaml").write_text("title: p\n", encoding="utf-8")  # its own manifest wins
    bare = tmp_path / "bare"
    (bare / "notes").mkdir(parents=True)  # no manifest and no packages inside: one package
    assert expand_paths([pkg, bare, tmp_path / "missing"]) == [
        str(pkg), str(bare), str(tmp_path / "missing")]


# ---------------------------------------------------------------- same findings as serial

def test_eight_packages_on_two_processes_find_what_eight_serial_scans_find(batched, serial, eight):
    db, outcome, _ = batched
    assert [r.status for r in outcome.results] == ["ok"] * 8
    assert [r.path for r in outcome.results] == [str(p) for p in eight]  # input order
    for r in outcome.results:
        assert finding_keys(r.findings) == serial[r.path], r.path
        # what was merged into the database is what the scan found
        stored = load_latest(db, r.path)
        assert stored is not None and finding_keys(stored.findings) == serial[r.path]
        assert stored.scan["id"] == r.scan_id and stored.package["id"] == r.package_id
    # each package's own variation is found in that package only
    for i, r in enumerate(outcome.results):
        phones = {f.match for f in r.findings if f.rule == "mobile"}
        assert f"1390013{i:04d}" in phones
        assert not any(f"1390013{j:04d}" in phones for j in range(8) if j != i)


def test_the_merged_database_serves_search_and_counts(batched, eight):
    db, outcome, _ = batched
    assert db["packages"].count == 8 and db["scans"].count == 8
    r = outcome.results[0]
    assert r.files == len(load_latest(db, r.path).files) and r.errors > 0
    assert outcome.exit_code == 1  # the samples are seeded with error findings
    hits = search(db, eight[3], "请拨打")  # a zipped package, through the trigram index
    assert [seg.file for seg, _ in hits] == ["notes/extra-3.md"]


def test_one_progress_stream_with_every_package_started_and_done(batched, eight):
    _, _, events = batched
    starts = sorted(e.index for e in events if e.kind == "start")
    dones = [e for e in events if e.kind == "done"]
    assert starts == list(range(8)) and sorted(e.index for e in dones) == list(range(8))
    assert [e.finished for e in dones] == list(range(1, 9))
    assert all(e.total_packages == 8 for e in events)
    steps = [e for e in events if e.kind == "step"]
    assert {e.stage for e in steps} >= {"ingest", "checks"}


def test_a_rescan_reuses_every_file_and_keeps_the_rows(batched, eight):
    db, first, _ = batched
    segments = db["segments"].count
    again = scan_batch(db, [str(p) for p in eight], jobs=2)
    for a, b in zip(first.results, again.results):
        assert b.package_id == a.package_id  # reviews keep pointing at their package
        assert b.extracted == 0 and b.reused > 0
        assert finding_keys(b.findings) == finding_keys(a.findings)
    assert db["segments"].count == segments and db["scans"].count == 16


def test_a_changed_file_is_rescanned_and_replaces_its_text(tmp_path):
    pkg = make_packages(tmp_path / "one", 1, zipped=())[0]
    db = open_db(tmp_path / "s.db")
    scan_batch(db, [pkg], jobs=1)
    (pkg / "notes" / "extra-0.md").write_text("请拨打 13800138000 询问。\n", encoding="utf-8")
    r = scan_batch(db, [pkg], jobs=1).results[0]
    assert r.extracted == 1
    assert "13800138000" in {f.match for f in r.findings}
    assert search(db, pkg, "1390013") == [] and len(search(db, pkg, "13800138000")) == 1


# ---------------------------------------------------------------- failures

def test_a_bad_package_does_not_stop_the_others(tmp_path, eight):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"this is not a zip")
    db = open_db(tmp_path / "s.db")
    paths = [str(bad), str(eight[1]), str(tmp_path / "missing"), str(eight[2])]
    outcome = scan_batch(db, paths, jobs=2)
    status = [(r.status, r.exit_code) for r in outcome.results]
    assert status[0] == ("error", 2) and status[2] == ("error", 2)
    assert status[1][0] == "ok" and status[3][0] == "ok"
    assert "zip" in outcome.results[0].message
    assert outcome.exit_code == 2
    assert db["packages"].count == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to carry the patched scan")
def test_a_worker_process_that_dies_fails_its_package_only(tmp_path, eight, monkeypatch):
    import reviewer.service.scan as scan_module

    real = scan_module.scan

    def dies_on_p01(db, path, **kwargs):  # runs in a forked worker
        if "p01" in str(path):
            os._exit(3)
        return real(db, path, **kwargs)

    monkeypatch.setattr(scan_module, "scan", dies_on_p01)
    db = open_db(tmp_path / "s.db")
    outcome = scan_batch(db, [str(p) for p in eight[:3]], jobs=2, mp_context="fork")
    by_name = {Path(r.path).name: r for r in outcome.results}
    assert by_name["p01-en-intro-ml"].status == "failed"
    assert "died" in by_name["p01-en-intro-ml"].message
    assert by_name["p00-zh-data-structures"].status == "ok"
    assert by_name["p02-bi-computer-networks"].status == "ok"
    assert outcome.exit_code == 2


def test_a_json_lines_record_holds_the_report_when_asked(tmp_path, eight):
    db = open_db(tmp_path / "s.db")
    r = scan_batch(db, [eight[0]], jobs=1, report=True).results[0]
    doc = r.to_dict()
    assert doc["exit"] == r.exit_code and doc["status"] == "ok"
    assert len(doc["report"]["findings"]) == len(r.findings)
    assert "findings" not in doc and "detail" not in doc


def test_an_empty_batch_is_an_empty_outcome(tmp_path):
    outcome = scan_batch(open_db(tmp_path / "s.db"), [])
    assert outcome.results == [] and outcome.exit_code == 0


def test_workers_get_one_numerical_thread_each_and_the_parent_keeps_its_own(monkeypatch):
    import os

    from reviewer.service.batch import THREAD_VARIABLES, _one_thread_each

    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's choice stands
    for name in THREAD_VARIABLES[1:]:
        monkeypatch.delenv(name, raising=False)
    with _one_thread_each():
        assert os.environ["OMP_NUM_THREADS"] == "3"
        assert all(os.environ[name] == "1" for name in THREAD_VARIABLES[1:])
    assert os.environ["OMP_NUM_THREADS"] == "3"
    assert not any(name in os.environ for name in THREAD_VARIABLES[1:])
