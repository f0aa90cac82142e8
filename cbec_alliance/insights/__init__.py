"""Insights: the reports that read across domains (the top floor of the domains).

Every other domain reads and writes only its own tables and the floors below it; what needs
all of them at once lives here and only reads: the monitoring summaries (`summaries`, with the
skills gap per competency and per district in `skills_gap`), what an enterprise and a
university share and the health that follows (`activity`), and partner matching's signals and
rankings (`partners`). Nothing below imports this package; the domains that need its answers
declare hooks (`core.hooks`) that it provides (`hooks`).
"""
