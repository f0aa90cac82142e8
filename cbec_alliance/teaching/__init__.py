"""Joint teaching: enterprise teachers and their assignments, teachers' practice in enterprises."""
