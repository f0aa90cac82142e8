"""Enterprise-university partnerships: lifecycle, activity, health and partner matching."""
