"""Word 97–2003 (.doc) and WPS Office (.wps): converted to .docx by LibreOffice, then read as a .docx.

A .doc is an OLE compound file holding Word's binary format; a Kingsoft WPS
``.wps`` is the same format with WPS's own additions (LibreOffice reads the Word
part and leaves the additions).  LibreOffice's Word import is the most complete
there is (paragraphs, tables, footnotes, tracked changes), so the file is
converted to .docx by ``soffice --headless`` and read by ``docx.py``: a report
gives the same text in .doc, .wps and .docx (``docs/benchmarks.md`` compares it
with reading the binary's text directly).  The conversion runs in a private
LibreOffice profile, in its own process group, with a time limit; when it
overruns, the whole group is killed and the file refused.

Before converting, the file is looked at: a password-protected file is refused
(LibreOffice could not open it either); a .docx or a web page saved under a .doc
name (portals do this) is read by its own reader; anything that is not a Word
file at all is refused rather than imported as plain text.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..messages import fail
from ..model import InputError
from .base import Reading

#: Seconds one conversion may take (LibreOffice starts in a second or two; a first start with a fresh profile
#: in 10–20 s on a busy two-core machine).
TIMEOUT = 120
#: Word's binary header (FIB): magic number, and the flag bits of a file that needs a password.
WORD_MAGIC, ENCRYPTED_FLAGS = 0xA5EC, 0x0100 | 0x8000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: LibreOffice's program, where Debian's libreoffice-writer-nogui puts it (or on the PATH).
SOFFICE_PATHS = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice")


def read_doc(data: bytes) -> Reading:
    return _read(data, "doc")


def read_wps(data: bytes) -> Reading:
    return _read(data, "wps")


def _read(data: bytes, fmt: str) -> Reading:
    from .docx import read_docx
    from .html import read_html
    head = data[:1024].lstrip()
    if data.startswith(b"PK\x03\x04"):  # a .docx under an old name
        reading = read_docx(data)
    elif data.startswith(OLE_MAGIC):
        _refuse_encrypted(data, fmt)
        reading = read_docx(_converted(data, fmt))
    elif head.startswith(b"{\\rtf"):
        reading = read_docx(_converted(data, fmt))
    elif head[:1] == b"<" and b"<html" in data[:4096].lower():  # a web page saved as "Word"
        reading = read_html(data)
    else:
        raise fail("E-DOC-UNREADABLE", suffix=f".{fmt}", detail="不是 Word 或 WPS 文件")
    return Reading(format=fmt, items=reading.items, notes=reading.notes, source_meta=reading.source_meta)


def _refuse_encrypted(data: bytes, fmt: str) -> None:
    """An OLE file that says it is encrypted (Word's FIB flag, or an encrypted .docx package) is refused."""
    import olefile
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                raise fail("E-DOC-ENCRYPTED", suffix=f".{fmt}")
            if ole.exists("WordDocument"):
                header = ole.openstream("WordDocument").read(12)
                if len(header) < 12 or int.from_bytes(header[:2], "little") != WORD_MAGIC:
                    raise fail("E-DOC-UNREADABLE", suffix=f".{fmt}", detail="Word 文件头有误")
                if int.from_bytes(header[10:12], "little") & ENCRYPTED_FLAGS:
                    raise fail("E-DOC-ENCRYPTED", suffix=f".{fmt}")
    except InputError:
        raise
    except Exception as error:  # olefile raises many kinds on a truncated or broken compound file
        raise fail("E-DOC-UNREADABLE", suffix=f".{fmt}", detail=f"文件结构有误，{error.__class__.__name__}") from None


def soffice() -> str | None:
    """LibreOffice's program, or None when it is not installed."""
    return next((path for path in SOFFICE_PATHS if os.access(path, os.X_OK)), None) or shutil.which("soffice")


def _converted(data: bytes, fmt: str) -> bytes:
    """The file as .docx, converted by LibreOffice in a private profile within ``TIMEOUT`` seconds."""
    program = soffice()
    if program is None:
        raise fail("E-DOC-NO-LIBREOFFICE", suffix=f".{fmt}")
    with tempfile.TemporaryDirectory(prefix="gongwen-office-") as scratch:
        folder = Path(scratch)
        source = folder / f"report.{fmt}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
                   "--outdir", str(folder / "out"), str(source)]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True, env=_environment(folder))
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise fail("E-DOC-TIMEOUT", suffix=f".{fmt}", seconds=TIMEOUT) from None
        converted = folder / "out" / "report.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise fail("E-DOC-UNREADABLE", suffix=f".{fmt}", detail="LibreOffice 无法打开该文件")
        return converted.read_bytes()


def _kill_group(process: subprocess.Popen) -> None:
    """Kill soffice.bin and its helpers, not only the launcher, and wait (a few seconds at most) until they are
    gone, so that the scratch folder can be removed and nothing is left running."""
    import time
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for _ in range(100):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def _environment(folder: Path) -> dict[str, str]:
    """No display, and a HOME of its own: LibreOffice writes nothing outside the scratch folder."""
    environment = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return environment | {"HOME": str(folder), "SAL_USE_VCLPLUGIN": "svp"}
