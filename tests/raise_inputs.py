"""Inputs that reach the raise sites of verify's readers. Each entry is an argv list for the CLI, or a
pair (argv, files) where files maps a file name to its text and "{dir}" in argv is the folder they are in.

Grouped by the file of the raise site; each comment names the site by its message."""


def toml(body: str, name: str = "a.toml"):
    """A proof file holding `body`, checked on its own."""
    return (["{dir}/" + name], {name: body})


def latex_lines(*lines: str, extra: str = ""):
    """A proof file with one derivation whose `latex` lines are `lines` (single-quoted TOML strings)."""
    quoted = ", ".join("'" + x + "'" for x in lines)
    return toml(f"[[derivation]]\nlatex = [{quoted}]\n{extra}")


def plain_lines(*lines: str, extra: str = ""):
    """A proof file with one derivation whose plain `lines` are `lines` (plain syntax only, no LaTeX retry)."""
    quoted = ", ".join("'" + x + "'" for x in lines)
    return toml(f"[[derivation]]\nlines = [{quoted}]\n{extra}")


def bad_macro(name: str, body: str, line: str):
    """A proof file whose macro `name` has the body `body` (which need not balance its braces), used in `line`."""
    return toml(f"[latex.macros]\n'{name}' = '{body}'\n[[derivation]]\nlatex = ['{line}', 'x']\n")


def md(text: str):
    return (["{dir}/a.md"], {"a.md": text})


def tex(text: str):
    return (["{dir}/a.tex"], {"a.tex": text})


INPUTS = [
    (["{dir}/a.toml"], {"a.toml": "[[derivation]]\nname = 1\nlines = ['x', 'x']\n"}),

    # ---- frontends/source.py
    # the file is ... bytes; the limit is ... (1 MiB)
    (["{dir}/big.md"], {"big.md": "$$x = x$$\n" + "a" * (1024 * 1024 + 10)}),
    # cannot read the file (...): --macros names a folder
    (["--macros", "{dir}", "-e", "x = x + 0"], {"a.txt": "x"}),
    # the file is not UTF-8 text
    (["{dir}/a.toml"], {"a.toml": b"[[derivation]]\nlines = ['x', '\xff']\n"}),
    # the file contains a NUL byte
    (["{dir}/a.md"], {"a.md": "$$x = x$$\n\x00\n"}),
    # the file is empty
    (["{dir}/a.toml"], {"a.toml": "  \n"}),

    # ---- frontends/proof_file.py
    # '{key}' must be a list of strings
    toml("[[derivation]]\nlines = 'x = x'\n"),
    # this string holds \t (a tab) where LaTeX was expected
    toml('[[derivation]]\nlatex = ["\\tanh(x)", "x"]\n'),
    # this is not valid TOML
    toml("[[derivation]\nlines = ['x', 'x']\n"),
    # write each derivation as a [[derivation]] table
    toml("derivation = 1\n"),
    # the macro ... must be a string
    toml("[latex.macros]\n'\\a' = 1\n[[derivation]]\nlatex = ['x', 'x']\n"),
    # a definition's name must look like f(x) or f(x, y)
    toml("[definitions]\n\"f\" = \"x\"\n[[derivation]]\nlines = ['x', 'x']\n"),
    # a [[derivation]] must be a table
    toml("derivation = [1, 2]\n"),
    # unknown key ... in a derivation
    toml("[[derivation]]\nlines = ['x', 'x']\nexpected = ['proven']\n"),
    # needs either 'lines' (plain syntax) or 'latex', not both or neither
    toml("[[derivation]]\nlines = ['x', 'x']\nlatex = ['x', 'x']\n"),
    # needs at least two lines to make a step
    toml("[[derivation]]\nlines = ['x']\n"),
    # ... is defined twice in this derivation
    plain_lines("y", "y", extra="assume = ['y = 1', 'y = 2']\n"),
    # ...: this definition refers to itself
    plain_lines("y", "y", extra="assume = ['y = 2*z', 'z = y']\n"),
    # check_products' problem: g(...) neither a defined function nor a variable
    latex_lines("g(x+1)", "x"),
    # ... is one name in the plain syntax, though ... are variables
    plain_lines("xy", "x*y"),
    # expect ... is not one of proven, refuted, unknown
    plain_lines("x", "x", extra="expect = ['maybe']\n"),
    # 'expect' has ... entries but ... has ... steps
    plain_lines("x", "x", extra="expect = ['proven', 'proven']\n"),

    # ---- frontends/syntax.py
    # the plain syntax's error, where LaTeX cannot read the text either
    ["--assume", "x > exp", "-e", "x = x + 0"],
    # a hypothesis that is an equation must be linear in one of its variables
    ["--define", "x^2 = 1", "-e", "x = x + 0"],
    # ... is already a constant or function and cannot be defined here
    ["--define", "exp = 3", "-e", "x = x + 0"],
    # e or pi cannot be defined (_not_a_constant)
    ["--define", "pi = 3", "-e", "x = x + 0"],
    # the left side ... is a number, so it cannot be defined
    ["--define", "2 = y", "-e", "x = x + 0"],
    # the left side of ':=' must be one name (_not_a_name)
    ["--define", "x + y := 3", "-e", "x = x + 0"],
    # a hypothesis must be a comparison
    ["--assume", "x", "-e", "x = x + 0"],
    # each side of a comparison needs an expression
    ["--assume", "x > ", "-e", "x = x + 0"],
    # write {n} = {n}(x) or {n} = {n}(x, y), with distinct variables
    ["--define", "y = y(1)", "-e", "x = x + 0"],
    # ... is built in and cannot be redefined (a LaTeX function command)
    ["--define", "sin(x) = x", "-e", "x = x + 0"],
    # the parameters must be names, as in f(x, y)
    ["--define", "f(1) = 1", "-e", "x = x + 0"],
    # a definition cannot hold a condition
    ["--define", r"f(x) = x \text{for } x > 0", "-e", "x = x + 0"],
    # check_products' problem in a definition's body
    ["--define", "f(x) = g(x+1)", "-e", "x = x + 0"],

    # ---- frontends/chain.py
    # e = y - 1: e is Euler's number, so this reads as a definition verify cannot take (constant_head)
    ["-e", "e = y - 1"],
    # --define takes a function or a name; use --assume for a hypothesis
    ["--define", "x > 0", "-e", "x = x + 0"],
    # ... is defined in terms of itself
    ["--define", "y = 2*y", "-e", "x = x + 0"],
    # write one chain of at least two lines joined by '='
    ["-e", "x"],
    # ... is one name in the plain syntax, though ... are variables here
    ["-e", "xy = x*y"],

    # ---- frontends/plain.py
    # this line is ... characters long; the limit is ...
    ["-e", "x" + "+x" * 10001 + " = x"],
    # this line is empty; write an expression
    ["-e", " = x"],
    # the expression is nested too deeply (ast.parse gives up)
    ["-e", "x = " + "-" * 4000 + "x"],
    # the expression is nested too deeply (RecursionError in the reader, after ast.parse; invisible to the tracer)
    plain_lines("-" * 900 + "x", "x"),
    # the operator ... is not allowed; use + - * / ^
    plain_lines("x//y", "x"),
    # each piece is a pair (value, condition)
    plain_lines("Piecewise(x, (0, True))", "x"),
    # Piecewise(...) needs at least one piece
    plain_lines("Piecewise()", "x"),
    # a piece after one whose condition is True is never used
    plain_lines("Piecewise((x, True), (0, x > 0))", "x"),
    # a condition is a comparison such as x > 0
    plain_lines("Piecewise((x, x), (0, True))", "x"),
    # write integrate(expression, x) or ...
    plain_lines("integrate(x)", "x"),
    # write the bounds as integrate(expression, (x, a, b))
    plain_lines("integrate(x, (x, 1))", "x"),
    # write sum(expression, (j, 1, 3))
    plain_lines("sum(x_j)", "x"),
    # the index of a sum or product must be one letter
    plain_lines("sum(x_j, (jj, 1, 3))", "x"),
    # the bounds of a sum or product must be whole numbers
    plain_lines("sum(x_j, (j, 1, n))", "x"),
    # this sum expands to more than ... terms
    plain_lines("sum(sum(x_j, (j, 1, 100)), (k, 1, 100))", "x"),
    # not checked: a definite integral outside the fundamental theorem's form
    plain_lines("integrate(x, (x, 0, 1))", "1/2"),
    # not checked: integrals with respect to two variables in one step
    plain_lines("integrate(x, x) + integrate(y, y)", "x^2/2 + y^2/2"),
    # not checked: an indefinite integral at a point
    plain_lines("Subs(integrate(2*x, x), x, 1)", "5"),
    # not checked: an indefinite integral that is not used linearly
    plain_lines("integrate(x, x)^2", "x^4/4"),
    # not checked: the fundamental theorem with a piecewise F
    plain_lines("integrate(1, (x, 0, 1))", "Subs(relu(x), x, 1) - Subs(relu(x), x, 0)"),
    # the operator 'not' is not allowed
    plain_lines("not x", "x"),
    # the constant ... is not allowed; only real numbers are
    plain_lines("2j", "x"),
    # ... holds '_', which Python reads as a digit separator
    plain_lines("x^2_1", "x"),
    # write ... as a decimal number
    plain_lines("0x10", "x"),
    # ... is a function; call it with an argument
    plain_lines("exp + 1", "x"),
    # unknown name ... (the variables declared are ...)
    plain_lines("y", "x", extra="variables = ['x']\n"),
    # only a name can be called
    plain_lines("(x+1)(y)", "x"),
    # ...(...) takes plain arguments only
    plain_lines("exp(*x)", "x"),
    # ...(...) takes one or more arguments
    plain_lines("max()", "x"),
    # ...(...) takes n argument(s), not m
    plain_lines("exp(x, y)", "x"),
    # ... must be a variable name
    plain_lines("diff(x, 1)", "x"),
    # write diff(expression, variable) or diff(expression, variable, order)
    plain_lines("diff(x)", "x"),
    # ... is a function, so a derivative with respect to it is unclear
    ["--define", "f = 2", "--define", "f(x) = x", "-e", "diff(x, f) = 0"],
    # the derivative problem: y is not defined, so its derivative would be 0
    plain_lines("diff(y, x)", "x"),
    # write Subs(expression, variable, value)
    plain_lines("Subs(x, x)", "x"),
    # ... is built in and cannot be redefined (abs, diff, max, e)
    ["--define", "abs(x) = x", "-e", "x = x + 0"],
    # the parameters of ... must have different names
    ["--define", "f(x, x) = x", "-e", "x = x + 0"],

    # ---- calculus.py
    # no derivative known for sec: \frac{d\sec}{dx} after 'variable sec' took sec out of the scope (the step's verdict
    # is "error" in the real CLI)
    md("<!-- verify: variable sec -->\n$$\\frac{d\\sec}{dx} = 1$$\n"),
    # the definition of ... refers to itself: two chains of a document each define a name by the other
    md("$$L = M + 1 = 2$$\n\n$$M = L + 1 = 3$$\n\n$$L = x$$\n"),

    # ---- derivation.py
    # ... is the variable of integration of a line before (a substitution the chain does not state)
    ["-e", r"\int \frac{e^x}{1 + e^x}\,dx = \int \frac{1}{u}\,du = \ln u = \ln (1 + e^x)"],

    # ---- ir.py
    # UnknownAtPoint: an unspecified function y(x) at a point
    ["--define", "y = y(x)", "-e", r"\left. y \right|_{x=0} = 1"],

    # ---- frontends/documents.py
    # write 'expect' followed by proven, refuted, unknown
    md("<!-- verify: expect maybe -->\n$$x = x$$\n"),
    # write the names after 'variable'
    md("<!-- verify: variable 1x -->\n$$x = x$$\n"),
    # a verify: comment defines a function ... or says 'assume ...'
    md("<!-- verify: x > 0 -->\n$$x = x$$\n"),
    # ...: this definition refers to itself (a verify: comment)
    md("<!-- verify: y := 2 y -->\n$$x = x$$\n"),

    # ---- frontends/latex/__init__.py
    # this line is ... characters long (LaTeX)
    ["-e", r"\alpha" + "+x" * 10001 + " = x"],
    # this line is empty (LaTeX)
    latex_lines("", "x"),
    # this line holds no formula, only text
    latex_lines(r"\text{hello}", "x"),
    # a condition after \text{for} must be inequalities
    ["-e", r"\alpha = x \quad \text{for } y"],
    # (3) after a small space could be an equation number or a factor
    ["-e", r"\alpha = x \, (3)"],
    # the expression is nested too deeply (Python's RecursionError while reading; the tracer cannot see this
    # site, since Python turns tracing off when the recursion limit is hit)
    ["-e", r"\alpha = " + "-" * 3000 + "x"],

    # ---- frontends/latex/commands.py
    # \tag needs an argument in braces
    ["-e", r"x \tag 1 = x"],
    # this '$' inside \text{...} is never closed
    ["-e", r"\alpha = x \text{for $x > 0}"],
    # this '{' is never closed (the group of \label, from a macro whose body does not close it)
    bad_macro(r"\lb", r"\label{", r"x \lb"),

    # ---- frontends/latex/cases.py
    # these cases hold no rows
    latex_lines("\\begin{cases} \\\\ \\end{cases}", "x"),
    # a row after 'otherwise' is never used
    latex_lines("\\begin{cases} 1 & \\text{otherwise} \\\\ 0 & x > 0 \\end{cases}", "x"),
    # each condition of the cases is a comparison (a group without a relation)
    latex_lines("\\begin{cases} 1 & x + 1 \\\\ 0 & \\text{otherwise} \\end{cases}", "x"),
    # each condition of the cases is a comparison (only words)
    latex_lines("\\begin{cases} 1 & \\text{sometimes} \\\\ 0 & \\text{otherwise} \\end{cases}", "x"),
    # write the condition of the indicator
    latex_lines("\\mathbb{1} + x", "x"),
    # this bracket of the indicator is never closed
    latex_lines("\\mathbb{1}(x > 0", "x"),
    # the condition of an indicator is a comparison
    latex_lines("\\mathbb{1}_{\\text{otherwise}}", "x"),
    # ---- frontends/latex/derivatives.py
    # write the differential last inside the braces (an integrand in braces)
    ["-e", r"\int{x \, dx + y \, dy} = 1"],
    # write both bounds of a definite integral
    latex_lines("\\int_0 x \\, dx", "x"),
    # write the variable of integration after the integrand
    latex_lines("\\int x", "x"),
    # the order on top and the orders below of this derivative differ
    ["-e", r"\frac{d^2}{dx} x^3 = 6x"],
    # unknown name ... (the variables declared are ...): a variable of differentiation
    latex_lines(r"\frac{d}{dt} x", "x", extra="variables = ['x']\n"),
    # ... is a function of one variable; it cannot have a mixed derivative
    ["-e", r"\frac{\partial^2 \sigma}{\partial x \partial y} = 0"],
    # ... has the parameters ...; write f(a, b) with the variables you mean
    ["--define", "f(a, b) = a*b", "-e", r"\frac{\partial f}{\partial x} = 0"],
    # \partial is understood in \frac{\partial f}{\partial x}, ...
    ["-e", r"\partial x = 0"],
    # write one variable after \partial_, ...; for a mixed derivative, ...
    ["-e", r"\partial_{xy} x = 0"],
    # write one variable after \partial_, as in \partial_x
    ["-e", r"\partial_1 x = 0"],
    # the order of a derivative must be a whole number from 1 to 10, written once
    ["-e", r"\partial_x^{a} x = 0"],
    # write one variable after D_
    ["-e", r"\alpha + D_1 x = 1"],
    # the order of a derivative must be a whole number from 1 to 10 (D_x^a)
    ["-e", r"\alpha + D_x^{a} x = 1"],
    # this derivative has nothing after it to apply to
    ["-e", r"\frac{d}{dx} = 0"],
    # these sums and products expand to more than ... terms
    ["-e", r"\sum_{i=1}^{100} \sum_{j=1}^{100} x = 0"],
    # write the index and its first value
    ["-e", r"\sum_{i}^{3} x = 0"],
    # the index of a sum must be one letter
    ["-e", r"\sum_{ij=1}^{3} x = 0"],
    # this sum has ... terms; verify expands at most ...
    ["-e", r"\sum_{i=1}^{2000} x = 0"],
    # a prime after an evaluation bar is not understood
    ["-e", r"\alpha + x^2 |_{x=1}' = 1"],
    # write the variable of this evaluation bar
    ["-e", r"\alpha + (x y)|_{1} = 1"],
    # write the variable of the evaluation bar as a name
    ["-e", r"\alpha + x|_{1=2} = 1"],

    # ---- frontends/latex/functions.py
    # this text writes \log_{10} too, so a bare \log may mean the common logarithm (_common_log)
    ["-e", r"\log 1000 = \log_{10} 1000 \cdot \ln 10"],
    # arccot has two conventions: no longer reachable since function() raises it only for a word that is not a
    # defined function, and every caller first checks that the word names one (kept: it reached the site before)
    ["--define", "acot(x) = atan(1/x)", "-e", r"\text{acot}(x) = 1"],
    # a subscript on \sin is not understood
    ["-e", r"\sin_2 x = 1"],
    # unknown function ... (\sec, after 'variable sec' removed it)
    md("<!-- verify: variable sec -->\n$$\\sec x = 1$$\n"),
    # \sin{...} shows no brackets, so a sum in the braces reads as \sin of its first term
    ["-e", r"\sin{x + 1} = 1"],
    # \sin takes one argument, not 2
    ["-e", r"\sin(x, y) = 1"],
    # \sin cannot take a derivative, sum or product without parentheses; write \sin(...)
    ["-e", r"\sin \frac{d}{dx} x = 1"],
    # \sin cannot take a derivative, sum or product without parentheses (D_x after it)
    ["-e", r"\sin D_x x = 1"],
    # f' needs a function of one variable
    ["--define", "f(a, b) = a*b", "-e", r"f'(x, y) = 0"],
    # the order of a derivative must be a whole number from 1 to 10 (\sin^{(11)})
    ["-e", r"\sin^{(11)} x = 1"],
    # sigma takes 1 argument(s), not 2
    ["-e", r"\sigma(x, y) = 1"],
    # a prime on \max is not understood
    ["-e", r"\max' (a, b) = 1"],
    # write the arguments of \max in parentheses
    ["-e", r"\max x = 1"],
    # this '[' is never closed (\sqrt[)
    latex_lines(r"\sqrt[3 x", "x"),

    # ---- frontends/latex/lexer.py
    # a backslash ends the line
    ["-e", "\\alpha = x\\"],

    # ---- frontends/latex/macros.py
    # expected {...} with the macro's body here
    tex("\\newcommand\\foo x\n\\[ x = x \\]\n"),
    # this '{' is never closed (a definition's group)
    tex("\\newcommand{\\foo}{x\n\\[ x = x \\]\n"),
    # \def needs a command name
    tex("\\def x{y}\n\\[ x = x \\]\n"),
    # \newcommand needs one command name
    tex("\\newcommand{ab}{x}\n\\[ x = x \\]\n"),
    # the number of arguments must be 1 to 9
    tex("\\newcommand{\\f}[x]{#1}\n\\[ x = x \\]\n"),
    # this '[' is never closed (the default of an optional argument)
    tex("\\newcommand{\\f}[1][x{#1}\n\\[ x = x \\]\n"),
    # the body of \f uses #2 but the macro takes 1 argument(s)
    tex("\\newcommand{\\f}[1]{#2}\n\\[ x = x \\]\n"),
    # a macro's name must be a command such as \paren
    toml("[latex.macros]\n'paren' = 'x'\n[[derivation]]\nlatex = ['x', 'x']\n"),
    # expanding \a does not end
    tex("\\newcommand{\\a}{\\a}\n\\[ \\a = x \\]\n"),
    # the optional argument of \f is never closed with ']'
    tex("\\newcommand{\\f}[2][0]{#1+#2}\n\\[ \\f[1 + x = x \\]\n"),
    # \f needs more arguments here
    tex("\\newcommand{\\f}[2]{#1+#2}\n\\[ x = \\f{1} \\]\n"),
    # this '{' is never closed (a macro's argument, opened by another macro's body)
    toml("[latex.macros]\n'\\a' = '\\b{'\n'\\b' = '#1'\n[[derivation]]\nlatex = ['\\a x', 'x']\n"),

    # ---- frontends/latex/naming.py
    # a differential d is understood only in a derivative (\text{d})
    ["-e", r"\text{d} x = 1"],
    # text in the middle of a formula cannot be checked
    ["-e", r"x = 1 + \text{hello world} + x"],
    # dx reads as a differential
    ["-e", r"\alpha + dx = 1"],
    # 'sinx' reads as a product of letters
    ["-e", r"\alpha + sinx = 1"],
    # f^{-1} could mean the inverse function or 1/f
    ["--define", "f(x) = 2*x", "-e", r"\alpha + f^{-1}(x) = 1"],
    # unknown name ... (the variables declared are ...)
    latex_lines("y", "x", extra="variables = ['x']\n"),
    # y is a defined name, so y(...) could be its value at a point or a product
    ["--define", "y = x^2", "-e", r"\alpha + y(x) = 1"],
    # y is a name, not a function, so y'(...) is unclear
    ["--define", "y = x^2", "-e", r"y'(x) = 2x"],
    # y' is unclear: y depends on x, z
    ["--define", "y = x*z", "-e", r"y' = z"],
    # a subscript with arithmetic must come to a whole number in a sum
    ["-e", r"\sum_{i=1}^{2} x_{i+y} = 0"],
    # write a subscript with letters, digits, + and -
    ["-e", r"x_{+a} = \alpha"],
    # write a subscript with letters and digits
    ["-e", r"x_{\sin} = \alpha"],
    # this subscript has an empty part
    ["-e", r"x_{a,} = \alpha"],
    # x_12 takes only 1 as the subscript
    ["-e", r"x_12 = \alpha"],
    # _hat in LaTeX is the subscript h followed by at
    ["-e", r"y_hat = \alpha"],
    # _ij takes only i as the subscript
    ["-e", r"w_ij = \alpha"],
    # indices of more than one digit run together in this subscript
    ["-e", r"\sum_{i=10}^{11} \sum_{j=1}^{2} w_{ij} = 0"],
    # \hat{} is empty
    ["-e", r"\hat{\hat{}} = 1"],
    # \hat{...} must hold a name
    ["-e", r"\hat{1} = 1"],
    # \hat{...} must hold one name, such as \hat{y} or \hat{y_i}
    ["-e", r"\hat{xy} = 1"],
    # \hat{...} must hold one name
    ["-e", r"\hat{x_1 y} = 1"],
    # this name already has a subscript
    ["-e", r"\hat{y_i}_j = 1"],
    # \mathit{...} must hold a plain name here
    ["-e", r"\mathit{x+1} = 1"],
    # an upright i is the imaginary unit
    ["-e", r"x = 1 + \mathrm{i}"],
    # a differential d is understood only in a derivative (\mathrm{d})
    ["-e", r"1 + \mathrm{d} = 1"],

    # ---- frontends/latex/reader.py
    # this '}' closes nothing (a macro's body)
    bad_macro(r"\cl", "}", r"x \cl"),
    # this '{' is never closed (a macro's body)
    bad_macro(r"\op", "{", r"x \op"),
    # \frac needs an argument here
    ["-e", r"\frac{1} = 1"],
    # a derivative, sum or product cannot be a divisor
    ["-e", r"x / \frac{d}{dx} x = 1"],
    # a line break joins two expressions (in what a derivative applies to)
    ["-e", "\\frac{d}{dx} x\n y = 1"],
    # a number right after a name is unclear
    ["-e", r"\alpha x2 = 1"],
    # a number right after a power is unclear
    ["-e", r"\alpha x^2 3 = 1"],
    # two superscripts in a row (after a bracket)
    ["-e", r"\alpha = 2 (x)^2^3"],
    # a subscript is understood on a name or after \log, not here
    ["-e", r"\alpha = 2 (x)_1"],
    # two superscripts in a row (on a name)
    ["-e", r"\alpha x^2^3 = 1"],
    # two subscripts in a row
    ["-e", r"\alpha x_1_2 = 1"],
    # ^- takes only the sign as the script
    ["-e", r"\alpha x^-1 = 1"],
    # x^23 takes only 2 as the script
    ["-e", r"\alpha x^23 = 1"],
    # '1.2.3' is not a number
    ["-e", r"\alpha + 1.2.3 = 1"],
    # 2e5... looks like a number in scientific notation
    ["-e", r"\alpha + 2e5 = 1"],
    # expected ')' to match the '(' at column ...
    ["-e", r"\alpha + (x] = 1"],
    # empty braces {} hold nothing to read
    ["-e", r"\alpha + {\,} = 1"],
    # \left. needs \right. or an evaluation bar
    latex_lines(r"\left. x", "x"),
    # \right needs a delimiter after it
    latex_lines(r"x + \left( x \right", "x"),
    # expected '\}' to match the '\{'
    ["-e", r"\left\{ x \right) = 1"],
    # \{x\} is a set, or the fractional part of x
    ["-e", r"\left\{ x \right\} = 1"],
    # '\cdot' needs an expression before it and after it
    ["-e", r"\cdot x = 1"],
    # a relation inside a line
    latex_lines(r"\le y", "x"),

    # ---- found crashing by the first run of this corpus, now located errors
    ["-e", r"√\frac{d}{dx} x = 1"],  # a root sign over a derivative
    ["-e", r"y = ∛\partial_x x"],
    ["-e", r"x_\mathrm a = 1 + x_a - 1"],  # \mathrm without braces inside a subscript
    ["-e", r"\alpha = " + "1" * 5000],  # numbers too long to read
    ["-e", "x + 0." + "0" * 4400 + "1 = x"],
    ["-e", "x + 1e5000 = x"],
    ["a" * 300 + ".toml"],  # a file name too long for the file system
    ["--macros", "a" * 300 + ".tex", "-e", "x = x + 0"],
    # ---- frontends/chain.py: definitions that cannot hold together
    ["--define", "y = y(x)", "--define", "z = z(y)", "-e", r"\frac{dz}{dx} = 0"],
    # ---- frontends/latex/__init__.py: a line of prose only
    ["-e", r"\text{by parts} = x"],
    # ---- frontends/syntax.py: a name in the plain syntax that LaTeX reads as a product
    ["--define", "z = wx + b", "-e", "z - b = w x"],
    # ---- frontends/latex/derivatives.py: an order past 10
    ["-e", r"\frac{d^{50}}{dx^{50}} x = 0"],

    # ---- frontends/indices.py and the readers of index notation (issue 15)
    ["--indices", "i = 1, j", "-e", "z_i = z_i"],  # write each index with its value
    toml("indices = 3\n[[derivation]]\nlines = ['x', 'x']\n"),  # write the indices as a table
    toml("indices = { i = 1 }\nwhere = 1\n[[derivation]]\nlines = ['x', 'x']\n"),  # 'where' must be a string
    toml("indices = { ii = 1 }\n[[derivation]]\nlines = ['x', 'x']\n"),  # an index is one letter
    toml("indices = { i = 1.5 }\n[[derivation]]\nlines = ['x', 'x']\n"),  # a whole number or a range
    ["--indices", "i = 1..n, n = 1..i", "-e", "z_i = z_i"],  # ranges that depend on each other
    ["--indices", "n = 1..50, i = 1..n, j = 1..n", "-e", "z_i = z_i"],  # more than MAX_INSTANCES
    ["--indices", "i = 1..60", "-e", "z_i = z_i"],  # an index is at most MAX_VALUE
    ["--indices", "i = 1, j = 1 where i != j", "-e", "z_i = z_i"],  # no combination satisfies the condition
    ["--indices", "i = one", "-e", "z_i = z_i"],  # a whole number or a range, not 'one'
    ["--indices", "i = 1..i", "-e", "z_i = z_i"],  # a range must end at numbers or other letters
    ["--indices", "i = 1, j = 2 where i ~ j", "-e", "z_i = z_i"],  # write the condition as comparisons
    ["--indices", "i = 1 where i != q", "-e", "z_i = z_i"],  # the condition uses an undeclared letter
    toml("[[derivation]]\nwhere = 1\nindices = { i = 1 }\nlines = ['z_i', 'z_i']\n"),  # 'where' must be a string
    toml("[[derivation]]\nwhere = 'i != j'\nlines = ['x', 'x']\n"),  # 'where' needs declared indices
    toml("[definitions]\n'y < 1' = 'x'\n[[derivation]]\nlines = ['x', 'x']\n"),  # a definition's name
    md("<!-- verify: where -->\n$$x = x$$\n"),  # write the condition after 'where'
    md("<!-- verify: where i != j -->\n$$x = x$$\n"),  # 'where' restricts declared indices
    ["-e", r"\sum_j z_j = z_1 + z_2"],  # \sum_j without declared indices: write the bounds
    ["--indices", "i = 1, n = 3", "-e", r"\sum_{j \neq k} z_j = z_2"],  # \neq k: k is not declared
    ["--indices", "i = 1, n = 3", "-e", r"\sum_{j < i} z_j = z_2"],  # a sum's subscript that is no range
    ["--indices", "i = 1, n = 3", "-e", r"z_k = z_1"],  # k in this subscript is not declared
    latex_lines(r"[i = 1", "x", extra="indices = { i = 1 }"),  # expected ']'
    ["-e", r"\sum^{3} z = 1"],  # a sum without its index
    ["-e", r"[x = y] = 1"],  # an Iverson bracket of non-indices
    plain_lines("z_k", "z_1", extra="indices = { i = 1 }"),  # k in z_k is not declared
    plain_lines("w_ij", "w_12", extra="indices = { i = 10, j = 2 }"),  # indices of more than one digit
    plain_lines("KroneckerDelta(x, y)", "1"),  # KroneckerDelta of non-indices
    ["--indices", "i = 1, n = 3", "--define", "p_j = z_{jk}", "-e", "p_1 = p_1"],  # an indexed definition unread
    toml('[definitions]\n"y" = "(1 + "\n[[derivation]]\nlines = ["y", "y"]\n'),  # not checked: [definitions] unread
]
