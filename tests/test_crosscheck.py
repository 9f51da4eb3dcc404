"""The numeric cross-check catches an engine that claims too much, and reports are deterministic."""

import json

from helpers import ROOT, obligation
from test_cli import run

from verify import decide as decide_module
from verify.engines import Proven
from verify.verdict import Status


class LyingZ3:
    """Z3 for every question except the step's own equation, which it claims is proven."""

    name = "z3"

    def __init__(self, real, goal):
        self.real, self.goal = real, goal

    def discharge(self, ob, timeout):
        if ob.goal == self.goal:
            return Proven(self.name)
        return self.real.discharge(ob, timeout)


def test_a_false_proof_becomes_an_error_naming_the_engine_and_the_point(monkeypatch):
    ob = obligation("diff(sigma(x), x)", "1/(-(1 + exp(x)))")
    monkeypatch.setattr(decide_module, "Z3", LyingZ3(decide_module.Z3, ob.goal))
    monkeypatch.setattr(decide_module.numeric, "quick", lambda ob, **_: None)  # else 3 points refute it before Z3
    v = decide_module.decide(ob, timeout=5.0)
    assert v.status is Status.ERROR
    assert "z3 proved this step" in v.detail and "bug" in v.detail
    x = dict(v.counterexample.point)["x"]
    assert v.counterexample.lhs != v.counterexample.rhs and x


def test_every_proven_step_reports_its_cross_check():
    v = decide_module.decide(obligation("tanh(x)", "2*sigma(2*x) - 1"), timeout=5.0)
    assert v.status is Status.PROVEN and v.detail == "cross-checked at 20 points"


def test_the_same_input_gives_the_same_report():
    def report(jobs="2"):
        code, out, _ = run("--format", "json", "--jobs", jobs, str(ROOT / "proofs/ml/bce-gradient.toml"),
                           str(ROOT / "proofs/latex/seed.md"),
                           "-e", "exp(a)/(exp(a) + exp(b)) = 1/(1 + exp(b - a)) = sigma(b)")
        data = json.loads(out)
        for d in data["derivations"]:
            for s in d["steps"]:
                s.pop("seconds")
                if s["diagnosis"]:
                    s["diagnosis"].pop("seconds")
        return data

    first, second, serial = report(), report(), report("1")
    assert first == second == serial
    assert first["summary"]["refuted"] >= 3


class Contrarian:
    """A second opinion that finds every negation satisfiable."""

    name = "contrarian"

    def discharge(self, ob, timeout):
        from verify.engines import Candidate

        return Candidate(self.name, ())


def test_a_second_opinion_that_disagrees_makes_an_error(monkeypatch):
    real_get = decide_module.engines.get
    monkeypatch.setattr(decide_module.engines, "get", lambda name: Contrarian() if name == "contrarian" else real_get(name))
    v = decide_module.decide(obligation("sigma(-x)", "1 - sigma(x)"), timeout=5.0, second_opinion="contrarian")
    assert v.status is Status.ERROR and "contrarian finds its negation satisfiable" in v.detail


def test_the_double_precision_screen_agrees_with_mpmath_wherever_it_speaks():
    """Issue 14: the cross-check screens each point in double precision and leaves to mpmath what that
    cannot tell. Wherever the screen says a point is in the domain with equal sides, or outside the
    domain, mpmath at the cross-check's precision must say the same; checked on the steps of proofs/."""
    from verify import frontends, numeric

    spoke = 0
    derivations = [d for d in frontends.load_paths([ROOT / "proofs" / "ml", ROOT / "proofs" / "calculus",
                                                    ROOT / "proofs" / "sigmoid.toml"]).derivations if not d.instance]
    for d in derivations:
        for step in d.steps():
            try:
                ob = step.obligation()
            except Exception:
                continue
            limits = numeric.bounds(ob.hypotheses)
            for point in numeric.candidate_points(ob.variables, numeric.seed_for(ob.goal) + 1, 20, spread=True,
                                                  limits=limits):
                said = numeric._Screen(ob)(point)
                if said is None:
                    continue
                spoke += 1
                inside = numeric.in_domain(ob, point, numeric.CHECK_DIGITS)
                assert inside == said or (not said and not inside), (step.lhs.text, step.rhs.text, point)
                if said:
                    a, b, _ = numeric._sides(ob.goal, point, numeric.CHECK_DIGITS)
                    assert abs(a - b) <= 1e-11 * max(1, abs(a), abs(b)), (step.lhs.text, step.rhs.text, point)
    assert spoke > 2000


def test_a_difference_the_screen_can_see_goes_to_mpmath_and_is_found(monkeypatch):
    from verify import numeric

    ob = obligation("x*(1 + 10^(-6))", "x")  # what a lying engine might claim: differs by one part in a million
    check = numeric.cross_check(ob)
    assert check.disagreement is not None
