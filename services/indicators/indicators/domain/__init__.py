"""Indicator rules with no I/O: fiscal years, facts, figures, the report, survey input."""
