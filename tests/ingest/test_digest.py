"""Package digest: definition, test vector (docs/digest.md), stability, NFC paths."""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile

from reviewer.ingest.digest import digest_lines, file_sha256, normalize_relpath, package_digest
from reviewer.ingest.package import load_package

# The test vector published in docs/digest.md.
VECTOR_FILES = {
    "course.yaml": "id: demo\ntitle: 示例课程\n".encode(),
    "notes a.txt": b"hello\n",
    "slides/第1讲.pdf": b"%PDF-1.4 demo\n",
    "transcripts/week01.srt": "1\n00:00:01,000 --> 00:00:02,000\n你好\n".encode(),
}
VECTOR_DIGEST = "sha256:27907112bfb993074bc97c783f0053eda644e714f18b263f996b1972d55d7c34"


def _write(root, files):
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_file_sha256_is_plain_sha256():
    assert file_sha256(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_documented_test_vector(tmp_path):
    entries = [(p, file_sha256(d)) for p, d in VECTOR_FILES.items()]
    assert package_digest(entries) == VECTOR_DIGEST
    _write(tmp_path / "pkg", VECTOR_FILES)
    assert load_package(tmp_path / "pkg").digest == VECTOR_DIGEST


def test_definition_matches_sha256sum_lines():
    entries = [("b/x.txt", "ab" * 32), ("a.txt", "cd" * 32)]
    lines = digest_lines(entries)
    assert lines == [f"{'cd' * 32}  a.txt\n", f"{'ab' * 32}  b/x.txt\n"]
    expected = hashlib.sha256("".join(lines).encode()).hexdigest()
    assert package_digest(entries) == "sha256:" + expected


def test_order_independent_and_sorted_by_utf8_bytes():
    a = [("Z.txt", "1" * 64), ("a.txt", "2" * 64), ("中.txt", "3" * 64), ("é.txt", "4" * 64)]
    assert package_digest(a) == package_digest(list(reversed(a)))
    # byte order: uppercase before lowercase, Latin-1 before CJK
    assert [line.split("  ", 1)[1] for line in digest_lines(a)] == ["Z.txt\n", "a.txt\n", "é.txt\n", "中.txt\n"]


def test_any_change_changes_digest():
    base = [("a.txt", "1" * 64), ("b.txt", "2" * 64)]
    assert package_digest(base) != package_digest([("a.txt", "1" * 64), ("b.txt", "3" * 64)])
    assert package_digest(base) != package_digest([("a.txt", "1" * 64), ("c.txt", "2" * 64)])
    assert package_digest(base) != package_digest(base[:1])


def test_nfc_normalisation_of_paths():
    nfd = unicodedata.normalize("NFD", "café/résumé.txt")
    assert nfd != "café/résumé.txt"
    assert normalize_relpath(nfd) == "café/résumé.txt"
    assert normalize_relpath("a\\b\\c.txt") == "a/b/c.txt"
    assert package_digest([(nfd, "0" * 64)]) == package_digest([("café/résumé.txt", "0" * 64)])


def test_nfd_file_names_on_disk_get_nfc_paths(tmp_path):
    root = tmp_path / "pkg"
    root.mkdir()
    nfd_name = unicodedata.normalize("NFD", "résumé.md")
    (root / nfd_name).write_text("# Résumé\n", encoding="utf-8")
    package = load_package(root)
    assert [f.path for f in package.files] == ["résumé.md"]
    assert package.digest == package_digest([("résumé.md", file_sha256("# Résumé\n".encode()))])


def test_folder_and_its_zip_have_the_same_digest(tmp_path):
    _write(tmp_path / "course", VECTOR_FILES)
    zpath = tmp_path / "course.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for rel, data in VECTOR_FILES.items():
            zf.writestr("course/" + rel, data)  # zipped with its top folder
    assert load_package(zpath).digest == load_package(tmp_path / "course").digest == VECTOR_DIGEST


def test_git_folder_is_skipped_other_dotfiles_count(tmp_path):
    root = tmp_path / "pkg"
    _write(root, {"a.txt": b"x\n", ".git/HEAD": b"ref\n", ".hidden.txt": b"y\n"})
    package = load_package(root)
    assert sorted(f.path for f in package.files) == [".hidden.txt", "a.txt"]


def test_digest_stable_across_runs(tmp_path):
    _write(tmp_path / "pkg", VECTOR_FILES)
    assert load_package(tmp_path / "pkg").digest == load_package(tmp_path / "pkg").digest
