"""Placements: the internship while it runs (agreement, insurance, mentors, completion)."""
