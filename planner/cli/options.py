"""What the commands share in their parsers: exit codes, the parser class, the budget,
scenario and actuals options."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

from planner.errors import PlannerError

EXIT_OK = 0
EXIT_INFEASIBLE = 1  # proven: no plan exists (or a checked plan breaks a rule)
EXIT_INPUT = 2
EXIT_UNDECIDED = 3  # no plan found within the budget; one may exist
EXIT_INTERRUPTED = 130
EXIT_BUG = 70  # an internal error (sysexits EX_SOFTWARE): a plan the validator refuses
MAX_SEED = 2**31 - 1
MAX_WORKERS = 64


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one bilingual line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_INPUT,
            f"{self.prog}: Lỗi: tham số không hợp lệ ({message}). Xem --help. / "
            f"Error: invalid arguments ({message}). See --help.\n",
        )


def _seconds(text: str) -> float:
    # here, not at the top: the solver package pulls in ortools, which commands that never
    # solve (``planner progress``, ``planner actuals``) must not pay for at start-up
    from planner.solver.budget import check_time_limit

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


def scenario_args(cmd: argparse.ArgumentParser, limit: float = 30.0) -> None:
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
    budget_args(cmd, default=limit)


def budget_args(cmd: argparse.ArgumentParser, default: float, shown: bool = True) -> None:
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


def today_args(cmd: argparse.ArgumentParser, vi: str = "lập lại", en: str = "re-plan") -> None:
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


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused, then restored, around work that makes many objects
    and next to no cycles: importing a command's modules; reading a nationwide plan, its tree
    and 30,000 actuals, where the collector's passes were a tenth of ``planner progress``
    (issue 21: ≤ 2 s). Restored, the new objects go to the oldest generation first (freeze,
    unfreeze), as a first pass over all of them would cost as much again; they stay
    collectable."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
