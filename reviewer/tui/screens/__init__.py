"""Screens of the terminal UI, one module each (with its .tcss beside it)."""
