"""Internship postings: taxonomy-checked, student internship rules, search."""
