"""Organizations tests."""
