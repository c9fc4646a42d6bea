//! Tables whose text lost every cell break (`…三级指标分值年度指标值全年实际值得分…产出指标(70分)
//! 数量指标安装坡面水标尺10≥266米≥266米10水标尺宽度10…`): the header is found by its column
//! words run together, and each row is read against the header's columns — a score is a
//! number up to 100, a value a number with its unit, a date or a qualitative word — trying
//! the ways the characters can be cut until the row's columns are filled. A row that cannot
//! be cut so is left to the other rules (and kept as a comment if nothing reads it).

use super::*;
use crate::check::units::UnitTable;

/// The column words of indicator tables, as they run together in text without breaks.
/// Longer spellings first where one starts another.
const HEADER_WORDS: &[&str] = &[
    "一级指标",
    "二级指标",
    "三级指标",
    "指标内容",
    "年度指标值",
    "年初目标值",
    "指标值",
    "目标值",
    "当年预期实现值",
    "区域目标值",
    "区域指标值",
    "预期实现值",
    "全年实际值",
    "实际完成值",
    "实际值",
    "完成值",
    "全年完成值",
    "分值",
    "权重",
    "得分",
    "指标性质",
    "度量单位",
    "计量单位",
    "指标解释",
    "指标方向",
    "绩效标准",
    "备注",
    "偏差原因分析及改进措施",
    "未完成原因及拟采取的改进措施",
    "未完成原因分析",
    "偏差原因",
    "未完成原因",
];

/// The length of the start of `s` that spells `word`, white space allowed between its
/// characters (`一级 指标`: a label wrapped in its cell).
fn loose_prefix(s: &str, word: &str) -> Option<usize> {
    let mut it = s.char_indices().peekable();
    for w in word.chars() {
        while let Some(&(_, c)) = it.peek() {
            if is_space(c) {
                it.next();
            } else {
                break;
            }
        }
        match it.next() {
            Some((_, c)) if c == w => {}
            _ => return None,
        }
    }
    Some(it.peek().map_or(s.len(), |&(i, _)| i))
}

/// The column word at the start of `s` (white space allowed inside it) and its length.
/// A 偏差原因 / 未完成原因 heading runs on to its `措施`.
fn header_word_at(s: &str) -> Option<(&'static str, usize)> {
    let skipped = s.len() - s.trim_start_matches(is_space).len();
    let r = &s[skipped..];
    for lead in ["偏差原因", "未完成原因"] {
        if let Some(n) = loose_prefix(r, lead) {
            let tail = &r[n..];
            let end = tail
                .char_indices()
                .take(16)
                .find(|(i, _)| loose_prefix(&tail[*i..], "措施").is_some())
                .and_then(|(i, _)| loose_prefix(&tail[i..], "措施").map(|m| i + m));
            return Some((lead, skipped + n + end.unwrap_or(0)));
        }
    }
    let (w, n) = HEADER_WORDS
        .iter()
        .filter_map(|w| loose_prefix(r, w).map(|n| (*w, n)))
        .max_by_key(|(w, _)| w.len())?;
    // `年初目标值(A)`, `实际完成值 (B)`: the column's letter for the formulas.
    let after = &r[n..];
    let sp = after.len() - after.trim_start_matches(is_space).len();
    let mark = after[sp..]
        .strip_prefix(['(', '（'])
        .and_then(|t| {
            let close = t.find([')', '）'])?;
            let inner = &t[..close];
            (inner.chars().count() <= 3 && inner.chars().all(|c| c.is_ascii_alphabetic()))
                .then(|| sp + 1 + close + t[close..].chars().next().map_or(1, char::len_utf8))
        })
        .map_or(0, |m| m + usize::from(after[sp..].starts_with('（')) * 2);
    Some((w, skipped + n + mark))
}

/// The header inside a line without cell breaks: the line split into what comes before
/// it, the header (one cell per column word, in numbered columns) and the rest.
pub(super) fn split_glued_header(row: &Row) -> Option<(Option<Row>, Row, Option<Row>)> {
    if row.columns {
        return None;
    }
    let ci = row.cells.iter().position(|c| {
        c.text.char_indices().any(|(i, _)| {
            loose_prefix(&c.text[i..], "一级指标").is_some()
                || loose_prefix(&c.text[i..], "二级指标三级指标").is_some()
        })
    })?;
    let cell = &row.cells[ci];
    let t = cell.text.as_str();
    // The header starts at 一级指标, or at 二级指标 when the form's vertical 一级 label
    // came out garbled.
    let start = t
        .char_indices()
        .find(|(i, _)| loose_prefix(&t[*i..], "一级指标").is_some())
        .or_else(|| {
            t.char_indices().find(|(i, _)| {
                loose_prefix(&t[*i..], "二级指标")
                    .is_some_and(|n| loose_prefix(&t[*i + n..], "三级指标").is_some())
            })
        })
        .map(|(i, _)| i)?;
    let mut words: Vec<&str> = Vec::new();
    let mut pos = start;
    while let Some((w, n)) = header_word_at(&t[pos..]) {
        words.push(w);
        pos += n;
    }
    let has = |h: HeadCol| words.iter().any(|w| head_col(w) == Some(h));
    // A table without a 三级 column (`一级指标二级指标绩效标准当年预期实现值`) has its
    // 一级 and 二级 ones.
    let levels = has(HeadCol::L3) || has(HeadCol::L1);
    if !(has(HeadCol::L2) && levels && has(HeadCol::Value)) || words.len() < 4 {
        return None;
    }
    // A flat or tab header is not glued: the words must run together somewhere.
    let squeezed: String = t[start..pos].chars().filter(|c| !is_space(*c)).collect();
    if !squeezed.contains("指标二级") && !squeezed.contains("指标三级") {
        return None;
    }
    let piece = |text: &str, x: u32| Cell {
        x,
        text: text.to_string(),
        origin: cell.origin.clone(),
        hidden: Vec::new(),
    };
    let wrap = |text: &str, others: &[Cell], before: bool| {
        let text = text.trim_matches(is_space);
        let mut cells: Vec<Cell> = Vec::new();
        if before {
            cells.extend(others.iter().cloned());
        }
        if !text.is_empty() {
            cells.push(piece(text, cell.x));
        }
        if !before {
            cells.extend(others.iter().cloned());
        }
        (!cells.is_empty()).then(|| Row {
            cells,
            origin: row.origin.clone(),
            columns: false,
        })
    };
    let header = Row {
        cells: words
            .iter()
            .enumerate()
            .map(|(k, w)| piece(w, u32::try_from(k).unwrap_or(0).saturating_mul(1000)))
            .collect(),
        origin: row.origin.clone(),
        columns: true,
    };
    Some((
        wrap(&t[..start], &row.cells[..ci], true),
        header,
        wrap(&t[pos..], &row.cells[ci + 1..], false),
    ))
}

/// A score or weight at the start of `s`: digits (a decimal point allowed) up to 100, no
/// leading zero, with an optional `分` or `%`. Every length that qualifies, shortest first.
fn points_at(s: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let digits: usize = s
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    for end in 1..=digits {
        let n = &s[..end];
        if n.ends_with('.')
            || n.starts_with('.')
            || (n.len() > 1 && n.starts_with('0') && !n.starts_with("0."))
        {
            continue;
        }
        let ok = rust_decimal::Decimal::from_str_exact(n)
            .is_ok_and(|d| d <= rust_decimal::Decimal::from(100));
        if !ok {
            continue;
        }
        // A number cut inside its digits must not be followed by a decimal point.
        if s[end..].starts_with('.') {
            continue;
        }
        for suffix in ["分", "%"] {
            if s[end..].starts_with(suffix) {
                out.push(end + suffix.len());
            }
        }
        out.push(end);
    }
    // The longest first: `1010` is 10 | 10, `20100%` is 20 | 100%.
    out.reverse();
    out
}

/// A value at the start of `s`: a comparator, a number and its unit (a known unit, `%`, or
/// a bracketed one), a date, or a qualitative word of the vocabulary. Every length that
/// reads as one, longest first.
fn values_at(s: &str, table: &UnitTable) -> Vec<usize> {
    let mut out = Vec::new();
    let op_len = s.len() - value::split_op(s).1.len();
    let body = &s[op_len..];
    let digits: usize = body
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | ','))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    if digits > 0 {
        // The number takes its whole run of digits (a score after it is cut by
        // `points_at`, which may cut inside a run; a value never does).
        let end = if body[..digits].ends_with([',', '.']) {
            digits - 1
        } else {
            digits
        };
        // `00`: 0 | 0 (a value of 0, then an actual of 0).
        let end = if body.starts_with('0') && !body.starts_with("0.") {
            1
        } else {
            end
        };
        let n = &body[..end];
        if end > 0 && !(n.len() > 1 && n.starts_with('0') && !n.starts_with("0.")) {
            let tail = &body[end..];
            // The unit: the longest known one, `%`, or a bracketed one.
            let mut units: Vec<usize> = (1..=tail.chars().count().min(6))
                .filter_map(|k| {
                    let b = tail.char_indices().nth(k).map_or(tail.len(), |(i, _)| i);
                    let u = &tail[..b];
                    (u == "%" || table.resolve(u).is_ok()).then_some(b)
                })
                .collect();
            if let Some(open) = tail.chars().next().filter(|c| matches!(c, '(' | '（')) {
                let r = &tail[open.len_utf8()..];
                if let Some(close) = r.find([')', '）']) {
                    let closing = r[close..].chars().next().map_or(1, char::len_utf8);
                    units.push(open.len_utf8() + close + closing);
                }
            }
            units.sort_unstable();
            units.dedup();
            for u in units.iter().rev() {
                out.push(op_len + end + u);
            }
            out.push(op_len + end);
        }
    }
    if let Some((_, word)) = crate::vocab::values::QUALITATIVE
        .iter()
        .filter(|w| body.starts_with(**w))
        .map(|w| ((), *w))
        .max_by_key(|(_, w)| w.len())
    {
        out.push(op_len + word.len());
    }
    out.retain(|&e| e <= s.len() && s.is_char_boundary(e) && value::parse_value(&s[..e]).is_some());
    out
}

/// Cut the row's columns (from column `k`) off the start of `s`; `Some(cells, rest)` when
/// every required column after `k` is filled.
fn cut_columns(
    s: &str,
    after: &[(HeadCol, u32)],
    k: usize,
    table: &UnitTable,
    depth: usize,
) -> Option<(Vec<(u32, String)>, usize)> {
    let Some(&(h, x)) = after.get(k) else {
        return Some((Vec::new(), 0));
    };
    if depth > 64 {
        return None;
    }
    let required = matches!(
        h,
        HeadCol::Value | HeadCol::Actual | HeadCol::Weight | HeadCol::Score
    );
    let candidates: Vec<usize> = match h {
        HeadCol::Weight | HeadCol::Score => points_at(s),
        HeadCol::Value | HeadCol::Actual => values_at(s, table),
        _ => Vec::new(),
    };
    for end in candidates {
        if let Some((mut cells, used)) = cut_columns(&s[end..], after, k + 1, table, depth + 1) {
            cells.insert(0, (x, s[..end].to_string()));
            return Some((cells, end + used));
        }
    }
    if required {
        return None;
    }
    // An optional column (unit, remark, explanation …) is left empty in glued text.
    cut_columns(s, after, k + 1, table, depth + 1)
}

/// The category word at the start of `s`, with its `(N分)`: its length.
fn cat_at(s: &str) -> Option<usize> {
    let mut best = None;
    // Every `指标` (`指 标` in a wrapped label) within the first characters.
    let ends = s
        .char_indices()
        .take(24)
        .filter(|&(i, c)| c == '指' && loose_prefix(&s[i..], "指标").is_some())
        .filter_map(|(i, _)| loose_prefix(&s[i..], "指标").map(|n| i + n));
    for end in ends {
        let mut e = end;
        if let Some(r) = s[end..].strip_prefix('(') {
            if let Some(c) = r.find(')') {
                if r[..c].ends_with('分') {
                    e = end + 1 + c + 1;
                }
            }
        }
        if cat_word(&s[..e]).is_some() {
            best = Some(e);
        }
    }
    best
}

/// How a piece of a glued line was read.
#[derive(Debug, Clone)]
enum Piece {
    /// A category word.
    Cat(String),
    /// A name and its columns (x, text).
    Row(String, Vec<(u32, String)>),
    /// Text that no row could be cut from.
    Rest(String),
}

/// The longest a name runs in glued text before its columns.
const MAX_NAME: usize = 80;

/// One line of a glued table → its rows, or `None` when the line holds one row or none
/// that can be cut (the line rules read those).
pub(super) fn decode_glued(row: &Row, cols: &[(HeadCol, u32)]) -> Option<Vec<Row>> {
    let mut order: Vec<(HeadCol, u32)> = cols.to_vec();
    order.sort_by_key(|(_, x)| *x);
    let x_of = |h: HeadCol| order.iter().find(|(c, _)| *c == h).map(|(_, x)| *x);
    let name_x = x_of(HeadCol::L3)?;
    let after: Vec<(HeadCol, u32)> = order.iter().copied().filter(|(_, x)| *x > name_x).collect();
    if !after.iter().any(|(h, _)| *h == HeadCol::Value) {
        return None;
    }
    let text: String = row
        .cells
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("");
    let s = text.as_str();
    if s.len() > 20_000 {
        return None;
    }
    let table = UnitTable::new();
    // The free-text column after the last required one, if the header has one.
    let last_required = after.iter().rposition(|(h, _)| {
        matches!(
            h,
            HeadCol::Value | HeadCol::Actual | HeadCol::Weight | HeadCol::Score
        )
    });
    let free_tail = last_required.and_then(|k| {
        after[k + 1..]
            .iter()
            .find(|(h, _)| matches!(h, HeadCol::Deviation | HeadCol::Remark))
    });
    // best[p]: the fewest rows (and pieces of rest) that read s[p..], as (cost, pieces).
    let bounds: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    // The category word starting at each position, and the next position where one starts.
    let mut cats: Vec<Option<usize>> = vec![None; s.len() + 1];
    for &b in &bounds {
        if b < s.len() {
            cats[b] = cat_at(&s[b..]);
        }
    }
    let mut next_cat: Vec<usize> = vec![s.len(); s.len() + 1];
    for b in (0..s.len()).rev() {
        next_cat[b] = if cats[b].is_some() {
            b
        } else {
            next_cat[b + 1]
        };
    }
    // The row's columns cut off at each position, computed once per position.
    type Cut = Option<(Vec<(u32, String)>, usize)>;
    let mut cuts: Vec<Option<Cut>> = vec![None; s.len() + 1];
    let mut cut_at = |at: usize| -> Cut {
        if cuts[at].is_none() {
            cuts[at] = Some(cut_columns(&s[at..], &after, 0, &table, 0));
        }
        cuts[at].clone().flatten()
    };
    let mut best: Vec<Option<(usize, usize, Piece)>> = vec![None; s.len() + 1];
    // (cost, next position, piece)
    best[s.len()] = Some((0, s.len(), Piece::Rest(String::new())));
    const REST: usize = 1000;
    const ROW: usize = 4;
    for &p in bounds.iter().rev().skip(1) {
        let rest = &s[p..];
        if rest.trim_matches(is_space).is_empty() {
            best[p] = Some((0, s.len(), Piece::Rest(String::new())));
            continue;
        }
        if rest.starts_with(is_space) {
            let skip = rest.len() - rest.trim_start_matches(is_space).len();
            best[p] = best[p + skip]
                .as_ref()
                .map(|(c, _, _)| (*c, p + skip, Piece::Rest(String::new())));
            continue;
        }
        let mut choice: Option<(usize, usize, Piece)> = None;
        if let Some(e) = cats[p] {
            if let Some((c, _, _)) = &best[p + e] {
                choice = Some((*c, p + e, Piece::Cat(rest[..e].to_string())));
            }
        }
        if choice.is_none() {
            for (n, (j, ch)) in rest.char_indices().enumerate().skip(1) {
                if n > MAX_NAME {
                    break;
                }
                let prev_digit = rest[..j].ends_with(|c: char| c.is_ascii_digit() || c == '.');
                if prev_digit && (ch.is_ascii_digit() || ch == '.') {
                    continue;
                }
                if cats[p + j].is_some() {
                    break;
                }
                let Some((cells, used)) = cut_at(p + j) else {
                    continue;
                };
                let next = p + j + used;
                let chars = rest[..j].chars().count();
                if let Some((c, _, _)) = &best[next] {
                    // The shortest names that read the whole line, each row costing a few
                    // characters more (a name is rarely one or two characters).
                    let cost = c + chars + ROW + if chars < 3 { 10 } else { 0 };
                    if choice.as_ref().is_none_or_gt(cost) {
                        choice =
                            Some((cost, next, Piece::Row(rest[..j].to_string(), cells.clone())));
                    }
                }
                // Text after the row's columns up to the next category word: the row's
                // 偏差原因 (or 备注), when the header ends with such a column.
                if let Some(&(_, fx)) = free_tail {
                    let tail = &s[next..];
                    // Up to the next category word, within a sentence's length.
                    let q = if next < s.len() {
                        next_cat[next + tail.chars().next().map_or(1, char::len_utf8)]
                    } else {
                        s.len()
                    };
                    let stop = (q - next <= 360).then_some(q - next);
                    // A total row (`总分10098`) ends the free text.
                    let stop = stop.map(|q| summary_at(&tail[..q]).unwrap_or(q));
                    let text = stop.map_or("", |q| tail[..q].trim_matches(is_space));
                    if let (false, Some(stop)) = (text.is_empty(), stop) {
                        if let Some((c, _, _)) = &best[next + stop] {
                            let cost = c + chars + ROW + 2 * text.chars().count();
                            if choice.as_ref().is_none_or_gt(cost) {
                                let mut cells = cells.clone();
                                cells.push((fx, text.to_string()));
                                choice = Some((
                                    cost,
                                    next + stop,
                                    Piece::Row(rest[..j].to_string(), cells),
                                ));
                            }
                        }
                    }
                }
            }
        }
        if choice.is_none() {
            // Nothing reads here: one character of rest, and on.
            let next = p + rest.chars().next().map_or(1, char::len_utf8);
            let c = best[next].as_ref().map_or(REST, |(c, _, _)| *c);
            choice = Some((c + REST, next, Piece::Rest(rest[..next - p].to_string())));
        }
        best[p] = choice;
    }
    // Walk the choices.
    let mut pieces: Vec<Piece> = Vec::new();
    let mut p = 0;
    while p < s.len() {
        let Some((_, next, piece)) = best[p].clone() else {
            break;
        };
        match (&piece, pieces.last_mut()) {
            (Piece::Rest(t), Some(Piece::Rest(prev))) => prev.push_str(t),
            (Piece::Rest(t), _) if t.is_empty() => {}
            _ => pieces.push(piece),
        }
        if next <= p {
            break;
        }
        p = next;
    }
    let rows_read = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Row(..)))
        .count();
    if rows_read < 2 {
        return None;
    }
    let cell = |t: &str, x: u32| Cell {
        x,
        text: t.trim_matches(is_space).to_string(),
        origin: row.origin.clone(),
        hidden: Vec::new(),
    };
    let mut out = Vec::new();
    let mut pending: Vec<Cell> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Cat(t) => {
                let x = match cat_word(&t) {
                    Some(Cat::L1(_)) => x_of(HeadCol::L1).unwrap_or(0),
                    _ => x_of(HeadCol::L2).unwrap_or(0),
                };
                pending.push(cell(&t, x));
            }
            Piece::Row(name, cols) => {
                let mut cells = std::mem::take(&mut pending);
                // `……总分 | 100 | 100` cut as a row: the total's row, not an indicator.
                let bare = name.trim_start_matches(['…', '.', '·', '⋯']);
                if let Some(w) = SUMMARY_WORDS.iter().find(|w| bare.starts_with(**w)) {
                    cells.push(cell(w, name_x));
                    if bare.len() > w.len() {
                        cells.push(cell(&bare[w.len()..], name_x + 1));
                    }
                    cells.extend(cols.iter().map(|(x, t)| cell(t, *x)));
                    out.push(Row {
                        cells,
                        origin: row.origin.clone(),
                        columns: false,
                    });
                    continue;
                }
                cells.push(cell(&name, name_x));
                cells.extend(cols.iter().map(|(x, t)| cell(t, *x)));
                out.push(Row {
                    cells,
                    origin: row.origin.clone(),
                    columns: true,
                });
            }
            Piece::Rest(t) if !t.trim_matches(is_space).is_empty() => {
                let mut cells = std::mem::take(&mut pending);
                // `……总分100100`, `指标2:总分10098`: the template's placeholder, then a
                // total glued to its numbers.
                let t = t.trim_start_matches(['…', '.', '·', '⋯']);
                let t = match summary_at(t) {
                    Some(at) if at > 0 && is_placeholder(&norm(&t[..at])) => &t[at..],
                    _ => t,
                };
                match SUMMARY_WORDS.iter().find(|w| t.starts_with(**w)) {
                    Some(w) if t.len() > w.len() => {
                        cells.push(cell(w, name_x));
                        cells.push(cell(&t[w.len()..], name_x + 1));
                    }
                    _ => cells.push(cell(t, name_x)),
                }
                out.push(Row {
                    cells,
                    origin: row.origin.clone(),
                    columns: false,
                });
            }
            Piece::Rest(_) => {}
        }
    }
    if !pending.is_empty() {
        out.push(Row {
            cells: pending,
            origin: row.origin.clone(),
            columns: true,
        });
    }
    Some(out)
}

/// Where the first total word (`总分`, `得分合计` …) starts in a text.
fn summary_at(t: &str) -> Option<usize> {
    t.char_indices()
        .map(|(i, _)| i)
        .find(|&i| TOTAL_WORDS.iter().any(|w| t[i..].starts_with(*w)))
}

trait CostCmp {
    fn is_none_or_gt(&self, cost: usize) -> bool;
}

impl CostCmp for Option<&(usize, usize, Piece)> {
    fn is_none_or_gt(&self, cost: usize) -> bool {
        self.map_or(true, |(c, _, _)| *c > cost)
    }
}

/// A page-chunk marker at the start of a line of glued text (`2、100%质量 指标…`, as
/// document-sharing sites number their preview pages): its length.
fn page_marker(s: &str) -> Option<usize> {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits).then_some(())?;
    s[digits..]
        .starts_with('、')
        .then_some(digits + '、'.len_utf8())
}

/// The rows of a glued table: lines that start with a page marker continue the line
/// before (the marker removed); each line is then cut into its rows, or kept as it is
/// when it cannot be.
pub(super) fn decode_glued_rows(rows: Vec<Row>, cols: &[(HeadCol, u32)]) -> Vec<Row> {
    let mut merged: Vec<Row> = Vec::new();
    for r in rows {
        let first = r.cells.first().map(|c| c.text.as_str()).unwrap_or("");
        match (page_marker(first), merged.last_mut()) {
            (Some(n), Some(prev)) if !r.columns && !prev.columns => {
                let mut cells = r.cells.clone();
                if let Some(c) = cells.first_mut() {
                    c.text = c.text[n..].to_string();
                }
                prev.cells.extend(cells);
            }
            _ => merged.push(r),
        }
    }
    merged
        .into_iter()
        .flat_map(|r| {
            if r.columns {
                return vec![r];
            }
            decode_glued(&r, cols).unwrap_or_else(|| vec![r])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Row {
        Row {
            cells: vec![Cell {
                x: 0,
                text: text.to_string(),
                origin: Origin::line(1),
                hidden: Vec::new(),
            }],
            origin: Origin::line(1),
            columns: false,
        }
    }

    #[test]
    fn glued_header_and_rows() {
        let text = "绩效指标一级指标二级指标三级指标分值年度指标值全年实际值得分未完成原因及拟采取的改进措施\
                    产出指标(70分)数量指标安装坡面水标尺10≥266米≥266米10水标尺宽度10≥50厘米≥50厘米10\
                    质量指标项目(工程)验收合格率20100%100%20成本指标项目计划总投资1020万元20万元10";
        let (before, header, after) = split_glued_header(&line(text)).expect("a glued header");
        assert_eq!(
            before.map(|r| r.cells[0].text.clone()).as_deref(),
            Some("绩效指标")
        );
        let cols: Vec<(HeadCol, u32)> = header
            .cells
            .iter()
            .filter_map(|c| head_col(&c.text).map(|h| (h, c.x)))
            .collect();
        assert_eq!(cols.len(), 8);
        let rows = decode_glued(&after.expect("rows"), &cols).expect("cut");
        let texts: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect();
        assert_eq!(
            texts[0],
            [
                "产出指标(70分)",
                "数量指标",
                "安装坡面水标尺",
                "10",
                "≥266米",
                "≥266米",
                "10"
            ]
        );
        assert_eq!(texts[1], ["水标尺宽度", "10", "≥50厘米", "≥50厘米", "10"]);
        assert_eq!(
            texts[2],
            [
                "质量指标",
                "项目(工程)验收合格率",
                "20",
                "100%",
                "100%",
                "20"
            ]
        );
        assert_eq!(
            texts[3],
            ["成本指标", "项目计划总投资", "10", "20万元", "20万元", "10"]
        );
        // Long lines stay linear: every position is cut once.
        let long: String = (0..300)
            .map(|i| format!("安装坡面水标尺{i}10≥266米≥266米10"))
            .collect();
        let rows = decode_glued(&line(&format!("产出指标数量指标{long}")), &cols).expect("cut");
        assert_eq!(rows.len(), 300);
    }
}
