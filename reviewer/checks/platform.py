"""Check ``platform``: is the course's platform on the Ministry's whitelist? — room ``checks``.

Article 17 of 教高〔2022〕1号: universities choose credit courses only from
platforms on the whitelist the Ministry reviews every year and publishes on
its website.  The tool is offline, so the list is data: a rule file of kind
``platforms`` (shipped: ``lexicons/platforms.yaml``, a starter an institution
replaces with the current official list, keeping its ``id``).

The manifest's ``platform`` is matched against every entry's name and
aliases after normalisation (full/half width, case, traditional → simplified,
white space and punctuation dropped — the lexicons' normaliser, digits left
alone).  A bracketed part is also tried without the brackets' content and on
its own (中国大学MOOC（爱课程） matches 中国大学MOOC and 爱课程).  An exact
match is *on the list*; anything else is not, and becomes a finding at the
manifest's ``platform`` line (``platform-unknown``, or ``platform-near-miss``
with "did you mean …?" when a name of the list is similar enough: normalised
Levenshtein similarity ≥ ``near_miss.min_score`` (default 75), or one name a
single edit from the other or containing it, from 3 characters).  A near miss is never accepted.

Besides findings the check records the fact ``platform`` (status ``listed``,
``near-miss``, ``unknown``, ``absent`` or ``no-list``, with the list's year,
version and source): the evidence checklist item Q7 shows with ``{fact: platform}``.
A missing platform is not a finding here (Q7's ``expect: present`` says so).
Of several rule files of this kind the last one loaded wins (one list is in force).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reviewer.checks.model import CheckContext, CheckResult, Finding, file_finding
from reviewer.checks.registry import register
from reviewer.checks.rulefields import message, run_examples
from reviewer.checks.rulefile import RuleFileError, line_of, register_kind, validate_schema
from reviewer.ingest.model import Locator, Msg

CHECK = "platform"
CATEGORY = "platform"
KIND = "platforms"
#: The name of the fact this check records (``CheckResult.facts``).
FACT = "platform"
DEFAULT_MIN_SCORE = 75.0
#: A name contained in another counts as similar only from this many characters (超星 ⊂ 超星尔雅 does not).
MIN_CONTAINED = 3
_OPEN, _CLOSE = "（(【[「『〔〈《<", "）)】]」』〕〉》>"
_BRACKETED = re.compile(f"[{re.escape(_OPEN)}]([^{re.escape(_OPEN + _CLOSE)}]*)[{re.escape(_CLOSE)}]")
_PLACEHOLDER = re.compile(r"\{(platform|entry|suggestion|list_year|source|version)\}")


@lru_cache(maxsize=1)
def _normalizer():
    from reviewer.checks.normalize import NormalizeOptions, normalizer

    return normalizer(NormalizeOptions(digits=False))


def name_key(text: str) -> str:
    """A platform name as compared: folded (width, case, variants) without white space or punctuation."""
    return _normalizer().strip(text)


def name_keys(text: str) -> list[str]:
    """The keys a name written in a manifest is tried under: as written, without its
    bracketed parts, and each bracketed part alone (empty keys left out, no repeats)."""
    tries = [text]
    if _BRACKETED.search(text):
        tries.append(_BRACKETED.sub("", text))
        tries.extend(m.group(1) for m in _BRACKETED.finditer(text))
    out: list[str] = []
    for key in map(name_key, tries):
        if key and key not in out:
            out.append(key)
    return out


# ---------------------------------------------------------------- the list

@dataclass(frozen=True, slots=True)
class Platform:
    """One entry of the whitelist."""

    name: str
    aliases: tuple[str, ...] = ()
    operator: str = ""
    url: str = ""
    note: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class PlatformMatch:
    """The manifest's platform against the list: ``listed`` (``entry`` is the entry),
    ``near-miss`` (``entry`` is the suggestion) or ``unknown``."""

    status: str
    platform: str
    entry: Platform | None = None
    alias: str = ""  # the name of the list that matched or was suggested, as the file writes it
    score: float = 0.0


@dataclass(slots=True)
class Whitelist:
    id: str
    source: str  # the rule file
    name: Msg
    version: str
    list_year: int
    list_source: Msg  # where the list comes from (the Ministry's notice)
    messages: dict[str, Msg]
    entries: tuple[Platform, ...]
    severity: str = "warning"
    min_score: float = DEFAULT_MIN_SCORE
    starter: bool = False
    #: Normalised name → (entry index, the name as written).
    keys: dict[str, tuple[int, str]] = field(default_factory=dict)
    tests: dict[str, list[tuple[Any, int | None]]] = field(default_factory=dict)

    def match(self, platform: str) -> PlatformMatch:
        """Whether ``platform`` is on the list, a near miss of an entry, or unknown."""
        keys = name_keys(platform)
        for key in keys:
            if key in self.keys:
                index, alias = self.keys[key]
                return PlatformMatch("listed", platform, self.entries[index], alias, 100.0)
        best: tuple[float, int, str] | None = None
        for key in keys:
            for known, (index, alias) in self.keys.items():
                score = _similarity(key, known)
                if score >= self.min_score and (best is None or score > best[0]):
                    best = (score, index, alias)
        if best is None:
            return PlatformMatch("unknown", platform)
        score, index, alias = best
        return PlatformMatch("near-miss", platform, self.entries[index], alias, round(score, 1))

    def about(self) -> dict[str, Any]:
        """The list as facts and findings name it."""
        return {"id": self.id, "version": self.version, "list_year": self.list_year,
                "source": self.list_source, "starter": self.starter}

    def message_for(self, result: PlatformMatch) -> Msg:
        """The rule file's message for a result, placeholders filled (plus the starter note)."""
        values = {"platform": result.platform, "entry": result.entry.name if result.entry else "",
                  "suggestion": result.entry.name if result.entry else "",
                  "list_year": str(self.list_year), "version": self.version}
        out = {}
        for lang in ("zh", "en"):
            values["source"] = self.list_source.get(lang) or self.list_source["zh"]
            text = _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.messages[result.status][lang])
            if self.starter and "starter" in self.messages:
                text += self.messages["starter"][lang]
            out[lang] = text
        return out


def _similarity(a: str, b: str) -> float:
    """0–100: the normalised Levenshtein similarity of two keys, raised to 90 when one is a
    single edit from the other or contains it (3 characters or more: 智慧数 → 智慧树,
    中国大学MOOC平台 → 中国大学MOOC, but not 超星 → 超星尔雅 or 慕课 → 华文慕课)."""
    from rapidfuzz.distance import Levenshtein

    score = Levenshtein.normalized_similarity(a, b) * 100
    short, long_ = sorted((a, b), key=len)
    if len(long_) >= MIN_CONTAINED and (
            (len(short) >= MIN_CONTAINED and short in long_) or Levenshtein.distance(a, b) == 1):
        score = max(score, 90.0)
    return score


@register_kind(KIND)
def parse_platforms(data: dict[str, Any], source: str) -> Whitelist:
    """Parse and validate a ``kind: platforms`` rule file; run its embedded tests.

    Problems raise :class:`RuleFileError` with the line: schema violations, a
    name that is only punctuation, a name (or alias) of two entries once
    normalised, failing examples.
    """
    validate_schema(data, KIND, source)
    messages = {k: message(v, source, f"messages.{k}") for k, v in data["messages"].items()}
    entries: list[Platform] = []
    keys: dict[str, tuple[int, str]] = {}
    where: dict[str, tuple[int, int | None]] = {}  # key → (entry index, line) of its first use
    for i, raw in enumerate(data["platforms"]):
        names = [raw["name"], *(raw.get("aliases") or [])]
        for j, written in enumerate(names):
            path = ["platforms", i, "name"] if j == 0 else ["platforms", i, "aliases", j - 1]
            line = line_of(data, path)
            key = name_key(written)
            if not key:
                raise RuleFileError(source, f"platforms[{i}]: {written!r} is only punctuation or spaces", line)
            if key in where and where[key][0] != i:
                first, first_line = where[key]
                raise RuleFileError(source, f"platforms[{i}]: {written!r} is also a name of "
                            f"{entries[first].name!r} (line {first_line}) once normalised", line)
            where.setdefault(key, (i, line))
            keys.setdefault(key, (i, written))
        entries.append(Platform(str(raw["name"]), tuple(str(a) for a in raw.get("aliases") or ()),
                                str(raw.get("operator") or ""), str(raw.get("url") or ""),
                                str(raw.get("note") or ""), line_of(data, ["platforms", i])))
    near = data.get("near_miss") or {}
    whitelist = Whitelist(
        id=data["id"], source=source, name=message(data["name"], source, "name"),
        version=str(data["version"]), list_year=int(data["list_year"]),
        list_source=message(data["source"], source, "source"), messages=messages,
        entries=tuple(entries), severity=str(data.get("severity", "warning")),
        min_score=float(near.get("min_score", DEFAULT_MIN_SCORE)),
        starter=bool(data.get("starter", False)), keys=keys)
    tests = data.get("tests") or {}
    for kind in ("match", "no_match"):
        whitelist.tests[kind] = [(example, line_of(data, ["tests", kind, j]))
                                 for j, example in enumerate(tests.get(kind) or [])]
    failures = run_embedded_tests(whitelist)
    if failures:
        raise RuleFileError(source, "embedded tests failed:\n  " + "\n  ".join(failures),
                    line_of(data, ["tests"]))
    return whitelist


def run_embedded_tests(whitelist: Whitelist) -> list[str]:
    """One line per failing example of the file's ``tests`` (empty: all pass)."""
    def judge(kind: str, case: tuple[Any, int | None]) -> str | None:
        example, line = case
        spec = {"text": example} if isinstance(example, str) else example
        got = whitelist.match(spec["text"])
        at = f"line {line}: " if line else ""
        if kind == "match":
            if got.status != "listed":
                return f"{at}match {spec['text']!r}: not on the list ({got.status})"
            if spec.get("entry") and got.entry is not None and got.entry.name != spec["entry"]:
                return f"{at}match {spec['text']!r}: expected {spec['entry']!r}, got {got.entry.name!r}"
            return None
        if got.status == "listed":
            return f"{at}no_match {spec['text']!r}: on the list as {got.entry.name!r}"
        if spec.get("suggest") and (got.entry is None or got.entry.name != spec["suggest"]):
            found = got.entry.name if got.entry else "no suggestion"
            return (f"{at}no_match {spec['text']!r}: expected the suggestion "
                    f"{spec['suggest']!r}, got {found}")
        return None

    return run_examples([("match", whitelist.tests.get("match", [])),
                         ("no_match", whitelist.tests.get("no_match", []))], judge)


# ---------------------------------------------------------------- the check

def _catalog(key: str) -> Msg:
    from reviewer.i18n import t

    return {"zh": t(key, "zh"), "en": t(key, "en")}


def _manifest_place(ctx: CheckContext) -> tuple[str | None, Locator | None]:
    record = next((f for f in ctx.package.files if f.role == "manifest"), None)
    if record is None:
        return None, None
    line = (record.meta.get("key_lines") or {}).get("platform")
    return record.path, Locator(line=line) if isinstance(line, int) and line > 0 else None


def platform_fact(whitelist: Whitelist | None, platform: Any) -> tuple[dict[str, Any], PlatformMatch | None]:
    """The fact ``platform`` (JSON-ready) and the match it rests on (None: nothing matched)."""
    if not isinstance(platform, str) or not platform.strip():
        return {"status": "absent", "platform": None, "met": None,
                "message": _catalog("checks.platform.absent")}, None
    if whitelist is None:
        return {"status": "no-list", "platform": platform, "met": None,
                "message": _catalog("checks.platform.no_list")}, None
    result = whitelist.match(platform.strip())
    fact = {"status": result.status, "platform": result.platform,
            "entry": result.entry.name if result.status == "listed" and result.entry else None,
            "suggestion": result.entry.name if result.status == "near-miss" and result.entry else None,
            "alias": result.alias or None, "score": result.score, "list": whitelist.about(),
            "met": result.status == "listed", "message": whitelist.message_for(result)}
    return fact, result


@register(CHECK)
def check_platform(ctx: CheckContext) -> CheckResult:
    """A platform not on the whitelist (or a near miss of a name on it) is a finding at
    the manifest's ``platform`` line; the match itself is the fact ``platform``."""
    if ctx.package.manifest is None:
        return CheckResult()  # ingest reports the missing manifest; Q7's manifest fact says the rest
    lists = ctx.rules.get(KIND) or []
    whitelist = lists[-1] if lists else None
    fact, result = platform_fact(whitelist, ctx.package.manifest.get("platform"))
    findings: list[Finding] = []
    if result is not None and whitelist is not None and result.status != "listed":
        file, locator = _manifest_place(ctx)
        rule = f"platform-{result.status}"
        found = file_finding(file, check=CHECK, rule=rule, category=CATEGORY,
                             severity=whitelist.severity, message=fact["message"],
                             match=result.platform,
                             extra={k: fact[k] for k in ("suggestion", "score", "list")})
        # The id is the one without the line: a field moved down the manifest is the same problem.
        findings.append(dataclasses.replace(found, locator=locator))
    return CheckResult(findings, facts={FACT: fact})
