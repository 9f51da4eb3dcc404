"""verify reads SymPy's own LaTeX test pairs as SymPy does, where they fit a real-valued checker."""

from sympy_pairs import agrees, pairs, why_left_out

# verify refuses, on purpose, what SymPy accepts here: the derivative of a name defined nowhere would be 0,
# \lg is log base 10 to ISO 80000-2 but log base 2 in computer science, and \{x + y\} may be a set or a
# fractional part (braces group only around brackets)
DELIBERATE = {r"\frac{d}{dt} x", r"\lg x", r"\left\{x + y\right\} z"}


def test_at_least_95_percent_of_the_pairs_that_fit_are_read_as_sympy_reads_them():
    fitting = [(text, expr) for text, expr in pairs() if why_left_out(expr) is None]
    problems = {text: agrees(text, expr) for text, expr in fitting}
    wrong = {t: p for t, p in problems.items() if p is not None}
    assert len(fitting) >= 100
    assert set(wrong) <= DELIBERATE, wrong
    assert (len(fitting) - len(wrong)) / len(fitting) >= 0.95


def test_the_deliberate_differences_are_errors_that_say_why():
    problems = {t: agrees(t, e) for t, e in pairs() if t in DELIBERATE}
    assert "x is not defined" in problems[r"\frac{d}{dt} x"] and "computer science" in problems[r"\lg x"]
    assert "fractional part" in problems[r"\left\{x + y\right\} z"]
