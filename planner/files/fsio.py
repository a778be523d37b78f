"""Safe writes: a file or a folder is either fully replaced or left as it was (DESIGN §3, Files).

Every write goes to a unique temporary file in the target's own folder, is flushed and fsynced,
then renamed over the target (``os.replace`` is atomic on POSIX), and the folder is fsynced so
the rename survives a crash. A write that fails (full disk, no permission, interrupted) removes
its temporary file and leaves the old target untouched; the caller gets a bilingual
:class:`~planner.errors.PlannerError` naming the file instead of a traceback.

A folder (the iCal feeds with their index and manifest) is built as a new folder beside the old
one and swapped in (:func:`replace_folder`): the folder's path is a symlink to a versioned folder
``.<name>.v-*`` beside it, and a new symlink is renamed over it, so a reader that opens a file
through the path gets the old set or the new one, never a missing folder (issue 19, F2). The
folders and files honour the umask (F7).
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from planner import interrupt
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


def _stop_if_interrupted() -> None:
    """A signal already taken (planner.interrupt) keeps the old file: the commit is skipped."""
    if interrupt.requested():
        raise KeyboardInterrupt


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
        _stop_if_interrupted()
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


# ---------------------------------------------------------------------------------------------
# Folders: build a new version beside the old one, then swap it in (all or nothing)
# ---------------------------------------------------------------------------------------------

_STAGE = ".new-"
_OLD = ".old-"
_VERSION = ".v-"
_LINK = ".link-"


def _umask() -> int:
    """The process's umask, read without changing it where the system allows it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _plain_name(name: str, dot: bool = False) -> str:
    """A file name directly inside the folder: no separators, no ``.`` or ``..``, and no dot
    file unless ``dot`` (one carried over, e.g. ``.htaccess``)."""
    hidden = name.startswith(".") and (not dot or name in (".", ".."))
    if not name or hidden or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"not a plain file name: {name!r}")
    return name


class FolderStage:
    """The new version of a folder, built beside it (see :func:`replace_folder`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.names: list[str] = []

    def write(self, name: str, data: bytes) -> None:
        """Write one file of the new folder (made durable before the swap)."""
        target = self.path / _plain_name(name)
        try:
            with open(target, "xb") as handle:
                handle.write(data)
        except OSError as exc:
            raise write_error(target, exc) from None
        self.names.append(name)

    def keep(self, name: str, source: Path) -> None:
        """Carry an unchanged file over from the old folder (a hard link keeps its mtime)."""
        target = self.path / _plain_name(name, dot=True)
        try:
            os.link(source, target)
        except OSError:
            try:
                shutil.copy2(source, target)
            except OSError as exc:
                raise write_error(target, exc) from None
        self.names.append(name)

    def _sync(self) -> None:
        """fsync every file, in parallel: the file system batches the commits (800 files
        in 0.07 s instead of 2.6 s one after the other on the development machine)."""

        def sync(name: str) -> None:
            fd = os.open(self.path / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

        with ThreadPoolExecutor(max_workers=16) as pool:
            list(pool.map(sync, self.names))
        _fsync_dir(self.path)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGTERM, SIGINT and SIGHUP while the folders are swapped, then deliver them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {s: signal.signal(s, lambda signum, _frame: caught.append(signum)) for s in held}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in caught:
            signal.raise_signal(signum)


@contextlib.contextmanager
def _folder_lock(target: Path) -> Iterator[None]:
    """One writer per folder: an exclusive lock on ``.<name>.lock`` beside it."""
    lock = target.parent / f".{target.name}.lock"
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise write_error(target, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise PlannerError(
                "một lần xuất khác đang ghi vào thư mục này.",
                "another export is writing to this folder.",
                file=target.name,
                hint_vi="Chờ nó xong rồi chạy lại.",
                hint_en="Wait for it to finish, then run again.",
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the previous holder removed the file: lock the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)
        os.close(fd)


def _current_version(target: Path) -> str | None:
    """The versioned folder ``target`` publishes (``None``: not a symlink made here)."""
    if not target.is_symlink():
        return None
    link = os.readlink(target)
    prefix = f".{target.name}{_VERSION}"
    return link if link.startswith(prefix) and "/" not in link else None


def published_path(path: Path) -> Path:
    """A versioned folder ``<parent>/.<name>.v-*`` as the path that publishes it,
    ``<parent>/<name>`` (what ``os.path.realpath`` of that path gives back); else ``path``."""
    name = path.name
    if name.startswith(".") and _VERSION in name:
        public = path.parent / name[1 : name.rindex(_VERSION)]
        if public.name and _current_version(public) == name:
            return public
    return path


def recover_folder(target: Path) -> list[str]:
    """Finish or undo a swap that was interrupted (a crash, SIGKILL, power loss).

    A missing ``target`` with ``.<name>.old-*`` beside it (a folder of an earlier version
    moved aside to be replaced by a symlink) is put back. Versions ``.<name>.v-*`` that
    ``target`` does not publish, half-built ``.<name>.new-*`` folders and ``.<name>.link-*``
    symlinks are removed. Returns what was done. Call it holding the folder's lock (as
    :func:`replace_folder` does).
    """
    done: list[str] = []
    parent = target.parent
    name = glob.escape(target.name)
    olds = sorted(parent.glob(f".{name}{_OLD}*"))
    if not target.exists() and not target.is_symlink() and olds:
        os.rename(olds[-1], target)
        _fsync_dir(parent)
        done.append(f"restored {target.name} from {olds[-1].name}")
        olds = olds[:-1]
    current = _current_version(target)
    versions = [v for v in parent.glob(f".{name}{_VERSION}*") if v.name != current]
    for stale in [*olds, *parent.glob(f".{name}{_STAGE}*"), *versions]:
        shutil.rmtree(stale, ignore_errors=True)
        done.append(f"removed {stale.name}")
    for link in parent.glob(f".{name}{_LINK}*"):
        with contextlib.suppress(OSError):
            link.unlink()
            done.append(f"removed {link.name}")
    return done


def _new_stage(target: Path) -> Path:
    """An empty folder beside ``target`` with the umask's permissions (mkdtemp gives 0700)."""
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}{_STAGE}", dir=target.parent))
        os.chmod(stage, 0o777 & ~_umask())
    except OSError as exc:
        raise write_error(target, exc) from None
    return stage


def _publish(target: Path, version: Path, suffix: str) -> Path | None:
    """Point ``target`` at ``version`` by renaming a new symlink over it (atomic); a real
    folder from an earlier export is moved aside first. Returns what was replaced."""
    parent = target.parent
    link = parent / f".{target.name}{_LINK}{suffix}"
    os.symlink(version.name, link)
    current = _current_version(target)
    replaced = parent / current if current is not None else None
    if current is None and target.exists():  # once: a folder becomes a symlink
        replaced = parent / f".{target.name}{_OLD}{suffix}"
        os.rename(target, replaced)
    os.replace(link, target)
    return replaced


@contextlib.contextmanager
def replace_folder(target: Path) -> Iterator[FolderStage]:
    """Build the new version of ``target`` and swap it in: every file changes, or none.

    Under an exclusive lock, an interrupted earlier swap is recovered, then a new folder
    ``.<name>.new-*`` is built beside ``target``; on success every file and the folder are
    fsynced, the folder is renamed ``.<name>.v-*`` and ``target`` (a symlink) is pointed at it
    by renaming a new symlink over it, with SIGTERM/SIGINT/SIGHUP held; the version it
    replaced is then removed. A reader opening ``target/<file>`` gets the old file or the new
    one, never an error (issue 19, F2). On an error the new folder is removed and ``target``
    is untouched (DESIGN §3, Files).
    """
    target = published_path(Path(os.path.realpath(target)))
    parent = target.parent
    with _folder_lock(target):
        recover_folder(target)
        stage = _new_stage(target)
        suffix = stage.name.rsplit("-", 1)[-1]
        version = parent / f".{target.name}{_VERSION}{suffix}"
        replaced: Path | None = None
        try:
            built = FolderStage(stage)
            yield built
            try:
                built._sync()
                _stop_if_interrupted()
                with _signals_deferred():
                    os.rename(stage, version)
                    replaced = _publish(target, version, suffix)
                _fsync_dir(parent)
            except OSError as exc:
                raise write_error(target, exc) from None
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        if replaced is not None:
            shutil.rmtree(replaced, ignore_errors=True)
