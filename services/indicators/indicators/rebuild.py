"""Alias until ``kasane.cli.indicators`` imports ``indicators.usecases.rebuild`` itself."""

from indicators.usecases.rebuild import PRODUCERS, RebuildReport, SkippedRecord, rebuild

__all__ = ["PRODUCERS", "RebuildReport", "SkippedRecord", "rebuild"]
