"""Regenerate docs/sheets/: the first page of every sheet type (the pack inventory and a draft
ranking too), Chinese-first and English-first, at 100 dpi in 16 greys, from the livestream
fixture.

    .venv/bin/python -m tests.printouts.render_docs [--fixtures examples]
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from PIL import Image

from printouts import Inventory, InventoryLine, page_counts, prepare, render
from printouts.content import kind_of, subject_of

from . import tools
from .conftest import one_of_each
from .sample import livestream

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT / "examples")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sheets")
    parser.add_argument("--dpi", type=int, default=100)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for order, languages in (("zh", ("zh", "en")), ("en", ("en", "zh"))):
        record = livestream(args.fixtures, languages)
        sheets = one_of_each(record)
        pack = list(sheets.values())
        pages = page_counts(record.event, pack, record.imprint)
        sheets["inventory"] = Inventory(413, tuple(
            InventoryLine(prepare(record.event, s, record.imprint).code, kind_of(s),
                          subject_of(s), n) for s, n in zip(pack, pages, strict=True)),
            "王建国", "李静")
        sheets["results-draft"] = record.results_sheet(version=None)
        for kind, sheet in sheets.items():
            pdf = render(record.event, sheet, record.imprint)
            png = tools.pngs(pdf, dpi=args.dpi, first=1, last=1, gray=True)[0]
            path = args.out / f"{kind}-{order}.png"
            # 16 grey levels keep the text crisp at a third of the size
            Image.open(io.BytesIO(png)).quantize(16).save(path, optimize=True)
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            print(shown, path.stat().st_size // 1024, "KiB")


if __name__ == "__main__":
    main()
