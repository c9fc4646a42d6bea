//! Worksheet XML, written row by row straight into the sheet's zip entry (the shared
//! strings are `strings`).
//!
//! A project sheet is laid out first in a [`Grid`] (a hundred cells or so, texts borrowed
//! from the model) because its cells are placed out of order (a merged area, then the
//! value in its corner); the summary streams its rows. Nothing of a sheet is kept once
//! its entry is written.

use super::package::{attr, cell_ref, range_ref, text};
use super::strings::{t_element, SharedStrings};
use super::styles::Style;
use super::XlsxError;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// What a cell holds.
pub(super) enum Value<'a> {
    /// Formatted, no value (the rest of a merged area, an empty amount).
    Blank,
    /// Text, always a string cell: never read as a formula. Empty text is a blank cell.
    Text(Cow<'a, str>),
    Number(f64),
    /// A formula (without `=`) with its cached result.
    Formula(String, String),
}

pub(super) struct Cell<'a> {
    pub value: Value<'a>,
    pub style: Style,
}

// ---------------------------------------------------------------------------------------
// A sheet laid out before it is written

/// The cells, row heights and merged areas of one small sheet. Writing a cell twice keeps
/// the second, as in a spreadsheet.
#[derive(Default)]
pub(super) struct Grid<'a> {
    cells: BTreeMap<(u32, u16), Cell<'a>>,
    heights: BTreeMap<u32, f64>,
    merges: Vec<Merge>,
}

/// A merged area, corners inclusive.
#[derive(Clone, Copy)]
pub(super) struct Merge {
    pub r0: u32,
    pub c0: u16,
    pub r1: u32,
    pub c1: u16,
}

impl<'a> Grid<'a> {
    pub(super) fn text(&mut self, r: u32, c: u16, s: impl Into<Cow<'a, str>>, style: Style) {
        let value = Value::Text(s.into());
        self.cells.insert((r, c), Cell { value, style });
    }

    pub(super) fn number(&mut self, r: u32, c: u16, v: f64, style: Style) {
        self.cells.insert(
            (r, c),
            Cell {
                value: Value::Number(v),
                style,
            },
        );
    }

    pub(super) fn blank(&mut self, r: u32, c: u16, style: Style) {
        self.cells.insert(
            (r, c),
            Cell {
                value: Value::Blank,
                style,
            },
        );
    }

    /// `s` in the top-left cell of the area, the rest blank with the same format (so the
    /// borders show), and the area merged.
    pub(super) fn merge(
        &mut self,
        (r0, c0): (u32, u16),
        (r1, c1): (u32, u16),
        s: impl Into<Cow<'a, str>>,
        style: Style,
    ) {
        for r in r0..=r1 {
            for c in c0..=c1 {
                self.blank(r, c, style);
            }
        }
        self.text(r0, c0, s, style);
        self.merges.push(Merge { r0, c0, r1, c1 });
    }

    pub(super) fn height(&mut self, r: u32, h: f64) {
        self.heights.insert(r, h);
    }

    /// The last row and column holding a cell.
    fn extent(&self) -> (u32, u16) {
        let last_row = self.cells.keys().next_back().map_or(0, |k| k.0);
        let last_col = self.cells.keys().map(|k| k.1).max().unwrap_or(0);
        (last_row, last_col)
    }

    /// Write the whole sheet.
    pub(super) fn write(
        self,
        out: &mut dyn Write,
        sst: &mut SharedStrings<'a>,
        head: &Head<'_>,
        page: &Page,
    ) -> Result<(), XlsxError> {
        let (last_row, last_col) = self.extent();
        let mut w = SheetWriter::begin(out, head, (last_row, last_col))?;
        let mut rows: BTreeSet<u32> = self.heights.keys().copied().collect();
        rows.extend(self.cells.keys().map(|k| k.0));
        let mut cells = self.cells.into_iter().peekable();
        for r in rows {
            let row = std::iter::from_fn(|| cells.next_if(|((cr, _), _)| *cr == r))
                .map(|((_, c), cell)| (c, cell));
            w.row(r, self.heights.get(&r).copied(), row, sst)?;
        }
        w.end(&self.merges, std::iter::empty(), page)
    }
}

// ---------------------------------------------------------------------------------------
// The streaming writer

/// What comes before the cells.
pub(super) struct Head<'c> {
    /// Column widths in Excel's character units, from column A.
    pub widths: &'c [f64],
    /// Rows frozen at the top.
    pub frozen_rows: u32,
    /// The tab shown when the workbook opens.
    pub selected: bool,
}

/// Page setup: A4, fitted to one page wide, centred, margins, the page-number footer.
pub(super) struct Page {
    pub landscape: bool,
}

/// An internal hyperlink: the cell, then the sheet it goes to (its A1 cell).
pub(super) struct Link<'s> {
    pub row: u32,
    pub col: u16,
    pub sheet: &'s str,
}

pub(super) struct SheetWriter<'o> {
    out: &'o mut dyn Write,
}

/// Excel's stored column width for a width in character units: the width in pixels of
/// 11 pt Calibri (7 px a digit, 5 px padding), as a multiple of 1/256 character.
fn stored_width(w: f64) -> f64 {
    if w <= 0.0 {
        return 0.0;
    }
    let px = if w < 1.0 {
        (w * 12.0).round()
    } else {
        (w * 7.0).round() + 5.0
    };
    (px / 7.0 * 256.0).trunc() / 256.0
}

impl<'o> SheetWriter<'o> {
    /// The sheet's header, up to the start of its rows. `extent` is the last row and
    /// column that hold a cell.
    pub(super) fn begin(
        out: &'o mut dyn Write,
        head: &Head<'_>,
        extent: (u32, u16),
    ) -> io::Result<Self> {
        out.write_all(super::package::DECL.as_bytes())?;
        out.write_all(br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref=""#)?;
        range_ref(out, 0, 0, extent.0, extent.1)?;
        out.write_all(br#""/><sheetViews><sheetView showGridLines="0""#)?;
        if head.selected {
            out.write_all(br#" tabSelected="1""#)?;
        }
        out.write_all(br#" workbookViewId="0">"#)?;
        if head.frozen_rows > 0 {
            write!(out, r#"<pane ySplit="{}" topLeftCell=""#, head.frozen_rows)?;
            cell_ref(out, head.frozen_rows, 0)?;
            out.write_all(
                br#"" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/>"#,
            )?;
        }
        out.write_all(br#"</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>"#)?;
        if !head.widths.is_empty() {
            out.write_all(b"<cols>")?;
            let mut c = 0;
            while c < head.widths.len() {
                let w = head.widths[c];
                let mut end = c;
                while end + 1 < head.widths.len() && head.widths[end + 1] == w {
                    end += 1;
                }
                write!(
                    out,
                    r#"<col min="{}" max="{}" width="{}" customWidth="1"/>"#,
                    c + 1,
                    end + 1,
                    stored_width(w)
                )?;
                c = end + 1;
            }
            out.write_all(b"</cols>")?;
        }
        out.write_all(b"<sheetData>")?;
        Ok(SheetWriter { out })
    }

    /// One row: its height (`None`: the default) and its cells in column order.
    pub(super) fn row<'a>(
        &mut self,
        r: u32,
        height: Option<f64>,
        cells: impl Iterator<Item = (u16, Cell<'a>)>,
        sst: &mut SharedStrings<'a>,
    ) -> io::Result<()> {
        let out = &mut *self.out;
        write!(out, r#"<row r="{}""#, r + 1)?;
        if let Some(h) = height {
            write!(out, r#" ht="{h}" customHeight="1""#)?;
        }
        out.write_all(b">")?;
        for (c, cell) in cells {
            out.write_all(b"<c r=\"")?;
            cell_ref(out, r, c)?;
            write!(out, r#"" s="{}""#, cell.style)?;
            match cell.value {
                Value::Blank => out.write_all(b"/>")?,
                Value::Text(s) if s.is_empty() => out.write_all(b"/>")?,
                Value::Text(s) => match sst.get(s) {
                    Ok(i) => write!(out, r#" t="s"><v>{i}</v></c>"#)?,
                    Err(s) => {
                        out.write_all(br#" t="inlineStr"><is>"#)?;
                        t_element(out, &s)?;
                        out.write_all(b"</is></c>")?;
                    }
                },
                Value::Number(v) => write!(out, "><v>{v}</v></c>")?,
                Value::Formula(f, cached) => {
                    out.write_all(b"><f>")?;
                    text(out, &f)?;
                    out.write_all(b"</f><v>")?;
                    text(out, &cached)?;
                    out.write_all(b"</v></c>")?;
                }
            }
        }
        out.write_all(b"</row>")
    }

    /// The merged areas, links and page setup after the rows.
    pub(super) fn end<'s>(
        self,
        merges: &[Merge],
        links: impl Iterator<Item = Link<'s>>,
        page: &Page,
    ) -> Result<(), XlsxError> {
        let out = self.out;
        out.write_all(b"</sheetData>")?;
        if !merges.is_empty() {
            write!(out, r#"<mergeCells count="{}">"#, merges.len())?;
            for m in merges {
                out.write_all(br#"<mergeCell ref=""#)?;
                range_ref(out, m.r0, m.c0, m.r1, m.c1)?;
                out.write_all(br#""/>"#)?;
            }
            out.write_all(b"</mergeCells>")?;
        }
        let mut links = links.peekable();
        if links.peek().is_some() {
            out.write_all(b"<hyperlinks>")?;
            for l in links {
                out.write_all(br#"<hyperlink ref=""#)?;
                cell_ref(out, l.row, l.col)?;
                out.write_all(br#"" location=""#)?;
                let mut quoted = Vec::new();
                super::package::quoted_sheet(&mut quoted, l.sheet)?;
                out.write_all(&quoted)?;
                out.write_all(br#"!A1" display=""#)?;
                attr(out, l.sheet)?;
                out.write_all(br#""/>"#)?;
            }
            out.write_all(b"</hyperlinks>")?;
        }
        write!(
            out,
            r#"<printOptions horizontalCentered="1"/><pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/><pageSetup paperSize="9" fitToHeight="0" orientation="{}" horizontalDpi="200" verticalDpi="200"/><headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter></worksheet>"#,
            if page.landscape {
                "landscape"
            } else {
                "portrait"
            }
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_widths_are_excels() {
        assert_eq!(stored_width(16.0), 16.7109375);
        assert_eq!(stored_width(7.0), 7.7109375);
        assert_eq!(stored_width(10.0), 10.7109375);
    }
}
