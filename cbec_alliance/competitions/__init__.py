"""Competitions: tracks, teams, judges, scores and leaderboards."""
