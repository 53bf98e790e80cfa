"""Signing keys: Ed25519 key pairs, key ids, key files (signing room).

Files made by ``reviewer keys new``:

``NAME.key``
    The private key, PKCS#8 PEM encrypted with the owner's passphrase
    (``BestAvailableEncryption``), created with mode 0600 and written
    atomically (:func:`reviewer.files.write_atomic`; never overwritten).
``NAME.pub``
    JSON: ``{"type": "reviewer-public-key/v1", "keyid", "algorithm",
    "public_key" (base64 of the raw 32-byte key), "name", "institution",
    "role", "created"}``.

Key id: ``"ed25519:" + sha256(raw public key bytes).hex()[:32]``.  Signature
algorithms are looked up by name in :data:`ALGORITHMS`; a verifier takes the
name from its trust store, never from a recommendation, so an ``sm2`` profile
can be added here later without changing the file format.
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

from reviewer.signing.dsse import b64decode, b64encode
from reviewer.files import write_atomic

ROLES = ("reviewer", "committee")
PUB_TYPE = "reviewer-public-key/v1"


class KeyFileError(ValueError):
    """A key file can't be used (wrong passphrase, malformed, mismatched pair)."""


class Algorithm(Protocol):
    """A signature profile: how to verify with raw public key bytes."""

    name: str

    def key_id(self, public_raw: bytes) -> str: ...

    def verify(self, public_raw: bytes, signature: bytes, message: bytes) -> bool: ...


class Ed25519Profile:
    """Ed25519 (RFC 8032), public keys as the raw 32 bytes."""

    name = "ed25519"

    def key_id(self, public_raw: bytes) -> str:
        return key_id(public_raw, self.name)

    def verify(self, public_raw: bytes, signature: bytes, message: bytes) -> bool:
        if len(public_raw) != 32 or len(signature) != 64:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
        except (InvalidSignature, ValueError, UnsupportedAlgorithm):
            return False
        return True


#: Signature profiles by the name a trust store uses.
ALGORITHMS: dict[str, Algorithm] = {"ed25519": Ed25519Profile()}


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
            raise KeyFileError(f"{source}: not a JSON object")
        missing = [k for k in ("keyid", "algorithm", "public_key", "name", "institution", "role")
                   if not isinstance(data.get(k), str) or not data.get(k)]
        if missing:
            raise KeyFileError(f"{source}: missing or empty field(s): {', '.join(missing)}")
        if data["algorithm"] not in ALGORITHMS:
            raise KeyFileError(f"{source}: unknown algorithm {data['algorithm']!r}")
        if data["role"] not in ROLES:
            raise KeyFileError(f"{source}: role must be one of {', '.join(ROLES)}")
        try:
            raw = b64decode(data["public_key"])
        except ValueError as exc:
            raise KeyFileError(f"{source}: public_key is not base64 ({exc})") from exc
        if data["algorithm"] == "ed25519" and len(raw) != 32:
            raise KeyFileError(f"{source}: an Ed25519 public key has 32 bytes, not {len(raw)}")
        expected = ALGORITHMS[data["algorithm"]].key_id(raw)
        if data["keyid"] != expected:
            raise KeyFileError(f"{source}: keyid {data['keyid']} does not match the key ({expected})")
        return cls(keyid=data["keyid"], algorithm=data["algorithm"], public_key=raw,
                   name=data["name"], institution=data["institution"], role=data["role"],
                   created=str(data.get("created") or ""))


def load_public(path: str | Path) -> PublicKeyInfo:
    """Read a ``.pub`` file (JSON); raises :class:`KeyFileError` with the reason."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise KeyFileError(f"{path}: not JSON ({exc})") from exc
    return PublicKeyInfo.from_dict(data, str(path))


def new_key_pair(out_dir: str | Path, *, name: str, institution: str, role: str,
                 passphrase: str, created: datetime | None = None) -> tuple[Path, Path, PublicKeyInfo]:
    """Make ``out_dir/NAME.key`` (encrypted, 0600) and ``out_dir/NAME.pub``.

    Raises ``ValueError`` for a bad name/role/empty passphrase and
    ``FileExistsError`` when either file exists.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError("the key name must be a plain file name")
    if not institution.strip():
        raise ValueError("the institution must not be empty")
    if not passphrase:
        raise ValueError("the passphrase must not be empty")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    key_path, pub_path = out / f"{name}.key", out / f"{name}.pub"
    for p in (key_path, pub_path):
        if p.exists():
            raise FileExistsError(f"{p} already exists (not overwritten)")
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    info = PublicKeyInfo(keyid=key_id(raw), algorithm="ed25519", public_key=raw, name=name,
                         institution=institution.strip(), role=role,
                         created=(created or now_utc()).isoformat())
    write_atomic(key_path, pem, mode=0o600, overwrite=False)
    write_atomic(pub_path, (json.dumps(info.to_dict(), indent=2, ensure_ascii=False) + "\n")
                 .encode("utf-8"), mode=0o644, overwrite=False)
    return key_path, pub_path, info


@dataclass(slots=True)
class Signer:
    """A loaded private key with the identity of its ``.pub`` file."""

    private: Ed25519PrivateKey
    info: PublicKeyInfo

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def load_signer(key_path: str | Path, passphrase: str, pub_path: str | Path | None = None) -> Signer:
    """Decrypt ``NAME.key`` and pair it with ``NAME.pub`` (beside it by default).

    Raises :class:`KeyFileError` for a wrong passphrase, an unreadable file, a
    key that is not Ed25519, or a ``.pub`` that belongs to another key.
    """
    key_path = Path(key_path)
    pub_path = Path(pub_path) if pub_path else key_path.with_suffix(".pub")
    try:
        data = key_path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read {key_path}: {exc}") from exc
    try:
        private = serialization.load_pem_private_key(data, password=passphrase.encode("utf-8"))
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        msg = str(exc)
        # A wrong passphrase usually fails the decryption's padding check, but about one
        # time in 256 the padding happens to look right and the garbage then fails to
        # parse as a key: for an encrypted key file both mean the passphrase is wrong.
        encrypted = b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data
        if encrypted or "password" in msg.lower() or "decrypt" in msg.lower():
            raise KeyFileError(f"{key_path}: wrong passphrase (or a damaged key file)") from exc
        raise KeyFileError(f"{key_path}: not a usable private key ({msg})") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyFileError(f"{key_path}: not an Ed25519 key")
    info = load_public(pub_path)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    if raw != info.public_key:
        raise KeyFileError(f"{pub_path} does not belong to {key_path}")
    return Signer(private=private, info=info)
