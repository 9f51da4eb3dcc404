"""A refuted step's two sides drawn as inline SVG with matplotlib (the optional extra verify[html])."""

from __future__ import annotations

import hashlib
import io
import math
import re

from .curves import Curve

INSTALL = "pip install 'verify[html]'"
_PRECISE = re.compile(r"(\.\d)\d+")


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def svg(curve: Curve) -> str:
    """The plot as an <svg> element; raises ImportError without matplotlib."""
    import matplotlib
    from matplotlib.figure import Figure  # no pyplot: no global state, no window

    nan = math.nan
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "verify", "font.size": 9}):
        fig = Figure(figsize=(5.2, 2.9))
        ax = fig.add_subplot()
        for points, style, label in ((curve.lhs, dict(color="#1f5fbf", lw=1.8), "left side"),
                                     (curve.rhs, dict(color="#d9480f", lw=1.8, ls="--"), "right side")):
            ax.plot([x for x, _ in points], [nan if y is None else y for _, y in points], label=label, **style)
        ax.axvline(curve.at, color="#888", lw=0.8, ls=":")
        for y, color in ((curve.at_lhs, "#1f5fbf"), (curve.at_rhs, "#d9480f")):
            if y is not None:
                ax.plot([curve.at], [y], "o", color=color, ms=5, zorder=3)
        ax.set_ylim(*curve.ylim)
        ax.set_xlabel(curve.variable)
        ax.grid(True, lw=0.4, alpha=0.5)
        ax.legend(loc="best", frameon=False)
        fig.subplots_adjust(left=0.13, right=0.98, bottom=0.16, top=0.97)  # tight_layout costs a second drawing
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", out.getvalue(), flags=re.S)
    text = text[text.index("<svg"):]
    # coordinates to a tenth of a point, and no indentation: half the size, the same picture
    text = re.sub(r'( (?:d|x|y)=")([^"]*)"', lambda m: m.group(1) + _PRECISE.sub(r"\1", " ".join(m.group(2).split())) + '"',
                  text)
    text = re.sub(r">\s+<", "><", text).replace("<style type=\"text/css\">*{", "<style type=\"text/css\">svg.plot *{")
    # ids unique in a page of many plots, and the same on every run
    tag = hashlib.sha1(text.encode()).hexdigest()[:8]
    text = re.sub(r'(id="|href="#|url\(#)([^"\)]+)', lambda m: f"{m.group(1)}{m.group(2)}-{tag}", text)
    return re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1class="plot" role="img"', text, count=1)
