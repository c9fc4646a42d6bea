//! The year-end side of a 自评表 above the indicators: the budget execution table
//! (资金情况: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分), read by its column
//! words and by what its cells hold, and the 总分 / 等级 rows below the indicators.

use super::*;
pub(in crate::import) use crate::vocab::evaluation::ExecRow;

/// A column of the budget execution table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::import) enum ExecCol {
    Row(ExecRow),
    /// 执行率: perfspec computes it; the form's figure is kept as a comment.
    Rate,
    /// 原因 / 偏差原因 and the like: kept as a comment.
    Other,
}

/// A column word of the budget execution table, compared without white space and without
/// a bracketed note (`全年预算数(A)`, `执行率(B/A)`, `得分 (20分*执行率)`).
pub(super) fn exec_col(text: &str) -> Option<ExecCol> {
    let n = norm(text);
    let base = n.split(['(', '[']).next().unwrap_or("");
    exec_word(base)
}

/// A column word of the budget execution table as the vocabulary lists it.
fn exec_word(w: &str) -> Option<ExecCol> {
    use crate::vocab::evaluation::{EXEC_NOTE_COLUMNS, EXEC_RATE_COLUMNS, EXEC_ROWS};
    if let Some(r) = EXEC_ROWS.iter().find(|r| r.columns.contains(&w)) {
        return Some(ExecCol::Row(r.row));
    }
    if EXEC_RATE_COLUMNS.contains(&w) {
        return Some(ExecCol::Rate);
    }
    EXEC_NOTE_COLUMNS.contains(&w).then_some(ExecCol::Other)
}

/// Every column word of the budget execution table, longest first (one may start another:
/// `全年执行数`, `全年执行`).
fn exec_words() -> Vec<&'static str> {
    use crate::vocab::evaluation::{EXEC_NOTE_COLUMNS, EXEC_RATE_COLUMNS, EXEC_ROWS};
    let mut words: Vec<&'static str> = EXEC_ROWS
        .iter()
        .flat_map(|r| r.columns.iter().copied())
        .chain(EXEC_RATE_COLUMNS.iter().copied())
        .chain(EXEC_NOTE_COLUMNS.iter().copied())
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
}

/// The header of the budget execution table: its columns in order, when the row names at
/// least three of them, one an amount of the year.
pub(super) fn exec_header(cells: &[&Cell]) -> Option<Vec<ExecCol>> {
    let cols: Vec<ExecCol> = cells.iter().filter_map(|c| exec_col(&c.text)).collect();
    let amounts = cols.iter().any(|c| {
        matches!(
            c,
            ExecCol::Row(ExecRow::Budget) | ExecCol::Row(ExecRow::Spent)
        )
    });
    (cols.len() >= 3 && amounts).then_some(cols)
}

/// The budget line of a 自评表 as read: each cell with its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::import) struct Execution {
    pub origin: Origin,
    /// The row's label (`年度资金总额`).
    pub label: String,
    pub cells: Vec<(ExecCol, Val)>,
    /// The money unit the heading or the cells state; `None`: not stated.
    pub unit: Option<value::MoneyUnit>,
    /// The rows below the total (其中：财政拨款 …), kept as comments in the block.
    pub details: Vec<Unmapped>,
}

/// A row label that names a part of the total (`其中：财政拨款`).
fn is_part(label: &str) -> bool {
    label.trim_start_matches(is_space).starts_with("其中")
}

/// A cell that reads as a percentage: the execution rate.
fn is_rate(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !is_space(*c)).collect();
    t.strip_suffix('%')
        .or_else(|| t.strip_suffix('％'))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Points as printed: a bare number, perhaps with `分`.
pub(in crate::import) fn is_points(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !is_space(*c)).collect();
    let t = t.strip_suffix('分').unwrap_or(&t);
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|c| *c == '.').count() <= 1
}

/// A whole number up to 100: what a weight looks like (10, 20), as against an amount
/// with cents (31.69).
fn looks_like_weight(t: &str) -> bool {
    let t = t.trim_matches(is_space);
    let whole = t
        .strip_suffix(".00")
        .or_else(|| t.strip_suffix(".0"))
        .unwrap_or(t);
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && whole.parse::<u32>().is_ok_and(|n| n <= 100)
}

/// Whether a row of the header belongs to the budget execution table: a label and then
/// amounts, rates, points or nothing (the last cell may be a note).
pub(super) fn is_exec_row(cells: &[&Cell]) -> bool {
    let Some((first, rest)) = cells.split_first() else {
        return false;
    };
    if value::parse_amount(&first.text).is_ok_and(|a| a.is_some()) || is_rate(&first.text) {
        return false;
    }
    if matches!(
        label_of(&first.text),
        Some((
            Label::GoalTotal
                | Label::GoalAnnual
                | Label::PerfGoal
                | Label::Outcome
                | Label::PerfInd
                | Label::Name
                | Label::Department
                | Label::Unit,
            _
        ))
    ) {
        return false;
    }
    rest.first().is_some_and(|c| {
        let t = c.text.trim_matches(is_space);
        is_nothing(t) || is_rate(t) || value::parse_amount(t).is_ok_and(|a| a.is_some())
    })
}

/// The columns of the cells before the execution rate (empty cells left out): in order when
/// there are as many as columns; otherwise a weight-like last cell takes the 分值 column and
/// the others the amounts from the right (年初预算数, the first, is the one most often left
/// blank). Cells no column takes are notes. Each cell's column and its index.
fn assign_before(pre: &[ExecCol], texts: &[&str]) -> Vec<(ExecCol, usize)> {
    let mut out = Vec::new();
    if texts.len() >= pre.len() {
        for (i, col) in pre.iter().enumerate() {
            out.push((*col, i));
        }
        for i in pre.len()..texts.len() {
            out.push((ExecCol::Other, i));
        }
        return out;
    }
    let mut n = texts.len();
    let mut money: Vec<ExecCol> = pre.to_vec();
    if pre.last() == Some(&ExecCol::Row(ExecRow::Weight)) {
        money.pop();
        if n > 0 && looks_like_weight(texts[n - 1]) {
            out.push((ExecCol::Row(ExecRow::Weight), n - 1));
            n -= 1;
        }
    }
    let skip = money.len().saturating_sub(n);
    for (i, col) in money.iter().skip(skip).enumerate().take(n) {
        out.push((*col, i));
    }
    for i in money.len()..n {
        out.push((ExecCol::Other, i));
    }
    out
}

/// A money unit stated in words (`金额单位：万元`, `单位: 元`), the unit word ending there.
fn stated_money_unit(text: &str) -> Option<value::MoneyUnit> {
    let t: String = text
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| if c == '：' { ':' } else { c })
        .collect();
    let at = t.find("单位:")?;
    let rest = &t[at + "单位:".len()..];
    let ends = |w: &str| {
        rest.strip_prefix(w).is_some_and(|r| {
            !r.starts_with(['/', '每']) && !r.starts_with(|c: char| c.is_ascii_digit())
        })
    };
    if ends("万元") {
        Some(value::MoneyUnit::Wan)
    } else if ends("元") {
        Some(value::MoneyUnit::Yuan)
    } else {
        None
    }
}

/// A row of figures only right under the execution table's header, before any total: the
/// total, whose label was lost (a merged cell printed elsewhere). Read as the total line.
pub(super) fn exec_unlabelled(f: &mut Form, cells: &[&Cell], columns: bool) -> bool {
    if f.exec_cols.is_empty()
        || f.execution.is_some()
        || cells.len() < 2
        || !cells.iter().all(|c| is_figure(&c.text))
    {
        return false;
    }
    let label = Cell {
        x: 0,
        text: String::new(),
        origin: cells[0].origin.clone(),
        hidden: Vec::new(),
    };
    let with: Vec<&Cell> = std::iter::once(&label)
        .chain(cells.iter().copied())
        .collect();
    exec_row(f, &with, columns);
    true
}

/// Read a row of the budget execution table. The first such row is the total (年度资金总额);
/// the rows below it are its parts, kept as comments.
pub(super) fn exec_row(f: &mut Form, cells: &[&Cell], columns: bool) {
    let Some((first, rest)) = cells.split_first() else {
        return;
    };
    let label = one_line(&first.text);
    // A part (其中：财政拨款 …) is never the total: without a total line above it, it is kept
    // as a comment and the block is not made up from it.
    if f.execution.is_none() && is_part(&label) {
        let text = row_text(cells);
        let origin = first.origin.clone();
        f.unmapped(
            Section::Funding,
            &origin,
            &text,
            msg!(
                "预算执行表的明细行，表上没有总额一行，未读入预算执行",
                "a part of the budget execution table without its total line: not read as the budget execution"
            ),
        );
        f.self_evaluation = true;
        return;
    }
    if f.execution.is_some() {
        let text = row_text(cells);
        let reason = msg!(
            "预算执行表的明细行，保留为注释（预算执行只记总额一行）",
            "a part of the budget execution table, kept as a comment (预算执行 holds the total line)"
        );
        let origin = first.origin.clone();
        f.note(NoteKind::Unmapped, &origin, &text, reason.clone());
        if let Some(e) = f.execution.as_mut() {
            e.details.push(Unmapped {
                origin,
                text,
                reason,
            });
        }
        return;
    }
    let cols = f.exec_cols.clone();
    let mut out: Vec<(ExecCol, Val)> = Vec::new();
    let val = |c: &Cell| Val {
        text: one_line(&c.text).trim_matches(is_space).to_string(),
        origin: c.origin.clone(),
    };
    // The execution rate anchors the row: the cells before it are the columns before it,
    // the cells after it the columns after it. Rows copied from a page lose empty cells,
    // so the columns before it are matched from the right (年初预算数, the first, is the
    // one most often left blank), a weight-like last cell taking the 分值 column.
    let rate_at = rest.iter().position(|c| is_rate(&c.text));
    let rate_col = cols.iter().position(|c| *c == ExecCol::Rate);
    let (before, after): (&[&Cell], &[&Cell]) = match rate_at {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[]),
    };
    let (pre, post): (&[ExecCol], &[ExecCol]) = match (rate_at, rate_col) {
        (Some(_), Some(k)) => (&cols[..k], &cols[k + 1..]),
        _ => (&cols[..], &[]),
    };
    if let (Some(i), Some(_)) = (rate_at, rate_col) {
        out.push((ExecCol::Rate, val(rest[i])));
    }
    let before: Vec<&Cell> = before
        .iter()
        .copied()
        .filter(|c| !is_nothing(&c.text))
        .collect();
    let texts: Vec<&str> = before.iter().map(|c| c.text.as_str()).collect();
    for (col, i) in assign_before(pre, &texts) {
        out.push((col, val(before[i])));
    }
    // After the rate: in order, an empty cell (in numbered columns) leaving its column
    // empty; a 分值 or 得分 column takes only points.
    let mut k = 0;
    let mut prev = rate_at.map(|i| rest[i].x);
    for c in after {
        if let (true, Some(p)) = (columns, prev) {
            k += (c.x / 1000).saturating_sub(p / 1000).saturating_sub(1) as usize;
        }
        prev = Some(c.x);
        let t = c.text.trim_matches(is_space);
        let mut placed = false;
        while k < post.len() {
            let col = post[k];
            k += 1;
            let fits = match col {
                ExecCol::Row(ExecRow::Weight | ExecRow::Score) => is_points(t) || is_nothing(t),
                ExecCol::Row(_) => value::parse_amount(t).is_ok() || is_nothing(t),
                _ => true,
            };
            if fits {
                if !is_nothing(t) {
                    out.push((col, val(c)));
                }
                placed = true;
                break;
            }
        }
        if !placed && !is_nothing(t) {
            out.push((ExecCol::Other, val(c)));
        }
    }
    f.self_evaluation = true;
    f.execution = Some(Execution {
        origin: first.origin.clone(),
        label,
        cells: out,
        // The unit the heading states, or a `金额单位：万元` the header printed above the
        // table in text no field took.
        unit: f.money_unit.or_else(|| {
            f.unmapped
                .iter()
                .filter(|(s, _)| *s == Section::Header)
                .find_map(|(_, u)| stated_money_unit(&u.text))
        }),
        details: Vec::new(),
    });
}

/// An execution-table column word at the start of `s` (white space before it skipped), with
/// the bracketed note after it (`全年预算数(A)`, `得分 (20 分*执行率)`, and `执行率(B/A1` whose
/// bracket never closes before the next word): its column, the heading as printed and the
/// length read.
fn exec_word_at(s: &str, words: &[&'static str]) -> Option<(ExecCol, usize)> {
    let lead = s.len() - s.trim_start_matches(is_space).len();
    let r = &s[lead..];
    let w = words.iter().find(|w| r.starts_with(**w))?;
    let col = exec_word(w)?;
    let mut end = lead + w.len();
    let after = &s[end..];
    let sp = after.len() - after.trim_start_matches(is_space).len();
    if let Some(open) = after[sp..]
        .chars()
        .next()
        .filter(|c| matches!(c, '(' | '（'))
    {
        let inner = &after[sp + open.len_utf8()..];
        // Closed when `)` comes before another `(`.
        let close = inner
            .char_indices()
            .take(16)
            .find(|(_, c)| matches!(c, ')' | '）' | '(' | '（'))
            .filter(|(_, c)| matches!(c, ')' | '）'))
            .map(|(i, c)| i + c.len_utf8());
        // No closing bracket: the note runs to the next column word, if one is near.
        let next = || {
            inner
                .char_indices()
                .take(8)
                .find(|(i, _)| words.iter().any(|w| inner[*i..].starts_with(*w)))
                .map(|(i, _)| i)
        };
        if let Some(n) = close.or_else(next) {
            end += sp + open.len_utf8() + n;
        }
    }
    Some((col, end))
}

/// The header of a budget execution table inside a text (`… 资金情况(万元) 全年预算数(A)
/// 全年执行数(B) 分值 执行率(B/A) 得分 年度资金总额: …`, with or without the spaces): where it
/// starts and ends, its columns, and whether its words ran together. At least three
/// columns, one an amount of the year.
fn exec_header_in(text: &str) -> Option<ExecHeaderAt> {
    let words = exec_words();
    if text.len() > 50_000 {
        return None;
    }
    for (start, _) in text.char_indices() {
        if !words.iter().any(|w| text[start..].starts_with(*w)) {
            continue;
        }
        let mut cols: Vec<(ExecCol, String)> = Vec::new();
        let mut pos = start;
        let mut glued = false;
        while let Some((col, n)) = exec_word_at(&text[pos..], &words) {
            if !cols.is_empty() && !text[pos..].starts_with(is_space) {
                glued = true;
            }
            cols.push((col, text[pos..pos + n].trim_matches(is_space).to_string()));
            pos += n;
        }
        let amounts = cols.iter().any(|(c, _)| {
            matches!(
                c,
                ExecCol::Row(ExecRow::Budget) | ExecCol::Row(ExecRow::Spent)
            )
        });
        if cols.len() >= 3 && amounts {
            return Some((start, pos, cols, glued));
        }
    }
    None
}

/// Where an execution table's header stands in a text: start, end, its columns (with the
/// headings as printed), whether its words ran together.
type ExecHeaderAt = (usize, usize, Vec<(ExecCol, String)>, bool);

/// A piece of the budget table's text after its header: a word, or a run of figures.
#[derive(Debug, Clone)]
struct Tok {
    text: String,
    /// Where the piece ends in the text.
    end: usize,
    origin: Origin,
}

fn is_figure_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | '%' | '％')
}

/// A cell of the execution table's rows: an amount, a rate, points or nothing.
fn is_figure(t: &str) -> bool {
    let t = t.trim_matches(is_space);
    is_nothing(t)
        || t == "无"
        || is_rate(t)
        || value::parse_amount(t).is_ok_and(|a| a.is_some())
        || (!t.is_empty() && t.chars().all(is_figure_char))
}

/// The words of a text, a run of figures glued to a word cut off it (`年度资金总额:202010`).
fn toks_of(text: &str, origin: &Origin) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    let push = |out: &mut Vec<Tok>, a: usize, b: usize| {
        let t = text[a..b].trim_matches(is_space);
        if !t.is_empty() {
            out.push(Tok {
                text: t.to_string(),
                end: b,
                origin: origin.clone(),
            });
        }
    };
    for (i, c) in text.char_indices() {
        if is_space(c) {
            if let Some((s, _)) = start.take() {
                push(&mut out, s, i);
            }
            continue;
        }
        let fig = is_figure_char(c);
        match start {
            Some((s, f)) if f != fig => {
                push(&mut out, s, i);
                start = Some((i, fig));
            }
            None => start = Some((i, fig)),
            _ => {}
        }
    }
    if let Some((s, _)) = start {
        push(&mut out, s, text.len());
    }
    out
}

/// The rows of the execution table read off the pieces after its header: the total (a label
/// of a few words, then its figures) and the rows below it (其中：…, a funding row's label,
/// with or without figures). `glued`: the header's words ran together, so the total's
/// figures may too (cut by [`cut_glued_figures`]). The rows and how many pieces they took.
fn exec_body(toks: &[Tok], cols: &[ExecCol], glued: bool) -> (Vec<Vec<Tok>>, usize) {
    let mut rows: Vec<Vec<Tok>> = Vec::new();
    let mut i = 0;
    // The total: a label (at most two words, twenty characters), then figures.
    let label_len = (1..=2).filter(|&n| n <= toks.len()).find(|&n| {
        toks[..n].iter().all(|t| !is_figure(&t.text))
            && toks.get(n).is_some_and(|t| is_figure(&t.text))
    });
    // Figures right after the header: the total, its label lost (a merged cell printed
    // elsewhere); read by [`exec_unlabelled`].
    if toks.first().is_some_and(|t| is_figure(&t.text)) {
        let mut row = vec![Tok {
            text: String::new(),
            end: 0,
            origin: toks[0].origin.clone(),
        }];
        while i < toks.len() && is_figure(&toks[i].text) && row.len() <= cols.len() + 2 {
            row.push(toks[i].clone());
            i += 1;
        }
        rows.push(row);
        return (rows, i);
    }
    let Some(n) = label_len else {
        return (rows, 0);
    };
    let label: String = toks[..n]
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let non_fund_label = matches!(label_of(&label), Some((l, _)) if !matches!(l, Label::Fund(_)));
    if label.chars().count() > 20 || non_fund_label {
        return (rows, 0);
    }
    let mut row = vec![Tok {
        text: label,
        end: toks[n - 1].end,
        origin: toks[0].origin.clone(),
    }];
    i += n;
    while i < toks.len() && is_figure(&toks[i].text) && row.len() <= cols.len() + 2 {
        row.push(toks[i].clone());
        i += 1;
    }
    if glued && row.len() == 2 {
        if let Some(cells) = cut_glued_figures(&row[1].text, cols) {
            let t = row.remove(1);
            row.extend(cells.into_iter().map(|c| Tok {
                text: c,
                end: t.end,
                origin: t.origin.clone(),
            }));
        }
    }
    rows.push(row);
    // The rows below the total: a funding row's label or `其中…`, then its figures.
    while i < toks.len() && !is_figure(&toks[i].text) {
        let t = &toks[i];
        let fund = is_part(&t.text)
            || matches!(label_of(&t.text), Some((Label::Fund(_), rest)) if rest.is_empty());
        if !fund || t.text.chars().count() > 20 {
            break;
        }
        let mut row = vec![t.clone()];
        i += 1;
        while i < toks.len() && is_figure(&toks[i].text) && row.len() <= cols.len() + 2 {
            row.push(toks[i].clone());
            i += 1;
        }
        rows.push(row);
    }
    (rows, i)
}

/// Numbers as amounts print them: no leading zero (but `0`, `0.5`), one decimal point, at
/// most four decimals.
fn plain_number(t: &str) -> Option<rust_decimal::Decimal> {
    if t.is_empty() || t.starts_with('.') || t.ends_with('.') {
        return None;
    }
    if t.len() > 1 && t.starts_with('0') && !t.starts_with("0.") {
        return None;
    }
    let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
    if decimals > 4 || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    rust_decimal::Decimal::from_str_exact(t).ok()
}

/// Every way to cut `s` into `n` plain numbers.
fn cuts(s: &str, n: usize, out: &mut Vec<Vec<String>>, cur: &mut Vec<String>) {
    if n == 0 {
        if s.is_empty() {
            out.push(cur.clone());
        }
        return;
    }
    if out.len() > 10_000 {
        return;
    }
    for (end, _) in s
        .char_indices()
        .skip(1)
        .chain(std::iter::once((s.len(), ' ')))
    {
        if plain_number(&s[..end]).is_some() {
            cur.push(s[..end].to_string());
            cuts(&s[end..], n - 1, out, cur);
            cur.pop();
        }
    }
}

/// The total's figures run together (`202010100.00%10` under `全年预算数 | 全年执行数 | 分值 |
/// 执行率 | 得分`): cut where the rate the form prints is the one the amounts give. The
/// rate is the longest number before the `%` (not 0) for which such a cut exists; of the cuts, those
/// that fill the most columns; the cut is taken only when it is the one such cut (a figure
/// is never guessed). The cells, in order, or `None`.
fn cut_glued_figures(s: &str, cols: &[ExecCol]) -> Option<Vec<String>> {
    use rust_decimal::Decimal;
    let pct = s.find(['%', '％'])?;
    let (head, tail) = (&s[..pct], &s[pct..]);
    let sign = tail.chars().next().map_or(1, char::len_utf8);
    let tail = &tail[sign..];
    if head.len() > 40 || tail.contains(['%', '％']) {
        return None;
    }
    let k = cols.iter().position(|c| *c == ExecCol::Rate)?;
    let (pre, post) = (&cols[..k], &cols[k + 1..]);
    // After the rate: its points, one column (or none printed).
    let post_cells: Vec<String> = match (post.len(), tail.is_empty()) {
        (_, true) => Vec::new(),
        (1, false) if plain_number(tail).is_some_and(|d| d <= Decimal::from(100)) => {
            vec![tail.to_string()]
        }
        _ => return None,
    };
    let score = post_cells
        .first()
        .and_then(|t| plain_number(t))
        .filter(|_| post.first() == Some(&ExecCol::Row(ExecRow::Score)));
    let mut rate_starts: Vec<usize> = head.char_indices().map(|(i, _)| i).collect();
    rate_starts.sort_unstable();
    for start in rate_starts {
        let rate_text = &head[start..];
        let Some(rate) = plain_number(rate_text) else {
            continue;
        };
        // A rate of 0 is not cut off run-together figures: its `0` may end a longer rate.
        if rate >= Decimal::from(1000) || rate.is_zero() {
            continue;
        }
        let step = Decimal::new(1, rate.scale());
        let amounts = &head[..start];
        for n in (1..=pre.len()).rev() {
            let mut all = Vec::new();
            cuts(amounts, n, &mut all, &mut Vec::new());
            let fits: Vec<Vec<String>> = all
                .into_iter()
                .filter(|pieces| {
                    let texts: Vec<&str> = pieces.iter().map(String::as_str).collect();
                    let got = |row: ExecRow| {
                        assign_before(pre, &texts)
                            .into_iter()
                            .find(|(c, _)| *c == ExecCol::Row(row))
                            .and_then(|(_, i)| plain_number(texts[i]))
                    };
                    let (Some(budget), Some(spent)) = (got(ExecRow::Budget), got(ExecRow::Spent))
                    else {
                        return false;
                    };
                    if budget.is_zero() {
                        return false;
                    }
                    let weight = got(ExecRow::Weight);
                    let given = spent * Decimal::from(100) / budget;
                    (given - rate).abs() < step
                        && weight.map_or(true, |w| w <= Decimal::from(100))
                        && score.map_or(true, |sc| weight.map_or(true, |w| sc <= w))
                        && assign_before(pre, &texts)
                            .iter()
                            .all(|(c, _)| *c != ExecCol::Other)
                })
                .collect();
            match fits.as_slice() {
                [] => continue,
                [one] => {
                    let mut out = one.clone();
                    out.push(format!("{rate_text}%"));
                    out.extend(post_cells);
                    return Some(out);
                }
                _ => return None,
            }
        }
    }
    None
}

/// Budget execution tables that lost their cell breaks, made rows again: inside a line
/// (`… 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款
/// 90 89.974 89.974 …`, or the same without spaces), and one cell per line (the header's
/// words, then the total's label and figures, each on its own line). The header becomes a
/// row of its words, the total and the rows below it rows of their cells; the text before
/// and after stays as it was, on rows of its own.
pub(super) fn split_exec_tables(rows: Vec<Row>) -> Vec<Row> {
    join_wrapped_totals(split_exec_lines(exec_cell_per_line(rows)))
}

/// The total line right under the execution table's header broken over lines: its label on
/// a line of its own above its figures (a label wrapped in its cell, `年度资金总额` above `| 20
/// | 20 | 19 | 10 | 95% | 9.5`), or its figures going on on the next line (`年度资金总额 | 20 |
/// 20` above `19 | 10 | 95% | 9.5`): one row again, while the lines hold figures only and
/// the header's columns are not exceeded, so that no figure is taken for another column's.
fn join_wrapped_totals(rows: Vec<Row>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        let row = &rows[i];
        out.push(row.clone());
        i += 1;
        let cells: Vec<&Cell> = row.cells.iter().collect();
        if exec_header(&cells).is_none() {
            continue;
        }
        let Some(cols) = exec_header(&cells) else {
            continue;
        };
        let Some(label) = rows.get(i) else {
            continue;
        };
        let figures_only =
            |r: &Row| !r.cells.is_empty() && r.cells.iter().all(|c| is_figure(&c.text));
        let total_label = label.cells.first().is_some_and(|c| {
            !is_figure(&c.text)
                && !is_part(&c.text)
                && label_of(&c.text).map_or(true, |(l, rest)| {
                    matches!(l, Label::Fund(_)) && rest.is_empty()
                })
        }) && label.cells[1..].iter().all(|c| is_figure(&c.text));
        if !total_label {
            continue;
        }
        // The lines after it that hold figures only, while the columns are not yet filled.
        let mut joined = label.clone();
        let mut count = joined.cells.len() - 1;
        let mut used = 1;
        while let Some(next) = rows.get(i + used) {
            if !figures_only(next) || count + next.cells.len() > cols.len() {
                break;
            }
            if count == 0 {
                // The label alone above its figures: the figures keep their columns.
                joined.columns = next.columns;
                if next.columns {
                    joined.cells[0].x = 0;
                }
            } else {
                joined.columns = false;
            }
            joined.cells.extend(next.cells.iter().cloned());
            count += next.cells.len();
            used += 1;
        }
        if used > 1 {
            out.push(joined);
            i += used;
        }
    }
    out
}

/// A budget line printed as headings each followed by its amount (`预算数 6.84 到位数 6.84
/// 执行数 6.84 100.00`): a header row of the headings and the total's row of the figures
/// (a figure after the last pair stays in the row, a note). At least two pairs, one an
/// amount of the year; the line holds nothing else.
fn exec_pairs(row: &Row) -> Option<Vec<Row>> {
    let [cell] = row.cells.as_slice() else {
        return None;
    };
    let toks = toks_of(&cell.text, &cell.origin);
    let mut heads: Vec<&Tok> = Vec::new();
    let mut figures: Vec<&Tok> = Vec::new();
    let mut k = 0;
    while k + 1 < toks.len() && exec_col(&toks[k].text).is_some() && is_figure(&toks[k + 1].text) {
        heads.push(&toks[k]);
        figures.push(&toks[k + 1]);
        k += 2;
    }
    if k + 1 == toks.len() && is_figure(&toks[k].text) {
        figures.push(&toks[k]);
        k += 1;
    }
    let amounts = heads.iter().any(|t| {
        matches!(
            exec_col(&t.text),
            Some(ExecCol::Row(ExecRow::Budget) | ExecCol::Row(ExecRow::Spent))
        )
    });
    if k != toks.len() || heads.len() < 2 || !amounts {
        return None;
    }
    let line = |texts: &[&Tok]| Row {
        cells: texts
            .iter()
            .enumerate()
            .map(|(i, t)| Cell {
                x: u32::try_from(i).unwrap_or(0).saturating_mul(1000),
                text: t.text.clone(),
                origin: t.origin.clone(),
                hidden: Vec::new(),
            })
            .collect(),
        origin: row.origin.clone(),
        columns: false,
    };
    Some(vec![line(&heads), line(&figures)])
}

/// Execution tables inside the words of a line (see [`split_exec_tables`]).
fn split_exec_lines(rows: Vec<Row>) -> Vec<Row> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if row.columns {
            out.push(row);
            continue;
        }
        let found = row
            .cells
            .iter()
            .enumerate()
            .find_map(|(ci, c)| exec_header_in(&c.text).map(|h| (ci, h)));
        let Some((ci, (start, end, cols, glued))) = found else {
            match exec_pairs(&row) {
                Some(rows) => out.extend(rows),
                None => out.push(row),
            }
            continue;
        };
        let cell = &row.cells[ci];
        let text = cell.text.as_str();
        let piece = |t: &str, x: u32| Cell {
            x,
            text: t.trim_matches(is_space).to_string(),
            origin: cell.origin.clone(),
            hidden: Vec::new(),
        };
        let line = |cells: Vec<Cell>| Row {
            cells,
            origin: row.origin.clone(),
            columns: false,
        };
        let mut before: Vec<Cell> = row.cells[..ci].to_vec();
        if !text[..start].trim_matches(is_space).is_empty() {
            before.push(piece(&text[..start], cell.x));
        }
        if !before.is_empty() {
            out.push(line(before));
        }
        // The heading's money unit just before the header (`预算执行情况 (万元) (20 分)`)
        // is the table's.
        let heading: String = text[..start]
            .chars()
            .rev()
            .take(24)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let mut head: Vec<Cell> = cols
            .iter()
            .enumerate()
            .map(|(k, (_, w))| piece(w, u32::try_from(k).unwrap_or(0).saturating_mul(1000)))
            .collect();
        if value::money_unit_in(&heading).is_some()
            && !head.iter().any(|c| value::money_unit_in(&c.text).is_some())
        {
            if let Some(u) = ["(万元)", "（万元）", "(元)", "（元）"].iter().find(|u| {
                let h: String = heading.chars().filter(|c| !is_space(*c)).collect();
                h.contains(**u)
            }) {
                let x = u32::try_from(head.len()).unwrap_or(0).saturating_mul(1000);
                head.push(piece(u, x));
            }
        }
        out.push(line(head));
        let toks = toks_of(&text[end..], &cell.origin);
        let kinds: Vec<ExecCol> = cols.iter().map(|(c, _)| *c).collect();
        let (body, used) = exec_body(&toks, &kinds, glued);
        for r in body {
            out.push(line(
                r.iter()
                    .enumerate()
                    .map(|(k, t)| {
                        piece(&t.text, u32::try_from(k).unwrap_or(0).saturating_mul(1000))
                    })
                    .collect(),
            ));
        }
        let rest_at = if used == 0 {
            end
        } else {
            end + toks[used - 1].end
        };
        let mut after: Vec<Cell> = Vec::new();
        if !text[rest_at..].trim_matches(is_space).is_empty() {
            after.push(piece(&text[rest_at..], cell.x));
        }
        after.extend(row.cells[ci + 1..].iter().cloned());
        if !after.is_empty() {
            // The rest may hold another table (the indicators' header, in a one-line form).
            out.extend(split_exec_lines(vec![line(after)]));
        }
    }
    out
}

/// A budget execution table printed one cell per line: three or more lines in a row each
/// holding one of its column words are its header; the lines after them the total's label
/// and figures and the rows below it. Each put on one row.
fn exec_cell_per_line(rows: Vec<Row>) -> Vec<Row> {
    let words = exec_words();
    let single = |r: &Row| (!r.columns && r.cells.len() == 1).then(|| r.cells[0].text.clone());
    let heading = |t: &str| {
        exec_word_at(t, &words).is_some_and(|(_, n)| t[n..].trim_matches(is_space).is_empty())
    };
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j < rows.len() && single(&rows[j]).is_some_and(|t| heading(&t)) {
            j += 1;
        }
        let cols: Vec<ExecCol> = rows[i..j]
            .iter()
            .filter_map(|r| exec_col(&r.cells[0].text))
            .collect();
        let amounts = cols.iter().any(|c| {
            matches!(
                c,
                ExecCol::Row(ExecRow::Budget) | ExecCol::Row(ExecRow::Spent)
            )
        });
        if j - i < 3 || !amounts {
            out.push(rows[i].clone());
            i += 1;
            continue;
        }
        let mut head = rows[i].clone();
        head.cells = rows[i..j]
            .iter()
            .enumerate()
            .map(|(k, r)| Cell {
                x: u32::try_from(k).unwrap_or(0).saturating_mul(1000),
                ..r.cells[0].clone()
            })
            .collect();
        out.push(head);
        // The lines after the header, while each holds one cell: the body's pieces.
        let mut toks: Vec<Tok> = Vec::new();
        let mut k = j;
        while k < rows.len() && toks.len() < 64 {
            let Some(t) = single(&rows[k]) else {
                break;
            };
            toks.push(Tok {
                text: t.trim_matches(is_space).to_string(),
                end: k,
                origin: rows[k].origin.clone(),
            });
            k += 1;
        }
        let (body, used) = exec_body(&toks, &cols, false);
        for r in body {
            let Some(first) = r.first() else {
                continue;
            };
            out.push(Row {
                cells: r
                    .iter()
                    .enumerate()
                    .map(|(k, t)| Cell {
                        x: u32::try_from(k).unwrap_or(0).saturating_mul(1000),
                        text: t.text.clone(),
                        origin: t.origin.clone(),
                        hidden: Vec::new(),
                    })
                    .collect(),
                origin: first.origin.clone(),
                columns: false,
            });
        }
        i = j + used;
    }
    out
}

/// A percentage as printed (`20%`, `5％`): the number.
pub(in crate::import) fn share_of(t: &str) -> Option<&str> {
    let t = t.trim_matches(is_space);
    let n = t.strip_suffix('%').or_else(|| t.strip_suffix('％'))?;
    is_points(n).then_some(n)
}

/// A 权重 column printed as percentages (`20%`, `5%`) that add up to at most 100 %: each is
/// that share of the form's 100 points, so `20%` is `分值 20` (the spec says so in a
/// comment). A column that mixes shares and points, or whose shares add up to more, stays
/// as printed (comments).
pub(super) fn weights_as_shares(f: &mut Form) {
    let weights: Vec<&str> = f
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Indicator(ind) => ind.year_end.weight.as_deref(),
            _ => None,
        })
        .collect();
    let mut sum = rust_decimal::Decimal::ZERO;
    for w in &weights {
        match share_of(w).and_then(|n| rust_decimal::Decimal::from_str_exact(n).ok()) {
            Some(d) => sum += d,
            None => return,
        }
    }
    if weights.is_empty() || sum > rust_decimal::Decimal::from(100) {
        return;
    }
    for i in &mut f.items {
        if let Item::Indicator(ind) = i {
            ind.year_end.weight_share = ind.year_end.weight.is_some();
        }
    }
}

/// A row below the indicators that states the 总分 or the grade: `总分 | 100 | 98` (the
/// weights' sum, then the score's), `自评等级 | 优`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::import) enum Summary {
    Total(String),
    Grade(String),
}

/// Words of a row that gives the total score (a 合计 row adds up the weights: not these).
pub(super) const TOTAL_WORDS: &[&str] = &[
    "总分",
    "自评总分",
    "综合得分",
    "总得分",
    "自评得分",
    "得分合计",
];
const GRADE_WORDS: &[&str] = &["自评等级", "评价等级", "等级"];
/// The grades a form prints.
const GRADES: &[&str] = &[
    "优",
    "良",
    "中",
    "差",
    "优秀",
    "良好",
    "合格",
    "不合格",
    "较好",
    "一般",
];

/// The 总分 or grade a summary row states, if it states one plainly. With one number only,
/// a table that has a 分值 column may be giving the weights' sum under 总分: not read
/// (得分合计, 自评得分, 自评总分 name the score).
/// A grade may follow the total on its row (`总分 | 100 | 96 | 优`).
/// A summary row whose cells ran together (`总分100100`, `总分10098`, `得分合计100。`, `总分 |
/// 100偏差大或…`): the figures right after the word, up to the first other character. One
/// number is the total when it is one (a score of at most 100, the table has no 分值 column
/// or the word names the score: 得分合计); two run together are the weights' sum and the
/// score (a figure above 200 can be neither), cut only where one cut gives a sum of at most
/// 200 and a score not above it.
fn glued_total(rest: &str, has_weight_col: bool, names_score: bool) -> Option<String> {
    let t: String = rest.chars().filter(|c| !is_space(*c)).collect();
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let after = &t[digits.len()..];
    // What follows is another field (text), not more of the figures.
    if digits.is_empty() || after.starts_with(|c: char| c.is_ascii_digit() || c == '%') {
        return None;
    }
    let hundred = rust_decimal::Decimal::from(100);
    if let Some(d) = plain_number(&digits) {
        if d <= hundred && (!has_weight_col || names_score) {
            return Some(digits);
        }
    }
    // A number that could be one figure is not cut into two.
    if plain_number(&digits).is_some_and(|d| d <= rust_decimal::Decimal::from(200)) {
        return None;
    }
    let mut all = Vec::new();
    cuts(&digits, 2, &mut all, &mut Vec::new());
    let fits: Vec<&Vec<String>> = all
        .iter()
        .filter(|p| match (plain_number(&p[0]), plain_number(&p[1])) {
            (Some(w), Some(sc)) => {
                w <= rust_decimal::Decimal::from(200) && sc <= w && sc <= hundred
            }
            _ => false,
        })
        .collect();
    match fits.as_slice() {
        [one] => Some(one[1].clone()),
        _ => None,
    }
}

pub(super) fn summary_of(cells: &[&Cell], has_weight_col: bool) -> Vec<Summary> {
    let Some((first, rest)) = cells.split_first() else {
        return Vec::new();
    };
    let n = norm(&first.text);
    let word = n.split([':', '(']).next().unwrap_or("");
    // `总分100100`: the word and its figures in one cell.
    // `自评总分：95`, `自评等级：优`: the value after the colon, in the same cell.
    let after_colon = n.split_once(':').map(|(_, v)| v).filter(|v| !v.is_empty());
    let (word, glued_head) = match TOTAL_WORDS
        .iter()
        .filter(|w| word.starts_with(**w) && word.len() > w.len())
        .max_by_key(|w| w.len())
    {
        Some(w) if !TOTAL_WORDS.contains(&word) => (*w, Some(&word[w.len()..])),
        _ => (word, after_colon),
    };
    let mut rest: Vec<String> = glued_head
        .map(str::to_string)
        .into_iter()
        .chain(
            rest.iter()
                .map(|c| one_line(&c.text).trim_matches(is_space).to_string()),
        )
        .filter(|t| !t.is_empty() && !is_nothing(t))
        .collect();
    let mut out = Vec::new();
    if TOTAL_WORDS.contains(&word) {
        let grade = rest
            .last()
            .filter(|g| GRADES.contains(&g.as_str()))
            .cloned();
        if grade.is_some() {
            rest.pop();
        }
        let simple = rest.iter().all(|t| is_points(t))
            && rest.len() <= 2
            && !matches!(rest.as_slice(), [one] if rust_decimal::Decimal::from_str_exact(one)
                .is_ok_and(|d| d > rust_decimal::Decimal::from(200)));
        // 得分合计, 自评得分, 自评总分 name the score; 总分 alone may be the weights' sum.
        let names_score = word.contains("得分") || word.starts_with("自评");
        let total = if simple {
            match rest.as_slice() {
                [one] if !has_weight_col || names_score => Some(one.clone()),
                [_, score] => Some(score.clone()),
                _ => None,
            }
        } else {
            None
        };
        // Cells that ran together: read off their text.
        let total = total.or_else(|| {
            if simple {
                return None;
            }
            let joined: String = rest.concat();
            glued_total(&joined, has_weight_col, names_score)
        });
        match total {
            // Points: `95分` is 95.
            Some(t) => out.push(Summary::Total(t.trim_end_matches('分').to_string())),
            None => return out,
        }
        out.extend(grade.map(Summary::Grade));
    } else if GRADE_WORDS.contains(&word) {
        if let [g] = rest.as_slice() {
            if GRADES.contains(&g.as_str()) {
                out.push(Summary::Grade(g.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_columns_and_totals() {
        assert_eq!(
            exec_col("全年预算数(A)"),
            Some(ExecCol::Row(ExecRow::Budget))
        );
        assert_eq!(exec_col("执行率(B/A)"), Some(ExecCol::Rate));
        assert_eq!(
            exec_col("得分 (20分*执行率)"),
            Some(ExecCol::Row(ExecRow::Score))
        );
        assert_eq!(
            exec_col("调整后预算数"),
            Some(ExecCol::Row(ExecRow::Budget))
        );
        assert_eq!(exec_col("项目名称"), None);
        // Figures run together: cut where the amounts give the printed rate.
        use ExecRow::*;
        let cols = [
            ExecCol::Row(Budget),
            ExecCol::Row(Spent),
            ExecCol::Row(Weight),
            ExecCol::Rate,
            ExecCol::Row(Score),
        ];
        assert_eq!(
            cut_glued_figures("202010100.00%10", &cols),
            Some(
                vec!["20", "20", "10", "100.00%", "10"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        let cols = [
            ExecCol::Row(Budget),
            ExecCol::Row(Spent),
            ExecCol::Rate,
            ExecCol::Row(Score),
        ];
        assert_eq!(
            cut_glued_figures("194.9194.9100%", &cols[..3]),
            Some(
                vec!["194.9", "194.9", "100%"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        assert_eq!(
            cut_glued_figures("10001000100%20", &cols),
            Some(
                vec!["1000", "1000", "100%", "20"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        // No rate, or two cuts that give it: not cut.
        assert_eq!(cut_glued_figures("10001000", &cols), None);
        assert_eq!(cut_glued_figures("123100%", &cols[..3]), None);
        assert!(is_rate("97.80%"));
        assert!(!is_rate("97.80"));
        assert!(looks_like_weight("10"));
        assert!(!looks_like_weight("31.69"));
        let cell = |t: &str| Cell {
            x: 0,
            text: t.to_string(),
            origin: Origin::default(),
            hidden: Vec::new(),
        };
        let (a, b, c) = (cell("总分"), cell("100"), cell("98"));
        assert_eq!(
            summary_of(&[&a, &b, &c], true),
            [Summary::Total("98".into())]
        );
        assert!(summary_of(&[&a, &b], true).is_empty());
        // Cells run together.
        assert_eq!(
            summary_of(&[&cell("总分100100")], true),
            [Summary::Total("100".into())]
        );
        assert_eq!(
            summary_of(&[&a, &cell("10098")], true),
            [Summary::Total("98".into())]
        );
        assert_eq!(
            summary_of(&[&cell("得分合计"), &cell("100。")], true),
            [Summary::Total("100".into())]
        );
        assert_eq!(
            summary_of(&[&a, &cell("100偏差大或目标未完成原因分析无")], false),
            [Summary::Total("100".into())]
        );
        assert!(summary_of(&[&a, &cell("100偏差大")], true).is_empty());
        // The value after a colon in the word's cell.
        assert_eq!(
            summary_of(&[&cell("自评总分：95分")], false),
            [Summary::Total("95".into())]
        );
        assert_eq!(
            summary_of(&[&cell("自评等级：优")], true),
            [Summary::Grade("优".into())]
        );
        let (g, y) = (cell("自评等级"), cell("优"));
        assert_eq!(summary_of(&[&g, &y], true), [Summary::Grade("优".into())]);
        assert_eq!(
            summary_of(&[&a, &b, &c, &y], true),
            [Summary::Total("98".into()), Summary::Grade("优".into())]
        );
    }
}
