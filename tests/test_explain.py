"""Explanations of wrong steps (issue 10): every correction is read back from its text and compared
with the left side by mpmath alone, independently of the engines that proved it."""

from __future__ import annotations

import json
import time

import mpmath
import pytest
from helpers import ROOT, run

from verify import calculus, explain, frontends, ir, numeric, printing
from verify.errors import Location
from verify.frontends import chain, plain
from verify.frontends.latex import parse_latex
from verify.frontends.names import PRELUDE
from verify.runner import run as run_steps
from verify.slips import CATALOGUE
from verify.verdict import Status, Verdict

AT = Location("test", 1, 1)


def explained(text: str):
    """The one step of chain `text`, checked in this process with explanations on."""
    (result,) = run_steps([chain.load(text)], isolate=False)
    return result


def read(text: str, latex: bool) -> ir.Expr:
    return parse_latex(text, lambda i: AT, PRELUDE).expr if latex else plain.parse_expr(text, AT, PRELUDE)


def equal_everywhere(a: ir.Expr, b: ir.Expr, points: int = 30) -> bool:
    """mpmath alone: the two expressions (derivatives worked out) agree wherever both have values."""
    a, b = calculus.expand_derivatives(a), calculus.expand_derivatives(b)
    names = tuple(sorted(ir.free_names(a) | ir.free_names(b)))
    compared = 0
    for point in numeric.candidate_points(names, 3, 300):
        va, vb = numeric.value(a, point), numeric.value(b, point)
        if va is None or vb is None:
            continue
        if not numeric.close(va, vb):
            return False
        compared += 1
        if compared == points:
            return True
    return compared > 0


SEED = [
    ("diff(1/(1+exp(-x)), x) = 1/(-(1+exp(x)))", "reciprocal-derivative"),
    (r"\frac{\partial}{\partial x} \frac{1}{1+e^{-x}} = \frac{1}{-(1+e^{x})}", "reciprocal-derivative"),
    ("exp(-x)/(1+exp(-x)) = exp(-x)/sigma(x)", "swap"),
    (r"\frac{e^{-x}}{1+e^{-x}} = \frac{e^{-x}}{\sigma(x)}", "swap"),
]


@pytest.mark.parametrize("text, kind", SEED)
def test_the_seeds_guesses_get_a_proven_correction_and_a_named_slip(text, kind):
    r = explained(text)
    d = r.diagnosis
    assert r.verdict.status is Status.REFUTED
    assert d.slip == CATALOGUE[kind].name and d.rule == CATALOGUE[kind].rule
    latex = r.latex
    lhs = chain.load(text).lines[0].expr
    assert equal_everywhere(read(d.correction, latex), lhs)  # the correction holds, by mpmath alone
    assert d.relation is not None  # the sides are related by a factor, proven
    assert ("\\" in d.correction and "exp(" not in d.correction) == latex  # LaTeX in, LaTeX out
    if "diff" in text or "partial" in text:
        assert equal_everywhere(read(d.derivative, latex), lhs)
    assert d.correction in d.summary


KINDS = [
    ("diff(1/(1+exp(-x)), x) = exp(x)/(1+exp(-x))**2", "exponent-sign"),
    ("diff(exp(-x), x) = exp(-x)", "sign"),
    ("diff(exp(x**2), x) = exp(x**2)", "chain-factor"),
    ("diff(1/(1+x**2), x) = 1/(2*x)", "reciprocal-derivative"),
    ("diff(x**3, x) = 3*x**3", "power"),
    ("x/(x**2 + 1) = (x**2 + 1)/x", "swap"),
    ("diff(sigma(x), x) = sigma(x)*sigma(x)", "sigma-swap"),
    ("diff(x**2, x) = x", "two"),
    ("diff(x*exp(x), x) = exp(x)", "product-rule"),
    ("log(1 + exp(x)) - x = softplus(x)", "argument-sign"),
]


def test_every_slip_of_the_catalogue_is_tested():
    assert {kind for _, kind in KINDS} == set(CATALOGUE)


@pytest.mark.parametrize("text, kind", KINDS)
def test_each_slip_is_found_named_and_its_correction_holds(text, kind):
    r = explained(text)
    d = r.diagnosis
    assert r.verdict.status is Status.REFUTED
    assert d.slip == CATALOGUE[kind].name, d.summary
    assert equal_everywhere(read(d.correction, False), chain.load(text).lines[0].expr)
    before, after = d.change.split(" → ")
    assert after in d.correction or kind in ("sign", "two", "chain-factor", "product-rule", "reciprocal-derivative")


def test_no_single_edit_says_so_and_shows_the_derivative():
    d = explained("diff(sigma(x), x) = 1 - sigma(x)").diagnosis
    assert d.slip is None and "No single slip" in d.summary
    assert equal_everywhere(read(d.derivative, False), chain.load("diff(sigma(x), x) = 0").lines[0].expr)
    assert d.correction == d.derivative  # proven equal to the left side, as the derivative worked out


def test_no_derivative_and_no_edit_offers_nothing():
    d = explained("x**2 + 1 = x**3").diagnosis
    assert d.correction is None and d.slip is None and d.derivative is None


def test_a_candidate_that_agrees_numerically_but_is_false_is_never_offered():
    # flipping the sign gives x, which agrees with x + 10^-40 to 30 digits at every screening point
    r = explained("x + 10**(-40) = -x")
    assert r.verdict.status is Status.REFUTED
    assert r.diagnosis.correction is None and r.diagnosis.slip is None


def test_an_unproven_candidate_is_never_shown(monkeypatch):
    monkeypatch.setattr(explain, "decide", lambda ob, timeout: Verdict(Status.UNKNOWN))
    d = explained("diff(1/(1+exp(-x)), x) = 1/(-(1+exp(x)))").diagnosis
    assert d.correction is None and d.slip is None and d.relation is None and d.holds_where is None


def test_where_the_step_holds():
    d = explained("sqrt(x**2) = x").diagnosis
    assert d.holds_where == "x > 0"
    assert d.correction is None
    sq = chain.load("sqrt(x**2) = x")
    for v in (mpmath.mpf("0.5"), mpmath.mpf(3), mpmath.mpf(100)):
        assert numeric.close(numeric.value(sq.lines[0].expr, {"x": v}), numeric.value(sq.lines[1].expr, {"x": v}))


def test_relations_are_stated_when_proven():
    assert explained("diff(x**2, x) = -2*x").diagnosis.relation == "rhs = -lhs"
    assert explained("x**2 + 1 = x**2").diagnosis.relation == "rhs = lhs - 1"
    assert explained("diff(x**2, x) = x").diagnosis.relation == "rhs = 1/2*lhs"


def test_an_unknown_step_says_what_was_tried_and_what_may_help():
    r = explained("exp(x) = 1 + x + x**2/2 + exp(-100000)")
    assert r.verdict.status is Status.UNKNOWN
    assert r.diagnosis.tried and "precision" in r.diagnosis.help


def test_explaining_never_changes_a_verdict():
    loaded = frontends.load(ROOT / "proofs" / "sigmoid.toml", "sigmoid.toml")
    on = run_steps(loaded.derivations, jobs=2)
    off = run_steps(loaded.derivations, jobs=2, explaining=False)
    assert [r.verdict.status for r in on] == [r.verdict.status for r in off]
    assert all((r.diagnosis is None) == (r.verdict.status is Status.PROVEN) for r in on)
    assert all(r.diagnosis is None for r in off)


def test_an_explanation_that_overruns_costs_only_the_diagnosis(monkeypatch):
    def slow(*args, **kw):
        time.sleep(30)

    monkeypatch.setattr(explain, "diagnose", slow)
    start = time.monotonic()
    (r,) = run_steps([chain.load("diff(exp(-x), x) = exp(-x)")], timeout=1, jobs=1)
    assert r.verdict.status is Status.REFUTED  # the verdict came first, and stands
    assert "did not finish" in r.diagnosis.summary
    assert time.monotonic() - start < 10


def test_json_and_text_reports_carry_the_diagnosis():
    code, out, _ = run("--format", "json", "-e", "diff(exp(-x), x) = exp(-x)", "-e", "x = x")
    steps = [s for d in json.loads(out)["derivations"] for s in d["steps"]]
    d = steps[0]["diagnosis"]
    assert {"derivative", "relation", "correction", "slip", "holds_where", "summary"} <= set(d)
    assert d["correction"] == "-exp(-x)" and d["relation"] == "rhs = -lhs"
    assert steps[1]["diagnosis"] is None
    code, out, _ = run("--no-explain", "--format", "json", "-e", "diff(exp(-x), x) = exp(-x)")
    assert json.loads(out)["derivations"][0]["steps"][0]["diagnosis"] is None
    code, out, _ = run("-e", "diff(exp(-x), x) = exp(-x)")
    assert "correction (proven): -exp(-x)" in out and "the slip: a minus sign" in out


def test_a_wrong_antiderivative_is_explained_without_an_internal_error():
    """The candidates of an antiderivative hold its constant C, which the screening points do not: such a
    candidate cannot be compared there, where it had ended the explanation with a KeyError."""
    step = chain.load("integrate(sigma(x), x) = x - log(1 + exp(-x)) + C", 1, chain.Context()).steps()[0]
    verdict = run_steps([step.derivation], explaining=False)[0].verdict
    assert verdict.status is Status.REFUTED
    found = explain.diagnose(step, verdict, budget=30, timeout=10)  # time to reach the candidates with C
    assert found is not None and found.summary


def test_latex_printed_by_verify_reads_back_as_the_same_expression():
    """Every LaTeX line of proofs/, printed by printing.to_latex and read again, has the same values."""
    checked = 0
    for path in frontends.discover([ROOT / "proofs"]):
        for d in frontends.load(path, str(path)).derivations:
            for line in (x for x in d.lines if x.latex):
                scope = PRELUDE
                for node in ir.walk(line.expr):
                    if isinstance(node, ir.Apply):
                        scope = scope.with_function(node.func)
                for n, v in d.substitutions:
                    scope = scope.with_name(n, v)
                back = parse_latex(printing.to_latex(line.expr), lambda i: AT, scope).expr
                assert ir.show(back) == ir.show(line.expr) or equal_everywhere(back, line.expr, 5), line.text
                checked += 1
    assert checked > 100


def test_a_step_over_its_time_limit_is_told_what_may_help(monkeypatch):
    from verify import runner

    monkeypatch.setattr(runner, "decide", lambda *a, **kw: time.sleep(30))
    (r,) = run_steps([chain.load("x = x + 0")], timeout=1, jobs=1)
    assert r.verdict.status is Status.UNKNOWN and "time limit" in r.verdict.detail
    assert "--timeout" in r.diagnosis.help and "it was 1 s" in r.diagnosis.help


def test_a_refuted_step_with_new_names_on_the_right_says_it_may_be_an_equation_to_solve():
    """web2.0calc's partial fractions: 1/(x^2-1) = a/(x-1) + b/(x+1) is refuted for every a and b, as an
    identity; the note says a and b are new on the right. A derivative, which loses names, gets none."""
    code, out, _ = run("-e", r"\frac{1}{x^2-1} = \frac{a}{x-1} + \frac{b}{x+1}", "--format", "json")
    step = json.loads(out)["derivations"][0]["steps"][0]
    assert step["verdict"] == "refuted" and any(n.startswith("a, b appear on the right side only") for n in step["notes"])
    code, out, _ = run("-e", r"\frac{\partial}{\partial x} x y = x", "--format", "json")
    step = json.loads(out)["derivations"][0]["steps"][0]
    assert step["verdict"] == "refuted" and not step["notes"]
