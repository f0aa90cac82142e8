"""Taxonomy vocabularies (codes are stable; labels in English and Chinese)."""
