"""The review room: checklists as data, the rules of a review, and carry-over.

Pure (no I/O, no SQL, no UI):

* :mod:`reviewer.review.checklist` — parse and validate checklist YAML text
  (errors name file and line), :class:`~reviewer.review.checklist.ChecklistSet`;
* :mod:`reviewer.review.model` — answers, dispositions, decisions, their rules
  and :func:`~reviewer.review.model.compute_blockers`;
* :mod:`reviewer.review.carry` — evidence facts and fingerprints, and the plan
  for carrying a review over to a changed package;
* :mod:`reviewer.review.errors` — :class:`ReviewError`, :class:`ChecklistError`.

The store keeps the state (``reviewer.store.reviews``); the use cases live in
``reviewer.service.review``.
"""
