"""Documents: uploaded files, kept once, seen by whoever may see what they are attached to."""
