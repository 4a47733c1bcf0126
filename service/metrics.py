"""A tiny Prometheus registry: counters, gauges and histograms rendered in the text format (0.0.4).

Small on purpose (no dependency): the service needs three kinds of metric and one ``/metrics`` page.
Values live in one process; with ``--workers N`` each worker keeps its own, as Prometheus expects of
separately scraped targets.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Sequence

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

LabelValues = tuple[str, ...]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    parts = [f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True)]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


def _num(v: float) -> str:
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return repr(float(v)) if not float(v).is_integer() else str(int(v))


class _Metric:
    kind = ""

    def __init__(self, name: str, help: str, labelnames: Sequence[str] = ()) -> None:  # noqa: A002
        self.name, self.help, self.labelnames = name, help, tuple(labelnames)
        self._lock = threading.Lock()

    def _key(self, labels: dict[str, str]) -> LabelValues:
        if set(labels) != set(self.labelnames):
            raise ValueError(f"{self.name} takes labels {self.labelnames}, got {tuple(labels)}")
        return tuple(str(labels[n]) for n in self.labelnames)

    def header(self) -> list[str]:
        return [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} {self.kind}"]

    def samples(self) -> Iterable[str]:
        raise NotImplementedError


class Counter(_Metric):
    kind = "counter"

    def __init__(self, name: str, help: str, labelnames: Sequence[str] = ()) -> None:  # noqa: A002
        super().__init__(name, help, labelnames)
        self._values: dict[LabelValues, float] = {}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        return self._values.get(self._key(labels), 0.0)

    def samples(self) -> Iterable[str]:
        with self._lock:
            items = sorted(self._values.items())
        for key, v in items:
            yield f"{self.name}{_labels(self.labelnames, key)} {_num(v)}"


class Gauge(_Metric):
    """A gauge read from a callback at scrape time (in-flight work, readiness)."""

    kind = "gauge"

    def __init__(self, name: str, help: str, read: Callable[[], dict[LabelValues, float]],  # noqa: A002
                 labelnames: Sequence[str] = ()) -> None:
        super().__init__(name, help, labelnames)
        self._read = read

    def samples(self) -> Iterable[str]:
        for key, v in sorted(self._read().items()):
            yield f"{self.name}{_labels(self.labelnames, key)} {_num(v)}"


class Histogram(_Metric):
    kind = "histogram"

    def __init__(self, name: str, help: str, labelnames: Sequence[str] = (),  # noqa: A002
                 buckets: Sequence[float] = LATENCY_BUCKETS) -> None:
        super().__init__(name, help, labelnames)
        self.buckets = (*sorted(buckets), math.inf)
        self._series: dict[LabelValues, list[float]] = {}  # bucket counts..., sum, count

    def observe(self, value: float, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            series = self._series.setdefault(key, [0.0] * (len(self.buckets) + 2))
            for i, upper in enumerate(self.buckets):
                if value <= upper:
                    series[i] += 1
            series[-2] += value
            series[-1] += 1

    def count(self, **labels: str) -> float:
        series = self._series.get(self._key(labels))
        return series[-1] if series else 0.0

    def samples(self) -> Iterable[str]:
        with self._lock:
            items = sorted((k, list(v)) for k, v in self._series.items())
        for key, series in items:
            for upper, n in zip(self.buckets, series[:-2], strict=True):
                le = 'le="' + _num(upper) + '"'
                yield f"{self.name}_bucket{_labels(self.labelnames, key, le)} {_num(n)}"
            yield f"{self.name}_sum{_labels(self.labelnames, key)} {_num(series[-2])}"
            yield f"{self.name}_count{_labels(self.labelnames, key)} {_num(series[-1])}"


class Registry:
    def __init__(self) -> None:
        self._metrics: list[_Metric] = []

    def add(self, metric: _Metric) -> _Metric:
        self._metrics.append(metric)
        return metric

    def render(self) -> str:
        lines: list[str] = []
        for m in self._metrics:
            lines += m.header()
            lines += m.samples()
        return "\n".join(lines) + "\n"


class ServiceMetrics:
    """The service's metrics, one set per app instance (no module-level state)."""

    def __init__(self) -> None:
        self.registry = Registry()
        self.requests: Counter = self.registry.add(Counter(  # type: ignore[assignment]
            "starlint_http_requests_total", "HTTP requests answered, by method, route template and status.",
            ("method", "route", "status")))
        self.latency: Histogram = self.registry.add(Histogram(  # type: ignore[assignment]
            "starlint_http_request_duration_seconds", "Time from request to the end of the response.",
            ("method", "route")))
        self.scored: Counter = self.registry.add(Counter(  # type: ignore[assignment]
            "starlint_answers_scored_total", "Answers turned into a Report, by mode and rubric.",
            ("mode", "rubric")))
        self.rejected: Counter = self.registry.add(Counter(  # type: ignore[assignment]
            "starlint_answers_rejected_total", "Answers refused by the library (empty, too long, ...), by code.",
            ("code",)))

    def add_gauge(self, name: str, help: str, read: Callable[[], dict[LabelValues, float]],  # noqa: A002
                  labelnames: Sequence[str] = ()) -> None:
        self.registry.add(Gauge(name, help, read, labelnames))

    def render(self) -> str:
        return self.registry.render()
