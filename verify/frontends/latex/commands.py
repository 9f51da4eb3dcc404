"""The LaTeX commands verify knows, as tables (KaTeX's src/functions is the model): what each one
means, and for those it refuses, what to write instead. `clean` removes what only changes the look
of a formula (spacing, sizes, colours, boxes) and turns \\text{...} into one token.
"""

from __future__ import annotations

from dataclasses import replace

from ...errors import InputError
from .lexer import Locate, Token

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda mu nu xi "
    "omicron rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi "
    "Sigma Upsilon Phi Psi Omega varGamma varDelta varTheta varLambda varXi varPi varSigma varUpsilon varPhi "
    "varPsi varOmega ell".split()
)
# commands that name a function, and the function (an ir function, or one of the prelude's)
FUNCTION_COMMANDS = {
    "exp": "exp", "ln": "log", "log": "log", "sqrt": "sqrt",
    "sin": "sin", "cos": "cos", "tan": "tan", "cot": "cot", "sec": "sec", "csc": "csc", "cosec": "csc",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsec": "asec", "arccsc": "acsc",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "coth": "coth", "sech": "sech", "csch": "csch",
    "arsinh": "asinh", "arcosh": "acosh", "artanh": "atanh", "arcsinh": "asinh", "arccosh": "acosh",
    "arctanh": "atanh", "erf": "erf",
}
# the inverse that f^{-1} names
INVERSES = {"sin": "asin", "cos": "acos", "tan": "atan", "sec": "asec", "csc": "acsc", "sinh": "asinh",
            "cosh": "acosh", "tanh": "atanh"}
FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
ACCENT_COMMANDS = frozenset({"hat", "widehat", "bar", "overline", "tilde", "widetilde", "dot", "ddot", "check",
                             "breve", "acute", "grave", "mathring"})
FONT_COMMANDS = frozenset({"operatorname", "mathrm", "mathit", "mathsf", "mathnormal", "textrm", "textit",
                           "textsf", "text", "mbox", "textnormal", "mathop", "mathcal", "mathscr", "mathfrak"})
# the upright d of a differential: \mathrm{d}x, \mathrm d x, \text{d}x, and \mathrm{dx} itself
DIFFERENTIAL_COMMANDS = frozenset({"mathrm", "operatorname", "mathit", "mathop", "text"})
TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox",
                           "hbox", "textup", "emph"})
MULTIPLY = frozenset({"cdot", "times", "ast"})
# marks that end a proof, dropped at the end of a line
END_MARKS = frozenset({"blacksquare", "square", "qed", "Box", "qedsymbol", "checkmark"})
# words of prose that turn up in displays; as letters they would multiply, so they are errors, and in
# \text{...} or \mathrm{...} they are prose, never a name
ENGLISH = frozenset("where when then since thus hence with from that this these which and the for are have into "
                    "using gives substitute because therefore given note let get rule equals respectively".split())
# short words that are also plausible products of two letters: words only where spacing sets them apart
SHORT_WORDS = frozenset("if as on or so is by at we to of in be".split())
PROSE = ENGLISH | SHORT_WORDS | frozenset("also now finally but all any each ie eg i.e. e.g. by".split())
# a trailing \text{for} x > 0 (or if, when, ...) states a condition of the step
CONDITION_WORDS_TEXT = frozenset({"for", "if", "when", "where", "for all", "for every", "for any", "provided", "assuming",
                                  "with"})
RELATIONS = {"<": "<", ">": ">", "le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=", "geq": ">=",
             "geqslant": ">=", "ne": "!=", "neq": "!=", "lt": "<", "gt": ">"}
SPACING = frozenset(
    ", ; : ! > \x20 quad qquad thinspace medspace thickspace negthinspace negmedspace negthickspace enspace "
    "enskip displaystyle textstyle scriptstyle scriptscriptstyle nonumber notag limits nolimits displaylimits "
    "mathstrut strut allowbreak nobreak big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr bigm Bigm "
    "biggm Biggm \\ normalsize small large Large tiny space nobreakspace".split(" ")
) | {" "}
# widths in mu (18 mu = 1 quad) of the spacing commands; \hspace, \hskip, \kern and \hfill count as wide
WIDTHS = {",": 3, "thinspace": 3, ":": 4, ">": 4, "medspace": 4, ";": 5, "thickspace": 5, " ": 6, "space": 6,
          "~": 6, "enspace": 9, "enskip": 9, "quad": 18, "qquad": 36}
WIDE = 18
GAPS = frozenset(", ; : > \x20 quad qquad thinspace medspace thickspace enspace enskip space".split(" ")) | {" "}
DROP_WITH_ARGUMENT = frozenset({"hspace", "vspace", "label", "tag", "phantom", "hphantom", "vphantom", "color",
                                "eqref", "ref", "require"})
# \underbrace{a + b}_{\text{remark}}: the formula stays, the remark under or over the brace goes
BRACES_WITH_REMARK = frozenset({"underbrace", "overbrace"})
KEEP_ARGUMENT = frozenset({"boxed", "cancel", "bcancel", "xcancel", "underline", "fbox"})
KEEP_SECOND_ARGUMENT = frozenset({"textcolor", "colorbox"})
LEFT_DELIMITERS = {"(": ("char", "("), "[": ("char", "["), r"\{": ("cmd", "{"), ".": ("cmd", "leftdot"),
                   "|": ("cmd", "lvert"), r"\vert": ("cmd", "lvert"), r"\lvert": ("cmd", "lvert"),
                   r"\lbrack": ("char", "["), r"\lbrace": ("cmd", "{"), r"\langle": ("cmd", "langle"),
                   r"\lfloor": ("cmd", "lfloor"), r"\lceil": ("cmd", "lceil"), r"\|": ("cmd", "lVert"),
                   r"\Vert": ("cmd", "lVert"), r"\lVert": ("cmd", "lVert")}
RIGHT_DELIMITERS = {")": ("char", ")"), "]": ("char", "]"), r"\}": ("cmd", "}"), ".": ("cmd", "rightdot"),
                    "|": ("cmd", "rvert"), r"\vert": ("cmd", "rvert"), r"\rvert": ("cmd", "rvert"),
                    r"\rbrack": ("char", "]"), r"\rbrace": ("cmd", "}"), r"\rangle": ("cmd", "rangle"),
                    r"\rfloor": ("cmd", "rfloor"), r"\rceil": ("cmd", "rceil"), r"\|": ("cmd", "rVert"),
                    r"\Vert": ("cmd", "rVert"), r"\rVert": ("cmd", "rVert")}
_VECTORS = "bold and arrow names usually stand for vectors or matrices, which verify cannot check; " \
           "write a plain name for a real number"
_TRANSPOSE = "a transpose means vectors or matrices, which verify cannot check"
_MACROS = "define macros outside the formula: in the document, under [latex.macros] in a proof file, or " \
          "with verify --macros FILE"
REFUSED = {
    "infty": "infinity is not a real number; verify checks identities between real numbers",
    "iint": "double integrals are not supported; verify checks integrals in one variable",
    "oint": "contour integrals are not supported; verify checks integrals of real functions of one variable",
    "lim": "limits are not supported", "limsup": "limits are not supported", "liminf": "limits are not supported",
    "cdots": "an ellipsis cannot be checked; write every term, or a \\sum with numeric bounds",
    "ldots": "an ellipsis cannot be checked; write every term, or a \\sum with numeric bounds",
    "dots": "an ellipsis cannot be checked; write every term, or a \\sum with numeric bounds",
    "dotsb": "an ellipsis cannot be checked; write every term, or a \\sum with numeric bounds",
    "dotsc": "an ellipsis cannot be checked; write every term, or a \\sum with numeric bounds",
    "pm": "± stands for two formulas; write each one", "mp": "∓ stands for two formulas; write each one",
    "mathbf": _VECTORS, "boldsymbol": _VECTORS, "bm": _VECTORS, "vec": _VECTORS, "overrightarrow": _VECTORS,
    "mathbb": "sets such as \\mathbb{R} (and expectations such as \\mathbb{E}) are not part of a formula verify "
              "checks; state conditions as inequalities",
    "circ": "degrees are not supported; write the angle in radians, as in \\frac{\\pi}{6} for 30^\\circ",
    "%": "a percent sign is not supported; write 50\\% as \\frac{50}{100} or 0.5",
    "binom": "binomial coefficients are not supported", "dbinom": "binomial coefficients are not supported",
    "tbinom": "binomial coefficients are not supported", "choose": "binomial coefficients are not supported",
    "nabla": "a gradient is a vector; write each partial derivative",
    "lfloor": "floor and ceiling are not supported", "lceil": "floor and ceiling are not supported",
    "langle": "angle brackets (inner products, averages) are not supported",
    "|": "‖x‖ is a norm; for a real number write |x|", "lVert": "‖x‖ is a norm; for a real number write |x|",
    "Vert": "‖x‖ is a norm; for a real number write |x|",
    "top": _TRANSPOSE, "intercal": _TRANSPOSE,
    "lg": "\\lg is log base 10 in ISO 80000-2 but log base 2 in computer science; write \\log_{10} or \\log_2",
    "newcommand": _MACROS, "renewcommand": _MACROS, "providecommand": _MACROS, "DeclareMathOperator": _MACROS,
    "def": _MACROS, "let": _MACROS,
    "begin": "an environment inside a formula (such as a matrix) is not supported; verify reads cases",
    "middle": "\\middle is not supported; write the expression without it",
    "over": "write {a \\over b} inside braces, or \\frac{a}{b}",
    "mid": "'|' as 'such that' or 'given' is not part of a formula verify checks",
    "Pr": "probabilities are not supported", "det": "determinants are not supported",
    "gcd": "gcd is not supported", "arg": "arg is not supported",
    "sup": "sup is not supported", "inf": "inf is not supported",
}
for _relation in ("to", "rightarrow", "Rightarrow", "implies", "iff", "mapsto", "longrightarrow", "in", "notin",
                  "forall", "exists", "subset", "subseteq", "approx", "sim", "simeq", "equiv", "propto", "cong"):
    REFUSED[_relation] = f"'\\{_relation}' is not part of a formula verify checks; it reads chains of '='"


def _skip_group(tokens: list[Token], i: int, locate: Locate, command: Token) -> int:
    """The index after the {group} at `i`."""
    if i >= len(tokens) or not tokens[i].is_char("{"):
        raise InputError(locate(command.start), f"\\{command.text} needs an argument in braces, as in "
                                                f"\\{command.text}{{...}}")
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].is_char("{") - tokens[j].is_char("}")
        if depth == 0:
            return j + 1
    raise InputError(locate(tokens[i].start), "this '{' is never closed; add the matching '}'")


def _has_math(tokens: list[Token], i: int) -> bool:
    """The group at `i` holds inline math: \\text{for $x > 0$}."""
    if i >= len(tokens) or not tokens[i].is_char("{"):
        return False
    depth = 0
    for u in tokens[i:]:
        depth += u.is_char("{") - u.is_char("}")
        if depth == 0:
            return False
        if u.is_char("$"):
            return True
    return False


def _prose(tokens: list[Token], i: int) -> bool:
    """The group at `i` is one word of prose: \\mathrm{and}, \\mathrm{for}."""
    if i + 2 >= len(tokens) or not tokens[i].is_char("{"):
        return False
    k, word = i + 1, ""
    while k < len(tokens) and tokens[k].kind == "char" and tokens[k].text.isascii() and tokens[k].text.isalpha():
        word, k = word + tokens[k].text, k + 1
    return k < len(tokens) and tokens[k].is_char("}") and word.lower() in PROSE


def text_of(tokens: list[Token]) -> str:
    out = ""
    for t in tokens:
        if t.is_char("{", "}"):
            continue
        piece = t.text if t.kind != "cmd" else ("\\" + t.text if t.text not in SPACING else " ")
        out += (" " if t.space and out else "") + piece
    return out


OLD_FONTS = frozenset({"rm", "bf", "it", "sf", "tt"})  # plain TeX's font switches


def clean(tokens: list[Token], locate: Locate) -> list[Token]:
    """Drop what only changes how a formula looks; map \\left and \\right delimiters; make each
    \\text{...} one token of kind "text"."""
    out: list[Token] = []
    i, n = 0, len(tokens)
    space = newline = gap = False
    width = 0  # of the spacing since the last token kept, in mu

    def keep(t: Token) -> None:
        nonlocal space, newline, gap, width
        out.append(replace(t, space=t.space or space, newline=newline, gap=gap, wide=width >= WIDE))
        space, newline, gap, width = False, False, False, 0

    while i < n:
        t = tokens[i]
        newline = newline or t.newline
        if t.kind == "char" and t.text in "&~":
            i, space = i + 1, True
            width += WIDTHS["~"] if t.text == "~" else 0
            continue
        if t.is_char("{") and i + 1 < n and tokens[i + 1].is_char("}") and not (out and out[-1].is_char("^", "_")):
            i, space = i + 2, True  # {} renders as nothing
            continue
        if t.kind != "cmd":
            keep(t)
            i += 1
            continue
        c = t.text
        if c in SPACING:
            i, space = i + 1, True
            gap = gap or c in GAPS
            width += WIDTHS.get(c, 0)
        elif c in ("hspace", "vspace") and i + 1 < n and tokens[i + 1].is_char("*"):
            i, space = _skip_group(tokens, i + 2, locate, t), True
            width += WIDE if c == "hspace" else 0
        elif c in ("tag",) and i + 1 < n and tokens[i + 1].is_char("*"):
            i = _skip_group(tokens, i + 2, locate, t)
        elif c in DROP_WITH_ARGUMENT:
            i, space = _skip_group(tokens, i + 1, locate, t), True
            width += WIDE if c == "hspace" else 0
            gap = gap or c in ("hspace", "phantom", "hphantom")
        elif c in ("mkern", "kern", "mskip", "hskip"):
            i += 1
            negative = i < n and tokens[i].is_char("-")
            while i < n and tokens[i].kind == "char" and (tokens[i].text in "-+." or tokens[i].text.isalnum()) \
                    and not tokens[i].space:
                i += 1
            space = True
            gap = gap or not negative
            width += 0 if negative else WIDE if c in ("kern", "hskip") else 3
        elif c in OLD_FONTS and i + 1 < n and tokens[i + 1].is_char("{"):  # \rm{max}: \mathrm{max}
            keep(replace(t, text="mathrm"))
            i += 1
        elif c in OLD_FONTS and out and out[-1].is_char("{"):  # {\rm max}: \mathrm{max}
            brace = out.pop()
            keep(replace(t, text="mathrm", start=brace.start))
            keep(replace(brace, start=t.start, end=t.end))
            i += 1
        elif c in ("hfill", "eqno", "leqno"):
            i, space, gap, width = i + 1, True, True, width + WIDE
        elif c in KEEP_ARGUMENT:
            i += 1
        elif c in BRACES_WITH_REMARK:
            end = _skip_group(tokens, i + 1, locate, t)
            out.extend(clean(tokens[i + 1:end], locate))
            i = end
            if i < n and tokens[i].is_char("_", "^"):
                i = _skip_group(tokens, i + 1, locate, t) if i + 1 < n and tokens[i + 1].is_char("{") else i + 2
        elif c in KEEP_SECOND_ARGUMENT:
            i = _skip_group(tokens, i + 1, locate, t)
        elif c in TEXT_COMMANDS and _has_math(tokens, i + 1):
            # \text{(for $x \ge 0$)}: the words, and the math between the dollars, read as the formula is
            end = _skip_group(tokens, i + 1, locate, t)
            inner = tokens[i + 2:end - 1]
            dollars = [k for k, u in enumerate(inner) if u.is_char("$")]
            if len(dollars) % 2:
                raise InputError(locate(inner[dollars[-1]].start), "this '$' inside \\text{...} is never closed")
            pieces, at = [], 0
            for a, b in zip(dollars[::2], dollars[1::2]):
                pieces += [("text", inner[at:a]), ("math", inner[a + 1:b])]
                at = b + 1
            pieces.append(("text", inner[at:]))
            lead = text_of(pieces[0][1]).strip().lstrip("([").strip().lower()
            if dollars[0] > 0 and not any(lead == w or lead.startswith(w + " ") for w in CONDITION_WORDS_TEXT):
                # \text{(chain rule with $u$)}: words with math in them, but no condition: one hint
                keep(Token("text", text_of(inner), inner[0].start, inner[-1].end, t.space, gap=t.gap, wide=t.wide))
                i = end
                continue
            for kind, part in pieces:
                if kind == "math":
                    out.extend(clean(part, locate))
                elif text_of(part).strip():
                    words = (" " if part[0].space else "") + text_of(part) + (" " if tokens[end - 1].space and part is
                                                                              pieces[-1][1] else "")
                    keep(Token("text", words, part[0].start, part[-1].end, t.space))
            i = end
        elif c in TEXT_COMMANDS or c in ("mathrm", "mathit", "mathsf") and _prose(tokens, i + 1):
            end = _skip_group(tokens, i + 1, locate, t)
            words = text_of(tokens[i + 2:end - 1])
            if i + 2 < end - 1 and tokens[i + 2].space or tokens[end - 1].space:
                words = (" " if tokens[i + 2].space else "") + words + (" " if tokens[end - 1].space else "")
            if words.strip(" ,.;:"):
                keep(Token("text", words, t.start, tokens[end - 1].end, t.space))
            else:
                space = True
                width += WIDTHS[" "]
            i = end
        elif c in ("left", "right"):
            table = LEFT_DELIMITERS if c == "left" else RIGHT_DELIMITERS
            d = tokens[i + 1] if i + 1 < n else None
            key = None if d is None else d.text if d.kind == "char" else "\\" + d.text
            if key not in table:
                raise InputError(locate(t.start), f"\\{c} needs a delimiter after it, such as \\{c}( or \\{c}.")
            kind, text = table[key]
            keep(Token(kind, text, t.start, d.end, t.space))
            i += 2
        else:
            keep(t)
            i += 1
    return out
