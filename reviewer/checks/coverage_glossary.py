"""Subject glossaries for the ``coverage`` check (``kind: glossary``) — room ``checks``.

A lecture may teach a syllabus topic without ever naming it (拥塞控制 taught as
"一开始发送窗口很小 … 丢包就把窗口减半"), or name it in the other language (a
Chinese syllabus over English slides).  A glossary file lists, per standard topic of
a subject, its ``names`` in Chinese and English and the ``terms`` a lecture on it uses
even when it never says its name (慢启动, 拥塞窗口, slow start …).  The coverage check
gives a topic whose title holds one of an entry's names

* the title with that name put in the other language, scored like the title itself
  (数据库规范化 → "database normalization" found on English slides), and
* the entry's terms as evidence: a teaching window (a few cues, a slide and its
  neighbours) holding ``min_terms`` distinct terms of the entry teaches it.

An entry matches a title when one of its names occurs in it — a Chinese name as a
substring, a Latin one as whole words, either case — and no longer matched name of
another entry contains that occurrence (文件系统 inside 分布式文件系统 is the longer
entry's).  Files are data an institution extends (docs/lexicons.md); every file's
embedded ``examples`` must pass for it to load, and a name may belong to one entry
of a file only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reviewer.checks import rulefields
from reviewer.checks.coverage_text import WORD_CHAR, Stemmer, Term, has_cjk
from reviewer.checks.rulefile import RuleFileError, line_of, register_kind, validate_schema

KIND = "glossary"
LANGS = ("zh", "en")


@dataclass(slots=True)
class GlossaryEntry:
    """One topic of a subject: its names and the words that teach it without its name."""

    names: dict[str, tuple[str, ...]]  # "zh" / "en" → names as written
    terms: dict[str, tuple[str, ...]]
    source: str = ""
    line: int | None = None

    @property
    def label(self) -> str:
        """How the entry is named in messages: its first Chinese name, else English."""
        return (self.names.get("zh") or self.names.get("en") or ("?",))[0]

    def all_terms(self) -> list[str]:
        return [t for lang in LANGS for t in self.terms.get(lang, ())]


@dataclass(slots=True)
class Glossary:
    """A parsed ``kind: glossary`` rule file.

    :meth:`prefixes` indexes every name by the first two characters of its :func:`fold`,
    so finding the names in a course's titles costs a few dict lookups per character (an
    automaton over 5,000 names takes ~50 ms to build).  The index is made on first use and
    not kept in the compiled rule cache: a scan without syllabus topics never pays for it."""

    id: str
    source: str
    name: dict[str, str] = field(default_factory=dict)
    entries: list[GlossaryEntry] = field(default_factory=list)
    by_prefix: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)

    def prefixes(self) -> dict[str, list[tuple[str, int, str]]]:
        """``prefix → [(folded name, entry index, name as written)]``."""
        if not self.by_prefix:
            for i, entry in enumerate(self.entries):
                for lang in LANGS:
                    for name in entry.names.get(lang, ()):
                        key = fold(name)
                        self.by_prefix.setdefault(key[:PREFIX], []).append((key, i, name))
        return self.by_prefix


#: Characters of a name by which :attr:`Glossary.by_prefix` files it.
PREFIX = 2


def fold(text: str) -> str:
    """How names and titles are compared: lower case, runs of spaces as one."""
    return " ".join(text.lower().split())


def _latin_end(text: str, start: int, end: int) -> int:
    """Where the whole words ``text[start:end]`` end, taking a plural ending with them
    ("distributed file system" in "… File Systems"); -1 when a letter or digit is glued on."""
    if start > 0 and WORD_CHAR.match(text[start - 1]):
        return -1
    for plural in ("", "s", "es"):
        if text.startswith(plural, end):
            stop = end + len(plural)
            if stop >= len(text) or not WORD_CHAR.match(text[stop]):
                return stop
    return -1


@dataclass(slots=True)
class Match:
    """An entry found in a title: where, and by which name."""

    entry: GlossaryEntry
    start: int
    end: int
    name: str


class Names:
    """The names of a set of glossaries, to find the entries a topic title names."""

    def __init__(self, glossaries: list[Glossary]):
        self.glossaries = [g for g in glossaries if g.entries]

    def __bool__(self) -> bool:
        return bool(self.glossaries)

    def find(self, title: str) -> list[Match]:
        """Where ``title`` names glossary entries, in title order (an entry may be named
        twice: 以太网与介质访问控制; :func:`named_entries` gives each once).

        Offsets are in :func:`fold` of the title.  A match inside a longer one (of another
        entry, or another name of the same) is dropped.
        """
        text = fold(title)
        if not text:
            return []
        found: list[Match] = []
        for start in range(len(text)):
            heads = {text[start:start + PREFIX], text[start:start + 1]}
            for glossary in self.glossaries:
                for head in heads:
                    for key, i, name in glossary.prefixes().get(head, ()):
                        if not text.startswith(key, start):
                            continue
                        end = start + len(key)
                        if not has_cjk(key):
                            end = _latin_end(text, start, end)
                            if end < 0:
                                continue
                        found.append(Match(glossary.entries[i], start, end, name))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return [m for m in found if not any(
            o is not m and o.start <= m.start and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start) for o in found)]


@dataclass(slots=True)
class Translation:
    """A topic title with the topics it names put in the other language."""

    title: str  # the whole title so translated ("tcp congestion control")
    names: list[str]  # the names put in (each looked for whole, never in pieces)
    rest: str  # the title's own words besides the names ("tcp")


def rest_of(title: str, matches: list[Match]) -> str:
    """What a title says besides the names it holds (offsets in :func:`fold` of it)."""
    text = fold(title)
    pieces, pos = [], 0
    for m in sorted(matches, key=lambda m: m.start):
        if m.start >= pos:
            pieces.append(text[pos:m.start])
            pos = m.end
    pieces.append(text[pos:])
    return fold(" ".join(pieces))


def named_entries(matches: list[Match]) -> list[GlossaryEntry]:
    """The entries of ``matches``, each once, in title order."""
    out: list[GlossaryEntry] = []
    for m in matches:
        if not any(e is m.entry for e in out):
            out.append(m.entry)
    return out


def translated(title: str, matches: list[Match]) -> list[Translation]:
    """The title with each named topic put in the other language (its entry's first name
    there): "TCP拥塞控制" → "tcp congestion control", "Processes and threads" → "进程 and
    线程".  One per target language into which some name was translated."""
    text = fold(title)
    out: list[Translation] = []
    for lang in LANGS:
        pieces, rest, names, pos = [], [], [], 0
        for m in sorted(matches, key=lambda m: m.start):
            if m.start < pos:
                continue
            written_in = "zh" if has_cjk(m.name) else "en"
            there = m.entry.names.get(lang) or ()
            if written_in == lang or not there:
                continue
            name = there[0]
            pieces += [text[pos:m.start], f" {name} " if name not in names else " "]
            rest.append(text[pos:m.start])
            if name not in names:  # an entry named twice (正弦稳态…相量分析) is put in once
                names.append(name)
            pos = m.end
        if names:
            pieces.append(text[pos:])
            rest.append(text[pos:])
            out.append(Translation(fold("".join(pieces)), names, fold(" ".join(rest))))
    return out


def term_of_phrase(phrase: str, stemmer: Stemmer) -> Term | None:
    """The :class:`Term` a glossary term is looked up as: Chinese as written (lower case),
    a Latin word or phrase by the stem of its last word (a whole-word hit)."""
    key = fold(phrase)
    if not key:
        return None
    if has_cjk(key):
        return Term(key, False)
    return Term(stemmer.stem(key), True)


# ------------------------------------------------------------------ the rule file

def _names(raw: Any, key: str, i: int, data: Any, source: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        path = ["entries", i, key, lang]
        values = rulefields.strings((raw.get(key) or {}).get(lang), source,
                                    f"entries[{i}].{key}.{lang}", line=line_of(data, path))
        out[lang] = tuple(dict.fromkeys(v.strip() for v in values))
    return out


@register_kind(KIND)
def parse_glossary(data: dict[str, Any], source: str) -> Glossary:
    """Parse and validate a ``kind: glossary`` rule file; run its embedded examples.

    Problems raise :class:`RuleFileError` with the line: schema violations, a name of two
    entries, a term that is one of its entry's names, failing examples.
    """
    validate_schema(data, KIND, source)
    name = rulefields.message(data.get("name") or data["id"], source, "name")
    glossary = Glossary(id=str(data["id"]), source=source, name=name)
    owner: dict[str, int] = {}
    for i, raw in enumerate(data["entries"]):
        line = line_of(data, ["entries", i])
        entry = GlossaryEntry(_names(raw, "names", i, data, source),
                              _names(raw, "terms", i, data, source), source, line)
        if not any(entry.names.values()):
            raise RuleFileError(source, f"entries[{i}]: names: at least one name is required", line)
        own = {fold(n) for lang in LANGS for n in entry.names[lang]}
        for lang in LANGS:
            for written in entry.names[lang]:
                key = fold(written)
                if key in owner and owner[key] != i:
                    first = glossary.entries[owner[key]]
                    raise RuleFileError(
                        source, f"entries[{i}]: name {written!r} is also a name of the entry "
                                f"{first.label!r} (line {first.line})", line)
                owner[key] = i
            for term in entry.terms[lang]:
                if fold(term) in own:
                    raise RuleFileError(
                        source, f"entries[{i}]: term {term!r} is one of the entry's own names",
                        line_of(data, ["entries", i, "terms", lang]))
        glossary.entries.append(entry)
    _run_examples(glossary, data)
    glossary.by_prefix = {}  # made again on first use, not cached (see Glossary)
    return glossary


def _run_examples(glossary: Glossary, data: Any) -> None:
    names = Names([glossary])

    def judge(_kind: str, item: Any) -> str | None:
        want = [str(e) for e in item.get("entries") or []]
        got = [e.label for e in named_entries(names.find(str(item["topic"])))]
        if sorted(got) == sorted(want):
            return None
        return f"topic {item['topic']!r} names {got or 'no entry'}, expected {want or 'no entry'}"

    failures = rulefields.run_examples([("examples", data.get("examples") or [])], judge)
    if failures:
        raise rulefields.examples_failed(glossary.source, failures,
                                         line_of(data, ["examples"]), where="examples")
