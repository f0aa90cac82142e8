"""The integrity check: every capacity counter against its rows, every uniqueness rule.

Domains declare their counters (`core.capacity.counter`) and their other invariants
(`rule`); `flask --app wsgi check-integrity` reports every row that breaks one, for operators
of databases written before a rule was enforced (or by hand).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from cbec_alliance.core.capacity import COUNTERS, mismatches
from cbec_alliance.extensions import db


@dataclass(frozen=True)
class Rule:
    """An invariant as a SELECT of the rows that break it (none when it holds)."""

    name: str
    violations: Callable[[], sa.Select]


RULES: dict[str, Rule] = {}


def rule(name: str, violations: Callable[[], sa.Select]) -> Rule:
    """Declare an invariant for the integrity check."""
    RULES[name] = Rule(name, violations)
    return RULES[name]


def duplicates(table: sa.Table, *columns: str, where=None) -> Callable[[], sa.Select]:
    """A violations query: groups of rows sharing `columns` (optionally among `where`)."""

    def query() -> sa.Select:
        cols = [table.c[c] for c in columns]
        stmt = sa.select(*cols, sa.func.count().label("rows")).group_by(*cols)
        if where is not None:
            stmt = stmt.where(where)
        return stmt.having(sa.func.count() > 1)

    return query


def check() -> dict[str, list[dict]]:
    """Every counter and rule with the rows that break it (empty lists when all hold)."""
    report: dict[str, list[dict]] = {}
    for name, spec in sorted(COUNTERS.items()):
        report[f"counter: {name}"] = mismatches(spec)
    for name, rule in sorted(RULES.items()):
        report[f"rule: {name}"] = [dict(r._mapping) for r in db.session.execute(rule.violations())]
    return report
