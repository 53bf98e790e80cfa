"""The terminal UI (Textual): a thin shell over :mod:`reviewer.service`.

``app.py`` holds the app and :func:`~reviewer.tui.app.create_app`; ``screens/``
one module per screen, ``widgets/`` one per widget, each ``.tcss`` beside its
screen; ``actions.py`` the registry feeding keys, help and the command
palette.  See docs/tui.md.
"""
