"""Issue 11: the HTML report, without a browser (tests/test_browser.py loads it in Chromium).

- A plain line is displayed as written: its LaTeX, read back by verify's LaTeX reader, has the plain
  reading's value at random points (SymPy evaluates both), for every plain line of proofs/.
- MathML made from untrusted LaTeX holds only whitelisted elements and attributes, and no markup.
- A plot's samples are the two sides' values (by SymPy), with a gap at every pole and undefined point.
- The runner gives each result to `done` in input order, the same results it returns.
"""

from __future__ import annotations

import json
import math
import random
import re
import tomllib
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy
from helpers import ROOT, derivation, run, sympy_value

from verify import curves, html, ir, runner
from verify.errors import Location
from verify.frontends import latex, plain
from verify.frontends.names import PRELUDE
from verify.verdict import Status

AT = Location("<test>")


def _plain_lines() -> list[str]:
    out = []
    for path in sorted((ROOT / "proofs").rglob("*.toml")):
        data = tomllib.loads(path.read_text())
        names = set(data.get("definitions", {}))
        for d in data.get("derivation", []):
            if "indices" not in d and "indices" not in data and not names - {"sigma(x)"}:
                out += d.get("lines", [])
    return sorted(set(out))


def _values(expr, points):
    """SymPy's value of an expression (its definitions and derivatives worked out) at each point, or None."""
    from verify.engines.sympy import to_sympy

    s = to_sympy(derivation("x", "x").meaning(expr))
    out = []
    for p in points:
        subs = {sympy.Symbol(k, real=True): sympy.Rational(v) for k, v in p.items()}
        try:
            v = s.subs(subs).doit().evalf(20)
        except (ZeroDivisionError, ValueError, TypeError):
            out.append(None)
            continue
        out.append(complex(v) if v.is_number and not v.has(sympy.zoo, sympy.nan) else None)
    return out


def test_plain_lines_are_displayed_as_written():
    """Every plain line of proofs/ that the printer prints reads back, as LaTeX, to the same values."""
    lines = _plain_lines()
    printed = compared = 0
    rng = random.Random(11)
    for text in lines:
        tex = html.plain_latex(text)
        if tex is None:
            continue
        printed += 1
        mine = plain.parse_expr(text, AT, PRELUDE)
        back = latex.parse_latex(tex, AT.shifted, PRELUDE).expr
        names = sorted({n.name for n in _vars(mine)} | {n.name for n in _vars(back)})
        points = [{n: sympy.Rational(rng.randint(-30, 30), 10) for n in names} for _ in range(4)]
        if any(isinstance(n, ir.Integral) for n in ir.walk(mine)):  # no value: the same reading
            assert ir.show(mine) == ir.show(back), (text, tex)
            continue
        for a, b in zip(_values(mine, points), _values(back, points)):
            if a is not None and b is not None:
                compared += 1
                assert abs(a - b) <= 1e-12 * max(1, abs(a)), (text, tex)
    assert printed >= 0.9 * len(lines) and len(lines) > 100, (printed, len(lines))
    assert compared > 300


def _vars(e):
    return [n for n in ir.walk(e) if isinstance(n, ir.Var)]


@pytest.mark.parametrize("text, tex", [
    ("(1 + exp(-x) - 1)/(1 + exp(-x))", r"\frac{1 + e^{-x} - 1}{1 + e^{-x}}"),  # the reading folds 1 - 1
    ("-(-exp(-x)) * (1 + exp(-x))^(-2)", r"-\left(-e^{-x}\right) \cdot {\left(1 + e^{-x}\right)}^{-2}"),
    ("a - (b - c)", r"a - \left(b - c\right)"),
    ("diff(sigma(x), x)", r"\frac{d}{dx}\sigma\left(x\right)"),
])
def test_plain_printer_keeps_what_the_reading_folds(text, tex):
    assert html.plain_latex(text) == tex


@pytest.mark.parametrize("text", ["Product(x, (k, 1, 3))", "log(x, 2)", "Piecewise((x, x > 0), (0, True))", "2x"])
def test_plain_printer_leaves_what_it_does_not_know_to_the_reading(text):
    assert html.plain_latex(text) is None


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {k for k, _ in attrs}


@pytest.mark.parametrize("tex", [
    r"\text{<script>alert(1)</script>}", r"\href{javascript:alert(1)}{x}", r"\style{color:red}{x}",
    r"\color{red\" onclick=\"alert(1)}{x}", r"\mathrm{a&b<c>}", r"\text{<img src=x onerror=alert(1)>}",
])
def test_mathml_from_hostile_latex_is_only_whitelisted_markup(tex):
    out = html.math(tex)
    if out is None:
        return
    seen = _Tags()
    seen.feed(out)
    assert seen.tags <= html._Whitelist.TAGS, seen.tags
    assert seen.attrs <= html._Whitelist.ATTRIBUTES, seen.attrs
    assert "<script" not in out and "<img" not in out and "javascript" not in out


def test_plot_samples_are_the_sides_values_with_gaps_at_poles():
    d = derivation("1/x", "tan(x)")  # a pole of 1/x at 0 and of tan at pi/2 inside the window
    step = d.steps()[0]
    verdict = runner.check_step(step, 10)
    assert verdict.status is Status.REFUTED
    c = curves.sample(step.obligation(), verdict.counterexample)
    ob = step.obligation()
    for side, points in ((ob.goal.lhs, c.lhs), (ob.goal.rhs, c.rhs)):
        for x, y in points[::7]:
            v = sympy_value(side, {c.variable: sympy.Rational(x)})
            assert (y is None) == (v is None) or y is None, (x, y, v)
            if y is not None:
                assert math.isclose(y, float(v), rel_tol=1e-9, abs_tol=1e-12)
    for points, poles in ((c.lhs, [0.0]), (c.rhs, [k * math.pi / 2 for k in (-1, 1, 3)])):
        for pole in poles:
            if not c.lhs[0][0] < pole < c.lhs[-1][0]:
                continue
            near = [(x, y) for x, y in points if abs(x - pole) < 0.05]
            assert any(y is None for _, y in near), (pole, near)
            # no segment joins two defined samples on either side of the pole
            defined = [(x, y) for x, y in points]
            for (x0, y0), (x1, y1) in zip(defined, defined[1:]):
                assert not (x0 < pole < x1 and y0 is not None and y1 is not None), (pole, x0, x1)


def test_a_plot_leaves_out_where_the_hypotheses_fail():
    d = derivation("sqrt(x)^2", "x + 1", assume=("x > 1",))
    step = d.steps()[0]
    verdict = runner.check_step(step, 10)
    c = curves.sample(step.obligation(), verdict.counterexample)
    assert all(y is None for x, y in c.lhs if x <= 1) and any(y is not None for x, y in c.lhs if x > 1)


def test_done_gets_every_result_in_order():
    ds = [derivation("x + x", "2*x", "3*x"), derivation("exp(-x)", "1/exp(x)", "x")]
    told = []
    results = runner.run(ds, timeout=10, jobs=2, explaining=True, plotting=True, done=told.append)
    assert told == results and [r.step for r in results] == [1, 2, 1, 2]
    assert [r.curve is not None for r in results] == [r.verdict.status is Status.REFUTED for r in results]


def test_html_report_of_the_seed(tmp_path):
    out = tmp_path / "report.html"
    code, _, err = run(str(ROOT / "proofs" / "sigmoid.toml"), "--format", "html", "-o", str(out))
    assert code == 0, err
    page = out.read_text()
    seen = _Tags()
    seen.feed(page)
    assert "script" not in seen.tags and "//" not in re.sub(r'xmlns="[^"]*"|xmlns:\w+="[^"]*"', "", page)
    assert page.count('class="step refuted') == 2 and page.count("<svg") == 2
    assert page.count('class="step proven') == 16
    assert "\\frac" not in re.sub(r'title="[^"]*"', "", page)  # every line rendered, none left as TeX


def test_json_and_text_do_not_change_with_html(tmp_path):
    """The new fields stay out of the JSON report (version 1 keeps its keys)."""
    code, out, _ = run("-e", "x + x = 3*x", "--format", "json")
    step = json.loads(out)["derivations"][0]["steps"][0]
    assert "curve" not in step and "lhs_tex" not in step


def test_output_file_that_cannot_be_written(tmp_path):
    code, _, err = run("-e", "x = x", "-o", str(tmp_path / "missing" / "r.html"), "--format", "html")
    assert code == 2 and "cannot write" in err


def test_without_matplotlib_the_report_says_how_to_get_plots(monkeypatch):
    from verify import plot

    def missing(curve):
        raise ImportError("No module named 'matplotlib'")

    monkeypatch.setattr(plot, "svg", missing)
    monkeypatch.setattr(plot, "available", lambda: False)
    ds = [derivation("x^2", "x^3")]
    results = runner.run(ds, timeout=10, jobs=1, plotting=True)
    page = html.page(results, [], [])
    assert "<svg" not in page and escape(plot.INSTALL) in page and 'class="step refuted' in page


def test_a_plot_that_overruns_costs_the_plot_never_the_verdict(monkeypatch):
    """The worker sends the verdict before it samples the curves (forked, it inherits this patch)."""
    import time

    monkeypatch.setattr(curves, "sample", lambda ob, cx: time.sleep(60))
    start = time.monotonic()
    [r] = runner.run([derivation("x^2", "x^3")], timeout=1, jobs=1, explaining=False, plotting=True)
    assert r.verdict.status is Status.REFUTED and r.curve is None
    assert time.monotonic() - start < 1 + runner.GRACE + 5
