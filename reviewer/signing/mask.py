"""Masking personal data in what is signed and printed (signing room; pure).

A recommendation carries each finding's matched text and the text around it,
and its printable report is read, copied and filed by people who must not see
a student's ID number or phone number in full (教高〔2022〕1号 art. 15).  So the
personal data that the ``pii`` check found is masked wherever it appears —
in the ``pii`` findings' own matches, in every finding's context, message and
reason — and, as a safety net for data the check did not flag, so are e-mail
addresses, long digit runs (11–19 digits: mobile, ID, bank card numbers), a
number right after the word that names it (学号, 工号, 手机 …) and the name
after a 姓名 label.

The first and last characters stay, so a reader can still tell which datum is
meant: ``138****5678``, ``110***********2413``, ``z***@pku.edu.cn``, ``张**``.
Masking is idempotent: masking masked text changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The check whose matches are personal data.
PII_CHECK = "pii"
MASK = "*"

_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9._%+\-*]+)(?P<at>\s*(?:@|＠|\[at\]|\(at\)|（at）)\s*|#)"
    r"(?P<domain>[A-Za-z0-9\-]+(?:\s*(?:\.|\[dot\]|\(dot\))\s*[A-Za-z0-9\-]+)+)",
    re.IGNORECASE)
#: The safety net over running text: only the unmistakable forms (``@`` and ``[at]``), as
#: ``a#b.c`` is also how URLs and code read.
_EMAIL_LOOSE = re.compile(_EMAIL.pattern.replace("|#)", ")"), re.IGNORECASE)
#: A contact word or label before an account or number (``微信 shuake_2025``).
_LABELLED = re.compile(r"(?P<label>.*?[^0-9A-Za-z_.\-*])(?P<value>[0-9A-Za-z_.\-*]{4,})")
#: A run of 11–19 digits standing alone (a mobile, ID or bank card number).
_LONG_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{10,18}[0-9Xx](?![0-9A-Za-z])")
#: A number or account right after the word that says what it is: 学号 2023015, 工号：A1234.
_LABELLED_NUMBER = re.compile(
    r"(?P<label>学号|工号|考号|准考证号|身份证号?|证件号码?|手机号?码?|电话|QQ号?|微信号?)"
    r"(?P<sep>[:：\s]*)(?P<value>[0-9A-Za-z_\-]{5,})", re.IGNORECASE)
#: A Chinese name right after a name label: 姓名 张伟明, 名字：李四.
_NAME = re.compile(r"(?P<label>姓名|名字)(?P<sep>[:：\s]*)(?P<name>[\u4e00-\u9fff·]{2,4})")


def _mask_plain(text: str) -> str:
    n = len(text)
    if n <= 1:
        return MASK * n
    if n <= 3:
        return text[0] + MASK * (n - 1)
    if n <= 10:
        return text[0] + MASK * (n - 2) + text[-1]
    return text[:3] + MASK * (n - 7) + text[-4:]


def mask_value(text: str) -> str:
    """One personal datum, masked: an e-mail address keeps the first character of its
    local part and the domain (``z***@pku.edu.cn``); anything else its first and last
    characters — the first three and last four from eleven characters on
    (``138****5678``); a label before an account or number stays (``QQ 2********1``,
    ``微信 shu****2025``).  Blank text is returned as is."""
    if not text or not text.strip():
        return text
    if _EMAIL.search(text):
        return _EMAIL.sub(_mask_email, text)
    labelled = _LABELLED.fullmatch(text)
    if labelled and not any(ch.isdigit() for ch in labelled.group("label")):  # 微信 shuake_2025, QQ 2837465091: the contact word stays readable
        return labelled.group("label") + _mask_plain(labelled.group("value"))
    return _mask_plain(text)


def _mask_email(m: re.Match[str]) -> str:
    local = m.group("local")
    return (local[0] if local else "") + MASK * 3 + m.group("at") + m.group("domain")


def _mask_name(m: re.Match[str]) -> str:
    name = m.group("name")
    return m.group("label") + m.group("sep") + name[0] + MASK * (len(name) - 1)


class Masker:
    """Masks text against one set of secrets (prepared once: longest first)."""

    __slots__ = ("secrets", "_masked", "_automaton", "_joined")

    def __init__(self, secrets: Iterable[str] = ()):
        self.secrets = tuple(sorted({s for s in secrets if s and len(s.strip()) >= 3},
                                    key=lambda s: (-len(s), s)))
        self._masked = [mask_value(s) for s in self.secrets]
        self._joined = "\0".join(self.secrets)  # "x in joined": x is inside some secret
        self._automaton = None
        if self.secrets:
            import ahocorasick_rs  # thousands of secrets over thousands of texts: one pass each

            self._automaton = ahocorasick_rs.AhoCorasick(
                list(self.secrets), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def text(self, text: str | None) -> str:
        """See :func:`mask_text`."""
        if not text:
            return text or ""
        out = text
        if self._automaton is not None:
            parts, at = [], 0
            for index, start, end in self._automaton.find_matches_as_indexes(text):
                parts.append(text[at:start])
                parts.append(self._masked[index])
                at = end
            if parts:
                parts.append(text[at:])
                out = "".join(parts)
        out = _EMAIL_LOOSE.sub(_mask_email, out)
        out = _LONG_DIGITS.sub(lambda m: _mask_plain(m.group(0)), out)
        out = _LABELLED_NUMBER.sub(
            lambda m: m.group("label") + m.group("sep") + _mask_plain(m.group("value")), out)
        return _NAME.sub(_mask_name, out)

    def match(self, match: str | None, check: str) -> str:
        """See :func:`mask_match`."""
        if not match:
            return match or ""
        if check == PII_CHECK:
            return mask_value(match)
        text = match.strip()
        if len(text) >= 3 and "\0" not in text and text in self._joined:
            return mask_value(match)
        return self.text(match)


def mask_text(text: str | None, secrets: Iterable[str] = ()) -> str:
    """``text`` with every one of ``secrets`` (the personal data a check found) masked,
    and with e-mail addresses, 11–19-digit runs, numbers after 学号/工号/手机 … and names
    after a 姓名 label masked too."""
    return Masker(secrets).text(text)


def pii_secrets(findings: Iterable[dict]) -> set[str]:
    """The matched texts of the ``pii`` findings among ``findings`` (dicts with
    ``check`` and ``match``): what :func:`mask_text` must mask everywhere."""
    return {str(f.get("match") or "").strip() for f in findings
            if f.get("check") == PII_CHECK and str(f.get("match") or "").strip()}


def mask_match(match: str | None, check: str, secrets: Iterable[str] = ()) -> str:
    """A finding's matched text as it may be shown: a ``pii`` match masked whole; another
    check's match masked when it is part of a personal datum (a lexicon hit inside a
    WeChat id), else with the safety net of :func:`mask_text`."""
    return Masker(secrets).match(match, check)
