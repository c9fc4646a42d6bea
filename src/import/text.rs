//! Text copied out of a PDF or Word table → rows of cells.
//!
//! Word copies separate cells with tabs; PDF copies align them with runs of spaces. A cell
//! boundary is a tab, or white space at least two columns wide (two spaces, one full-width
//! space); a single space stays inside the cell (`对除六个公园以外的 16 家直属单位…`).

use super::form::{Cell, Row};
use super::{ImportError, Origin};
use crate::msg;
use unicode_width::UnicodeWidthChar;

/// Bytes → text: UTF-8 (with or without a byte-order mark) or UTF-16 with one, as Windows
/// tools save it. Anything else is refused rather than guessed at.
pub(super) fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String, ImportError> {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| {
                let pair = [c[0], c.get(1).copied().unwrap_or(0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| ImportError {
            message: msg!(
                "文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文本",
                "the file starts with a UTF-16 mark but is not valid UTF-16 text"
            ),
        })
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true).and_then(no_nul);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false).and_then(no_nul);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => no_nul(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            Err(ImportError {
                message: msg!(
                    "既不是工作簿（.xlsx/.xls/.ods），也不是 UTF-8 文本（第 {at} 字节处编码无效）；GBK 文本请先转换：iconv -f GBK -t UTF-8",
                    "neither a workbook (.xlsx/.xls/.ods) nor UTF-8 text (invalid byte at offset {at}); convert GBK text first: iconv -f GBK -t UTF-8"
                ),
            })
        }
    }
}

fn no_nul(s: String) -> Result<String, ImportError> {
    if s.contains('\0') {
        return Err(ImportError {
            message: msg!(
                "文件含 NUL 字节，像是二进制文件，不是文本或工作簿",
                "the file contains NUL bytes: binary, neither text nor a workbook"
            ),
        });
    }
    Ok(s)
}

/// Invisible characters that change how text reads without showing: removed from cells
/// (and reported), since a copy from Word often carries them.
pub(crate) use crate::vocab::chars::is_invisible as is_hidden;

/// A cell's text with invisible characters removed, and the characters removed.
pub(super) fn clean(s: &str) -> (String, Vec<char>) {
    let mut hidden = Vec::new();
    let text: String = s
        .chars()
        .filter(|c| {
            let h = is_hidden(*c);
            if h && !hidden.contains(c) {
                hidden.push(*c);
            }
            !h
        })
        .collect();
    (text, hidden)
}

fn is_space(c: char) -> bool {
    super::value::is_space(c)
}

/// Segments of `s` split at white space two or more columns wide: (display offset, text).
fn split_wide(s: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut col = 0u32;
    let mut cur = String::new();
    let mut cur_start = 0u32;
    let mut gap = String::new();
    let mut gap_width = 0u32;
    for c in s.chars() {
        let w = c.width().unwrap_or(0) as u32;
        if is_space(c) {
            gap.push(c);
            gap_width += w.max(1);
        } else {
            if !gap.is_empty() {
                if gap_width >= 2 || cur.is_empty() {
                    if !cur.is_empty() {
                        out.push((cur_start, std::mem::take(&mut cur)));
                    }
                } else {
                    cur.push_str(&gap);
                }
                gap.clear();
                gap_width = 0;
            }
            if cur.is_empty() {
                cur_start = col;
            }
            cur.push(c);
        }
        col += w.max(u32::from(is_space(c)));
    }
    if !cur.is_empty() {
        out.push((cur_start, cur));
    }
    out
}

/// One line → its cells.
fn cells_of(line: &str, origin: &Origin) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut push = |x: u32, raw: &str| {
        let (text, hidden) = clean(raw);
        let text = text.trim_matches(is_space).to_string();
        if !text.is_empty() {
            out.push(Cell {
                x,
                text,
                origin: origin.clone(),
                hidden,
            });
        }
    };
    if line.contains('\t') {
        for (col, part) in line.split('\t').enumerate() {
            for (off, seg) in split_wide(part) {
                let col = u32::try_from(col).unwrap_or(u32::MAX / 1000);
                push(col.saturating_mul(1000).saturating_add(off.min(999)), &seg);
            }
        }
    } else {
        for (off, seg) in split_wide(line) {
            push(off, &seg);
        }
    }
    out
}

/// A table copied as text with `|` between its cells (`产出指标 | 数量指标 | 名称 | ≥ | 30 |
/// ||`, as web page stores and Markdown print tables): the line with tabs between the cells
/// instead, the runs of `|` that stand for empty cells kept as empty columns. Pipes at the
/// start and the end of the line close the row and say nothing. `None` for a line without a
/// pipe, or one that already has tabs.
fn pipe_cells(line: &str) -> Option<String> {
    if line.contains('\t') || !line.contains('|') {
        return None;
    }
    // A lone `|`: an empty cell of a table printed one cell per line (kept, so the cells
    // after it stay in their columns).
    if line.trim_matches(is_space) == "|" {
        return Some("|".to_string());
    }
    let t = line
        .trim_matches(|c: char| is_space(c) || c == '|' || c == '｜')
        .to_string();
    Some(
        t.split(['|', '｜'])
            .map(|p| p.trim_matches(is_space))
            .collect::<Vec<_>>()
            .join("\t"),
    )
}

/// Text → rows, one per non-blank line (LF, CRLF or CR line ends).
pub(super) fn rows(text: &str) -> Vec<Row> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    // Line numbers count LF, CRLF and lone CR as one line end each.
    let mut line_no = 0usize;
    let mut rest = text;
    while !rest.is_empty() {
        line_no += 1;
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        let mut next = end;
        if rest[end..].starts_with("\r\n") {
            next += 2;
        } else if end < rest.len() {
            next += 1;
        }
        rest = &rest[next..];
        let origin = Origin::line(line_no);
        let piped = pipe_cells(line);
        let line = piped.as_deref().unwrap_or(line);
        let cells = cells_of(line, &origin);
        if !cells.is_empty() {
            let columns = line.contains('\t');
            out.push(Row {
                cells,
                origin,
                columns,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_by_tabs_and_wide_spaces() {
        let o = Origin::line(1);
        let texts =
            |l: &str| -> Vec<String> { cells_of(l, &o).into_iter().map(|c| c.text).collect() };
        assert_eq!(
            texts("\t\t数量指标\t对除六个公园以外的 16 家直属单位\t=48.00(次)\t"),
            vec!["数量指标", "对除六个公园以外的 16 家直属单位", "=48.00(次)"]
        );
        assert_eq!(
            texts("项目名称   热线服务保障经费  项目性质\u{3000}其他经常性项目"),
            vec!["项目名称", "热线服务保障经费", "项目性质", "其他经常性项目"]
        );
        let cells = cells_of("a\u{200B}b\tc", &o);
        assert_eq!(cells[0].text, "ab");
        assert_eq!(cells[0].hidden, vec!['\u{200B}']);
        assert!(cells[1].x > cells[0].x);
    }

    #[test]
    fn cells_between_pipes() {
        assert_eq!(
            pipe_cells("产出指标 | 数量指标 | 名称 | ≥ | 30 | ||").as_deref(),
            Some("产出指标\t数量指标\t名称\t≥\t30")
        );
        assert_eq!(
            pipe_cells("雾炮车降尘抑尘服务 |").as_deref(),
            Some("雾炮车降尘抑尘服务")
        );
        assert_eq!(pipe_cells("|||").as_deref(), Some(""));
        assert_eq!(pipe_cells(" | ").as_deref(), Some("|"));
        assert_eq!(pipe_cells("a\tb | c"), None);
        assert_eq!(pipe_cells("没有竖线"), None);
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("表".as_bytes()).ok().as_deref(), Some("表"));
        let mut u16le = vec![0xFF, 0xFE];
        for u in "项目名称".encode_utf16() {
            u16le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&u16le).ok().as_deref(), Some("项目名称"));
        assert!(decode(&[0x80, 0x81, 0x00]).is_err());
        assert!(decode(b"a\0b").is_err());
    }

    #[test]
    fn line_numbers_with_mixed_line_ends() {
        let r = rows("a\r\nb\rc\n\nd");
        let lines: Vec<usize> = r.iter().filter_map(|r| r.origin.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 5]);
    }
}
