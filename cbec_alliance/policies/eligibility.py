"""Eligibility as data: a policy's conditions checked against an organization's figures.

A condition names one figure and either a minimum (`{"figure": "active_partnerships",
"min": 2}`) or the values allowed (`{"figure": "district", "in": ["nansha", "huangpu"]}`).
The figures are gathered from the platform's own records (`policies.services.figures_of`,
provided by `insights`); this module only compares, so it is pure and property-tested:
an organization is eligible exactly when every condition passes, and each check carries
the figure found as evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

# Training-base levels in rising order; an organization without an approved base has "none".
BASE_LEVELS = ("none", "municipal", "provincial", "national")


@dataclass(frozen=True)
class Figure:
    """A figure conditions may name: how it compares, and its labels."""

    name: str
    compare: str  # "count" (min: integer), "level" (min: one of BASE_LEVELS), "choice" (in)
    en: str
    zh: str
    choices: tuple[str, ...] = ()  # the values a "choice" may take (empty: checked elsewhere)


FIGURES: dict[str, Figure] = {
    f.name: f
    for f in (
        Figure(
            "organization_kind",
            "choice",
            "organization kind",
            "组织类型",
            ("enterprise", "university", "government", "association"),
        ),
        Figure("district", "choice", "district", "所在区"),
        Figure(
            "enterprise_size",
            "choice",
            "enterprise size",
            "企业规模",
            ("micro", "small", "medium", "large"),
        ),
        Figure(
            "interns_hosted_12m",
            "count",
            "interns hosted in the last 12 months",
            "近12个月接收实习生",
        ),
        Figure("active_partnerships", "count", "active partnerships", "有效校企合作"),
        Figure("training_base_level", "level", "highest training-base level", "实训基地最高级别"),
    )
}
MAX_CONDITIONS = 20


def problems(conditions: Any) -> dict[str, str]:
    """What is wrong with a list of conditions, by field (`conditions.1.min`); empty if none."""
    if not isinstance(conditions, list):
        return {"conditions": _("a list of conditions")}
    if len(conditions) > MAX_CONDITIONS:
        return {
            "conditions": _("at most %(max_conditions)s conditions", max_conditions=MAX_CONDITIONS)
        }
    out: dict[str, str] = {}
    seen: set[str] = set()
    for i, cond in enumerate(conditions):
        where = f"conditions.{i}"
        if not isinstance(cond, dict) or not isinstance(cond.get("figure"), str):
            out[where] = _("a condition is {figure, min} or {figure, in}")
            continue
        figure = FIGURES.get(cond["figure"])
        rule = set(cond) - {"figure"}
        if figure is None:
            out[f"{where}.figure"] = _(
                "unknown figure; one of %(figures)s", figures=sorted(FIGURES)
            )
        elif cond["figure"] in seen:
            out[f"{where}.figure"] = _("each figure may appear once")
        elif figure.compare == "choice" and rule != {"in"}:
            out[where] = _("%(name)s takes `in`: the values allowed", name=figure.name)
        elif figure.compare != "choice" and rule != {"min"}:
            out[where] = _("%(name)s takes `min`", name=figure.name)
        else:
            message = _value_problem(figure, cond)
            if message:
                out[f"{where}.{'in' if figure.compare == 'choice' else 'min'}"] = message
        seen.add(cond["figure"])
    return out


def _value_problem(figure: Figure, cond: dict) -> str | None:
    if figure.compare == "count":
        value = cond["min"]
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1_000_000
        return None if ok else _("a whole number from 0 to 1000000")
    if figure.compare == "level":
        return (
            None
            if cond["min"] in BASE_LEVELS[1:]
            else _("one of %(value)s", value=list(BASE_LEVELS[1:]))
        )
    values = cond["in"]
    if not isinstance(values, list) or not values or len(values) > 50:
        return _("a list of 1 to 50 values")
    if not all(isinstance(v, str) for v in values):
        return _("a list of codes")
    if figure.choices and not set(values) <= set(figure.choices):
        return _("values among %(choices)s", choices=list(figure.choices))
    return None


def passes(figure: Figure, cond: Mapping[str, Any], found: Any) -> bool:
    """True when `found` meets the condition on `figure`."""
    if figure.compare == "count":
        return isinstance(found, int) and found >= cond["min"]
    if figure.compare == "level":
        level = found if found in BASE_LEVELS else "none"
        return BASE_LEVELS.index(level) >= BASE_LEVELS.index(cond["min"])
    return found is not None and found in cond["in"]


def evaluate(conditions: Sequence[Mapping[str, Any]], figures: Mapping[str, Any]) -> list[dict]:
    """Each condition with the figure found and whether it passed, in the policy's order."""
    out = []
    for cond in conditions:
        figure = FIGURES[cond["figure"]]
        found = figures.get(figure.name)
        rule = "in" if figure.compare == "choice" else "min"
        out.append(
            {
                "figure": figure.name,
                "label_en": figure.en,
                "label_zh": figure.zh,
                "rule": rule,
                "required": cond[rule],
                "found": found,
                "passed": passes(figure, cond, found),
            }
        )
    return out


def eligible(checks: Sequence[Mapping[str, Any]]) -> bool:
    """True when every check passed (no conditions: everyone is eligible)."""
    return all(c["passed"] for c in checks)


def describe(check: Mapping[str, Any]) -> str:
    """One unmet (or met) condition in words, with the figure found."""
    required = check["required"]
    wanted = f"one of {', '.join(required)}" if check["rule"] == "in" else f"at least {required}"
    return f"{check['label_en']} ({check['label_zh']}): {wanted} required, {check['found']} found"
