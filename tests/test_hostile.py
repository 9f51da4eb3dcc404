"""Hostile input: proof files come from strangers. Nothing in them is ever executed."""

import json
import subprocess
import sys

import pytest

from verify.errors import InputError, Location
from verify.frontends import latex, plain

AT = Location("pr.toml", 7, 12)

PLAIN = [
    "__import__('os').system('touch /tmp/verify-pwned')",
    "__import__",
    "x.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: 1)()",
    "[x for x in y]",
    "{x: 1}",
    "f'{x}'",
    "x if y else z",
    "eval(x)",
    "exec(x)",
    "open(x)",
    "compile(x)",
    "getattr(x, y)",
    "globals()",
    "breakpoint()",
    "sympify(x)",
    "parse_expr(x)",
    "Symbol(x)",
    "S(1)",
    "Integer(2)",
    "x; y",
    "x\nimport os",
    "await x",
    "x := 1",
    "x[0]",
    "*x",
    "diff(x, x, x)",
    "exp(x=1)",
]

LATEX = [
    r"\input{/etc/passwd}",
    r"\include{secret}",
    r"\def\x{1} \x",
    r"\csname foo\endcsname",
    r"\write18{touch /tmp/verify-pwned}",
    r"\immediate\write18{ls}",
    r"\catcode`\@=11",
    r"\newcommand{\x}{1}",
    r"\expandafter\x",
    r"\directlua{os.execute('ls')}",
    r"\usepackage{shellesc}",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_parser_rejects_with_a_location(text):
    with pytest.raises(InputError) as info:
        plain.parse_expr(text, AT)
    loc = info.value.location
    assert loc.file == "pr.toml" and loc.line == 7 and loc.col >= 12
    assert str(info.value).startswith(f"pr.toml:7:{loc.col}: ")


@pytest.mark.parametrize("text", LATEX)
def test_latex_parser_rejects_with_a_location(text):
    with pytest.raises(InputError) as info:
        latex.parse_latex(text, AT.shifted)
    assert info.value.location.line == 7 and info.value.location.col >= 12


AUDIT = r"""
import json, sys
from verify.errors import InputError, Location
from verify.frontends import latex, plain
texts = json.loads(sys.argv[1])
seen = []
WATCH = ("exec", "import", "os.system", "subprocess.Popen", "os.posix_spawn", "os.exec", "open", "ctypes.dlopen")
sys.addaudithook(lambda event, args: seen.append(event) if event.startswith(WATCH) else None)
errors = 0
for kind, text in texts:
    try:
        (plain.parse_expr(text, Location("f")) if kind == "plain" else latex.parse_latex(text, Location("f").shifted))
    except InputError:
        errors += 1
print(json.dumps({"errors": errors, "events": seen}))
"""


def test_nothing_is_executed_imported_or_opened_while_reading_hostile_lines():
    texts = [("plain", t) for t in PLAIN] + [("latex", t) for t in LATEX]
    done = subprocess.run([sys.executable, "-c", AUDIT, json.dumps(texts)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report == {"errors": len(texts), "events": []}
