"""Adapters: reading workbooks, writing result workbooks, the history ledger."""
