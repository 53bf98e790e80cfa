"""Check ``pii``: personal data (个人信息) in course material — room ``checks``.

Article 15 of 教高〔2022〕1号 asks that the personal information of teachers
and students be protected.  This check finds, in every segment's ``norm``
(same length as ``text``, so spans point at the original):

* mainland resident ID numbers (GB 11643), kept only when the check digit,
  the birth date and the province code all hold — an 18-digit order number is
  not a hit;
* mobile numbers (``1[3-9]`` + 9 digits, ``+86``/spaces/dashes), never inside
  a longer run of digits nor inside an ISBN;
* e-mail addresses (plain and ``#``/``[at]`` obfuscations), minus documentation
  and tool addresses (``example.com``, ``git@github.com``);
* QQ / WeChat accounts, only right after a contact word (QQ, 微信, vx, ➕V …);
  a course QQ group (QQ群, 答疑群 …) at its own, lower severity;
* student ids (学号 + digits) with a name nearby;
* 15-digit first-generation ID numbers (province and 19YY birth date valid);
* landlines with an area code (010-…, (0755)…, +86 21 …, extensions); office or
  private words beside them set the severity;
* bank card numbers (Luhn, issuer prefix) only beside a card or bank word.

Digits may be written as Chinese numerals (一三八, 幺, 〇/零, 壹贰), dingbat circled
digits (❶) or spaced out: the rule file maps each such character to one ASCII
digit, so every detector runs over a same-length *digit view* and spans still
point at the original.  A number that needed that view, or a spaced/dotted shape,
counts only beside a contact word.  Numbers inside arithmetic (× 2, mod 97,
a = …) are dropped; a standard's worked example (GB 11643's own number, or a
number right after 例如/示例) is reported at the example severity.

Every term, pattern and threshold comes from the rule file of kind ``pii``
(``lexicons/pii.yaml``); this module holds the engines.  Without a rule file
the check reports nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from reviewer.checks.literals import CASE_PARTNERS, LiteralGate, folds_exactly
from reviewer.checks.model import CheckContext, CheckResult, Finding, finding_at
from reviewer.checks.registry import register
from reviewer.checks.rulefile import register_kind
from reviewer.checks.rulefields import (
    LazyPattern, WordGate, ac_matches, examples_failed, fail, flag, lazy_regex, message, regex,
    run_examples, strings, whole_number,
)
from reviewer.ingest.model import Msg, Segment

CHECK = "pii"


#: GB 11643-1999 check-digit weights and the digit for each remainder mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

#: Detector order when two candidates overlap: the first one wins.
PRIORITY = ("id-card", "bank-card", "mobile", "landline", "email", "im-account", "student-id")
#: Detectors of numbers: judged for arithmetic, examples and the need of a context word.
NUMERIC = frozenset({"id-card", "bank-card", "mobile", "landline"})

# Compiled on first use (LazyPattern): a course without contact words never needs
# _IDEOGRAPH, whose range alone costs ~5 ms to compile.
_DIGITS = LazyPattern(r"\d{17}[\dXx]")
_LATIN = LazyPattern(r"[A-Za-z0-9_]")
_IDEOGRAPH = LazyPattern(r"[\u3400-\u9fff\uf900-\ufaff]")


# ------------------------------------------------------------------ rule data

@dataclass(slots=True)
class ContactKind:
    """QQ, WeChat …: contact words and the shape of the account that follows."""

    name: str
    words: list[str]
    account: re.Pattern[str]
    #: Fixed severity and message key (a course group: info, its own message).
    severity: str | None = None
    message: str | None = None
    #: Words that count only standing alone (薇 in 蔷薇 is no contact word).
    alone: frozenset[str] = frozenset()


@dataclass(slots=True)
class PiiRules:
    """A parsed ``kind: pii`` rule file; its regular expressions are
    :class:`~reviewer.checks.rulefields.LazyPattern` (compiled on first use)."""

    id: str
    source: str
    category: str
    severity: str
    messages: dict[str, Msg]
    enabled: set[str]
    provinces: set[str]
    min_birth_year: int
    mobile: re.Pattern[str]
    isbn: list[re.Pattern[str]]
    email: list[re.Pattern[str]]
    email_ignore_domains: set[str]
    email_ignore_local: set[str]
    role_severity: dict[str, dict[str, str]]
    contact_filler: re.Pattern[str]
    contact_word_re: re.Pattern[str] | None
    contact_kinds: dict[str, ContactKind]  # lower-cased word → kind
    student_word_re: re.Pattern[str] | None
    student_filler: re.Pattern[str]
    student_number: re.Pattern[str]
    name_labels: re.Pattern[str] | None
    name_re: re.Pattern[str] | None
    name_window: int
    prefilter: re.Pattern[str] | None = None  # with gate_words: a cheap superset of all hits
    gate_words: Any = None  # Aho-Corasick over the contact and student words

    def matches(self, text: str) -> list[tuple[int, int, str, str]]:
        """``(start, end, rule, matched text)`` in ``text`` — for tools that try rules out."""
        from reviewer.ingest.textnorm import fold_compat

        return [(h.start, h.end, h.rule, text[h.start:h.end]) for h in detect(fold_compat(text), self)]
    tests: dict[str, list[Any]] = field(default_factory=dict)
    #: The course's own staff (manifest lecturers and responsible teacher): their
    #: address, or an address at an institutional domain beside their name, is
    #: reported at this severity instead (None: treated like anyone's).
    email_staff_severity: str | None = None
    email_institutional_domains: set[str] = field(default_factory=set)
    #: Words that name a teacher on the page (主讲教师, Instructor …): an institutional
    #: address in such a segment is a staff address in every file of the package.
    email_staff_labels: re.Pattern[str] | None = None
    #: An institutional address in a syllabus-role file is the course staff's (the
    #: syllabus is the course's own document) — unless it looks like a student's.
    email_syllabus_staff: bool = False
    #: A student's address: a local part of this many digits or more (a student
    #: number), or one of these labels in the domain (stu.pku.edu.cn).
    email_student_digits: int = 6
    email_student_domain_labels: frozenset[str] = frozenset()
    #: An organisation's role address (contact@, support@ …): not a person's.
    email_role_local_parts: frozenset[str] = frozenset()
    email_role_severity: str | None = None
    #: A reproduced publication (a paper's first page, a preprint): a line matching this
    #: marks its page, picture or nearby lines; addresses there were published by their
    #: authors with the work (severity below, message email-published).
    email_publication: re.Pattern[str] | None = None
    email_publication_severity: str | None = None
    email_publication_window: int = 12
    #: Digit view: each variant digit character (一, 幺, 〇, ❶ …) → one ASCII digit.
    digit_table: dict[int, str] = field(default_factory=dict)
    #: Words that make a disguised number (numerals, spaced, dotted) a contact.
    context_re: re.Pattern[str] | None = None
    context_window: int = 12
    clause_breaks: str = "。！？；!?;\n"
    #: Text right before / right after a number that makes it an arithmetic operand.
    arith_before: re.Pattern[str] | None = None
    arith_after: re.Pattern[str] | None = None
    arith_window: int = 24
    #: Worked examples: listed numbers, words before a number, their severity.
    example_numbers: set[str] = field(default_factory=set)
    example_re: re.Pattern[str] | None = None
    example_window: int = 16
    example_severity: str = "info"
    #: Per-detector default severity (beneath role_severity).
    detector_severity: dict[str, str] = field(default_factory=dict)
    mobile_disguised: re.Pattern[str] | None = None
    id15: bool = False
    id_words: re.Pattern[str] | None = None
    serial_words: re.Pattern[str] | None = None
    label_window: int = 20
    landline: re.Pattern[str] | None = None
    landline_disguised: re.Pattern[str] | None = None
    landline_office: re.Pattern[str] | None = None
    landline_private: re.Pattern[str] | None = None
    bank_pattern: re.Pattern[str] | None = None
    bank_prefixes: tuple[str, ...] = ()
    bank_words: re.Pattern[str] | None = None
    bank_lengths: tuple[int, int] = (15, 19)
    group_marks: tuple[str, ...] = ()
    group_kind: ContactKind | None = None


def _tests(value: Any, source: str) -> dict[str, list[Any]]:
    """``tests: {match: [text | {text, rule}], no_match: [text]}``."""
    value = value or {}
    if not isinstance(value, dict):
        raise fail(source, "tests: a mapping with match and no_match lists is required")
    out: dict[str, list[Any]] = {}
    for key in ("match", "no_match"):
        items = value.get(key) or []
        ok = isinstance(items, list) and all(
            isinstance(i, str) or (key == "match" and isinstance(i, dict)
                                   and isinstance(i.get("text"), str)) for i in items)
        if not ok:
            raise fail(source, f"tests.{key}: a list of example texts is required")
        out[key] = items
    return out


def _section(data: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise fail(source, f"{key}: a mapping is required")
    return value


def _words_re(words: Iterable[str]) -> re.Pattern[str] | None:
    """Alternation of ``words`` (longest first), case-insensitive; Latin words whole."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        esc = re.escape(word)
        if word[:1].isascii() and word[:1].isalnum():
            esc = r"(?<![A-Za-z0-9])" + esc
        if word[-1:].isascii() and word[-1:].isalnum():
            esc = esc + r"(?![A-Za-z])"
        parts.append(esc)
    return lazy_regex("|".join(parts), re.IGNORECASE) if parts else None


@register_kind("pii")
def parse_pii(data: dict[str, Any], source: str) -> PiiRules:
    """Parse and validate a ``kind: pii`` rule file; run its embedded tests.

    Problems raise :class:`RuleFileError` naming the file and key; loaded through
    :func:`reviewer.checks.rulefile.parse_rule_text` they also carry the line.
    """
    if not isinstance(data, dict):
        raise fail(source, "a pii rule file must be a mapping")
    severity = str(data.get("severity", "error"))
    if severity not in ("error", "warning", "info"):
        raise fail(source, f"severity: {severity!r} is not error, warning or info")
    raw_messages = _section(data, "messages", source)
    messages = {k: message(v, source, f"messages.{k}") for k, v in raw_messages.items()}
    for name in PRIORITY:
        messages.setdefault(name, {"zh": "疑似个人信息", "en": "Possible personal data"})

    idc = _section(data, "id_card", source)
    mob = _section(data, "mobile", source)
    mail = _section(data, "email", source)
    publication = mail.get("publication") or {}
    if not isinstance(publication, dict):
        raise fail(source, "email.publication: a mapping is required")
    contact = _section(data, "contact_ids", source)
    student = _section(data, "student_id", source)
    land = _section(data, "landline", source)
    bank = _section(data, "bank_card", source)
    keys = ("id_card", "bank_card", "mobile", "landline", "email", "contact_ids", "student_id")
    sections = (idc, bank, mob, land, mail, contact, student)
    enabled = {name for name, key, sec in zip(PRIORITY, keys, sections)
               if key in data and sec.get("enabled", True)}

    kinds: dict[str, ContactKind] = {}
    raw_kinds = contact.get("kinds") or []
    if not isinstance(raw_kinds, list):
        raise fail(source, "contact_ids.kinds: a list is required")
    by_name: dict[str, ContactKind] = {}
    for i, item in enumerate(raw_kinds):
        if not isinstance(item, dict) or "name" not in item:
            raise fail(source, f"contact_ids.kinds[{i}]: needs name, words and account")
        where = f"contact_ids.kinds[{i}]"
        kind = ContactKind(
            str(item["name"]), strings(item.get("words"), source, f"{where}.words"),
            regex(item.get("account"), source, f"{where}.account"),
            severity=None if item.get("severity") is None else _sev(
                item["severity"], source, f"{where}.severity", "error"),
            message=None if item.get("message") is None else str(item["message"]),
            alone=frozenset(w.lower() for w in strings(item.get("alone"), source,
                                                       f"{where}.alone")))
        if kind.message is not None and kind.message not in messages:
            raise fail(source, f"{where}.message: no message {kind.message!r} under messages")
        by_name[kind.name] = kind
        for word in kind.words + sorted(kind.alone):
            kinds[word.lower()] = kind
    group = _section(contact, "group", source) if "group" in contact else {}
    group_kind = None
    if group:
        group_kind = by_name.get(str(group.get("kind")))
        if group_kind is None:
            raise fail(source, "contact_ids.group.kind: the name of one of contact_ids.kinds "
                                "is required")

    nums = _section(data, "numerals", source)
    arith = _section(data, "arithmetic", source)
    examples = _section(data, "examples", source)
    context_words = strings(nums.get("context_words"), source, "numerals.context_words")

    role_severity = data.get("role_severity") or {}
    if not isinstance(role_severity, dict) or not all(
            isinstance(v, dict) and all(x in ("error", "warning", "info") for x in v.values())
            for v in role_severity.values()):
        raise fail(source, "role_severity: a mapping role → {detector: error|warning|info} "
                            "is required")
    rules = PiiRules(
        id=str(data.get("id", "pii")), source=source,
        category=str(data.get("category", "personal-data")), severity=severity,
        messages=messages, enabled=enabled,
        provinces=set(strings(idc.get("provinces"), source, "id_card.provinces")),
        min_birth_year=whole_number(idc.get("min_birth_year", 1900), source, "id_card.min_birth_year"),
        mobile=regex(mob.get("pattern", r"1[3-9]\d{9}"), source, "mobile.pattern"),
        isbn=[regex(p, source, "mobile.isbn_patterns", re.IGNORECASE)
              for p in strings(mob.get("isbn_patterns"), source, "mobile.isbn_patterns")],
        email=[regex(p, source, "email.patterns", re.IGNORECASE)
               for p in strings(mail.get("patterns"), source, "email.patterns")],
        email_ignore_domains={d.lower() for d in strings(mail.get("ignore_domains"), source,
                                                          "email.ignore_domains")},
        email_ignore_local={d.lower() for d in strings(mail.get("ignore_local_parts"), source,
                                                        "email.ignore_local_parts")},
        email_staff_severity=_staff_severity(mail.get("staff_severity"), source),
        email_institutional_domains={d.lower().lstrip(".") for d in strings(
            mail.get("institutional_domains"), source, "email.institutional_domains")},
        email_staff_labels=_words_re(strings(mail.get("staff_labels"), source,
                                             "email.staff_labels")),
        email_syllabus_staff=flag(mail.get("syllabus_staff", False), source,
                                  "email.syllabus_staff"),
        email_student_digits=whole_number(mail.get("student_local_digits", 6), source,
                                          "email.student_local_digits"),
        email_student_domain_labels=frozenset(d.lower() for d in strings(
            mail.get("student_domain_labels"), source, "email.student_domain_labels")),
        email_role_local_parts=frozenset(d.lower() for d in strings(
            mail.get("role_local_parts"), source, "email.role_local_parts")),
        email_role_severity=_staff_severity(mail.get("role_severity"), source,
                                            "email.role_severity"),
        email_publication=_markers_re(publication.get("markers"), source,
                                      "email.publication.markers"),
        email_publication_severity=_staff_severity(publication.get("severity"), source,
                                                   "email.publication.severity"),
        email_publication_window=whole_number(publication.get("window"), source,
                                              "email.publication.window", 12),
        role_severity={str(k): dict(v) for k, v in role_severity.items()},
        contact_filler=regex(contact.get("filler", r"[\s:：]{0,3}"), source,
                              "contact_ids.filler"),
        contact_word_re=_words_re(kinds),
        contact_kinds=kinds,
        student_word_re=_words_re(strings(student.get("words"), source, "student_id.words")),
        student_filler=regex(student.get("filler", r"[\s:：]{0,3}"), source,
                              "student_id.filler"),
        student_number=regex(student.get("number", r"\d{6,14}"), source, "student_id.number"),
        name_labels=_words_re(strings(student.get("name_labels"), source,
                                       "student_id.name_labels")),
        name_re=_name_re(strings(student.get("surnames"), source, "student_id.surnames")),
        name_window=whole_number(student.get("name_window", 30), source, "student_id.name_window"),
        tests=_tests(data.get("tests"), source),
        digit_table=_digit_table(nums.get("digits"), source),
        context_re=_words_re(context_words + list(kinds)),
        context_window=whole_number(nums.get("context_window"), source,
                                    "numerals.context_window", 12),
        clause_breaks=_text(data.get("clause_breaks", "。！？；!?;\n"), source, "clause_breaks"),
        arith_before=regex(arith.get("before"), source, "arithmetic.before", optional=True),
        arith_after=regex(arith.get("after"), source, "arithmetic.after", optional=True),
        arith_window=whole_number(arith.get("window"), source, "arithmetic.window", 24),
        example_numbers={_digits_only(n) for n in strings(examples.get("numbers"), source,
                                                          "examples.numbers")},
        example_re=_words_re(strings(examples.get("words"), source, "examples.words")),
        example_window=whole_number(examples.get("window"), source, "examples.window", 16),
        example_severity=_sev(examples.get("severity"), source, "examples.severity", "info"),
        detector_severity={name: _sev(sec["severity"], source, f"{key}.severity", severity)
                           for name, key, sec in zip(PRIORITY, keys, sections)
                           if sec.get("severity") is not None},
        mobile_disguised=regex(mob.get("disguised_pattern"), source,
                               "mobile.disguised_pattern", optional=True),
        id15=bool(idc.get("fifteen_digits", False)),
        id_words=_words_re(strings(idc.get("words"), source, "id_card.words")),
        serial_words=_words_re(strings(data.get("serial_words"), source, "serial_words")),
        label_window=whole_number(data.get("label_window"), source, "label_window", 20),
        landline=regex(land.get("pattern"), source, "landline.pattern", optional=True),
        landline_disguised=regex(land.get("disguised_pattern"), source,
                                 "landline.disguised_pattern", optional=True),
        landline_office=_words_re(strings(land.get("office_words"), source,
                                          "landline.office_words")),
        landline_private=_words_re(strings(land.get("private_words"), source,
                                           "landline.private_words")),
        bank_pattern=regex(bank.get("pattern"), source, "bank_card.pattern", optional=True),
        bank_prefixes=tuple(strings(bank.get("prefixes"), source, "bank_card.prefixes")),
        bank_words=_words_re(strings(bank.get("words"), source, "bank_card.words")),
        bank_lengths=(whole_number(bank.get("min_length"), source, "bank_card.min_length", 15),
                      whole_number(bank.get("max_length"), source, "bank_card.max_length", 19)),
        group_marks=tuple(strings(group.get("marks"), source, "contact_ids.group.marks")),
        group_kind=group_kind,
    )
    if "bank-card" in enabled and (rules.bank_pattern is None or rules.bank_words is None):
        raise fail(source, "bank_card: pattern and words are required")
    if "landline" in enabled and rules.landline is None:
        raise fail(source, "landline.pattern: a regular expression (string) is required")
    rules.prefilter = _prefilter(data.get("prefilter"), source)
    rules.gate_words = _word_automaton(
        list(kinds) + strings(student.get("words"), source, "student_id.words") + context_words)
    _run_embedded_tests(rules)
    _run_marker_tests(rules.email_publication, publication.get("tests"), source,
                      "email.publication.tests")
    return rules


def _sev(value: Any, source: str, where: str, default: str) -> str:
    from reviewer.checks.rulefields import severity as _severity_field

    return _severity_field(value, source, where, default)


def _text(value: Any, source: str, where: str) -> str:
    if not isinstance(value, str):
        raise fail(source, f"{where}: a string is required")
    return value


def _digits_only(number: str) -> str:
    return re.sub(r"[^0-9Xx]", "", number).upper()


def _digit_table(value: Any, source: str) -> dict[int, str]:
    """``numerals.digits: {"0": "〇零", "1": "一壹幺" …}`` → a str.translate table,
    one character to one digit (the digit view keeps every offset)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(source, "numerals.digits: a mapping digit → characters is required")
    table: dict[int, str] = {}
    for digit, chars in value.items():
        digit = str(digit)
        if len(digit) != 1 or not digit.isdigit() or not digit.isascii() \
                or not isinstance(chars, str):
            raise fail(source, f"numerals.digits.{digit}: a digit 0-9 mapped to a string "
                                "of characters is required")
        for ch in chars:
            if ch.isspace():
                continue
            if ord(ch) in table and table[ord(ch)] != digit:
                raise fail(source, f"numerals.digits: {ch!r} stands for two digits")
            table[ord(ch)] = digit
    return table


def _prefilter(value: Any, source: str) -> re.Pattern[str] | None:
    """``prefilter``: text in which it finds nothing (nor a contact or student word) is skipped."""
    if value in (None, ""):
        return None
    return regex(value, source, "prefilter")


def _word_automaton(words: Iterable[str]) -> WordGate | None:
    """Aho-Corasick over lower-cased ``words`` (a fast gate; boundaries are checked later)."""
    keys = sorted({w.lower() for w in words if w})
    return WordGate(keys) if keys else None


def _markers_re(value: Any, source: str, where: str) -> re.Pattern[str] | None:
    """One pattern of alternatives, each checked alone first so that a bad one is named;
    matched per line, case-insensitively."""
    patterns = strings(value, source, where)
    for i, pattern in enumerate(patterns):
        regex(pattern, source, f"{where}[{i}]")
    if not patterns:
        return None
    return lazy_regex("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE)


def _run_marker_tests(pattern: re.Pattern[str] | None, tests: Any, source: str,
                      where: str) -> None:
    """Embedded examples of a marker list: ``match`` lines must be markers,
    ``no_match`` lines must not (folded as segment text is)."""
    from reviewer.ingest.textnorm import fold_compat

    cases = _tests(tests, source) if tests is not None else {}
    if cases and pattern is None:
        raise fail(source, f"{where}: examples given but no markers")
    def judge(kind: str, text: Any) -> str | None:
        wanted = kind == "match"
        if bool(pattern.search(fold_compat(str(text)))) == wanted:  # type: ignore[union-attr]
            return None
        return f"should {'match' if wanted else 'not match'}: {text!r}"

    failures = run_examples([("match", cases.get("match") or []),
                             ("no_match", cases.get("no_match") or [])], judge)
    if failures:
        raise examples_failed(source, failures, where=where)


def _name_re(surnames: list[str]) -> re.Pattern[str] | None:
    """A Chinese personal name standing alone: surname + 1–2 ideographs."""
    if not surnames:
        return None
    alt = "|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True))
    return lazy_regex(rf"(?<![\u4e00-\u9fff])(?:{alt})[\u4e00-\u9fff]{{1,2}}(?![\u4e00-\u9fff])")


def _run_embedded_tests(rules: PiiRules) -> None:
    """A rule file whose examples fail does not load.  Examples are folded as the check
    folds segment text (``Segment.norm``): １３８… in an example is what it is in a course."""
    from reviewer.ingest.textnorm import fold_compat

    def judge(kind: str, item: Any) -> str | None:
        if kind == "no_match":
            hits = detect(fold_compat(str(item)), rules)
            return (f"should not match: {item!r} (found {hits[0].rule} {hits[0].text!r})"
                    if hits else None)
        text, want, level = (item, None, None) if isinstance(item, str) else (
            item.get("text", ""), item.get("rule"), item.get("severity"))
        found = detect(fold_compat(text), rules)
        hits = [h.rule for h in found]
        if not hits or (want and want not in hits):
            return f"should match{f' ({want})' if want else ''}: {text!r}"
        if level and level not in {_severity(rules, h, str(item.get("role", "")))
                                   for h in found if not want or h.rule == want}:
            return f"should match at {level}: {text!r}"
        return None

    failures = run_examples([("match", rules.tests.get("match") or []),
                             ("no_match", rules.tests.get("no_match") or [])], judge)
    if failures:
        raise examples_failed(rules.source, failures)


# ------------------------------------------------------------------ detectors

@dataclass(frozen=True, slots=True)
class Hit:
    """One personal-data candidate that passed its validators."""

    rule: str
    start: int
    end: int
    text: str
    extra: tuple[tuple[str, str], ...] = ()
    #: A severity that beats the role's (a course group, a worked example, a home phone).
    severity: str | None = None
    #: Message key instead of the rule's own.
    message: str | None = None
    #: Found only through the digit view or a spaced/dotted shape: needs a contact word.
    disguised: bool = False


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK[total % 11]


def valid_id_number(number: str, provinces: set[str] | None = None,
                    min_birth_year: int = 1900, today: date | None = None) -> bool:
    """True for an 18-character resident ID with a right check digit, birth date and province."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if id_check_digit(number[:17]) != number[17].upper():
        return False
    if provinces and number[:2] not in provinces:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return min_birth_year <= born.year and born <= (today or date.today())


def _isolated(text: str, start: int, end: int) -> bool:
    """Not glued to more digits/letters, nor to digits through ``-`` or ``.``."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if (before and _LATIN.match(before)) or (after and _LATIN.match(after)):
        return False
    if before in "-." and start > 1 and text[start - 2].isdigit():
        return False
    if after in "-." and end + 1 < len(text) and text[end + 1].isdigit():
        return False
    return True


class _Taken:
    """Spans sorted by start, overlapping ones merged: whether a new span overlaps one
    of them is two comparisons after a bisection, not a scan (a page of 8,000 phone
    numbers made the scans quadratic)."""

    __slots__ = ("starts", "ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            if self.ends and start < self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        return (i > 0 and self.ends[i - 1] > start) or (i < len(self.starts)
                                                          and self.starts[i] < end)

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none of them."""
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def valid_id15(number: str, provinces: set[str] | None = None,
               min_birth_year: int = 1900) -> bool:
    """True for a 15-digit first-generation ID: province code and a 19YY birth date."""
    if len(number) != 15 or not number.isdigit():
        return False
    if provinces and number[:2] not in provinces:
        return False
    try:
        born = date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return min_birth_year <= born.year


def _nearest_label(text: str, start: int, rules: PiiRules,
                   positive: re.Pattern[str] | None) -> str | None:
    """Which label stands last before ``start`` in its clause: ``"serial"`` (订单号 …),
    ``"positive"`` (a word of ``positive``) or None.  A tie goes to the longer word
    (身份证编号 over 编号)."""
    lo = _clause_start(text, start, rules.label_window, rules)
    window = text[lo:start]
    best: tuple[int, int, str] | None = None
    for name, pattern in (("serial", rules.serial_words), ("positive", positive)):
        for m in pattern.finditer(window) if pattern is not None else ():
            key = (m.end(), len(m.group()), name)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def _clause_start(text: str, start: int, window: int, rules: PiiRules) -> int:
    lo = max(0, start - window)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in rules.clause_breaks:
            return i + 1
    return lo


def _clause_end(text: str, end: int, window: int, rules: PiiRules) -> int:
    hi = min(len(text), end + window)
    for i in range(end, hi):
        if text[i] in rules.clause_breaks:
            return i
    return hi


def _id_cards(view: str, text: str, rules: PiiRules) -> Iterable[Hit]:
    for m in re.finditer(r"\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx]", view):
        digits = re.sub(r"[ -]", "", m.group())
        if len(digits) == 18 and _isolated(view, m.start(), m.end()) and valid_id_number(
                digits, rules.provinces, rules.min_birth_year):
            yield Hit("id-card", m.start(), m.end(), text[m.start():m.end()])
    if not rules.id15:
        return
    for m in re.finditer(r"\d{6}[ -]?\d{6}[ -]?\d{3}", view):
        digits = re.sub(r"[ -]", "", m.group())
        if len(digits) == 15 and _isolated(view, m.start(), m.end()) and valid_id15(
                digits, rules.provinces, rules.min_birth_year) and _nearest_label(
                    text, m.start(), rules, rules.id_words) != "serial":
            yield Hit("id-card", m.start(), m.end(), text[m.start():m.end()])


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) check of a card number's digits."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _bank_cards(view: str, text: str, rules: PiiRules) -> Iterable[Hit]:
    """Luhn-valid numbers with an issuer prefix, beside a card or bank word (before the
    number, or after it in the same clause) and not labelled as a serial number."""
    if rules.bank_pattern is None:
        return
    lo_len, hi_len = rules.bank_lengths
    for m in rules.bank_pattern.finditer(view):
        digits = re.sub(r"[^0-9]", "", m.group())
        if not (lo_len <= len(digits) <= hi_len) or not _isolated(view, m.start(), m.end()):
            continue
        if not digits.startswith(rules.bank_prefixes) or not luhn_valid(digits):
            continue
        label = _nearest_label(text, m.start(), rules, rules.bank_words)
        if label == "serial":
            continue
        if label is None:
            after = text[m.end():_clause_end(text, m.end(), rules.label_window, rules)]
            if rules.bank_words is None or rules.bank_words.search(after) is None:
                continue
        yield Hit("bank-card", m.start(), m.end(), text[m.start():m.end()])


def _mobiles(view: str, text: str, rules: PiiRules, masks: _Taken) -> Iterable[Hit]:
    for pattern, disguised in ((rules.mobile, False), (rules.mobile_disguised, True)):
        for m in pattern.finditer(view) if pattern is not None else ():
            start, end = m.span()
            if not _isolated(view, start, end) or masks.overlaps(start, end):
                continue
            yield Hit("mobile", start, end, text[start:end], disguised=disguised)


def _landlines(view: str, text: str, rules: PiiRules, masks: _Taken) -> Iterable[Hit]:
    """Area code and number; a private word before it makes it an error, an office word
    or a teacher's title info (the rule file's words)."""
    for pattern, disguised in ((rules.landline, False), (rules.landline_disguised, True)):
        for m in pattern.finditer(view) if pattern is not None else ():
            start, end = m.span()
            if not _isolated(view, start, end) or masks.overlaps(start, end):
                continue
            lo = _clause_start(text, start, rules.label_window, rules)
            before = text[lo:start]
            severity = None
            if rules.landline_private is not None and rules.landline_private.search(before):
                severity = "error"
            elif rules.landline_office is not None and rules.landline_office.search(before):
                severity = "info"
            yield Hit("landline", start, end, text[start:end], severity=severity,
                      disguised=disguised)


def _staff_severity(value: Any, source: str, where: str = "email.staff_severity") -> str | None:
    if value is None:
        return None
    if value not in ("error", "warning", "info"):
        raise fail(source, f"{where}: {value!r} is not error, warning or info")
    return str(value)


def _student_address(address: str, rules: PiiRules) -> bool:
    """A student's address: a student number as local part, or a student mail domain."""
    local, _, domain = address.rpartition("@")
    if rules.email_student_digits and re.fullmatch(rf"[0-9]{{{rules.email_student_digits},}}", local):
        return True
    return any(label in rules.email_student_domain_labels for label in domain.split("."))




def canonical_email(address: str) -> str:
    """``Zhang.San [at] PKU [dot] edu.cn`` → ``zhang.san@pku.edu.cn`` (for comparing)."""
    out = re.sub(r"\s*[\[({]dot[\])}]\s*", ".", address.strip().lower())
    out = re.sub(r"\s*(?:[\[({]at[\])}]|#|＠)\s*", "@", out)
    return re.sub(r"\s*\.\s*", ".", out)


def _institutional(address: str, rules: PiiRules) -> bool:
    domain = address.rpartition("@")[2]
    return any(domain == d or domain.endswith("." + d) for d in rules.email_institutional_domains)


@dataclass(frozen=True, slots=True)
class Staff:
    """The course's own teachers as the manifest names them: their public work
    addresses are course information, not a leak (one finding per handout otherwise)."""

    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any] | None) -> "Staff":
        people: list[Any] = list((manifest or {}).get("lecturers") or [])
        if (manifest or {}).get("responsible_teacher"):
            people.append(manifest["responsible_teacher"])  # type: ignore[index]
        names, emails = set(), set()
        for person in people:
            if isinstance(person, str) and person.strip():
                names.add(person.strip())
            elif isinstance(person, dict):
                if isinstance(person.get("name"), str) and person["name"].strip():
                    names.add(person["name"].strip())
                if isinstance(person.get("email"), str) and "@" in person["email"]:
                    emails.add(canonical_email(person["email"]))
        return cls(frozenset(names), frozenset(emails))

    def with_named(self, files: Iterable[Any], rules: PiiRules,
                   gated: dict[tuple[int, int], Any] | None = None) -> "Staff":
        """These staff plus every institutional address found in a segment that calls
        its owner a teacher (``主讲教师：… zhang@pku.edu.cn``) — the syllabus names the
        lecturer once, the handouts repeat the address without the title.
        (``gated``: see :func:`gated_segments`.)"""
        if rules.email_staff_severity is None or (
                rules.email_staff_labels is None and not rules.email_syllabus_staff):
            return self
        found = set(self.emails)
        labels = rules.email_staff_labels
        for record in files:
            syllabus = rules.email_syllabus_staff and getattr(record, "role", "") == "syllabus"
            segments = gated_segments(record.segments, rules, gated)
            if not syllabus and (labels is None or not LiteralGate(
                    "\x00".join(s.norm for s in segments)).may_match(labels.pattern, labels.flags)):
                continue  # no staff label in the file: no segment of it is labelled
            for segment in segments:
                labelled = labels is not None and labels.search(segment.norm) is not None
                if not (labelled or syllabus):
                    continue
                for hit in _emails(segment.norm, rules):
                    canon = canonical_email(segment.text[hit.start:hit.end])
                    # named as staff (助教：…@stu.pku.edu.cn), or in the syllabus and
                    # not a student's
                    if _institutional(canon, rules) and (
                            labelled or not _student_address(canon, rules)):
                        found.add(canon)
        return Staff(self.names, frozenset(found))

    def owner(self, address: str, text: str, rules: PiiRules) -> str | None:
        """Whose work address this is: listed in the manifest, or at an institutional
        domain in a segment that names one of the staff. None: not known to be staff."""
        canon = canonical_email(address)
        if canon in self.emails:
            return canon
        if _institutional(canon, rules):
            for name in sorted(self.names):
                if name in text:
                    return name
        return None


def _emails(text: str, rules: PiiRules) -> Iterable[Hit]:
    seen = _Taken()
    for pattern in rules.email:
        for m in pattern.finditer(text):
            if seen.overlaps(*m.span()):
                continue
            local = (m.groupdict().get("local") or "").lower()
            domain = (m.groupdict().get("domain") or "").lower()
            domain = re.sub(r"\s*[\[(]dot[\])]\s*", ".", domain)
            if local in rules.email_ignore_local or any(
                    domain == d or domain.endswith("." + d) for d in rules.email_ignore_domains):
                continue
            seen.add(*m.span())
            if rules.email_role_severity and local in rules.email_role_local_parts:
                # an organisation's role address (contact@…): nobody's personal data
                yield Hit("email", m.start(), m.end(), m.group(),
                          severity=rules.email_role_severity, message="email-role")
            else:
                yield Hit("email", m.start(), m.end(), m.group())


def _contacts(view: str, text: str, rules: PiiRules) -> Iterable[Hit]:
    if rules.contact_word_re is None:
        return
    pos = 0
    while (word := rules.contact_word_re.search(text, pos)) is not None:
        pos = word.start() + 1  # overlapping words: 加V信 holds both 加V and V信
        key = word.group().lower()
        kind = rules.contact_kinds.get(key)
        if kind is None:
            continue
        if key in kind.alone and word.start() > 0 and (
                _IDEOGRAPH.match(text[word.start() - 1]) or text[word.start() - 1].isalnum()):
            continue  # 薇 in 蔷薇
        filler = rules.contact_filler.match(text, word.end())
        after = filler.end() if filler else word.end()
        account = kind.account.match(view, after)
        if account is None or not _isolated(view, account.start(), account.end()):
            continue
        if rules.group_kind is not None and kind is not rules.group_kind and filler and any(
                mark in filler.group() for mark in rules.group_marks):
            kind = rules.group_kind  # QQ 群号：… is the course group, not a person
        pos = account.end()
        yield Hit("im-account", word.start(), account.end(), text[word.start():account.end()],
                  (("platform", kind.name), ("account", text[account.start():account.end()])),
                  severity=kind.severity, message=kind.message)


def _has_name(text: str, start: int, end: int, rules: PiiRules) -> bool:
    lo, hi = max(0, start - rules.name_window), min(len(text), end + rules.name_window)
    window = text[lo:hi]
    if rules.name_labels is not None and rules.name_labels.search(window):
        return True
    return rules.name_re is not None and rules.name_re.search(window) is not None


def _student_ids(view: str, text: str, rules: PiiRules) -> Iterable[Hit]:
    if rules.student_word_re is None:
        return
    for word in rules.student_word_re.finditer(text):
        filler = rules.student_filler.match(text, word.end())
        pos = filler.end() if filler else word.end()
        number = rules.student_number.match(view, pos)
        if number is None or not _isolated(view, number.start(), number.end()):
            continue
        if _has_name(text, word.start(), number.end(), rules):
            yield Hit("student-id", word.start(), number.end(), text[word.start():number.end()])


def digit_view(text: str, rules: PiiRules) -> str:
    """``text`` with every variant digit (一, 幺, 〇, ❶ …) as its ASCII digit, same length."""
    return text.translate(rules.digit_table) if rules.digit_table and not text.isascii() else text


def _judge(hit: Hit, view: str, text: str, rules: PiiRules) -> Hit | None:
    """A number's surroundings: an arithmetic operand is no one's (None); a disguised
    number needs a contact word before it; a worked example keeps the example severity."""
    if hit.rule not in NUMERIC:
        return hit
    start, end = hit.start, hit.end
    if rules.arith_after is not None and rules.arith_after.match(view, end):
        return None
    if rules.arith_before is not None and rules.arith_before.search(
            view[max(0, start - rules.arith_window):start]):
        return None
    if (hit.disguised or view[start:end] != text[start:end]) and not (
            rules.context_re is not None and rules.context_re.search(
                text[max(0, start - rules.context_window):start])):
        return None
    if _digits_only(view[start:end]) in rules.example_numbers or (
            rules.example_re is not None and rules.example_re.search(
                text[_clause_start(text, start, rules.example_window, rules):start])):
        return replace(hit, severity=rules.example_severity, message="example")
    return hit


def detect(text: str, rules: PiiRules, *, words: bool = True) -> list[Hit]:
    """Every personal-data hit in ``text`` (overlaps resolved by :data:`PRIORITY`);
    ``words=False``: ``text`` holds no contact or student word (see :func:`_gated`), so
    the detectors that start from one are not run."""
    if rules.prefilter is not None and rules.prefilter.search(text) is None and (
            rules.gate_words is None or not ac_matches(
                rules.gate_words, text.lower())):
        return []
    view = digit_view(text, rules)
    masks = _Taken(m.span() for p in rules.isbn for m in p.finditer(view))
    found: list[Hit] = []
    if "id-card" in rules.enabled:
        found += _id_cards(view, text, rules)
    if "bank-card" in rules.enabled:
        found += _bank_cards(view, text, rules)
    if "mobile" in rules.enabled:
        found += _mobiles(view, text, rules, masks)
    if "landline" in rules.enabled:
        found += _landlines(view, text, rules, masks)
    if "email" in rules.enabled:
        found += _emails(text, rules)
    if "im-account" in rules.enabled and words:
        found += _contacts(view, text, rules)
    if "student-id" in rules.enabled and words:
        found += _student_ids(view, text, rules)
    found.sort(key=lambda h: (PRIORITY.index(h.rule), h.start))
    kept: list[Hit] = []
    taken = _Taken()
    for hit in found:
        if taken.overlaps(hit.start, hit.end):
            continue
        judged = _judge(hit, view, text, rules)
        if judged is None:
            # an operand is nobody's number: it also keeps a weaker detector off its digits
            taken.add(hit.start, hit.end)
            continue
        kept.append(judged)
        taken.add(hit.start, hit.end)
    kept.sort(key=lambda h: h.start)
    return kept


# ------------------------------------------------------------------ the check

def _severity(rules: PiiRules, hit: Hit, role: str) -> str:
    """The hit's own severity (group, example, home phone), else the role's for its
    detector, else the detector's, else the rule file's."""
    if hit.severity is not None:
        return hit.severity
    return rules.role_severity.get(role, {}).get(
        hit.rule, rules.detector_severity.get(hit.rule, rules.severity))


def findings_for(segment: Segment, role: str, rules: PiiRules,
                 staff: Staff | None = None, *, published: bool = False,
                 words: bool = True) -> list[Finding]:
    """The findings of one rule set in one segment; ``staff`` (from the manifest) turns
    the course teachers' own work addresses into info, ``published`` (the segment is on
    a reproduced publication, see :func:`published_segments`) its authors' addresses.
    ``words=False``: the segment is known to hold no contact or student word."""
    out: list[Finding] = []
    seen: dict[tuple[str, str], int] = {}
    for hit in detect(segment.norm, rules, words=words):
        match = segment.text[hit.start:hit.end]
        occurrence = seen.get((hit.rule, match), 0)
        seen[(hit.rule, match)] = occurrence + 1
        severity, extra = _severity(rules, hit, role), dict(hit.extra)
        msg = rules.messages.get(hit.message or hit.rule, rules.messages[hit.rule])
        owner = (staff.owner(match, segment.text, rules)
                 if hit.rule == "email" and staff is not None and rules.email_staff_severity
                 else None)
        if owner is not None:
            severity, extra["staff"] = rules.email_staff_severity, owner
            msg = rules.messages.get("email-staff", msg)
        elif (hit.rule == "email" and published and rules.email_publication_severity
              and hit.message is None):
            severity, extra["published"] = rules.email_publication_severity, "1"
            msg = rules.messages.get("email-published", msg)
        out.append(finding_at(
            segment, hit.start, hit.end, check=CHECK, rule=hit.rule, category=rules.category,
            severity=severity, message=msg,
            occurrence=occurrence, extra=dict(extra, ruleset=rules.id),
        ))
    return out


def _unit(segment: Segment) -> tuple[Any, ...] | None:
    """The page, slide or picture a segment is on; None for a file without pages."""
    loc = segment.locator
    if loc.page is None and loc.slide is None:
        return None
    return (loc.page, loc.slide, loc.notes, loc.image)


def published_segments(segments: list[Segment], rules: PiiRules) -> set[int]:
    """Ordinals of the segments on a reproduced publication: on a page, slide or picture
    where a publication marker stands (ABSTRACT, CCS CONCEPTS, 摘 要, arXiv:…), or — in a
    file without pages — within ``email.publication.window`` lines of one."""
    if rules.email_publication is None or not segments:
        return set()
    joined = "\n".join(seg.norm for seg in segments)  # one scan, as gated_segments
    starts, pos = [], 0
    for seg in segments:
        starts.append(pos)
        pos += len(seg.norm) + 1
    marked = [segments[i] for i in sorted({
        bisect_right(starts, m.start()) - 1 for m in rules.email_publication.finditer(joined)})]
    if not marked:
        return set()
    units = {_unit(seg) for seg in marked} - {None}
    lines = sorted(seg.ordinal for seg in marked if _unit(seg) is None)
    window = rules.email_publication_window
    out = set()
    for seg in segments:
        unit = _unit(seg)
        if unit is not None:
            if unit in units:
                out.add(seg.ordinal)
        elif lines:  # the nearest marker line within the window?
            k = bisect_right(lines, seg.ordinal + window) - 1
            if k >= 0 and lines[k] >= seg.ordinal - window:
                out.add(seg.ordinal)
    return out


#: Every e-mail pattern needs one of these (an @, a # or an [at]): a segment without
#: one holds no address, and its file's publication markers need not be looked for.
_EMAIL_HINT = LazyPattern(r"[@#＠＃]|[\[({]\s*at\s*[\])}]", re.IGNORECASE)


def gated_segments(segments: list[Segment], rules: PiiRules,
                   cache: dict[tuple[int, int], Any] | None = None) -> list[Segment]:
    """The segments the prefilter or a contact/student word points at, by one scan of each
    over their joined text (per-segment regex calls would cost more than the scan).
    ``cache`` keeps the answer per segment list and rule set (the staff search and the
    check itself ask for the same files)."""
    return _gated(segments, rules, cache)[0]


#: Where a case partner stands (:data:`~reviewer.checks.literals.CASE_PARTNERS`), the
#: lower-cased gate may miss a word the word regex finds.
_CASE_PARTNERS = re.compile("[" + "".join(CASE_PARTNERS) + "]")


def _lowered_words_exact(rules: PiiRules) -> bool:
    """Whether a word regex match implies the word, lower-cased, in the lower-cased text
    (outside :data:`_CASE_PARTNERS`): every character of the words folds exactly
    (:func:`~reviewer.checks.literals.folds_exactly`), and none is a NUL (the joint
    between segments)."""
    return rules.gate_words is not None and all(
        "\x00" not in word and all(folds_exactly(ch) for ch in word)
        for word in rules.gate_words.keys)


def _gated(segments: list[Segment], rules: PiiRules, cache: dict[tuple[int, int], Any] | None
           ) -> tuple[list[Segment], set[int] | None]:
    """:func:`gated_segments`, and the ids of those in which a contact or student word may
    stand (None: any of them) — the others need no contact or student detector."""
    if rules.prefilter is None or not segments:
        return list(segments), None
    key = (id(segments), id(rules))
    if cache is not None:
        if key not in cache:
            cache[key] = _gated(segments, rules, None)
        return cache[key]
    joined = "\x00".join(s.norm for s in segments)
    starts, pos = [], 0
    for seg in segments:
        starts.append(pos)
        pos += len(seg.norm) + 1
    positions = [m.start() for m in rules.prefilter.finditer(joined)]
    worded: set[int] | None = None
    if rules.gate_words is not None:
        lowered = joined.lower()
        if len(lowered) == len(joined):  # lower() kept the offsets (it nearly always does)
            words = [start for _, start, _ in ac_matches(rules.gate_words, lowered)]
            positions += words
            if _lowered_words_exact(rules):
                words += [m.start() for m in _CASE_PARTNERS.finditer(joined)]
                worded = {id(segments[bisect_right(starts, p) - 1]) for p in words}
        else:
            return list(segments), None
    hit = {bisect_right(starts, p) - 1 for p in positions}
    return [segments[i] for i in sorted(hit)], worded


@register(CHECK)
def check_pii(ctx: CheckContext) -> CheckResult:
    """Personal data in every segment of every file."""
    rulesets = [r for r in ctx.rules.get("pii", []) if isinstance(r, PiiRules)]
    findings: list[Finding] = []
    if not rulesets:
        return CheckResult(findings)
    seen: set[str] = set()
    staff = Staff.from_manifest(ctx.package.manifest)
    gated: dict[tuple[int, int], Any] = {}
    for rules in rulesets:
        staff = staff.with_named(ctx.package.files, rules, gated)
    for record in ctx.package.files:
        for rules in rulesets:
            published: set[int] | None = None  # worked out at the file's first address
            segments, worded = _gated(record.segments, rules, gated)
            for segment in segments:
                on_paper = False
                if rules.email_publication is not None and _EMAIL_HINT.search(segment.norm):
                    if published is None:
                        published = published_segments(record.segments, rules)
                    on_paper = segment.ordinal in published
                for finding in findings_for(segment, record.role, rules, staff,
                                            published=on_paper,
                                            words=worded is None or id(segment) in worded):
                    if finding.id not in seen:
                        seen.add(finding.id)
                        findings.append(finding)
    return CheckResult(findings)
