"""Public derivations in their source LaTeX: what share of steps verify reads and decides as a
mathematician does.

The corpus (bench/latex_corpus/*.jsonl, sources in SOURCES.md) holds chains copied verbatim from
ProofWiki, Wikipedia, Math StackExchange, lecture notes and blogs, each step judged "holds" or
"wrong". Each chain becomes a Markdown document: its macros, its definitions and assumptions as
verify: comments, and the display block as written. A step counts as agreeing when verify reads it
(the same two lines, no input error) and says proven for "holds", refuted for "wrong".

    python bench/latex_corpus.py [dev|holdout] [--show]

holdout.jsonl was kept out of development and measured last.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from verify import runner  # noqa: E402
from verify.frontends import documents  # noqa: E402

EXPECTED = {"holds": "proven", "wrong": "refuted"}


def directives(chain: dict, folder: Path) -> list[str]:
    """The chain's definitions and assumptions as verify: comments, as a user would write them from the
    page's prose: `f(x) := A = B` is written `f(x) := A`, and what still cannot be read (prose, a
    definition of a built-in function, one that makes a cycle) is left out. The verdicts are not
    looked at here."""
    kept: list[str] = []
    wanted = [d for d in chain.get("definitions", [])] + [f"assume {a}" for a in chain.get("assume", [])]
    for text in wanted:
        parts = re.split(r"(?<![<>!=:\\])(?::=|=)(?!=)", text)
        if len(parts) > 2:  # y = f(x) = \frac{1}{1+e^{-x}} defines y and f as the last expression
            options = [[f"{head.strip()} := {parts[-1].strip()}"] for head in parts[:-1]]
        else:  # f(x) := A = B is written f(x) := A
            options = [[text, re.sub(r"^(.*?:?=.*?)\s*=(?!=).*$", r"\1", text)]]
        for candidates in options:
            for candidate in candidates:
                trial = kept + [f"<!-- verify: {candidate} -->"]
                probe = folder / "probe.md"
                probe.write_text("\n".join(chain.get("macros", []) + trial) + "\n$$ x = x $$\n")
                _, errors, _ = documents.load(probe, "probe.md")
                if not errors:
                    kept = trial
                    break
    return kept


def document(chain: dict, folder: Path) -> str:
    parts = [f"# {chain['id']}", ""]
    parts += chain.get("macros", [])
    parts += directives(chain, folder)
    block = re.sub(r"</?math[^>]*>", "", chain["block"]).strip()  # MediaWiki's <math> holds LaTeX
    if not re.search(r"\$|\\\[|\\begin|\\\(|\[tex\]", block):  # the inside of a display, without delimiters
        block = f"$$\n{block}\n$$"
    parts += ["", block, ""]
    return "\n".join(parts)


def normal(text: str) -> str:
    return re.sub(r"\s+|&|\\\\$|\\boxed\{|\\[ ,;:!]|\\q?quad|\[/?tex\]", "", text).rstrip(".,;")


def check(chain: dict, folder: Path) -> tuple[list[str], list[str]]:
    """For each step of the chain: "agree", or why not; and the input errors."""
    path = folder / f"{chain['id']}.md"
    path.write_text(document(chain, folder))
    derivations, errors, notes = documents.load(path, path.name)
    results = runner.run(derivations, timeout=10, explaining=False)
    heads = {normal(n.message.split(" = ... defines ")[0]) for n in notes if " = ... defines " in n.message}
    lines = chain["lines"]
    out = []
    for k, verdict in enumerate(chain["verdicts"]):
        # the same two lines; a line may go on with what verify reads apart (a condition, a hint)
        want = normal(lines[k]), normal(lines[k + 1])
        r = next((r for r in results if normal(r.lhs) and normal(r.rhs) and want[0].startswith(normal(r.lhs))
                  and want[1].startswith(normal(r.rhs))), None)
        if r is None and k == 0 and want[0] in heads:  # read as the definition of its first line's name
            out.append("agree" if verdict == "holds" else "defined (expected wrong)")
        elif r is None:
            out.append("not read")
        elif r.verdict.status.value == EXPECTED[verdict]:
            out.append("agree")
        else:
            out.append(f"{r.verdict.status.value} (expected {EXPECTED[verdict]})")
    return out, [f"{e.location.line}:{e.location.col}: {e.message}" for e in errors]


def main(argv: list[str]) -> int:
    split = argv[0] if argv and not argv[0].startswith("-") else "dev"
    show = "--show" in argv
    chains = [json.loads(line) for line in (HERE / "latex_corpus" / f"{split}.jsonl").read_text().splitlines() if line]
    tally: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for chain in chains:
            outcomes, errors = check(chain, Path(tmp))
            tally.update("agree" if o == "agree" else "read, disagrees" if o != "not read" else "not read"
                         for o in outcomes)
            if show and (errors or any(o != "agree" for o in outcomes)):
                print(f"\n== {chain['id']} ({chain['source']})")
                for k, o in enumerate(outcomes):
                    if o != "agree":
                        print(f"  step {k + 1}: {o}: {chain['lines'][k]}  =  {chain['lines'][k + 1]}")
                for e in errors:
                    print(f"  error {e}")
    steps = sum(tally.values())
    read = tally["agree"] + tally["read, disagrees"]
    print(f"{split}: {len(chains)} chains, {steps} steps: {read} read ({100 * read / steps:.1f}%), "
          f"{tally['agree']} read and agree with the mathematician's verdict ({100 * tally['agree'] / steps:.1f}%)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
