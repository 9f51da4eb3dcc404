"""Issue 9: proofs that say nothing are not proofs. A step whose hypotheses and domain conditions hold
at no real point, or that is checked at no point, is unknown; a derivative needs the function defined
around the point; a definition that refers to itself is an input error."""

import pytest
from test_front_ends import report_of, steps, write

EMPTY = [
    ["-e", "1/sqrt(-x**2) = 5"],  # x = 0 only, where the root is 0
    ["-e", "log(sqrt(1 - x**2) - 2) = 0"],  # the log's argument is at most -1
    ["-e", "1/sqrt(x-1) = 1/sqrt(1-x) + 1"],  # x > 1 and x < 1
    ["-e", "diff(sqrt(-x**2), x) = 5"],
    ["-e", "abs(log(x) - x) = log(x) - x", "--assume", "log(x) > x"],  # log x <= x - 1 < x
    ["-e", "diff(x**(3/2)*(-x)**(3/2), x) = 0"],  # x = 0 alone: no neighbourhood, no derivative
    ["-e", "diff(x**(3/2)*(-x)**(3/2), x) = 7"],
]


@pytest.mark.parametrize("argv", EMPTY)
def test_a_step_about_no_point_is_unknown(argv):
    code, r, _ = report_of(*argv)
    [s] = steps(r)
    assert s["verdict"] == "unknown" and code == 1, s


def test_a_derivative_at_the_edge_of_its_domain_holds_only_inside():
    code, r, _ = report_of("-e", "diff(x**(3/2), x) = 3/2*sqrt(x)")
    [s] = steps(r)
    assert s["verdict"] == "proven" and s["conditions"] == ["x > 0"]


@pytest.mark.parametrize("assume", [["y = 2*y"], ["y = y**2"], ["x = y", "y = x"], ["y = y + 1"]])
def test_a_definition_that_refers_to_itself_is_an_input_error(tmp_path, assume):
    listed = ", ".join(f'"{a}"' for a in assume)
    proof = write(tmp_path, "d.toml", f'[[derivation]]\nname = "d"\nassume = [{listed}]\nlines = ["y + 1", "y + 1"]\n\n'
                                      '[[derivation]]\nname = "fine"\nlines = ["2*x", "x + x"]\n')
    code, r, _ = report_of(proof)
    assert code == 2 and "refers to itself" in r["errors"][0]["message"] and r["errors"][0]["line"] == 3
    assert [d["name"] for d in r["derivations"]] == ["fine"]


# The empty-domain guard, against every kind of fact the encoder adds: each domain below is empty only
# because of that fact (the root is >= 0, e^x > 0, |x| >= 0, asin x <= pi/2, erf x < 1, cos x <= 1,
# pi > 3.14, a hypothesis, a definition), and the same kind of step over a domain that is not empty is
# still proven.
EMPTY_BY_FACT = [
    ("root", ["-e", "1/sqrt(-x**2) = 5"]),
    ("real power", ["-e", "log(-x**(1/2) - 1) = 0"]),
    ("exponential", ["-e", "log(-exp(x)) = 0"]),
    ("log", ["-e", "log(log(x) - x) = 0"]),
    ("abs", ["-e", "log(-abs(x) - 1) = 0"]),
    ("asin", ["-e", "log(asin(x) - 2) = 0"]),
    ("erf", ["-e", "log(erf(x) - 1) = 0"]),
    ("cos", ["-e", "log(cos(x) - 2) = 0"]),
    ("pi", ["-e", "log(3 - pi) = 0"]),
    ("hypothesis", ["-e", "x + 1 = 1 + x", "--assume", "x**2 < 0"]),
    ("definition", ["-e", "y + 1 = 1 + y", "--define", "y = x**2 + 1", "--assume", "y < 0"]),
]
NOT_EMPTY = [
    ("root", ["-e", "1/sqrt(x**2) = 1/abs(x)"]),
    ("real power", ["-e", "log(x**(1/2) + 1) = log(sqrt(x) + 1)"]),
    ("exponential", ["-e", "log(exp(x)) = x"]),
    ("log", ["-e", "log(x - log(x)) = log(x - log(x))"]),
    ("abs", ["-e", "log(abs(x) + 1) = log(1 + abs(x))"]),
    ("asin", ["-e", "log(asin(x) + 2) = log(2 + asin(x))"]),
    ("erf", ["-e", "log(erf(x) + 1) = log(1 + erf(x))"]),
    ("cos", ["-e", "log(cos(x) + 2) = log(2 + cos(x))"]),
    ("pi", ["-e", "log(4 - pi) = log(4 - pi)"]),
    ("hypothesis", ["-e", "x + 1 = 1 + x", "--assume", "x**2 > 0"]),
    ("definition", ["-e", "y + 1 = 1 + y", "--define", "y = x**2 + 1", "--assume", "y > 0"]),
]


@pytest.mark.parametrize("kind, argv", EMPTY_BY_FACT, ids=[k for k, _ in EMPTY_BY_FACT])
def test_the_guard_sees_an_empty_domain_through_each_kind_of_fact(kind, argv):
    code, r, _ = report_of(*argv)
    [s] = steps(r)
    assert s["verdict"] == "unknown", (kind, s)
    assert "no real point" in s["detail"] or "no point was found" in s["detail"], s["detail"]


@pytest.mark.parametrize("kind, argv", NOT_EMPTY, ids=[k for k, _ in NOT_EMPTY])
def test_the_guard_lets_a_step_over_a_domain_that_is_not_empty_be_proven(kind, argv):
    code, r, _ = report_of(*argv)
    [s] = steps(r)
    assert s["verdict"] == "proven", (kind, s)
