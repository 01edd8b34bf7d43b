"""The typefaces the audience's screens load, as the screen server sends them.

The pages name four faces by `/assets/fonts/<name>.ttf` (see `screen_assets/screen.css`):
`wqy-microhei.ttf` sets all text, Chinese and Latin, and the three Han faces of the printouts
(`fk-han-a/b/s.ttf`, see `printouts.fonts`) add the characters it lacks. The Han faces are
subsets of rare characters only (fk-han-a has 276 of the 8,105 of 通用规范汉字表, none of
评委 or 总裁判长), so without the first face a browser with no Chinese font installed would
draw boxes. The package holds WenQuanYi Micro Hei as a TrueType collection (`.ttc`), which
browsers refuse in `@font-face`; `font_file` cuts its first face out as a plain `.ttf` (the
same glyphs, no copy in the repository).

`font_file(name)` is the whole interface: the bytes of a known face, or None for any other
name (so a path never reaches the file system).
"""

from __future__ import annotations

import functools
import struct
from importlib import resources
from typing import Final

__all__ = ["FONT_NAMES", "font_file", "ttc_face"]

_SOURCES: Final = {
    "wqy-microhei.ttf": ("wqy-microhei.ttc", 0),
    "fk-han-a.ttf": ("fk-han-a.ttf", None),
    "fk-han-b.ttf": ("fk-han-b.ttf", None),
    "fk-han-s.ttf": ("fk-han-s.ttf", None),
}
FONT_NAMES: Final = tuple(_SOURCES)
"""The names under `/assets/fonts/` the pages use."""


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}L", padded)
    return sum(words) & 0xFFFFFFFF


def ttc_face(collection: bytes, index: int) -> bytes:
    """Face `index` of a TrueType collection as a stand-alone font file: its table directory
    with offsets rewritten, its tables copied (shared tables are copied into it), the head
    table's whole-file checksum set. ValueError if `collection` is not a collection or has no
    such face."""
    if collection[:4] != b"ttcf":
        raise ValueError("not a TrueType collection")
    (count,) = struct.unpack_from(">L", collection, 8)
    if not 0 <= index < count:
        raise ValueError(f"the collection has {count} faces, not face {index}")
    (start,) = struct.unpack_from(">L", collection, 12 + 4 * index)
    (tables,) = struct.unpack_from(">H", collection, start + 4)
    records = [struct.unpack_from(">4sLLL", collection, start + 12 + 16 * i)
               for i in range(tables)]
    records.sort(key=lambda r: r[0])
    header = bytearray(collection[start:start + 12])
    directory, body = bytearray(), bytearray()
    offset = 12 + 16 * tables
    head_at = None
    for tag, checksum, where, length in records:
        data = collection[where:where + length]
        if tag == b"head":
            head_at = offset + len(body)
        directory += struct.pack(">4sLLL", tag, checksum, offset + len(body), length)
        body += data + b"\0" * (-length % 4)
    font = bytearray(header + directory + body)
    if head_at is not None:
        struct.pack_into(">L", font, head_at + 8, 0)
        struct.pack_into(">L", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font)))
                         & 0xFFFFFFFF)
    return bytes(font)


@functools.cache
def font_file(name: str) -> bytes | None:
    """The bytes of the face the pages call `name`, or None if they use no such face."""
    source = _SOURCES.get(name)
    if source is None:
        return None
    file, face = source
    data = (resources.files("printouts") / "fonts" / file).read_bytes()
    return data if face is None else ttc_face(data, face)
