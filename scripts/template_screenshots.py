"""Regenerate the screenshots of the cases template for site/guide/spreadsheets.md.

    python scripts/template_screenshots.py

Needs LibreOffice (apt-get install libreoffice-calc-nogui) and pdftoppm (poppler-utils):
template → one .xlsx per sheet → PDF (LibreOffice headless) → PNG (pdftoppm) → cropped (Pillow).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from weibao.repo import Repository  # noqa: E402
from weibao.sheets.template import write_template  # noqa: E402

SHOTS = [("个案", "template-cases", "A1:K6"), ("服务", "template-services", "A1:E6"),
         ("填写说明", "template-rules", "A1:L22")]


def main() -> int:
    out_dir = ROOT / "site" / "guide" / "img"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        book = work / "cases.xlsx"
        write_template(Repository(ROOT), "cases", book)
        for sheet, name, area in SHOTS:
            wb = load_workbook(book)
            for other in [n for n in wb.sheetnames if n != sheet]:
                del wb[other]
            ws = wb[sheet]
            ws.page_setup.orientation = "landscape"
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.print_area = area
            ws.print_options.gridLines = sheet != "填写说明"
            wb.save(work / f"{name}.xlsx")
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work),
                            str(work / f"{name}.xlsx")], check=True, capture_output=True)
            subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile",
                            str(work / f"{name}.pdf"), str(work / name)], check=True)
            im = Image.open(work / f"{name}.png").convert("RGB")
            box = ImageOps.invert(im).getbbox() or (0, 0, im.width, im.height)
            im = im.crop((max(box[0] - 12, 0), max(box[1] - 12, 0),
                          min(box[2] + 12, im.width), min(box[3] + 12, im.height)))
            im.save(out_dir / f"{name}.png", optimize=True)
            print(out_dir / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
