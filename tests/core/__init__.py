"""Cross-cutting conventions every route inherits: errors, validation, lists, health, docs."""
