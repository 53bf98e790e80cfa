"""Review state: answers, dispositions, decisions and the audit trail.

(Tables are registered here with :func:`reviewer.store.db.migration`.)
"""
