"""Graduate destinations: where each graduate went, declared and confirmed by the employer."""
