"""The same batch on Dask distributed: a LocalCluster of two worker processes
scans eight packages and finds what eight serial scans find."""

from __future__ import annotations

import pytest

from reviewer.service.batch import scan_batch
from reviewer.service.scan import load_latest, scan
from reviewer.store import open_db
from tests.service.batch_helpers import finding_keys, make_packages

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as c:
        yield c


def test_a_two_worker_local_cluster_finds_what_serial_scans_find(tmp_path, cluster):
    packages = make_packages(tmp_path / "term")
    serial_db = open_db(tmp_path / "serial.db")
    serial = {str(p): finding_keys(scan(serial_db, p).findings) for p in packages}
    db = open_db(tmp_path / "cluster.db")
    outcome = scan_batch(db, [str(p) for p in packages], cluster=cluster.scheduler_address)
    assert outcome.engine == "dask" and outcome.jobs == 2
    assert [r.status for r in outcome.results] == ["ok"] * 8
    assert len({r.worker for r in outcome.results}) == 2  # both workers took packages
    for r in outcome.results:
        assert finding_keys(r.findings) == serial[r.path], r.path
        assert finding_keys(load_latest(db, r.path).findings) == serial[r.path]
    assert db["packages"].count == 8 and db["scans"].count == 8


def test_a_bad_package_on_the_cluster_fails_alone(tmp_path, cluster):
    packages = make_packages(tmp_path / "term", 2, zipped=())
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"not a zip")
    db = open_db(tmp_path / "c.db")
    outcome = scan_batch(db, [packages[0], bad, packages[1]], cluster=cluster)
    assert [r.status for r in outcome.results] == ["ok", "error", "ok"]
    assert outcome.exit_code == 2


def test_an_unreachable_scheduler_is_a_batch_error(tmp_path, monkeypatch):
    from reviewer.service import batch

    monkeypatch.setattr(batch, "CONNECT_TIMEOUT", "2s")
    with pytest.raises(batch.BatchError, match="Dask scheduler"):
        scan_batch(open_db(tmp_path / "c.db"), [tmp_path], cluster="tcp://127.0.0.1:9")
