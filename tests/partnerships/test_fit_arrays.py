"""The array scorers against `fit`: every enterprise, every mode, the same rounded score."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.partnerships import fit, fit_arrays
from tests.partnerships.test_rules import codes, enterprises, universities

# Demand weights of 0 are kept as keys (a survey-only code has weight 1, but `fit` accepts 0).
with_zeros = st.builds(
    lambda e, zeros: dataclasses.replace(e, demand={**zeros, **e.demand}),
    enterprises,
    st.dictionaries(codes, st.just(0), max_size=2),
)
population = st.lists(with_zeros, max_size=12).map(
    lambda signals: {k * 3 + 1: s for k, s in enumerate(signals)}
)


@settings(max_examples=300)
@given(population, universities)
def test_every_mode_scores_every_enterprise_as_fit_does(signals, u):
    arrays = fit_arrays.from_signals(signals)
    for mode, scorer in fit_arrays.SCORERS.items():
        scores = fit_arrays.rounded(scorer(arrays, u))
        for row, enterprise_id in enumerate(arrays.ids):
            expected = fit.SCORERS[mode](signals[int(enterprise_id)], u)
            assert scores[row] == expected.score, (mode, int(enterprise_id))
            # The page's reasons come from the signals the arrays give back.
            assert fit.SCORERS[mode](arrays.signals(row), u) == expected


@given(st.lists(st.floats(0, 1, allow_nan=False), max_size=30))
def test_rounding_is_pythons_round(values):
    got = fit_arrays.rounded(np.array(values, dtype=float))
    assert list(got) == [round(v, 4) for v in values]


def test_halves_round_as_python_rounds_them():
    values = [0.00625, 0.12345, 0.5, 0.99995, 1.5, -0.1, 0.28125]
    assert list(fit_arrays.rounded(np.array(values))) == [
        round(min(max(v, 0.0), 1.0), 4) for v in values
    ]
    empty = fit_arrays.from_signals({})
    for scorer in fit_arrays.SCORERS.values():
        assert len(scorer(empty, fit.UniversitySignals())) == 0
