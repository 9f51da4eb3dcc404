"""Index notation (issue 15): declared indices are instances. z_i is z_1 where i = 1, a sum's own index
is never replaced, an undeclared index is an error, and a claim over ranges holds only if every
instance does. Verdicts are checked against softmax derivatives computed with mpmath alone."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import mpmath
import pytest
from helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import instances, ir
from verify.errors import InputError, Location
from verify.frontends import indices, latex, plain
from verify.frontends.names import PRELUDE

AT = Location("test", 1, 1)


def instance(text: str) -> indices.Instance:
    (one,) = indices.instances(indices.parse(text, AT), AT)
    return one


def read(text: str, declared: str) -> ir.Expr:
    scope = PRELUDE.with_indices(instance(declared))
    return latex.parse_latex(text, lambda i: AT, scope).expr


def names(e: ir.Expr) -> set[str]:
    return set(ir.free_names(e))


# ---- reading an instance


@pytest.mark.parametrize("text, expected", [
    (r"z_i", {"z_1"}), (r"z_{i}", {"z_1"}), (r"\hat{y}_i", {"y_hat_1"}), (r"w_{ij}", {"w_12"}),
    (r"z_{i,j}", {"z_1_2"}), (r"z_{i+1}", {"z_2"}), (r"x_{\text{k}}", {"x_k"}), (r"x_{\max}", {"x_max"}),
])
def test_a_declared_index_in_a_subscript_is_its_value(text, expected):
    assert names(read(text, "i = 1, j = 2, n = 3")) == expected


def test_plain_syntax_reads_indices_as_latex_does():
    scope = PRELUDE.with_indices(instance("i = 1, j = 2, n = 3"))
    e = plain.parse_expr("z_i + w_ij + w_i_j + y_hat_i + sum(exp(z_k), (k, 1, n))", AT, scope)
    assert names(e) == {"z_1", "w_12", "w_1_2", "y_hat_1", "z_2", "z_3"}


@given(st.integers(1, 6), st.integers(1, 6))
@settings(max_examples=30, deadline=None)
def test_a_sums_own_index_is_never_replaced(outer, n):
    """With j declared (any value), \\sum_{j=1}^{n} z_j still has the n terms z_1 .. z_n, and z_j after the
    sum is z_{outer}: the sum's index shadows the declared one only inside it."""
    declared = f"j = {outer}, n = {n}"
    for text in (r"\sum_{j=1}^{n} z_j", r"\sum_j z_j"):
        e = read(text + " + 10 z_j", declared)
        terms = e.terms if isinstance(e, ir.Add) else (e,)
        inside = [t for t in terms if not (isinstance(t, ir.Mul) and t.factors[0] == ir.num(10))]
        assert sorted(ir.show(t) for t in inside) == sorted(f"z_{k}" for k in range(1, n + 1))
        assert ir.show(read("10 z_j", declared)) == f"10*z_{outer}"
    scope = PRELUDE.with_indices(instance(declared))
    e = plain.parse_expr("sum(z_j, (j, 1, n))", AT, scope)
    assert names(e) == {f"z_{k}" for k in range(1, n + 1)}


def test_a_sum_leaving_one_index_out():
    assert names(read(r"\sum_{k \neq i} z_k", "i = 2, n = 4")) == {"z_1", "z_3", "z_4"}


@given(st.integers(1, 4), st.integers(1, 4))
@settings(max_examples=20, deadline=None)
def test_kronecker_delta_is_one_exactly_where_the_indices_agree(i, j):
    want = ir.ONE if i == j else ir.ZERO
    declared = f"i = {i}, j = {j}, n = 4"
    for text in (r"\delta_{ij}", r"\delta_{i,j}", r"[i = j]", r"\mathbb{1}_{i = j}"):
        assert read(text, declared) == want, text
    assert read(r"[i \neq j]", declared) == (ir.ZERO if i == j else ir.ONE)
    assert plain.parse_expr("KroneckerDelta(i, j)", AT, PRELUDE.with_indices(instance(declared))) == want


def test_log_of_a_sum_takes_the_whole_sum():
    e = read(r"\log \sum_j e^{z_j} - z_i", "i = 1, n = 3")
    assert ir.show(e) == "log(exp(z_1) + exp(z_2) + exp(z_3)) - z_1"


# ---- an undeclared index is an error, never a variable of its own


@pytest.mark.parametrize("text, letter", [(r"z_k", "k"), (r"w_{ia}", "a"), (r"w_{kj}", "k"), (r"y_n", "n")])
def test_an_undeclared_index_is_an_error(text, letter):
    with pytest.raises(InputError) as err:
        read(text, "i = 1, j = 2")
    assert f"{letter} in this subscript reads as an index, but it is not declared" in err.value.message


def test_an_undeclared_index_is_an_error_in_every_front_end(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text("indices = { i = 1, n = 3 }\n[[derivation]]\nlines = ['diff(z_i*z_k, z_k)', 'z_i']\n")
    code, out, _ = run(str(f), "--no-explain")
    assert code == 2 and f"{f}:3:25: error: k in z_k reads as an index" in out  # at diff's z_k
    doc = tmp_path / "a.md"
    doc.write_text("<!-- verify: indices i = 1, n = 3 -->\n$$\\frac{\\partial}{\\partial z_k} z_i z_k = z_i$$\n")
    code, out, _ = run(str(doc), "--no-explain")
    assert code == 2 and "k in this subscript reads as an index, but it is not declared" in out and "0 steps" in out
    code, out, _ = run("-e", r"\frac{\partial}{\partial z_k} z_i z_k = z_i", "--indices", "i = 1")
    assert code == 2 and "0 steps" in out


def test_without_declared_indices_a_free_index_beside_its_components_is_an_error():
    code, out, _ = run("-e", r"\frac{\partial}{\partial z_1} \sum_{j=1}^{3} e^{z_j} = e^{z_i}", "--no-explain")
    assert code == 2 and "z_i stands beside z_1, z_2, z_3" in out and "0 steps" in out


# ---- instances: ranges, conditions, and one verdict for all


def test_ranges_and_conditions_make_every_combination():
    spec = indices.parse("n = 2..4, i = 1..n, j = 1..n", AT)
    assert len(indices.instances(spec, AT)) == 2 * 2 + 3 * 3 + 4 * 4
    spec = indices.parse("n = 2..4, i = 1..n, j = 1..n where i != j", AT)
    got = indices.instances(spec, AT)
    assert len(got) == 29 - 9 and all(dict(g.values)["i"] != dict(g.values)["j"] for g in got)
    with pytest.raises(InputError, match="no combination"):
        indices.instances(indices.parse("i = 1, j = 1, n = 3 where i != j", AT), AT)


def softmax_jacobian(z: list, i: int, j: int) -> mpmath.mpf:
    """d s_i / d z_j by mpmath's numerical differentiation alone."""
    def s_i(t):
        w = list(z)
        w[j - 1] = t
        return mpmath.exp(w[i - 1]) / mpmath.fsum(mpmath.exp(v) for v in w)
    return mpmath.diff(s_i, z[j - 1])


PROOF = """
indices = {{ n = "2..4", i = "1..n", j = "1..n" }}

[definitions]
"s_j" = "exp(z_j)/sum(exp(z_k), (k, 1, n))"

[[derivation]]
name = "claim"
{where}lines = ["diff(s_i, z_j)", "{rhs}"]
"""


def check(tmp_path, rhs: str, where: str = "") -> dict:
    f = tmp_path / "a.toml"
    f.write_text(PROOF.format(rhs=rhs, where=f'where = "{where}"\n' if where else ""))
    code, out, err = run(str(f), "--format", "json", "--no-explain")
    assert code in (0, 1), err + out
    return json.loads(out)


@pytest.mark.parametrize("rhs, where", [("s_i*(KroneckerDelta(i, j) - s_j)", ""), ("-s_i*s_j", "i != j"),
                                        ("s_i*(1 - s_j)", "i == j")])
def test_a_true_claim_is_proven_for_every_instance_and_holds_there(tmp_path, rhs, where):
    report = check(tmp_path, rhs, where)
    (d,) = report["derivations"]
    (step,) = d["steps"]
    assert step["verdict"] == "proven" and step["instance"] is None
    assert len(d["instances"]) == (29 if not where else 20 if "!=" in where else 9)
    assert [x["verdict"] for x in step["by_instance"]] == ["proven"] * len(d["instances"])
    rng = random.Random(7)
    for inst in d["instances"]:  # the claim, instance by instance, against mpmath
        n, i, j = inst["n"], inst["i"], inst["j"]
        z = [mpmath.mpf(rng.uniform(-3, 3)) for _ in range(n)]
        s = [mpmath.exp(v) / mpmath.fsum(mpmath.exp(u) for u in z) for v in z]
        claim = s[i - 1] * ((1 if i == j else 0) - s[j - 1])
        assert abs(softmax_jacobian(z, i, j) - claim) < mpmath.mpf(10) ** -12


def test_a_claim_false_in_some_instances_is_refuted_at_one_of_them(tmp_path):
    """-s_i s_j holds off the diagonal only: refuted, at an instance with i = j, at a point where mpmath
    finds the two sides apart."""
    report = check(tmp_path, "-s_i*s_j")
    (step,) = report["derivations"][0]["steps"]
    assert step["verdict"] == "refuted"
    bad = step["instance"]
    assert bad["i"] == bad["j"]
    verdicts = {tuple(sorted(x["instance"].items())): x["verdict"] for x in step["by_instance"]}
    assert all((v == "refuted") == (dict(k)["i"] == dict(k)["j"]) for k, v in verdicts.items())
    point = step["counterexample"]
    z = [mpmath.mpf(point[f"z_{k}"]) for k in range(1, bad["n"] + 1)]
    s = [mpmath.exp(v) / mpmath.fsum(mpmath.exp(u) for u in z) for v in z]
    assert abs(softmax_jacobian(z, bad["i"], bad["j"]) - (-s[bad["i"] - 1] * s[bad["j"] - 1])) > 1e-6


def test_the_text_report_names_the_instances(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text(PROOF.format(rhs="-s_i*s_j", where=""))
    code, out, _ = run(str(f), "--no-explain")
    assert code == 1
    assert "checked for 29 instances of (n, i, j): (2, 1, 1), (2, 1, 2)" in out
    assert "refuted for n = 2, i = 1, j = 1 (of 29 instances: 9 refuted, 20 proven)" in out \
        or "refuted for n = 2, i = 1, j = 1 (of 29 instances: " in out
    assert "read as: diff(s_1, z_1)" in out


def document_report(tmp_path, text: str) -> tuple[int, dict]:
    """The exit code and JSON report of a Markdown document holding `text`."""
    doc = tmp_path / "a.md"
    doc.write_text(text)
    code, out, _ = run(str(doc), "--format", "json", "--no-explain")
    return code, json.loads(out)


def test_an_indexed_definition_defines_every_instance(tmp_path):
    code, report = document_report(tmp_path, "<!-- verify: throughout indices n = 3, i = 1..n -->\n"
                                             "<!-- verify: p_j := \\frac{e^{z_j}}{\\sum_k e^{z_k}} -->\n"
                                             "$$\\sum_j p_j = 1$$\n")
    assert code == 0 and report["summary"]["proven"] == 1
    assume = report["derivations"][0]["assume"]
    assert [a.split(" = ")[0] for a in assume] == ["p_1", "p_2", "p_3"]


def test_next_block_indices_and_where_apply_to_the_next_block_only(tmp_path):
    code, report = document_report(tmp_path, "<!-- verify: indices i = 1..2, j = 1..2 -->\n"
                                             "<!-- verify: where i != j -->\n$$\\delta_{ij} = 0$$\n\n$$x + x = 2x$$\n")
    first, second = report["derivations"]
    assert code == 0 and len(first["instances"]) == 2 and "instances" not in second


def test_fixed_values_against_the_condition_are_an_error(tmp_path):
    f = tmp_path / "a.toml"
    f.write_text("indices = { i = 1, j = 1 }\n[[derivation]]\nwhere = 'i != j'\nlines = ['z_i', 'z_j']\n")
    code, out, _ = run(str(f))
    assert code == 2 and "no combination of these index values that satisfies i != j exists" in out


def test_listing_names_each_instance():
    family = tuple(i.values for i in indices.instances(indices.parse("n = 2..3, i = 1..n", AT), AT))
    text = " ".join(instances.listing(family))
    assert text.startswith("checked for 5 instances of (n, i):") and "(3, 3)" in text


def test_instances_that_read_alike_are_checked_once_and_each_gets_the_verdict(tmp_path):
    """n and j are declared but the line uses only i: its 3 readings (i = 1, 2, 3) are checked, and all
    4 + 9 instances get a verdict."""
    from verify import frontends, runner

    doc = tmp_path / "a.md"
    doc.write_text("<!-- verify: throughout indices n = 2..3, i = 1..n, j = 1..n -->\n$$z_i + z_i = 2 z_i$$\n")
    loaded = frontends.load(doc, str(doc))
    assert len(loaded.derivations) == 4 + 9
    seen = []

    def counting(todo, explaining):
        seen.extend(todo)
        return runner.run(todo, isolate=False, explaining=False)

    (r,) = instances.check(list(loaded.derivations), counting)
    assert len(seen) == 3 and len(r.instances) == 13 and [v for _, v, _ in r.by_instance] == ["proven"] * 13


def test_a_derivation_some_instance_of_which_cannot_be_read_is_not_checked_at_all(tmp_path):
    """w_{in} reads for n = 9 (w_99) but not for n = 10 (two-digit indices run together): checking n = 9
    alone would report a verdict that passes for one about both."""
    doc = tmp_path / "a.md"
    doc.write_text("<!-- verify: throughout indices n = 9..10, i = n..n -->\n$$w_{in} + 1 = 1 + w_{in}$$\n")
    for argv in ([str(doc)], ["-e", "w_{in} + 1 = 1 + w_{in}", "--indices", "n = 9..10, i = n..n"]):
        code, out, _ = run(*argv, "--no-explain")
        assert code == 2 and "indices of more than one digit run together" in out and "0 steps" in out


def test_a_next_block_declaration_may_range_up_to_a_document_wide_letter(tmp_path):
    code, report = document_report(tmp_path, "<!-- verify: throughout indices n = 2..3 -->\n"
                                             "<!-- verify: indices i = 1..n -->\n$$z_i + z_n = z_n + z_i$$\n\n"
                                             "$$\\sum_k z_k = z_1 + \\sum_{k=2}^{n} z_k$$\n")
    first, second = report["derivations"]
    assert code == 0 and len(first["instances"]) == 2 + 3 and len(second["instances"]) == 2


def test_a_step_is_explained_in_the_instance_that_speaks_for_it_only():
    """-s_i s_j is refuted in the 9 instances with i = j; one of them is explained, not all 9."""
    from verify import runner
    from verify.frontends import chain

    explained = []

    def counting(todo, explaining):
        if explaining:
            explained.extend(todo)
        return runner.run(todo, isolate=False, explaining=explaining)

    family = []
    for inst in indices.instances(indices.parse("n = 2..4, i = 1..n, j = 1..n", AT), AT):
        context = chain.Context(scope=PRELUDE.with_indices(inst))
        context.define(r"s_j = \frac{e^{x_j}}{\sum_k e^{x_k}}", 1)
        family.append(replace(chain.load(r"\frac{\partial s_i}{\partial x_j} = -s_i s_j", 1, context),
                              instance=inst.values))
    (r,) = instances.check(family, counting, explaining=True)
    assert r.verdict.status.value == "refuted" and [d.instance for d in explained] == [r.instance]
    assert r.diagnosis is not None and r.diagnosis.correction


def test_a_defined_name_that_cannot_be_read_is_never_a_variable(tmp_path):
    """p_j cannot be read for n = 10 (z_{10,10} runs two-digit indices together): the derivation is not
    checked, for n = 9 either; a plain name under [definitions] that cannot be read stops its file's
    derivations the same way."""
    f = tmp_path / "a.toml"
    f.write_text('indices = { n = "9..10", i = "n..n" }\n[definitions]\n"p_j" = "exp(z_ij)"\n'
                 '[[derivation]]\nlines = ["p_1", "p_1"]\n')
    code, out, _ = run(str(f), "--no-explain")
    assert code == 2 and "not checked, since [definitions] could not be read for n = 10, i = 10" in out
    assert "0 steps" in out
    f.write_text('[definitions]\n"y" = "(1 + "\n[[derivation]]\nlines = ["2*y", "y + y"]\n')
    code, out, _ = run(str(f), "--no-explain")
    assert code == 2 and "not checked, since [definitions] could not be read (see the error)" in out


def test_a_definition_subscripted_by_the_size_defines_that_one_component(tmp_path):
    """y_n := 1 - \\sum_{j=1}^{n-1} y_j with n the declared size defines the last y alone. Run over as a
    template, it defined every y_k, fixing y to (1, 0, ...), and proved sum y_j^2 = 1, which is false: at
    y = (-1, 2), a point that satisfies the definition, the sum is 5."""
    doc = tmp_path / "y.md"
    doc.write_text("<!-- verify: throughout indices n = 2..3 -->\n<!-- verify: y_n := 1 - \\sum_{j=1}^{n-1} y_j -->\n"
                   "$$ \\sum_{j=1}^{n} y_j^2 = 1 $$\n\n$$ \\sum_{j=1}^{n} y_j = 1 $$\n")
    code, out, _ = run(str(doc), "--format", "json")
    steps = [s for d in json.loads(out)["derivations"] for s in d["steps"]]
    assert [s["verdict"] for s in steps] == ["refuted", "proven"]
    y1 = mpmath.mpf(steps[0]["counterexample"]["y_1"])
    assert abs(y1 ** 2 + (1 - y1) ** 2 - 1) > 0.1  # n = 2, y_2 as defined: the counterexample holds independently
