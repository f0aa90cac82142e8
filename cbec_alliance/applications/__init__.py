"""Applications to internships: lifecycle, history, evaluations, hires."""
