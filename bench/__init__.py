"""Benchmarks: each figure is measured beside a baseline in the same run, and the ratio printed."""
