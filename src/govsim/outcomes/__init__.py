"""Outcomes: every measure defined once, from the case ledger and the running counts."""
