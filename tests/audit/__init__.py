"""Audit tests."""
