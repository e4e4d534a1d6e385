"""A minimal PNG reader (standard library only) so tests can look at a screenshot's pixels."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Final

__all__ = ["PNG_SIGNATURE", "Image", "read_png"]

PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_CHANNELS: Final[dict[int, int]] = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type → samples per pixel (8-bit only)


@dataclass(frozen=True)
class Image:
    """Decoded 8-bit pixels: ``rows[y]`` holds ``width * channels`` bytes."""

    width: int
    height: int
    channels: int
    rows: tuple[bytes, ...]

    def pixel(self, x: int, y: int) -> bytes:
        """Return the samples of one pixel."""
        start = x * self.channels
        return self.rows[y][start : start + self.channels]

    def colours(self, step: int = 1) -> set[bytes]:
        """Return the distinct pixel values, looking at every ``step``-th pixel in both directions."""
        return {self.pixel(x, y) for y in range(0, self.height, step) for x in range(0, self.width, step)}


def _paeth(left: int, up: int, up_left: int) -> int:
    estimate = left + up - up_left
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - up_left))
    return (left, up, up_left)[distances.index(min(distances))]


def _unfilter(kind: int, line: bytearray, previous: bytes, bpp: int) -> bytes:
    for i, value in enumerate(line):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        up_left = previous[i - bpp] if i >= bpp else 0
        predictor = (0, left, up, (left + up) // 2, _paeth(left, up, up_left))[kind]
        line[i] = (value + predictor) & 0xFF
    return bytes(line)


def read_png(data: bytes) -> Image:
    """Decode a non-interlaced 8-bit greyscale, RGB or RGBA PNG; raise ValueError for anything else."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    offset, chunks, header = len(PNG_SIGNATURE), [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    channels = _CHANNELS[colour]
    stride = width * channels
    raw = zlib.decompress(b"".join(chunks))
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        previous = _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), previous, channels)
        rows.append(previous)
    return Image(width, height, channels, tuple(rows))
