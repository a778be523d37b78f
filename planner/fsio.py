"""Safe writes: a file is either fully replaced or left as it was (DESIGN §3, Files).

Every write goes to a unique temporary file in the target's own folder, is flushed and fsynced,
then renamed over the target (``os.replace`` is atomic on POSIX), and the folder is fsynced so
the rename survives a crash. A write that fails (full disk, no permission, interrupted) removes
its temporary file and leaves the old target untouched; the caller gets a bilingual
:class:`~planner.errors.PlannerError` naming the file instead of a traceback.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from planner.errors import PlannerError


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_error(path: Path, exc: OSError) -> PlannerError:
    """A bilingual error for a write that failed, naming the file and the likely fix."""
    reason = exc.strerror or type(exc).__name__
    return PlannerError(
        f"không ghi được tệp ({reason}); tệp cũ (nếu có) vẫn giữ nguyên.",
        f"cannot write the file ({reason}); the previous file, if any, is unchanged.",
        file=path.name,
        hint_vi="Kiểm tra quyền ghi, dung lượng đĩa và đường dẫn (một tệp, không phải thư mục).",
        hint_en="Check write permission, free disk space and the path (a file, not a folder).",
    )


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; on failure the old file stays intact."""
    path = Path(path)
    if path.is_dir():
        raise PlannerError(
            "đường dẫn ghi là một thư mục.",
            "the output path is a folder.",
            file=path.name,
            hint_vi="Cho tên tệp, ví dụ plan.csv.",
            hint_en="Give a file name, e.g. plan.csv.",
        )
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(folder)
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with UTF-8 ``text`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))
