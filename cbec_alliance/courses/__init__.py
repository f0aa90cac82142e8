"""Joint courses co-developed by universities and enterprises."""
