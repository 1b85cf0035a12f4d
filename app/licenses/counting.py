"""How many logged hours count once format caps and a per-day limit are applied.

Caps and a daily limit cut across each other (a 12 h/day limit and a self-study cap both
bite on the same course), so the counted hours are the largest amount that satisfies all
of them at once: a maximum flow from days through formats to caps. The answer never
depends on the order of activities and never falls when an activity is added, which a
first-come-first-counted rule could not promise.
"""
from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.licenses.rules import FormatCap

ZERO = Decimal(0)


@dataclass(frozen=True)
class Portion:
    """Some hours done on one day in one format."""

    day: date
    format: str
    hours: Decimal


def countable_hours(portions: Iterable[Portion], caps: Sequence[FormatCap],
                    max_per_day: Decimal | None = None) -> Decimal:
    """The most of these hours that can count within the enforced caps (nested or apart)."""
    by_day_format: dict[tuple[date, str], Decimal] = defaultdict(lambda: ZERO)
    for portion in portions:
        if portion.hours > 0:
            by_day_format[portion.day, portion.format] += portion.hours
    if not by_day_format:
        return ZERO
    caps = [cap for cap in caps if cap.enforced]
    if max_per_day is None or _no_day_over(by_day_format, max_per_day):
        return _through_caps(by_day_format, caps)
    unlimited = sum(by_day_format.values(), ZERO) + 1
    graph = _Graph()
    for (day, fmt), hours in by_day_format.items():
        graph.add("source", ("day", day), unlimited if max_per_day is None else max_per_day)
        graph.add(("day", day), ("slot", day, fmt), hours)
        graph.add(("slot", day, fmt), _first_cap(fmt, caps), unlimited)
    for index, cap in enumerate(caps):
        graph.add(("cap", index), _parent(index, caps), cap.max_hours)
    return graph.max_flow("source", "sink")


def _no_day_over(by_day_format: dict[tuple[date, str], Decimal], max_per_day: Decimal) -> bool:
    per_day: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for (day, _fmt), hours in by_day_format.items():
        per_day[day] += hours
    return all(hours <= max_per_day for hours in per_day.values())


def _through_caps(by_day_format: dict[tuple[date, str], Decimal], caps: Sequence[FormatCap]) -> Decimal:
    """The same maximum flow when no daily limit binds: caps form a tree, each passes min(cap, inflow).

    Linear in the number of activities, where the general flow is quadratic; a cap's inner caps
    are fewer-format subsets of it, so visiting caps by ascending `_order` settles children first.
    """
    inflow: dict[object, Decimal] = defaultdict(lambda: ZERO)
    for (_day, fmt), hours in by_day_format.items():
        inflow[_first_cap(fmt, caps)] += hours
    for index in sorted(range(len(caps)), key=lambda i: _order(i, caps)):
        inflow[_parent(index, caps)] += min(inflow[("cap", index)], caps[index].max_hours)
    return inflow["sink"]


def _order(index: int, caps: Sequence[FormatCap]) -> tuple[int, int]:
    return (len(caps[index].formats), index)


def _first_cap(fmt: str, caps: Sequence[FormatCap]) -> object:
    """The innermost cap on this format, or the sink when none applies."""
    holding = [i for i, cap in enumerate(caps) if fmt in cap.formats]
    if not holding:
        return "sink"
    return ("cap", min(holding, key=lambda i: _order(i, caps)))


def _parent(index: int, caps: Sequence[FormatCap]) -> object:
    """The next cap out that contains this one (laminar caps form a chain), or the sink."""
    inner = set(caps[index].formats)
    outer = [j for j, cap in enumerate(caps)
             if j != index and inner <= set(cap.formats) and _order(j, caps) > _order(index, caps)]
    if not outer:
        return "sink"
    return ("cap", min(outer, key=lambda j: _order(j, caps)))


class _Graph:
    """A small residual graph with Edmonds-Karp (exact with Decimal capacities)."""

    def __init__(self) -> None:
        self.capacity: dict[object, dict[object, Decimal]] = defaultdict(dict)

    def add(self, tail: object, head: object, capacity: Decimal) -> None:
        # The same edge may be added once per activity day; keep a single capacity for it.
        self.capacity[tail][head] = capacity
        self.capacity[head].setdefault(tail, ZERO)

    def max_flow(self, source: object, sink: object) -> Decimal:
        total = ZERO
        while True:
            previous = self._shortest_path(source, sink)
            if previous is None:
                return total
            path, node = [], sink
            while node != source:
                path.append((previous[node], node))
                node = previous[node]
            pushed = min(self.capacity[tail][head] for tail, head in path)
            for tail, head in path:
                self.capacity[tail][head] -= pushed
                self.capacity[head][tail] += pushed
            total += pushed

    def _shortest_path(self, source: object, sink: object) -> dict[object, object] | None:
        previous: dict[object, object] = {}
        queue, seen = deque([source]), {source}
        while queue:
            node = queue.popleft()
            for head, room in self.capacity[node].items():
                if room > 0 and head not in seen:
                    seen.add(head)
                    previous[head] = node
                    if head == sink:
                        return previous
                    queue.append(head)
        return None
