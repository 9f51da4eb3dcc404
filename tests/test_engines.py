"""Every engine runs the same table: it never proves a false row, and proves the rows it must."""

import pytest
from engine_table import TABLE
from helpers import obligation

from verify import engines, numeric
from verify.engines import Candidate, Proven, Unknown
from verify.engines.z3 import ENGINE as Z3


def _available(name):
    try:
        return [engines.get(name)]
    except ImportError:  # cvc5 is optional
        return []


ENGINES = [engine for name in engines.MODULES for engine in _available(name)]


@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e.name)
@pytest.mark.parametrize("lhs, rhs, assume, truth, provers", TABLE, ids=lambda v: str(v)[:30])
def test_conformance(engine, lhs, rhs, assume, truth, provers):
    ob = obligation(lhs, rhs, assume)
    outcome = engine.discharge(ob, timeout=5.0)
    assert isinstance(outcome, (Proven, Candidate, Unknown))
    assert outcome.engine == engine.name
    if not truth:
        assert not isinstance(outcome, Proven)
    elif engine.name in provers:
        assert isinstance(outcome, Proven), outcome
    if isinstance(outcome, Unknown):
        assert outcome.reason


def test_z3_candidates_for_false_rows_become_real_counterexamples():
    for lhs, rhs, assume, truth, _ in TABLE:
        if truth:
            continue
        ob = obligation(lhs, rhs, assume)
        outcome = Z3.discharge(ob, timeout=5.0)
        if not isinstance(outcome, Candidate):
            continue
        found = [numeric.confirm(ob, p) for p in numeric.points_from_model(ob, outcome.values)]
        found = [f for f in found if f] or [numeric.search(ob)]
        assert found[0] is not None, (lhs, rhs)
