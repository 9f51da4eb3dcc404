"""verify reads SymPy's own LaTeX test pairs as SymPy does, where they fit a real-valued checker."""

from sympy_pairs import agrees, pairs, why_left_out

# verify refuses, on purpose, what SymPy accepts here: the derivative of a name defined nowhere would be 0
DELIBERATE = {r"\frac{d}{dt} x"}


def test_at_least_95_percent_of_the_pairs_that_fit_are_read_as_sympy_reads_them():
    fitting = [(text, expr) for text, expr in pairs() if why_left_out(expr) is None]
    problems = {text: agrees(text, expr) for text, expr in fitting}
    wrong = {t: p for t, p in problems.items() if p is not None}
    assert len(fitting) >= 100
    assert set(wrong) <= DELIBERATE, wrong
    assert (len(fitting) - len(wrong)) / len(fitting) >= 0.95


def test_the_deliberate_difference_is_an_error_that_says_why():
    [(text, expr)] = [(t, e) for t, e in pairs() if t in DELIBERATE]
    assert "x is not defined" in agrees(text, expr)
