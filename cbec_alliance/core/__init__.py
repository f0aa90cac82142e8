"""Cross-cutting pieces: errors, schemas, pagination, transactions, tasks."""
