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
    Some(match base {
        "年初预算数" | "年初预算" | "年初预算金额" | "年初预算数(万元)" => {
            ExecCol::Row(ExecRow::Initial)
        }
        "全年预算数" | "全年预算" | "调整后预算数" | "调整后预算" | "预算数" | "全年预算金额" => {
            ExecCol::Row(ExecRow::Budget)
        }
        "全年执行数" | "全年执行" | "执行数" | "预算执行数" | "实际支出数" | "全年实际支出"
        | "实际执行数" => ExecCol::Row(ExecRow::Spent),
        "分值" | "权重" => ExecCol::Row(ExecRow::Weight),
        "得分" => ExecCol::Row(ExecRow::Score),
        "执行率" | "预算执行率" => ExecCol::Rate,
        "原因" | "偏差原因" | "说明" => ExecCol::Other,
        _ => return None,
    })
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

/// Read a row of the budget execution table. The first such row is the total (年度资金总额);
/// the rows below it are its parts, kept as comments.
pub(super) fn exec_row(f: &mut Form, cells: &[&Cell], columns: bool) {
    let Some((first, rest)) = cells.split_first() else {
        return;
    };
    let label = one_line(&first.text);
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
    if before.len() >= pre.len() {
        for (c, col) in before.iter().zip(pre) {
            out.push((*col, val(c)));
        }
        for c in before.iter().skip(pre.len()) {
            out.push((ExecCol::Other, val(c)));
        }
    } else {
        let mut cells: &[&Cell] = &before;
        let mut money: Vec<ExecCol> = pre.to_vec();
        if pre.last() == Some(&ExecCol::Row(ExecRow::Weight)) {
            money.pop();
            if let Some((last, head)) = cells.split_last() {
                if looks_like_weight(&last.text) {
                    out.push((ExecCol::Row(ExecRow::Weight), val(last)));
                    cells = head;
                }
            }
        }
        let skip = money.len().saturating_sub(cells.len());
        for (c, col) in cells.iter().zip(money.iter().skip(skip)) {
            out.push((*col, val(c)));
        }
        for c in cells.iter().skip(money.len()) {
            out.push((ExecCol::Other, val(c)));
        }
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
        unit: f.money_unit,
        details: Vec::new(),
    });
}

/// A row below the indicators that states the 总分 or the grade: `总分 | 100 | 98` (the
/// weights' sum, then the score's), `自评等级 | 优`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::import) enum Summary {
    Total(String),
    Grade(String),
}

/// Words of a row that gives the total score (a 合计 row adds up the weights: not these).
const TOTAL_WORDS: &[&str] = &[
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
/// a table that has a 分值 column may be giving the weights' sum: not read.
/// A grade may follow the total on its row (`总分 | 100 | 96 | 优`).
pub(super) fn summary_of(cells: &[&Cell], has_weight_col: bool) -> Vec<Summary> {
    let Some((first, rest)) = cells.split_first() else {
        return Vec::new();
    };
    let n = norm(&first.text);
    let word = n.split([':', '(']).next().unwrap_or("");
    let mut rest: Vec<String> = rest
        .iter()
        .map(|c| one_line(&c.text).trim_matches(is_space).to_string())
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
        if !rest.iter().all(|t| is_points(t)) {
            return out;
        }
        match rest.as_slice() {
            [one] if !has_weight_col => out.push(Summary::Total(one.clone())),
            [_, score] => out.push(Summary::Total(score.clone())),
            _ => return out,
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
        let (g, y) = (cell("自评等级"), cell("优"));
        assert_eq!(summary_of(&[&g, &y], true), [Summary::Grade("优".into())]);
        assert_eq!(
            summary_of(&[&a, &b, &c, &y], true),
            [Summary::Total("98".into()), Summary::Grade("优".into())]
        );
    }
}
