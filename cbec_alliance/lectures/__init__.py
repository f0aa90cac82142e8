"""Lectures, job fairs and workshops (`/api/v1/events`)."""
