"""What ``planner replan`` prints: the moves, the elapsed time, the proof."""

from __future__ import annotations

import math

from planner.analysis.replan import Replan
from planner.files.tables import render
from planner.scenario.model import Scenario


def _seconds_vi(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def print_replan(scenario: Scenario, result: Replan) -> None:
    from planner.analysis.replan import proof_words

    stage = result.stage or "—"
    print(
        f"Lập lại kế hoạch / replan: {scenario.id} — giai đoạn / stage {stage}, "
        f"{result.violations_before} vi phạm trước / violations before, {result.wall_time:.1f} s"
    )
    if result.today is not None:
        print(
            f"Từ hôm nay / from today: {result.today} — chưa họp thì không trước ngày này / "
            "nothing not yet held before it"
        )
    for slipped in result.slipped:
        vi, en = slipped.words()
        print(f"⚠ {vi}\n  {en}")
    print(f"Dời / moved: {len(result.moved)} đại hội / congresses")
    objective = result.objective
    vi, en = proof_words(
        result.minimal or not result.moved,
        None if objective is None else f"{objective:,.0f}".replace(",", "."),
        None if objective is None else f"{objective:,.0f}",
    )
    print(f"{vi} / {en}")
    print(elapsed(result))
    if result.moved and not result.minimal:
        print(_minimality(result))
    rows = [
        {
            "org_id": m.org_id,
            "level": m.level,
            "old": f"{m.old_start} – {m.old_end}" if m.old_start else "(mới / new)",
            "new": f"{m.new_start} – {m.new_end}",
            "days": "" if m.days is None else f"{m.days:+d}",
            "why": " / ".join(part for part in m.why() if part),
        }
        for m in result.moved
    ]
    if rows:
        print(render(rows, ["org_id", "level", "old", "new", "days", "why"], "table"))
    if result.held_changes:
        print(
            f"Đã họp, theo ngày thực tế / held, on their actual dates: {len(result.held_changes)}"
        )
        for m in result.held_changes:
            print(f"  {m.org_id}: {m.old_start or '—'} → {m.new_start} – {m.new_end}")
    if result.old_election_day and result.election_day != result.old_election_day:
        print(f"Ngày bầu cử / election day: {result.old_election_day} → {result.election_day}")


def elapsed(result: Replan) -> str:
    """The command's elapsed wall time against its budget, and an overrun said as one."""
    took, limit = result.elapsed, result.time_limit
    limit_vi = f"{limit:g}".replace(".", ",")
    if result.deterministic:
        return (
            f"Thời gian: {_seconds_vi(took)} s (giới hạn {limit_vi} giây tất định) / "
            f"time: {took:.1f} s (budget {limit:g} deterministic s)"
        )
    if result.over_budget:
        took = math.ceil(took * 10) / 10  # rounded up: an overrun never reads as the budget
        return (
            f"Vượt giới hạn thời gian: {_seconds_vi(took)} s so với {limit_vi} s / "
            f"over the time budget: {took:.1f} s against {limit:g} s"
        )
    return (
        f"Thời gian: {_seconds_vi(took)} s trong giới hạn {limit_vi} s / "
        f"time: {took:.1f} s within the {limit:g} s budget"
    )


def _minimality(result: Replan) -> str:
    """Whether the number of moves is proven the fewest, said in words in both languages."""
    repaired = "" if result.repaired is None else f" Sửa chữa ban đầu dời {result.repaired}."
    repaired_en = "" if result.repaired is None else f" The first repair moved {result.repaired}."
    if result.minimal:
        return (
            f"Số đại hội phải dời là ít nhất có thể (đã chứng minh, giai đoạn {result.stage})."
            f" / The number moved is the fewest possible (proven, stage {result.stage})."
        )
    return (
        "Chưa chứng minh được đây là số đại hội phải dời ít nhất: có thể còn cách dời ít hơn;"
        f" tăng --time-limit để tìm tiếp.{repaired} / Not proven to be the fewest moves:"
        f" fewer may be possible; raise --time-limit to search longer.{repaired_en}"
    )
