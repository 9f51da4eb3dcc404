"""The HTML reporter: one self-contained page, with the lines rendered as MathML and a plot of each
refuted step. It needs no network: MathML is made here by latex2mathml and rendered by the browser,
and the plots are inline SVG.
"""

from __future__ import annotations

import ast
import re
from html import escape
from html.parser import HTMLParser
from importlib import resources
from typing import TextIO

from latex2mathml.converter import convert

from . import instances, plot, printing, report
from .errors import InputError, Note
from .frontends import plain
from .frontends.names import ALIASES, DIFF_NAMES, INTEGRAL_NAMES, PIECEWISE_NAMES, SUM_NAMES
from .verdict import Diagnosis, Status, StepResult

MARKS = {Status.PROVEN: "✓", Status.REFUTED: "✗", Status.UNKNOWN: "?", Status.ERROR: "!"}
_UNREAD = re.compile(r"<m[io][^>]*>\\")  # a command latex2mathml did not know, left as text


def asset(name: str) -> str:
    return resources.files("verify").joinpath("assets", name).read_text(encoding="utf-8")


def math(tex: str) -> str | None:
    """`tex` as a MathML element, or None where it cannot be converted faithfully."""
    try:
        out = convert(tex)
    except Exception:  # latex2mathml raises its own and Python's errors on what it cannot read
        return None
    return None if _UNREAD.search(out) else _Whitelist.clean(out)


class _Whitelist(HTMLParser):
    """latex2mathml copies text and some attributes through unescaped (\\text{<b>}, \\href{javascript:..}), and
    proof files are untrusted: its output is rebuilt from MathML elements and attributes of a whitelist only."""

    TAGS = frozenset("math semantics annotation mrow mi mn mo ms mtext mspace mfrac msqrt mroot msup msub msubsup "
                     "mover munder munderover mtable mtr mtd mstyle mpadded mphantom menclose merror".split())
    ATTRIBUTES = frozenset("xmlns display stretchy fence separator mathvariant accent accentunder movablelimits "
                           "columnalign columnspacing columnlines rowspacing rowlines rowalign frame framespacing width "
                           "height depth lspace rspace linethickness displaystyle scriptlevel minsize maxsize "
                           "symmetric form largeop notation mathsize mathcolor mathbackground".split())

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    @classmethod
    def clean(cls, markup: str) -> str:
        w = cls()
        w.feed(markup)
        w.close()
        return "".join(w.out + [f"</{t}>" for t in reversed(w.open)])

    def handle_starttag(self, tag, attrs):
        if tag in self.TAGS:
            kept = "".join(f' {k}="{escape(v or "")}"' for k, v in attrs if k in self.ATTRIBUTES
                           and not (v or "").lower().lstrip().startswith(("javascript", "data", "url")))
            self.out.append(f"<{tag}{kept}>")
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.TAGS and tag in self.open:
            while self.open:
                t = self.open.pop()
                self.out.append(f"</{t}>")
                if t == tag:
                    break

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))


# The plain syntax printed in LaTeX as written, for display only: 1 + exp(-x) - 1 stays as it is, where the
# reading would have folded it. Anything this printer does not know is shown as read instead.
_FUNCTIONS = {"log": r"\ln", "ln": r"\ln", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "sinh": r"\sinh",
              "cosh": r"\cosh", "tanh": r"\tanh", "asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan",
              "arcsin": r"\arcsin", "arccos": r"\arccos", "arctan": r"\arctan", "sigma": r"\sigma",
              "sigmoid": r"\sigma", "max": r"\max", "min": r"\min"}
_SPECIAL = {*PIECEWISE_NAMES, *ALIASES, "Subs", "subs", "KroneckerDelta", "heaviside", "sign", "prod", "Product"}
_BINARY = {ast.Add: (1, " + "), ast.Sub: (1, " - "), ast.Mult: (2, r" \cdot ")}


def plain_latex(text: str) -> str | None:
    tree = plain.syntax_tree(text)
    if tree is None:
        return None
    try:
        return _tex(tree)[1]
    except (_Unprintable, RecursionError):
        return None


class _Unprintable(Exception):
    pass


def _wrapped(node: ast.AST, at_least: int) -> str:
    prec, out = _tex(node)
    return f"\\left({out}\\right)" if prec < at_least else out


def _tex(node: ast.AST) -> tuple[int, str]:
    """(precedence, LaTeX) of a node: 1 sums, 2 products, 3 negation, 4 powers, 5 atoms."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return 5, f"\\frac{{{_tex(node.left)[1]}}}{{{_tex(node.right)[1]}}}"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return 4, f"{{{_wrapped(node.left, 5)}}}^{{{_tex(node.right)[1]}}}"
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        prec, sign = _BINARY[type(node.op)]
        return prec, _wrapped(node.left, prec) + sign + _wrapped(node.right, prec + (not isinstance(node.op, ast.Add)))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return 3, ("-" if isinstance(node.op, ast.USub) else "+") + _wrapped(node.operand, 4)
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return 5, str(node.value)
    if isinstance(node, ast.Name):
        return 5, _name(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in _SPECIAL:
        return _call(node.func.id, node.args)
    raise _Unprintable


def _call(f: str, args: list[ast.expr]) -> tuple[int, str]:
    if f in DIFF_NAMES and len(args) in (2, 3) and isinstance(args[1], ast.Name):
        order = args[2].value if len(args) == 3 and isinstance(args[2], ast.Constant) else 1
        d, dx = ("d", "") if order == 1 else (f"d^{{{order}}}", f"^{{{order}}}")
        # as loose as a sum: bracketed inside a product, where d/dx f · y would leave its reach unclear
        return 1, f"\\frac{{{d}}}{{d{_name(args[1].id)}{dx}}}{_wrapped(args[0], 5)}"
    span = args[1] if len(args) == 2 else None  # integrate(f, x), integrate(f, (x, a, b)), Sum(f, (k, a, b))
    if f in INTEGRAL_NAMES and isinstance(span, ast.Name):
        return 1, f"\\int {_wrapped(args[0], 2)} \\, d{_name(span.id)}"
    if f in (*INTEGRAL_NAMES, *SUM_NAMES) and isinstance(span, ast.Tuple) and len(span.elts) == 3 \
            and isinstance(span.elts[0], ast.Name):
        x, a, b = (_tex(e)[1] for e in span.elts)
        if f in INTEGRAL_NAMES:
            return 1, f"\\int_{{{a}}}^{{{b}}} {_wrapped(args[0], 2)} \\, d{x}"
        return 1, f"\\sum_{{{x}={a}}}^{{{b}}} {_wrapped(args[0], 2)}"
    inside = ", ".join(_tex(a)[1] for a in args)
    if f in (*DIFF_NAMES, *INTEGRAL_NAMES, *SUM_NAMES) or (f in ("log", "ln") and len(args) != 1):
        raise _Unprintable
    if f == "exp":
        return 4, f"e^{{{inside}}}"
    if f == "sqrt":
        return 5, f"\\sqrt{{{inside}}}"
    if f == "abs":
        return 5, f"\\left|{inside}\\right|"
    return 5, f"{_FUNCTIONS.get(f) or _name(f)}\\left({inside}\\right)"


def _name(n: str) -> str:
    return {"pi": r"\pi", "oo": r"\infty", "E": "e"}.get(n) or printing.name_latex(n)


def _line(written: str, read_tex: str, latex: bool) -> str:
    """A line rendered as math as written (LaTeX, or the plain syntax printed in LaTeX), else as it was
    read; the text as written on hover."""
    shown = math(written if latex else plain_latex(written) or "") or math(read_tex)
    if shown is None:
        return f'<code class="line">{escape(written)}</code>'
    return f'<span class="line" title="{escape(written)}">{shown}</span>'


def _code(text: str, latex: bool) -> str:
    return (math(text) if latex else None) or f"<code>{escape(text)}</code>"


def step_id(r: StepResult) -> str:
    return "s-" + re.sub(r"[^A-Za-z0-9]+", "-", f"{r.file}-{r.derivation}-{r.step}").strip("-")


def _verdict(r: StepResult) -> str:
    v = r.verdict
    head = f'<b class="status">{v.status.value}</b>{escape(instances.about(r))}'
    if v.engine:
        head += f" by {escape(v.engine)}"
    head += f' <span class="time">in {v.seconds:.3f} s</span>'
    if r.unexpected:
        head += f' <span class="unexpected">expected {escape(r.expected)}</span>'
    out = [f'<p class="verdict">{head}</p>']
    if v.conditions:
        out.append("<p>where " + " and ".join(f"<code>{escape(c)}</code>" for c in v.conditions) + "</p>")
    cx = v.counterexample
    if cx:
        rows = [("point", ", ".join(f"{n} = {val}" for n, val in cx.point) or "(no variables)"),
                ("left side", cx.lhs), ("right side", cx.rhs)]
        if cx.difference:
            rows.append(("difference", cx.difference))
        out.append('<table class="counterexample">' + "".join(
            f"<tr><th>{k}</th><td><code>{escape(val)}</code></td></tr>" for k, val in rows) + "</table>")
    if v.detail and v.status is not Status.PROVEN:
        out.append(f'<p class="detail">{escape(v.detail)}</p>')
    out += [f'<p class="remark">{escape(x)}</p>' for x in v.remarks]
    return "".join(out)


def _diagnosis(d: Diagnosis | None, latex: bool) -> str:
    """The rows of the text report's diagnosis, with formulas rendered where the input was LaTeX."""
    if d is None:
        return ""
    rows = []
    if d.derivative:
        rows.append(f"<b>derivative:</b> {_code(d.derivative_of or '', latex)} = {_code(d.derivative, latex)}")
    if d.correction and d.slip:
        before, _, after = (d.change or "").partition(" → ")
        rows += [f"<b>correction (proven):</b> {_code(d.correction, latex)}",
                 f"<b>the slip:</b> {escape(d.slip)}: {_code(before, latex)} → {_code(after, latex)}",
                 f"<b>rule:</b> {escape(d.rule or '')}"]
    elif d.correction:
        rows.append(f"<b>no single slip explains the line; it should be (proven):</b> {_code(d.correction, latex)}")
    elif not d.tried and not d.help:
        rows.append("no single slip of the catalogue gives a right side that holds")
    if d.relation:
        relation = d.relation.replace("rhs", r"\text{right}").replace("lhs", r"\text{left}") if latex else d.relation
        rows.append(f"<b>how the sides differ (proven):</b> {_code(relation, latex)}")
    for label, value in (("holds where", d.holds_where), ("tried", ", ".join(d.tried)), ("may help", d.help)):
        if value:
            rows.append(f"<b>{label}:</b> {escape(value)}")
    return '<div class="diagnosis">' + "".join(f"<p>{r}</p>" for r in rows) + "</div>"


def _plot(r: StepResult, plotting: bool) -> str:
    c = r.curve
    if c is None or not plotting:
        return ""
    try:
        drawing = plot.svg(c)
    except ImportError:
        return f'<p class="remark">A plot of both sides needs matplotlib: {escape(plot.INSTALL)}</p>'
    fixed = f", with {', '.join(f'{n} = {v}' for n, v in c.fixed)} fixed" if c.fixed else ""
    caption = (f"Both sides against {escape(c.variable)}{escape(fixed)}; the dot marks the counterexample "
               f"{escape(c.variable)} = {c.at:g}. A gap is where a side has no real value, a hypothesis "
               "fails, or a pole lies.")
    return f'<figure class="plot">{drawing}<figcaption>{caption}</figcaption></figure>'


def step_html(r: StepResult, plotting: bool = True) -> str:
    """One step: `= right side` with its mark, verdict, counterexample, diagnosis and plot."""
    cls = f"step {r.verdict.status.value}" + (" unexpected" if r.unexpected else "")
    hint = f' <span class="hint">({escape(r.hint)})</span>' if r.hint else ""
    reading = ""
    if (r.latex or r.instances) and r.verdict.status is not Status.PROVEN:
        reading = f'<p class="reading">read as <code>{escape(r.lhs_read)}</code> = <code>{escape(r.rhs_read)}</code></p>'
    notes = "".join(f'<p class="note">note: {escape(n)}</p>' for n in r.notes)
    body = reading + notes + _verdict(r) + _diagnosis(r.diagnosis, r.latex) + _plot(r, plotting)
    folded = r.verdict.status is Status.PROVEN and not r.unexpected
    details = (f"<details><summary>details</summary>{body}</details>" if folded else body)
    return (f'<li class="{cls}" id="{step_id(r)}"><div class="row"><span class="mark" title="{r.verdict.status.value}">'
            f'{MARKS[r.verdict.status]}</span><span class="eq">=</span>{_line(r.rhs, r.rhs_tex, r.latex)}{hint}'
            f'</div><div class="details">{details}</div></li>')


def derivation_head(first: StepResult) -> str:
    """The heading of a derivation, its assumptions and its first line."""
    name = first.derivation
    title = escape(name) if name.startswith(f"{first.file}:") else f"{escape(name)} <small>{escape(first.file)}</small>"
    out = [f"<h2>{title}</h2>"]
    if len(first.instances) > 1:
        out.append(f'<p class="instances">{escape(" ".join(instances.listing(first.instances, width=10**6)))}</p>')
    if first.assumptions:
        out.append("<ul class=\"assume\">" + "".join(f"<li>assuming <code>{escape(a)}</code></li>"
                                                      for a in first.assumptions) + "</ul>")
    out.append(f'<ol class="chain"><li class="first"><div class="row"><span class="mark"></span>'
               f'<span class="eq"></span>{_line(first.lhs, first.lhs_tex, first.latex)}</div></li>')
    return "".join(out)


def derivation_html(steps: list[StepResult], plotting: bool = True) -> str:
    return (f'<section class="derivation">{derivation_head(steps[0])}'
            + "".join(step_html(r, plotting) for r in steps) + "</ol></section>")


def summary_html(results: list[StepResult], errors: list[InputError], notes: list[Note]) -> str:
    counts = report.summary_line(results, errors)
    ok = not errors and not any(r.unexpected for r in results)
    out = [f'<p class="summary {"ok" if ok else "failing"}">{escape(counts)}</p>']

    def links(rs: list[StepResult]) -> str:
        return "<ul>" + "".join(f'<li><a href="#{step_id(r)}">{escape(r.derivation)}, step {r.step}</a>: '
                                f'{r.verdict.status.value}</li>' for r in rs) + "</ul>"

    unexpected = [r for r in results if r.unexpected]
    if unexpected:
        out.append(f"<h2>Not as expected ({len(unexpected)})</h2>{links(unexpected)}")
    other = [r for r in results if not r.unexpected and r.verdict.status is not Status.PROVEN]
    if other:
        out.append(f"<details><summary>Not proven, as expected ({len(other)})</summary>{links(other)}</details>")
    if errors or notes:
        out.append('<ul class="errors">' + "".join(
            f'<li class="error"><code>{escape(str(e.location))}</code>: error: {escape(e.message)}</li>' for e in errors)
            + "".join(f'<li><code>{escape(str(n.location))}</code>: note: {escape(n.message)}</li>' for n in notes)
            + "</ul>")
    return "".join(out)


def page(results: list[StepResult], errors: list[InputError], notes: list[Note], title: str = "verify report") -> str:
    plotting = plot.available()
    body = "".join(derivation_html(steps, plotting) for _, steps in report.groups(results))
    if not plotting and any(r.curve for r in results):
        body = f'<p class="remark">Plots of refuted steps need matplotlib: {escape(plot.INSTALL)}</p>' + body
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            # no script runs in the page and nothing is fetched, whatever a rendered line holds
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
            'img-src data:">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f'<style>{asset("report.css")}</style></head><body><main><header><h1>{escape(title)}</h1>'
            f"{summary_html(results, errors, notes)}</header>{body}</main></body></html>\n")


def write_html(results: list[StepResult], errors: list[InputError], notes: list[Note], out: TextIO) -> None:
    out.write(page(results, errors, notes))
