"""The issue's acceptance test: a real `starlint bulk` on a few thousand rows is SIGKILLed mid-run,
resumed, and every answer ends up exactly once with the result an uninterrupted run gives."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from evaluator.bulk import BulkOptions, run_bulk

ROOT = Path(__file__).resolve().parent.parent
EXE = shutil.which("starlint") or str(Path(sys.executable).parent / "starlint")
ROWS, EMPTY_EVERY = 2000, 200


def ids_and_rows(path: Path) -> Counter:
    return Counter(line for line in path.read_text(encoding="utf-8").splitlines())


def test_sigkill_mid_run_then_resume_gives_every_answer_once(tmp_path: Path) -> None:
    data = tmp_path / "answers.csv"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_bulk_input.py"), "--rows", str(ROWS),
                    "--empty-every", str(EMPTY_EVERY), "-o", str(data)], check=True, capture_output=True)
    out = tmp_path / "results.jsonl"
    errors = tmp_path / "results.errors.jsonl"
    cmd = [EXE, "bulk", str(data), "-o", str(out), "--mode", "rules", "--jobs", "2", "--chunk-size", "32"]

    # its own session, so the kill takes the workers too, as a machine going down would
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    written = 0
    while time.monotonic() < deadline and proc.poll() is None:
        written = out.read_bytes().count(b"\n") if out.exists() else 0
        if written >= 400:
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read().decode()}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    partial = out.read_bytes()
    assert 400 <= partial.count(b"\n") < ROWS
    if partial.endswith(b"\n"):  # the kill fell between writes: tear the last line as if it had not
        out.write_bytes(partial + partial.splitlines(keepends=True)[-1][:150])

    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr  # 1: the empty answers failed, as they should
    assert "torn last line" in resumed.stderr and "already done" in resumed.stderr

    reference = tmp_path / "reference.jsonl"
    run_bulk([data], reference, BulkOptions(mode="rules", jobs=1))

    got, want = ids_and_rows(out), ids_and_rows(reference)
    assert max(got.values()) == 1  # no row written twice
    assert got == want             # same rows, every field, the full reports included
    ids = Counter(json.loads(line)["id"] for line in got)
    err_ids = Counter(json.loads(line)["id"] for line in errors.read_text(encoding="utf-8").splitlines())
    assert len(err_ids) == ROWS // EMPTY_EVERY and max(err_ids.values()) == 1
    assert ids.keys().isdisjoint(err_ids) and len(ids) + len(err_ids) == ROWS
    assert out.read_bytes() == reference.read_bytes()  # even the order is the uninterrupted one
