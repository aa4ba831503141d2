"""Uploaded text files: bytes -> str, or a refusal that says what the file looks like instead.

Pure module (no Flask). Teachers upload articles (.txt) and rosters (.csv) saved by whatever
editor or spreadsheet the school has: UTF-8 with or without a byte-order mark, UTF-16 from
Excel's "Unicode text" or Notepad (always with a byte-order mark), or Windows-1252 from older
Office versions. Anything else, most often a PDF or a Word document picked by mistake, is
refused with a `NotText` whose message tells the teacher what to do, never decoded into garbage.
"""

from __future__ import annotations

import codecs
import re

# Signatures of the files teachers pick by mistake, checked before any decoding: a PDF's or an
# RTF file's header is plain ASCII and would otherwise decode as "text".
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word or Excel document (old .doc/.xls format)"),
    (b"\x89PNG\r\n\x1a\n", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF87a", "an image"),
    (b"GIF89a", "an image"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed (7-Zip) file"),
    (b"Rar!", "a compressed (RAR) file"),
)
ZIP = b"PK\x03\x04"
# Byte-order marks, longest first: UTF-32 LE's mark begins with UTF-16 LE's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters a text file may not hold: all but tab, newlines, vertical tab (Word's line
# break), form feed and the DOS end-of-file mark (0x1a). NUL is checked on its own.
STRAY_CONTROL_RE = re.compile("[\x01-\x08\x0e-\x19\x1b-\x1f\x7f]")
# Text with more stray control characters than this share (and more than a handful) is binary
# data. A few (an ESC pasted from a terminal) are left for the caller's own checks.
MAX_CONTROL_SHARE = 0.01
MAX_CONTROLS_ANYWAY = 8


class NotText(ValueError):
    """The upload is not a text file; the message says what it looks like and what to do."""


def _refuse(looks_like: str, what: str, save_as: str) -> NotText:
    return NotText(f"This looks like {looks_like}, not text: save the {what} as {save_as} and upload that.")


def _zip_kind(data: bytes) -> str:
    # An Office file is a zip; its entries' names are stored uncompressed in the local headers
    # at the start and in the central directory at the end.
    head = data[:8192] + data[-65536:]
    if b"word/" in head:
        return "a Word document (.docx)"
    if b"xl/" in head:
        return "an Excel workbook (.xlsx)"
    if b"ppt/" in head:
        return "a PowerPoint presentation (.pptx)"
    if b"mimetypeapplication/vnd.oasis.opendocument" in head:
        return "an OpenDocument file (.odt/.ods)"
    return "a zip archive"


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    """Latin-script text in UTF-16 has a NUL in nearly every other byte, on one side only, and
    decodes from that side into text without control characters."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return False
    nul_even, nul_odd = even.count(0) / len(even) > 0.4, odd.count(0) / len(odd) > 0.4
    if nul_even == nul_odd:
        return False
    decoded = sample[: len(sample) // 2 * 2].decode("utf-16-be" if nul_even else "utf-16-le", errors="replace")
    return "\x00" not in decoded and not STRAY_CONTROL_RE.search(decoded)


def decode_text(data: bytes, what: str = "file", save_as: str = "plain text (.txt)") -> str:
    """Decode an uploaded text file, or raise `NotText`.

    `what` names the file in the message ("article", "roster"); `save_as` is the format to ask
    for (".txt", "CSV"). Order: known binary signatures are refused; a byte-order mark decides
    (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE, strictly); else UTF-8; else Windows-1252. The decoded
    text is refused when it holds a NUL (UTF-16 without a mark, or binary data) or more than 8
    other control characters making up more than 1% of it. The result keeps no byte-order mark. b"" gives "".
    """
    for signature, looks_like in SIGNATURES:
        if data.startswith(signature):
            raise _refuse(looks_like, what, save_as)
    if data.startswith(ZIP):
        raise _refuse(_zip_kind(data), what, save_as)
    text = None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise NotText(
                    f"This file is marked as {encoding.upper()} text but is damaged or binary: "
                    f"save the {what} as {save_as} and upload that."
                ) from None
            break
    if text is None:
        for encoding in ("utf-8", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise NotText(
                f"This file is neither UTF-8 nor Windows-1252 text; it looks like binary data: "
                f"save the {what} as {save_as} and upload that."
            )
    if "\x00" in text:
        if _looks_like_utf16_without_bom(data):
            raise NotText(
                f"This looks like UTF-16 text without a byte-order mark: save the {what} as {save_as} "
                "with the encoding UTF-8 and upload that."
            )
        raise _refuse("binary data", what, save_as)
    if len(STRAY_CONTROL_RE.findall(text)) > max(MAX_CONTROLS_ANYWAY, MAX_CONTROL_SHARE * len(text)):
        raise _refuse("binary data", what, save_as)
    return text
