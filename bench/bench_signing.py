"""Timings of the signing room: hashing (SHA-256 + SM3), signing, verifying.

    .venv/bin/python bench/bench_signing.py [FILES] [MB]

Builds a synthetic package of FILES files (default 500) totalling MB megabytes
(default 100) in a temporary folder, then prints how long each step takes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from reviewer.ingest.digest import package_digest
from reviewer.signing.digests import digest_files
from reviewer.signing.dsse import b64encode
from reviewer.signing.keys import load_signer, new_key_pair
from reviewer.signing.sign import countersign, sign_statement
from reviewer.signing.statement import RecommendationInput, build_statement
from reviewer.signing.trust import TrustStore
from reviewer.signing.verify import verify_envelope


def main() -> None:
    n_files = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    mb = float(sys.argv[2]) if len(sys.argv) > 2 else 100
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pkg"
        size = int(mb * 2**20 / n_files)
        for i in range(n_files):
            p = root / f"week{i % 16:02d}" / f"第{i}讲.bin"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(os.urandom(size))
        keys = {}
        for name, role in (("r", "reviewer"), ("c", "committee")):
            kp, _, info = new_key_pair(tmp, name=name, institution="U", role=role, passphrase="p")
            keys[name] = (load_signer(kp, "p"), info)

        t = time.perf_counter()
        digests = digest_files(root)
        t_hash = time.perf_counter() - t

        r, rinfo = keys["r"]
        inp = RecommendationInput(
            files=list(digests.values()),
            package_digest=package_digest([(d.path, d.sha256) for d in digests.values()]),
            course={"id": "x", "title": "x", "institution": "U"}, decision={"value": "recommend"},
            checklist={"answers": []}, findings=[], tooling={"tool": "reviewer", "version": "0"},
            reviewer={"name": "r", "institution": "U", "keyid": rinfo.keyid, "role": "reviewer",
                      "public_key": b64encode(rinfo.public_key)})
        t = time.perf_counter()
        env = sign_statement(build_statement(inp), r)
        env, _ = countersign(env, keys["c"][0])
        t_sign = time.perf_counter() - t

        store = TrustStore()
        store.add(rinfo, "reviewer")
        store.add(keys["c"][1], "committee")
        data = json.loads(env.to_json())
        at = datetime.now(timezone.utc) + timedelta(minutes=1)
        t = time.perf_counter()
        ok = verify_envelope(data, store, at=at).ok
        t_verify = time.perf_counter() - t
        t = time.perf_counter()
        ok_pkg = verify_envelope(data, store, at=at, disk_files=digest_files(root)).ok
        t_verify_pkg = time.perf_counter() - t

    print(f"package: {n_files} files, {mb:.0f} MB; recommendation {len(env.to_json()) / 1024:.0f} KB")
    print(f"hash sha256+sm3: {t_hash:.2f} s ({mb / t_hash:.0f} MB/s)")
    print(f"build+sign+countersign: {t_sign * 1000:.1f} ms")
    print(f"verify (no package): {t_verify * 1000:.1f} ms  valid={ok}")
    print(f"verify --package: {t_verify_pkg:.2f} s  valid={ok_pkg}")


if __name__ == "__main__":
    main()
