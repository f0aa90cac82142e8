"""Government policies (subsidies, awards, certifications) and applications to them."""
