"""cvc5, as a second opinion on what Z3 proved: it reads the same SMT-LIB2 benchmark.

Optional: import this module only where the cvc5 package is installed.
"""

from __future__ import annotations

import cvc5

from ..encode import Obligation
from . import Candidate, Outcome, Proven, Unknown
from .z3 import smt2


class Cvc5Engine:
    name = "cvc5"

    def discharge(self, ob: Obligation, timeout: float) -> Outcome:
        tm = cvc5.TermManager()
        solver = cvc5.Solver(tm)
        solver.setOption("tlimit-per", str(max(1, int(timeout * 1000))))
        symbols = cvc5.SymbolManager(tm)
        parser = cvc5.InputParser(solver, symbols)
        parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, smt2(ob, "unknown"), "obligation")
        answer = ""
        while True:
            command = parser.nextCommand()
            if command.isNull():
                break
            answer = command.invoke(solver, symbols).strip() or answer
        if answer == "unsat":
            return Proven(self.name)
        if answer == "sat":
            return Candidate(self.name, ())
        return Unknown(self.name, f"cvc5 gave up ({answer or 'no answer'})")


ENGINE = Cvc5Engine()
