"""``--report report.html``: one self-contained page for the coach (inline CSS and SVG; no
script, font or stylesheet from anywhere else), drawn from a :class:`.summary.BulkSummary`.

Charts: the score distribution, STAR coverage per candidate (heatmap), anti-pattern frequency
per candidate (dot matrix: area = share of the candidate's answers), and a table of each
candidate's weakest answers with their findings.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html import escape
from pathlib import Path

from .. import __version__
from ..report import STAR_PARTS
from .summary import BulkSummary, CandidateSummary

MAX_RULE_COLUMNS = 12
_BAND = [(70, "#2e7d32"), (40, "#f9a825"), (0, "#c62828")]   # same bands as the terminal report
_FONT = "font-family='system-ui, -apple-system, Segoe UI, sans-serif'"

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1000px;
     padding:0 1rem;color:#1b1f24;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #d0d7de}
.meta{color:#57606a;margin-top:0} .note{color:#57606a;font-size:.9rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{border-bottom:1px solid #e5e8eb;
     padding:.35rem .5rem;text-align:left;vertical-align:top} th{background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.score{font-weight:600;border-radius:4px;padding:0 .35rem;color:#fff}
.rule{font-family:ui-monospace,monospace;font-size:.85em;background:#eef1f4;border-radius:3px;padding:0 .25rem}
.quote{font-style:italic;color:#444} svg{max-width:100%;height:auto;display:block}
td.findings,th.findings{width:42%}
"""


def write_html(summary: BulkSummary, path: Path, title: str = "starlint bulk report") -> None:
    path.write_text(render_html(summary, title), encoding="utf-8")


def render_html(summary: BulkSummary, title: str = "starlint bulk report") -> str:
    scored = [c for c in summary.candidates if c.answers]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = f"rubric {summary.rubric} · {summary.mode} mode · " if summary.rubric else ""
    failures = ", ".join(f"{code} {n}" for code, n in summary.failures.most_common())
    parts = [
        "<!DOCTYPE html>", "<html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1><p class='meta'>{escape(meta)}starlint {escape(__version__)} · {when}</p>",
        "<div class='cards'>", _card("answers scored", f"{summary.answers:,}"),
        _card("candidates", f"{len(scored):,}"), _card("failed", f"{summary.failed:,}"),
        _card("median score", _fmt(summary.median)), "</div>",
        f"<p class='note'>Failures by reason: {escape(failures)} (see the errors file).</p>" if failures else "",
        "<h2>Score distribution</h2>", histogram_svg(summary.histogram),
        "<h2>Per candidate</h2>", _candidate_table(summary.candidates),
        "<h2>STAR coverage per candidate</h2>",
        "<p class='note'>Share of each candidate's answers in which the component is present.</p>",
        star_heatmap_svg(scored),
        "<h2>Anti-patterns per candidate</h2>",
        "<p class='note'>Dot area: share of the candidate's answers with that finding; the number "
        "is how many answers.</p>", anti_pattern_svg(scored, summary),
        "<h2>Weakest answers</h2>", _weakest_table(scored), "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------------- charts


def histogram_svg(bins: list[int]) -> str:
    w, h, left, bottom, top = 760, 280, 48, 40, 20
    plot_w, plot_h = w - left - 10, h - bottom - top
    peak = max(bins) or 1
    step = _nice_step(peak)
    ymax = step * -(-peak // step)
    bar_w = plot_w / len(bins)
    out = [_svg_open(w, h, "Histogram of answer scores in bands of ten points")]
    for k in range(0, ymax + 1, step):
        y = top + plot_h - plot_h * k / ymax
        out.append(f"<line x1='{left}' y1='{y:.1f}' x2='{w - 10}' y2='{y:.1f}' stroke='#e5e8eb'/>"
                   f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end' fill='#57606a'>{k}</text>")
    for i, n in enumerate(bins):
        x = left + i * bar_w
        bh = plot_h * n / ymax
        label = f"{10 * i}–{10 * i + 9 if i < 9 else 100}"
        out.append(f"<rect x='{x + 3:.1f}' y='{top + plot_h - bh:.1f}' width='{bar_w - 6:.1f}' height='{bh:.1f}' "
                   f"fill='{_band(10 * i)}' rx='2'><title>{label}: {n} answers</title></rect>")
        if n:
            out.append(f"<text x='{x + bar_w / 2:.1f}' y='{top + plot_h - bh - 4:.1f}' font-size='11' "
                       f"text-anchor='middle'>{n}</text>")
        out.append(f"<text x='{x + bar_w / 2:.1f}' y='{top + plot_h + 16}' font-size='11' text-anchor='middle' "
                   f"fill='#57606a'>{label}</text>")
    out.append(f"<text x='{left + plot_w / 2}' y='{h - 4}' font-size='12' text-anchor='middle'>score</text>"
               f"<text x='12' y='{top + plot_h / 2}' font-size='12' text-anchor='middle' "
               f"transform='rotate(-90 12 {top + plot_h / 2})'>answers</text></svg>")
    return "".join(out)


def star_heatmap_svg(candidates: list[CandidateSummary]) -> str:
    if not candidates:
        return "<p class='note'>No scored answers.</p>"
    label_w, cell_w, cell_h, head = _label_width(candidates), 96, 28, 30
    w, h = label_w + cell_w * len(STAR_PARTS) + 10, head + cell_h * len(candidates) + 6
    out = [_svg_open(w, h, "Heatmap of STAR component coverage per candidate")]
    for j, part in enumerate(STAR_PARTS):
        out.append(f"<text x='{label_w + cell_w * j + cell_w / 2}' y='{head - 10}' font-size='12' "
                   f"text-anchor='middle' font-weight='600'>{part.capitalize()}</text>")
    for i, c in enumerate(candidates):
        y = head + cell_h * i
        out.append(_row_label(c.candidate, label_w, y + cell_h / 2 + 4))
        for j, part in enumerate(STAR_PARTS):
            v = c.coverage(part) or 0.0
            fill, ink = _blue(v)
            x = label_w + cell_w * j
            out.append(f"<rect x='{x + 1}' y='{y + 1}' width='{cell_w - 2}' height='{cell_h - 2}' fill='{fill}' rx='3'>"
                       f"<title>{escape(c.candidate)} · {part}: present in {c.present[part]} of {c.answers} answers"
                       f"</title></rect><text x='{x + cell_w / 2}' y='{y + cell_h / 2 + 4}' font-size='12' "
                       f"text-anchor='middle' fill='{ink}'>{100 * v:.0f}%</text>")
    out.append("</svg>")
    return "".join(out)


def anti_pattern_svg(candidates: list[CandidateSummary], summary: BulkSummary) -> str:
    rules = [r for r, _ in sorted(summary.anti_pattern_totals().items(), key=lambda kv: (-kv[1], kv[0]))]
    if not candidates or not rules:
        return "<p class='note'>No anti-patterns found.</p>"
    rules = rules[:MAX_RULE_COLUMNS]
    label_w, col_w, row_h, head = _label_width(candidates), 62, 34, 130
    tail = max(20, round(5 * len(rules[-1]) - col_w / 2))  # the last slanted label runs past its column
    w, h = label_w + col_w * len(rules) + tail, head + row_h * len(candidates) + 6
    out = [_svg_open(w, h, "Dot matrix of anti-pattern frequency per candidate")]
    for j, rule in enumerate(rules):
        x = label_w + col_w * j + col_w / 2
        out.append(f"<text x='{x}' y='{head - 8}' font-size='11' transform='rotate(-40 {x} {head - 8})'>"
                   f"{escape(rule)}</text>")
    for i, c in enumerate(candidates):
        y = head + row_h * i + row_h / 2
        out.append(f"<line x1='{label_w}' y1='{y}' x2='{label_w + col_w * len(rules)}' y2='{y}' stroke='#eef1f4'/>")
        out.append(_row_label(c.candidate, label_w, y + 4))
        for j, rule in enumerate(rules):
            n = c.anti_patterns.get(rule, 0)
            if not n:
                continue
            share = n / c.answers
            r = 3 + 12 * share ** 0.5
            x = label_w + col_w * j + col_w / 2
            out.append(f"<circle cx='{x}' cy='{y}' r='{r:.1f}' fill='#8250df' fill-opacity='0.75'>"
                       f"<title>{escape(c.candidate)} · {escape(rule)}: {n} of {c.answers} answers "
                       f"({100 * share:.0f}%)</title></circle>"
                       f"<text x='{x + r + 2:.1f}' y='{y - r + 2:.1f}' font-size='9' fill='#57606a'>{n}</text>")
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------------- tables


def _candidate_table(candidates: list[CandidateSummary]) -> str:
    head = "".join(f"<th class='num'>{p.capitalize()}</th>" for p in STAR_PARTS)
    rows = []
    for c in candidates:
        cov = "".join(f"<td class='num'>{_pct(c.coverage(p))}</td>" for p in STAR_PARTS)
        top = ", ".join(f"<span class='rule'>{escape(r)}</span> ({n})" for r, n in c.top())
        rows.append(f"<tr><td>{escape(c.candidate)}</td><td class='num'>{c.answers}</td>"
                    f"<td class='num'>{c.failed or ''}</td><td class='num'>{_fmt(c.mean)}</td>"
                    f"<td class='num'>{_fmt(c.median)}</td>{cov}<td>{top}</td></tr>")
    return ("<table><thead><tr><th>Candidate</th><th class='num'>Answers</th><th class='num'>Failed</th>"
            f"<th class='num'>Mean</th><th class='num'>Median</th>{head}<th>Top anti-patterns</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _weakest_table(candidates: list[CandidateSummary]) -> str:
    if not candidates:
        return "<p class='note'>No scored answers.</p>"
    rows = []
    for c in candidates:
        for k, w in enumerate(c.weakest):
            first = {f["rule"]: f for f in reversed(w.findings)}  # one line per rule, its first quote
            findings = "<br>".join(
                f"<span class='rule'>{escape(rule)}</span>"
                + (f" <span class='quote'>“{escape(_clip(f['text'], 80))}”</span>" if f.get("text") else "")
                for rule, f in sorted(first.items())) or "<span class='note'>no findings</span>"
            name = f"<td rowspan='{len(c.weakest)}'>{escape(c.candidate)}</td>" if k == 0 else ""
            rows.append(f"<tr>{name}<td class='num'><span class='score' style='background:{_band(w.score)}'>"
                        f"{w.score}</span></td><td>{escape(_clip(w.question, 140)) or '<i>(no question)</i>'}"
                        f"<br><span class='note'>{escape(w.source)}</span></td><td class='findings'>{findings}</td></tr>")
    return ("<table><thead><tr><th>Candidate</th><th class='num'>Score</th><th>Question · source</th>"
            f"<th class='findings'>Findings</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


# ---------------------------------------------------------------------- helpers


def _svg_open(w: int | float, h: int | float, label: str) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w:.0f} {h:.0f}' width='{w:.0f}' "
            f"height='{h:.0f}' role='img' aria-label='{escape(label)}' {_FONT}><title>{escape(label)}</title>")


def _row_label(name: str, label_w: int, y: float) -> str:
    return f"<text x='{label_w - 8}' y='{y:.1f}' font-size='12' text-anchor='end'>{escape(_clip(name, 28))}</text>"


def _label_width(candidates: list[CandidateSummary]) -> int:
    return 24 + 7 * min(28, max(len(c.candidate) for c in candidates))


def _card(label: str, value: str) -> str:
    return f"<div class='card'><b>{escape(value)}</b>{escape(label)}</div>"


def _band(score: int) -> str:
    return next(color for floor, color in _BAND if score >= floor)


def _blue(v: float) -> tuple[str, str]:
    """A light-to-dark blue for 0..1, and the text colour that stays readable on it."""
    lo, hi = (239, 246, 255), (8, 64, 129)
    rgb = tuple(round(a + (b - a) * v) for a, b in zip(lo, hi))
    return "#{:02x}{:02x}{:02x}".format(*rgb), "#ffffff" if v > 0.5 else "#1b1f24"


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if peak / step <= 6:
            return step
    return 10 ** len(str(peak // 6))


def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f}"


def _pct(v: float | None) -> str:
    return "" if v is None else f"{100 * v:.0f}%"


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
