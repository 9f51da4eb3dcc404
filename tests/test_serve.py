"""Issue 11: `verify serve`'s API, in process (Starlette's test client); tests/test_browser.py drives the
page in Chromium against a real server.

- POST /api/check gives the JSON report of `verify --format json` for the same derivation.
- Bad requests get the right 4xx with a located error, and the server answers the next request.
- /api/stream sends a start event, one event per step in order, then the summary.
- A request never names a file the server opens.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from helpers import ROOT, run

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from verify import explain, runner, serve  # noqa: E402

SEED = ["diff(sigma(x), x)", "diff(1/(1 + exp(-x)), x)", "exp(-x)/(1 + exp(-x))**2",
        "1/(1 + exp(-x)) * exp(-x)/(1 + exp(-x))", "sigma(x)*(1 - sigma(x))"]


@pytest.fixture(scope="module")
def client():
    with TestClient(serve.app(workers=2)) as c:
        yield c


def _verdicts(report: dict) -> list[tuple[str, str]]:
    return [(s["lhs"], s["verdict"]) for d in report["derivations"] for s in d["steps"]]


def test_check_gives_the_cli_json_report(client):
    got = client.post("/api/check", json={"lines": SEED})
    assert got.status_code == 200
    code, out, _ = run("--format", "json", "-e", " = ".join(SEED))
    assert _verdicts(got.json()) == _verdicts(json.loads(out)) == [(t, "proven") for t in SEED[:-1]]
    assert got.json()["summary"] == json.loads(out)["summary"]


def test_latex_definitions_and_assumptions(client):
    got = client.post("/api/check", json={"latex": [r"\frac{d}{dx} f(x)", r"\frac{1}{x}"],
                                          "definitions": {"f(x)": "log(x)"}, "assume": ["x > 0"], "timeout": 5})
    assert got.status_code == 200 and _verdicts(got.json()) == [(r"\frac{d}{dx} f(x)", "proven")]
    refuted = client.post("/api/check", json={"lines": ["x^2", "x^3"]}).json()
    step = refuted["derivations"][0]["steps"][0]
    assert step["verdict"] == "refuted" and step["counterexample"] and step["diagnosis"]


@pytest.mark.parametrize("body, status, words", [
    (b"{not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "JSON object"),
    (json.dumps({"lines": ["x", "x"], "latex": ["x", "x"]}).encode(), 400, "one of"),
    (json.dumps({"lines": ["x", "x"], "file": "/etc/passwd"}).encode(), 400, "unknown key 'file'"),
    (json.dumps({"lines": ["x", "x"], "timeout": 10**6}).encode(), 400, "timeout"),
    (json.dumps({"lines": ["x", "x"], "timeout": True}).encode(), 400, "timeout"),
    (json.dumps({"lines": "x = x"}).encode(), 400, "list of strings"),
    (json.dumps({"lines": ["x" * 10, "+" * (1024 * 1024)]}).encode(), 413, "limit"),
    (json.dumps({"lines": ["__import__('os').system('true')", "0"]}).encode(), 422, "unexpected character"),
    (json.dumps({"lines": ["x + 1"]}).encode(), 422, "at least two lines"),
    (json.dumps({"text": "  \n\n"}).encode(), 422, "at least two lines"),
    (json.dumps({"lines": ["x"] * (serve.MAX_STEPS + 2)}).encode(), 422, "limit per request"),
    (json.dumps({"latex": [r"\frac{1}{", "x"]}).encode(), 422, ""),
    (json.dumps({"lines": ["x", "x"], "assume": ["x >"]}).encode(), 422, ""),
])
def test_bad_requests_get_a_located_4xx_and_the_server_goes_on(client, body, status, words):
    got = client.post("/api/check", content=body, headers={"content-type": "application/json"})
    assert got.status_code == status, got.text
    errors = got.json()["errors"]
    assert errors and words in errors[0]["message"] and errors[0]["line"] >= 1 and errors[0]["col"] >= 1
    assert client.get("/health").json() == {"ok": True}
    assert client.post("/api/check", json={"lines": ["x + x", "2*x"]}).status_code == 200


def test_a_hostile_line_is_located_in_the_request(client):
    got = client.post("/api/check", json={"lines": ["x + 1", "exp(x).__class__"]})
    [e] = got.json()["errors"]
    assert got.status_code == 422 and (e["file"], e["line"]) == ("<lines>", 2)


def test_a_pathological_line_costs_only_its_own_verdict(client):
    start = time.monotonic()
    got = client.post("/api/check", json={"lines": ["(1 + x)^1500*(1 - x)^1500", "(1 - x^2)^1500", "x + x"],
                                          "timeout": 1})
    assert got.status_code == 200 and time.monotonic() - start < 1 + runner.GRACE + explain.BUDGET + 5
    steps = got.json()["derivations"][0]["steps"]
    assert [s["verdict"] for s in steps] == ["unknown", "refuted"] and "time limit" in steps[0]["detail"]


def test_stream_sends_each_step_in_order(client):
    with client.stream("POST", "/api/stream", json={"text": "\n".join(SEED) + "\nexp(x)"}) as got:
        events = [json.loads(line) for line in got.iter_lines() if line]
    assert [e["event"] for e in events] == ["start"] + ["step"] * 5 + ["done"]
    assert events[0]["steps"] == 5 and "section" in events[1] and all("html" in e for e in events[2:6])
    assert events[-1]["report"]["summary"]["refuted"] == 1 and "<svg" in events[5]["html"]
    final = [st for d in events[-1]["report"]["derivations"] for st in d["steps"]]  # a program reads each as it comes
    assert [{k: e[k] for k in st} for e in events[1:6] for st in [final[e["step"] - 1]]] == final


def test_text_reads_documents_chains_and_rows(client):
    seed = (ROOT / "proofs" / "latex" / "seed.md").read_text()
    report = client.post("/api/check", json={"text": seed}).json()
    assert report["summary"]["proven"] == 12 and report["summary"]["refuted"] == 2
    chain = client.post("/api/check", json={"text": "\\frac{d}{dx} x^2 &= 2x \\\\\n&= x + y"}).json()
    assert [(s["line"], s["verdict"]) for s in chain["derivations"][0]["steps"]] == [(1, "proven"), (2, "refuted")]
    bad = client.post("/api/check", json={"text": "x^2\n= x*x\n= x**2 +* 1"})
    assert bad.status_code == 422 and (bad.json()["errors"][0]["line"], bad.json()["errors"][0]["col"]) == (3, 9)


def test_a_name_is_only_an_ending_never_a_path(client, tmp_path):
    secret = tmp_path / "secret.toml"
    secret.write_text('[[derivation]]\nlines = ["x", "x + 1"]\n')
    mine = '[[derivation]]\nlines = ["x + x", "2*x"]\n'
    got = client.post("/api/check", json={"text": mine, "name": str(secret)}).json()
    assert got["derivations"][0]["file"] == "secret.toml" and got["summary"]["proven"] == 1
    assert got["summary"]["refuted"] == 0  # the file on disk says x = x + 1; it was never read


def test_the_page(client):
    got = client.get("/")
    policy = got.headers["content-security-policy"]
    assert got.status_code == 200 and "<textarea" in got.text and "/api/stream" in got.text
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in got.text and "unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


def test_the_server_says_where_it_listens_and_a_port_it_cannot_have_is_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.listen()
        code, _, err = run("serve", "--port", str(port))  # in use
        assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
    code, _, err = run("serve", "--port", "99999")
    assert code == 2 and err == "verify: error: --port must be from 1 to 65535, not 99999\n"
    proc = subprocess.Popen([sys.executable, "-m", "verify", "serve", "--port", str(port)], stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stderr.readline() == f"verify serve: open http://127.0.0.1:{port}/ in a browser (Ctrl-C stops it)\n"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
