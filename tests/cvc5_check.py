"""Run one SMT-LIB2 file through cvc5 and print its answer: `python cvc5_check.py FILE MILLISECONDS`."""

import sys

import cvc5


def answer(text: str, milliseconds: int) -> str:
    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    solver.setOption("tlimit", str(milliseconds))
    symbols = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "obligation")
    said = []
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        out = command.invoke(solver, symbols).strip()
        if out:
            said.append(out)
    return said[-1] if said else "none"


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(answer(f.read(), int(sys.argv[2])))
