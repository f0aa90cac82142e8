"""Notifications: a transactional outbox, fan-out through Celery, inbox, email and webhooks."""
