"""What the front ends do around the LaTeX reader: documents and their comments, proof files,
the command line, and how the report shows what was read."""

import json
from pathlib import Path

import pytest

from test_cli import run


def report_of(*argv):
    code, out, err = run("--format", "json", *argv)
    return code, json.loads(out) if out.strip().startswith("{") else None, err


def steps(report):
    return [s for d in report["derivations"] for s in d["steps"]]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# -- the examples of issue 8, each read as meant or refused with a place


def test_leibniz_on_a_function_of_the_prelude_is_its_derivative():
    code, r, _ = report_of("-e", r"\frac{d\sigma}{dx} = \sigma(x)(1-\sigma(x))")
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven"]
    assert steps(r)[0]["lhs_read"] == "diff(sigma(x), x)"


def test_leibniz_on_a_name_defined_nowhere_is_an_error_never_zero():
    code, r, _ = report_of("-e", r"\frac{dy}{dx} = 0")
    assert code == 2 and steps(r) == []
    [e] = r["errors"]
    assert "y is not defined" in e["message"] and (e["line"], e["col"]) == (1, 1)


def test_the_chain_rule_through_defined_names_is_proven():
    code, r, _ = report_of("--define", r"L = -\log(\hat y)", "--define", r"\hat y = \sigma(z)", "-e",
                           r"\frac{\partial L}{\partial z} = \frac{\partial L}{\partial \hat y}\cdot"
                           r"\frac{\partial \hat y}{\partial z} = \hat{y} - 1")
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven", "proven"]


def test_definitions_compose_in_any_order(tmp_path):
    proof = write(tmp_path, "bce.toml", '[[derivation]]\nname = "d"\n'
                                        'assume = ["L = -log(y_hat)", "y_hat = 1/(1 + exp(-z))"]\n'
                                        "latex = ['\\frac{\\partial L}{\\partial z}', '\\hat{y} - 1']\n")
    code, r, _ = report_of(proof)
    assert code == 0 and steps(r)[0]["verdict"] == "proven"


def test_an_unknown_function_offers_both_readings():
    for chain in ("g(x) = x^{2}", r"h(x+1) = 2"):
        code, r, _ = report_of("-e", chain)
        assert code == 2 and steps(r) == []
        assert "define the function" in r["errors"][0]["message"] and "\\cdot (...)" in r["errors"][0]["message"]


def test_a_name_used_as_a_variable_elsewhere_multiplies_its_parentheses():
    code, r, _ = report_of("-e", r"x(1-x) = x - x^2")
    assert code == 0 and steps(r)[0]["lhs_read"] == "x*(1 - x)"


def test_functions_reach_over_the_juxtaposed_product():
    code, r, _ = report_of("-e", r"\sin 2x = 2\sin x\cos x")
    assert code == 0 and steps(r)[0]["lhs_read"] == "sin(2*x)"
    code, r, _ = report_of("-e", r"\ln xy = \ln x + \ln y")
    assert code == 0 and steps(r)[0]["conditions"] == ["x > 0", "y > 0"]


def test_a_directive_in_the_plain_syntax_keeps_its_names(tmp_path):
    doc = write(tmp_path, "n.md", "<!-- verify: assume 0 < y_hat < 1 -->\n$$ \\hat y (1 - \\hat y) = \\hat y - \\hat y^2 $$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and r["derivations"][0]["assume"] == ["0 < y_hat", "y_hat < 1"]


def test_a_tab_where_latex_was_meant_is_an_error_that_says_use_single_quotes(tmp_path):
    proof = write(tmp_path, "t.toml", '[[derivation]]\nname = "t"\nlatex = ["\\tanh(x)", "x"]\n')
    code, r, _ = report_of(proof)
    assert code == 2 and steps(r) == []
    [e] = r["errors"]
    assert "a tab" in e["message"] and "single quotes" in e["message"] and e["line"] == 3
    proof = write(tmp_path, "s.toml", '[[derivation]]\nname = "t"\nlatex = ["\\sigma(x)", "x"]\n')
    code, r, _ = report_of(proof)
    assert code == 2 and "single quotes" in r["errors"][0]["message"]


# -- documents


def test_definitions_and_hypotheses_hold_for_the_rest_of_the_document(tmp_path):
    doc = write(tmp_path, "d.md", "<!-- verify: u := 1 + e^{-x} -->\n"
                                  "<!-- verify: throughout assume x > 0 -->\n"
                                  "$$ \\frac{du}{dx} = -e^{-x} $$\n\n"
                                  "$$ \\sqrt{x^2} = x $$\n")
    code, r, _ = report_of(doc)
    assert code == 0, r
    assert [s["verdict"] for s in steps(r)] == ["proven", "proven"]
    assert r["derivations"][1]["assume"] == ["x > 0"]


def test_a_definition_that_refers_to_itself_is_an_error(tmp_path):
    doc = write(tmp_path, "c.md", "<!-- verify: x := y -->\n<!-- verify: y := x + 1 -->\n$$ x = x $$\n")
    code, r, _ = report_of(doc)
    assert code == 2 and "refers to itself" in r["errors"][0]["message"] and r["errors"][0]["line"] == 2


def test_newcommand_in_a_document_and_in_a_block(tmp_path):
    doc = write(tmp_path, "m.tex", "\\newcommand{\\paren}[1]{\\left(#1\\right)}\n"
                                   "\\DeclareMathOperator{\\sech}{sech}\n"
                                   "\\[ \\newcommand{\\half}{\\frac{1}{2}} \\half \\paren{x + x} = x \\]\n"
                                   "\\[ \\sech x = \\frac{2}{e^x + e^{-x}} \\]\n")
    code, r, _ = report_of(doc)
    assert code == 0, r
    assert [s["verdict"] for s in steps(r)] == ["proven", "proven"]


def test_a_macro_that_calls_itself_is_an_error_not_a_hang(tmp_path):
    doc = write(tmp_path, "loop.md", "$$ \\newcommand{\\a}{\\a x} \\a = x $$\n")
    code, r, _ = report_of(doc)
    assert code == 2 and "does not end" in r["errors"][0]["message"]


def test_two_equations_in_one_display_and_a_condition_beside_them(tmp_path):
    doc = write(tmp_path, "two.md", "$$ \\sqrt{x^2} = x, \\quad \\ln(x^2) = 2\\ln x, \\qquad x > 0 $$\n")
    code, r, _ = report_of(doc)
    assert code == 0, r
    assert [len(d["steps"]) for d in r["derivations"]] == [1, 1]
    assert all(d["assume"] == ["x > 0"] for d in r["derivations"])


def test_hints_beside_and_above_the_equals_sign(tmp_path):
    doc = write(tmp_path, "h.md", "\\begin{align}\n(x+1)^2 &= x^2 + 2x + 1 && \\text{(expand)} \\\\\n"
                                  "&\\overset{\\text{regroup}}{=} 1 + 2x + x^2\n\\end{align}\n")
    code, r, _ = report_of(doc)
    assert code == 0, r
    assert [s["hint"] for s in steps(r)] == ["expand", "regroup"]


def test_an_unclosed_display_is_an_error_at_its_opening_line(tmp_path):
    for text, opening in (("ok\n\n$$ x = x\n\nmore", "$$"), ("a\n\\begin{align}\nx &= x\n", "\\begin{align}")):
        doc = write(tmp_path, "u.md", text)
        code, r, _ = report_of(doc)
        assert code == 2, text
        [e] = r["errors"]
        assert f"this {opening} is never closed" in e["message"] and e["line"] == text.split(opening)[0].count("\n") + 1


def test_a_chain_that_starts_by_naming_its_result_is_checked_from_its_second_line(tmp_path):
    doc = write(tmp_path, "l.md", "$$ L = -\\ln \\sigma(z) = \\ln(1 + e^{-z}) $$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and len(steps(r)) == 1
    assert any("defines L" in n["message"] for n in r["skipped"])


def test_rows_with_the_same_left_side_and_implication_arrows_make_one_chain(tmp_path):
    doc = write(tmp_path, "rows.md", "<!-- verify: y := 2x^2 -->\n$$ y' = 2x + 2x \\\\ \\Rightarrow y' = 4x $$\n")
    code, r, _ = report_of(doc)
    assert code == 0, r
    assert [(s["lhs"], s["rhs"]) for s in steps(r)] == [("y'", "2x + 2x"), ("2x + 2x", "4x")]


def test_proofwiki_equation_tables_read_as_chains_with_their_reasons(tmp_path):
    doc = write(tmp_path, "pw.md", "\\(\\ds \\map {\\dfrac \\d {\\d x} } {x^2}\\) \\(=\\) \\(\\ds 2 x\\) Power Rule\n"
                                   "\\(\\ds \\) \\(=\\) \\(\\ds x + x\\) \n")
    macros = write(tmp_path, "pw.tex", "\\newcommand{\\map}[2]{#1 \\left( {#2} \\right)}\n"
                                       "\\newcommand{\\ds}{\\displaystyle}\n\\newcommand{\\d}{\\mathrm d}\n")
    code, r, _ = report_of("--macros", macros, doc)
    assert code == 0, r
    assert [s["hint"] for s in steps(r)] == ["Power Rule", None]


# -- the command line and proof files


def test_dollars_around_a_pasted_formula_are_dropped():
    for text in (r"$\frac{1}{2} = 0.5$", r"$$ x + x = 2x $$", r"\[ x = x \]"):
        code, r, _ = report_of("-e", text)
        assert code == 0 and len(steps(r)) == 1, text


def test_define_and_assume_apply_to_the_chains():
    code, r, _ = report_of("--define", "f(x) = x^2", "--assume", "x > 0", "-e", r"\sqrt{f(x)} = x")
    assert code == 0 and steps(r)[0]["verdict"] == "proven"
    assert r["derivations"][0]["assume"] == ["x > 0"]


def test_the_plain_syntax_reads_d_dx():
    code, r, _ = report_of("-e", "d/dx(x**3) = 3*x**2", "-e", "d/dx x**2*exp(x) + 1 = (2*x + x**2)*exp(x) + 1")
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven", "proven"]
    assert steps(r)[1]["lhs_read"] == "diff(x**2*exp(x), x) + 1"


def test_latex_macros_in_a_proof_file(tmp_path):
    proof = write(tmp_path, "m.toml", "[latex.macros]\n'\\paren' = '\\left( #1 \\right)'\n\n"
                                      "[[derivation]]\nname = \"p\"\nlatex = ['\\paren{x + 1}^2', 'x^2 + 2x + 1']\n")
    code, r, _ = report_of(proof)
    assert code == 0 and steps(r)[0]["verdict"] == "proven"


def test_the_reading_is_shown_for_latex_steps_not_proven_and_on_request():
    code, out, _ = run("-e", r"\frac{d}{dx} x^2 = 3x")
    assert code == 1 and "read as: diff(x**2, x)" in out
    code, out, _ = run("-e", r"\frac{d}{dx} x^2 = 2x")
    assert code == 0 and "read as" not in out
    code, out, _ = run("--show-reading", "-e", r"\frac{d}{dx} x^2 = 2x")
    assert "read as: diff(x**2, x)" in out and "= 2*x" in out


def test_a_function_the_derivation_does_not_specify():
    code, r, _ = report_of("--define", "y = y(x)", "-e", r"\frac{d}{dx}(y^2) = 2y\frac{dy}{dx} = 2yy'")
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven", "proven"]
    assert r["derivations"][0]["assume"] == ["y = y(x), a function the derivation does not specify"]
    code, r, _ = report_of("--define", "u = u(x)", "-e", r"\frac{d}{dx} u^2 = u \frac{du}{dx}")
    [s] = steps(r)
    assert code == 1 and s["verdict"] == "refuted" and set(s["counterexample"]) == {"u", "u'"}
    code, r, _ = report_of("--define", "u = u(x)", "-e", r"u \Big|_{x=1} = 2")
    assert steps(r)[0]["verdict"] == "unknown" and "does not specify" in steps(r)[0]["detail"]


# -- from a skeptical probe: each of these was once read as another formula and given a verdict


def test_align_columns_rows_with_a_sign_and_blocks_that_go_on(tmp_path):
    doc = write(tmp_path, "a.tex", r"""\begin{align}(x+1)^2 &= x^2+2x+1 & (x-1)^2 &= x^2-2x+1 \\
\frac{d}{dx}\cos x &= -\sin x \\ -\frac{d}{dx}\cos x &= \sin x\end{align}
""")
    code, r, _ = report_of(doc)
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven"] * 4, r
    doc = write(tmp_path, "b.md", "$$ (x+1)^2 = x^2+2x+1 $$\n\n$$ (x-1)^2 $$\n\n$$ = x^2 - 2x + 1 $$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and [(s["lhs"], s["verdict"]) for s in steps(r)][-1] == ("(x-1)^2", "proven")


def test_a_stray_part_of_a_row_is_an_error_not_a_dropped_part(tmp_path):
    doc = write(tmp_path, "c.md", r"""$$ 1,5 + 1 = 2,5 $$

$$ |x| = x, \quad x \ge 0; \qquad |x| = -x, \quad x < 0 $$
""")
    code, r, _ = report_of(doc)
    assert code == 2 and len(r["errors"]) == 2 and "decimal comma" in r["errors"][0]["message"]
    assert [(d["assume"], d["steps"][0]["verdict"]) for d in r["derivations"]] == [(["x >= 0"], "proven"),
                                                                                  (["x < 0"], "proven")]


def test_what_is_not_typeset_is_not_checked(tmp_path):
    doc = write(tmp_path, "v.tex", r"""\begin{verbatim}
\[ 5 + 5 = 11 \]
\end{verbatim}
\iffalse \[ 1 = 2 \] \fi
\verb|\[5+5=11\]|
\[ 2 = 2 \]
""")
    code, r, _ = report_of(doc)
    assert code == 0 and len(steps(r)) == 1
    doc = write(tmp_path, "i.md", "Text.\n\n    $$ 3 + 3 = 7 $$\n\nMore.\n")
    code, r, _ = report_of(doc)
    assert code == 0 and steps(r) == []


def test_glued_names_and_python_digit_separators_in_the_plain_syntax():
    code, r, _ = report_of("-e", "x*y = xy")
    assert code == 2 and "one name in the plain syntax" in r["errors"][0]["message"]
    code, r, _ = report_of("-e", "x^2_1 = x_1^2")  # Python would read 2_1 as 21; LaTeX reads x_1^2
    assert code == 0 and steps(r)[0]["verdict"] == "proven"


def test_a_document_that_redefines_a_built_in_gets_a_note_and_sigma_can_be_a_variable(tmp_path):
    doc = write(tmp_path, "s.md", "$$\\sigma(x) = \\frac{1}{1+e^{-x/T}}$$\n")
    code, r, _ = report_of(doc)
    assert code == 1 and "built in as sigma(x)" in steps(r)[0]["notes"][0]
    doc = write(tmp_path, "v.md", "<!-- verify: variable \\sigma -->\n$$ \\frac{x - \\mu}{\\sigma} \\cdot \\sigma = x - \\mu $$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and steps(r)[0]["conditions"] == ["sigma != 0"]


def test_an_unreadable_comment_stops_the_block_it_was_for(tmp_path):
    doc = write(tmp_path, "u.md", "<!-- verify: assume x =< 0 -->\n$$ \\sqrt{x^2} = -x $$\n")
    code, r, _ = report_of(doc)
    assert code == 2 and steps(r) == [] and any("could not be read" in n["message"] for n in r["skipped"])
    code, r, _ = report_of("-e", r"\sqrt{x^2} = x", "--assume", "x =< 0")
    assert code == 2 and steps(r) == []


# -- the second probe: readings that used to get a verdict about a line nobody wrote

def _verdicts(r):
    return [(s["lhs_read"], s["rhs_read"], s["verdict"]) for s in steps(r)]


def test_an_equation_number_is_not_a_factor():
    code, r, _ = report_of("-e", r"\frac{d}{dx} x^3 = x^2 \qquad (3)")
    [s] = steps(r)
    assert s["rhs_read"] == "x**2" and s["verdict"] == "refuted"
    assert any("equation number" in n for n in s["notes"])


def test_a_definition_by_a_display_ends_at_the_next_heading_and_a_found_value_defines_nothing(tmp_path):
    doc = write(tmp_path, "n.md", "Solve $3x-6=0$. Then\n\n$$x = 2$$\n\nIn general:\n\n$$(x+1)^2 = x^2 + 2x + 1$$\n\n"
                "### Example 1\n\n$$y = x^3 + 2x$$\n\n$$\\frac{dy}{dx} = 3x^2 + 2$$\n\n### Example 2\n\n"
                "$$y = \\sin x$$\n\n$$\\frac{dy}{dx} = \\cos x$$\n")
    code, r, _ = report_of(doc)
    assert code == 0, r
    assert [v for *_, v in _verdicts(r)] == ["proven"] * 3
    assert [d["assume"] for d in r["derivations"]][0] == []  # x = 2 was not used as a definition
    assert any("states a value of x" in n["message"] for n in r["skipped"])


def test_values_given_in_a_list_define_their_names(tmp_path):
    doc = write(tmp_path, "l.md", "With\n\n- $a = 3$\n- $b = 4$\n\n$$c = \\sqrt{a^2+b^2} = \\sqrt{9+16} = 5$$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and [v for *_, v in _verdicts(r)] == ["proven", "proven"]


def test_cases_that_share_a_left_side_are_separate_claims(tmp_path):
    doc = write(tmp_path, "c.md", "$$\\begin{aligned}\\sqrt{x^2} &= x \\quad (x \\ge 0) \\\\ \\sqrt{x^2} &= -x \\quad "
                                  "(x \\le 0)\\end{aligned}$$\n")
    code, r, _ = report_of(doc)
    assert [(d["assume"], [s["rhs_read"] for s in d["steps"]]) for d in r["derivations"]] == \
        [(["x >= 0"], ["x"]), (["x <= 0"], ["-x"])]
    assert code == 0


@pytest.mark.parametrize("row", [r"&\quad + 3x + 1", r"&\qquad+ 3x + 1", r"&\; + 3x + 1", r"& {} + 3x + 1",
                                 r"&\phantom{=} + 3x + 1", r"&\hspace{1cm} + 3x + 1"])
def test_a_continuation_row_may_start_with_space(tmp_path, row):
    doc = write(tmp_path, "r.md", "$$\\begin{aligned}(x+1)^3 &= x^3 + 3x^2 \\\\ " + row + "\\end{aligned}$$\n")
    code, r, _ = report_of(doc)
    assert _verdicts(r) == [("(x + 1)**3", "x**3 + 3*x**2 + 3*x + 1", "proven")], r


def test_a_row_that_cannot_be_read_takes_the_line_it_may_have_cut_off_with_it(tmp_path):
    doc = write(tmp_path, "s.md", "$$\\begin{aligned}(x+1)^2 &= x^2 + 2x \\\\ & 1, 2\\end{aligned}$$\n")
    code, r, _ = report_of(doc)
    assert steps(r) == [] and r["errors"]


@pytest.mark.parametrize("tail, hypotheses", [
    (r"\quad \text{(for $x \geq 0$)}", ["x >= 0"]), (r"\quad if\ x > 0", ["x > 0"]),
    (r"\quad \mathrm{for}\ x > 0", ["x > 0"]), (r"\qquad x, y \geq 0", ["x >= 0", "y >= 0"]),
])
def test_conditions_written_in_words_or_after_a_wide_space(tail, hypotheses):
    code, r, _ = report_of("-e", r"\sqrt{x^2 y^2} = \sqrt{x^2}\sqrt{y^2} " + tail)
    [d] = r["derivations"]
    assert d["assume"] == hypotheses and steps(r)[0]["verdict"] == "proven"


def test_a_condition_that_cannot_be_read_stops_its_chain(tmp_path):
    doc = write(tmp_path, "w.md", "$$\\sqrt{x^2} = x \\quad \\text{when $x$ is positive}$$\n")
    code, r, _ = report_of(doc)
    assert steps(r) == [] and "must be inequalities" in r["errors"][0]["message"]


@pytest.mark.parametrize("line", [r"\text{so}\quad x^2 = x\cdot x", r"\text{Then } x^2 = x x", r"\mathrm{and}\, x^2 = x x",
                                  r"(x+1)^2 = x^2+2x+1 \quad (\mathrm{expand})"])
def test_words_are_never_variables(line):
    code, r, _ = report_of("-e", line)
    [s] = steps(r)
    assert s["verdict"] == "proven" and s["hint"]


@pytest.mark.parametrize("argv", [
    ["--define", "z = wx + b", "-e", "z - b = w x"],
    ["--assume", "mx > 0", "-e", r"m x = \frac{2 m x}{2}"],
])
def test_a_glued_name_in_a_definition_is_an_error_where_latex_reads_a_product(argv):
    code, r, _ = report_of(*argv)
    assert code == 2 and "one name in the plain syntax but a product in LaTeX" in r["errors"][0]["message"]


def test_a_document_comment_with_a_glued_name_stops_the_block_after_it(tmp_path):
    doc = write(tmp_path, "g.md", "<!-- verify: assume y = mx + c -->\n$$ y - c = m x $$\n")
    code, r, _ = report_of(doc)
    assert steps(r) == [] and "write m*x for a product" in r["errors"][0]["message"]


@pytest.mark.parametrize("chain, glued", [("xy/yx = 1", "'yx' is a name here too"), ("ad - bc = da - cb", "'cb'"),
                                          ("x*y + xy = 2*x*y", "x, y are variables here")])
def test_plain_names_that_reorder_each_others_letters_are_products_written_without_a_star(chain, glued):
    code, r, _ = report_of("-e", chain)
    assert code == 2 and glued in r["errors"][0]["message"]


@pytest.mark.parametrize("chain", ["d/dx (x+1)^2 = 2*(x+1)", "d/dx (1+x)^-1 = -1/(1+x)^2", "d/dx (x+1)**(2) = 2*(x+1)"])
def test_the_plain_d_dx_takes_the_power_of_its_bracket(chain):
    code, r, _ = report_of("-e", chain)
    [s] = steps(r)
    assert s["verdict"] == "proven" and s["lhs_read"].startswith("diff(") and s["lhs_read"].endswith(", x)")


def test_a_display_that_defines_a_function_or_redefines_sigma(tmp_path):
    doc = write(tmp_path, "d.md", "$$ \\sigma(x) := \\frac{1}{1+e^{-2x}} $$\n\n$$\\sigma'(x) = 2\\sigma(x)(1-\\sigma(x))$$\n\n"
                                  "$$f(x) = x^3 - 3x$$\n\n$$f'(x) = 3x^2 - 3$$\n\n$$ g(x) \\coloneqq \\sin x $$\n\n"
                                  "$$g'(x) = \\cos x$$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven"] * 3


def test_a_definition_in_a_display_that_cannot_be_read_stops_the_document(tmp_path):
    doc = write(tmp_path, "b.md", "$$ \\sigma(x) := \\frac{1}{1+e^{-2x} $$\n\n$$\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$$\n")
    code, r, _ = report_of(doc)
    assert steps(r) == [] and code == 2


def test_a_name_a_chain_defines_holds_for_the_next_chain_of_the_same_display(tmp_path):
    doc = write(tmp_path, "u.md", "$$u = x^2+1, \\quad \\frac{du}{dx} = 2x$$\n\n"
                                  "$$\\frac{d}{du}\\sqrt{u} \\cdot \\frac{du}{dx} = \\frac{1}{2\\sqrt{u}} \\cdot 2x$$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven", "proven"]


def test_a_macro_that_spells_a_function_and_plain_tex_eqalign(tmp_path):
    doc = write(tmp_path, "e.md", "\\newcommand{\\sech}{sech}\n\n$$1 - \\tanh^2{x} = \\sech^2{x}$$\n\n"
                                  "<!-- verify: f(x) := 1/(1+e^{-x}) -->\n"
                                  "$$\\eqalign{ f(x) &= {1 \\over {1 + e^{-x}}} \\cr &= (1 + e^{-x})^{-1} \\cr}$$\n")
    code, r, _ = report_of(doc)
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven"] * 3


def test_a_proof_file_locates_an_unknown_key_and_a_wrong_expect_at_their_own_lines(tmp_path):
    f = write(tmp_path, "a.toml", 'title = "t"\ntitel = "typo"\n\n[[derivation]]\nname = "d"\nlines = ["x", "x", "x"]\n'
              'expect = ["proven", "refuted", "proven"]\n\n[[derivation]]\nname = "e"\nlines = ["x", "x"]\n'
              '  exepct = ["proven"]\n')
    _, report, _ = report_of(f)
    where = sorted((e["line"], e["col"], e["message"][:30]) for e in report["errors"])
    assert [(line, col) for line, col, _ in where] == [(2, 1), (7, 1), (12, 3)], where
    assert "titel" in where[0][2] and "'expect' has 3" in where[1][2] and "exepct" in where[2][2]


def test_a_proof_file_with_a_byte_order_mark_is_read(tmp_path):
    f = tmp_path / "bom.toml"
    f.write_bytes("\ufeff".encode() + b'[[derivation]]\nlines = ["x + x", "2*x"]\n')
    code, out, _ = run("--format", "json", str(f))
    assert code == 0 and json.loads(out)["summary"]["proven"] == 1


def test_a_proof_file_keeps_the_steps_between_readable_lines_and_reports_every_unread_one(tmp_path):
    f = write(tmp_path, "a.toml", '[[derivation]]\nname = "d"\n'
              'lines = ["x + x", "2*x", "foo(x)", "3*x", "x + 2*x", "x + 2*x", "bar(x) + 1", "1"]\n'
              'expect = ["proven", "proven", "proven", "refuted", "proven"]\n')
    code, report, _ = report_of(f)
    got = [(d["name"], [s["verdict"] for s in d["steps"]], [s["expected"] for s in d["steps"]])
           for d in report["derivations"]]
    assert got == [("d, lines 1 to 2", ["proven"], ["proven"]),
                   ("d, lines 4 to 6", ["proven", "proven"], ["refuted", "proven"])]
    row = Path(f).read_text().splitlines()[2]
    unread = [(e["line"], e["col"]) for e in report["errors"]]
    assert unread == [(3, row.index("foo") + 1), (3, row.index("bar") + 1)]  # every unknown function, each located
    assert "foo" in report["errors"][0]["message"] and "bar" in report["errors"][1]["message"]
    assert code == 2 and report["summary"]["unexpected"] == 1


def test_a_toml_file_that_is_no_proof_file_holds_nothing_to_check(tmp_path):
    other = write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    code, _, err = run(str(other))
    assert code == 0 and "holds nothing to check" in err
    typo = write(tmp_path, "typo.toml", '[[derivations]]\nlines = ["x", "x"]\n')
    code, out, _ = run("--format", "json", str(typo))
    assert code == 2 and "did you mean 'derivation'" in json.loads(out)["errors"][0]["message"]


# A side equation beside a row of an align (`&= A, \quad B = C`) is a claim of its own; the rows below go on
# from the equation the & aligns (a probe of public derivations found them continuing the side equation).
EPSILONIFY = (  # https://epsilonify.com/mathematics/calculus/what-is-the-integral-of-sin-square-x, as published
    r"\begin{align*} \int \sin^2(x) dx &= \int \frac{1}{2}(1 - \cos(2x)) dx \\ &= \frac{1}{2} \int (1 - \cos(2x)) dx, "
    r"\quad \sin^2(x) = \frac{1}{2}(1 - \cos(2x)) \\ &= \frac{1}{2} \bigg(x - \frac{1}{2}\sin(2x)\bigg) + C \\ "
    r"&= \frac{x}{2} - \frac{1}{4}\sin(2x) + C \\ &= \frac{x}{2} - \frac{1}{4}\cdot 2\sin(x)\cos(x) + C, \quad "
    r"\sin(2x) = 2\sin(x)\cos(x) \\ &= \frac{1}{2}(x - \sin(x)\cos(x)) + C. \end{align*}")


def test_rows_go_on_from_the_equation_the_ampersand_aligns_not_a_side_equation(tmp_path):
    code, r, _ = report_of(write(tmp_path, "e.md", EPSILONIFY + "\n"))
    assert code == 0 and not r["errors"]
    main, *side = r["derivations"]
    assert [s["lhs"] for s in main["steps"]][:2] == [r"\int \sin^2(x) dx", r"\int \frac{1}{2}(1 - \cos(2x)) dx"]
    assert len(main["steps"]) == 6 and main["steps"][-1]["rhs"] == r"\frac{1}{2}(x - \sin(x)\cos(x)) + C"
    assert [(s["lhs"], s["rhs"]) for d in side for s in d["steps"]] == [
        (r"\sin^2(x)", r"\frac{1}{2}(1 - \cos(2x))"), (r"\sin(2x)", r"2\sin(x)\cos(x)")]
    assert all(s["verdict"] == "proven" for s in steps(r))


def test_a_row_below_two_unaligned_equations_is_an_error_not_a_guess(tmp_path):
    doc = write(tmp_path, "a.md", "$$\n\\begin{aligned}\n(x+1)^2 = x^2 + 2x + 1, \\quad (x-1)^2 = x^2 - 2x + 1 \\\\\n"
                                  "= (x - 1)(x - 1) \\\\\n= (x-1)^2\n\\end{aligned}\n$$\n\n"
                                  "$$(x+1)^2 = (x+1)(x+1), \\quad (x-1)^2 = (x-1)(x-1)$$\n\n$$= x^2 - 2x + 1$$\n")
    code, r, _ = report_of(doc)
    assert code == 2
    assert [(e["line"], e["col"]) for e in r["errors"]] == [(4, 1), (11, 3)]  # once for the rows below row 3
    assert "which one it goes on from is not clear" in r["errors"][0]["message"]
    assert all(len(d["steps"]) == 1 for d in r["derivations"]) and len(r["derivations"]) == 4


def test_each_column_of_a_two_column_align_goes_on_in_its_own(tmp_path):
    doc = write(tmp_path, "c.md", "\\begin{align}\na &= 2x & b &= 3x \\\\\n  &= x + x & &= 2x + x\n\\end{align}\n")
    code, r, _ = report_of(doc)
    assert code == 0 and not r["errors"]
    assert [(s["lhs"], s["rhs"]) for s in steps(r)] == [("2x", "x + x"), ("3x", "2x + x")]


# e and pi are numbers: a line that defines them as quantities is an error, never a constraint on another
# variable (`e := y - \hat y` was solved for \hat y, and `\pi = 2w` for w, which then proved \pi^2 = 4w^2).
@pytest.mark.parametrize("argv", [("-e", r"\pi^2 = 4w^2", "--define", r"\pi = 2w"),
                                  ("-e", "x = x", "--define", "e = y - 1"),
                                  ("-e", r"e = y - \hat{y}")])
def test_e_and_pi_cannot_be_defined_on_the_command_line(argv):
    code, r, _ = report_of(*argv)
    assert code == 2 and not steps(r)
    assert len(r["errors"]) == 1 and ("Euler's number" in r["errors"][0]["message"]
                                      or "the number pi" in r["errors"][0]["message"])


def test_e_as_a_quantity_in_a_document_is_a_located_error_and_e_the_number_still_reads(tmp_path):
    doc = write(tmp_path, "e.md", "<!-- verify: e := y - \\hat{y} -->\n\n$$\\frac{d}{dy} y^2 = 2y$$\n\n")
    code, r, _ = report_of(doc)
    assert code == 2 and not steps(r) and (r["errors"][0]["line"], r["errors"][0]["col"]) == (1, 14)
    doc = write(tmp_path, "f.md", "$$e = y - \\hat{y}$$\n\n$$\\pi = \\frac{C}{d}$$\n\n$$e^{\\ln 2} = 2$$\n\n"
                                  "$$\\pi = 4\\arctan 1$$\n\n$$2e\\pi = \\pi e + e\\pi$$\n")
    code, r, _ = report_of(doc)
    assert code == 2 and [(e["line"], e["col"]) for e in r["errors"]] == [(1, 3), (3, 3)]
    assert [s["lhs"] for s in steps(r)] == [r"e^{\ln 2}", r"\pi", r"2e\pi"]
    assert all(s["verdict"] == "proven" for s in steps(r))


# Wikipedia, "Logistic function", Derivative: "f(x) = \frac{1}{1+e^{-x}} = \frac{e^x}{1+e^x}", then the
# derivative in terms of f. As `L = A = B` defines L, `f(x) = A = B` defines f, and A = B is checked.
@pytest.mark.parametrize("display", [r"$$f(x) = \frac{1}{1 + e^{-x}} = \frac{e^x}{1 + e^x},$$",
                                     "$$\\begin{aligned}\nf(x) &= \\frac{1}{1 + e^{-x}} \\\\\n"
                                     "&= \\frac{e^x}{1 + e^x}\n\\end{aligned}$$"])
def test_a_chain_that_starts_with_an_undefined_function_defines_it(tmp_path, display):
    doc = write(tmp_path, "f.md", display + "\n\n$$\\frac{d}{dx} f(x) = f(x)(1 - f(x)) = f(x) - f(x)^2 + 1$$\n")
    code, r, _ = report_of(doc)
    assert not r["errors"] and "defines f(x) for the rest of the document" in " ".join(n["message"] for n in r["skipped"])
    assert [(s["lhs"], s["verdict"]) for s in steps(r)] == [
        (r"\frac{1}{1 + e^{-x}}", "proven"), (r"\frac{d}{dx} f(x)", "proven"), ("f(x)(1 - f(x))", "refuted")]
    assert code == 1  # the last step is wrong: f is the sigmoid, so f - f^2 + 1 is not f(1 - f)


def test_a_block_that_is_only_an_approximation_is_skipped_with_a_note_not_an_error(tmp_path):
    code, r, _ = report_of(write(tmp_path, "a.md", "$$\n\\sin x \\approx x\n$$\n\n$$\nx + x = 2x\n$$\n"))
    assert code == 0 and not r["errors"] and len(steps(r)) == 1
    assert [(n["line"], "relation other than '='" in n["message"]) for n in r["skipped"]] == [(2, True)]


def test_a_block_after_an_inline_equation_does_not_reach_back_to_the_display_before(tmp_path):
    """Socratic writes "So $\\int 2x\\,dx = x^2 + C$" and then a paragraph "$= ...$": the '=' goes on from the
    inline equation, which verify does not read as a line, so it is an error, not a step from the display
    two paragraphs up. Inline math without an equation ($x$) does not stand between."""
    code, r, _ = report_of(write(tmp_path, "c.md", "$$x^2 - 1 = (x-1)(x+1)$$\n\nSo $\\int 2x \\, dx = x^2 + C$ and "
                                                   "then\n\n$= x^2 + 7$\n"))
    assert code == 2 and [s["rhs"] for s in steps(r)] == ["(x-1)(x+1)"]
    assert r["errors"][0]["line"] == 5
    assert "the inline math before it ($\\int 2x \\, dx = x^2 + C$)" in r["errors"][0]["message"]
    code, r, _ = report_of(write(tmp_path, "d.md", "$$x^2 - 1 = (x-1)(x+1)$$\n\nwhere $x$ is real and $x > 0$.\n\n"
                                                   "$$= x \\cdot x - 1$$\n"))
    assert code == 0 and [s["rhs"] for s in steps(r)] == ["(x-1)(x+1)", r"x \cdot x - 1"]


def test_a_lone_display_that_is_no_formula_is_skipped_and_its_error_said_only_if_a_block_goes_on_from_it(tmp_path):
    r"""mathsismaths.com ends a proof with \[QED\]: skipped with a note, not an error; a '=' block after an
    unreadable line reports why that line could not be read."""
    code, r, _ = report_of(write(tmp_path, "q.md", "$$x + x = 2x$$\n\n\\[QED\\]\n"))
    assert code == 0 and not r["errors"] and [n["line"] for n in r["skipped"]] == [3]
    code, r, _ = report_of(write(tmp_path, "p.md", "$$\\frac{d}{dx} QED$$\n\n$$= 0$$\n"))
    assert code == 2 and [(e["line"], e["col"]) for e in r["errors"]] == [(1, 16)] and "Q·E·D" in r["errors"][0]["message"]


def test_a_name_a_definition_uses_is_defined_by_the_display_that_gives_it(tmp_path):
    """zakariapz.github.io's softmax post: L = -\\log p_1, then p_1 = softmax. p_1 appears only inside L's
    definition, so its display defines it; it was checked as a claim about a free p_1 and refuted."""
    doc = write(tmp_path, "p.md", "$$ L = -\\log p_1 $$\n$$ p_1 = \\frac{e^{a_1}}{e^{a_1} + e^{a_2}} $$\n"
                                  "$$ \\frac{\\partial L}{\\partial a_1} = p_1 - 1 $$\n\n"
                                  "$$ \\frac{\\partial L}{\\partial a_2} = p_1 $$\n")
    code, r, _ = report_of(doc)
    assert code == 1 and not r["errors"] and any("defines p_1" in n["message"] for n in r["skipped"])
    assert [s["verdict"] for s in steps(r)] == ["proven", "refuted"]  # dL/da_2 = p_2, not p_1


def test_a_definition_whose_left_side_is_no_name_is_an_error_not_an_equation_for_one_instance(tmp_path):
    """<!-- verify: ell_j := -y_j \\log p_j -->: in LaTeX ell is e·l·l, so this defines nothing. It was solved
    as an equation for ell_1, in the instance j = 1 alone, and a correct step was refuted."""
    doc = write(tmp_path, "l.md", "<!-- verify: throughout indices C = 3, j = 1..C -->\n"
                                  "<!-- verify: ell_j := - y_j \\log p_j -->\n"
                                  "\\[ -\\sum_{j=1}^C y_j \\log p_j = -\\sum_{j=1}^C \\ell_j \\]\n")
    code, r, _ = report_of(doc)
    assert code == 2 and not steps(r) and (r["errors"][0]["line"], r["errors"][0]["col"]) == (2, 14)
    assert "must be one name" in r["errors"][0]["message"] and "e·l·l" in r["errors"][0]["message"]
    text = (tmp_path / "l.md").read_text().replace("ell_j :=", "\\ell_j :=")
    code, r, _ = report_of(write(tmp_path, "m.md", text))  # the post's own sign slip: -sum y log p = +sum ell
    assert code == 1 and [s["verdict"] for s in steps(r)] == ["refuted"]
    code, r, _ = report_of(write(tmp_path, "n.md", text.replace("= -\\sum_{j=1}^C \\ell_j", "= \\sum_{j=1}^C \\ell_j")))
    assert code == 0 and [s["verdict"] for s in steps(r)] == ["proven"]


def test_a_name_the_prose_defines_is_an_error_in_the_chains_that_use_it(tmp_path):
    """math.wikia's half-angle page: "First, let $t = \\tan(x/2)$", then chains in t. verify does not read
    prose as definitions, so with t free it refuted correct steps; now it says why it does not check them.
    A value ("with $x = 2$") or an equation in prose without a defining word changes nothing."""
    doc = write(tmp_path, "t.md", "First, let $t = \\tan\\left(\\frac{x}{2}\\right)$. Then\n\n"
                                  "$$\\sin x = \\frac{2t}{1 + t^2}$$\n\nwhile $y = x^2$ is a parabola and\n\n"
                                  "$$y \\cdot 1 = y$$\n\nwith $x = 2$,\n\n$$x + x = 2x$$\n\n"
                                  "$$\\frac{dt}{dx} = \\frac{1}{2}\\sec^2 \\frac{x}{2} = \\frac{1 + t^2}{2}$$\n")
    code, r, _ = report_of(doc)
    # the last chain's first line cannot be read (t is no function of x here); the rest is still not checked
    assert code == 2 and [(e["line"], e["col"]) for e in r["errors"]][:2] == [(3, 3), (13, 3)]
    assert "t is defined in the text ($t = \\tan\\left(\\frac{x}{2}\\right)$ at 1:12)" in r["errors"][0]["message"]
    assert [s["lhs"] for s in steps(r)] == ["y \\cdot 1", "x + x"]
    code, r, _ = report_of(write(tmp_path, "u.md", "<!-- verify: t := \\tan\\left(\\frac{x}{2}\\right) -->\n"
                                                   + (tmp_path / "t.md").read_text()))
    assert code == 0 and steps(r)[0]["verdict"] == "proven"


def test_a_hint_with_math_in_it_is_a_hint_and_a_condition_with_math_a_condition():
    code, r, _ = report_of("-e", r"\frac{d}{dx} x^2 = 2x \quad \text{(chain rule with $u$)}")
    assert code == 0 and steps(r)[0]["hint"] == "chain rule with $u$"
    code, r, _ = report_of("-e", r"\sqrt{x^2} = x \quad \text{(for $x \ge 0$)}")
    assert code == 0 and r["derivations"][0]["assume"] == ["x >= 0"]


def test_a_paragraph_that_is_one_parenthesised_formula_is_a_display_as_one_in_dollars_is(tmp_path):
    doc = write(tmp_path, "p.md", "Then\n\n\\(\\frac{d}{dx} x^2 = 2x\\)\n\nand so \\(y = x\\) here.\n\n"
                                  "- \\(x + x = 3x\\).\n")
    code, r, _ = report_of(doc)
    assert code == 1 and [(s["line"], s["verdict"]) for s in steps(r)] == [(3, "proven"), (7, "refuted")]
