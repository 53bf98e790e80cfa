"""Stage 1 — course package in, located text out.

Formats become :class:`~reviewer.ingest.model.Segment` objects with
:class:`~reviewer.ingest.model.Locator` objects; every file gets a SHA-256 and
the package one digest (:mod:`reviewer.ingest.digest`).  Nothing here speaks
SQL or draws on a screen.
"""
