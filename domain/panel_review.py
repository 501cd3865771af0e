"""Placeholder until this route lands."""
