"""Monitoring for coordinators and associations: the alliance in numbers, tables and charts."""
