"""``python -m planner`` and the ``planner`` command: run the CLI, stopping cleanly on a signal.

The signal handlers are installed before the CLI's heavy imports, so SIGTERM or Ctrl-C at any
moment ends with exit 130 and one line, never a traceback; files being written are left as
they were (planner.files.fsio).
"""

import signal
import sys

_importing = True  # while the CLI's modules load, a signal is noted, not raised


def _interrupt(_signum: int, _frame: object) -> None:
    from planner.interrupt import REQUESTED

    REQUESTED.set()  # also seen where Python drops the exception (an at-fork hook, a thread)
    if not _importing:  # raised inside a C extension's initialisation, it became an ImportError
        raise KeyboardInterrupt


def run() -> int:
    """Entry point of the ``planner`` console script."""
    signal.signal(signal.SIGTERM, _interrupt)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when ignored
        signal.signal(signal.SIGINT, _interrupt)
    from planner.interrupt import install

    install()  # a signal also stops a running CP-SAT search (planner.interrupt)
    if hasattr(signal, "SIGXFSZ"):  # a file-size limit is a write error to report, not a kill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    global _importing
    from planner.interrupt import REQUESTED

    try:
        from planner.cli.main import main

        _importing = False
        if REQUESTED.is_set():  # a signal came while the modules loaded
            raise KeyboardInterrupt
        return main()
    except KeyboardInterrupt:
        return _stopped()
    except ImportError:
        if REQUESTED.is_set():  # a later, lazy import interrupted inside a C extension
            return _stopped()
        raise


def _stopped() -> int:
    print("Đã dừng; tệp cũ giữ nguyên. / Interrupted; files unchanged.", file=sys.stderr)
    return 130


if __name__ == "__main__":
    sys.exit(run())
