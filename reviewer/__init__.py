"""reviewer — offline review of online open courses for credit recognition.

The package is organised by stage, dependencies pointing one way::

    ingest  →  checks  →  review  →  signing
                 store (the only module that speaks SQL)
    service (the small API that cli and tui both call)

None of the core stages imports textual or click.
"""

__version__ = "0.1.0"
