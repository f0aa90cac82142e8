"""Careers: 1+X certificate exams, their results, the certificate records they issue and a
public verification of a record."""
