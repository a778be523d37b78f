"""``planner …`` commands. Bad input exits 2 with one bilingual line, never a traceback."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

import planner
from planner.analysis.diagnose import Diagnosis, diagnose
from planner.analysis.precheck import precheck
from planner.analysis.replan import Replan
from planner.analysis.validate import validate
from planner.errors import PlannerError
from planner.files.paths import data_dir
from planner.files.tables import FORMATS, render
from planner.plan.frame import UNPLACED, check_plan_suffix, read_plan, write_plan
from planner.problem.units import Problem, build_problem
from planner.rules.calendar import parse_date
from planner.rules.catalogue import load_rulesets, rule_catalogue_markdown
from planner.rules.timetable import election_timetable
from planner.scenario.builder import load_scenario, tree_for
from planner.scenario.model import Scenario
from planner.solver import solve
from planner.solver.budget import Budget, check_time_limit
from planner.solver.solve import STRATEGIES, SolveReport
from planner.tree.build import build_tree
from planner.tree.hierarchy import Level, parse_level
from planner.tree.names import plural_en

EXIT_OK = 0
EXIT_INFEASIBLE = 1  # proven: no plan exists (or a checked plan breaks a rule)
EXIT_INPUT = 2
EXIT_UNDECIDED = 3  # no plan found within the budget; one may exist
EXIT_INTERRUPTED = 130
MAX_SEED = 2**31 - 1
MAX_WORKERS = 64

DESCRIPTION = """\
Lập lịch đại hội Đảng các cấp và lịch bầu cử 2020–2021.
Planner for Vietnam's 2020–2021 party congresses and election timetable."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one bilingual line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_INPUT,
            f"{self.prog}: Lỗi: tham số không hợp lệ ({message}). Xem --help. / "
            f"Error: invalid arguments ({message}). See --help.\n",
        )


def _cmd_timetable(args: argparse.Namespace) -> int:
    from planner.rules.rulebook import load_rulebook

    day = parse_date(args.election_day, "--election-day")
    book = load_rulebook()
    law = book.law(args.law) if args.law else book.law_for_election(day)
    timetable = election_timetable(day, law)
    rows = []
    for row in timetable:
        record = row.as_dict()
        record["law"] = law.id
        if row.status == "belief":  # kept as a parameter: the law in force was not verified
            record["status"] = "belief (chưa kiểm chứng / unverified)"
        rows.append(record)
    if args.format == "table":
        print(f"Luật / law: {law.id} — {law.document}")
    columns = ["rule", "date", "start", "end", "time", "article", "status", "name_vi", "name_en"]
    print(render(rows, columns, args.format))
    return EXIT_OK


def _cmd_orgs(args: argparse.Namespace) -> int:
    if args.scenario:
        tree = tree_for(load_scenario(Path(args.scenario), args.set or []))
    else:
        tree = build_tree(args.era) if args.era else build_tree()
    orgs = tree.subtree(args.under) if args.under else list(tree)
    if args.level:
        level = parse_level(args.level)
        orgs = [o for o in orgs if o.level == level]
    if args.count:
        counts: dict[str, int] = {}
        for org in orgs:
            counts[org.level.value] = counts.get(org.level.value, 0) + 1
        rows = [{"level": lv.value, "count": counts[lv.value]} for lv in Level if lv in counts]
        print(render(rows, ["level", "count"], args.format))
        return EXIT_OK
    rows = [o.as_dict() for o in orgs]
    print(
        render(
            rows, ["org_id", "level", "parent_id", "synthetic", "name_vi", "name_en"], args.format
        )
    )
    return EXIT_OK


def _cmd_scenarios(args: argparse.Namespace) -> int:
    """The built-in scenarios of every cycle, with their era, law and title."""
    rows = []
    for path in sorted((data_dir() / "scenarios").glob("*.toml")):
        scenario = load_scenario(path)
        rows.append(
            {
                "file": f"data/scenarios/{path.name}",
                "cycle": scenario.cycle or "",
                "era": scenario.era,
                "election": str(scenario.election_day or scenario.election_choose),
                "law": scenario.election_law.id,
                "projection": "yes" if scenario.projection else "",
                "name_vi": scenario.name_vi,
                "name_en": scenario.name_en,
            }
        )
    print(render(rows, ["file", "cycle", "era", "election", "law", "name_vi"], args.format))
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    if args.format == "markdown":
        print(rule_catalogue_markdown())
        return EXIT_OK
    rows = [
        {
            "rule_id": r.id,
            "ruleset": r.ruleset_id,
            "family": r.family,
            "name_vi": r.name_vi,
            "name_en": r.name_en,
            "params": json.dumps(dict(r.params), ensure_ascii=False, default=str),
            "source": r.source.cite(),
            "status": r.status,
        }
        for rs in load_rulesets().values()
        for r in rs
        if not args.family or r.family == args.family
    ]
    print(render(rows, ["rule_id", "family", "status", "source", "name_vi"], args.format))
    return EXIT_OK


def _load(args: argparse.Namespace) -> tuple[Scenario, Problem]:
    path = Path(args.scenario) if args.scenario else None
    scenario = load_scenario(path, args.set or [])
    return scenario, build_problem(scenario, tree_for(scenario))


def _load_for_plan(
    frame: pd.DataFrame, args: argparse.Namespace, *, exact: bool
) -> tuple[Scenario, Problem]:
    """The scenario a plan records (or the one given, if it is the same), and its problem."""
    from planner.plan.provenance import plan_origin, scenario_for_plan

    scenario, notes = scenario_for_plan(
        plan_origin(frame),
        args.scenario,
        args.set or [],
        plan_file=str(frame.attrs.get("file") or ""),
        exact=exact,
    )
    for note in notes:
        print(note, file=sys.stderr)
    return scenario, build_problem(scenario, tree_for(scenario))


def _budget(args: argparse.Namespace) -> Budget:
    """The command's budget, counted from the start of the process (reading is inside it)."""
    return Budget(args.time_limit, args.deterministic, started=args.started)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    try:
        return check_time_limit(value)
    except PlannerError as exc:
        raise argparse.ArgumentTypeError(exc.text_en()) from None


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}–{high}")
        return value

    return parse


def _no_plan(report: SolveReport, limit: float, problem: Problem | None = None) -> int:
    """Say honestly why no plan was written: proven infeasible (1: by the solver, or by the
    analytic pre-checks when the search ran out of time, never "raise the time", issue 19 D7)
    or undecided (3)."""
    conflicts = (
        precheck(problem)
        if problem is not None and report.status not in ("INFEASIBLE", "CANCELLED")
        else []
    )
    if conflicts:
        print(
            "Không tồn tại kế hoạch nào (kiểm tra sơ bộ đã chứng minh); thêm thời gian không "
            f"giúp được: {conflicts[0].message_vi} Chạy `planner check` để biết cách gỡ. / "
            "No plan can exist (proven by the pre-checks); more time cannot help: "
            f"{conflicts[0].message_en} Run `planner check` to see what to relax.",
            file=sys.stderr,
        )
        return EXIT_INFEASIBLE
    if report.status == "INFEASIBLE":
        print(
            "Không tồn tại kế hoạch nào (đã chứng minh, INFEASIBLE"
            f"{f', phần {report.infeasible_part}' if report.infeasible_part else ''})."
            " Chạy `planner check` với cùng kịch bản để biết vì sao và cách gỡ. / "
            "No plan can exist (proven, INFEASIBLE"
            f"{f', part {report.infeasible_part}' if report.infeasible_part else ''})."
            " Run `planner check` on the same scenario to see why and what to relax.",
            file=sys.stderr,
        )
        return EXIT_INFEASIBLE
    if report.status == "CANCELLED":
        print("Đã dừng; không ghi tệp nào. / Stopped; no file written.", file=sys.stderr)
        return EXIT_INTERRUPTED
    more = max(2 * limit, 30.0)
    print(
        f"Chưa tìm được kế hoạch trong {limit:g} giây ({report.status}); có thể vẫn tồn tại. "
        f"Tăng --time-limit, ví dụ --time-limit {more:g}. / "
        f"No plan found within {limit:g} s ({report.status}); one may still exist. "
        f"Raise --time-limit, e.g. --time-limit {more:g}.",
        file=sys.stderr,
    )
    if report.blocked is not None:
        print(
            f"Kế hoạch nền / constructive floor: {report.blocked.message_vi} / "
            f"{report.blocked.message_en}",
            file=sys.stderr,
        )
    return EXIT_UNDECIDED


def _say_projection(scenario: Scenario) -> None:
    """A projection says so before anything else it prints (issue 15)."""
    if scenario.projection is not None:
        p = scenario.projection
        print(
            f"DỰ PHÓNG, không phải kế hoạch đã ban hành: chu kỳ {p.source_cycle} dời "
            f"{p.shift_years} năm. / PROJECTION, not an issued plan: cycle {p.source_cycle} "
            f"shifted by {p.shift_years} years. {p.note}"
        )


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _progress(event: dict[str, object]) -> None:
    parts = [f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in event.items()]
    print("… " + " ".join(parts), file=sys.stderr)


def _key_dates(plan: pd.DataFrame) -> list[dict[str, str]]:
    congresses = plan[plan["kind"] == "congress"]
    rows = []
    levels = sorted({str(lv) for lv in congresses["level"]}, key=lambda lv: -Level(lv).depth)
    for level in levels:
        sub = congresses[congresses["level"] == level]
        if len(sub):
            rows.append(
                {
                    "what": f"{level} ({len(sub)})",
                    "first": str(min(sub["start"])),
                    "last": str(max(sub["end"])),
                }
            )
    voting = plan[plan["event_id"] == "election:el.voting"]
    if len(voting):
        rows.append({"what": "election", "first": str(voting.iloc[0]["start"]), "last": ""})
    return rows


def _cmd_solve(args: argparse.Namespace) -> int:
    out = _out_path(args.out)
    scenario, problem = _load(args)
    report = solve(
        problem,
        budget=_budget(args),
        workers=args.workers,
        seed=args.seed,
        strategy=args.strategy,
        on_progress=_progress if args.progress else None,
    )
    summary = report.as_dict()
    if report.plan is None:
        print(json.dumps(summary, ensure_ascii=False), file=sys.stderr)
        return _no_plan(report, args.time_limit, problem)
    verdict = validate(problem, report.plan)
    summary["validated"] = verdict.ok
    if not verdict.ok:
        for violation in verdict.violations:
            print(f"BUG: {violation.message_en}", file=sys.stderr)
        raise RuntimeError("solver produced a plan that the validator rejects")
    if out is not None:
        write_plan(report.plan, out, {"scenario": scenario.id, **summary})
    gap = "—" if report.gap is None else f"{report.gap:.1%}"
    _say_projection(scenario)
    print(
        f"Kịch bản / scenario: {scenario.id} — {report.status} ({report.strategy}), "
        f"mục tiêu / objective {_number(report.objective)}, cận / bound {_number(report.bound)}, "
        f"gap {gap}, {report.wall_time:.1f} s, "
        f"{report.submodels_optimal}/{report.submodels} mô hình con tối ưu / sub-models optimal"
    )
    if report.strategy == "greedy":
        print("Chỉ xếp tham lam: không tìm kiếm, không có cận. / Greedy only: no search, no bound.")
    if report.fallbacks:
        shown = ", ".join(report.fallbacks[:6]) + (" …" if len(report.fallbacks) > 6 else "")
        print(
            f"Giữ kế hoạch nền (CP-SAT chưa tìm được gì trong phần thời gian) / "
            f"kept the constructive floor (CP-SAT found nothing in its share): {shown}"
        )
    if report.unproven and report.strategy != "greedy":
        shown = ", ".join(report.unproven[:6]) + (" …" if len(report.unproven) > 6 else "")
        print(f"Chưa chứng minh tối ưu / not proven optimal: {shown}")
    print(render(_key_dates(report.plan), ["what", "first", "last"], "table"))
    unplaced = report.plan.attrs.get(UNPLACED) or []
    if unplaced:
        shown = ", ".join(unplaced[:8]) + (" …" if len(unplaced) > 8 else "")
        print(
            f"ℹ {len(unplaced)} cuộc duyệt không xếp được trước đại hội (thời hạn, khoảng duyệt, "
            f"sức chứa) / reviews with no room before their congress (lead, window, capacity): "
            f"{shown}"
        )
    if args.out:
        print(f"→ {args.out} ({len(report.plan)} events, validated)")
    return EXIT_OK


def _cmd_replan(args: argparse.Namespace) -> int:
    from planner.analysis.replan import held_dates, replan
    from planner.analysis.replan_steps import plan_step_rows

    out = _out_path(args.out)
    base = read_plan(Path(args.base))
    scenario, problem = _load_for_plan(base, args, exact=False)
    era = _base_era(base)
    held = None
    steps_held = {}
    if args.held:
        held_frame = read_plan(Path(args.held))
        held = held_dates(held_frame, problem, all_rows=True)
        steps_held = plan_step_rows(held_frame)  # step rows of HELD.csv are held too
    options: dict[str, Any] = {
        "budget": _budget(args),
        "workers": args.workers,
        "seed": args.seed,
        "on_progress": _progress if args.progress else None,
        "base_era": era,
    }
    if steps_held:
        options["held_steps"] = steps_held
    if args.actuals or args.store or args.today:
        found = _replan_from_today(args, problem, base, held, options)
        if isinstance(found, int):
            return found
        result = found
    else:
        result = replan(problem, base, held=held, **options)
    if args.format == "json":
        print(json.dumps({"scenario": scenario.id, **result.as_dict()}, ensure_ascii=False))
    if result.plan is None:
        tried = ", ".join(result.stages_tried) or "—"
        if result.status == "INFEASIBLE":
            print(
                f"Không tồn tại kế hoạch mới (đã chứng minh; đã thử {tried})."
                " Chạy `planner check` với cùng kịch bản để biết vì sao. / "
                f"No new plan can exist (proven; tried {tried}). "
                "Run `planner check` on the same scenario to see why.",
                file=sys.stderr,
            )
            return EXIT_INFEASIBLE
        more = max(2 * args.time_limit, 30.0)
        print(
            f"Chưa lập lại được kế hoạch trong {args.time_limit:g} giây ({result.status}; "
            f"đã thử {tried}); có thể vẫn tồn tại. Tăng --time-limit, ví dụ {more:g}. / "
            f"No new plan found within {args.time_limit:g} s ({result.status}; tried {tried}); "
            f"one may still exist. Raise --time-limit, e.g. {more:g}.",
            file=sys.stderr,
        )
        print(_elapsed(result), file=sys.stderr)
        return EXIT_UNDECIDED
    if out is not None:
        meta = {"scenario": scenario.id, "replanned_from": Path(args.base).name}
        # the plan is valid; the proof (when there is one) is of the fewest moves, not the plan
        proof = {"status": "FEASIBLE", "moves_status": result.status}
        write_plan(result.plan, out, {**meta, **result.as_dict(), **proof})
    if args.format == "json":
        return EXIT_OK
    _print_replan(scenario, result)
    if args.out:
        print(f"→ {args.out} ({len(result.plan)} events, validated)")
    return EXIT_OK


def _replan_from_today(
    args: argparse.Namespace,
    problem: Problem,
    base: pd.DataFrame,
    held: dict[str, tuple[dt.date, dt.date]] | None,
    options: dict[str, Any],
) -> Replan | int:
    """``replan --actuals FILE | --store [NAME] --today DATE``: the held congresses stay, the
    postponed start from their new dates, the cancelled and merged go, nothing unheld before
    today, and a deadline already out of reach is relaxed and said (issue 21, point 3)."""
    from planner.analysis.replan_today import replan_from_today
    from planner.cli.actuals import actuals_in_force
    from planner.plan.actuals import Actual, ActualsError
    from planner.rules.calendar import today_in_vietnam

    if args.actuals and args.store:
        raise PlannerError(
            "chỉ cho một nguồn kết quả thực tế.",
            "give only one source of actuals.",
            field="--actuals",
            hint_vi="Cho --actuals FILE.csv, hoặc --store (kết quả đã nhập vào kho).",
            hint_en="Give --actuals FILE.csv, or --store (actuals imported into the store).",
        )
    today = parse_date(args.today, "--today") if args.today else today_in_vietnam()
    entries: list[Actual] = []
    if args.actuals or args.store:
        try:
            entries = list(actuals_in_force(args, problem.tree).values())
        except ActualsError as exc:
            print("\n".join(exc.lines()[:-1]), file=sys.stderr)
            return EXIT_INPUT
    entries += [Actual(o, "congress", "held", s, e) for o, (s, e) in (held or {}).items()]
    result, reality = replan_from_today(problem, base, entries, today, **options)
    if reality.ignored:
        print(
            f"ℹ {len(reality.ignored)} báo cáo về đại hội không lập lịch trong kịch bản này (bỏ"
            f" qua). / {plural_en(len(reality.ignored), 'report')} on congresses this scenario"
            " does not plan (ignored).",
            file=sys.stderr,
        )
    return result


def _base_era(base: pd.DataFrame) -> str | None:
    """The era of the scenario a base plan was made from, when the plan records a built-in
    scenario unchanged (its fingerprint): ``replan`` refuses a base of another era."""
    from planner.plan.provenance import builtin_scenarios, plan_origin, scenario_fingerprint

    origin = plan_origin(base)
    path = builtin_scenarios().get(origin.scenario) if origin is not None else None
    if origin is None or path is None:
        return None
    recorded = load_scenario(path)
    return recorded.era if scenario_fingerprint(recorded) == origin.fingerprint else None


def _seconds_vi(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _print_replan(scenario: Scenario, result: Replan) -> None:
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
    print(_elapsed(result))
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


def _elapsed(result: Replan) -> str:
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


def _cmd_check(args: argparse.Namespace) -> int:
    if args.plan:
        frame = read_plan(Path(args.plan))
        _scenario, problem = _load_for_plan(frame, args, exact=False)
        if args.actuals or args.store or args.today:  # issue 21: against reality, from today
            from planner.cli.actuals import check_from_today

            found = check_from_today(args, problem, frame)
            if isinstance(found, int):
                return found
            problem = found
        verdict = validate(problem, frame, complete=args.complete)
        if args.format == "json":
            print(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2))
        else:
            print(
                f"{verdict.checked} đại hội đã kiểm tra / congresses checked, "
                f"{len(verdict.violations)} vi phạm / violations, "
                f"{len(verdict.missing)} chưa có / missing"
            )
            for v in verdict.violations:
                rule = f" · {v.rule}" if v.rule else ""
                print(f"✗ [{v.family}{rule}] {v.message_vi}\n  {v.message_en}")
            if verdict.missing and not args.complete:
                shown = ", ".join(verdict.missing[:8]) + (" …" if len(verdict.missing) > 8 else "")
                print(f"ℹ chưa có trong kế hoạch / not in the plan (information): {shown}")
            if verdict.ignored:
                print(f"ℹ ngoài kịch bản / outside the scenario: {', '.join(verdict.ignored[:8])}")
        return EXIT_OK if verdict.ok else EXIT_INFEASIBLE
    if args.actuals or args.store or args.today:
        raise PlannerError(
            "--actuals, --store, --today chỉ dùng khi kiểm tra một kế hoạch.",
            "--actuals, --store, --today only apply to checking a plan.",
            field="--plan",
            hint_vi="Thêm --plan PLAN.csv.",
            hint_en="Add --plan PLAN.csv.",
        )
    scenario, problem = _load(args)
    diagnosis = diagnose(scenario, problem.tree, time_limit=args.time_limit, seed=args.seed)
    payload = diagnosis.as_dict()
    if diagnosis.plan is not None:
        payload["key_dates"] = _key_dates(diagnosis.plan)
    if args.format == "json":
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_diagnosis(diagnosis)
    if diagnosis.status == "feasible":
        return EXIT_OK
    return EXIT_INFEASIBLE


def _print_diagnosis(diagnosis: Diagnosis) -> None:
    if diagnosis.plan is not None:
        print("Khả thi: lập được kế hoạch. / Feasible: a plan exists.")
        print(render(_key_dates(diagnosis.plan), ["what", "first", "last"], "table"))
        return
    if diagnosis.status == "unknown":
        print(
            "Chưa kết luận được trong giới hạn thời gian; tăng --time-limit. / "
            "Undecided within the time limit; raise --time-limit."
        )
    else:
        print("Không khả thi: không thể lập kế hoạch. / Infeasible: no plan can exist.")
    if diagnosis.families:
        proven = "" if diagnosis.minimal else " (chưa chứng minh tối thiểu / minimality unproven)"
        print(
            f"Họ ràng buộc xung đột / conflicting families: {', '.join(diagnosis.families)}{proven}"
        )
    for conflict in diagnosis.conflicts:
        print(f"✗ [{' + '.join(conflict.families)}] {conflict.message_vi}")
        print(f"  {conflict.message_en}")
    if diagnosis.suggestions:
        print("Cách gỡ / ways out:")
    for s in diagnosis.suggestions:
        mark = "✓ đã kiểm chứng / verified" if s.verified else "? chưa kiểm chứng / unverified"
        print(f"→ {s.message_vi} / {s.message_en}  [{mark}]")
        print(f"    --set '{s.set_arg}'")


def _cmd_ical(args: argparse.Namespace) -> int:
    from planner.export.ical import export_events, output_folder, plan_events
    from planner.plan.provenance import scenario_for_plan

    out = output_folder(args.out)  # before any work: '' or a file is refused at once
    if args.plan:
        frame = read_plan(Path(args.plan))
        scenario, problem = _load_for_plan(frame, args, exact=True)
        verdict = validate(problem, frame)
        if not verdict.ok:
            print(
                f"Cảnh báo: kế hoạch có {len(verdict.violations)} vi phạm (xem `planner check`)."
                f" / Warning: the plan has {len(verdict.violations)} violations (see "
                "`planner check`).",
                file=sys.stderr,
            )
    else:
        scenario, _notes = scenario_for_plan(
            None, args.scenario, args.set or [], plan_file="", exact=False
        )
        problem = build_problem(scenario, tree_for(scenario))
        report = solve(problem, budget=_budget(args), workers=args.workers, seed=args.seed)
        if report.plan is None:
            return _no_plan(report, args.time_limit, problem)
        frame = report.plan
    tree = problem.tree
    if args.actuals:
        from planner.export.actuals import with_actuals
        from planner.plan.actuals import ActualsError, latest, read_actuals

        try:
            frame = with_actuals(frame, latest(read_actuals(Path(args.actuals), tree)))
        except ActualsError as exc:
            print("\n".join(exc.lines()[:-1]), file=sys.stderr)
            return EXIT_INPUT
    events = plan_events(frame, scenario, tree)
    del problem, frame  # the export needs neither (nationwide: tens of MB)
    result = export_events(events, scenario, tree, out, args.scope, args.base_url)
    print(result.changelog())
    print(f"→ {args.out}: {', '.join(result.files[:6])}{' …' if len(result.files) > 6 else ''}")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from planner.export.serve import serve

    return serve(Path(args.feeds), args.host, args.port, args.base_url)


def _cmd_bench(args: argparse.Namespace) -> int:
    from planner.cli import bench

    if args.case and args.case not in bench.CASES:
        raise PlannerError(
            f"không có ca đo '{args.case}'.",
            f"no benchmark case '{args.case}'.",
            field="--case",
            hint_vi=f"Có: {', '.join(bench.CASES)}.",
            hint_en=f"Known: {', '.join(bench.CASES)}.",
        )
    rows = [bench.run_case(args.case, args.quick)] if args.case else bench.run_all(args.quick)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return EXIT_OK
    print(f"Máy / machine: {bench.machine()}{' (quick)' if args.quick else ''}")
    columns = [
        "case",
        "units",
        "status",
        "first_plan_s",
        "final_s",
        "objective",
        "bound",
        "gap",
        "peak_mib",
        "valid",
        "detail",
    ]
    table_rows = [{c: bench.fmt(r.get(c)) for c in columns} for r in rows]
    print(render(table_rows, columns, "table"))
    return EXIT_OK if all(r.get("status") != "ERROR" for r in rows) else EXIT_INFEASIBLE


def _scenario_args(cmd: argparse.ArgumentParser, limit: float = 30.0) -> None:
    cmd.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="tệp kịch bản TOML (mặc định: data/scenarios/xiii-2020.toml) / scenario TOML file",
    )
    cmd.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="đổi một khóa (TOML) / override one key, e.g. "
        "--set 'levels.central.window=[2020-09-15, 2020-10-20]' (repeatable)",
    )
    _budget_args(cmd, default=limit)


def _budget_args(cmd: argparse.ArgumentParser, default: float, shown: bool = True) -> None:
    """``--time-limit``, ``--deterministic``, ``--workers``, ``--seed``."""
    cmd.add_argument(
        "--time-limit",
        type=_seconds,
        default=default,
        metavar="S",
        help="giới hạn thời gian thực cho cả lệnh (giây) / wall-clock budget for the whole "
        f"command in seconds (default {default:g}; at most a day); with --deterministic, "
        "CP-SAT deterministic seconds"
        if shown
        else argparse.SUPPRESS,
    )
    cmd.add_argument(
        "--deterministic",
        action="store_true",
        help="tái lập được: cùng seed và số luồng → cùng kế hoạch (thời gian thực dài hơn khi "
        "máy bận) / reproducible: same seed and workers give the same plan; the budget counts "
        "CP-SAT deterministic seconds, so wall time grows with the machine's load"
        if shown
        else argparse.SUPPRESS,
    )
    cmd.add_argument(
        "--workers",
        type=_bounded(1, MAX_WORKERS),
        default=2,
        metavar="N",
        help="số luồng / CP-SAT workers" if shown else argparse.SUPPRESS,
    )
    cmd.add_argument(
        "--seed",
        type=_bounded(0, MAX_SEED),
        default=0,
        metavar="N",
        help="hạt giống / random seed" if shown else argparse.SUPPRESS,
    )


def _today_args(cmd: argparse.ArgumentParser, vi: str = "lập lại", en: str = "re-plan") -> None:
    """``--actuals``, ``--store [NAME]``, ``--today`` of ``replan`` and ``check`` (issue 21,
    point 3)."""
    from planner.store.recovery import DEFAULT_DOCUMENT

    cmd.add_argument(
        "--actuals",
        metavar="FILE.csv",
        help=f"kết quả thực tế (org_id,kind,status,start,end,reason): {vi} từ hôm nay / "
        f"actuals: {en} from today",
    )
    cmd.add_argument(
        "--store",
        nargs="?",
        const=DEFAULT_DOCUMENT,
        metavar="NAME",
        help=f"lấy kết quả thực tế trong kho (tài liệu NAME, mặc định {DEFAULT_DOCUMENT}) / "
        "take the actuals from the store",
    )
    cmd.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help=f"{vi} từ ngày này (mặc định: hôm nay ở Việt Nam) / {en} from this day "
        "(default: today in Vietnam)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``planner`` argument parser with its subcommands."""
    parser = _Parser(
        prog="planner",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    tt = sub.add_parser(
        "timetable",
        help="lịch bầu cử theo luật / the statutory election timetable",
        description=(
            "Mọi bước theo luật bầu cử có hiệu lực, tính từ ngày bầu cử E (phải là Chủ nhật):\n"
            "Luật 85/2015/QH13, sửa đổi bởi Luật 83/2025/QH15 cho cuộc bầu cử 2026.\n"
            "Every statutory step of the election law in force, counted from election day E\n"
            "(a Sunday): Law 85/2015/QH13, as amended by Law 83/2025/QH15 for 2026."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tt.add_argument(
        "--election-day",
        required=True,
        metavar="YYYY-MM-DD",
        help="ngày bầu cử, một ngày Chủ nhật / election day, a Sunday (e.g. 2021-05-23)",
    )
    tt.add_argument(
        "--law",
        metavar="LAW",
        help="ép dùng một luật (mặc định: luật có hiệu lực cho ngày bầu cử) / force a law "
        "(default: the one in force for that election), e.g. election-law-85-2015 or "
        "election-law-85-2015+election-law-83-2025",
    )
    tt.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    tt.set_defaults(func=_cmd_timetable)

    orgs = sub.add_parser(
        "orgs",
        help="cây tổ chức đảng / the party organisation tree",
        description=(
            "Liệt kê tổ chức đảng theo cấp hoặc dưới một tổ chức.\n"
            "List party organisations by level or under one organisation "
            "(e.g. --under p37 for Ninh Bình)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    orgs.add_argument(
        "--level",
        metavar="LEVEL",
        help="cấp / level: national | central | district (2020) | commune (2025) | grassroots",
    )
    orgs.add_argument(
        "--scenario", metavar="FILE", help="cây của thời kỳ kịch bản / the tree of its era"
    )
    orgs.add_argument(
        "--era", choices=("2015", "2020", "2025"), help="cây của thời kỳ / the tree of an era"
    )
    orgs.add_argument("--set", action="append", metavar="KEY=VALUE", help=argparse.SUPPRESS)
    orgs.add_argument("--under", metavar="ORG_ID", help="chỉ cây con này / only this subtree")
    orgs.add_argument(
        "--count", action="store_true", help="chỉ đếm theo cấp / only counts per level"
    )
    orgs.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    orgs.set_defaults(func=_cmd_orgs)

    scen = sub.add_parser(
        "scenarios",
        help="kịch bản của mọi chu kỳ / the scenarios of every cycle",
        description=(
            "Các kịch bản có sẵn (2015–16, 2020–21, 2025–26, dự phóng 2030–31).\n"
            "The built-in scenarios (2015–16, 2020–21, 2025–26, the 2030–31 projection)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scen.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    scen.set_defaults(func=_cmd_scenarios)

    rules = sub.add_parser(
        "rules",
        help="danh mục quy tắc / the rule catalogue",
        description=(
            "Mọi quy tắc trong data/rules với nguồn pháp lý và trạng thái.\n"
            "Every rule in data/rules with its legal source and status."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rules.add_argument("--family", metavar="FAMILY", help="chỉ một họ / one family only")
    rules.add_argument(
        "--format",
        choices=(*FORMATS, "markdown"),
        default="table",
        help="table | csv | json | markdown",
    )
    rules.set_defaults(func=_cmd_rules)

    solve_cmd = sub.add_parser(
        "solve",
        help="lập kế hoạch / plan every congress",
        description=(
            "Lập lịch mọi đại hội theo kịch bản, khớp với lịch bầu cử;\n"
            "kế hoạch luôn được kiểm tra trước khi ghi.\n"
            "Plan every congress of a scenario, aligned with the election; every plan is "
            "validated before it is written."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _scenario_args(solve_cmd)
    solve_cmd.add_argument(
        "--out", metavar="FILE", help="ghi kế hoạch / write the plan (.csv|.json)"
    )
    solve_cmd.add_argument(
        "--strategy", choices=STRATEGIES, default="auto", help="auto | decomposed | monolithic"
    )
    solve_cmd.add_argument(
        "--progress", action="store_true", help="in tiến độ / print progress to stderr"
    )
    solve_cmd.set_defaults(func=_cmd_solve)

    replan_cmd = sub.add_parser(
        "replan",
        help="lập lại kế hoạch, dời ít nhất / re-plan, moving as little as possible",
        description=(
            "Lập lại một kế hoạch theo kịch bản đã đổi: chỉ giải lại phần bị ảnh hưởng,\n"
            "không dời đại hội đã họp, dời ít đại hội nhất, in danh sách cũ → mới.\n"
            "Re-plan a plan for a changed scenario: re-solve only what the change affects,\n"
            "never move congresses already held, move the fewest, list old → new dates."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    replan_cmd.add_argument("base", metavar="BASE_PLAN.csv", help="kế hoạch gốc / base plan")
    _scenario_args(replan_cmd, limit=10.0)  # a re-plan is local: seconds, not minutes
    replan_cmd.add_argument(
        "--held",
        metavar="HELD.csv",
        help="đại hội và bước chuẩn bị đã họp, ngày thực tế (org_id[,kind],start,end) / "
        "congresses and preparation steps already held",
    )
    _today_args(replan_cmd)
    replan_cmd.add_argument(
        "--out", metavar="FILE", help="ghi kế hoạch mới / write the new plan (.csv|.json)"
    )
    replan_cmd.add_argument(
        "--format", choices=("text", "json"), default="text", help="text | json"
    )
    replan_cmd.add_argument(
        "--progress", action="store_true", help="in tiến độ / print progress to stderr"
    )
    replan_cmd.set_defaults(func=_cmd_replan)

    check = sub.add_parser(
        "check",
        help="kiểm tra kịch bản hoặc kế hoạch / check a scenario or a plan",
        description=(
            "Không có --plan: kịch bản có lập được kế hoạch không.\n"
            "Có --plan: kiểm tra một kế hoạch (có thể chỉ một phần) theo mọi ràng buộc cứng.\n"
            "Mã thoát 0 hợp lệ, 1 vi phạm, 2 lỗi đầu vào.\n"
            "Without --plan: can the scenario be planned. With --plan: check a (possibly partial)\n"
            "plan against every hard rule. Exit 0 valid, 1 violations, 2 bad input."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _scenario_args(check, limit=5.0)  # for each feasibility probe of the diagnosis
    check.add_argument("--plan", metavar="FILE.csv", help="kế hoạch cần kiểm tra / plan to check")
    check.add_argument(
        "--complete",
        action="store_true",
        help="đơn vị thiếu là vi phạm / units without a congress are violations",
    )
    check.add_argument("--format", choices=("text", "json"), default="text", help="text | json")
    _today_args(check, "kiểm tra", "check")  # with --plan: held on their dates, none before today
    check.set_defaults(func=_cmd_check)

    ical = sub.add_parser(
        "ical",
        help="xuất lịch iCal / export iCal feeds",
        description=(
            "Xuất lịch .ics để đăng ký trong Google, Outlook, Apple Calendar, Thunderbird:\n"
            "mỗi lịch ≤ 1000 sự kiện và ≤ 1 MB, index.html chỉ lịch nào cho vai trò nào.\n"
            "Không có PLAN thì giải kịch bản trước; kế hoạch ghi kịch bản của nó. Xuất lại vào\n"
            "cùng thư mục giữ UID, tăng SEQUENCE cho sự kiện đã đổi, thay cả thư mục một lần.\n"
            "Write .ics feeds to subscribe to in Google, Outlook, Apple Calendar, Thunderbird:\n"
            "each ≤ 1,000 events and ≤ 1 MB, index.html says which feeds for which role.\n"
            "Without PLAN the scenario is solved first; a plan records its scenario. Exporting\n"
            "again into the same folder keeps UIDs, raises SEQUENCE for changed events and\n"
            "replaces the folder in one step."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ical.add_argument("plan", nargs="?", metavar="PLAN", help="kế hoạch / plan (.csv|.json)")
    ical.add_argument(
        "--scenario",
        dest="scenario",
        metavar="FILE",
        help="kịch bản (tệp hoặc mã có sẵn; mặc định: kịch bản ghi trong kế hoạch) / scenario "
        "(a file or built-in id; default: the one the plan records)",
    )
    ical.add_argument("--out", required=True, metavar="DIR", help="thư mục xuất / output folder")
    ical.add_argument(
        "--scope",
        default="all",
        help="all | overview | election | level:LEVEL | org:ORG_ID | body:BODY_ID "
        "(mặc định / default all)",
    )
    ical.add_argument(
        "--base-url",
        metavar="URL",
        help="địa chỉ công khai của thư mục (liên kết https:// và webcal:// trong index.html) / "
        "public address of the folder (https:// and webcal:// links in index.html)",
    )
    ical.add_argument("--set", action="append", metavar="KEY=VALUE", help="đổi một khóa / override")
    _budget_args(ical, default=30.0, shown=False)
    ical.add_argument(
        "--actuals",
        metavar="FILE.csv",
        help="kết quả thực tế: đã họp theo ngày thực tế, hoãn được đánh dấu / actuals: held "
        "congresses on their actual dates, postponed ones marked",
    )
    ical.set_defaults(func=_cmd_ical)

    serve_cmd = sub.add_parser(
        "serve",
        help="phục vụ lịch qua HTTP / serve the feeds over HTTP",
        description=(
            "Phục vụ thư mục lịch tại một địa chỉ đăng ký: text/calendar; charset=utf-8,\n"
            "ETag và Last-Modified (trả 304 khi không đổi), gzip; trang chủ là index.html với\n"
            "liên kết webcal:// và https://. Mặc định chỉ nghe 127.0.0.1: đặt sau một reverse\n"
            "proxy có TLS để công khai (xem README).\n"
            "Serve a feed folder at a subscription URL: text/calendar; charset=utf-8, ETag and\n"
            "Last-Modified (304 when unchanged), gzip; the home page is index.html with\n"
            "webcal:// and https:// links. Binds 127.0.0.1 by default: put it behind a reverse\n"
            "proxy with TLS to publish it (see the README)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve_cmd.add_argument(
        "feeds", metavar="FEEDS_DIR", help="thư mục đã xuất / folder written by `planner ical`"
    )
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="địa chỉ nghe / address to bind (127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=int, default=8080, help="cổng (0 = tự chọn) / port (0 = any free one)"
    )
    serve_cmd.add_argument(
        "--base-url",
        metavar="URL",
        help="địa chỉ công khai, vd. https://lich.example.vn/ (sau reverse proxy) / public "
        "address, e.g. https://calendar.example.org/ (behind a reverse proxy)",
    )
    serve_cmd.set_defaults(func=_cmd_serve)

    bench_cmd = sub.add_parser(
        "bench",
        help="đo hiệu năng / benchmark",
        description=(
            "Đo thời gian, bộ nhớ và chất lượng kế hoạch; số liệu trong README lấy từ đây.\n"
            "Measure time, memory and plan quality; the README's figures come from here."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bench_cmd.add_argument("--quick", action="store_true", help="kịch bản thu gọn / small scenario")
    bench_cmd.add_argument("--case", help=argparse.SUPPRESS)
    bench_cmd.add_argument("--json", action="store_true", help="JSON output")
    bench_cmd.set_defaults(func=_cmd_bench)
    from planner.cli.actuals import add_parsers

    add_parsers(sub, _Parser)  # actuals import|list, progress (issue 21)
    return parser


def _out_path(text: str | None) -> Path | None:
    """An output path the command can write to, checked before any work."""
    if text is None:
        return None
    if not text.strip():
        raise PlannerError(
            "--out trống.",
            "--out is empty.",
            field="--out",
            hint_vi="Cho tên tệp, ví dụ --out plan.csv.",
            hint_en="Give a file name, e.g. --out plan.csv.",
        )
    path = Path(text)
    if path.is_dir():
        raise PlannerError(
            "--out là một thư mục.",
            "--out is a folder.",
            file=path.name,
            field="--out",
            hint_vi="Cho tên tệp trong thư mục đó, ví dụ plan.csv.",
            hint_en="Give a file name inside it, e.g. plan.csv.",
        )
    if not path.parent.is_dir():
        raise PlannerError(
            "thư mục của --out không tồn tại.",
            "the folder of --out does not exist.",
            file=path.name,
            field="--out",
            hint_vi="Tạo thư mục trước, hoặc chọn thư mục khác.",
            hint_en="Create the folder first, or choose another.",
        )
    check_plan_suffix(path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``planner`` console script.

    Run as a command (``argv`` None), the time budget counts from the start of the process, so
    imports and reading are inside it; called with arguments (tests, scripts), from this call.
    """
    started = planner.STARTED if argv is None else time.monotonic()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.started = started
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PlannerError as exc:
        print(exc.one_line(), file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(
            "Đã dừng; tệp cũ giữ nguyên. / Interrupted; existing files unchanged.", file=sys.stderr
        )
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
