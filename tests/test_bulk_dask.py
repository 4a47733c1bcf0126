"""`--engine dask` on a real (local, loopback) cluster of two worker processes gives exactly the
rows the local engine gives; without Dask installed the error names the extra to install.

The cluster runs in a child process: Dask leaves threads behind in whatever process hosted it,
and the other tests' worker pools should not have to start around them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaluator.bulk import BulkError, BulkOptions, run_bulk

FIXTURES = Path(__file__).parent / "fixtures" / "bulk"
INPUTS = [FIXTURES / "tables" / "answers.csv", FIXTURES / "tables" / "answers.jsonl", FIXTURES / "transcripts"]

ON_A_LOCAL_CLUSTER = """
import json, sys
import dask
from distributed import LocalCluster
from evaluator.bulk import BulkError, BulkOptions, run_bulk

if __name__ == "__main__":
    out, *inputs = sys.argv[1:]
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        result = run_bulk(inputs, out, BulkOptions(mode="rules", engine="dask",
                                                   scheduler=cluster.scheduler_address, chunk_size=3))
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        try:
            run_bulk(inputs, out + ".unreachable.jsonl",
                     BulkOptions(mode="rules", engine="dask", scheduler="tcp://127.0.0.1:9"))
            unreachable = None
        except BulkError as exc:
            unreachable = str(exc)
    print(json.dumps({"workers": result.workers, "scored": result.scored, "unreachable": unreachable}))
"""


def test_dask_local_cluster_matches_local_engine(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    local = tmp_path / "local.jsonl"
    run_bulk(INPUTS, local, BulkOptions(mode="rules", jobs=1))
    out = tmp_path / "dask.jsonl"
    p = subprocess.run([sys.executable, "-c", ON_A_LOCAL_CLUSTER, str(out), *map(str, INPUTS)],
                       capture_output=True, text=True, timeout=240)
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.splitlines()[-1])
    assert got["workers"] == 2 and got["scored"] > 0
    # other chunking, other processes, another engine: the same bytes
    assert out.read_bytes() == local.read_bytes()
    assert (tmp_path / "dask.errors.jsonl").read_bytes() == (tmp_path / "local.errors.jsonl").read_bytes()
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in got["unreachable"]


def test_without_dask_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    monkeypatch.delitem(sys.modules, "evaluator.bulk.dask_engine", raising=False)
    with pytest.raises(BulkError, match=r"pip install 'starlint\[dask\]'"):
        run_bulk(INPUTS[:1], tmp_path / "r.jsonl",
                 BulkOptions(mode="rules", engine="dask", scheduler="tcp://127.0.0.1:1"))
