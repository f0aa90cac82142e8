"""Taxonomy tests."""
