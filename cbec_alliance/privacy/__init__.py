"""Personal data: a user downloads what the platform holds about them, or has it erased."""
