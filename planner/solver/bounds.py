"""Lower bounds for load levelling: how late congresses must finish if at most ``p`` sit a day.

The scenario's objective trades the peak number of congresses of a level in session on one day
against the days each finishes past its buffer limit (Directive 35-CT/TW deadlines minus the
planner's buffer). CP-SAT alone does not see that trade-off: its bound stayed 20 % below the
default scenario's optimum (issue 11). The argument it lacks is counting. With at most ``p`` in
session, unit-demand congresses can be laid on ``p`` *seats* (an interval graph has as many
colours as its largest clique). A seat holds whole congresses only: a run of ``L`` consecutive
days on which the congresses may sit holds ``⌊L / d⌋`` congresses of ``d`` days, and the
congresses beyond what fits by the threshold ``T`` end ever later. Counting per seat and giving
each extra congress to the seat where it ends earliest gives the least total lateness for each
``p``. Congresses fixed on one date (pins) are laid on seats too, in every way that keeps them
apart, and the least lateness over those ways is kept, so the bound stays valid.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Sequence

MAX_FIXED = 4  # fixed congresses laid out explicitly (Bell(4) = 15 ways); beyond, left out


def _runs(days: Iterable[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive days, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def seat_profile(days: set[int], threshold: int, length: int, most: int) -> tuple[int, list[int]]:
    """One seat: how many congresses of ``length`` days end by ``threshold``, and the lateness
    of each further one (at most ``most`` of them), packed as early as the days allow.
    """
    on_time = 0
    late: list[int] = []
    for first, last in _runs(days):
        if last <= threshold:
            on_time += (last - first + 1) // length
            continue
        start = first
        if first <= threshold:
            fit = (threshold - first + 1) // length
            on_time += fit
            start = first + fit * length
        while start + length - 1 <= last and len(late) < most:
            end = start + length - 1
            late.append(end - threshold)
            start = end + 1
        if len(late) >= most:
            break
    return on_time, late


def _partitions(items: Sequence[int]) -> Iterator[list[list[int]]]:
    """Every way to split ``items`` into non-empty groups."""
    if not items:
        yield []
        return
    head, rest = items[0], items[1:]
    for partition in _partitions(rest):
        for i in range(len(partition)):
            yield [*partition[:i], [head, *partition[i]], *partition[i + 1 :]]
        yield [[head], *partition]


def _apart(group: list[int], fixed: Sequence[tuple[int, int]]) -> bool:
    return all(
        fixed[a][1] < fixed[b][0] or fixed[b][1] < fixed[a][0]
        for a, b in itertools.combinations(group, 2)
    )


def least_lateness(
    days: set[int],
    threshold: int,
    length: int,
    count: int,
    peaks: Iterable[int],
    fixed: Sequence[tuple[int, int]] = (),
) -> dict[int, int | None]:
    """For each peak ``p``: the least total lateness past ``threshold`` of ``count`` movable
    congresses at least ``length`` days long that may sit on ``days``, beside the ``fixed``
    congresses (first, last day); None when they cannot all be placed with ``p`` seats.

    The lateness of a congress is counted as the days it ends after ``threshold``; it is a lower
    bound on its lateness past its own limit whenever that limit is at most ``threshold``.
    """
    if len(fixed) > MAX_FIXED:
        fixed = ()
    plain = seat_profile(days, threshold, length, count)
    layouts: list[list[tuple[int, list[int]]]] = []
    for partition in _partitions(list(range(len(fixed)))):
        if not all(_apart(group, fixed) for group in partition):
            continue
        seats = []
        for group in partition:
            taken = {d for i in group for d in range(fixed[i][0], fixed[i][1] + 1)}
            seats.append(seat_profile(days - taken, threshold, length, count))
        layouts.append(seats)
    out: dict[int, int | None] = {}
    for p in peaks:
        best: int | None = None
        for seats in layouts:
            if len(seats) > p:
                continue
            cost = _spread(plain, p - len(seats), seats, count)
            if cost is not None and (best is None or cost < best):
                best = cost
        out[p] = best
    return out


def _spread(
    plain: tuple[int, list[int]],
    copies: int,
    seats: list[tuple[int, list[int]]],
    count: int,
) -> int | None:
    """The least lateness of ``count`` congresses on ``copies`` plain seats and ``seats``."""
    on_time = plain[0] * copies + sum(s[0] for s in seats)
    extra = count - on_time
    if extra <= 0:
        return 0
    lists = [[c for c in plain[1] for _ in range(copies)], *(s[1] for s in seats)]
    smallest = list(itertools.islice(heapq.merge(*(sorted(x) for x in lists)), extra))
    return sum(smallest) if len(smallest) == extra else None


def earliest_finish(
    days: set[int], length: int, count: int, seats: int, fixed: Sequence[tuple[int, int]] = ()
) -> int | None:
    """A lower bound on the last day of ``count`` movable congresses at least ``length`` days
    long on ``days``, at most ``seats`` a day beside the ``fixed`` ones; None when the seat
    count cannot place them at all.

    If all of them end by ``M``, none is late past ``M``, so :func:`least_lateness` past ``M``
    (a lower bound) is 0; the first such ``M`` is the bound. The seats hold as many whole
    congresses by ``M`` as by any earlier day, so "0 by ``M``" only turns true once as ``M``
    grows: bisection finds it.
    """
    if not days or count <= 0:
        return None

    def fits(last: int) -> bool:
        return least_lateness(days, last, length, count, [seats], fixed)[seats] == 0

    low, high = min(days) - 1, max(days)  # nothing ends by ``low``; ``high`` fits if any does
    if not fits(high):
        return None
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return high
