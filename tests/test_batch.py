"""Issue 14, items 1 and 3: `verify batch` and `verify.check_many`: a line of results per row, in input
order; malformed rows located and the batch goes on; resumable after an interruption; the same results
through any concurrent.futures executor."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest
from helpers import ROOT, process_stats, run

import verify

ROWS = [
    {"id": "square", "lines": ["(x + 1)^2", "x^2 + 2*x + 1", "x^2 + 2*x"], "expect": ["proven", "refuted"]},
    {"id": "chain", "latex": [r"\frac{d}{dx} e^{2x}", "e^{2x}"]},
    {"id": "defined", "lines": ["f(x)", "x^2"], "definitions": {"f(x)": "x^2"}, "assume": ["x > 0"], "timeout": 3},
    {"id": "log", "lines": ["log(x^2)", "2*log(x)"], "assume": ["x > 0"]},
]


def _write_jsonl(path, rows, junk_at=None):
    lines = [json.dumps(r) for r in rows]
    if junk_at is not None:
        lines.insert(junk_at, "{not json")
    path.write_text("\n".join(lines) + "\n")


def _read(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _untimed(line: dict) -> dict:
    return {**line, "steps": [{k: v for k, v in s.items() if k != "seconds"} for s in line.get("steps", [])]}


def test_a_line_per_row_in_order_with_malformed_rows_located(tmp_path):
    rows = ROWS + [{"id": "bad", "lines": ["x", "x +* 1"]}, {"id": "odd", "lines": ["x", "x"], "colour": 1},
                   {"id": "noexpect", "lines": ["x", "x"], "expect": ["maybe"]}]
    _write_jsonl(tmp_path / "in.jsonl", rows, junk_at=2)
    code, _, err = run("batch", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out.jsonl"))
    assert code == 0, err
    out = _read(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["square", "chain", None, "defined", "log", "bad", "odd", "noexpect"]
    assert [o["line"] for o in out] == list(range(1, 9))
    assert out[2]["error"].startswith(f"{tmp_path / 'in.jsonl'}:3: this line is not JSON")
    assert "unknown key 'colour'" in out[6]["error"] and "'maybe' is not one of" in out[7]["error"]
    assert out[5]["errors"][0]["line"] == 2 and not out[5]["ok"]
    assert [s["verdict"] for s in out[0]["steps"]] == ["proven", "refuted"] and out[0]["ok"]
    assert [s["verdict"] for s in out[1]["steps"]] == ["refuted"] and not out[1]["ok"]
    assert "8 rows checked (3 as expected, 5 not, 3 malformed), 5 steps" in err
    # the verdicts are those of verify.check on the same lines
    for row, line in zip(ROWS, [out[0], out[1], out[3], out[4]]):
        kind = "lines" if "lines" in row else "latex"
        report = verify.check(**{("lines" if kind == "lines" else "latex"): row[kind]},
                              definitions=row.get("definitions", {}), assume=row.get("assume", []), explain=False)
        assert [s["verdict"] for s in line["steps"]] == [s.verdict.status.value for s in report.steps]


def test_csv_gives_what_json_lines_give(tmp_path):
    _write_jsonl(tmp_path / "in.jsonl", ROWS)
    with (tmp_path / "in.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "lines", "latex", "definitions", "assume", "expect", "timeout"])
        writer.writeheader()
        for r in ROWS:
            writer.writerow({k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in r.items()})
    for name in ("in.jsonl", "in.csv"):
        assert run("batch", str(tmp_path / name), "-o", str(tmp_path / f"{name}.out"))[0] == 0
    a, b = _read(tmp_path / "in.jsonl.out"), _read(tmp_path / "in.csv.out")
    assert [_untimed(x) | {"line": 0} for x in a] == [_untimed(x) | {"line": 0} for x in b]
    assert [x["line"] for x in b] == [2, 3, 4, 5]  # the header is line 1


def test_an_interrupted_batch_resumes_with_each_id_once(tmp_path):
    rows = [{"id": f"r{k}", "lines": [f"(x + {k})^2", f"x^2 + {2 * k}*x + {k * k}"]} for k in range(60)]
    _write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    argv = [sys.executable, "-m", "verify", "batch", str(tmp_path / "in.jsonl"), "-o", str(out), "--chunk", "5",
            "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.read_text().count("\n") < 7):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers, mid-chunk
    proc.wait()
    before = out.read_text().count("\n")
    assert 7 <= before < 60
    with out.open("a") as f:
        f.write('{"id": "r99", "li')  # a line cut short by the interruption
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    ids = [o["id"] for o in _read(out)]
    assert ids == [r["id"] for r in rows] and f"{before} rows were already in" in done.stderr
    assert all(o["ok"] for o in _read(out))


def _in_session(sid: int) -> list[int]:
    """The processes of session `sid` other than its leader."""
    return [pid for pid, fields in process_stats() if int(fields[3]) == sid and pid != sid]


def test_a_killed_batch_leaves_no_worker_behind(tmp_path):
    """SIGKILL gives the parent no chance to stop its workers; each worker dies with it (a probe found them
    waiting under PID 1 long after, since every worker holds the others' pipe ends)."""
    rows = [{"id": str(k), "lines": [f"(1 + x)^{1500 + k}*(1 - x)^{1500 + k}", f"(1 - x^2)^{1500 + k}"],
             "timeout": 60} for k in range(8)]
    _write_jsonl(tmp_path / "in.jsonl", rows)
    proc = subprocess.Popen([sys.executable, "-m", "verify", "batch", str(tmp_path / "in.jsonl"), "-o",
                             str(tmp_path / "out.jsonl"), "--jobs", "2", "--chunk", "4"],
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_in_session(proc.pid)) < 2:
        time.sleep(0.1)
    assert len(_in_session(proc.pid)) == 2 and proc.poll() is None
    proc.kill()  # the parent alone
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _in_session(proc.pid):
        time.sleep(0.1)
    left = _in_session(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.parametrize("pool", ["threads", "processes"])
def test_check_many_gives_the_same_through_an_executor(pool):
    rows = ROWS * 3
    alone = [_untimed(x) for x in verify.check_many(rows, chunk=4)]
    executor = ThreadPoolExecutor(2) if pool == "threads" else ProcessPoolExecutor(2, mp_context=get_context("fork"))
    with executor:
        through = [_untimed(x) for x in verify.check_many(rows, executor, chunk=4)]
    assert through == alone and len(alone) == 12
    assert [x["id"] for x in alone] == [r["id"] for r in rows]


@pytest.mark.parametrize("pool", [None, "threads"])
def test_rows_are_read_only_a_few_chunks_ahead_of_the_output(pool):
    """Memory bounded for any input size: the rows are pulled from the input as the output goes out,
    never more than the chunks in flight ahead of it."""
    pulled = 0

    def rows():
        nonlocal pulled
        for k in range(150):
            pulled += 1
            yield {"id": k, "lines": [f"x + {k}", f"{k} + x"]}

    executor = ThreadPoolExecutor(1) if pool else None
    # one chunk being read; with an executor, two at work per worker and the finished ones held back
    # behind a slow one, at most four per worker
    ahead = 5 * (1 + (4 * 2 * 1 if pool else 0))
    seen = 0
    try:
        for line in verify.check_many(rows(), executor, chunk=5, jobs=1):
            assert line["ok"] and line["id"] == seen
            seen += 1
            assert pulled - seen <= ahead, (pulled, seen)
    finally:
        if executor:
            executor.shutdown()
    assert seen == 150


@pytest.mark.parametrize("output, words", [
    ("{tmp}/no-such-folder/out.jsonl", "does not exist"), ("{tmp}", "is a folder"), ("{tmp}/in.jsonl", "is the input"),
    ("{tmp}/notes.jsonl", "is not the output of verify batch"), ("{tmp}/later.jsonl", "later.jsonl:2:1: this line")])
def test_an_output_it_cannot_use_is_one_line_and_exit_2(tmp_path, output, words):
    _write_jsonl(tmp_path / "in.jsonl", ROWS[:1])
    (tmp_path / "notes.jsonl").write_text("my notes\n")
    (tmp_path / "later.jsonl").write_text('{"id": "square", "ok": true}\nnot a result\n')
    code, out, err = run("batch", str(tmp_path / "in.jsonl"), "-o", output.format(tmp=tmp_path))
    assert code == 2 and words in err and "Traceback" not in err and err.count("\n") == 1, err
    assert (tmp_path / "notes.jsonl").read_text() == "my notes\n"  # never written to


def test_dash_writes_the_results_to_the_standard_output(tmp_path):
    _write_jsonl(tmp_path / "in.jsonl", ROWS)
    code, out, err = run("batch", str(tmp_path / "in.jsonl"), "-o", "-", "--jobs", "1")
    assert code == 0 and [json.loads(x)["id"] for x in out.splitlines()] == [r["id"] for r in ROWS]
    assert not (tmp_path / "-").exists() and not Path("-").exists()


@pytest.mark.parametrize("argv", [["batch", "{tmp}/in.jsonl", "-o", "{tmp}/out.jsonl", "--jobs", "2"],
                                  ["-e", "(1 + x)^1500*(1 - x)^1500 = (1 - x^2)^1500", "--timeout", "60"]])
def test_ctrl_c_ends_with_a_line_and_130_not_a_traceback(tmp_path, argv):
    rows = [{"id": str(k), "lines": [f"(1 + x)^{1500 + k}*(1 - x)^{1500 + k}", f"(1 - x^2)^{1500 + k}"],
             "timeout": 60} for k in range(4)]
    _write_jsonl(tmp_path / "in.jsonl", rows)
    proc = subprocess.Popen([sys.executable, "-m", "verify", *[a.format(tmp=tmp_path) for a in argv]],
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_in_session(proc.pid)) < 1:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the whole group, workers too
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err


def test_a_changed_input_is_warned_of_where_it_departs_from_the_output(tmp_path):
    _write_jsonl(tmp_path / "in.jsonl", ROWS[:2])
    out = tmp_path / "out.jsonl"
    assert run("batch", str(tmp_path / "in.jsonl"), "-o", str(out), "--jobs", "1")[0] == 0
    _write_jsonl(tmp_path / "in.jsonl", [ROWS[0], ROWS[3], ROWS[1]])  # a row put in between
    code, _, err = run("batch", str(tmp_path / "in.jsonl"), "-o", str(out), "--jobs", "1")
    assert code == 0 and f"in.jsonl:2 has id 'log', where {out} has 'chain'" in err
    assert [o["id"] for o in _read(out)] == ["square", "chain", "log", "chain"] and "1 row was already in" in err
    code, _, err = run("batch", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "new.jsonl"), "--jobs", "1")
    assert code == 0 and "warning" not in err


def test_csv_as_excel_writes_it_located_by_file_line(tmp_path):
    """A byte-order mark (Excel's "CSV UTF-8"), a quoted field over two lines and a blank line: each row is
    located at the file's line where it starts; a row with more fields than the header is an error."""
    (tmp_path / "in.csv").write_bytes('\ufeffid,lines\na,"[""x + x"", ""2*x""]"\n\nb,"[""x"",\n""x""]"\n'
                                      'c,"[""x"", ""x""]",extra\nd,"[""x"", ""x""]"\n'.encode())
    code, out, err = run("batch", str(tmp_path / "in.csv"), "-o", "-", "--jobs", "1")
    got = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [(o["id"], o["line"], o["ok"]) for o in got] == [("a", 2, True), ("b", 4, True),
                                                                          ("c", 6, False), ("d", 7, True)]
    assert got[2]["error"] == f"{tmp_path / 'in.csv'}:6: this row has 1 field more than the header"


@pytest.mark.parametrize("flag, value", [("--timeout", "0"), ("--timeout", "nan"), ("--jobs", "0"), ("--chunk", "0")])
def test_a_bad_number_names_its_flag(tmp_path, flag, value):
    _write_jsonl(tmp_path / "in.jsonl", ROWS[:1])
    code, _, err = run("batch", str(tmp_path / "in.jsonl"), "-o", "-", flag, value)
    assert code == 2 and err.startswith(f"verify batch: error: {flag} must be")
