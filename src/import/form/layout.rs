//! What a row is, by its words: titles, years, page furniture, category words, the
//! indicator table's header and its columns.

use super::*;

/// The longest column heading (`年度指标值(2026年度)(项目)`): a cell of more is text.
const MAX_HEADING_CHARS: usize = 24;

/// The words that end a form's title: the Shanghai 申报表's, then other templates'.
const TITLE_WORDS: &[&str] = &[
    "绩效目标申报表",
    "绩效目标表",
    "绩效目标批复表",
    "绩效目标审批表",
    "绩效自评表",
    "绩效目标自评表",
    "项目自评表",
];

pub(super) fn is_form_title(n: &str) -> bool {
    if n.contains(TITLE_WORDS[0]) {
        return true;
    }
    // Other templates' titles, unless they follow a reference (`附件 1：绩效目标表`).
    TITLE_WORDS[1..]
        .iter()
        .any(|t| n.find(t).is_some_and(|i| !n[..i].contains(':')))
}

fn title_gap(s: &str) -> &str {
    s.trim_start_matches(|c: char| is_space(c) || matches!(c, ':' | '：'))
}

/// A line of page text without breaks that starts with the title and goes on with the
/// form (`…部门预算项目支出绩效目标表项目名称滨湖…`): the title and the rest as two rows,
/// so the rest is read (else the whole line is taken for the title). `None` unless a label
/// or the table's header follows the title directly.
pub(super) fn split_after_title(row: &Row) -> Option<(Row, Row)> {
    let [cell] = row.cells.as_slice() else {
        return None;
    };
    let t = cell.text.trim_matches(is_space);
    let end = TITLE_WORDS
        .iter()
        .filter_map(|w| t.find(w).map(|i| i + w.len()))
        .min()?;
    let mut rest = title_gap(&t[end..]);
    let mut end = t.len() - rest.len();
    // `(2026 年度)` after the title stays with it.
    if rest.starts_with(['(', '（']) {
        let close = rest.find([')', '）'])?;
        let bracket = &rest[..close];
        if !is_year_cell(&norm(&format!("{bracket})"))) {
            return None;
        }
        let after = close + rest[close..].chars().next().map_or(1, char::len_utf8);
        end += after;
        rest = title_gap(&rest[after..]);
    }
    if rest.is_empty() || glued_word_at(rest).is_none() {
        return None;
    }
    let piece = |text: &str, dx: usize| Row {
        cells: vec![Cell {
            x: cell.x.saturating_add(u32::try_from(dx).unwrap_or(0)),
            text: text.to_string(),
            origin: cell.origin.clone(),
            hidden: cell.hidden.clone(),
        }],
        origin: row.origin.clone(),
        columns: row.columns,
    };
    let dx = t[..t.len() - rest.len()].width();
    Some((
        piece(t[..end].trim_end_matches(is_space), 0),
        piece(rest, dx),
    ))
}

pub(super) fn is_summary_title(n: &str) -> bool {
    n.contains("汇总表")
}

/// `(2026 年度)` alone in a cell.
pub(super) fn is_year_cell(n: &str) -> bool {
    let t = n.trim_start_matches('(').trim_end_matches(')');
    let t = t.strip_suffix("年度").or_else(|| t.strip_suffix('年'));
    t.is_some_and(|d| d.len() == 4 && d.chars().all(|c| c.is_ascii_digit()))
}

/// `第 1 页`, `第1页 共4页`, `- 2 -`, `2/4`: page furniture, not content.
pub(super) fn is_page_marker(n: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let page = |s: &str| {
        s.strip_prefix('第')
            .and_then(|s| s.strip_suffix('页'))
            .is_some_and(digits)
    };
    let total = |s: &str| {
        s.strip_prefix('共')
            .and_then(|s| s.strip_suffix('页'))
            .is_some_and(digits)
    };
    if page(n) || total(n) {
        return true;
    }
    if let Some(i) = n.find("页共") {
        return page(&n[..i + '页'.len_utf8()]) && total(&n[i + '页'.len_utf8()..]);
    }
    if let Some(i) = n.find("页第") {
        return total(&n[..i + '页'.len_utf8()]) && page(&n[i + '页'.len_utf8()..]);
    }
    if let Some(m) = n.strip_prefix('-').and_then(|s| s.strip_suffix('-')) {
        return digits(m);
    }
    if let Some((a, b)) = n.split_once('/') {
        return digits(a) && digits(b) && a.len() <= 3 && b.len() <= 3;
    }
    false
}

/// A category word: 一级 (`成本指标`) or 二级 (`经济成本 指标`, `服务对象 满意度指 标`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cat {
    L1(Level1),
    /// The 二级 category, and whether an older or regional name was used for it.
    L2(Level2, bool),
}

pub(super) fn cat_word(text: &str) -> Option<Cat> {
    let mut n = norm(text);
    // `产出指标(50分)`, `成本指标(0-20)分`: the category's weight (or its range) on a
    // 自评表.
    if let Some(i) = n.find('(') {
        let tail = &n[i..];
        let inner = tail
            .strip_suffix("分)")
            .or_else(|| tail.strip_suffix(")分"))
            .map(|t| &t[1..]);
        let points = |t: &str| {
            !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '~' | '—' | '－'))
        };
        if inner.is_some_and(points) {
            n.truncate(i);
        }
    }
    // `服务对象满意度指标(必填)`, `数量指标(或建筑规模指标)`, `时效指标(工期指标、形象进度
    // 指标)`: the template's annotation after the category word.
    if let Some(i) = n.find('(') {
        let tail = &n[i..];
        let annotation = tail.ends_with(')')
            && (tail.contains("必填")
                || tail.contains("选填")
                || tail.starts_with("(或")
                || tail.contains("指标"));
        if i > 0 && annotation {
            n.truncate(i);
        }
    }
    // `预算(或投资规模)控制指标`: an alternative in brackets inside the word.
    while let Some(i) = n.find("(或") {
        match n[i..].find(')') {
            Some(j) => n.replace_range(i..i + j + 1, ""),
            None => break,
        }
    }
    // `服务对象满意度指标等`: the template's "and the like".
    if n.len() > "等".len() && n.ends_with("指标等") {
        n.truncate(n.len() - "等".len());
    }
    let base = n
        .strip_suffix("指标")
        .or_else(|| n.strip_suffix('指'))
        .unwrap_or(&n);
    if base.is_empty() {
        return None;
    }
    if let Some((_, l1)) = taxonomy::LEVEL1_WORDS.iter().find(|(w, _)| *w == base) {
        return Some(Cat::L1(*l1));
    }
    match taxonomy::resolve(base)? {
        Match::Exact(l2) => Some(Cat::L2(l2, false)),
        Match::Alias(l2) | Match::Legacy(l2) => Some(Cat::L2(l2, true)),
    }
}

/// Left-overs of labels split over lines: `绩效 指标` → `绩效` / `指标`, `满意度指` / `标`.
pub(super) fn is_debris(text: &str) -> bool {
    let n = norm(text);
    matches!(
        n.as_str(),
        "绩效指标" | "绩效" | "指标" | "指" | "标" | "项目绩效目标" | "绩效目标" | "目标"
    ) || is_placeholder(&n)
        || n == EMPTY_CELL
}

/// The template's empty placeholder rows: `……`, `...`, `指标2:`, `指标3` with nothing after.
pub(super) fn is_placeholder(n: &str) -> bool {
    if !n.is_empty() && n.chars().all(|c| matches!(c, '…' | '.' | '·' | '。' | '⋯')) {
        return true;
    }
    n.strip_prefix("指标")
        .map(|r| r.trim_end_matches(':'))
        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

/// The columns of the indicator table's header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HeadCol {
    L1,
    L2,
    L3,
    Value,
    Op,
    Unit,
    Remark,
    /// The year-end columns of a 自评表: 实际完成值 (全年实际值 …), 分值 (权重), 得分 and
    /// 偏差原因 (未完成原因 …). Each becomes its statement under the indicator.
    Actual,
    Weight,
    Score,
    Deviation,
    /// A column of another template that is neither the target nor a year-end column
    /// (长期指标值, 指标解释 …): each cell is kept as a comment after its indicator, under
    /// the column's name.
    Kept(&'static str),
}

impl HeadCol {
    /// A column of the year-end 自评表.
    pub(super) fn is_year_end(self) -> bool {
        matches!(
            self,
            HeadCol::Actual | HeadCol::Weight | HeadCol::Score | HeadCol::Deviation
        )
    }
}

/// The year-end columns, by a word their header holds.
const YEAR_END_COLUMNS: &[(&str, HeadCol)] = &[
    ("实际完成值", HeadCol::Actual),
    // `预算设定指标值 | 项目完成指标值`: the target and the actual.
    ("完成指标值", HeadCol::Actual),
    ("实际完成情况", HeadCol::Actual),
    ("全年实际值", HeadCol::Actual),
    ("实际值", HeadCol::Actual),
    ("完成值", HeadCol::Actual),
    ("分值", HeadCol::Weight),
    ("权重", HeadCol::Weight),
    ("得分", HeadCol::Score),
    ("偏差原因", HeadCol::Deviation),
    ("未完成原因", HeadCol::Deviation),
    ("改进措施", HeadCol::Deviation),
];

/// Columns of other templates, by a word their header holds, with the name they are kept
/// under. Tried before the target column, so `长期指标值` is not taken for the year's value.
pub(super) const KEPT_COLUMNS: &[(&str, &str)] = &[
    ("长期指标值", "长期指标值"),
    ("长期目标值", "长期指标值"),
    ("中期目标值", "中期指标值"),
    ("实施期指标值", "实施期指标值"),
    ("中期指标值", "中期指标值"),
    ("指标解释", "指标解释"),
    ("绩效标准", "绩效标准"),
    ("计划标准", "绩效标准"),
    ("评分标准", "评分标准"),
    ("指标来源", "指标来源"),
    // A description beside the name (`绩效指标描述`, often the name again).
    ("指标描述", "指标描述"),
];

/// The halves of a form with a long-term and a yearly table side by side (`二级指标(长期)` |
/// … | `指标值(年度)`): the long-term columns are kept as comments, the yearly ones are the
/// indicator's.
const LONG_TERM_MARKS: &[(&str, &str)] = &[
    ("(长期)", "长期"),
    ("(中期)", "中期"),
    ("(实施期)", "实施期"),
];

pub(super) fn head_col(text: &str) -> Option<HeadCol> {
    let n = norm(text);
    // A heading is a few words; a long cell that holds one (a whole form run together on
    // one line) is no heading.
    if n.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    for (mark, _) in LONG_TERM_MARKS {
        if let Some(base) = n.strip_suffix(mark) {
            return match head_col(base)? {
                HeadCol::L2 => Some(HeadCol::Kept("长期二级指标")),
                HeadCol::L3 => Some(HeadCol::Kept("长期三级指标")),
                HeadCol::Value => Some(HeadCol::Kept("长期指标值")),
                other => Some(other),
            };
        }
    }
    if let Some(base) = n.strip_suffix("(年度)").filter(|b| !b.is_empty()) {
        return head_col(base);
    }
    if let Some((_, name)) = KEPT_COLUMNS.iter().find(|(w, _)| n.contains(w)) {
        return Some(HeadCol::Kept(name));
    }
    if let Some((_, h)) = YEAR_END_COLUMNS.iter().find(|(w, _)| n.contains(w)) {
        return Some(*h);
    }
    Some(match n.as_str() {
        "一级指标" => HeadCol::L1,
        "二级指标" => HeadCol::L2,
        "三级指标" | "指标内容" => HeadCol::L3,
        "比较符" | "指标方向" | "方向" | "运算符" | "指标性质" => HeadCol::Op,
        "计量单位" | "单位" | "度量单位" => HeadCol::Unit,
        "备注" | "说明" => HeadCol::Remark,
        // `当年预期实现值` (湖北 市直 form): the target, under another name.
        _ if n.contains("指标值") || n.contains("目标值") || n.contains("预期实现值") => {
            HeadCol::Value
        }
        _ => return None,
    })
}

/// The header row of the indicator table, if `row` is one.
pub(super) fn indicator_header(row: &Row) -> Option<Vec<(HeadCol, u32)>> {
    let cols: Vec<(HeadCol, u32)> = row
        .cells
        .iter()
        .filter_map(|c| head_col(&c.text).map(|h| (h, c.x)))
        .collect();
    let main = [HeadCol::L1, HeadCol::L2, HeadCol::L3, HeadCol::Value]
        .iter()
        .filter(|h| cols.iter().any(|(c, _)| c == *h))
        .count();
    (main >= 2).then_some(cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_words_split_and_shifted() {
        assert_eq!(
            cat_word("经济成本 指标"),
            Some(Cat::L2(Level2::EconomicCost, false))
        );
        assert_eq!(
            cat_word("服务对象 满意度指 标"),
            Some(Cat::L2(Level2::Satisfaction, false))
        );
        assert_eq!(
            cat_word("经济成本"),
            Some(Cat::L2(Level2::EconomicCost, false))
        );
        assert_eq!(cat_word("满意度指标"), Some(Cat::L1(Level1::Satisfaction)));
        assert_eq!(
            cat_word("进度指标"),
            Some(Cat::L2(Level2::Timeliness, true))
        );
        assert_eq!(cat_word("窗口申请材料受理"), None);
        assert!(is_debris("绩效 指标"));
        assert!(is_page_marker("第1页共4页"));
        assert!(is_page_marker("-3-"));
        assert!(!is_page_marker("12345"));
    }
}
