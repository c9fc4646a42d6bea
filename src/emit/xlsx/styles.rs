//! The cell formats of the workbook and `xl/styles.xml`.
//!
//! The fixed formats of the form have fixed indices ([`Style`]); the value column's number
//! formats (`"≥"0.00"(件)"` and the like) are added as they are met, so their indices
//! depend only on the order of the model. Every format carries the CJK font, so no cell
//! falls back to Calibri.

use super::package::attr;
use std::collections::HashMap;
use std::io::{self, Write};

/// Index of a cell format (`s="…"` on a cell).
pub(super) type Style = u32;

// The fixed formats, in the order of `FIXED` below (0 is Excel's default format).
pub(super) const TITLE: Style = 1;
pub(super) const SUBTITLE: Style = 2;
pub(super) const HEADER: Style = 3;
pub(super) const COUNT: Style = 4;
pub(super) const TEXT: Style = 5;
/// Labels of the form and centred values: one format.
pub(super) const CENTERED: Style = 6;
pub(super) const LABEL: Style = CENTERED;
pub(super) const MONEY: Style = 7;
pub(super) const LINK: Style = 8;
pub(super) const CHECK_LABEL: Style = 9;
pub(super) const CHECK_MONEY: Style = 10;
pub(super) const CHECK_COUNT: Style = 11;
pub(super) const DATE: Style = 12;
pub(super) const HELPER: Style = 13;

/// Fonts, by index: 0 is the workbook default (Calibri, for empty cells), the rest SimSun.
const FONTS: [&str; 8] = [
    r#"<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>"#,
    r#"<font><b/><sz val="18"/><color theme="1"/><name val="SimSun"/><family val="2"/><charset val="134"/></font>"#,
    r#"<font><sz val="12"/><color theme="1"/><name val="SimSun"/><family val="2"/><charset val="134"/></font>"#,
    r#"<font><b/><sz val="11"/><color theme="1"/><name val="SimSun"/><family val="2"/><charset val="134"/></font>"#,
    r#"<font><sz val="11"/><color theme="1"/><name val="SimSun"/><family val="2"/><charset val="134"/></font>"#,
    r#"<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="SimSun"/><family val="2"/><charset val="134"/></font>"#,
    r#"<font><i/><sz val="11"/><color theme="1"/><name val="SimSun"/><family val="2"/><charset val="134"/></font>"#,
    r#"<font><sz val="11"/><color rgb="FF808080"/><name val="SimSun"/><family val="2"/><charset val="134"/></font>"#,
];
const F_TITLE: u8 = 1;
const F_SUBTITLE: u8 = 2;
const F_BOLD: u8 = 3;
const F_REGULAR: u8 = 4;
const F_LINK: u8 = 5;
const F_ITALIC: u8 = 6;
const F_GREY: u8 = 7;

/// The number formats the fixed formats use; custom formats are numbered from 164.
const FMT_COUNT: &str = "0";
const FMT_MONEY: &str = "#,##0.00";
const FMT_DATE: &str = "yyyy-mm-dd";

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Align {
    Left,
    Center,
    Right,
    /// Vertical centring only.
    Default,
}

/// One cell format: font, thin box or none, alignment, wrapping, number format.
#[derive(Clone, Copy)]
struct Xf {
    font: u8,
    boxed: bool,
    align: Align,
    indent: bool,
    wrap: bool,
    /// Index into [`Styles::formats`], or `None` for General.
    num_fmt: Option<usize>,
}

const fn plain(font: u8, align: Align) -> Xf {
    Xf {
        font,
        boxed: false,
        align,
        indent: false,
        wrap: false,
        num_fmt: None,
    }
}

/// Thin borders and wrapped text: every cell of the form.
const fn boxed(font: u8, align: Align) -> Xf {
    Xf {
        font,
        boxed: true,
        align,
        indent: false,
        wrap: true,
        num_fmt: None,
    }
}

const fn with_fmt(x: Xf, i: usize) -> Xf {
    Xf {
        num_fmt: Some(i),
        ..x
    }
}

/// The workbook's formats: the fixed ones, then one per value-column number format.
pub(super) struct Styles {
    xfs: Vec<Xf>,
    formats: Vec<String>,
    /// Formats added as they are met, by number format code (or another key).
    by_format: HashMap<String, Style>,
}

impl Styles {
    pub(super) fn new() -> Self {
        let formats = vec![
            FMT_COUNT.to_string(),
            FMT_MONEY.to_string(),
            FMT_DATE.to_string(),
        ];
        let (count, money, date) = (0, 1, 2);
        let mut text = boxed(F_REGULAR, Align::Left);
        text.indent = true;
        let xfs = vec![
            plain(0, Align::Default),
            plain(F_TITLE, Align::Center),
            plain(F_SUBTITLE, Align::Center),
            boxed(F_BOLD, Align::Center),
            with_fmt(boxed(F_REGULAR, Align::Center), count),
            text,
            boxed(F_REGULAR, Align::Center),
            with_fmt(boxed(F_REGULAR, Align::Right), money),
            boxed(F_LINK, Align::Left),
            plain(F_ITALIC, Align::Center),
            with_fmt(plain(F_ITALIC, Align::Right), money),
            with_fmt(plain(F_ITALIC, Align::Center), count),
            with_fmt(boxed(F_REGULAR, Align::Center), date),
            plain(F_GREY, Align::Default),
        ];
        debug_assert_eq!(xfs.len() as Style, HELPER + 1);
        Styles {
            xfs,
            formats,
            by_format: HashMap::new(),
        }
    }

    /// The format of a value cell with number format `code` (boxed, centred): the same
    /// index for the same code.
    pub(super) fn value(&mut self, code: String) -> Style {
        self.custom(code.clone(), Some(code), boxed(F_REGULAR, Align::Center))
    }

    /// A boxed number format `code`, right-aligned (amounts) or centred (scores, rates).
    /// Added the first time it is used, like [`Styles::value`]: a workbook that never uses
    /// it keeps exactly the formats it had.
    pub(super) fn number(&mut self, code: &str, right: bool) -> Style {
        let (key, align) = if right {
            (format!("\u{0}right:{code}"), Align::Right)
        } else {
            (code.to_string(), Align::Center)
        };
        self.custom(key, Some(code.to_string()), boxed(F_REGULAR, align))
    }

    /// A boxed, centred, grey note in place of a value (`未计分`).
    pub(super) fn note(&mut self) -> Style {
        self.custom("\u{0}note".to_string(), None, boxed(F_GREY, Align::Center))
    }

    /// A plain (unboxed) wrapped text line under a form: a footnote.
    pub(super) fn footnote(&mut self) -> Style {
        let mut x = plain(F_REGULAR, Align::Left);
        x.wrap = true;
        self.custom("\u{0}footnote".to_string(), None, x)
    }

    /// The format registered under `key`, added on first use with number format `code`.
    fn custom(&mut self, key: String, code: Option<String>, xf: Xf) -> Style {
        if let Some(s) = self.by_format.get(&key) {
            return *s;
        }
        let xf = match code {
            Some(code) => {
                let i = self.formats.len();
                self.formats.push(code);
                with_fmt(xf, i)
            }
            None => xf,
        };
        let s = self.xfs.len() as Style;
        self.xfs.push(xf);
        self.by_format.insert(key, s);
        s
    }

    /// `xl/styles.xml`.
    pub(super) fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(super::package::DECL.as_bytes())?;
        write!(
            out,
            r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="{}">"#,
            self.formats.len()
        )?;
        for (i, code) in self.formats.iter().enumerate() {
            write!(out, r#"<numFmt numFmtId="{}" formatCode=""#, 164 + i)?;
            attr(out, code)?;
            out.write_all(b"\"/>")?;
        }
        write!(out, r#"</numFmts><fonts count="{}">"#, FONTS.len())?;
        for f in FONTS {
            out.write_all(f.as_bytes())?;
        }
        out.write_all(concat!(
            r#"</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
            r#"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>"#,
            r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        ).as_bytes())?;
        write!(out, r#"<cellXfs count="{}">"#, self.xfs.len())?;
        for (i, x) in self.xfs.iter().enumerate() {
            if i == 0 {
                out.write_all(
                    br#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
                )?;
                continue;
            }
            let fmt = x.num_fmt.map_or(0, |f| 164 + f);
            write!(
                out,
                r#"<xf numFmtId="{fmt}" fontId="{}" fillId="0" borderId="{}" xfId="0""#,
                x.font,
                u8::from(x.boxed)
            )?;
            if x.num_fmt.is_some() {
                out.write_all(br#" applyNumberFormat="1""#)?;
            }
            out.write_all(br#" applyFont="1""#)?;
            if x.boxed {
                out.write_all(br#" applyBorder="1""#)?;
            }
            out.write_all(br#" applyAlignment="1"><alignment"#)?;
            match x.align {
                Align::Left => out.write_all(br#" horizontal="left""#)?,
                Align::Center => out.write_all(br#" horizontal="center""#)?,
                Align::Right => out.write_all(br#" horizontal="right""#)?,
                Align::Default => {}
            }
            out.write_all(br#" vertical="center""#)?;
            if x.indent {
                out.write_all(br#" indent="1""#)?;
            }
            if x.wrap {
                out.write_all(br#" wrapText="1""#)?;
            }
            out.write_all(b"/></xf>")?;
        }
        out.write_all(concat!(
            r#"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
            r#"<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>"#
        ).as_bytes())
    }
}
