"""Files the product writes under var/ hold buyers' words: only the service's user reads them.

Every writer opens its file through `append_private`, which creates it with mode 0600 (and
tightens an older file's mode), whatever the process umask is.
"""

from __future__ import annotations

import fcntl
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

PRIVATE = 0o600
PRIVATE_UMASK = 0o077  # both servers start with it, so SQLite files and logs are 0600 too


def append_private(path: str | Path) -> IO[str]:
    """The file opened for appending text, created 0600; its folder is created if missing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE)
    os.fchmod(descriptor, PRIVATE)
    return os.fdopen(descriptor, "a", encoding="utf-8")


def create_once(path: str | Path, text: str) -> str:
    """Write the file unless it exists, atomically, and return what it holds: when several
    processes start at once (the action server and the Rasa server), all end up reading the
    one that was linked first, never two different contents."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        write_private(draft, text)
        try:
            os.link(draft, path)  # fails if another process got there first
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8")


def write_private(path: str | Path, text: str) -> None:
    """Replace the file's content (written beside it, then renamed), mode 0600."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.fchmod(descriptor, PRIVATE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(partial, path)


@contextmanager
def exclusive(path: str | Path) -> Iterator[None]:
    """Hold the file's lock (a `.lock` file beside it) across processes: the action server
    appends tickets while the Rasa server's retention rewrites the file."""
    with append_private(Path(str(path) + ".lock")) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def drop_lines(path: str | Path, old: Callable[[str], bool]) -> int:
    """Rewrite a JSON-lines file without the lines `old` picks (retention); returns how many."""
    path = Path(path)
    if not path.exists():
        return 0
    with exclusive(path):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if line.strip() and not old(line)]
        if len(kept) != len([line for line in lines if line.strip()]):
            write_private(path, "".join(kept))
    return len(lines) - len(kept)
