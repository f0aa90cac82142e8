"""Conversations between the parties of an object (filled by a later change)."""
