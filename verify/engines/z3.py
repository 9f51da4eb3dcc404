"""Z3 on the real-arithmetic form: the obligation holds when its negation is unsat."""

from __future__ import annotations

from fractions import Fraction

import z3

from .. import ir
from ..encode import Obligation
from ..errors import UnsupportedError
from ..ir import Add, Mul, Num, Pow, Rel, Var
from . import Candidate, Outcome, Proven, Unknown

MAX_DEGREE = 1000
_CONTEXT: list[z3.Context] = []
_TERMS: dict[Rel, z3.BoolRef] = {}  # the relations already made in the current context


def new_context() -> None:
    """Start a fresh Z3 context for the next questions (one step's worth).

    Z3's answers, models included, can depend on what its context saw before, so
    each step gets its own: the report does not depend on which worker took which
    step. Within a step the context is shared, since making one costs 1 to 7 ms.
    """
    _TERMS.clear()
    _CONTEXT.clear()  # the old one goes first: making a context while another lives costs more
    _CONTEXT.append(z3.Context())


def context() -> z3.Context:
    if not _CONTEXT:
        new_context()
    return _CONTEXT[0]


def to_z3(e: ir.Expr, ctx: z3.Context) -> z3.ArithRef:
    """The real-arithmetic form as a Z3 term (numbers, variables, + * and integer powers)."""
    if isinstance(e, Num):
        return z3.RealVal(f"{e.value.numerator}/{e.value.denominator}", ctx)
    if isinstance(e, Var):
        return z3.Real(e.name, ctx)
    if isinstance(e, Add):
        return z3.Sum([to_z3(t, ctx) for t in e.terms])
    if isinstance(e, Mul):
        return z3.Product([to_z3(f, ctx) for f in e.factors])
    if isinstance(e, Pow) and isinstance(e.exp, Num) and e.exp.value.denominator == 1:
        n = e.exp.value.numerator
        if abs(n) > MAX_DEGREE:
            raise UnsupportedError(f"the power {n} is above Z3's limit here ({MAX_DEGREE})")
        b = to_z3(e.base, ctx)
        p = b if abs(n) == 1 else b ** abs(n)
        return p if n > 0 else 1 / p
    if isinstance(e, ir.Piecewise):
        out = None
        for value, conds in reversed(e.pieces):
            v = to_z3(value, ctx)
            out = v if out is None else z3.If(z3.And([rel_to_z3(r, ctx) for r in conds], ctx), v, out)
        return out
    raise UnsupportedError(f"Z3 cannot take {ir.show(e)}")


def rel_to_z3(r: Rel, ctx: z3.Context) -> z3.BoolRef:
    if ctx is not context():
        return _rel(r, ctx)
    if r not in _TERMS:  # a step's questions share their facts and hypotheses: each is made once
        _TERMS[r] = _rel(r, ctx)
    return _TERMS[r]


def _rel(r: Rel, ctx: z3.Context) -> z3.BoolRef:
    a, b = to_z3(r.lhs, ctx), to_z3(r.rhs, ctx)
    return {
        "=": lambda: a == b, "!=": lambda: a != b, "<": lambda: a < b,
        "<=": lambda: a <= b, ">": lambda: a > b, ">=": lambda: a >= b,
    }[r.op]()


def assertions(ob: Obligation, ctx: z3.Context) -> tuple[list[z3.BoolRef], z3.BoolRef]:
    """What is assumed, and the goal, as Z3 formulas."""
    facts = (*ob.facts, *(d.fact for d in ob.domain_facts))
    assumed = [rel_to_z3(r, ctx) for r in (*facts, *ob.real_hypotheses, *ob.real_requirements)]
    return assumed, rel_to_z3(ob.real_goal, ctx)


def _fraction(v: z3.ExprRef) -> Fraction:
    if isinstance(v, z3.AlgebraicNumRef):
        v = v.approx(40)
    f = v.as_fraction()
    return Fraction(f.numerator, f.denominator)


def smt2(ob: Obligation, status: str) -> str:
    """The negated obligation as a standalone SMT-LIB2 benchmark (QF_NRA) that any solver can re-check."""
    ctx = context()
    assumed, goal = assertions(ob, ctx)
    solver = z3.Solver(ctx=ctx)
    solver.add(*assumed)
    solver.add(z3.Not(goal))
    text = solver.to_smt2().replace("(set-info :status unknown)", f"(set-info :status {status})")
    return "(set-logic QF_NRA)\n" + text


def proves_all(ob: Obligation, goals: tuple[Rel, ...], timeout: float) -> bool:
    """Z3 proves every one of `goals` (real-arithmetic relations) from the facts and hypotheses of
    `ob`, in one question: the side conditions of a step are most often all implied."""
    ctx = context()
    try:
        assumed = [rel_to_z3(r, ctx) for r in (*ob.facts, *ob.real_hypotheses)]
        wanted = [rel_to_z3(g, ctx) for g in goals]
    except UnsupportedError:
        return False
    return _refuting(assumed, z3.And(wanted), ctx, timeout).check() == z3.unsat


def _refuting(assumed: list[z3.BoolRef], goal: z3.BoolRef, ctx: z3.Context, timeout: float) -> z3.Solver:
    """A solver asked for a point where `assumed` holds and `goal` does not, within `timeout`."""
    solver = z3.SolverFor("QF_NRA", ctx=ctx)
    solver.set("timeout", max(1, int(timeout * 1000)))
    solver.add(*assumed)
    solver.add(z3.Not(goal))
    return solver


class Z3Engine:
    name = "z3"

    def discharge(self, ob: Obligation, timeout: float) -> Outcome:
        ctx = context()
        try:
            assumed, goal = assertions(ob, ctx)
        except UnsupportedError as exc:
            return Unknown(self.name, str(exc))
        solver = _refuting(assumed, goal, ctx, timeout)
        answer = solver.check()
        if answer == z3.unsat:
            return Proven(self.name)
        if answer == z3.sat:
            model = solver.model()
            names = [*ob.variables, *(a.name for a in ob.abstractions)]
            values = tuple((n, _fraction(model.eval(z3.Real(n, ctx), model_completion=True))) for n in names)
            return Candidate(self.name, values)
        if answer == z3.unknown:
            return Unknown(self.name, f"Z3 gave up ({solver.reason_unknown()})")
        raise RuntimeError("unreachable: Z3 answered " + str(answer))


ENGINE = Z3Engine()
