"""Roster imports: a university's staff upload their students; accounts come in bulk."""
