"""Celery tasks: thin functions that load by id and call a service.

`celery -A tasks worker` finds the app in `tasks.celery`.
"""
