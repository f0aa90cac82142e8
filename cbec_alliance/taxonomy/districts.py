"""Which Guangzhou districts share a border: the geography of the `districts` vocabulary.

The vocabulary's codes are the taxonomy's (migration 0002; a test checks that every one has
its borders here and nothing else does); this module adds only the borders between them,
which partner matching reads ("near"), across the Pearl River included (Haizhu faces
Yuexiu, Liwan, Tianhe, Huangpu and Panyu over the water). Borders with other cities (Foshan,
Dongguan, Qingyuan, Huizhou, Zhongshan) are left out: every organization of the alliance is
in Guangzhou.
"""

from __future__ import annotations

# Each border once; `ADJACENT` makes it symmetric.
BORDERS = (
    ("yuexiu", "liwan"),
    ("yuexiu", "haizhu"),
    ("yuexiu", "tianhe"),
    ("yuexiu", "baiyun"),
    ("liwan", "haizhu"),
    ("liwan", "baiyun"),
    ("liwan", "panyu"),
    ("haizhu", "tianhe"),
    ("haizhu", "huangpu"),
    ("haizhu", "panyu"),
    ("tianhe", "baiyun"),
    ("tianhe", "huangpu"),
    ("baiyun", "huangpu"),
    ("baiyun", "huadu"),
    ("baiyun", "conghua"),
    ("huangpu", "panyu"),
    ("huangpu", "zengcheng"),
    ("huangpu", "conghua"),
    ("panyu", "nansha"),
    ("huadu", "conghua"),
    ("conghua", "zengcheng"),
)

ADJACENT: dict[str, frozenset[str]] = {
    d: frozenset({b for a, b in BORDERS if a == d} | {a for a, b in BORDERS if b == d})
    for d in sorted({code for border in BORDERS for code in border})
}

SAME, NEIGHBOUR, FARTHER, UNKNOWN = "same district", "adjacent", "farther", "unknown"


def nearness(a: str | None, b: str | None) -> str:
    """How close two districts are: the same, adjacent, farther apart, or unknown (either
    missing or not a Guangzhou district code)."""
    if a not in ADJACENT or b not in ADJACENT:
        return UNKNOWN
    if a == b:
        return SAME
    return NEIGHBOUR if b in ADJACENT[a] else FARTHER
