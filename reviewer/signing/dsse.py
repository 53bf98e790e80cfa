"""DSSE envelopes: the signing room's wire format.

A recommendation is a `DSSE <https://github.com/secure-systems-lab/dsse>`_
envelope::

    {"payloadType": "application/vnd.in-toto+json",
     "payload": "<base64 of the statement bytes>",
     "signatures": [{"keyid": "ed25519:…", "sig": "<base64>"}, …]}

Each signature covers ``PAE(payloadType, payload)`` — the *raw* payload bytes,
so no JSON canonicalisation is needed to verify.  This module only encodes and
decodes; it knows nothing about keys or trust.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from reviewer.i18n import CodedError

#: The payload type of an in-toto Statement (DSSE spec, in-toto attestation framework).
PAYLOAD_TYPE = "application/vnd.in-toto+json"


class EnvelopeError(ValueError):
    """The envelope can't be decoded; ``code`` is a stable reason code.

    ``detail`` may be given as a :class:`CodedError` (``errors.envelope.*``): then
    ``said`` keeps it, to be said in the user's language, and ``detail`` is its text.
    """

    def __init__(self, code: str, detail: str | CodedError = ""):
        self.said = detail if isinstance(detail, CodedError) else None
        detail = str(detail)
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _said(code: str, **params: Any) -> CodedError:
    return CodedError(None, f"envelope.{code}", **params)


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 Pre-Authentication Encoding.

    ``"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`` where ``LEN`` is the
    decimal byte length (ASCII, no leading zeros) and ``type`` is UTF-8.
    """
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(type_bytes), type_bytes, len(payload), payload)


def b64encode(data: bytes) -> str:
    """Standard base64 with padding (what DSSE producers emit)."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: Any) -> bytes:
    """Strict base64: standard or URL-safe alphabet, padding optional, nothing else.

    DSSE says verifiers must accept both alphabets.  Non-canonical encodings
    (unused bits set in the last character) are refused.  Anything that is not a
    string or holds characters outside the alphabet raises ``ValueError``.
    """
    if not isinstance(text, str):
        raise ValueError("not a string")
    s = text.strip()
    if any(c.isspace() for c in s):
        raise ValueError("whitespace inside base64")
    if "-" in s or "_" in s:
        if "+" in s or "/" in s:
            raise ValueError("mixed base64 alphabets")
        s = s.replace("-", "+").replace("_", "/")
    s += "=" * (-len(s) % 4)
    try:
        raw = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(str(exc)) from exc
    # Reject non-canonical encodings ("QR==" also decodes to b"A"): one byte
    # string, one text, so a changed character can never leave the bytes as they were.
    if base64.b64encode(raw).decode("ascii") != s:
        raise ValueError("non-canonical base64 (stray bits or padding)")
    return raw


@dataclass(slots=True)
class Signature:
    """One ``{keyid, sig}`` entry.  ``sig`` is kept as text until verification."""

    keyid: str
    sig: str

    def to_dict(self) -> dict[str, str]:
        return {"keyid": self.keyid, "sig": self.sig}


@dataclass(slots=True)
class Envelope:
    """A decoded DSSE envelope.  ``payload`` holds the raw bytes that were signed."""

    payload_type: str
    payload: bytes
    signatures: list[Signature] = field(default_factory=list)

    def pae(self) -> bytes:
        return pae(self.payload_type, self.payload)

    def to_dict(self) -> dict[str, Any]:
        return {
            "payloadType": self.payload_type,
            "payload": b64encode(self.payload),
            "signatures": [s.to_dict() for s in self.signatures],
        }

    def to_json(self) -> str:
        """The file form: indented JSON, UTF-8, trailing newline."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def envelope_from_dict(data: Any) -> Envelope:
    """Decode an envelope, raising :class:`EnvelopeError` with a reason code.

    Codes: ``envelope.malformed`` (not an object / a field missing or of the
    wrong type), ``envelope.bad_base64`` (payload not base64).  The signatures'
    base64 is *not* checked here: each bad signature is its own reason at
    verification.  The input is never modified.
    """
    if not isinstance(data, dict):
        raise EnvelopeError("envelope.malformed", _said("not-object"))
    ptype = data.get("payloadType")
    payload = data.get("payload")
    sigs = data.get("signatures")
    if not isinstance(ptype, str):
        raise EnvelopeError("envelope.malformed", _said("no-string", field="payloadType"))
    if not isinstance(payload, str):
        raise EnvelopeError("envelope.malformed", _said("no-string", field="payload"))
    if not isinstance(sigs, list):
        raise EnvelopeError("envelope.malformed", _said("no-list", field="signatures"))
    try:
        raw = b64decode(payload)
    except ValueError as exc:
        raise EnvelopeError("envelope.bad_base64", _said("payload-base64", reason=str(exc))) from exc
    signatures = []
    for i, item in enumerate(sigs):
        if not isinstance(item, dict) or not isinstance(item.get("sig"), str):
            raise EnvelopeError("envelope.malformed", _said("no-sig", index=i))
        keyid = item.get("keyid", "")
        if not isinstance(keyid, str):
            raise EnvelopeError("envelope.malformed", _said("keyid-not-string", index=i))
        signatures.append(Signature(keyid=keyid, sig=item["sig"]))
    return Envelope(payload_type=ptype, payload=raw, signatures=signatures)


def envelope_from_json(text: str | bytes) -> Envelope:
    """Parse envelope JSON; invalid JSON is ``envelope.malformed``."""
    return envelope_from_dict(load_json(text))


def load_json(text: str | bytes) -> Any:
    """``json.loads`` that fails only with :class:`EnvelopeError` ``envelope.malformed``.

    Hostile input included: bytes that are not Unicode, and nesting deep
    enough to exhaust the parser's recursion (``RecursionError``).
    """
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise EnvelopeError("envelope.malformed", _said("not-json", reason=exc)) from exc
