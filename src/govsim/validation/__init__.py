"""Validation: degenerate configurations against queueing theory, outputs beside field figures."""
