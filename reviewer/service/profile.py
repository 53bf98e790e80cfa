"""Who is reviewing: the reviewer's profile, never the operating-system user.

Review records (answers, dispositions, decisions, the audit trail, the printable
report's 结论人) name a person.  That person is, in order:

1. the ``actor`` a caller passes (``reviewer review --actor``; scripts, tests);
2. ``$REVIEWER_NAME``;
3. the profile set with ``reviewer profile set`` (``profile.yaml`` in the data
   directory, :func:`reviewer.paths.profile_file`): a name and an institution,
   given directly or read from a signing key's ``.pub`` file.

When none of them names anybody, an action that records something is refused
with the code ``no-identity``, whose message says how to set the profile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reviewer.i18n import t
from reviewer.review.errors import ReviewError

PROFILE_FORMAT = "reviewer-profile/1"


@dataclass(slots=True)
class Profile:
    """A reviewer's identity as recorded in reviews and signatures."""

    name: str
    institution: str = ""
    key: str | None = None  # the .pub file it was read from (or that goes with it)
    keyid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"format": PROFILE_FORMAT, "name": self.name, "institution": self.institution,
                "key": self.key, "keyid": self.keyid}


def _error(code: str, *, usage: bool = True, **values: Any) -> ReviewError:
    return ReviewError(code, {lang: t(f"errors.{code}", lang, **values) for lang in ("zh", "en")},
                       usage=usage)


def load_profile() -> Profile | None:
    """The profile saved with :func:`save_profile` (None when there is none)."""
    from reviewer.paths import profile_file

    path = profile_file()
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _error("bad-profile", path=path, detail=exc) from exc
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) \
            or not data["name"].strip():
        raise _error("bad-profile", path=path, detail="name")
    return Profile(name=data["name"].strip(), institution=str(data.get("institution") or ""),
                   key=data.get("key") or None, keyid=data.get("keyid") or None)


def profile_from_key(pub_path: str | Path) -> Profile:
    """The identity a signing key's ``.pub`` file states (name, institution, key id)."""
    from reviewer.signing.keys import KeyFileError, load_public

    try:
        info = load_public(pub_path)
    except KeyFileError as exc:
        raise _error("bad-profile", path=pub_path, detail=exc) from exc
    return Profile(name=info.name, institution=info.institution,
                   key=str(Path(pub_path).resolve()), keyid=info.keyid)


def save_profile(name: str | None = None, institution: str | None = None,
                 key: str | Path | None = None) -> Profile:
    """Set the profile; ``key`` (a ``.pub``) supplies what ``name``/``institution`` leave out."""
    from reviewer.files import write_atomic
    from reviewer.paths import profile_file

    base = profile_from_key(key) if key else Profile(name="")
    profile = Profile(name=(name or "").strip() or base.name,
                      institution=(institution or "").strip() or base.institution,
                      key=base.key, keyid=base.keyid)
    if not profile.name:
        raise _error("profile-name")
    text = yaml.safe_dump(profile.to_dict(), allow_unicode=True, sort_keys=False)
    write_atomic(profile_file(), text.encode("utf-8"))
    return profile


def identity(actor: str | None = None) -> str | None:
    """The name of whoever acts: ``actor``, ``$REVIEWER_NAME`` or the profile (None: nobody)."""
    if actor and actor.strip():
        return actor.strip()
    env = os.environ.get("REVIEWER_NAME", "").strip()
    if env:
        return env
    profile = load_profile()
    return profile.name if profile else None


def opener_name(actor: str | None = None) -> str:
    """Who opened or synced a review as a side effect of looking at it (a status, a
    scan): the actor when known, else ``—`` — looking records no answer."""
    return identity(actor) or "—"


def require_identity(actor: str | None = None) -> str:
    """:func:`identity`, or the ``no-identity`` refusal saying how to set the profile."""
    who = identity(actor)
    if who is None:
        raise _error("no-identity", usage=False)
    return who
