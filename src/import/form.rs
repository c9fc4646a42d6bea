//! Finding the 申报表 in rows of cells, by its labels and category words.
//!
//! Positions are only a tie-breaker (which of two 其他资金 is which column, which goal a
//! text sits under): copies out of PDF and Word shift columns, split labels
//! (`服务对象 满意度指 标`), break rows across lines and leave page-break debris, so
//! everything that can be recognised by its words is.

use super::value::{self, is_space, Value};
use super::{Note, NoteKind, Origin};
use crate::diag::Msg;
use crate::model::{Level1, Level2};
use crate::msg;
use crate::vocab::ops;
use crate::vocab::taxonomy::{self, Match};
use unicode_width::UnicodeWidthStr;

/// One non-empty cell. `x` orders cells left to right: column × 1000 (+ the display offset
/// inside a tab-separated cell) for tables, the display column for space-aligned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cell {
    pub x: u32,
    pub text: String,
    pub origin: Origin,
    /// Invisible characters removed from the text (zero-width, bidi controls, …).
    pub hidden: Vec<char>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Row {
    pub cells: Vec<Cell>,
    pub origin: Origin,
}

/// Where the rows came from: text copies wrap long cells onto several lines; workbook
/// cells hold their own line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Text,
    Sheet,
}

/// The funding rows of the form, as the vocabulary defines them.
pub(super) use crate::vocab::FundRow as Fund;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Name,
    Nature,
    Kind,
    Department,
    Unit,
    Start,
    End,
    Period,
    FundingBlock,
    Fund(Fund),
    PerfGoal,
    GoalTotal,
    GoalAnnual,
    PerfInd,
    /// A field of another template that a spec has no statement for (负责人及电话,
    /// 项目属性): kept, with its value, as a comment.
    Extra,
}

/// Labels as they appear on forms, compared after [`norm`].
const LABELS: &[(&str, Label)] = &[
    ("项目名称", Label::Name),
    ("项目性质", Label::Nature),
    ("项目类别", Label::Kind),
    ("主管部门", Label::Department),
    ("主管部门及代码", Label::Department),
    ("主管单位", Label::Department),
    ("实施单位", Label::Unit),
    ("项目实施单位", Label::Unit),
    ("计划开始日期", Label::Start),
    ("开始日期", Label::Start),
    ("计划完成日期", Label::End),
    ("计划结束日期", Label::End),
    ("完成日期", Label::End),
    ("实施期限", Label::Period),
    ("项目期限", Label::Period),
    ("实施周期", Label::Period),
    ("项目周期", Label::Period),
    ("项目资金", Label::FundingBlock),
    ("项目资金(元)", Label::FundingBlock),
    ("项目资金(万元)", Label::FundingBlock),
    ("项目绩效目标", Label::PerfGoal),
    ("绩效目标", Label::PerfGoal),
    ("项目总目标", Label::GoalTotal),
    ("总目标", Label::GoalTotal),
    ("年度总体目标", Label::GoalAnnual),
    ("年度目标", Label::GoalAnnual),
    ("绩效指标", Label::PerfInd),
    // Other templates' words for the same fields.
    ("项目主管部门", Label::Department),
    ("主管部门及编码", Label::Department),
    ("主管部门(单位)名称", Label::Department),
    ("主管部门(单位)", Label::Department),
    ("预算单位", Label::Department),
    ("申报单位", Label::Department),
    ("部门", Label::Department),
    ("部门名称", Label::Department),
    ("单位名称", Label::Unit),
    ("具体实施单位", Label::Unit),
    ("项目(专项)名称", Label::Name),
    ("项目起止时间", Label::Period),
    ("项目起止日期", Label::Period),
    ("项目金额", Label::FundingBlock),
    ("预算资金", Label::FundingBlock),
    ("资金总额", Label::Fund(Fund::ProjectTotal)),
    ("当年资金总额", Label::Fund(Fund::AnnualTotal)),
    ("本年财政拨款", Label::Fund(Fund::Appropriation)),
    ("项目分类", Label::Extra),
    ("项目概况及立项依据", Label::Extra),
    ("立项依据", Label::Extra),
    ("预算部门", Label::Department),
    ("主管部门名称", Label::Department),
    ("县级主管部门", Label::Department),
    ("项目执行单位", Label::Unit),
    ("执行单位", Label::Unit),
    ("实施单位名称", Label::Unit),
    ("专项资金名称", Label::Name),
    ("专项名称", Label::Name),
    ("项目支出实施期", Label::Period),
    ("项目实施期", Label::Period),
    ("资金情况", Label::FundingBlock),
    ("资金投入情况", Label::FundingBlock),
    ("年度资金情况", Label::FundingBlock),
    ("年度预算数", Label::Fund(Fund::AnnualTotal)),
    ("年度本级预算金额", Label::Fund(Fund::AnnualTotal)),
    ("年度金额", Label::Fund(Fund::AnnualTotal)),
    ("实施期资金总额", Label::Fund(Fund::ProjectTotal)),
    ("实施期绩效目标", Label::GoalTotal),
    ("实施期目标", Label::GoalTotal),
    ("总体目标", Label::PerfGoal),
    ("长期目标", Label::GoalTotal),
    ("本年度绩效目标", Label::GoalAnnual),
    ("年度绩效目标", Label::GoalAnnual),
    ("年初设定目标", Label::GoalAnnual),
    ("项目负责人及电话", Label::Extra),
    ("项目负责人及联系电话", Label::Extra),
    ("负责人及联系电话", Label::Extra),
    ("负责人及电话", Label::Extra),
    ("项目负责人", Label::Extra),
    ("联系人及电话", Label::Extra),
    ("项目属性", Label::Extra),
    ("项目期", Label::Extra),
    ("项目类型", Label::Extra),
    ("资金用途", Label::Extra),
    ("项目概况", Label::Extra),
];

/// Words below the form that are not indicators (signatures, contacts).
/// Rows of a 自评表 (or a 申报表's notes) below the indicators that are not indicators:
/// totals and conclusions. A row whose first cell is one of these is kept as a comment.
const SUMMARY_WORDS: &[&str] = &[
    "合计",
    "总计",
    "小计",
    "总分",
    "总得分",
    "得分合计",
    "自评得分",
    "评价结论",
    "自评结论",
    "自评等级",
    "评价等级",
    "存在问题",
    "改进措施",
    "存在的问题及原因",
    "下一步改进措施",
    "财政部门审核意见",
    "主管部门审核意见",
];

const FOOTER_WORDS: &[&str] = &[
    "填报人",
    "填表人",
    "联系人",
    "联系电话",
    "审核人",
    "负责人",
    "单位负责人",
    "财务负责人",
    "填报日期",
    "填报单位",
    "备注",
    "说明",
    "注",
];

/// A label compared without white space, full-width brackets and colons, or a leading 其中.
pub(super) fn norm(s: &str) -> String {
    let mut t: String = s
        .chars()
        .filter(|c| !is_space(*c))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            c => c,
        })
        .collect();
    while t.ends_with(':') {
        t.pop();
    }
    if let Some(r) = t.strip_prefix("其中") {
        t = r.trim_start_matches(':').to_string();
    }
    t
}

fn exact_label(n: &str) -> Option<Label> {
    // `年度资金总额(万元)`: the label with its unit (the unit is read by the caller).
    if let Some(base) = n.strip_suffix("(万元)").or_else(|| n.strip_suffix("(元)")) {
        if !base.is_empty() {
            if let Some(l) = exact_label_plain(base) {
                return Some(l);
            }
        }
    }
    exact_label_plain(n)
}

fn exact_label_plain(n: &str) -> Option<Label> {
    LABELS
        .iter()
        .find(|(w, _)| *w == n)
        .map(|(_, l)| *l)
        .or_else(|| {
            crate::vocab::funding::ROWS
                .iter()
                .find(|r| r.key == n || r.aliases.contains(&n) || r.form_labels.contains(&n))
                .map(|r| Label::Fund(r.row))
        })
}

/// A cell that is a label, or starts with one followed by a separator
/// (`年度资金申请总额：991,823.00`): the label and the text after it.
fn label_of(text: &str) -> Option<(Label, String)> {
    let n = norm(text);
    if let Some(l) = exact_label(&n) {
        return Some((l, String::new()));
    }
    let mut best = None;
    // Labels are short: only the start of a cell can hold one (long cells stay linear).
    for (i, c) in text.char_indices().take(24) {
        if is_space(c) || c == ':' || c == '：' {
            if let Some(l) = exact_label(&norm(&text[..i])) {
                best = Some((l, i));
            }
        }
    }
    let (l, at) = best?;
    let rest = text[at..].trim_start_matches(|c: char| is_space(c) || c == ':' || c == '：');
    Some((l, rest.trim_end_matches(is_space).to_string()))
}

/// A cell of page text that holds several labels with their values, separated by single
/// spaces (`主管部门 南岳镇政府 实施单位 湖南省…`, `项目资金总额 771,325,800.00
/// 年度资金申请总额`): split before every word that is a label. Only a cell that starts
/// with a label is split, so a name or a goal that merely contains a label word stays whole.
fn split_at_labels(cell: &Cell) -> Vec<Cell> {
    let t = cell.text.as_str();
    // Words with their byte offsets.
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices() {
        match (is_space(c), start) {
            (true, Some(s)) => {
                words.push((s, &t[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, &t[s..]));
    }
    // A money unit in brackets (`(万元)`) stands for the funding heading it belongs to.
    let is_label_word = |w: &str| {
        let head = w.split([':', '：']).next().unwrap_or(w);
        let n = norm(head);
        !head.is_empty() && (exact_label(&n).is_some() || matches!(n.as_str(), "(万元)" | "(元)"))
    };
    if words.len() == 1 {
        return split_glued(cell);
    }
    if words.len() < 3 || !is_label_word(words[0].1) {
        return vec![cell.clone()];
    }
    let cuts: Vec<usize> = words
        .iter()
        .skip(1)
        .filter(|(_, w)| is_label_word(w))
        .map(|(at, _)| *at)
        .collect();
    // A real header line holds a handful of labels; a cell with more is text.
    if cuts.is_empty() || cuts.len() > MAX_LABELS_IN_CELL {
        return vec![cell.clone()];
    }
    let mut out = Vec::new();
    let mut from = 0;
    for at in cuts.into_iter().chain(std::iter::once(t.len())) {
        let piece = t[from..at].trim_matches(is_space);
        if !piece.is_empty() {
            let dx = u32::try_from(t[..from].width()).unwrap_or(u32::MAX);
            out.push(Cell {
                x: cell.x.saturating_add(dx),
                text: piece.to_string(),
                origin: cell.origin.clone(),
                hidden: if from == 0 {
                    cell.hidden.clone()
                } else {
                    Vec::new()
                },
            });
        }
        from = at;
    }
    out
}

/// More labels than this in one cell: the cell is text, not a header line to split.
const MAX_LABELS_IN_CELL: usize = 16;

/// Words that start a piece of page text copied without any cell breaks: labels and the
/// indicator table's column headers, at least four characters long (shorter ones occur
/// inside names too often).
fn glued_word_at(t: &str) -> Option<usize> {
    let mut best: Option<usize> = None;
    let mut consider = |w: &str| {
        if w.chars().count() >= 4 && t.starts_with(w) && best.map_or(true, |b| w.len() > b) {
            best = Some(w.len());
        }
    };
    for (w, _) in LABELS {
        consider(w);
    }
    for r in crate::vocab::funding::ROWS {
        consider(r.key);
        r.aliases
            .iter()
            .chain(r.form_labels)
            .for_each(|w| consider(w));
    }
    for w in [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标内容",
        "年度指标值",
        "指标值",
    ] {
        consider(w);
    }
    best
}

/// A cell of page text copied without any cell breaks that starts with a label
/// (`项目主管部门青山区教育局项目执行单位化工区学校`): split before and after every label
/// word in it.
fn split_glued(cell: &Cell) -> Vec<Cell> {
    let t = cell.text.trim_matches(is_space);
    let Some(first) = glued_word_at(t) else {
        return vec![cell.clone()];
    };
    // `上年结转资金（追加）`: a label with a note of its own, not a label and a value.
    if first == t.len() || t[first..].starts_with(['(', '（']) {
        return vec![cell.clone()];
    }
    let mut cuts = vec![0, first];
    let mut i = first;
    while i < t.len() {
        if cuts.len() > 2 * MAX_LABELS_IN_CELL {
            return vec![cell.clone()];
        }
        match glued_word_at(&t[i..]) {
            Some(len) => {
                cuts.push(i);
                cuts.push(i + len);
                i += len;
            }
            None => i += t[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    cuts.push(t.len());
    cuts.dedup();
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let piece = t[w[0]..w[1]].trim_matches(|c: char| is_space(c) || c == ':' || c == '：');
        if piece.is_empty() {
            continue;
        }
        let dx = u32::try_from(t[..w[0]].width()).unwrap_or(u32::MAX);
        out.push(Cell {
            x: cell.x.saturating_add(dx),
            text: piece.to_string(),
            origin: cell.origin.clone(),
            hidden: if w[0] == 0 {
                cell.hidden.clone()
            } else {
                Vec::new()
            },
        });
    }
    out
}

fn is_form_title(n: &str) -> bool {
    if n.contains("绩效目标申报表") {
        return true;
    }
    // Other templates' titles, unless they follow a reference (`附件 1：绩效目标表`).
    [
        "绩效目标表",
        "绩效目标批复表",
        "绩效目标审批表",
        "绩效自评表",
    ]
    .iter()
    .any(|t| n.find(t).is_some_and(|i| !n[..i].contains(':')))
}

fn is_summary_title(n: &str) -> bool {
    n.contains("汇总表")
}

/// `(2026 年度)` alone in a cell.
fn is_year_cell(n: &str) -> bool {
    let t = n.trim_start_matches('(').trim_end_matches(')');
    let t = t.strip_suffix("年度").or_else(|| t.strip_suffix('年'));
    t.is_some_and(|d| d.len() == 4 && d.chars().all(|c| c.is_ascii_digit()))
}

/// `第 1 页`, `第1页 共4页`, `- 2 -`, `2/4`: page furniture, not content.
fn is_page_marker(n: &str) -> bool {
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
enum Cat {
    L1(Level1),
    /// The 二级 category, and whether an older or regional name was used for it.
    L2(Level2, bool),
}

fn cat_word(text: &str) -> Option<Cat> {
    let mut n = norm(text);
    // `产出指标(50分)`: the category's weight on a 自评表.
    if let Some(i) = n.find('(') {
        let tail = &n[i..];
        if tail.ends_with("分)")
            && tail[1..tail.len() - "分)".len()]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
        {
            n.truncate(i);
        }
    }
    let base = n
        .strip_suffix("指标")
        .or_else(|| n.strip_suffix('指'))
        .unwrap_or(&n);
    if base.is_empty() {
        return None;
    }
    match base {
        "成本" => return Some(Cat::L1(Level1::Cost)),
        "产出" => return Some(Cat::L1(Level1::Output)),
        "效益" | "效果" => return Some(Cat::L1(Level1::Benefit)),
        "满意度" => return Some(Cat::L1(Level1::Satisfaction)),
        _ => {}
    }
    match taxonomy::resolve(base)? {
        Match::Exact(l2) => Some(Cat::L2(l2, false)),
        Match::Alias(l2) | Match::Legacy(l2) => Some(Cat::L2(l2, true)),
    }
}

/// Left-overs of labels split over lines: `绩效 指标` → `绩效` / `指标`, `满意度指` / `标`.
fn is_debris(text: &str) -> bool {
    matches!(
        norm(text).as_str(),
        "绩效指标" | "绩效" | "指标" | "指" | "标" | "项目绩效目标" | "绩效目标" | "目标"
    )
}

/// The columns of the indicator table's header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeadCol {
    L1,
    L2,
    L3,
    Value,
    Op,
    Unit,
    Remark,
    /// A column of another template that is not the target (分值, 实际完成值, 得分,
    /// 偏差原因, 长期指标值, 指标解释 …): each cell is kept as a comment after its
    /// indicator, under the column's name.
    Kept(&'static str),
}

/// Columns of other templates, by a word their header holds, with the name they are kept
/// under. Tried before the target column, so `长期指标值` is not taken for the year's value.
const KEPT_COLUMNS: &[(&str, &str)] = &[
    ("长期指标值", "长期指标值"),
    ("长期目标值", "长期指标值"),
    ("中期目标值", "中期指标值"),
    ("实施期指标值", "实施期指标值"),
    ("中期指标值", "中期指标值"),
    ("实际完成值", "实际完成值"),
    ("实际完成情况", "实际完成值"),
    ("全年实际值", "实际完成值"),
    ("实际值", "实际完成值"),
    ("完成值", "实际完成值"),
    ("分值", "分值"),
    ("权重", "分值"),
    ("得分", "得分"),
    ("偏差原因", "偏差原因"),
    ("未完成原因", "偏差原因"),
    ("改进措施", "偏差原因"),
    ("指标解释", "指标解释"),
    ("绩效标准", "绩效标准"),
    ("计划标准", "绩效标准"),
    ("评分标准", "评分标准"),
    ("指标来源", "指标来源"),
];

fn head_col(text: &str) -> Option<HeadCol> {
    let n = norm(text);
    if let Some((_, name)) = KEPT_COLUMNS.iter().find(|(w, _)| n.contains(w)) {
        return Some(HeadCol::Kept(name));
    }
    Some(match n.as_str() {
        "一级指标" => HeadCol::L1,
        "二级指标" => HeadCol::L2,
        "三级指标" | "指标内容" => HeadCol::L3,
        "比较符" | "指标方向" | "方向" | "运算符" | "指标性质" => HeadCol::Op,
        "计量单位" | "单位" | "度量单位" => HeadCol::Unit,
        "备注" | "说明" => HeadCol::Remark,
        _ if n.contains("指标值") || n.contains("目标值") => HeadCol::Value,
        _ => return None,
    })
}

/// The header row of the indicator table, if `row` is one.
fn indicator_header(row: &Row) -> Option<Vec<(HeadCol, u32)>> {
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

/// Join two pieces of one text broken over lines: directly between Chinese characters, with
/// a space between two Latin words or numbers.
pub(super) fn join_fragments(a: &str, b: &str) -> String {
    let mut s = a.to_string();
    push_fragment(&mut s, b);
    s
}

/// [`join_fragments`] in place, so a long run of broken lines stays linear.
fn push_fragment(a: &mut String, b: &str) {
    let kept = a.trim_end_matches(is_space).len();
    a.truncate(kept);
    let b = b.trim_start_matches(is_space);
    if b.is_empty() {
        return;
    }
    let la = a
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let fb = b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if la && fb {
        a.push(' ');
    }
    a.push_str(b);
}

/// A text shortened for a message (the report keeps the input text itself).
fn short(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        return s.to_string();
    }
    let head: String = s.chars().take(MAX).collect();
    format!("{head}…")
}

/// A cell's own line breaks (a workbook cell with Alt+Enter) joined like broken lines.
fn one_line(s: &str) -> String {
    let mut out = String::new();
    for part in s.split(['\n', '\r']) {
        push_fragment(&mut out, part);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Val {
    pub text: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Amount {
    pub fund: Fund,
    /// ASCII digits as printed, no separators.
    pub number: String,
    /// The amount is in 万元 (the form's heading or the cell says so).
    pub wan: bool,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unmapped {
    pub origin: Origin,
    pub text: String,
    pub reason: Msg,
}

/// Where an unmapped piece is kept in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Header,
    Funding,
    Goals,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ind {
    pub level2: Level2,
    pub name: String,
    pub value: Value,
    pub origin: Origin,
    /// Text from a 备注 column, kept as a comment after the indicator.
    pub remarks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    Indicator(Ind),
    Unmapped(Unmapped),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Header,
    Goals,
    Indicators,
}

/// One form as read.
#[derive(Debug, Clone, Default)]
pub(super) struct Form {
    /// The bundle's title (`<单位> 2026 年度项目绩效目标汇总表`) when there is one.
    pub summary_title: Option<String>,
    pub year: Option<u16>,
    pub origin: Origin,
    pub name: Option<Val>,
    pub nature: Option<Val>,
    pub kind: Option<Val>,
    pub department: Option<Val>,
    pub unit: Option<Val>,
    /// `YYYY-MM-DD`
    pub start: Option<Val>,
    pub end: Option<Val>,
    pub amounts: Vec<Amount>,
    pub goal_total: Option<Val>,
    pub goal_annual: Option<Val>,
    pub items: Vec<Item>,
    pub unmapped: Vec<(Section, Unmapped)>,
    /// Notes about this form (their spec index is set when rendering).
    pub notes: Vec<Note>,
    /// Where the rows came from (decides how broken goal lines are joined).
    pub flavor: Option<Flavor>,
    /// Content before the form in the same text or sheet, kept at the top of its spec.
    pub prelude: Vec<Unmapped>,
    /// The form is a year-end 自评表 (its title says so, or it has a 实际完成值 column).
    pub self_evaluation: bool,

    state: State,
    /// The money unit the funding heading states (`项目资金（元）`, `资金情况(万元)`).
    money_unit: Option<value::MoneyUnit>,
    goal_parts: Vec<(bool, Val)>,
    goal_x: (Option<u32>, Option<u32>),
    left_x: Option<u32>,
    right_x: Option<u32>,
    /// The labels of the last header row that had any, for continuation lines.
    last_labels: Vec<(Label, u32)>,
    /// A label that ended its row without a value: the next row's cells are its value
    /// (copies that put every cell on a line of its own).
    awaiting: Option<(Label, u32, Origin)>,
    cols: Vec<(HeadCol, u32)>,
    ind_rows: Vec<Row>,
}

impl Form {
    pub fn has_content(&self) -> bool {
        self.name.is_some()
            || self.nature.is_some()
            || self.kind.is_some()
            || self.department.is_some()
            || self.unit.is_some()
            || self.start.is_some()
            || self.end.is_some()
            || !self.amounts.is_empty()
            || !self.goal_parts.is_empty()
            || self.goal_annual.is_some()
            || !self.ind_rows.is_empty()
            || !self.items.is_empty()
    }

    fn note(&mut self, kind: NoteKind, origin: &Origin, text: &str, message: Msg) {
        self.notes.push(Note {
            kind,
            spec: None,
            origin: origin.clone(),
            text: text.to_string(),
            message,
        });
    }

    fn unmapped(&mut self, section: Section, origin: &Origin, text: &str, reason: Msg) {
        self.note(NoteKind::Unmapped, origin, text, reason.clone());
        self.unmapped.push((
            section,
            Unmapped {
                origin: origin.clone(),
                text: text.to_string(),
                reason,
            },
        ));
    }
}

/// Everything found in one stream of rows.
#[derive(Debug, Clone, Default)]
pub(super) struct Recognised {
    pub forms: Vec<Form>,
    /// Content before the first form, kept at the top of the first spec.
    pub prelude: Vec<Unmapped>,
    pub prelude_notes: Vec<Note>,
}

impl Recognised {
    /// The forms of several sheets in order. A sheet without a form contributes nothing
    /// (the caller reports the sheet as skipped).
    pub fn concat(parts: Vec<Recognised>) -> Recognised {
        let mut out = Recognised::default();
        for p in parts {
            out.forms.extend(p.forms);
        }
        out
    }
}

fn row_text(cells: &[&Cell]) -> String {
    cells
        .iter()
        .map(|c| one_line(&c.text))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Read every form in `rows`.
pub(super) fn recognise(rows: &[Row], flavor: Flavor) -> Recognised {
    let mut out = Recognised::default();
    let mut cur: Option<Form> = None;
    let mut summary_title: Option<String> = None;
    let mut pending_year: Option<u16> = None;
    // A title seen while a form is still open: a new form starts only if header labels
    // follow (a PDF repeats the title at the top of every page).
    let mut pending_title = false;
    let mut pending_notes: Vec<Note> = Vec::new();

    for row in rows {
        // Header lines are split at their labels; rows of the indicator table are not (a
        // name may start with a label's words: `财政资金补助`).
        let in_table = cur.as_ref().is_some_and(|f| f.state == State::Indicators);
        let split: Vec<Cell> = if in_table {
            row.cells.clone()
        } else {
            row.cells.iter().flat_map(split_at_labels).collect()
        };
        let row = &Row {
            cells: split,
            origin: row.origin.clone(),
        };
        let cells: Vec<&Cell> = row.cells.iter().filter(|c| !c.text.is_empty()).collect();
        if cells.is_empty() {
            continue;
        }
        // Reported with the form the row ends up in (titles come before their form).
        for c in &cells {
            if !c.hidden.is_empty() {
                let list: Vec<String> = c
                    .hidden
                    .iter()
                    .map(|h| format!("U+{:04X}", *h as u32))
                    .collect();
                let list = list.join(", ");
                pending_notes.push(Note {
                    kind: NoteKind::Adjusted,
                    spec: None,
                    origin: c.origin.clone(),
                    text: c.text.clone(),
                    message: msg!(
                        "删除了不可见字符 {list}",
                        "removed the invisible characters {list}"
                    ),
                });
            }
        }
        let norms: Vec<String> = cells.iter().map(|c| norm(&c.text)).collect();

        // Titles and the year line, wherever they are.
        if norms
            .iter()
            .any(|n| is_summary_title(n) && !is_form_title(n))
        {
            let t = cells
                .iter()
                .map(|c| c.text.trim())
                .collect::<Vec<_>>()
                .join(" ");
            summary_title = Some(crate::syntax::normalize_spaces(&t));
            if let Some(y) = value::year_in(&t) {
                pending_year = Some(y);
            }
            continue;
        }
        if let Some(i) = norms.iter().position(|n| is_form_title(n)) {
            let year = value::year_in(&cells[i].text);
            let self_evaluation = norms[i].contains("自评");
            match cur.as_mut() {
                Some(f) if f.has_content() => pending_title = true,
                Some(f) => f.origin = row.origin.clone(),
                None => {
                    cur = Some(new_form(&summary_title, pending_year, &row.origin, flavor));
                }
            }
            if year.is_some() {
                pending_year = year;
                if let (Some(f), false) = (cur.as_mut(), pending_title) {
                    f.year = year;
                }
            }
            // A year on the same line: `财政项目支出绩效目标申报表 (2026 年度)`.
            for n in norms.iter().skip(i + 1) {
                if is_year_cell(n) {
                    pending_year = value::year_in(n).or(pending_year);
                }
            }
            if let (Some(f), true) = (cur.as_mut(), self_evaluation) {
                if !pending_title {
                    f.self_evaluation = true;
                }
            }
            continue;
        }
        if cells.len() == 1 && is_year_cell(&norms[0]) {
            let y = value::year_in(&norms[0]);
            match cur.as_mut() {
                Some(f) if !pending_title && f.year.is_none() => f.year = y,
                _ => pending_year = y.or(pending_year),
            }
            continue;
        }
        if cells.len() == 1 && is_page_marker(&norms[0]) {
            continue;
        }

        let has_header_label = cells.iter().any(|c| {
            matches!(
                label_of(&c.text),
                Some((
                    Label::Name
                        | Label::Nature
                        | Label::Kind
                        | Label::Department
                        | Label::Unit
                        | Label::Start
                        | Label::End,
                    _
                ))
            )
        });
        let starts_form = cells
            .iter()
            .any(|c| matches!(label_of(&c.text), Some((Label::Name, _))));

        // Start a new form where one clearly begins.
        let new_needed = match cur.as_ref() {
            None => has_header_label || indicator_header(row).is_some(),
            Some(f) => {
                (pending_title && has_header_label)
                    || (starts_form && (f.name.is_some() || f.state != State::Header))
            }
        };
        if new_needed {
            if let Some(f) = cur.take() {
                out.forms.push(finish(f));
            }
            cur = Some(new_form(&summary_title, pending_year, &row.origin, flavor));
            pending_title = false;
        }
        let Some(f) = cur.as_mut() else {
            // Before the first form: keep it for the first spec.
            let text = row_text(&cells);
            let reason = msg!(
                "申报表之前的内容，未能对应到任何栏目",
                "content before the first form, not part of any field"
            );
            out.prelude_notes.push(Note {
                kind: NoteKind::Unmapped,
                spec: None,
                origin: row.origin.clone(),
                text: text.clone(),
                message: reason.clone(),
            });
            out.prelude.push(Unmapped {
                origin: row.origin.clone(),
                text,
                reason,
            });
            out.prelude_notes.append(&mut pending_notes);
            continue;
        };
        f.notes.append(&mut pending_notes);
        if pending_title {
            // The title came back but no header followed: a page header, not a new form.
            pending_title = false;
            f.note(
                NoteKind::Adjusted,
                &row.origin,
                "财政项目支出绩效目标申报表",
                msg!(
                    "表题重复出现但其后没有新的表头，视为分页处的重复表题",
                    "the title came again without a new header: read as a repeated page header"
                ),
            );
        }
        if f.year.is_none() {
            f.year = pending_year;
        }

        // The table's header row, or its words one per line.
        let heads: Vec<(HeadCol, u32)> = cells
            .iter()
            .filter_map(|c| head_col(&c.text).map(|h| (h, c.x)))
            .collect();
        let main_head = heads
            .iter()
            .any(|(h, _)| matches!(h, HeadCol::L1 | HeadCol::L2 | HeadCol::L3 | HeadCol::Value));
        if indicator_header(row).is_some() || (main_head && heads.len() == cells.len()) {
            if f.state == State::Indicators && !f.ind_rows.is_empty() {
                // The header again after a page break: debris.
                continue;
            }
            if f.state != State::Indicators {
                f.cols.clear();
            }
            f.cols.extend(heads);
            // Actuals beside the targets: a year-end 自评表.
            if f.cols
                .iter()
                .any(|(h, _)| *h == HeadCol::Kept("实际完成值"))
            {
                f.self_evaluation = true;
            }
            f.state = State::Indicators;
            continue;
        }
        match f.state {
            State::Header => header_row(f, row, &cells),
            State::Goals => goal_row(f, &cells),
            State::Indicators => f.ind_rows.push(Row {
                cells: cells.iter().map(|c| (*c).clone()).collect(),
                origin: row.origin.clone(),
            }),
        }
    }
    if let Some(mut f) = cur.take() {
        f.notes.append(&mut pending_notes);
        out.forms.push(finish(f));
    }
    out.forms.retain(Form::has_content);
    // Content before the first form stays with it.
    if let Some(first) = out.forms.first_mut() {
        first.prelude = std::mem::take(&mut out.prelude);
        let mut notes = std::mem::take(&mut out.prelude_notes);
        notes.append(&mut first.notes);
        first.notes = notes;
    }
    out
}

fn new_form(summary: &Option<String>, year: Option<u16>, origin: &Origin, flavor: Flavor) -> Form {
    Form {
        summary_title: summary.clone(),
        year,
        origin: origin.clone(),
        flavor: Some(flavor),
        ..Form::default()
    }
}

/// A row above the goal block: label cells and the values after them.
fn header_row(f: &mut Form, row: &Row, cells: &[&Cell]) {
    let awaiting = f.awaiting.take();
    let labels: Vec<(usize, Label, String)> = cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| label_of(&c.text).map(|(l, rest)| (i, l, rest)))
        .collect();

    if labels.is_empty() {
        // A row of category words and a value: the indicator table without its header.
        if cells.iter().any(|c| cat_word(&c.text).is_some()) && cells.len() >= 2 {
            f.state = State::Indicators;
            f.ind_rows.push(Row {
                cells: cells.iter().map(|c| (*c).clone()).collect(),
                origin: row.origin.clone(),
            });
            return;
        }
        if let Some((label, x, origin)) = awaiting {
            apply_label(f, label, x, &origin, cells);
            return;
        }
        orphan_row(f, cells);
        return;
    }

    // Cells before the first label (the 项目资金 rowspan column is a label itself).
    let first = labels[0].0;
    orphan_row(f, &cells[..first]);
    // Which of this row's 其他资金 is which column.
    let others: Vec<usize> = labels
        .iter()
        .filter(|(_, l, _)| *l == Label::Fund(Fund::Other))
        .map(|(i, _, _)| *i)
        .collect();
    let mut this_row = Vec::new();
    for (k, (i, label, rest)) in labels.iter().enumerate() {
        let next = labels.get(k + 1).map(|l| l.0).unwrap_or(cells.len());
        let mut values: Vec<&Cell> = Vec::new();
        let rest_cell;
        if !rest.is_empty() {
            rest_cell = Cell {
                x: cells[*i].x,
                text: rest.clone(),
                origin: cells[*i].origin.clone(),
                hidden: Vec::new(),
            };
            values.push(&rest_cell);
        }
        values.extend(cells[i + 1..next].iter().copied());
        let x = cells[*i].x;
        this_row.push((*label, x));
        // `项目资金（万元）`, `资金情况(元)`: the unit of every amount of the block.
        if *label == Label::FundingBlock {
            if let Some(u) = value::money_unit_in(&cells[*i].text) {
                f.money_unit = Some(u);
            }
        }
        let label = match label {
            Label::Fund(Fund::Other) => {
                let right = if others.len() >= 2 {
                    others.last() == Some(i)
                } else {
                    match (f.left_x, f.right_x) {
                        (Some(l), Some(r)) => x.abs_diff(r) <= x.abs_diff(l),
                        (None, Some(r)) => x.saturating_add(500) >= r,
                        (Some(l), None) => x > l.saturating_add(500),
                        (None, None) => true,
                    }
                };
                if right {
                    Label::Fund(Fund::Other)
                } else {
                    Label::Fund(Fund::ProjectOther)
                }
            }
            l => *l,
        };
        if label == Label::Extra {
            // Keep the label with its value: `项目负责人及电话 彭兵`.
            let text = cells[*i].text.trim_end_matches(is_space);
            let label_text = text
                .strip_suffix(rest.as_str())
                .unwrap_or(text)
                .trim_end_matches(|c: char| is_space(c) || c == ':' || c == '：');
            let head = Cell {
                x,
                text: one_line(label_text),
                origin: cells[*i].origin.clone(),
                hidden: Vec::new(),
            };
            let with_label: Vec<&Cell> = std::iter::once(&head)
                .chain(values.iter().copied())
                .collect();
            apply_label(f, label, x, &cells[*i].origin, &with_label);
        } else {
            apply_label(f, label, x, &cells[*i].origin, &values);
        }
        let takes_value = !matches!(
            label,
            Label::FundingBlock
                | Label::PerfGoal
                | Label::PerfInd
                | Label::GoalTotal
                | Label::GoalAnnual
        );
        f.awaiting = (takes_value && values.is_empty() && k + 1 == labels.len())
            .then(|| (label, x, cells[*i].origin.clone()));
    }
    f.last_labels = this_row;
}

/// The field a text label fills.
fn text_slot(f: &mut Form, label: Label) -> Option<&mut Option<Val>> {
    Some(match label {
        Label::Name => &mut f.name,
        Label::Nature => &mut f.nature,
        Label::Kind => &mut f.kind,
        Label::Department => &mut f.department,
        Label::Unit => &mut f.unit,
        _ => return None,
    })
}

fn label_word(label: Label) -> &'static str {
    match label {
        Label::Name => "项目名称",
        Label::Nature => "项目性质",
        Label::Kind => "项目类别",
        Label::Department => "主管部门",
        Label::Unit => "实施单位",
        _ => "",
    }
}

fn set_text(f: &mut Form, label: Label, origin: &Origin, values: &[&Cell]) {
    let text = values
        .iter()
        .map(|c| one_line(&c.text))
        .collect::<Vec<_>>()
        .join(" ");
    let text = crate::syntax::normalize_spaces(&text);
    if text.is_empty() {
        return;
    }
    let what = label_word(label);
    let origin = values
        .first()
        .map(|c| c.origin.clone())
        .unwrap_or_else(|| origin.clone());
    let prev = match text_slot(f, label) {
        None => return,
        Some(slot) => match slot {
            Some(prev) => prev.text.clone(),
            None => {
                *slot = Some(Val { text, origin });
                return;
            }
        },
    };
    if prev != text {
        f.unmapped(
            Section::Header,
            &origin,
            &format!("{what} {text}"),
            msg!(
                "{what} 出现第二次（已采用 “{prev}”）",
                "{what} appears twice (“{prev}” was used)"
            ),
        );
    }
}

fn apply_label(f: &mut Form, label: Label, x: u32, origin: &Origin, values: &[&Cell]) {
    let joined = || {
        values
            .iter()
            .map(|c| one_line(&c.text))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match label {
        Label::Name | Label::Nature | Label::Kind | Label::Department | Label::Unit => {
            set_text(f, label, origin, values)
        }
        Label::Extra => {
            let text = joined();
            f.unmapped(
                Section::Header,
                origin,
                text.trim(),
                msg!(
                    "表上的其他栏目，规范中没有对应字段，保留为注释",
                    "a field of the form that specs do not have, kept as a comment"
                ),
            );
        }
        Label::Start | Label::End => {
            let text = joined();
            if text.trim().is_empty() {
                return;
            }
            let what = if label == Label::Start {
                "计划开始日期"
            } else {
                "计划完成日期"
            };
            let o = values
                .first()
                .map(|c| c.origin.clone())
                .unwrap_or_else(|| origin.clone());
            match value::parse_date(&text) {
                Some(d) => {
                    let slot = if label == Label::Start {
                        &mut f.start
                    } else {
                        &mut f.end
                    };
                    if slot.is_none() {
                        *slot = Some(Val { text: d, origin: o });
                    }
                }
                None => f.unmapped(
                    Section::Header,
                    &o,
                    &format!("{what} {text}"),
                    msg!("{what} 不是有效日期", "{what} is not a valid date"),
                ),
            }
        }
        Label::Period => {
            let text = joined();
            if text.trim().is_empty() {
                return;
            }
            let o = values
                .first()
                .map(|c| c.origin.clone())
                .unwrap_or_else(|| origin.clone());
            let parsed = value::leading_date(&text).and_then(|(a, rest)| {
                let rest = rest.trim_start_matches(|c: char| {
                    is_space(c) || matches!(c, '至' | '~' | '～' | '-' | '—' | '－')
                });
                value::parse_date(rest).map(|b| (a, b))
            });
            match parsed {
                Some((a, b)) => {
                    f.start.get_or_insert(Val {
                        text: a,
                        origin: o.clone(),
                    });
                    f.end.get_or_insert(Val { text: b, origin: o });
                }
                None => f.unmapped(
                    Section::Header,
                    &o,
                    &text,
                    msg!("实施期限读不出两个日期", "no two dates in the period"),
                ),
            }
        }
        Label::FundingBlock => orphan_row(f, values),
        Label::Fund(fund) => {
            match fund {
                Fund::AnnualTotal | Fund::Appropriation | Fund::Carryover => {
                    f.right_x.get_or_insert(x);
                }
                Fund::ProjectTotal | Fund::ProjectFiscal => {
                    f.left_x.get_or_insert(x);
                }
                _ => {}
            }
            let mut amounts = Vec::new();
            for c in values {
                match value::parse_amount(&c.text) {
                    Ok(Some(a)) => {
                        if let Some(note) = &a.note {
                            let key = fund.key();
                            f.unmapped(
                                Section::Funding,
                                &c.origin,
                                &format!("{key} {note}"),
                                msg!("金额后的说明", "a note after the amount"),
                            );
                        }
                        amounts.push((a.number, a.unit, c.origin.clone()))
                    }
                    Ok(None) => {}
                    Err(()) => {
                        let key = fund.key();
                        f.unmapped(
                            Section::Funding,
                            &c.origin,
                            &format!("{key} {}", one_line(&c.text)),
                            msg!("{key} 的金额无法识别", "the amount of {key} cannot be read"),
                        )
                    }
                }
            }
            // One 其他资金 label with two amounts: the left column's, then this year's.
            let funds: Vec<Fund> =
                if amounts.len() == 2 && matches!(fund, Fund::Other | Fund::ProjectOther) {
                    vec![Fund::ProjectOther, Fund::Other]
                } else {
                    vec![fund; amounts.len()]
                };
            for (k, ((number, wan, o), fund)) in amounts.into_iter().zip(funds).enumerate() {
                let key = fund.key();
                let duplicate = f
                    .amounts
                    .iter()
                    .find(|a| a.fund == fund)
                    .map(|a| a.number.clone());
                if (k > 0 && fund != Fund::Other)
                    || duplicate.as_ref().is_some_and(|p| *p != number)
                {
                    f.unmapped(
                        Section::Funding,
                        &o,
                        &format!("{key} {number}"),
                        msg!(
                            "{key} 多出一个金额（已采用第一个）",
                            "an extra amount for {key} (the first was used)"
                        ),
                    );
                    continue;
                }
                if duplicate.is_some() {
                    continue;
                }
                // No amount is read without its unit: a form that states neither 元 nor
                // 万元 keeps the amount as a comment, for a person to write with its unit.
                let Some(unit) = wan.or(f.money_unit) else {
                    f.unmapped(
                        Section::Funding,
                        &o,
                        &format!("{key} {number}"),
                        msg!(
                            "表上未注明金额单位（元还是万元？），未读入：请写明单位，如 `{key} {number} 万元`",
                            "the form does not say whether amounts are in 元 or 万元; not read: write it with its unit, e.g. `{key} {number} 万元`"
                        ),
                    );
                    continue;
                };
                let wan = unit == value::MoneyUnit::Wan;
                f.amounts.push(Amount {
                    fund,
                    number,
                    wan,
                    origin: o,
                });
            }
        }
        Label::PerfGoal | Label::PerfInd => {
            // The rowspan labels; a text right after 项目绩效目标 is the goal itself on
            // forms without the 项目总目标 / 年度总体目标 split.
            if label == Label::PerfGoal && !values.is_empty() {
                for c in values {
                    f.goal_parts.push((
                        false,
                        Val {
                            text: c.text.clone(),
                            origin: c.origin.clone(),
                        },
                    ));
                }
            }
        }
        Label::GoalTotal | Label::GoalAnnual => {
            let total = label == Label::GoalTotal;
            if total {
                f.goal_x.0 = Some(x);
            } else {
                f.goal_x.1 = Some(x);
            }
            f.state = State::Goals;
            for c in values {
                f.goal_parts.push((
                    total,
                    Val {
                        text: c.text.clone(),
                        origin: c.origin.clone(),
                    },
                ));
            }
        }
    }
}

/// A header row without labels: the rest of a value broken onto the next line, or content
/// the form does not have.
fn orphan_row(f: &mut Form, cells: &[&Cell]) {
    let left: Vec<&Cell> = cells.iter().copied().filter(|c| !absorb(f, c)).collect();
    let Some(first) = left.first() else {
        return;
    };
    let section = if f.right_x.is_some() || f.left_x.is_some() {
        Section::Funding
    } else {
        Section::Header
    };
    let origin = first.origin.clone();
    f.unmapped(
        section,
        &origin,
        &row_text(&left),
        msg!(
            "不属于申报表的任何栏目",
            "not part of any field of the form"
        ),
    );
}

/// Whether a cell without a label is accounted for: the money unit, a piece of a split
/// label, or the rest of a value broken onto the next line.
fn absorb(f: &mut Form, c: &Cell) -> bool {
    let n = norm(&c.text);
    if matches!(n.as_str(), "(元)" | "元" | "(万元)" | "万元") || n.starts_with("单位:") {
        if let Some(u) = value::money_unit_in(&n) {
            f.money_unit = Some(u);
            return true;
        }
    }
    if matches!(
        n.as_str(),
        "项目资金" | "项目" | "资金" | "绩效" | "目标" | "指标"
    ) {
        return true;
    }
    if is_year_cell(&n) {
        if f.year.is_none() {
            f.year = value::year_in(&n);
        }
        return true;
    }
    // The label of the last labelled row just left of this cell owns it.
    let owner = f
        .last_labels
        .iter()
        .filter(|(_, x)| *x < c.x)
        .max_by_key(|(_, x)| *x)
        .map(|(l, _)| *l);
    if let Some(Some(v)) = owner.and_then(|l| text_slot(f, l)).map(|s| s.as_mut()) {
        let before = short(&v.text);
        push_fragment(&mut v.text, &one_line(&c.text));
        let after = short(&v.text);
        f.note(
            NoteKind::Adjusted,
            &c.origin,
            &c.text,
            msg!(
                "接到上一行的 “{before}” 之后，成为 “{after}”",
                "joined to “{before}” on the line above: “{after}”"
            ),
        );
        return true;
    }
    false
}

/// A row of goal text: each cell belongs to the goal whose label it sits under.
fn goal_row(f: &mut Form, cells: &[&Cell]) {
    // Labels again (a form that puts the goal labels on two lines).
    let labels: Vec<(usize, Label)> = cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match exact_label(&norm(&c.text)) {
            Some(l @ (Label::GoalTotal | Label::GoalAnnual | Label::PerfGoal)) => Some((i, l)),
            _ => None,
        })
        .collect();
    let min_x = [f.goal_x.0, f.goal_x.1].into_iter().flatten().min();
    for (i, c) in cells.iter().enumerate() {
        match labels.iter().find(|(j, _)| *j == i).map(|(_, l)| *l) {
            Some(Label::GoalTotal) => {
                f.goal_x.0 = Some(c.x);
                continue;
            }
            Some(Label::GoalAnnual) => {
                f.goal_x.1 = Some(c.x);
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        // Pieces of the 项目绩效目标 rowspan label, left of the goal columns.
        if min_x.is_some_and(|m| c.x < m) && is_debris(&c.text) {
            continue;
        }
        let total = match f.goal_x {
            (Some(t), Some(a)) => c.x.abs_diff(t) < c.x.abs_diff(a),
            (Some(_), None) => true,
            _ => false,
        };
        f.goal_parts.push((
            total,
            Val {
                text: c.text.clone(),
                origin: c.origin.clone(),
            },
        ));
    }
}

// ---------------------------------------------------------------------------------------
// Goal text

/// HTML a source system left in the text: paragraph tags become paragraph breaks, inline
/// tags go, entities are decoded. Returns the text and the tags removed.
fn strip_html(s: &str) -> (String, Vec<String>) {
    const BLOCK: &[&str] = &["p", "br", "div", "li", "ul", "ol", "tr", "table"];
    const INLINE: &[&str] = &[
        "span", "strong", "b", "i", "u", "em", "font", "td", "th", "sup", "sub",
    ];
    let mut out = String::with_capacity(s.len());
    let mut removed = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find(['<', '&']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix('&') {
            let ents = [
                ("&nbsp;", " "),
                ("&amp;", "&"),
                ("&lt;", "<"),
                ("&gt;", ">"),
                ("&quot;", "\""),
                ("&#39;", "'"),
            ];
            if let Some((e, r)) = ents.iter().find(|(e, _)| tail.starts_with(e)) {
                out.push_str(r);
                removed.push((*e).to_string());
                rest = &tail[e.len()..];
            } else {
                out.push('&');
                rest = after;
            }
            continue;
        }
        let close = tail.find('>').filter(|&i| i <= 200);
        let tag = close.map(|i| &tail[1..i]);
        let name: Option<String> = tag.map(|t| {
            t.trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase()
        });
        match (close, name) {
            (Some(i), Some(n)) if BLOCK.contains(&n.as_str()) || INLINE.contains(&n.as_str()) => {
                removed.push(tail[..=i].to_string());
                if BLOCK.contains(&n.as_str()) {
                    let closing = tail[1..].starts_with('/');
                    // An opening tag breaks the paragraph only after some text.
                    if closing || n == "br" || !out.trim_end_matches(is_space).is_empty() {
                        out.push_str("\n\n");
                    }
                }
                rest = &tail[i + 1..];
            }
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    (out, removed)
}

/// Tidy a goal text: trailing spaces dropped, at most one blank line between paragraphs,
/// no blank lines at either end.
fn tidy_text(s: &str) -> String {
    // The same white space a `.perf` text block uses, so the text reads back unchanged.
    let ws = crate::syntax::is_ws;
    let mut out: Vec<&str> = Vec::new();
    let mut blank = false;
    for line in s.split('\n') {
        let line = line.trim_end_matches(|c: char| ws(c) || c == '\r');
        if line.chars().all(ws) {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push("");
        }
        blank = false;
        out.push(line);
    }
    let indent = out
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take_while(|c| ws(*c)).count())
        .min()
        .unwrap_or(0);
    out.iter()
        .map(|l| l.chars().skip(indent).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(is_space)
        .chars()
        .next_back()
        .is_some_and(|c| "。！？!?；;：:…”」』".contains(c))
}

fn build_goals(f: &mut Form, flavor: Flavor) {
    let parts = std::mem::take(&mut f.goal_parts);
    let mut total: Vec<Val> = Vec::new();
    let mut annual: Vec<Val> = Vec::new();
    for (is_total, v) in parts {
        if is_total {
            total.push(v);
        } else {
            annual.push(v);
        }
    }
    // Every form fills 年度总体目标 and many leave 项目总目标 blank: text found only under
    // 项目总目标 by position is the annual goal shifted left, as PDF copies do.
    if annual.is_empty() && !total.is_empty() {
        f.note(
            NoteKind::Adjusted,
            &total[0].origin,
            "",
            msg!(
                "只找到一段目标文本，位置偏向 “项目总目标”，按 “年度总体目标” 处理（年度总体目标必填）",
                "only one goal text, placed nearer 项目总目标: read as 年度总体目标 (the required one)"
            ),
        );
        annual = std::mem::take(&mut total);
    }
    for (parts, is_total) in [(total, true), (annual, false)] {
        if parts.is_empty() {
            continue;
        }
        let origin = parts[0].origin.clone();
        let mut text = String::new();
        let mut prev_ended = true;
        for p in &parts {
            let (clean, removed) = strip_html(&p.text);
            if !removed.is_empty() {
                let mut tags: Vec<String> = removed;
                tags.dedup();
                tags.sort();
                tags.dedup();
                let list = tags.join(" ");
                f.note(
                    NoteKind::Adjusted,
                    &p.origin,
                    &list,
                    msg!(
                        "删除了目标文本中的 HTML 标记 {list}",
                        "removed the HTML markup {list} from the goal text"
                    ),
                );
            }
            let clean = tidy_text(&clean);
            if clean.is_empty() {
                continue;
            }
            if text.is_empty() {
                text = clean;
            } else if flavor == Flavor::Sheet || prev_ended {
                text.push('\n');
                text.push_str(&clean);
            } else {
                // A line the PDF wrapped inside a sentence.
                push_fragment(&mut text, &clean);
                f.note(
                    NoteKind::Adjusted,
                    &p.origin,
                    &clean,
                    msg!(
                        "目标文本跨行，已与上一行连接",
                        "the goal text continued on this line and was joined to the line above"
                    ),
                );
            }
            prev_ended = ends_sentence(&text);
        }
        let text = tidy_text(&text);
        if text.is_empty() {
            continue;
        }
        let v = Some(Val { text, origin });
        if is_total {
            f.goal_total = v;
        } else {
            f.goal_annual = v;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Indicator rows

#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    CatsOnly,
    Complete {
        name: String,
        value: Value,
    },
    ValueOnly(Value),
    NameOnly(String),
    /// A name, then something in the value column that is not a value.
    BadValue(String),
    /// Contacts and signatures under the table.
    Footer,
}

#[derive(Debug, Clone)]
struct IndRow {
    origin: Origin,
    raw: String,
    l1: Option<Level1>,
    l2: Option<(Level2, bool)>,
    shape: Shape,
    remarks: Vec<String>,
    notes: Vec<(NoteKind, Msg)>,
}

fn col_of(cols: &[(HeadCol, u32)], x: u32) -> Option<HeadCol> {
    cols.iter()
        .min_by_key(|(_, cx)| cx.abs_diff(x))
        .map(|(h, _)| *h)
}

/// The leading words of a cell that make a category (`数量指标 窗口申请材料受理`).
fn peel_category(text: &str) -> Option<(Cat, String)> {
    let tokens: Vec<&str> = text.split(is_space).filter(|t| !t.is_empty()).collect();
    for k in (1..tokens.len().min(5)).rev() {
        let head: String = tokens[..k].concat();
        if let Some(cat) = cat_word(&head) {
            return Some((cat, tokens[k..].join(" ")));
        }
    }
    // Page text without any breaks (`产出指标数量指标农村义务教育学校改造覆盖率100%`): a
    // category glued to the name, recognised only with its 指标 suffix.
    let t = text.trim_start_matches(is_space);
    let mut best = None;
    for (i, _) in t.match_indices("指标") {
        let end = i + "指标".len();
        if end < t.len() {
            if let Some(cat) = cat_word(&t[..end]) {
                best = Some((cat, t[end..].trim_start_matches(is_space).to_string()));
            }
        }
        if end > 30 {
            break;
        }
    }
    best
}

/// A value glued to the end of its name in page text without breaks (`覆盖率100%`,
/// `数量≥20座`): split before a trailing comparator, or before the last run of digits
/// when a unit follows it. The split is a reading worth a note.
fn peel_glued_value(text: &str) -> Option<(String, Value)> {
    let t = text.trim_matches(is_space);
    // Names are short; a long cell is text, and trying every split of it would cost the
    // square of its length.
    if t.len() > 600 {
        return None;
    }
    let starts: Vec<usize> = t
        .char_indices()
        .filter(|&(i, c)| {
            i > 0
                && (value::is_op_char(c)
                    || (c.is_ascii_digit()
                        && !t[..i].ends_with(|p: char| p.is_ascii_digit() || p == '.')))
        })
        .map(|(i, _)| i)
        .collect();
    for i in starts {
        let (head, tail) = (&t[..i], &t[i..]);
        if head.ends_with(|c: char| value::is_op_char(c)) {
            continue;
        }
        let Some(v) = value::parse_value(tail) else {
            continue;
        };
        let fits = match &v {
            Value::Number { op, unit, .. } => unit.is_some() || op.is_some(),
            Value::Range { .. } | Value::Date { .. } => true,
            Value::Text { .. } => false,
        };
        if fits {
            return Some((head.to_string(), v));
        }
    }
    None
}

/// The value at the end of a cell that also holds the name (`名称 ≥8000.00(件)`).
fn peel_value(text: &str) -> Option<(String, Value)> {
    let t = text.trim_end_matches(is_space);
    // At a comparator after white space (the first few: a name holds none).
    let ops = t
        .char_indices()
        .filter(|&(i, c)| i > 0 && value::is_op_char(c) && t[..i].ends_with(is_space))
        .take(4);
    for (i, _) in ops {
        if let Some(v) = value::parse_value(&t[i..]).filter(Value::is_quantitative) {
            return Some((t[..i].trim_end_matches(is_space).to_string(), v));
        }
    }
    // A last word that is a value: a number with a unit, or a known qualitative word.
    let (head, last) = t.rsplit_once(is_space)?;
    let head = head.trim_end_matches(is_space);
    if head.is_empty() {
        return None;
    }
    let v = value::parse_value(last)?;
    let plausible = match &v {
        Value::Text { text, .. } => value::QUALITATIVE.contains(&text.as_str()),
        Value::Number { unit, .. } => unit.is_some(),
        _ => true,
    };
    plausible.then(|| (head.to_string(), v))
}

fn classify(row: &Row, cols: &[(HeadCol, u32)]) -> IndRow {
    let mut l1 = None;
    let mut l2 = None;
    let mut rest: Vec<(u32, String)> = Vec::new();
    let mut op_cell: Option<String> = None;
    let mut unit_cell: Option<String> = None;
    let mut remarks = Vec::new();
    let mut notes = Vec::new();
    let all: Vec<&Cell> = row.cells.iter().collect();
    let raw = row_text(&all);

    let summary = all.first().is_some_and(|c| {
        let n = norm(&c.text);
        SUMMARY_WORDS.iter().any(|w| {
            n.strip_prefix(w)
                .is_some_and(|r| r.is_empty() || r.starts_with([':', '(']))
        })
    });
    if summary
        || all.iter().any(|c| {
            let n = norm(&c.text);
            // `填报人：张三`, `审核人`: the word alone or before a colon, not a name that
            // happens to start with it (`说明会召开情况`).
            FOOTER_WORDS.iter().any(|w| {
                n.strip_prefix(w)
                    .is_some_and(|r| r.is_empty() || r.starts_with(':'))
            })
        }) && !all
            .iter()
            .any(|c| value::parse_value(&c.text).is_some_and(|v| v.is_quantitative()))
    {
        return IndRow {
            origin: row.origin.clone(),
            raw,
            l1,
            l2,
            shape: Shape::Footer,
            remarks,
            notes,
        };
    }

    // A table with columns of other templates (分值, 实际完成值, 得分 …) copied from a web
    // page loses its merged cells, so a row's cells no longer stand under their headers:
    // they are matched to the header's columns by order and by what they hold.
    // The same when the name stands left of the 三级 column (the row lost its merged
    // 一级/二级 cells) in a table with columns of its own for the comparator or the unit.
    let l3_x = cols
        .iter()
        .find(|(h, _)| *h == HeadCol::L3)
        .map(|(_, x)| *x);
    let name_x = row
        .cells
        .iter()
        .find(|c| !is_debris(&c.text) && cat_word(&c.text).is_none())
        .map(|c| c.x);
    let shifted = matches!((l3_x, name_x), (Some(l3), Some(nx)) if nx.saturating_add(500) < l3)
        && cols
            .iter()
            .any(|(h, _)| matches!(h, HeadCol::Op | HeadCol::Unit));
    let typed = shifted || cols.iter().any(|(h, _)| matches!(h, HeadCol::Kept(_)));
    for c in &row.cells {
        if is_debris(&c.text) {
            continue;
        }
        if let Some(cat) = cat_word(&c.text) {
            match cat {
                Cat::L1(x) => l1 = Some(x),
                Cat::L2(x, alias) => l2 = Some((x, alias)),
            }
            continue;
        }
        match col_of(cols, c.x).filter(|_| !typed) {
            Some(HeadCol::Op) if cols.iter().any(|(h, _)| *h == HeadCol::Op) => {
                op_cell = Some(c.text.trim().to_string());
                continue;
            }
            Some(HeadCol::Unit) => {
                unit_cell = Some(c.text.trim().to_string());
                continue;
            }
            Some(HeadCol::Remark) => {
                remarks.push(one_line(&c.text));
                continue;
            }
            Some(HeadCol::Kept(name)) => {
                remarks.push(format!("{name}：{}", one_line(&c.text)));
                continue;
            }
            _ => {}
        }
        rest.push((c.x, c.text.clone()));
    }
    // Category words at the start of the first text cell: a 一级 and then a 二级 in page
    // text without cell breaks (`产出指标 数量指标 名称 ≥20平方米`).
    if let Some((_, first)) = rest.first_mut() {
        for _ in 0..2 {
            let Some((cat, tail)) = peel_category(first) else {
                break;
            };
            if tail.is_empty() {
                break;
            }
            match cat {
                Cat::L1(x) => l1 = Some(x),
                Cat::L2(x, alias) => l2 = Some((x, alias)),
            }
            *first = tail;
        }
    }

    // `(必填硬性指标)`, `(选填)` after a category or before a name: the template's
    // annotation, not part of the name; kept as a comment.
    if let Some((_, first)) = rest.first_mut() {
        let t = first.trim_start_matches(is_space);
        if let Some(inner_end) = t
            .strip_prefix(['(', '（'])
            .and_then(|r| r.find([')', '）']).map(|i| i + t.len() - r.len()))
        {
            let note = &t[..inner_end];
            if note.contains("必填") || note.contains("选填") {
                let close = t[inner_end..].chars().next().map_or(1, char::len_utf8);
                let tail = t[inner_end + close..]
                    .trim_start_matches(is_space)
                    .to_string();
                remarks.push(one_line(&t[..inner_end + close]));
                *first = tail;
            }
        }
    }
    if rest.len() > 1 && rest[0].1.is_empty() {
        rest.remove(0);
    }
    if typed && rest.len() > 1 {
        let (kept, name_and_value, op, unit) = assign_by_order(&rest, cols);
        remarks.extend(kept);
        rest = name_and_value;
        op_cell = op.or(op_cell);
        unit_cell = unit.or(unit_cell);
    }

    let value_x = cols
        .iter()
        .find(|(h, _)| *h == HeadCol::Value)
        .map(|(_, x)| *x);
    // A comparator spelled in words (`不低于90%`) or with a look-alike (`﹦`) is a reading
    // worth a look.
    if let Some((_, t)) = rest.last() {
        let (op, _, words) = value::split_op(t);
        if let (Some(op), true) = (op, words) {
            let (sym, shown) = (op.symbol(), one_line(t));
            notes.push((
                NoteKind::Adjusted,
                msg!(
                    "“{shown}” 中的比较符写法按 “{sym}” 读",
                    "the comparator as written in “{shown}” was read as “{sym}”"
                ),
            ));
        }
    }
    let shape = shape_of(rest, value_x, &mut notes);
    let shape = with_helpers(shape, op_cell, unit_cell, &mut notes);
    let shape = unit_from_name(shape, &mut notes);
    IndRow {
        origin: row.origin.clone(),
        raw,
        l1,
        l2,
        shape,
        remarks,
        notes,
    }
}

/// A number without a unit whose name ends with one in brackets (`实施营造林总面积(亩)
/// 80000`): the unit is taken from the name, and the reading reported.
fn unit_from_name(shape: Shape, notes: &mut Vec<(NoteKind, Msg)>) -> Shape {
    let Shape::Complete {
        name,
        value: Value::Number {
            op,
            number,
            unit: None,
        },
    } = shape
    else {
        return shape;
    };
    let n = name.trim_end_matches(is_space);
    let inner = n
        .strip_suffix(')')
        .or_else(|| n.strip_suffix('）'))
        .and_then(|t| t.rfind(['(', '（']).map(|i| &t[i..]))
        .map(|t| t.trim_start_matches(['(', '（']).trim_matches(is_space));
    let table = crate::check::units::UnitTable::new();
    match inner {
        Some(u) if !u.is_empty() && table.resolve(u).is_ok() => {
            let u = u.to_string();
            notes.push((
                NoteKind::Adjusted,
                msg!(
                    "指标值没有单位，取名称中的 “({u})”",
                    "the value has no unit; “({u})” was taken from the name"
                ),
            ));
            Shape::Complete {
                name,
                value: Value::Number {
                    op,
                    number,
                    unit: Some(u),
                },
            }
        }
        _ => Shape::Complete {
            name,
            value: Value::Number {
                op,
                number,
                unit: None,
            },
        },
    }
}

fn shape_of(
    rest: Vec<(u32, String)>,
    value_x: Option<u32>,
    notes: &mut Vec<(NoteKind, Msg)>,
) -> Shape {
    let texts: Vec<String> = rest.iter().map(|(_, t)| one_line(t)).collect();
    let name_of = |parts: &[String]| crate::syntax::normalize_spaces(&parts.join(" "));
    match texts.len() {
        0 => return Shape::CatsOnly,
        1 => {
            let t = &texts[0];
            if let Some(v) = value::parse_value(t).filter(Value::is_quantitative) {
                return Shape::ValueOnly(v);
            }
            if let Some((name, v)) = peel_value(t) {
                return Shape::Complete {
                    name: crate::syntax::normalize_spaces(&name),
                    value: v,
                };
            }
            if let Some((name, v)) = peel_glued_value(t) {
                let shown = one_line(t);
                notes.push((
                    NoteKind::Adjusted,
                    msg!(
                        "名称与指标值连在一起：“{shown}” 按 “{name}” 与指标值分开",
                        "name and value run together: “{shown}” was split after “{name}”"
                    ),
                ));
                return Shape::Complete {
                    name: crate::syntax::normalize_spaces(&name),
                    value: v,
                };
            }
            // A lone word in the value column (`有效保障`) under a name broken above it.
            let in_value_col = value_x.is_some_and(|vx| rest[0].0.saturating_add(500) >= vx);
            if in_value_col && value::QUALITATIVE.contains(&t.as_str()) {
                if let Some(v) = value::parse_value(t) {
                    return Shape::ValueOnly(v);
                }
            }
            return Shape::NameOnly(crate::syntax::normalize_spaces(t));
        }
        _ => {}
    }
    let last = texts.len() - 1;
    if let Some(v) = value::parse_value(&texts[last]).filter(Value::is_quantitative) {
        return Shape::Complete {
            name: name_of(&texts[..last]),
            value: v,
        };
    }
    // A value spread over cells (`≥` | `8000` | `件`).
    for k in (2..=3.min(texts.len() - 1)).rev() {
        let joined: String = texts[texts.len() - k..].concat();
        if let Some(v) = value::parse_value(&joined).filter(Value::is_quantitative) {
            notes.push((
                NoteKind::Adjusted,
                msg!(
                    "指标值分在 {k} 个单元格中，已合并为 “{joined}”",
                    "the value was spread over {k} cells, read together as “{joined}”"
                ),
            ));
            return Shape::Complete {
                name: name_of(&texts[..texts.len() - k]),
                value: v,
            };
        }
    }
    match value::parse_value(&texts[last]) {
        Some(v) => Shape::Complete {
            name: name_of(&texts[..last]),
            value: v,
        },
        None => {
            if let Some((name, v)) = peel_value(&texts[last]) {
                let mut parts = texts[..last].to_vec();
                parts.push(name);
                return Shape::Complete {
                    name: name_of(&parts),
                    value: v,
                };
            }
            Shape::BadValue(texts[last].clone())
        }
    }
}

/// Cells of a row (category words removed) matched to the header's columns after 三级 by
/// order and content: the first cell is the name; a 分值 or 得分 column takes only a bare
/// number, a 比较符 column only a comparator, the target column the first cell that reads
/// as a value. Returns the kept columns as comments, the name and target cells, and the
/// comparator and unit cells. Cells left over are kept as comments too.
#[allow(clippy::type_complexity)]
fn assign_by_order(
    rest: &[(u32, String)],
    cols: &[(HeadCol, u32)],
) -> (
    Vec<String>,
    Vec<(u32, String)>,
    Option<String>,
    Option<String>,
) {
    let mut order: Vec<(HeadCol, u32)> = cols.to_vec();
    order.sort_by_key(|(_, x)| *x);
    let after_name: Vec<HeadCol> = match order.iter().position(|(h, _)| *h == HeadCol::L3) {
        Some(i) => order[i + 1..].iter().map(|(h, _)| *h).collect(),
        None => order
            .iter()
            .map(|(h, _)| *h)
            .filter(|h| !matches!(h, HeadCol::L1 | HeadCol::L2))
            .collect(),
    };
    let is_bare_number = |t: &str| {
        let t: String = t.chars().filter(|c| !is_space(*c)).collect();
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    let mut kept = Vec::new();
    let mut out = vec![rest[0].clone()];
    let (mut op, mut unit) = (None, None);
    let mut col = 0;
    for (x, text) in &rest[1..] {
        let t = text.trim();
        let mut placed = false;
        while col < after_name.len() {
            let h = after_name[col];
            col += 1;
            let fits = match h {
                HeadCol::Kept("分值" | "得分") => is_bare_number(t),
                HeadCol::Op => ops::from_spelling(t).is_some() || matches!(t, "定性" | "定量"),
                HeadCol::Value => value::parse_value(t).is_some(),
                HeadCol::Unit => {
                    !t.starts_with(|c: char| c.is_ascii_digit()) && t.chars().count() <= 8
                }
                _ => true,
            };
            if !fits {
                continue;
            }
            match h {
                HeadCol::Kept(name) => kept.push(format!("{name}：{}", one_line(t))),
                HeadCol::Remark => kept.push(one_line(t)),
                HeadCol::Op => {
                    if ops::from_spelling(t).is_some() {
                        op = Some(t.to_string());
                    }
                }
                HeadCol::Unit => unit = Some(t.to_string()),
                _ => out.push((*x, text.clone())),
            }
            placed = true;
            break;
        }
        if !placed {
            kept.push(one_line(t));
        }
    }
    (kept, out, op, unit)
}

/// Finance exports put the comparator and unit in columns of their own (`比较符`,
/// `计量单位`); perfspec's workbook repeats them there. Fill a bare number from them.
fn with_helpers(
    shape: Shape,
    op_cell: Option<String>,
    unit_cell: Option<String>,
    notes: &mut Vec<(NoteKind, Msg)>,
) -> Shape {
    if op_cell.is_none() && unit_cell.is_none() {
        return shape;
    }
    let fill = |v: Value, notes: &mut Vec<(NoteKind, Msg)>| -> Value {
        let helper_op = op_cell.as_deref().and_then(|o| {
            value::split_op(o)
                .0
                .filter(|_| value::split_op(o).1.is_empty())
        });
        let helper_unit = unit_cell
            .as_deref()
            .map(crate::check::units::normalize_spelling)
            .filter(|u| !u.is_empty());
        match v {
            Value::Number { op, number, unit } => {
                let op2 = op.or(helper_op);
                let unit2 = unit.clone().or(helper_unit.clone());
                if let (Some(a), Some(b)) = (op, helper_op) {
                    if a != b {
                        let (sa, sb) = (a.symbol(), b.symbol());
                        notes.push((
                            NoteKind::Adjusted,
                            msg!(
                                "比较符列写的是 “{sb}”，与指标值中的 “{sa}” 不同：采用指标值中的",
                                "the comparator column says “{sb}” but the value says “{sa}”: the value's was used"
                            ),
                        ));
                    }
                }
                if let (Some(a), Some(b)) = (&unit, &helper_unit) {
                    if a != b {
                        notes.push((
                            NoteKind::Adjusted,
                            msg!(
                                "计量单位列写的是 “{b}”，与指标值中的 “{a}” 不同：采用指标值中的",
                                "the unit column says “{b}” but the value says “{a}”: the value's was used"
                            ),
                        ));
                    }
                }
                Value::Number {
                    op: op2,
                    number,
                    unit: unit2,
                }
            }
            Value::Date { op, date } => Value::Date {
                op: op.or(helper_op),
                date,
            },
            other => other,
        }
    };
    match shape {
        Shape::Complete { name, value } => Shape::Complete {
            name,
            value: fill(value, notes),
        },
        Shape::ValueOnly(v) => Shape::ValueOnly(fill(v, notes)),
        other => other,
    }
}

/// A value cell broken before its closing bracket (`≤40.00(元/份` + `(册))`): join the
/// next line's first cell back on.
fn mend_broken_values(rows: &mut [Row]) {
    let depth = |s: &str| {
        s.chars().fold(0i32, |d, c| match c {
            '(' | '（' => d + 1,
            ')' | '）' => d - 1,
            _ => d,
        })
    };
    for i in 0..rows.len().saturating_sub(1) {
        let Some(last) = rows[i].cells.last() else {
            continue;
        };
        let t = last.text.trim();
        let starts_value =
            t.starts_with(value::is_op_char) || t.starts_with(|c: char| c.is_ascii_digit());
        let d = depth(t);
        if !starts_value || d <= 0 {
            continue;
        }
        let Some(first) = rows[i + 1].cells.first() else {
            continue;
        };
        if depth(&first.text) + d != 0 {
            continue;
        }
        let add = first.text.trim().to_string();
        rows[i + 1].cells.remove(0);
        if let Some(last) = rows[i].cells.last_mut() {
            last.text = format!("{}{}", last.text.trim_end(), add);
        }
    }
}

fn default_level2(l1: Level1) -> Option<Level2> {
    match l1 {
        Level1::Satisfaction => Some(Level2::Satisfaction),
        Level1::Cost => Some(Level2::EconomicCost),
        _ => None,
    }
}

/// Classify the table's rows, fill the merged 一级/二级 cells down and put broken rows
/// back together.
fn build_indicators(f: &mut Form) {
    let mut rows = std::mem::take(&mut f.ind_rows);
    mend_broken_values(&mut rows);
    let rows: Vec<IndRow> = rows.iter().map(|r| classify(r, &f.cols)).collect();
    // For each row, the next one that is more than category words (one pass, so long
    // tables stay linear).
    let mut next_row: Vec<Option<usize>> = vec![None; rows.len()];
    let mut seen = None;
    for j in (0..rows.len()).rev() {
        next_row[j] = seen;
        if !matches!(rows[j].shape, Shape::CatsOnly) {
            seen = Some(j);
        }
    }
    let mut l1: Option<Level1> = None;
    let mut l2: Option<Level2> = None;
    let mut prefix: Option<(String, Origin)> = None;
    let mut items: Vec<Item> = Vec::new();

    for (i, r) in rows.iter().enumerate() {
        for (kind, m) in &r.notes {
            f.note(*kind, &r.origin, &r.raw, m.clone());
        }
        let before = l2;
        if let Some((c2, alias)) = r.l2 {
            if let Some(c1) = r.l1 {
                if c1 != c2.level1() {
                    let (a, b, c) = (c1.name(), c2.name(), c2.level1().name());
                    f.note(
                        NoteKind::Adjusted,
                        &r.origin,
                        &r.raw,
                        msg!(
                            "一级指标写的是 {a}，但 {b} 属于 {c}：按 {c} 处理",
                            "the 一级 column says {a} but {b} belongs to {c}: read as {c}"
                        ),
                    );
                }
            }
            if alias {
                let name = c2.short();
                f.note(
                    NoteKind::Adjusted,
                    &r.origin,
                    &r.raw,
                    msg!(
                        "旧的或地方的二级指标名称，按现行框架写作 “{name}”",
                        "an older or regional 二级 name, written as today's “{name}”"
                    ),
                );
            }
            l2 = Some(c2);
            l1 = Some(c2.level1());
        } else if let Some(c1) = r.l1 {
            if l1 != Some(c1) {
                l1 = Some(c1);
                l2 = default_level2(c1);
                if c1 == Level1::Cost && !matches!(r.shape, Shape::CatsOnly) {
                    f.note(
                        NoteKind::Adjusted,
                        &r.origin,
                        &r.raw,
                        msg!(
                            "成本指标下没有二级指标，按 “经济成本” 处理",
                            "成本指标 without a 二级 category: read as 经济成本"
                        ),
                    );
                }
            }
        }
        let changed = l2 != before;
        // A row that names a new category starts a new indicator: a name waiting for its
        // value above it (a row with a statement and no value) is not continued here.
        if changed && (r.l1.is_some() || r.l2.is_some()) {
            if let Some((p, o)) = prefix.take() {
                let reason = msg!(
                    "只有指标名称，没有指标值",
                    "an indicator name without a value"
                );
                f.note(NoteKind::Unmapped, &o, &p, reason.clone());
                items.push(Item::Unmapped(Unmapped {
                    origin: o,
                    text: p,
                    reason,
                }));
            }
        }
        let push_ind = |items: &mut Vec<Item>, f: &mut Form, name: String, value: Value| match l2 {
            Some(level2) if !name.is_empty() => items.push(Item::Indicator(Ind {
                level2,
                name,
                value,
                origin: r.origin.clone(),
                remarks: r.remarks.clone(),
            })),
            Some(_) => {
                let reason = msg!("指标缺少名称", "the indicator has no name");
                f.note(NoteKind::Unmapped, &r.origin, &r.raw, reason.clone());
                items.push(Item::Unmapped(Unmapped {
                    origin: r.origin.clone(),
                    text: r.raw.clone(),
                    reason,
                }));
            }
            None => {
                let reason = msg!(
                    "无法确定这一行的二级指标",
                    "cannot tell the 二级 category of this row"
                );
                f.note(NoteKind::Unmapped, &r.origin, &r.raw, reason.clone());
                items.push(Item::Unmapped(Unmapped {
                    origin: r.origin.clone(),
                    text: r.raw.clone(),
                    reason,
                }));
            }
        };
        match &r.shape {
            Shape::CatsOnly => {}
            Shape::Footer => {
                let reason = msg!(
                    "表格之外的内容（签字、联系方式等）",
                    "text outside the table (signatures, contacts)"
                );
                f.note(NoteKind::Unmapped, &r.origin, &r.raw, reason.clone());
                items.push(Item::Unmapped(Unmapped {
                    origin: r.origin.clone(),
                    text: r.raw.clone(),
                    reason,
                }));
            }
            Shape::Complete { name, value } => {
                let name = match prefix.take() {
                    Some((p, o)) => {
                        let joined = join_fragments(&p, name);
                        let shown = short(&joined);
                        f.note(
                            NoteKind::Adjusted,
                            &o,
                            &p,
                            msg!(
                                "指标名称跨行，与下一行连接为 “{shown}”",
                                "the name continued on the next line: read as “{shown}”"
                            ),
                        );
                        joined
                    }
                    None => name.clone(),
                };
                push_ind(&mut items, f, name, value.clone());
            }
            Shape::ValueOnly(v) => match prefix.take() {
                Some((p, _)) => push_ind(&mut items, f, p, v.clone()),
                None => {
                    let reason = msg!(
                        "只有指标值，没有指标名称",
                        "a value without an indicator name"
                    );
                    f.note(NoteKind::Unmapped, &r.origin, &r.raw, reason.clone());
                    items.push(Item::Unmapped(Unmapped {
                        origin: r.origin.clone(),
                        text: r.raw.clone(),
                        reason,
                    }));
                }
            },
            // A word on its own line after a name without a value: the value (`提高`).
            Shape::NameOnly(frag)
                if prefix.is_some() && value::QUALITATIVE.contains(&frag.as_str()) =>
            {
                if let (Some((p, _)), Some(v)) = (prefix.take(), value::parse_value(frag)) {
                    push_ind(&mut items, f, p, v);
                }
            }
            Shape::NameOnly(frag) => {
                let next = next_row[i].map(|j| &rows[j]);
                let next_value_only = next.is_some_and(|n| match &n.shape {
                    Shape::ValueOnly(_) => true,
                    Shape::NameOnly(w) => value::QUALITATIVE.contains(&w.as_str()),
                    _ => false,
                });
                // Only the row just above can continue here, not one before something
                // that could not be read.
                let last_ind = match items.last_mut() {
                    Some(Item::Indicator(ind)) => Some(ind),
                    _ => None,
                };
                let continues =
                    !next_value_only && !changed && prefix.is_none() && last_ind.is_some();
                if let (true, Some(ind)) = (continues, last_ind) {
                    let before = short(&ind.name);
                    push_fragment(&mut ind.name, frag);
                    let after = short(&ind.name);
                    f.note(
                        NoteKind::Adjusted,
                        &r.origin,
                        frag,
                        msg!(
                            "指标名称跨行：“{before}” 接上本行成为 “{after}”",
                            "the name “{before}” continued on this line: read as “{after}”"
                        ),
                    );
                } else {
                    match prefix.as_mut() {
                        Some((p, _)) => push_fragment(p, frag),
                        None => prefix = Some((frag.clone(), r.origin.clone())),
                    }
                }
            }
            Shape::BadValue(value) => {
                let reason = msg!(
                    "指标值 “{value}” 无法识别",
                    "the value “{value}” cannot be read"
                );
                f.note(NoteKind::Unmapped, &r.origin, &r.raw, reason.clone());
                items.push(Item::Unmapped(Unmapped {
                    origin: r.origin.clone(),
                    text: r.raw.clone(),
                    reason,
                }));
            }
        }
    }
    if let Some((p, o)) = prefix {
        let reason = msg!(
            "指标名称的一部分，找不到对应的指标值",
            "part of an indicator name without a value"
        );
        f.note(NoteKind::Unmapped, &o, &p, reason.clone());
        items.push(Item::Unmapped(Unmapped {
            origin: o,
            text: p,
            reason,
        }));
    }
    f.items = items;
}

fn finish(mut f: Form) -> Form {
    let flavor = f.flavor.unwrap_or(Flavor::Text);
    build_goals(&mut f, flavor);
    build_indicators(&mut f);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_by_their_words() {
        assert_eq!(label_of("项目名称"), Some((Label::Name, String::new())));
        assert_eq!(
            label_of("其中: 财政资金"),
            Some((Label::Fund(Fund::ProjectFiscal), String::new()))
        );
        assert_eq!(
            label_of("年度资金申请总额：991,823.00"),
            Some((Label::Fund(Fund::AnnualTotal), "991,823.00".into()))
        );
        assert_eq!(
            label_of("项目资金 (元)"),
            Some((Label::FundingBlock, String::new()))
        );
        assert_eq!(
            label_of("项目 绩效 目标"),
            Some((Label::PerfGoal, String::new()))
        );
        assert_eq!(label_of("项目名称很长的名字"), None);
    }

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

    #[test]
    fn html_in_goals() {
        let (t, removed) = strip_html("<p>第一段。</p><p>第二段&nbsp;a &lt; b</p>");
        assert_eq!(tidy_text(&t), "第一段。\n\n第二段 a < b");
        assert!(removed.contains(&"<p>".to_string()));
        // A lone `<` is text.
        assert_eq!(strip_html("投诉率 < 5%").0, "投诉率 < 5%");
    }

    #[test]
    fn value_peeled_off_a_name() {
        let (n, v) = peel_value("窗口申请材料受理 ≥8000.00(件)").unwrap();
        assert_eq!(n, "窗口申请材料受理");
        assert!(v.is_quantitative());
        assert_eq!(peel_value("对除六个公园以外的 16 家直属单位"), None);
        let cell = |t: &str| Cell {
            x: 0,
            text: t.to_string(),
            origin: Origin::default(),
            hidden: Vec::new(),
        };
        let texts = |cells: Vec<Cell>| cells.into_iter().map(|c| c.text).collect::<Vec<_>>();
        assert_eq!(
            texts(split_at_labels(&cell(
                "项目主管部门青山区教育局项目执行单位化工区学校"
            ))),
            ["项目主管部门", "青山区教育局", "项目执行单位", "化工区学校"]
        );
        assert_eq!(
            texts(split_at_labels(&cell(
                "主管部门 南岳镇政府 实施单位 湖南省某公司"
            ))),
            ["主管部门 南岳镇政府", "实施单位 湖南省某公司"]
        );
        assert_eq!(
            texts(split_at_labels(&cell("上年结转资金（追加）"))),
            ["上年结转资金（追加）"]
        );
        assert_eq!(
            texts(split_at_labels(&cell("窗口服务 主管部门 满意度"))),
            ["窗口服务 主管部门 满意度"]
        );
        // A cell with more labels than a header line holds is text: never split (a line of
        // 80,000 glued labels would otherwise become 80,000 header cells).
        let many = "项目主管部门".to_string() + &"项目执行单位".repeat(MAX_LABELS_IN_CELL + 1);
        assert_eq!(split_at_labels(&cell(&many)).len(), 1);
        let spaced = "主管部门 ".to_string() + &"实施单位 某 ".repeat(MAX_LABELS_IN_CELL + 1);
        assert_eq!(split_at_labels(&cell(&spaced)).len(), 1);
        assert_eq!(peel_glued_value(&"名".repeat(700)), None);
        let glued = |t: &str| peel_glued_value(t).map(|(n, _)| n);
        assert_eq!(
            glued("农村义务教育学校改造覆盖率100%").as_deref(),
            Some("农村义务教育学校改造覆盖率")
        );
        assert_eq!(
            glued("脱贫户供水设施数量≥20座").as_deref(),
            Some("脱贫户供水设施数量")
        );
        assert_eq!(glued("第2季度完成率100%").as_deref(), Some("第2季度完成率"));
        assert_eq!(glued("12345热线接通率"), None);
        assert_eq!(glued("群众满意度"), None);
        let (n, _) = peel_value("长效管理机制健全性 健全").unwrap();
        assert_eq!(n, "长效管理机制健全性");
    }
}
