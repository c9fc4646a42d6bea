//! Workbooks (`.xlsx`, `.xls`, `.ods`) → rows of cells, one stream per sheet.
//!
//! calamine reads the values. A number cell is shown the way the spreadsheet shows it: for
//! `.xlsx` the cell's number format is read from the package (calamine keeps only whether
//! it is a date), so `8000` formatted `"≥"0.00"(件)"` reads as `≥8000.00(件)`, exactly as
//! perfspec's own workbook and finance systems print it. Other formats give the bare number.

use super::form::{Cell, Row};
use super::text::clean;
use super::{ImportError, Origin};
use crate::msg;
use calamine::{Data, Reader};
use quick_xml::events::Event;
use rust_decimal::prelude::*;
use std::collections::HashMap;
use std::io::{Cursor, Read};

pub(super) struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
    /// A summary sheet (汇总): the projects are read from their own sheets.
    pub is_summary: bool,
}

/// Zip (`.xlsx`, `.ods`) or OLE (`.xls`) signature.
pub(super) fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Sheet>, ImportError> {
    let mut wb =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
            let e = e.to_string();
            ImportError {
                message: msg!(
                    "无法读取工作簿（{e}）；支持 .xlsx、.xls、.ods",
                    "cannot read the workbook ({e}); .xlsx, .xls and .ods are supported"
                ),
            }
        })?;
    // Number formats only for .xlsx; a package that cannot be read for them still has its
    // values read by calamine.
    let formats = match &wb {
        calamine::Sheets::Xlsx(_) => XlsxFormats::read(bytes).unwrap_or_default(),
        _ => XlsxFormats::default(),
    };
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                let e = e.to_string();
                return Err(ImportError {
                    message: msg!(
                        "无法读取工作表 “{name}”（{e}）",
                        "cannot read sheet “{name}” ({e})"
                    ),
                });
            }
        };
        let sheet_formats = formats.sheets.get(&name);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Row> = Vec::new();
        for (ri, row) in range.rows().enumerate() {
            let r = r0 + ri as u32;
            let mut cells = Vec::new();
            for (ci, data) in row.iter().enumerate() {
                let c = c0 + ci as u32;
                let fmt = sheet_formats
                    .and_then(|m| m.get(&(r, c)))
                    .and_then(|s| formats.code_of(*s));
                let Some(raw) = cell_text(data, fmt) else {
                    continue;
                };
                let (text, hidden) = clean(&raw);
                if text.trim().is_empty() {
                    continue;
                }
                let reference = cell_ref(r, c);
                cells.push(Cell {
                    x: c.saturating_mul(1000),
                    text: text.trim().to_string(),
                    origin: Origin {
                        sheet: Some(name.clone()),
                        cell: Some(reference),
                        line: None,
                    },
                    hidden,
                });
            }
            if !cells.is_empty() {
                rows.push(Row {
                    origin: Origin {
                        sheet: Some(name.clone()),
                        cell: Some(cell_ref(r, cells[0].x / 1000)),
                        line: None,
                    },
                    cells,
                    columns: true,
                });
            }
        }
        let titled_summary = rows.iter().take(3).any(|r| {
            r.cells
                .iter()
                .any(|c| c.text.contains("汇总表") && !c.text.contains("申报表"))
        });
        out.push(Sheet {
            is_summary: name.contains("汇总") || titled_summary,
            name,
            rows,
        });
    }
    Ok(out)
}

/// `A1` notation for a 0-based cell.
fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    letters.reverse();
    let col: String = letters.into_iter().collect();
    format!("{col}{}", u64::from(row) + 1)
}

/// The text a cell shows; `None` for an empty one.
fn cell_text(d: &Data, fmt: Option<&str>) -> Option<String> {
    Some(match d {
        Data::Empty => return None,
        Data::String(s) => s.clone(),
        Data::Int(i) => match fmt.and_then(|f| format_number(Decimal::from(*i), f)) {
            Some(s) => s,
            None => i.to_string(),
        },
        // A date format calamine did not take for one (its literal text hides it).
        Data::Float(f) if fmt.is_some_and(is_date_format) => match serial_date(*f) {
            Some(date) => format!("{}{date}", fmt.map(date_prefix).unwrap_or_default()),
            None => format!("{f}"),
        },
        Data::Float(f) => {
            let exact = float_decimal(*f)?;
            match fmt.and_then(|code| format_number(exact, code)) {
                Some(s) => s,
                None => exact.normalize().to_string(),
            }
        }
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            // Durations are not dates; calamine tells them apart only with its `dates`
            // feature, and a form has no durations in date formats.
            match serial_date(dt.as_f64()) {
                Some(date) => {
                    let prefix = fmt.map(date_prefix).unwrap_or_default();
                    format!("{prefix}{date}")
                }
                None => dt.as_f64().to_string(),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    })
}

/// The decimal a spreadsheet number stands for: the shortest text that reads back as the
/// same f64 (how Excel itself shows it), never a binary expansion.
fn float_decimal(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    Decimal::from_str(&format!("{f}")).ok()
}

/// Excel's serial day (1900 system) → `YYYY-MM-DD`.
fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    // Serial 60 is Excel's non-existent 1900-02-29; from 61 on, day 0 is 1899-12-30.
    let unix_days = days - 25_569;
    let (y, m, d) = civil_from_days(unix_days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

// ---------------------------------------------------------------------------------------
// Number formats

/// The sections of a number format, split at `;` outside quotes and escapes.
fn sections(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            '\\' if !quoted => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ';' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

enum Tok {
    Lit(String),
    Digits { decimals: u32, grouped: bool },
    Percent,
}

/// Tokens of one section; `None` for what this reader does not render (dates, exponents,
/// text placeholders): the caller then shows the bare number.
fn tokens(section: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut chars = section.chars().peekable();
    let mut lit = String::new();
    let flush = |lit: &mut String, out: &mut Vec<Tok>| {
        if !lit.is_empty() {
            out.push(Tok::Lit(std::mem::take(lit)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    lit.push(q);
                }
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    lit.push(n);
                }
            }
            '[' => {
                // Colours and conditions: `[Red]`, `[>=100]`.
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '_' | '*' => {
                chars.next();
            }
            '0' | '#' | '?' | '.' | ',' => {
                flush(&mut lit, &mut out);
                let mut run = String::from(c);
                while let Some(&n) = chars.peek() {
                    if matches!(n, '0' | '#' | '?' | '.' | ',') {
                        run.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if !run.contains(['0', '#', '?']) {
                    lit.push_str(&run);
                    continue;
                }
                let (int, frac) = run.split_once('.').unwrap_or((&run, ""));
                let decimals = frac
                    .chars()
                    .filter(|c| matches!(c, '0' | '#' | '?'))
                    .count() as u32;
                out.push(Tok::Digits {
                    decimals,
                    grouped: int.trim_end_matches(',').contains(','),
                });
            }
            '%' => {
                flush(&mut lit, &mut out);
                out.push(Tok::Percent);
            }
            'E' | 'e' | '@' | 'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => {
                return None
            }
            c => lit.push(c),
        }
    }
    flush(&mut lit, &mut out);
    Some(out)
}

/// A number as a format code shows it (`"≥"0.00"(件)"` → `≥8000.00(件)`); `None` when the
/// code is General or beyond this reader.
fn format_number(v: Decimal, code: &str) -> Option<String> {
    if code.eq_ignore_ascii_case("general") || code.is_empty() {
        return None;
    }
    let secs = sections(code);
    let (section, value) = if v.is_sign_negative() && !v.is_zero() && secs.len() >= 2 {
        (secs[1].as_str(), v.abs())
    } else {
        (secs[0].as_str(), v)
    };
    let toks = tokens(section)?;
    let digits = toks
        .iter()
        .filter(|t| matches!(t, Tok::Digits { .. }))
        .count();
    if digits != 1 {
        return None;
    }
    let percent = toks.iter().any(|t| matches!(t, Tok::Percent));
    let value = if percent {
        value * Decimal::from(100)
    } else {
        value
    };
    let mut out = String::new();
    for t in &toks {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Percent => out.push('%'),
            Tok::Digits { decimals, grouped } => {
                let mut r =
                    value.round_dp_with_strategy(*decimals, RoundingStrategy::MidpointAwayFromZero);
                r.rescale(*decimals);
                let s = r.to_string();
                if *grouped {
                    let (sign, body) = s.strip_prefix('-').map(|b| ("-", b)).unwrap_or(("", &s));
                    let (int, frac) = body
                        .split_once('.')
                        .map(|(a, b)| (a, Some(b)))
                        .unwrap_or((body, None));
                    out.push_str(sign);
                    for (i, ch) in int.chars().enumerate() {
                        if i > 0 && (int.len() - i) % 3 == 0 {
                            out.push(',');
                        }
                        out.push(ch);
                    }
                    if let Some(f) = frac {
                        out.push('.');
                        out.push_str(f);
                    }
                } else {
                    out.push_str(&s);
                }
            }
        }
    }
    Some(out)
}

/// The literal text before the date in a date format (`"≤"yyyy-mm-dd` → `≤`).
fn date_prefix(code: &str) -> String {
    let section = sections(code).into_iter().next().unwrap_or_default();
    let mut out = String::new();
    let mut chars = section.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                    out.push(q);
                }
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            _ => break,
        }
    }
    out
}

/// Whether a format shows a date: year or day codes outside quoted literals.
fn is_date_format(code: &str) -> bool {
    let section = sections(code).into_iter().next().unwrap_or_default();
    let mut chars = section.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            'y' | 'Y' | 'd' | 'D' => return true,
            _ => {}
        }
    }
    false
}

/// Built-in number formats that matter for values (ECMA-376 §18.8.30).
fn builtin_code(id: u32) -> Option<&'static str> {
    Some(match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        _ => return None,
    })
}

/// Number formats of an `.xlsx` package: per sheet, cell → style index; style → code.
#[derive(Default)]
struct XlsxFormats {
    /// Style index → number format id.
    xf_numfmt: Vec<u32>,
    custom: HashMap<u32, String>,
    sheets: HashMap<String, HashMap<(u32, u32), usize>>,
}

impl XlsxFormats {
    fn code_of(&self, style: usize) -> Option<&str> {
        let id = *self.xf_numfmt.get(style)?;
        self.custom
            .get(&id)
            .map(String::as_str)
            .or_else(|| builtin_code(id))
    }

    fn read(bytes: &[u8]) -> Option<XlsxFormats> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let mut part = |name: &str| -> Option<String> {
            let mut f = zip.by_name(name).ok()?;
            // A package part larger than this is not from a form.
            if f.size() > 256 * 1024 * 1024 {
                return None;
            }
            let mut s = String::new();
            f.read_to_string(&mut s).ok()?;
            Some(s)
        };
        let mut out = XlsxFormats::default();
        if let Some(styles) = part("xl/styles.xml") {
            out.read_styles(&styles);
        }
        let workbook = part("xl/workbook.xml")?;
        let rels = part("xl/_rels/workbook.xml.rels")?;
        let targets = relationships(&rels);
        for (name, rid) in sheet_list(&workbook) {
            let Some(target) = targets.get(&rid) else {
                continue;
            };
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            if let Some(xml) = part(&path) {
                out.sheets.insert(name, cell_styles(&xml));
            }
        }
        Some(out)
    }

    fn read_styles(&mut self, xml: &str) {
        let mut r = quick_xml::Reader::from_str(xml);
        let dec = r.decoder();
        let mut in_xfs = false;
        loop {
            match r.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                    let local = e.local_name();
                    match local.as_ref() {
                        b"numFmt" => {
                            let (mut id, mut code) = (None, None);
                            for a in e.attributes().flatten() {
                                match a.key.local_name().as_ref() {
                                    b"numFmtId" => id = attr_u32(&a, dec),
                                    b"formatCode" => code = attr_string(&a, dec),
                                    _ => {}
                                }
                            }
                            if let (Some(id), Some(code)) = (id, code) {
                                self.custom.insert(id, code);
                            }
                        }
                        b"cellXfs" => in_xfs = true,
                        b"xf" if in_xfs => {
                            let id = e
                                .attributes()
                                .flatten()
                                .find(|a| a.key.local_name().as_ref() == b"numFmtId")
                                .and_then(|a| attr_u32(&a, dec))
                                .unwrap_or(0);
                            self.xf_numfmt.push(id);
                        }
                        _ => {}
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
}

type Attr<'a> = quick_xml::events::attributes::Attribute<'a>;
type Decoder = quick_xml::encoding::Decoder;

fn attr_u32(a: &Attr<'_>, dec: Decoder) -> Option<u32> {
    a.decode_and_unescape_value(dec).ok()?.trim().parse().ok()
}

fn attr_string(a: &Attr<'_>, dec: Decoder) -> Option<String> {
    a.decode_and_unescape_value(dec)
        .ok()
        .map(|v| v.into_owned())
}

/// `rId` → target path, from `xl/_rels/workbook.xml.rels`.
fn relationships(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let dec = r.decoder();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let (mut id, mut target) = (None, None);
                for a in e.attributes().flatten() {
                    match a.key.local_name().as_ref() {
                        b"Id" => id = attr_string(&a, dec),
                        b"Target" => target = attr_string(&a, dec),
                        _ => {}
                    }
                }
                if let (Some(i), Some(t)) = (id, target) {
                    out.insert(i, t);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// (sheet name, rId) in workbook order.
fn sheet_list(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let dec = r.decoder();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"sheet" => {
                let (mut name, mut rid) = (None, None);
                for a in e.attributes().flatten() {
                    match (a.key.local_name().as_ref(), a.key.prefix().is_some()) {
                        (b"name", _) => name = attr_string(&a, dec),
                        (b"id", true) => rid = attr_string(&a, dec),
                        _ => {}
                    }
                }
                if let (Some(n), Some(i)) = (name, rid) {
                    out.push((n, i));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Cell → style index of one sheet's XML, for cells that have a style.
fn cell_styles(xml: &str) -> HashMap<(u32, u32), usize> {
    let mut out = HashMap::new();
    let mut r = quick_xml::Reader::from_str(xml);
    let dec = r.decoder();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"c" => {
                let (mut at, mut style) = (None, None);
                for a in e.attributes().flatten() {
                    match a.key.local_name().as_ref() {
                        b"r" => at = attr_string(&a, dec).and_then(|s| parse_ref(&s)),
                        b"s" => style = attr_u32(&a, dec),
                        _ => {}
                    }
                }
                if let (Some(at), Some(s)) = (at, style) {
                    out.insert(at, s as usize);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// `F12` → (11, 5).
fn parse_ref(s: &str) -> Option<(u32, u32)> {
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let mut col = 0u32;
    for c in letters.chars() {
        col = col
            .checked_mul(26)?
            .checked_add(c as u32 - 'A' as u32 + 1)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn number_formats_as_shown() {
        assert_eq!(
            format_number(d("8000"), "\"≥\"0.00\"(件)\";\"≥-\"0.00\"(件)\"").as_deref(),
            Some("≥8000.00(件)")
        );
        assert_eq!(
            format_number(d("-5"), "\"≥\"0.00\"(%)\";\"≥-\"0.00\"(%)\"").as_deref(),
            Some("≥-5.00(%)")
        );
        assert_eq!(
            format_number(d("95"), "\"=\"0;\"=-\"0").as_deref(),
            Some("=95")
        );
        assert_eq!(
            format_number(d("991823"), "#,##0.00").as_deref(),
            Some("991,823.00")
        );
        assert_eq!(format_number(d("0.125"), "0.00").as_deref(), Some("0.13"));
        assert_eq!(format_number(d("0.9"), "0%").as_deref(), Some("90%"));
        assert_eq!(format_number(d("1"), "General"), None);
        assert_eq!(format_number(d("1"), "yyyy-mm-dd"), None);
        assert_eq!(date_prefix("\"≤\"yyyy-mm-dd"), "≤");
        assert!(is_date_format("\"≤\"yyyy-mm-dd"));
        assert!(!is_date_format("\"≥\"0.00\"(天)\""));
    }

    #[test]
    fn dates_and_refs() {
        assert_eq!(serial_date(46023.0).as_deref(), Some("2026-01-01"));
        assert_eq!(serial_date(46387.0).as_deref(), Some("2026-12-31"));
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 27), "AB12");
        assert_eq!(parse_ref("AB12"), Some((11, 27)));
        assert_eq!(parse_ref("12"), None);
        assert_eq!(
            float_decimal(0.1).map(|v| v.to_string()).as_deref(),
            Some("0.1")
        );
    }
}
