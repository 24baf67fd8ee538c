"""The application layer: one function per command, typed inputs in, a typed result out.

No printing and no Typer here: ``cli/`` parses options, calls one function of this package,
hands the result to ``present/`` (tables, JSON) and maps errors to exit codes in one place.
"""
