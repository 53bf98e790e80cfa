"""A plain-Python SM2 reference (GB/T 32918.2 §6–7), for the tests only.

Written from the standard's text, independently of the library the tool
uses, to cross-check it: the Z value, the digest ``e = SM3(Z ‖ M)``, signing
with a *given* ``k`` (to reproduce the standard's example) and verification.
Affine arithmetic with Python integers: slow and not constant-time — never for
real keys.  SM3 comes from ``cryptography`` (OpenSSL), not from Tongsuo.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


@dataclass(frozen=True)
class Curve:
    p: int
    a: int
    b: int
    gx: int
    gy: int
    n: int


#: The recommended curve (GB/T 32918.5-2017).
SM2P256 = Curve(
    p=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
    a=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
    b=0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
    gx=0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    gy=0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
    n=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
)

Point = tuple[int, int] | None  # None: the point at infinity


def add(c: Curve, P: Point, Q: Point) -> Point:
    if P is None:
        return Q
    if Q is None:
        return P
    (x1, y1), (x2, y2) = P, Q
    if x1 == x2 and (y1 + y2) % c.p == 0:
        return None
    if P == Q:
        lam = (3 * x1 * x1 + c.a) * pow(2 * y1, -1, c.p) % c.p
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, c.p) % c.p
    x3 = (lam * lam - x1 - x2) % c.p
    return x3, (lam * (x1 - x3) - y1) % c.p


def mul(c: Curve, k: int, P: Point) -> Point:
    R: Point = None
    while k:
        if k & 1:
            R = add(c, R, P)
        P = add(c, P, P)
        k >>= 1
    return R


def on_curve(c: Curve, P: Point) -> bool:
    return P is not None and (P[1] ** 2 - P[0] ** 3 - c.a * P[0] - c.b) % c.p == 0


def public_key(c: Curve, d: int) -> tuple[int, int]:
    P = mul(c, d, (c.gx, c.gy))
    assert P is not None
    return P


def z_value(c: Curve, distid: bytes, P: tuple[int, int]) -> bytes:
    """Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), ENTL the ID's length in bits (2 bytes)."""
    size = (c.p.bit_length() + 7) // 8
    parts = [(len(distid) * 8).to_bytes(2, "big"), distid]
    parts += [v.to_bytes(size, "big") for v in (c.a, c.b, c.gx, c.gy, P[0], P[1])]
    return sm3(b"".join(parts))


def digest(c: Curve, distid: bytes, P: tuple[int, int], message: bytes) -> int:
    return int.from_bytes(sm3(z_value(c, distid, P) + message), "big")


def sign_with_k(c: Curve, d: int, distid: bytes, message: bytes, k: int) -> tuple[int, int]:
    """GB/T 32918.2 §6.1 with the random ``k`` given (for the standard's example)."""
    P = public_key(c, d)
    e = digest(c, distid, P, message)
    x1, _ = mul(c, k, (c.gx, c.gy))
    r = (e + x1) % c.n
    assert r and r + k != c.n
    s = pow(1 + d, -1, c.n) * (k - r * d) % c.n
    assert s
    return r, s


def verify(c: Curve, P: tuple[int, int], distid: bytes, message: bytes, r: int, s: int) -> bool:
    """GB/T 32918.2 §7.1."""
    if not (0 < r < c.n and 0 < s < c.n) or not on_curve(c, P):
        return False
    e = digest(c, distid, P, message)
    t = (r + s) % c.n
    if t == 0:
        return False
    X = add(c, mul(c, s, (c.gx, c.gy)), mul(c, t, P))
    return X is not None and (e + X[0]) % c.n == r


def parse_point(raw: bytes) -> tuple[int, int]:
    assert len(raw) == 65 and raw[0] == 4
    return int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:], "big")


def parse_der(sig: bytes) -> tuple[int, int]:
    """DER SEQUENCE { r INTEGER, s INTEGER } (short lengths only: SM2 signatures are ≤ 72 bytes)."""
    assert sig[0] == 0x30 and sig[1] == len(sig) - 2
    pos, out = 2, []
    for _ in range(2):
        assert sig[pos] == 0x02
        n = sig[pos + 1]
        out.append(int.from_bytes(sig[pos + 2:pos + 2 + n], "big"))
        pos += 2 + n
    assert pos == len(sig)
    return out[0], out[1]
