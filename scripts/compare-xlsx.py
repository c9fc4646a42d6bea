#!/usr/bin/env python3
"""Compare two workbooks as openpyxl reads them: same sheets, and per sheet the same cells
(value, type, number format, font, border, alignment), merged areas, column widths, row
heights, frozen panes, hyperlinks, print area, print titles and page setup.

    python3 scripts/compare-xlsx.py A.xlsx B.xlsx     # exit 0 same content, 1 differences

Used to show that the streaming writer (src/emit/xlsx) gives the workbook rust_xlsxwriter
gave: the byte layout differs (inline strings, style indices), the content does not.
Needs `pip install openpyxl`.
"""

import sys

import openpyxl


def cell_info(c):
    f = c.font
    b = c.border
    a = c.alignment
    return (
        c.value,
        c.data_type,
        c.number_format,
        (f.name, f.sz, bool(f.b), bool(f.i), f.u, f.charset, f.color.rgb if f.color is not None and f.color.type == "rgb" else None),
        tuple(getattr(b, side).style for side in ("left", "right", "top", "bottom")),
        (a.horizontal, a.vertical, bool(a.wrap_text), a.indent),
        (c.hyperlink.location, c.hyperlink.display) if getattr(c, "hyperlink", None) else None,
    )


def sheet_info(ws):
    cells = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None and c.style_id == 0:
                continue
            cells[c.coordinate] = cell_info(c)
    widths = {k: round(v.width, 6) for k, v in ws.column_dimensions.items() if v.width}
    heights = {k: v.height for k, v in ws.row_dimensions.items() if v.height is not None}
    ps = ws.page_setup
    setup = (
        ps.paperSize, ps.orientation, ps.fitToWidth, ps.fitToHeight,
        ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        ws.print_options.horizontalCentered,
        (ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom,
         ws.page_margins.header, ws.page_margins.footer),
        ws.oddFooter.center.text,
        ws.sheet_view.showGridLines, ws.sheet_view.tabSelected,
        ws.freeze_panes,
        str(ws.print_area), str(ws.print_title_rows),
    )
    merges = sorted(str(m) for m in ws.merged_cells.ranges)
    return {"cells": cells, "widths": widths, "heights": heights, "setup": setup, "merges": merges}


def main():
    a_path, b_path = sys.argv[1:3]
    a = openpyxl.load_workbook(a_path)
    b = openpyxl.load_workbook(b_path)
    diffs = []
    if a.sheetnames != b.sheetnames:
        diffs.append(f"sheet names: {a.sheetnames} != {b.sheetnames}")
    props = lambda wb: (wb.properties.title, wb.properties.created, wb.properties.modified)
    if props(a) != props(b):
        diffs.append(f"document properties: {props(a)} != {props(b)}")
    cells = 0
    for name in a.sheetnames:
        if name not in b.sheetnames:
            continue
        sa, sb = sheet_info(a[name]), sheet_info(b[name])
        cells += len(sa["cells"])
        for key in sa:
            if key == "cells":
                for ref in sorted(set(sa["cells"]) | set(sb["cells"])):
                    ca, cb = sa["cells"].get(ref), sb["cells"].get(ref)
                    if ca != cb:
                        diffs.append(f"{name}!{ref}: {ca} != {cb}")
            elif sa[key] != sb[key]:
                diffs.append(f"{name}: {key}: {sa[key]} != {sb[key]}")
    for d in diffs[:50]:
        print(d)
    if diffs:
        print(f"{len(diffs)} differences")
        return 1
    print(f"same content: {len(a.sheetnames)} sheets, {cells} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
