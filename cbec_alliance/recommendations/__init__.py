"""Recommendations: one scoring function between students and internships."""
