"""Accounts: users, login sessions, API tokens."""
