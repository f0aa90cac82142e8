"""Student profiles: major, competencies, languages, certificates."""
