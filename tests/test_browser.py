"""Issue 11, in a real browser: Debian's Chromium, driven by Playwright (its own browser downloads cannot
be reached here, so it is pointed at /usr/bin/chromium). .ci/run installs Chromium where it is missing
and sets VERIFY_REQUIRE_BROWSER, so that CI fails rather than skips without it.

Screenshots go to tests/artifacts/ (ignored by git), for a person to look at.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import ROOT, process_stats, run

from verify.serve import DRAIN_BYTES, MAX_BYTES

CHROMIUM = Path(os.environ.get("VERIFY_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "tests" / "artifacts"
SEED_TEXT = (ROOT / "proofs" / "latex" / "seed.md").read_text()
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("VERIFY_REQUIRE_BROWSER"):
        raise RuntimeError(f"{CHROMIUM} is missing; .ci/run installs it with apt-get install chromium")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "verify", "serve", "--port", str(port), "--workers", "2"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError(f"verify serve did not start: {proc.stdout.read().decode()}")
    yield url, proc
    proc.terminate()
    proc.wait(timeout=10)


def _post(url: str, body: bytes) -> tuple[int, dict]:
    req = urllib.request.Request(url + "/api/check", data=body, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as got:
            return got.status, json.loads(got.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _children(pid: int) -> list[int]:
    return [child for child, fields in process_stats() if int(fields[1]) == pid and fields[0] != "Z"]


_RENDERED = """() => {
  const lines = [...document.querySelectorAll('.line')];
  const fracs = [...document.querySelectorAll('.line mfrac')];
  const mi = document.querySelector('.line mi').getBoundingClientRect().height;
  return {
    lines: lines.length,
    math: lines.filter(l => l.querySelector('math') && l.getBoundingClientRect().height > 0).length,
    tall_fractions: fracs.filter(f => f.getBoundingClientRect().height > 1.6 * mi).length,
    fractions: fracs.length,
    raw_tex: document.body.innerText.includes('\\\\frac') || document.body.innerText.includes('\\\\sigma'),
  };
}"""

_STEPS = """() => [...document.querySelectorAll('section.derivation')].map(s => ({
  name: s.querySelector('h2').innerText,
  steps: [...s.querySelectorAll('li.step')].map(li => ({
    status: li.className.split(' ')[1],
    mark: li.querySelector('.mark').innerText,
    plots: [...li.querySelectorAll('figure.plot svg')].filter(svg => svg.getBoundingClientRect().width > 100).length,
  })),
}))"""


def _seed_verdicts(sections: list[dict]) -> tuple[list[str], list[str], list[int]]:
    """The verdicts of the seed's twelve steps, of the asker's two guesses, and the plots of refuted steps."""
    chains = [s for s in sections if s["name"].startswith(("course", "answer", "<input>:10", "<input>:14",
                                                            "<input>:18"))]
    guesses = [s for s in sections if s["name"].startswith(("asker", "<input>:23", "<input>:28"))]
    plots = [st["plots"] for s in sections for st in s["steps"] if st["status"] == "refuted"]
    return [st["status"] for s in chains for st in s["steps"]], [st["status"] for s in guesses for st in s["steps"]], plots


def test_html_report_of_the_seed_in_chromium(browser, tmp_path):
    out = tmp_path / "sigmoid.html"
    code, _, err = run(str(ROOT / "proofs" / "sigmoid.toml"), "--format", "html", "-o", str(out))
    assert code == 0, err
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    page.goto(out.as_uri())
    sections = page.evaluate(_STEPS)
    chains, guesses, plots = _seed_verdicts(sections)
    assert chains == ["proven"] * 12 and guesses == ["refuted"] * 2 and plots == [1, 1]
    shown = page.evaluate(_RENDERED)  # every line, the first of each derivation and one per step, is MathML
    assert shown["math"] == shown["lines"] == len(sections) + sum(len(s["steps"]) for s in sections)
    assert not shown["raw_tex"]
    assert shown["fractions"] > 10 and shown["tall_fractions"] == shown["fractions"]  # laid out as MathML
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")  # printed, the folded details of proven steps are shown
    assert page.locator("li.step.proven .details .verdict").first.is_visible()
    page.close()


def test_paste_the_seed_into_the_page(browser, server):
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 1600})
    page.goto(url + "/")
    page.evaluate("""() => { window.batches = 0;
        new MutationObserver(() => { window.batches += 1; }).observe(document.getElementById('results'),
                                                                  {childList: true, subtree: true}); }""")
    page.fill("#text", SEED_TEXT)
    page.click("#check")
    page.wait_for_selector("#summary .summary", timeout=120_000)
    chains, guesses, plots = _seed_verdicts(page.evaluate(_STEPS))
    assert chains == ["proven"] * 12 and guesses == ["refuted"] * 2 and plots == [1, 1]
    marks = [st["mark"] for s in page.evaluate(_STEPS) for st in s["steps"]]
    assert marks.count("✓") == 12 and marks.count("✗") == 2
    assert page.evaluate("window.batches") >= 2  # the steps arrived as they were decided, not all at once
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve.png"), full_page=True)
    shared = page.url
    assert "#input=" in shared
    again = browser.new_page()
    again.goto(shared)  # the address holds the input: the link shows the same result
    again.wait_for_selector("#summary .summary", timeout=120_000)
    assert again.input_value("#text") == SEED_TEXT
    assert _seed_verdicts(again.evaluate(_STEPS))[:2] == (["proven"] * 12, ["refuted"] * 2)
    page.close()
    again.close()


def test_page_shows_a_located_error(browser, server):
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/")
    page.fill("#text", "x^2\n= x*x\n= x**2 +* 1")
    page.click("#check")
    page.wait_for_selector("#summary .errors", timeout=60_000)
    assert "<input>:3:9" in page.inner_text("#summary")
    page.close()


def test_bad_requests_to_the_live_server(server):
    url, proc = server
    assert _post(url, b"{not json")[0] == 400
    for size in (MAX_BYTES + 1, 1024 * 1024, DRAIN_BYTES - 1000) * 2:
        assert _post(url, json.dumps({"lines": ["x", "1" * size]}).encode())[0] == 413
    # A 413 sent while the client is still sending is lost to it (a broken pipe, as in a CI run), so the
    # server reads a body it refuses to its end before it answers.
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(f"POST /api/check HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {2 * MAX_BYTES}\r\nConnection: close\r\n\r\n".encode())
        conn.sendall(b"[" * MAX_BYTES)
        assert select.select([conn], [], [], 1.0)[0] == []  # no answer yet: half the body is still to come
        conn.sendall(b"[" * MAX_BYTES)
        answer = b"".join(iter(lambda: conn.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 413 ")
    try:  # beyond what is drained, the connection may be cut before the 413 is read; the server goes on
        assert _post(url, b"[" * (4 * DRAIN_BYTES))[0] == 413
    except urllib.error.URLError:
        pass
    status, report = _post(url, json.dumps({"lines": ["__import__('os').system('true')", "0"]}).encode())
    assert status == 422 and report["errors"][0]["line"] == 1
    status, report = _post(url, json.dumps({"lines": ["(1 + x)^1500*(1 - x)^1500", "(1 - x^2)^1500"],
                                                      "timeout": 1}).encode())
    assert status == 200 and report["derivations"][0]["steps"][0]["verdict"] == "unknown"
    with ThreadPoolExecutor(8) as pool:  # concurrent requests share the bounded pool; all are answered
        answers = list(pool.map(lambda _: _post(url, json.dumps({"lines": ["x + x", "2*x", "x^2"]}).encode()),
                                range(8)))
    assert all(s == 200 and [st["verdict"] for st in r["derivations"][0]["steps"]] == ["proven", "refuted"]
               for s, r in answers)
    assert _post(url, json.dumps({"lines": ["x + x", "2*x"]}).encode())[0] == 200
    time.sleep(0.5)
    assert _children(proc.pid) == []  # every worker process of every request is gone
