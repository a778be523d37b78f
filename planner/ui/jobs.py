"""Solver work off the script thread: a background job with progress, result and cancel."""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planner.errors import PlannerError
from planner.solver.solve import CANCEL


@dataclass
class Job:
    """One background computation (a solve or a diagnosis)."""

    kind: str
    key: str
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.perf_counter)
    progress: list[dict[str, Any]] = field(default_factory=list)
    result: Any = None
    error: str | None = None
    finished: float | None = None
    thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True until the work has returned (or failed)."""
        return self.finished is None

    @property
    def elapsed(self) -> float:
        """Seconds since the start (frozen when finished)."""
        return (self.finished or time.perf_counter()) - self.started

    def latest(self) -> dict[str, Any]:
        """The newest progress event (empty before the first one)."""
        return self.progress[-1] if self.progress else {}


_ACTIVE: list[Job] = []


def shutdown(timeout: float = 30.0) -> None:
    """Cancel every running job and wait for it (a solver thread killed at exit aborts Python)."""
    for job in list(_ACTIVE):
        job.cancel.set()
    for job in list(_ACTIVE):
        if job.thread is not None:
            job.thread.join(timeout)
    _ACTIVE.clear()


atexit.register(shutdown)


def start(kind: str, key: str, work: Callable[[Callable[[dict[str, Any]], None]], Any]) -> Job:
    """Run ``work(report_progress)`` in a daemon thread; cancel() stops the solver."""
    job = Job(kind=kind, key=key)

    def target() -> None:
        CANCEL.set(job.cancel)
        try:
            job.result = work(job.progress.append)
        except PlannerError as exc:
            job.error = exc.one_line()
        except Exception as exc:  # a bug: keep the app alive and show it
            job.error = f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.perf_counter()
            if job in _ACTIVE:
                _ACTIVE.remove(job)

    job.thread = threading.Thread(target=target, daemon=True, name=f"planner-{kind}")
    _ACTIVE.append(job)
    job.thread.start()
    return job
