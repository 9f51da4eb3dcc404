"""Fuzzing both parsers: any text gives an expression or a located error, never anything else.

The fast tier runs a modest number of examples; `pytest -m slow` runs many more.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify import ir
from verify.errors import InputError, Location
from verify.frontends import latex, plain

AT = Location("fuzz.toml", 3, 5)
PLAIN_ALPHABET = "xye0123456789.+-*/^(), _abcdiflnpqstw\t"
LATEX_ALPHABET = "xye0123456789.+-*/^_(){}[]|'=,& \\"
LATEX_WORDS = [r"\frac", r"\dfrac", r"\sqrt", r"\left", r"\right", r"\cdot", r"\sigma", r"\partial", r"\exp",
               r"\ln", r"\tanh", r"\operatorname", r"\mathrm", r"\text", r"\hat", r"\over", r"\pi", r"\big",
               r"\foo", r"\\", "d", "dx", "{", "}", "^{", "_{", "e^{-x}", r"\,", r"\sum_{k=1}^{3}", r"\max", "|",
               r"\left.", r"\right|_{x=0}", r"\newcommand", r"\text{ for }", "x > 0", r"\prime", "'", r"\over",
               r"\hat", "_i", r"\lvert", r"\rvert", r"\Big", r"\mathrm{d}", r"\partial_x", "D_x", "ŷ", "z₁", "\n"]

plain_text = st.one_of(st.text(PLAIN_ALPHABET, max_size=60), st.text(max_size=40))
latex_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(LATEX_WORDS), st.text(LATEX_ALPHABET, max_size=3)), max_size=25).map("".join),
    st.text(max_size=40),
)


def _check_plain(text: str) -> None:
    try:
        e = plain.parse_expr(text, AT)
    except InputError as exc:
        assert exc.location.file == "fuzz.toml" and exc.location.line == 3 and exc.location.col >= 5
        return
    ir.show(e)


def _check_latex(text: str) -> None:
    try:
        e = latex.parse_latex(text, AT.shifted).expr
    except InputError as exc:
        assert exc.location.file == "fuzz.toml" and exc.location.col >= 5
        return
    ir.show(e)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(plain_text)
def test_plain_parser_never_crashes(text):
    _check_plain(text)


@FAST
@given(latex_text)
def test_latex_parser_never_crashes(text):
    _check_latex(text)


@pytest.mark.slow
@SLOW
@given(plain_text)
def test_plain_parser_never_crashes_slow(text):
    _check_plain(text)


@pytest.mark.slow
@SLOW
@given(latex_text)
def test_latex_parser_never_crashes_slow(text):
    _check_latex(text)
