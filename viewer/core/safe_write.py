"""Atomic writes that never overwrite an input file.

Every file the program writes (JSON, report, session, autosave) goes through here:
a temporary file in the target folder, flushed and (unless the output can simply be made
again) fsynced, then renamed over the target, so a crash leaves either the old file or
the new one, never half of one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from viewer.core.errors import OutputError

# os.path rather than pathlib: the command line writes through here, and pathlib would be
# its slowest import.


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def check_not_input(out: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse to write ``out`` when it is (or links to) one of the input files."""
    target = os.fspath(out)
    for src in inputs:
        source = os.fspath(src)
        if _same_file(target, source) or os.path.realpath(target) == os.path.realpath(source):
            raise OutputError(f"refusing to overwrite the input file {source}", str(out))


def write_bytes_atomic(
    path: str | os.PathLike[str], data: bytes | Sequence[bytes], *, durable: bool = True
) -> None:
    """Write ``data`` (bytes, or parts written one after the other) to ``path`` atomically
    (temporary file in the same folder, then rename).

    ``durable``: the data is on disk before the rename (fsync: 10-15 ms for a few MB here),
    so even a system crash cannot lose it. Outputs made only from the input files, such as
    the command line's JSON, can go without: they are still whole or absent, never half.
    """
    target = os.fspath(path)
    if os.path.isdir(target):
        raise OutputError("is a folder, not a file", str(path))
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise OutputError(f"folder {folder} does not exist", str(path))
    name = os.path.basename(target)
    try:
        fd, tmp = _create_temporary(folder, name)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for part in (data,) if isinstance(data, bytes) else data:
                fh.write(part)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if os.path.exists(target):
            try:
                os.chmod(tmp, os.stat(target).st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def _create_temporary(folder: str, name: str) -> tuple[int, str]:
    """A new file ``.NAME.XXXXXXXX.tmp`` in ``folder``, only this user may read it yet: its
    descriptor and path. tempfile.mkstemp does the same, but importing tempfile (with
    random, hashlib and shutil) takes 6-7 ms of every command-line run."""
    flags = (
        os.O_RDWR
        | os.O_CREAT
        | os.O_EXCL
        | getattr(os, "O_BINARY", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    for _attempt in range(100):
        tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))
