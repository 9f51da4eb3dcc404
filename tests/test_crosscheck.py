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
