"""Signing keys: key pairs, key ids, key files (signing room).

Two signature profiles (:data:`ALGORITHMS`): ``ed25519`` (RFC 8032, the
default) and ``sm2`` (SM2 with SM3, GB/T 32918, ID ``1234567812345678``;
:mod:`reviewer.signing.sm2`, whose library is imported only when an SM2 key
is used).

Files made by ``reviewer keys new``:

``NAME.key``
    The private key, PKCS#8 PEM encrypted with the owner's passphrase
    (PBES2 with PBKDF2-HMAC-SHA256; AES-256-CBC for Ed25519, SM4-CBC for
    SM2), created with mode 0600 and written atomically
    (:func:`reviewer.files.write_atomic`; never overwritten).
``NAME.pub``
    JSON: ``{"type": "reviewer-public-key/v1", "keyid", "algorithm",
    "public_key" (base64 of the raw public key: 32 bytes for Ed25519, the
    65-byte uncompressed point for SM2), "name", "institution", "role",
    "created"}``.

Key id: ``"<algorithm>:" + sha256(raw public key bytes).hex()[:32]``.  A
verifier takes the algorithm from its trust store, never from a
recommendation; the key id's prefix only names it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from reviewer.i18n import CodedError
from reviewer.signing import sm2
from reviewer.signing.dsse import b64decode, b64encode
from reviewer.files import write_atomic

ROLES = ("reviewer", "committee")
PUB_TYPE = "reviewer-public-key/v1"


class KeyFileError(CodedError, ValueError):
    """A key file can't be used (wrong passphrase, malformed, mismatched pair), or a
    key pair can't be made (bad name, role …); ``code`` names the catalog entry."""


class KeyExists(CodedError, FileExistsError):
    """``keys new`` would overwrite a key file."""


class AlgorithmUnavailable(RuntimeError):
    """This installation lacks the library of a signature profile (SM2 on a platform
    ``tongsuopy`` has no wheel for)."""


class Algorithm(Protocol):
    """A signature profile: raw public keys, key ids, verification and the private side."""

    name: str

    def key_id(self, public_raw: bytes) -> str: ...

    def public_key_problem(self, public_raw: bytes) -> str | None:
        """Why these bytes are not a public key of this profile (``None``: they are)."""

    def signature_problem(self, signature: bytes) -> str | None:
        """Why these bytes are not even shaped like a signature of this profile."""

    def verify(self, public_raw: bytes, signature: bytes, message: bytes) -> bool:
        """A malformed key or signature is ``False``, never an error; only a missing
        library raises (:class:`AlgorithmUnavailable`)."""

    def generate(self) -> Any: ...

    def public_raw(self, private: Any) -> bytes: ...

    def private_pem(self, private: Any, passphrase: bytes) -> bytes: ...

    def load_private(self, data: bytes, passphrase: bytes, source: Path) -> Any:
        """Decrypt a key file; :class:`KeyFileError` with the reason."""

    def sign(self, private: Any, message: bytes) -> bytes: ...


class Ed25519Profile:
    """Ed25519 (RFC 8032), public keys as the raw 32 bytes."""

    name = "ed25519"

    def key_id(self, public_raw: bytes) -> str:
        return key_id(public_raw, self.name)

    def public_key_problem(self, public_raw: bytes) -> str | None:
        if len(public_raw) != 32:
            return f"an Ed25519 public key has 32 bytes, not {len(public_raw)}"
        return None

    def signature_problem(self, signature: bytes) -> str | None:
        if len(signature) != 64:
            return f"an Ed25519 signature has 64 bytes, not {len(signature)}"
        return None

    def verify(self, public_raw: bytes, signature: bytes, message: bytes) -> bool:
        if len(public_raw) != 32 or len(signature) != 64:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
        except (InvalidSignature, ValueError, UnsupportedAlgorithm):
            return False
        return True

    def generate(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.generate()

    def public_raw(self, private: Ed25519PrivateKey) -> bytes:
        return private.public_key().public_bytes(serialization.Encoding.Raw,
                                                 serialization.PublicFormat.Raw)

    def private_pem(self, private: Ed25519PrivateKey, passphrase: bytes) -> bytes:
        return private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase))

    def load_private(self, data: bytes, passphrase: bytes, source: Path) -> Ed25519PrivateKey:
        try:
            private = serialization.load_pem_private_key(data, password=passphrase)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            msg = str(exc)
            if _SM4_CBC_OID in _pem_body(data):
                # Our SM2 key files are encrypted with SM4, which this library can't read.
                raise KeyFileError(None, "key.sm4-for-ed25519", source=str(source)) from exc
            # A wrong passphrase usually fails the decryption's padding check, but about one
            # time in 256 the padding happens to look right and the garbage then fails to
            # parse as a key: for an encrypted key file both mean the passphrase is wrong.
            encrypted = b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data
            if encrypted or "password" in msg.lower() or "decrypt" in msg.lower():
                raise KeyFileError(None, "key.wrong-passphrase", source=str(source)) from exc
            raise KeyFileError(None, "key.unusable", source=str(source), reason=msg) from exc
        if not isinstance(private, Ed25519PrivateKey):
            raise KeyFileError(None, "key.not-ed25519", source=str(source))
        return private

    def sign(self, private: Ed25519PrivateKey, message: bytes) -> bytes:
        return private.sign(message)


class SM2Profile:
    """SM2 with SM3 (GB/T 32918, ID 1234567812345678); public keys as the 65-byte
    uncompressed point.  The library is imported on first use (:mod:`reviewer.signing.sm2`)."""

    name = "sm2"

    def key_id(self, public_raw: bytes) -> str:
        return key_id(public_raw, self.name)

    def public_key_problem(self, public_raw: bytes) -> str | None:
        return sm2.public_key_problem(public_raw)

    def signature_problem(self, signature: bytes) -> str | None:
        return sm2.signature_problem(signature)

    def verify(self, public_raw: bytes, signature: bytes, message: bytes) -> bool:
        """``False`` for a bad signature; :class:`AlgorithmUnavailable` without the library."""
        try:
            return sm2.verify(public_raw, signature, message)
        except sm2.SM2Unavailable as exc:
            raise AlgorithmUnavailable(str(exc)) from exc

    def generate(self) -> Any:
        try:
            return sm2.generate()
        except sm2.SM2Unavailable as exc:
            raise KeyFileError.of(exc) from exc

    def public_raw(self, private: Any) -> bytes:
        return sm2.public_raw(private)

    def private_pem(self, private: Any, passphrase: bytes) -> bytes:
        return sm2.private_pem(private, passphrase)

    def load_private(self, data: bytes, passphrase: bytes, source: Path) -> Any:
        try:
            return sm2.load_private(data, passphrase)
        except sm2.SM2Unavailable as exc:
            raise KeyFileError(None, "key.algorithm-unavailable", source=str(source),
                               reason=exc) from exc
        except sm2.WrongPassphrase as exc:
            raise KeyFileError(None, "key.wrong-passphrase", source=str(source)) from exc
        except sm2.NotSM2 as exc:
            raise KeyFileError(None, "key.not-sm2", source=str(source)) from exc
        except ValueError as exc:
            raise KeyFileError(None, "key.unusable", source=str(source), reason=str(exc)) from exc

    def sign(self, private: Any, message: bytes) -> bytes:
        return sm2.sign(private, message)


#: Signature profiles by the name a trust store uses.
ALGORITHMS: dict[str, Algorithm] = {"ed25519": Ed25519Profile(), "sm2": SM2Profile()}
DEFAULT_ALGORITHM = "ed25519"

#: DER of the SM4-CBC OID (1.2.156.10197.1.104.2), the cipher of an encrypted SM2 key file.
_SM4_CBC_OID = bytes.fromhex("06082a811ccf55016802")


def _pem_body(data: bytes) -> bytes:
    import base64
    import binascii

    lines = [ln for ln in data.splitlines() if ln and not ln.startswith(b"-----")]
    try:
        return base64.b64decode(b"".join(lines))
    except (binascii.Error, ValueError):
        return b""


def algorithm_of(keyid: str) -> str:
    """The algorithm a key id's prefix names (``""`` when there is no prefix)."""
    return keyid.split(":", 1)[0] if ":" in keyid else ""


def key_id(public_raw: bytes, algorithm: str = "ed25519") -> str:
    """``"<algorithm>:" + first 32 hex digits of sha256(raw public key)``."""
    return f"{algorithm}:{hashlib.sha256(public_raw).hexdigest()[:32]}"


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(slots=True)
class PublicKeyInfo:
    """The contents of a ``.pub`` file."""

    keyid: str
    algorithm: str
    public_key: bytes  # raw
    name: str
    institution: str
    role: str
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": PUB_TYPE, "keyid": self.keyid, "algorithm": self.algorithm,
            "public_key": b64encode(self.public_key), "name": self.name,
            "institution": self.institution, "role": self.role, "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: Any, source: str = "public key") -> "PublicKeyInfo":
        """Parse and check a ``.pub`` document (the key id must match the key)."""
        if not isinstance(data, dict):
            raise KeyFileError(None, "pub.not-object", source=source)
        missing = [k for k in ("keyid", "algorithm", "public_key", "name", "institution", "role")
                   if not isinstance(data.get(k), str) or not data.get(k)]
        if missing:
            raise KeyFileError(None, "pub.missing-fields", source=source, fields=", ".join(missing))
        if data["algorithm"] not in ALGORITHMS:
            raise KeyFileError(None, "pub.unknown-algorithm", source=source,
                               algorithm=repr(data["algorithm"]))
        if data["role"] not in ROLES:
            raise KeyFileError(None, "pub.bad-role", source=source, roles=", ".join(ROLES))
        try:
            raw = b64decode(data["public_key"])
        except ValueError as exc:
            raise KeyFileError(None, "pub.not-base64", source=source, reason=str(exc)) from exc
        problem = ALGORITHMS[data["algorithm"]].public_key_problem(raw)
        if problem:
            raise KeyFileError(None, "pub.bad-key", source=source, reason=problem)
        expected = ALGORITHMS[data["algorithm"]].key_id(raw)
        if data["keyid"] != expected:
            raise KeyFileError(None, "pub.keyid-mismatch", source=source, keyid=data["keyid"],
                               expected=expected)
        return cls(keyid=data["keyid"], algorithm=data["algorithm"], public_key=raw,
                   name=data["name"], institution=data["institution"], role=data["role"],
                   created=str(data.get("created") or ""))


def load_public(path: str | Path) -> PublicKeyInfo:
    """Read a ``.pub`` file (JSON); raises :class:`KeyFileError` with the reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(None, "file.unreadable", path=str(path), reason=exc) from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise KeyFileError(None, "pub.not-json", source=str(path), reason=exc) from exc
    return PublicKeyInfo.from_dict(data, str(path))


def new_key_pair(out_dir: str | Path, *, name: str, institution: str, role: str,
                 passphrase: str, created: datetime | None = None,
                 algorithm: str = DEFAULT_ALGORITHM) -> tuple[Path, Path, PublicKeyInfo]:
    """Make ``out_dir/NAME.key`` (encrypted, 0600) and ``out_dir/NAME.pub``.

    Raises :class:`KeyFileError` (a ``ValueError``) for a bad name/role/algorithm/empty
    passphrase and :class:`KeyExists` (a ``FileExistsError``) when either file exists.
    """
    if algorithm not in ALGORITHMS:
        raise KeyFileError(None, "keys.bad-algorithm", known=", ".join(ALGORITHMS))
    if role not in ROLES:
        raise KeyFileError(None, "role-choices", roles=", ".join(ROLES))
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise KeyFileError(None, "keys.bad-name")
    if not institution.strip():
        raise KeyFileError(None, "keys.no-institution")
    if not passphrase:
        raise KeyFileError(None, "passphrase-empty")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    key_path, pub_path = out / f"{name}.key", out / f"{name}.pub"
    for p in (key_path, pub_path):
        if p.exists():
            raise KeyExists(None, "file.exists", path=str(p))
    profile = ALGORITHMS[algorithm]
    private = profile.generate()
    raw = profile.public_raw(private)
    pem = profile.private_pem(private, passphrase.encode("utf-8"))
    info = PublicKeyInfo(keyid=profile.key_id(raw), algorithm=algorithm, public_key=raw, name=name,
                         institution=institution.strip(), role=role,
                         created=(created or now_utc()).isoformat())
    write_atomic(key_path, pem, mode=0o600, overwrite=False)
    write_atomic(pub_path, (json.dumps(info.to_dict(), indent=2, ensure_ascii=False) + "\n")
                 .encode("utf-8"), mode=0o644, overwrite=False)
    return key_path, pub_path, info


@dataclass(slots=True)
class Signer:
    """A loaded private key with the identity of its ``.pub`` file.

    ``private`` is the library's key object of the profile ``info.algorithm`` names.
    """

    private: Any
    info: PublicKeyInfo

    def sign(self, message: bytes) -> bytes:
        return ALGORITHMS[self.info.algorithm].sign(self.private, message)


def load_signer(key_path: str | Path, passphrase: str, pub_path: str | Path | None = None) -> Signer:
    """Decrypt ``NAME.key`` and pair it with ``NAME.pub`` (beside it by default).

    The ``.pub`` names the algorithm (Ed25519 when it can't be read: then its
    error comes once the key itself has been read).  Raises
    :class:`KeyFileError` for a wrong passphrase, an unreadable file, a key of
    another algorithm, or a ``.pub`` that belongs to another key.
    """
    key_path = Path(key_path)
    pub_path = Path(pub_path) if pub_path else key_path.with_suffix(".pub")
    try:
        data = key_path.read_bytes()
    except OSError as exc:
        raise KeyFileError(None, "file.unreadable", path=str(key_path), reason=exc) from exc
    info: PublicKeyInfo | None = None
    pub_error: KeyFileError | None = None
    try:
        info = load_public(pub_path)
    except KeyFileError as exc:
        pub_error = exc
    profile = ALGORITHMS[info.algorithm if info else DEFAULT_ALGORITHM]
    private = profile.load_private(data, passphrase.encode("utf-8"), key_path)
    if info is None:
        assert pub_error is not None
        raise pub_error
    if profile.public_raw(private) != info.public_key:
        raise KeyFileError(None, "key.pair-mismatch", pub=str(pub_path), key=str(key_path))
    return Signer(private=private, info=info)
