"""Background work in a bounded pool of worker processes: solves, re-plans, checks and exports.

At most ``size`` jobs run at once, ``size`` being the number of cores divided by the threads
one CP-SAT solve uses (:data:`SOLVER_THREADS`), so concurrent users queue instead of starving
each other into timeouts; later jobs wait in a first-come queue that shows their position.
Each job runs in its own process, forked from a preloaded fork server (it starts in a few
milliseconds with the solver already imported, and the memory of a nationwide solve goes back
to the system when it ends). A job can be cancelled while queued (it leaves the queue) or
running: a solve is asked to stop and keeps the best plan found so far; a check or an export,
or a solve that has not stopped within :data:`GRACE` seconds, is terminated.

Jobs live in the server process, not in a browser session: a refresh, a second tab or another
user finds a running job again by its key (the scenario content and the kind of work), and an
identical request joins the job already running instead of starting a second one.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import threading
import time
import traceback
import uuid
from collections import deque
from dataclasses import dataclass, field
from multiprocessing import spawn
from multiprocessing.connection import Connection, wait
from typing import Any

from planner.errors import PlannerError
from planner.ui.capacity import SOLVER_THREADS

GRACE = 15.0  # seconds a cancelled solve may take to hand back its best plan
KEEP_FINISHED = 200  # finished jobs remembered (their results are in the store anyway)
PRELOAD = ["planner.ui.tasks"]


_WITHOUT_MAIN = threading.local()
_preparation_data = spawn.get_preparation_data


def _preparation_without_main(name: str) -> dict[str, Any]:
    """multiprocessing runs the parent's main module again in every child it starts; under
    Streamlit that module is the page script (``app.py``), which must never run in a worker.
    Our workers start from an importable function, so the pool's processes go without it."""
    data: dict[str, Any] = _preparation_data(name)
    if getattr(_WITHOUT_MAIN, "active", False):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


setattr(spawn, "get_preparation_data", _preparation_without_main)  # noqa: B010


def pool_size() -> int:
    """Worker processes for this machine: ``PLANNER_POOL_SIZE``, else cores ÷ solver threads."""
    configured = os.environ.get("PLANNER_POOL_SIZE", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, (os.cpu_count() or 1) // SOLVER_THREADS)


@dataclass(eq=False)
class Job:
    """One unit of background work and what is known about it."""

    id: str
    task: str
    key: str
    owner: str
    payload: dict[str, Any]
    soft_cancel: bool
    submitted: float = field(default_factory=time.monotonic)
    state: str = "queued"  # queued | running | done | failed | cancelled
    started: float | None = None
    finished: float | None = None
    progress: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    error: str | None = None
    cancel_requested: float | None = None
    cancelled_by: str | None = None
    process: Any = None
    conn: Connection | None = None

    @property
    def active(self) -> bool:
        """Queued or running."""
        return self.state in ("queued", "running")

    @property
    def elapsed(self) -> float:
        """Seconds running (0 while queued; frozen when finished)."""
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started

    @property
    def waited(self) -> float:
        """Seconds spent in the queue so far."""
        return (self.started or time.monotonic()) - self.submitted


def merged(known: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """A job's progress after one more event: the newest stage and time, and the best
    objective and bound found so far kept even when the event is only a stage (``subtree
    3/67``, ``validated``), so the page (or a refreshed one) still shows them (issue 19, D26)."""
    out = {**known, **event}
    if "objective" in event:  # what the objective counts (a re-plan's: moves, then days)
        out["objective_stage"] = event.get("stage")
    return out


class Throttle:
    """Sends a job's progress at most every ``every`` seconds (the page polls once a second),
    merging the events in between, so none is lost: the latest objective and bound always
    reach the pool, and :meth:`flush` sends what is pending before the result."""

    def __init__(
        self,
        send: Any,
        every: float = 0.25,
        clock: Any = time.monotonic,
    ) -> None:
        self.send, self.every, self.clock = send, every, clock
        self.last = float("-inf")
        self.pending: dict[str, Any] = {}
        self.lock = threading.Lock()

    def __call__(self, event: dict[str, Any]) -> None:
        with self.lock:
            self.pending = merged(self.pending, event)
        self.tick()

    def tick(self) -> None:
        """Send what is pending if the last send is old enough (also called by a timer, so a
        solution found just after a stage reaches the page while the solver works on)."""
        now = self.clock()
        if now - self.last >= self.every:
            self.flush()

    def flush(self) -> None:
        """Send the merged events not sent yet."""
        with self.lock:  # taken and sent at once: nothing overtakes it (the result, say)
            pending, self.pending = self.pending, {}
            if pending:
                self.last = self.clock()
                self.send(pending)

    def every_so_often(self, stop: threading.Event) -> None:
        """Tick until ``stop`` is set (run in a daemon thread of the worker)."""
        while not stop.wait(self.every):
            self.tick()


def _child(conn: Connection, task: str, payload: dict[str, Any]) -> None:
    """Run one task in a worker process; talk to the pool through ``conn``."""
    from planner.solver.run import CANCEL
    from planner.ui.tasks import TASKS

    cancel = threading.Event()
    lock = threading.Lock()

    def send(message: tuple[str, Any]) -> None:
        with lock:
            try:
                conn.send(message)
            except OSError:
                cancel.set()  # the pool is gone: stop

    def listen() -> None:
        try:
            while True:
                if conn.recv() == "cancel":
                    cancel.set()
        except (EOFError, OSError):
            cancel.set()

    progress = Throttle(lambda event: send(("progress", event)))
    finished = threading.Event()
    threading.Thread(target=listen, daemon=True).start()
    threading.Thread(target=progress.every_so_often, args=(finished,), daemon=True).start()
    CANCEL.set(cancel)
    try:
        result = TASKS[task](payload, progress)
        finished.set()
        progress.flush()
        send(("done", result))
    except PlannerError as exc:
        send(("error", exc.one_line()))
    except Exception as exc:  # a bug: report it, keep the server alive
        traceback.print_exc()
        send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        finished.set()
        conn.close()


class Pool:
    """The bounded pool; one per server process (see :func:`pool`)."""

    def __init__(self, size: int | None = None, grace: float = GRACE) -> None:
        self.size = size or pool_size()
        self.grace = grace
        methods = multiprocessing.get_all_start_methods()
        method = "forkserver" if "forkserver" in methods else "spawn"
        self._context: Any = multiprocessing.get_context(method)
        if method == "forkserver":
            self._context.set_forkserver_preload(PRELOAD)
        self._lock = threading.Condition()
        self._queue: deque[Job] = deque()
        self._running: list[Job] = []
        self._jobs: dict[str, Job] = {}
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, daemon=True, name="planner-pool")
        self._thread.start()

    # public -------------------------------------------------------------------------------
    def submit(
        self,
        task: str,
        payload: dict[str, Any],
        *,
        key: str,
        owner: str,
        soft_cancel: bool = True,
    ) -> Job:
        """Queue a task; an active job with the same key is returned instead of a new one."""
        with self._lock:
            for job in reversed(self._jobs.values()):
                if job.key == key and job.active:
                    return job
            job = Job(uuid.uuid4().hex[:12], task, key, owner, payload, soft_cancel)
            self._jobs[job.id] = job
            self._queue.append(job)
            self._prune()
            self._lock.notify_all()
            return job

    def find(self, key: str) -> Job | None:
        """The newest job with this key (active or finished), if any."""
        with self._lock:
            for job in reversed(self._jobs.values()):
                if job.key == key:
                    return job
        return None

    def get(self, job_id: str) -> Job | None:
        """A job by id."""
        with self._lock:
            return self._jobs.get(job_id)

    def position(self, job: Job) -> int:
        """1 for the first job waiting, 2 for the next…; 0 when not queued."""
        with self._lock:
            for index, queued in enumerate(self._queue):
                if queued is job:
                    return index + 1
        return 0

    def counts(self) -> tuple[int, int]:
        """(running, queued)."""
        with self._lock:
            return len(self._running), len(self._queue)

    def cancel(self, job: Job, by: str) -> None:
        """Cancel a queued job at once, or ask a running one to stop (see the module doc)."""
        with self._lock:
            if not job.active or job.cancel_requested is not None:
                return
            job.cancelled_by = by
            job.cancel_requested = time.monotonic()
            if job.state == "queued":
                self._queue.remove(job)
                self._finish(job, "cancelled")
            elif job.conn is not None:
                with contextlib.suppress(OSError):
                    job.conn.send("cancel")
            self._lock.notify_all()

    def wait(self, job: Job, timeout: float) -> bool:
        """Block until the job has finished (tests, shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while job.active:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.5))
        return True

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel everything, stop the workers and the dispatcher."""
        with self._lock:
            jobs = list(self._queue) + list(self._running)
        for job in jobs:
            self.cancel(job, "shutdown")
        for job in jobs:
            self.wait(job, timeout)
        with self._lock:
            self._stopping = True  # the dispatcher terminates what is left, then returns
            self._lock.notify_all()
        self._thread.join(timeout + 15)

    # dispatcher -----------------------------------------------------------------------------
    def _loop(self) -> None:
        _WITHOUT_MAIN.active = True  # this thread starts every worker process
        while True:
            with self._lock:
                if self._stopping:
                    for job in list(self._running):
                        self._terminate(job)
                        self._finish(job, "cancelled")
                    return
                self._start_ready()
                self._enforce_cancel()
                conns = {job.conn: job for job in self._running if job.conn is not None}
                if not conns:
                    self._lock.wait(0.2)
                    continue
            for conn in wait(list(conns), timeout=0.2):
                assert isinstance(conn, Connection)
                self._receive(conns[conn], conn)

    def _start_ready(self) -> None:
        while self._queue and len(self._running) < self.size:
            job = self._queue.popleft()
            parent, child = self._context.Pipe(duplex=True)
            process = self._context.Process(
                target=_child,
                args=(child, job.task, job.payload),
                name=f"planner-{job.task}",
                daemon=False,  # a solve may fork processes of its own
            )
            try:
                process.start()
            except Exception as exc:  # no process could start: say so, never hang the queue
                job.error = (
                    f"không khởi động được tiến trình tính toán / "
                    f"cannot start a worker process ({type(exc).__name__}: {exc})"
                )
                parent.close()
                self._finish(job, "failed")
                continue
            finally:
                child.close()
            job.process, job.conn = process, parent
            job.state, job.started = "running", time.monotonic()
            self._running.append(job)

    def _enforce_cancel(self) -> None:
        now = time.monotonic()
        for job in list(self._running):
            asked = job.cancel_requested
            if asked is not None and (not job.soft_cancel or now - asked > self.grace):
                self._terminate(job)
                self._finish(job, "cancelled")

    def _receive(self, job: Job, conn: Connection) -> None:
        try:
            kind, body = conn.recv()
        except (EOFError, OSError):
            with self._lock:
                if job.active:
                    if job.process is not None:
                        job.process.join(2)
                    code = job.process.exitcode if job.process is not None else None
                    if job.cancel_requested is not None:
                        self._finish(job, "cancelled")
                    else:
                        job.error = (
                            f"tiến trình tính toán dừng bất thường (mã {code}) / "
                            f"the worker process ended unexpectedly (exit code {code})"
                        )
                        self._finish(job, "failed")
            return
        with self._lock:
            if not job.active:
                return
            if kind == "progress":
                job.progress = merged(job.progress, body)
            elif kind == "done":
                job.result = body
                self._finish(job, "cancelled" if job.cancel_requested else "done")
            else:
                job.error = str(body)
                self._finish(job, "failed")

    def _terminate(self, job: Job) -> None:
        process = job.process
        if process is not None and process.is_alive():
            process.terminate()
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join(5)

    def _finish(self, job: Job, state: str) -> None:
        job.state = state
        job.finished = time.monotonic()
        if job in self._running:
            self._running.remove(job)
        if job.conn is not None:
            job.conn.close()
            job.conn = None
        if job.process is not None:
            job.process.join(5)
            job.process = None
        self._lock.notify_all()

    def _prune(self) -> None:
        finished = [j for j in self._jobs.values() if not j.active]
        for job in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[job.id]


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> Pool:
    """The server's pool, started on first use."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = Pool()
        return _POOL


def shutdown() -> None:
    """Stop the server's pool (at exit, and after each test)."""
    global _POOL
    with _POOL_LOCK:
        current, _POOL = _POOL, None
    if current is not None:
        current.shutdown()


atexit.register(shutdown)
