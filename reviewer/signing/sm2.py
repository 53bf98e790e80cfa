"""The SM2 signature profile: SM2 with SM3 (GB/T 32918), distinguishing ID 1234567812345678.

What is signed is what the standard signs: ``e = SM3(Z ‖ M)`` with ``Z =
SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)`` over the recommended 256-bit curve
(GB/T 32918.5) and the standard's default ID ``1234567812345678``; the signature
is the DER ``SEQUENCE { r INTEGER, s INTEGER }`` that OpenSSL, Tongsuo and GmSSL
all write.  Public keys are the 65-byte uncompressed point ``04 ‖ x ‖ y``;
private keys are PKCS#8 PEM encrypted with the passphrase.

The arithmetic is done by ``tongsuopy`` (Tongsuo, the OpenAtom Foundation's
OpenSSL-derived library: a constant-time Montgomery ladder for the secret
scalars, Fermat inversion modulo the order), imported only when an SM2 key is
used — verifying or signing with Ed25519 never loads it.  This module checks
in plain Python only what is public: that a point lies on the curve and that a
signature is strict DER with ``r`` and ``s`` in ``[1, n-1]``, so that a
malformed signature is named, not an error from inside the library.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reviewer.i18n import CodedError

#: The distinguishing ID of the standard's default (GB/T 35276-2017 §10 / GM/T 0009).
DISTID = b"1234567812345678"

#: The recommended curve (GB/T 32918.5-2017).
P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0

PUBLIC_KEY_BYTES = 65


class SM2Unavailable(CodedError, RuntimeError):
    """``tongsuopy`` is not installed: a dependency wherever it has a wheel (Linux x86-64,
    macOS, Windows), left out elsewhere (see pyproject.toml)."""


@lru_cache(maxsize=1)
def _lib() -> Any:
    """``tongsuopy``'s pieces, imported on first use (start-up time matters)."""
    try:
        from tongsuopy.crypto import exceptions, hashes, serialization
        from tongsuopy.crypto.asymciphers import ec
    except ImportError as exc:
        raise SM2Unavailable(None, "sm2.unavailable") from exc

    class Lib:
        pass

    lib = Lib()
    lib.ec, lib.hashes, lib.serialization, lib.exceptions = ec, hashes, serialization, exceptions
    return lib


# ------------------------------------------------------------------ public checks (plain Python)

def public_key_problem(raw: bytes) -> str | None:
    """Why ``raw`` is not an SM2 public key as this tool writes them (``None``: it is).

    Exactly the 65-byte uncompressed point on the curve, so that one key has one
    encoding and so one key id.
    """
    if len(raw) != PUBLIC_KEY_BYTES or raw[0] != 0x04:
        return (f"an SM2 public key is the 65-byte uncompressed point 04‖x‖y, "
                f"not {len(raw)} bytes" + (f" starting {raw[0]:02x}" if raw else ""))
    x, y = int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:], "big")
    if x >= P or y >= P or (y * y - (x * x * x + A * x + B)) % P:
        return "the SM2 public key is not a point on the SM2 curve"
    return None


def _der_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise ValueError("truncated")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    count = first & 0x7F
    if count == 0 or count > 2 or pos + 1 + count > len(data):
        raise ValueError("bad length")
    value = int.from_bytes(data[pos + 1:pos + 1 + count], "big")
    if value < 0x80 or (count == 2 and value < 0x100):
        raise ValueError("length not in its shortest form")
    return value, pos + 1 + count


def _der_integer(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data) or data[pos] != 0x02:
        raise ValueError("expected an INTEGER")
    length, pos = _der_length(data, pos + 1)
    body = data[pos:pos + length]
    if length == 0 or len(body) != length:
        raise ValueError("truncated INTEGER")
    if body[0] & 0x80:
        raise ValueError("negative INTEGER")
    if length > 1 and body[0] == 0 and not body[1] & 0x80:
        raise ValueError("INTEGER not in its shortest form")
    return int.from_bytes(body, "big"), pos + length


def parse_signature(sig: bytes) -> tuple[int, int]:
    """``(r, s)`` of a strict-DER SM2 signature; ``ValueError`` saying what is wrong."""
    if not sig or sig[0] != 0x30:
        raise ValueError("not DER (an SM2 signature is a DER SEQUENCE of two INTEGERs)")
    try:
        length, pos = _der_length(sig, 1)
        if pos + length != len(sig):
            raise ValueError("the SEQUENCE length does not match the signature's length")
        r, pos = _der_integer(sig, pos)
        s, pos = _der_integer(sig, pos)
    except ValueError as exc:
        raise ValueError(f"not DER: {exc}") from None
    if pos != len(sig):
        raise ValueError("not DER: bytes after the two INTEGERs")
    if not (0 < r < N and 0 < s < N):
        raise ValueError("r or s is outside [1, n-1]")
    return r, s


def encode_signature(r: int, s: int) -> bytes:
    """DER ``SEQUENCE { r, s }`` (for tests and tools that hold raw ``r ‖ s``)."""
    def integer(v: int) -> bytes:
        body = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
        return b"\x02" + bytes([len(body)]) + body

    inner = integer(r) + integer(s)
    return b"\x30" + bytes([len(inner)]) + inner


def signature_problem(sig: bytes) -> str | None:
    try:
        parse_signature(sig)
    except ValueError as exc:
        return str(exc)
    return None


def z_value(public_raw: bytes, distid: bytes = DISTID) -> bytes:
    """``Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA)`` (GB/T 32918.2 §5.5) — for docs and checks;
    signing and verification compute it inside the library."""
    from reviewer.signing.digests import sm3_hex

    def b32(v: int) -> bytes:
        return v.to_bytes(32, "big")

    entl = (len(distid) * 8).to_bytes(2, "big")
    return bytes.fromhex(sm3_hex(entl + distid + b32(A) + b32(B) + b32(GX) + b32(GY)
                                 + public_raw[1:33] + public_raw[33:65]))


# ------------------------------------------------------------------ the library's side

def verify(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    """Does ``signature`` verify over ``message`` (SM3 with Z for :data:`DISTID`)?  Never raises."""
    if public_key_problem(public_raw) or signature_problem(signature):
        return False
    lib = _lib()
    try:
        key = lib.ec.EllipticCurvePublicKey.from_encoded_point(lib.ec.SM2(), public_raw)
        key.verify(signature, message, lib.ec.ECDSA(lib.hashes.SM3()))
    except (lib.exceptions.InvalidSignature, lib.exceptions.InternalError, ValueError, TypeError):
        return False
    return True


def generate() -> Any:
    lib = _lib()
    return lib.ec.generate_private_key(lib.ec.SM2())


def from_scalar(d: int) -> Any:
    """The private key with scalar ``d`` (fixed test keys and golden vectors only)."""
    lib = _lib()
    return lib.ec.derive_private_key(d, lib.ec.SM2())


def is_private_key(private: Any) -> bool:
    lib = _lib()
    return (isinstance(private, lib.ec.EllipticCurvePrivateKey)
            and getattr(private.curve, "name", "") == "SM2")


def public_raw(private: Any) -> bytes:
    lib = _lib()
    return private.public_key().public_bytes(lib.serialization.Encoding.X962,
                                             lib.serialization.PublicFormat.UncompressedPoint)


def private_pem(private: Any, passphrase: bytes | None) -> bytes:
    """PKCS#8 PEM: PBES2 (PBKDF2-HMAC-SHA256, SM4-CBC) with a passphrase, plain without."""
    lib = _lib()
    ser = lib.serialization
    enc = ser.BestAvailableEncryption(passphrase) if passphrase else ser.NoEncryption()
    return private.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, enc)


class WrongPassphrase(ValueError):
    pass


class NotSM2(ValueError):
    pass


def load_private(data: bytes, passphrase: bytes) -> Any:
    """Decrypt a PKCS#8 PEM SM2 key.  :class:`WrongPassphrase`, :class:`NotSM2` or ``ValueError``."""
    lib = _lib()
    try:
        private = lib.serialization.load_pem_private_key(data, password=passphrase)
    except lib.exceptions.UnsupportedAlgorithm as exc:
        raise NotSM2(str(exc)) from exc
    except (ValueError, TypeError, lib.exceptions.InternalError) as exc:
        if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in data:
            raise WrongPassphrase(str(exc)) from exc
        raise ValueError(str(exc)) from exc
    if not is_private_key(private):
        raise NotSM2("not an SM2 key")
    return private


def sign(private: Any, message: bytes) -> bytes:
    """DER signature over ``message`` (SM3 with Z for :data:`DISTID`; randomized)."""
    lib = _lib()
    return private.sign(message, lib.ec.ECDSA(lib.hashes.SM3()))
