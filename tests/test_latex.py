"""The LaTeX reader and the document front end."""

import json
import re

import pytest
from helpers import ROOT
from test_cli import run

from verify import ir
from verify.errors import InputError, Location
from verify.frontends.latex import parse_latex
from verify.frontends.plain import parse_expr

AT = Location("doc.md", 4, 10)
SEED = ROOT / "tests" / "data" / "sigmoid-derivative-question.txt"  # a copy of ../shared/seed


def latex(text):
    return parse_latex(text, AT.shifted).expr


def same(latex_text, plain_text):
    assert latex(latex_text) == parse_expr(plain_text, AT), (ir.show(latex(latex_text)), plain_text)


@pytest.mark.parametrize("tex, plain", [
    (r"\frac{1}{1+e^{-x}}", "1/(1 + exp(-x))"),
    (r"\dfrac{a}{b} + \tfrac{c}{d}", "a/b + c/d"),
    (r"e^{2x}", "exp(2*x)"),
    (r"x_1 + w_{ij}", "x_1 + w_ij"),
    (r"\exp(x) \ln(x) \log(x) \sqrt{x}", "exp(x)*log(x)*log(x)*sqrt(x)"),
    (r"\sin x + \cos x + \tan x", "sin(x) + cos(x) + tan(x)"),
    (r"\sinh(x) \cosh(x) \tanh(x) \operatorname{sech}(x)", "sinh(x)*cosh(x)*tanh(x)*sech(x)"),
    (r"\alpha \beta \gamma", "alpha*beta*gamma"),
    (r"\left( x \right) \big( y \big) \Big( z \Big)", "x*y*z"),
    (r"a \cdot b \times c", "a*b*c"),
    (r"(a)(b) + 2x", "a*b + 2*x"),
    (r"\frac{d}{dx} x^2", "diff(x^2, x)"),
    (r"\frac{\partial}{\partial x} x y", "diff(x*y, x)"),
    (r"- (1+e^{-x})^{-2} \frac{d}{dx}(1+ e^{-x})", "-(1 + exp(-x))^(-2) * diff(1 + exp(-x), x)"),
    (r"\frac{d^2}{dx^2} x^3", "diff(x^3, x, 2)"),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x", "diff(x, x)"),
    (r"x \, y \; z \quad w", "x*y*z*w"),
    (r"x \text{ by the chain rule} \tag{3}", "x"),
    (r"\tanh^2(x)", "tanh(x)^2"),
    (r"\pi + \mathrm{e}", "pi + e"),
    (r"\hat{y} + \bar x", "y_hat + x_bar"),
    (r"{1 \over 2}", "1/2"),
])
def test_latex_reads_like_the_plain_syntax(tex, plain):
    same(tex, plain)


def test_primes_differentiate_defined_functions():
    from verify import calculus
    lhs = calculus.expand_derivatives(latex(r"\sigma''(x)"))
    rhs = calculus.expand_derivatives(latex(r"\frac{d^2}{dx^2}\sigma(x)"))
    assert ir.show(lhs) == ir.show(rhs)


@pytest.mark.parametrize("tex, col, words", [
    (r"\frac{1}{1+x", 18, "never closed"),
    (r"x + \foo{y}", 14, r"cannot read '\foo'"),
    (r"x }", 12, "closes nothing"),
    (r"sinx", 10, r"write \sin"),
    (r"x +", 12, "'+' needs an expression after it"),
    (r"\input{secret}", 10, r"cannot read '\input'"),
    (r"\def\x{1}", 10, r"define macros outside the formula"),
    (r"\csname x\endcsname", 10, r"cannot read '\csname'"),
    (r"\frac{d}{d(x)} x", 10, "cannot read this derivative"),
    (r"x @ y", 12, "cannot read '@'"),
])
def test_errors_are_located(tex, col, words):
    with pytest.raises(InputError) as info:
        latex(tex)
    assert words in info.value.message
    assert (info.value.location.line, info.value.location.col) == (4, col)


def test_the_copy_of_the_seed_is_current():
    shared = ROOT.parent / "shared" / "seed" / SEED.name
    if not shared.exists():
        pytest.skip("no shared/ folder beside this checkout")
    assert shared.read_text() == SEED.read_text()


def seed_markdown(tmp_path):
    blocks = re.findall(r"\\begin\{align\}.*?\\end\{align\}", SEED.read_text(), re.S)
    path = tmp_path / "seed.md"
    path.write_text("# seed\n\n" + "\n\nSome prose.\n\n".join(blocks) + "\n")
    return path


def test_the_seed_blocks_verbatim_are_three_derivations_all_proven(tmp_path):
    code, out, _ = run("--format", "json", str(seed_markdown(tmp_path)))
    report = json.loads(out)
    assert code == 0
    assert [len(d["steps"]) for d in report["derivations"]] == [4, 5, 3]
    assert {s["verdict"] for d in report["derivations"] for s in d["steps"]} == {"proven"}
    assert report["derivations"][0]["steps"][0]["lhs"] == r"\sigma'(x)"


def test_the_askers_guess_is_refuted_the_same_way_in_every_form(tmp_path):
    wrong = r"\frac{e^{-x}}{1+e^{-x}} = \frac{e^{-x}}{\sigma(x)}"
    md = tmp_path / "guess.md"
    md.write_text(f"$${wrong}$$\n")
    toml = tmp_path / "guess.toml"
    toml.write_text('[[derivation]]\nname = "g"\nlatex = ["\\\\frac{e^{-x}}{1+e^{-x}}", "\\\\frac{e^{-x}}{\\\\sigma(x)}"]\n')
    points = []
    for argv in ([str(md)], [str(toml)], ["-e", wrong]):
        code, out, _ = run("--format", "json", *argv)
        [step] = json.loads(out)["derivations"][0]["steps"]
        assert code == 1 and step["verdict"] == "refuted", argv
        points.append((step["counterexample"], step["values"]))
    assert points[0] == points[1] == points[2]


BROKEN = r"""# Notes

$$ \frac{a}{b = c $$

$$ x + \foo{y} = y + x $$

\begin{align}
(x+1)^2 &= x^2 + 2x + 1 \\
&= x^2 + 2x + \bar{} \\
&= 1 + 2x + x^2 \\
&= (1 + x)^2
\end{align}

$$ 2x = x + x $$
"""


def test_broken_latex_is_located_and_the_rest_is_checked(tmp_path):
    doc = tmp_path / "broken.md"
    doc.write_text(BROKEN)
    code, out, _ = run("--format", "json", str(doc))
    report = json.loads(out)
    assert code == 2
    errors = {(e["line"], e["col"]): e["message"] for e in report["errors"]}
    assert any("never closed" in m for m in errors.values())
    assert errors[(5, 8)].startswith(r"cannot read '\foo'")
    assert any(line == 9 for line, _ in errors)
    names = {d["name"]: [s["verdict"] for s in d["steps"]] for d in report["derivations"]}
    # the align chain keeps its readable runs: line 8 -> 9 is lost, 10 -> 11 is checked
    assert names[f"{doc}:8"] == ["proven"]
    assert names[f"{doc}:10"] == ["proven"]
    assert names[f"{doc}:14"] == ["proven"]


def test_blocks_without_a_chain_are_reported_as_skipped(tmp_path):
    doc = tmp_path / "plain.md"
    doc.write_text("$$ x^2 + 1 $$\n\n<!-- verify: skip -->\n$$ a = b $$\n")
    code, out, _ = run("--format", "json", str(doc))
    report = json.loads(out)
    assert code == 0 and report["derivations"] == []
    assert len(report["skipped"]) == 2


def test_directives_define_functions_expectations_and_hypotheses(tmp_path):
    doc = tmp_path / "d.tex"
    doc.write_text("% verify: g(t) := t^2 + 1\n"
                   "\\[ g'(x) = 2x \\]\n"
                   "% verify: expect refuted\n"
                   "\\[ g(x) = x^2 \\]\n"
                   "% verify: assume x > 0\n"
                   "\\begin{equation} \\sqrt{x^2} = x \\end{equation}\n")
    code, out, _ = run("--format", "json", str(doc))
    report = json.loads(out)
    assert code == 0, out
    verdicts = [d["steps"][0]["verdict"] for d in report["derivations"]]
    assert verdicts == ["proven", "refuted", "proven"]
    assert report["derivations"][2]["steps"][0]["conditions"] == []


def test_pasted_unicode_in_latex():
    same(r"σ(x)·(1 − σ(x)) + x²", "sigma(x)*(1 - sigma(x)) + x^2")
    same(r"\log_2 x + \tanh^{-1}(y)", "log(x)/log(2) + atanh(y)")
