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
