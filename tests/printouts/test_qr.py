"""The codes `qrcode` makes for the sheets: each reads back (zxing-cpp) as the text it holds,
for every version a sheet can need, in alphanumeric and in byte mode; level M with the fixed
mask, as the format information says; the version found from the length is the one qrcode
fits; too long a text is refused; a code is made once."""

from __future__ import annotations

import io
import random
import string

import pytest
import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError
from qrcode.util import BCH_type_info, QRData

from printouts.qr import MASK, Matrix, _version, qr_modules

from .tools import qr_texts

ALNUM = string.ascii_uppercase + "234567-:"
TEXT = string.ascii_letters + "中文评分é "
LEVEL_M = 0  # the two bits level M has in the format information


def png(modules: Matrix, scale: int = 4, quiet: int = 4) -> bytes:
    n = len(modules) + 2 * quiet
    image = Image.new("L", (n * scale, n * scale), 255)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                image.paste(0, ((c + quiet) * scale, (r + quiet) * scale,
                                (c + quiet + 1) * scale, (r + quiet + 1) * scale))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def format_bits(modules: Matrix) -> int:
    """The 15 format bits as the column beside the top left finder holds them."""
    n = len(modules)
    rows = [*range(6), 7, 8, *range(n - 7, n)]
    return sum(modules[r][8] << i for i, r in enumerate(rows))


@pytest.mark.parametrize("alphabet", [ALNUM, TEXT], ids=["alphanumeric", "bytes"])
def test_codes_read_back_as_their_text_at_level_m_with_the_fixed_mask(alphabet: str) -> None:
    rng = random.Random(len(alphabet))
    versions = set()
    for length in [1, 7, 20, 45, 90, 140, 200, 320, 500, 900, 1400]:
        text = "".join(rng.choice(alphabet) for _ in range(length))
        modules = qr_modules(text)
        assert qr_texts(png(modules)) == [text], length
        assert format_bits(modules) == BCH_type_info(LEVEL_M << 3 | MASK), length
        versions.add((len(modules) - 17) // 4)
    assert min(versions) == 1 and max(versions) >= 20 and len(versions) >= 8


def test_a_sheet_code_is_alphanumeric_and_made_once() -> None:
    code = "FK1:JUDGE:J3:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 3
    first = qr_modules(code)
    assert qr_modules(code) is first
    assert (len(first) - 17) // 4 <= 8  # alphanumeric mode: a small code on the page


def test_too_long_is_refused() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        qr_modules("A" * 5000)


@pytest.mark.parametrize("alphabet", ["0123456789", ALNUM, TEXT],
                         ids=["numeric", "alphanumeric", "bytes"])
def test_the_version_is_the_one_qrcode_fits(alphabet: str) -> None:
    rng = random.Random(7)
    for length in range(1, 3000, 13):
        text = "".join(rng.choice(alphabet) for _ in range(length))
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
        code.add_data(text, optimize=0)
        try:
            fitted = code.best_fit()
        except (DataOverflowError, ValueError):  # ValueError: its guess went past 40
            with pytest.raises(ValueError, match="do not fit"):
                _version(QRData(text))
            continue
        assert _version(QRData(text)) == fitted, length
