"""Loading rule files from disk, with a cache of their compiled forms (room: service).

The checks parse text; this module does the I/O around them: it finds the
``*.yaml`` files under the directories it is given (plus the shipped
``lexicons/``), reads them, dispatches them on ``kind`` through
:func:`reviewer.checks.rulefile.parse_rule_text` and keeps each compiled
result in ``cache_dir()/lexicons`` as a pickle keyed by the file's SHA-256 and
the code version, so a 50,000-term list is compiled (and its embedded tests
run) once, not on every scan.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from reviewer.checks.rulefile import ParsedRuleFile, RuleFileError, parse_rule_text

RULE_SUFFIXES = (".yaml", ".yml")
#: Besides every ``checks/*.py`` (the parsers of every kind): the folding table the
#: normaliser composes (a compiled term holds its folded form) and the lexicon schema.
_CODE_FILES = ("ingest/textnorm.py", "schemas/lexicon.schema.json")
#: The layout of a cached rule file: ``(RULE_CACHE_FORMAT, ParsedRuleFile)``; part of the
#: cache key too.  2: regular expressions pickled as source and flags (``LazyPattern``),
#: compiled on first use; a cache file of another format is rebuilt, never used.
RULE_CACHE_FORMAT = 2


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of everything that shapes a compiled rule file (part of the cache key)."""
    import reviewer

    pkg = Path(reviewer.__file__).resolve().parent
    h = hashlib.sha256()
    h.update(reviewer.__version__.encode())
    h.update(f"rule-cache-{RULE_CACHE_FORMAT}".encode())
    h.update(f"{sys.version_info[:2]}".encode())
    for name in _CODE_FILES:
        path = pkg / name
        if path.is_file():
            h.update(path.read_bytes())
    for path in sorted((pkg / "checks").rglob("*.py")):  # the lexicon package's modules too
        h.update(path.relative_to(pkg).as_posix().encode())
        h.update(path.read_bytes())
    opencc = _opencc_version()
    if opencc is not None:
        h.update(opencc.encode())
    return h.hexdigest()[:16]


def _opencc_version() -> str | None:
    """The installed opencc-python-reimplemented's version (its conversion tables shape a
    compiled term).  Read from the name of its ``.dist-info`` folder beside the package, as
    ``importlib.metadata`` finds it, without importing that (~12 ms of every re-scan);
    ``importlib.metadata`` where the folder isn't there.  None when it isn't installed."""
    import importlib.util

    prefix, suffix = "opencc_python_reimplemented-", ".dist-info"
    try:
        spec = importlib.util.find_spec("opencc")
        if spec is not None and spec.origin:
            site = Path(spec.origin).parent.parent
            found = sorted(p.name for p in site.glob(f"{prefix}*{suffix}"))
            if len(found) == 1:
                return found[0][len(prefix):-len(suffix)]
    except (ImportError, OSError, ValueError):
        pass
    try:
        from importlib.metadata import version

        return version("opencc-python-reimplemented")
    except Exception:  # noqa: BLE001 - metadata is missing in odd installs only
        return None


def rule_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[RuleFileError]]:
    """Rule files named by ``paths``: files as given, directories' ``*.yaml`` sorted."""
    out: list[Path] = []
    errors: list[RuleFileError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in RULE_SUFFIXES))
        elif path.is_file():
            out.append(path)
        else:
            errors.append(RuleFileError(str(path), "no such file or directory"))
    return out, errors


def _cache_file(digest: str, options: dict[str, Any]) -> Path | None:
    """Where the compiled form is cached; None when the cache folder can't be made
    (a read-only home: rule files are then compiled on every load, not refused)."""
    from reviewer.paths import cache_dir

    try:
        folder = cache_dir() / "lexicons"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    suffix = "".join(f"-{k}={v}" for k, v in sorted(options.items()))
    return folder / f"{digest}-{code_version()}{suffix}.pickle"


def cached_wordfreq():
    """jieba's dictionary for the lexicon segmenter, built once into the cache folder
    (keyed by the dictionary file's size, time and the format) and memory-mapped after.
    A cache that can't be written or read is rebuilt in memory, never an error."""
    from reviewer.checks.wordfreq import FORMAT, WordFreq, build_from_jieba, jieba_dictionary
    from reviewer.paths import cache_dir

    try:
        source = jieba_dictionary().stat()
        folder = cache_dir() / "segmenter"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return build_from_jieba()
    stem = folder / f"jieba-{source.st_size}-{source.st_mtime_ns}-v{FORMAT}"
    try:
        return WordFreq.load(stem)
    except (OSError, ValueError, EOFError):
        pass
    built = build_from_jieba()
    tmp = folder / f".{stem.name}-{os.getpid()}"
    try:
        built.save(tmp)
        for suffix in (".npy", ".marisa"):  # the trie last: its presence means complete
            os.replace(tmp.with_suffix(suffix), stem.with_suffix(suffix))
    except OSError:
        pass
    return built


def cached_tables(options: Any, build: Any) -> Any:
    """The normaliser's tables for ``options``, kept in the cache folder (keyed by the
    options and :func:`code_version`): unpickled in ~2 ms instead of built in ~0.1 s.
    A cache that can't be read or written only costs the build."""
    from reviewer.files import write_atomic
    from reviewer.paths import cache_dir

    key = hashlib.sha256(f"{options!r}\x1f{code_version()}".encode()).hexdigest()[:32]
    try:
        path = cache_dir() / "normalize" / f"{key}.pickle"
        with path.open("rb") as fh:
            tables = pickle.load(fh)
        if isinstance(tables, tuple) and len(tables) == 2:
            return tables
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: rebuilt
        pass
    tables = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - an unwritable cache only costs time
        pass
    return tables


def read_rule_text(path: Path) -> tuple[str, str]:
    """``(text, sha256 hex)`` of a rule file; an undecodable file is a :class:`RuleFileError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise RuleFileError(str(path), "not UTF-8 text (save rule files as UTF-8)", line) from None
    return text, digest


def load_rule_file(path: Path | str, *, use_cache: bool = True, **options: Any) -> ParsedRuleFile:
    """Parse one rule file (from the cache when its bytes and the code are unchanged)."""
    path = Path(path)
    text, digest = read_rule_text(path)
    cache = _cache_file(digest, options) if use_cache else None
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as fh:
                stored = pickle.load(fh)
            if isinstance(stored, tuple) and len(stored) == 2 and \
                    stored[0] == RULE_CACHE_FORMAT and isinstance(stored[1], ParsedRuleFile):
                parsed = stored[1]
                _relocate(parsed, str(path))
                return parsed
        except Exception:  # noqa: BLE001 - a damaged cache entry is rebuilt
            pass
    parsed = parse_rule_text(text, str(path), **options)
    parsed.sha256 = digest
    if cache is not None:
        _store(cache, parsed)
    return parsed


def _relocate(parsed: ParsedRuleFile, source: str) -> None:
    parsed.source = source
    if hasattr(parsed.rules, "source"):
        try:
            parsed.rules.source = source
        except AttributeError:
            pass


def _store(cache: Path, parsed: ParsedRuleFile) -> None:
    from reviewer.files import write_atomic

    try:
        data = pickle.dumps((RULE_CACHE_FORMAT, parsed), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a kind whose rules don't pickle just isn't cached
        return
    try:  # a unique temporary name: two threads of one process may store the same file
        write_atomic(cache, data)
    except OSError:
        pass  # an unwritable cache only costs a compile next time


def load_rule_files(paths: Sequence[Path | str], include_shipped: bool = True,
                    *, use_cache: bool = True
                    ) -> tuple[list[ParsedRuleFile], list[RuleFileError]]:
    """Load the shipped rule files (unless ``include_shipped`` is false) and ``paths``.

    A file of the user's with the id of a shipped file replaces it (that is how
    an institution edits a starter list); two files of the user's with one id
    are an error.  Returns the usable files and the errors of the others.
    """
    from reviewer.checks import wordfreq
    from reviewer.checks.normalize import install_table_cache
    from reviewer.paths import lexicons_dir

    if use_cache:
        wordfreq.install(cached_wordfreq)
        install_table_cache(cached_tables)
    errors: list[RuleFileError] = []
    shipped: list[Path] = []
    if include_shipped and lexicons_dir().is_dir():
        shipped, errs = rule_paths([lexicons_dir()])
        errors += errs
    user, errs = rule_paths(paths)
    errors += errs
    by_id: dict[str, ParsedRuleFile] = {}
    origin: dict[str, str] = {}
    for group, files in (("shipped", shipped), ("user", user)):
        for path in files:
            try:
                parsed = load_rule_file(path, use_cache=use_cache)
            except RuleFileError as exc:
                errors.append(exc)
                continue
            if parsed.id in by_id and not (group == "user" and origin[parsed.id] == "shipped"):
                if Path(by_id[parsed.id].source).resolve() == path.resolve():
                    continue  # the same file named twice
                errors.append(RuleFileError(str(path), f"id {parsed.id!r} is already used by "
                                            f"{by_id[parsed.id].source}"))
                continue
            by_id[parsed.id] = parsed
            origin[parsed.id] = group
    return list(by_id.values()), errors


def rules_fingerprint(paths: Sequence[Path | str], include_shipped: bool = True) -> str | None:
    """A digest of the rule files :func:`load_rule_files` would read (their paths and
    bytes) and of the code that compiles them: the key of :func:`remembered_summary`.
    ``None`` when a path is missing (then the rules are loaded, and the error told)."""
    from reviewer.paths import lexicons_dir

    shipped: list[Path] = []
    if include_shipped and lexicons_dir().is_dir():
        shipped, errs = rule_paths([lexicons_dir()])
        if errs:
            return None
    user, errs = rule_paths(paths)
    if errs:
        return None
    h = hashlib.sha256(code_version().encode())
    try:
        for group, files in (("shipped", shipped), ("user", user)):
            for path in files:
                h.update(f"{group}\x1f{path.resolve()}\x1f".encode())
                h.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None
    return h.hexdigest()


def _summary_file(fingerprint: str) -> Path:
    from reviewer.paths import cache_dir

    return cache_dir() / "rules" / f"{fingerprint[:40]}.json"


def remembered_summary(fingerprint: str | None) -> tuple[str, list[str], list[str]] | None:
    """``(rules digest, rule files, errors)`` recorded for these exact rule files, so a
    re-scan that can take its findings over never parses a rule file."""
    if fingerprint is None:
        return None
    try:
        data = json.loads(_summary_file(fingerprint).read_text(encoding="utf-8"))
        digest, files, errors = data["digest"], data["files"], data["errors"]
    except Exception:  # noqa: BLE001 - absent or damaged: the rules are loaded
        return None
    if isinstance(digest, str) and isinstance(files, list) and isinstance(errors, list):
        return digest, [str(f) for f in files], [str(e) for e in errors]
    return None


def remember_summary(fingerprint: str | None, digest: str, files: Sequence[str], errors: Sequence[str]) -> None:
    if fingerprint is None:
        return
    from reviewer.files import write_atomic

    try:
        path = _summary_file(fingerprint)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"digest": digest, "files": list(files), "errors": list(errors)},
                                      ensure_ascii=False).encode("utf-8"))
    except Exception:  # noqa: BLE001 - an unwritable cache only costs time
        pass


def rules_by_kind(files: Iterable[ParsedRuleFile]) -> dict[str, list[Any]]:
    """``CheckContext.rules``: kind → the parsed rule sets of that kind."""
    out: dict[str, list[Any]] = {}
    for parsed in files:
        out.setdefault(parsed.kind, []).append(parsed.rules)
    return out


def rules_digest(files: Iterable[ParsedRuleFile]) -> str:
    """``sha256:…`` over the ids and byte digests of the rule files used (for signing)."""
    h = hashlib.sha256()
    for rule_id, digest in sorted((f.id, f.sha256) for f in files):
        h.update(f"{rule_id}\x1f{digest}\n".encode())
    return "sha256:" + h.hexdigest()


# -- importing plain word lists -------------------------------------------------

#: A word at least this frequent in jieba's dictionary (a corpus of general Chinese)
#: is ordinary vocabulary: as a lexicon term it would flood course text with false
#: alarms.  At 1000, 168 of the 7,746 entries of a public sensitive-word list are held
#: back (government, people, democracy …, and 代理/网络 from an advertising list).
COMMON_FREQ = 1000
#: A phrase missing from the dictionary but made of words so common that its expected
#: count (unigram model) reaches this, is ordinary text too (其中有 ≈ 241, 挂了 ≈ 98),
#: while real sensitive phrases score near 0 (出售枪支 ≈ 0.01).  Holds back 13 more entries.
COMMON_PHRASE_FREQ = 50

LEFT_OUT_REASONS = {
    "single": {"zh": "单个字符", "en": "a single character"},
    "short-ascii": {"zh": "不超过 2 个字符的 ASCII", "en": "ASCII of at most 2 characters"},
    "number": {"zh": "纯数字", "en": "only digits"},
    "common": {"zh": "常用词", "en": "a very common word"},
    "common-phrase": {"zh": "由常用词组成的短语", "en": "a phrase of very common words"},
    "stopword": {"zh": "英文常用词", "en": "an English stop word"},
    "empty": {"zh": "规范化后为空（只有标点或符号）", "en": "empty once normalised (only punctuation or symbols)"},
    "duplicate": {"zh": "与已有词条规范化后相同", "en": "the same as an earlier entry once normalised"},
}
_FLOOD_REASONS = ("single", "short-ascii", "number", "common", "common-phrase", "stopword")


class WordlistImport:
    """The result of :func:`import_wordlist`: the rule file text and what was left out."""

    def __init__(self, text: str, encoding: str, kept: list[str],
                 left_out: list[tuple[str, str]], flooding: list[tuple[str, str]]):
        self.text = text
        self.encoding = encoding
        self.kept = kept
        self.left_out = left_out  # (entry, reason) not in the rule file
        self.flooding = flooding  # (entry, reason) that would flood text (kept with --keep-common)


def flood_reason(entry: str, norm: str) -> str | None:
    """Why ``entry`` (normalised ``norm``) would flood ordinary course text, or ``None``."""
    if len(norm) == 1:
        return "single"
    if norm.isdigit():
        return "number"
    if norm.isascii():
        if len(norm) <= 2:
            return "short-ascii"
        from spacy.lang.en.stop_words import STOP_WORDS

        if entry.strip().lower() in STOP_WORDS:
            return "stopword"
        return None
    import jieba

    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    freq = jieba.dt.FREQ
    if freq.get(norm, 0) >= COMMON_FREQ or freq.get(entry.strip(), 0) >= COMMON_FREQ:
        return "common"
    if not freq.get(norm, 0) and composed_frequency(norm) >= COMMON_PHRASE_FREQ:
        return "common-phrase"
    return None


def composed_frequency(word: str) -> float:
    """Expected count of ``word`` in jieba's corpus if it were its words side by side
    (unigram model over jieba's own segmentation of it)."""
    import jieba

    freq, total = jieba.dt.FREQ, jieba.dt.total
    p = 1.0
    for token in jieba.dt.cut(word, HMM=False):
        p *= freq.get(token, 1) / total
    return p * total


def import_wordlist(data: bytes, *, rule_id: str, category: str, severity: str,
                    name: str | None = None, keep_common: bool = False,
                    source: str = "") -> WordlistImport:
    """Turn a one-term-per-line word list (UTF-8, GBK …) into a ``terms`` rule file.

    Entries that would flood ordinary text (single characters, short ASCII,
    numbers, English stop words, words of jieba's dictionary at least
    :data:`COMMON_FREQ` frequent) are left out unless ``keep_common``; entries
    that are empty once normalised and duplicates are always left out.  The
    result is parsed before it is returned, so it is known to load.
    """
    import yaml

    from reviewer.checks.normalize import NormalizeOptions, normalizer
    from reviewer.ingest.encoding import decode_text

    text, encoding = decode_text(data)
    norm = normalizer(NormalizeOptions())
    kept: list[str] = []
    left_out: list[tuple[str, str]] = []
    flooding: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in text.splitlines():
        entry = raw.split("\t", 1)[0].strip().lstrip("\ufeff")
        if not entry or entry.startswith("#"):
            continue
        key = norm.strip(entry)
        if not key:
            left_out.append((entry, "empty"))
            continue
        if key in seen:
            left_out.append((entry, "duplicate"))
            continue
        reason = flood_reason(entry, key)
        if reason:
            flooding.append((entry, reason))
            if not keep_common:
                left_out.append((entry, reason))
                continue
        seen.add(key)
        kept.append(entry)
    title = name or rule_id
    doc = {
        "id": rule_id,
        "kind": "terms",
        "version": 1,
        "name": {"zh": title, "en": title},
        "description": {"zh": f"由词表 {source or '（标准输入）'} 导入，共 {len(kept)} 个词条。",
                        "en": f"Imported from the word list {source or '(stdin)'}: {len(kept)} terms."},
        "category": category,
        "severity": severity,
        "message": {"zh": f"命中词表“{title}”中的词条：{{term}}",
                    "en": f"A term of the word list \"{title}\": {{term}}"},
        "terms": kept,
    }
    header = (f"# Generated by `reviewer lexicon import` from {source or 'stdin'} ({encoding}).\n"
              f"# {len(kept)} terms kept, {len(left_out)} left out "
              f"({sum(1 for _, r in left_out if r in _FLOOD_REASONS)} would flood ordinary text).\n")
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000)
    out = header + body
    if kept:
        parse_rule_text(out, source or "<import>", run_tests=False)
    return WordlistImport(out, encoding, kept, left_out, flooding)
