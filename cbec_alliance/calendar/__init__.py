"""Calendars: a private iCalendar feed per user, and a download per item."""
