//! The zip container and the small fixed parts of the package: content types,
//! relationships, theme, document properties, and the XML escaping every part uses.
//!
//! Every entry is deflated with a fixed timestamp (1980-01-01 00:00, the zip epoch) and fixed
//! permissions, and the entries are always written in the same order, so the same workbook
//! gives the same bytes.

use super::XlsxError;
use std::io::{self, BufWriter, Seek, Write};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

/// Buffer between the XML writers and the deflater: one sheet's XML is a few KB, the
/// summary of a city a few MB; either goes through in pieces of this size.
const PART_BUFFER: usize = 64 * 1024;

/// The zip being written.
pub(super) struct Package<W: Write + Seek> {
    zip: ZipWriter<W>,
    options: SimpleFileOptions,
}

impl<W: Write + Seek> Package<W> {
    pub(super) fn new(out: W) -> Self {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o600)
            .last_modified_time(zip::DateTime::default())
            .large_file(false);
        Package {
            zip: ZipWriter::new(out),
            options,
        }
    }

    /// Write one part: `body` gets a buffered writer into the part's zip entry.
    pub(super) fn part<F>(&mut self, name: &str, body: F) -> Result<(), XlsxError>
    where
        F: FnOnce(&mut dyn Write) -> Result<(), XlsxError>,
    {
        self.zip.start_file(name, self.options)?;
        let mut w = BufWriter::with_capacity(PART_BUFFER, &mut self.zip);
        body(&mut w)?;
        w.flush()?;
        Ok(())
    }

    /// Write the central directory; the writer is left positioned after it.
    pub(super) fn finish(self) -> Result<(), XlsxError> {
        let mut out = self.zip.finish()?;
        out.flush()?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// XML escaping

/// Text content of an element, escaped the way Excel writes it: `& < >` as entities,
/// characters XML 1.0 cannot hold (controls other than tab and newline, U+FFFE, U+FFFF) as
/// `_xHHHH_`, and a literal `_xHHHH_` in the text with its underscore escaped (`_x005F`),
/// so a reader gives back exactly the text written.
pub(super) fn text(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    let flush = |out: &mut dyn Write, from: usize, to: usize| out.write_all(&bytes[from..to]);
    for (i, c) in s.char_indices() {
        let rep: Option<std::borrow::Cow<'static, str>> = match c {
            '&' => Some("&amp;".into()),
            '<' => Some("&lt;".into()),
            '>' => Some("&gt;".into()),
            '\t' | '\n' => None,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {
                Some(format!("_x{:04X}_", c as u32).into())
            }
            '_' if is_escape_sequence(&bytes[i..]) => Some("_x005F_".into()),
            _ => None,
        };
        if let Some(rep) = rep {
            flush(out, start, i)?;
            out.write_all(rep.as_bytes())?;
            start = i + c.len_utf8();
        }
    }
    flush(out, start, bytes.len())
}

/// `_xHHHH_` at the start of `b` (four hex digits).
fn is_escape_sequence(b: &[u8]) -> bool {
    b.len() >= 7 && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// An attribute value: `& " < >` as entities, a newline as `&#xA;`, and characters XML
/// cannot hold at all replaced by U+FFFD (they can only come from a unit spelling in a
/// number format, and the checker warns about them).
pub(super) fn attr(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let rep = match c {
            '&' => "&amp;",
            '"' => "&quot;",
            '<' => "&lt;",
            '>' => "&gt;",
            '\n' => "&#xA;",
            '\t' | '\r' => continue,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => "\u{fffd}",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(rep.as_bytes())?;
        start = i + c.len_utf8();
    }
    out.write_all(&bytes[start..])
}

/// A sheet name as it appears in a reference: always quoted, `'` doubled.
pub(super) fn quoted_sheet(out: &mut dyn Write, name: &str) -> io::Result<()> {
    out.write_all(b"'")?;
    for (i, part) in name.split('\'').enumerate() {
        if i > 0 {
            out.write_all(b"''")?;
        }
        attr(out, part)?;
    }
    out.write_all(b"'")
}

/// Column letters of a 0-based column (0 → A, 26 → AA).
pub(super) fn col_letters(col: u16) -> String {
    let mut c = u32::from(col);
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A cell reference such as `F13` (0-based row and column).
pub(super) fn cell_ref(out: &mut dyn Write, row: u32, col: u16) -> io::Result<()> {
    write!(out, "{}{}", col_letters(col), row + 1)
}

/// `A1:F27`, or `A1` for one cell.
pub(super) fn range_ref(out: &mut dyn Write, r0: u32, c0: u16, r1: u32, c1: u16) -> io::Result<()> {
    cell_ref(out, r0, c0)?;
    if (r0, c0) != (r1, c1) {
        out.write_all(b":")?;
        cell_ref(out, r1, c1)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Fixed parts

pub(super) const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
"#;
const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const CT: &str = "application/vnd.openxmlformats-officedocument";

/// The default Office theme (fonts and colours the styles refer to with `theme="1"`), as
/// Excel and rust_xlsxwriter write it.
pub(super) const THEME: &str = include_str!("theme1.xml");

pub(super) fn content_types(out: &mut dyn Write, sheets: usize) -> io::Result<()> {
    out.write_all(DECL.as_bytes())?;
    write!(
        out,
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/docProps/app.xml" ContentType="{CT}.extended-properties+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/xl/styles.xml" ContentType="{CT}.spreadsheetml.styles+xml"/><Override PartName="/xl/theme/theme1.xml" ContentType="{CT}.theme+xml"/><Override PartName="/xl/workbook.xml" ContentType="{CT}.spreadsheetml.sheet.main+xml"/>"#
    )?;
    for i in 1..=sheets {
        write!(
            out,
            r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{CT}.spreadsheetml.worksheet+xml"/>"#
        )?;
    }
    write!(
        out,
        r#"<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.spreadsheetml.sharedStrings+xml"/></Types>"#
    )
}

pub(super) fn root_rels(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(DECL.as_bytes())?;
    write!(
        out,
        r#"<Relationships xmlns="{NS_PKG_REL}"><Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{NS_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{NS_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    )
}

pub(super) fn workbook_rels(out: &mut dyn Write, sheets: usize) -> io::Result<()> {
    out.write_all(DECL.as_bytes())?;
    write!(out, r#"<Relationships xmlns="{NS_PKG_REL}">"#)?;
    for i in 1..=sheets {
        write!(
            out,
            r#"<Relationship Id="rId{i}" Type="{NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>"#
        )?;
    }
    let n = sheets;
    write!(
        out,
        r#"<Relationship Id="rId{}" Type="{NS_REL}/theme" Target="theme/theme1.xml"/><Relationship Id="rId{}" Type="{NS_REL}/styles" Target="styles.xml"/><Relationship Id="rId{}" Type="{NS_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        n + 1,
        n + 2,
        n + 3
    )
}

/// What the workbook part needs to know of a sheet: its name and its print area's last
/// row and column (0-based), and how many rows repeat at the top of each printed page.
pub(super) struct SheetEntry {
    pub last_row: u32,
    pub last_col: u16,
    pub title_rows: u32,
}

/// `xl/workbook.xml`: the sheets in order, then each sheet's print area and print titles
/// as defined names.
pub(super) fn workbook(
    out: &mut dyn Write,
    names: &[String],
    entries: &[SheetEntry],
) -> io::Result<()> {
    out.write_all(DECL.as_bytes())?;
    write!(
        out,
        r#"<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion="124226"/><bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews><sheets>"#
    )?;
    for (i, name) in names.iter().enumerate() {
        out.write_all(b"<sheet name=\"")?;
        attr(out, name)?;
        write!(out, r#"" sheetId="{}" r:id="rId{}"/>"#, i + 1, i + 1)?;
    }
    out.write_all(b"</sheets><definedNames>")?;
    for (i, (name, e)) in names.iter().zip(entries).enumerate() {
        write!(
            out,
            r#"<definedName name="_xlnm.Print_Area" localSheetId="{i}">"#
        )?;
        quoted_sheet(out, name)?;
        write!(
            out,
            "!$A$1:${}${}</definedName>",
            col_letters(e.last_col),
            e.last_row + 1
        )?;
    }
    for (i, (name, e)) in names.iter().zip(entries).enumerate() {
        write!(
            out,
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="{i}">"#
        )?;
        quoted_sheet(out, name)?;
        write!(out, "!$1:${}</definedName>", e.title_rows)?;
    }
    out.write_all(br#"</definedNames><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>"#)
}

/// `docProps/core.xml`: the title and the fixed creation date (also the modification date).
pub(super) fn core(out: &mut dyn Write, title: &str, created: &str) -> io::Result<()> {
    out.write_all(DECL.as_bytes())?;
    out.write_all(br#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>"#)?;
    text(out, title)?;
    write!(
        out,
        r#"</dc:title><dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified></cp:coreProperties>"#
    )
}

/// `docProps/app.xml`: the sheet names and the defined names, as Excel lists them.
pub(super) fn app(out: &mut dyn Write, names: &[String]) -> io::Result<()> {
    let n = names.len();
    out.write_all(DECL.as_bytes())?;
    write!(
        out,
        r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="4" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{n}</vt:i4></vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant><vt:i4>{}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{}" baseType="lpstr">"#,
        2 * n,
        3 * n
    )?;
    for name in names {
        out.write_all(b"<vt:lpstr>")?;
        text(out, name)?;
        out.write_all(b"</vt:lpstr>")?;
    }
    for what in ["Print_Area", "Print_Titles"] {
        for name in names {
            out.write_all(b"<vt:lpstr>")?;
            let mut quoted = Vec::new();
            quoted_sheet(&mut quoted, name)?;
            out.write_all(&quoted)?;
            write!(out, "!{what}</vt:lpstr>")?;
        }
    }
    out.write_all(b"</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>")
}

/// `YYYY-MM-DDTHH:MM:SSZ` of Unix seconds (0 ..= 9999-12-31T23:59:59).
pub(super) fn w3c_datetime(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant).
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub(super) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        let mut v = Vec::new();
        text(&mut v, s).unwrap_or_default();
        String::from_utf8(v).unwrap_or_default()
    }

    fn a(s: &str) -> String {
        let mut v = Vec::new();
        attr(&mut v, s).unwrap_or_default();
        String::from_utf8(v).unwrap_or_default()
    }

    #[test]
    fn text_escapes_like_excel() {
        assert_eq!(t("a<b>&c \"d\""), "a&lt;b&gt;&amp;c \"d\"");
        assert_eq!(t("x\u{1b}y\r\n\tz"), "x_x001B_y_x000D_\n\tz");
        assert_eq!(
            t("_x0041_ and _x12_ and _xZZZZ_"),
            "_x005F_x0041_ and _x12_ and _xZZZZ_"
        );
        assert_eq!(t("\u{fffe}绿"), "_xFFFE_绿");
    }

    #[test]
    fn attributes_and_sheet_references() {
        assert_eq!(a("a\"b\nc\u{1}"), "a&quot;b&#xA;c\u{fffd}");
        let mut v = Vec::new();
        quoted_sheet(&mut v, "it's").unwrap_or_default();
        assert_eq!(String::from_utf8(v).unwrap_or_default(), "'it''s'");
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(701), "ZZ");
    }

    #[test]
    fn dates() {
        assert_eq!(w3c_datetime(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(w3c_datetime(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(w3c_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(w3c_datetime(253_402_300_799), "9999-12-31T23:59:59Z");
        for days in [-25_567, -1, 0, 59, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
