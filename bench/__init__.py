"""Benchmarks (not tests): timings are printed and recorded, never asserted."""
