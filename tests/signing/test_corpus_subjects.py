"""On real course material: the signed subjects are exactly ingest's files, digests agree."""

from __future__ import annotations

import shutil

import pytest

from reviewer.ingest.digest import package_digest
from reviewer.ingest.package import load_package
from reviewer.signing.digests import digest_files, sm3_hex

pytestmark = pytest.mark.corpus


@pytest.mark.parametrize("course", ["zh-pku-oss-development", "en-usc-csce585-ml-systems"])
def test_subjects_match_ingest_on_real_courses(corpus_dir, course, tmp_path):
    src = corpus_dir / course
    if not src.is_dir():
        pytest.skip(f"{course} is not in the corpus")
    package = load_package(src)
    digests = digest_files(src)
    assert sorted(digests) == sorted(f.path for f in package.files)
    for f in package.files:
        if f.sha256:
            assert digests[f.path].sha256 == f.sha256 and digests[f.path].size == f.size
    assert package_digest([(p, d.sha256) for p, d in digests.items()]) == package.digest
    one = next(iter(digests.values()))
    assert sm3_hex((src / one.path).read_bytes()) == one.sm3
    # The same course zipped (one top folder) has the same subjects.
    archive = shutil.make_archive(str(tmp_path / course), "zip", corpus_dir, course)
    assert digest_files(archive) == digests
