# SPDX-License-Identifier: Apache-2.0
"""Prints every sheet of an .xlsx workbook for spreadsheet_test: checks that the file is a
sound zip (zipfile), then reads it with openpyxl (python3-openpyxl) and prints
"SHEET name" followed by one line per row, cells separated by tabs: numbers with repr(),
text as is, empty cells as "". Exits 3 when openpyxl is missing."""
import sys
import zipfile

path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    if bad is not None:
        sys.exit("corrupt member " + bad)
    names = z.namelist()
    if "xl/workbook.xml" not in names:
        sys.exit("no xl/workbook.xml in " + path)
try:
    import openpyxl
except ImportError:
    print("NO_OPENPYXL")
    sys.exit(3)
wb = openpyxl.load_workbook(path, read_only=True)
out = []
for ws in wb.worksheets:
    out.append("SHEET " + ws.title)
    for row in ws.iter_rows(values_only=True):
        cells = []
        for v in row:
            if v is None:
                cells.append("")
            elif isinstance(v, bool):
                cells.append(repr(int(v)))
            elif isinstance(v, (int, float)):
                cells.append(repr(float(v)))
            else:
                cells.append(str(v).replace("\t", "\\t").replace("\n", "\\n"))
        out.append("\t".join(cells))
sys.stdout.buffer.write(("\n".join(out) + "\n").encode("utf-8"))
