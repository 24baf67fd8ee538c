"""Presenters: turn the typed results of ``app/`` into Rich tables and ``--json`` documents."""
