"""Ctrl-C and SIGTERM reach a running CP-SAT search (the ``planner`` command).

Python runs its signal handlers only between bytecodes of the main thread, so while CP-SAT
searches (GIL released, up to the whole budget) a signal would wait. CP-SAT's own SIGINT
catching is switched off (:func:`planner.solver.solve.solver_parameters`): it turned Ctrl-C
into "time limit reached", so the plan was written anyway, and it reset SIGINT to the default
action when a solve ended, so a later Ctrl-C killed the process without a word.

Instead the C-level part of Python's handler writes the signal number to a wakeup socket
(:func:`signal.set_wakeup_fd`); a reader thread sets :data:`REQUESTED`, which every running
solve watches and answers with ``stop_search``. When the search returns, the Python handler
raises :class:`KeyboardInterrupt` and the CLI ends with exit 130, files unchanged.
"""

from __future__ import annotations

import signal
import socket
import threading

__all__ = ["REQUESTED", "install", "requested"]

REQUESTED = threading.Event()
_installed = False
_sockets: tuple[socket.socket, socket.socket] | None = None  # kept open for the process


def requested() -> bool:
    """Whether a SIGINT or SIGTERM has arrived in this process."""
    return REQUESTED.is_set()


def _read(sock: socket.socket) -> None:
    while True:
        try:
            data = sock.recv(64)
        except OSError:
            return
        if not data:
            return
        if any(b in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP) for b in data):
            REQUESTED.set()


def install() -> None:
    """Watch for signals in a reader thread; call once, from the main thread."""
    global _installed, _sockets
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    try:
        signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    except (ValueError, OSError):
        reader.close()
        writer.close()
        return
    _installed = True
    _sockets = (reader, writer)
    threading.Thread(target=_read, args=(reader,), name="planner-signals", daemon=True).start()
