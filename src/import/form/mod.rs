//! Finding the 申报表 in rows of cells, by its labels and category words.
//!
//! Positions are only a tie-breaker (which of two 其他资金 is which column, which goal a
//! text sits under): copies out of PDF and Word shift columns, split labels
//! (`服务对象 满意度指 标`), break rows across lines and leave page-break debris, so
//! everything that can be recognised by its words is.
//!
//! This file holds the form as read and the loop over the rows ([`recognise`]); the rest is
//! by concern: [`labels`] (the form's labels and splitting cells at them), [`layout`]
//! (titles, page furniture, category words, the table's header), [`header`] (label rows,
//! amounts and their unit), [`goals`] (goal texts), [`table`] (one indicator row) and
//! [`indicators`] (the rows together).

use super::value::{self, is_space, Value};
use super::{Note, NoteKind, Origin};
use crate::diag::Msg;
use crate::model::{Level1, Level2};
use crate::msg;
use crate::vocab::ops;
use crate::vocab::taxonomy::{self, Match};
use unicode_width::UnicodeWidthStr;

mod evaluation;
mod flat;
mod glued;
mod goals;
mod header;
mod indicators;
mod labels;
mod layout;
mod table;

use evaluation::*;
pub(super) use evaluation::{share_of, ExecCol, Execution};
use flat::*;
use glued::*;
use goals::*;
use header::*;
use indicators::*;
use labels::*;
use layout::*;
use table::*;

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
    /// The cells' `x` is the column × 1000 (a tab-separated line, a worksheet row): a jump
    /// of more than one column between two cells is an empty cell between them.
    pub columns: bool,
}

/// How a table's cells are separated in text: by tabs, wide spaces or lines (the usual),
/// by single spaces ([`flat`]), or not at all ([`glued`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Layout {
    #[default]
    Lines,
    Flat,
    Glued,
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
    /// The year-end cells of a 自评表's row.
    pub year_end: YearEnd,
}

/// The year-end cells of an indicator row, as printed (`None`: the cell is empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct YearEnd {
    /// 实际完成值 (全年实际值 …)
    pub actual: Option<String>,
    /// The row's 度量单位 / 计量单位 cell: the only unit a bare actual may take.
    pub unit: Option<String>,
    /// 分值 (权重)
    pub weight: Option<String>,
    /// 得分
    pub score: Option<String>,
    /// 偏差原因分析及改进措施 (未完成原因 …)
    pub deviation: Option<String>,
    /// The form's 权重 column prints shares of its 100 points (`20%`): the weight is that
    /// many points ([`evaluation::weights_as_shares`]).
    pub weight_share: bool,
}

impl YearEnd {
    /// Put a cell of a year-end column in its place; `false` for another column.
    fn set(&mut self, col: HeadCol, text: &str) -> bool {
        let t = one_line(text);
        let t = t.trim_matches(is_space);
        let slot = match col {
            HeadCol::Actual => &mut self.actual,
            HeadCol::Weight => &mut self.weight,
            HeadCol::Score => &mut self.score,
            HeadCol::Deviation => &mut self.deviation,
            _ => return false,
        };
        // `—`, `/`, `-`: nothing written on the form.
        if !t.is_empty() && !is_nothing(t) {
            match slot {
                Some(prev) => push_fragment(prev, t),
                None => *slot = Some(t.to_string()),
            }
        }
        true
    }
}

/// A line holding only `|`: an empty cell of a table printed one cell per line.
pub(super) const EMPTY_CELL: &str = "|";

/// A cell that says "nothing here": `—`, `/`, `-`, `——`, `－`, `--`.
pub(super) fn is_nothing(t: &str) -> bool {
    matches!(
        t.trim_matches(is_space),
        "-" | "—" | "——" | "/" | "／" | "－" | "--"
    )
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
    /// 年度总体目标完成情况 (自评表).
    pub outcome: Option<Val>,
    /// The budget line of a 自评表 (资金情况: 年初预算数 … 得分).
    pub execution: Option<Execution>,
    /// The 总分 and the grade a 自评表 states.
    pub total: Option<Val>,
    pub grade: Option<Val>,
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
    /// The templates rows of the form mark and rule out (`vocab::templates::marks`).
    pub marked: Option<crate::vocab::templates::TemplateId>,
    pub unmarked: Vec<crate::vocab::templates::TemplateId>,

    state: State,
    /// The money unit the funding heading states (`项目资金（元）`, `资金情况(万元)`).
    money_unit: Option<value::MoneyUnit>,
    /// The money unit in the label being read (`年度金额(万元):`): its amounts' unit.
    label_unit: Option<value::MoneyUnit>,
    goal_parts: Vec<(bool, Val)>,
    goal_x: (Option<u32>, Option<u32>),
    /// The 自评表's 实际完成情况 column: where it stands, and its text.
    outcome_x: Option<u32>,
    outcome_parts: Vec<Val>,
    /// The columns of the budget execution table, once its header was read.
    exec_cols: Vec<ExecCol>,
    left_x: Option<u32>,
    right_x: Option<u32>,
    /// The labels of the last header row that had any, for continuation lines.
    last_labels: Vec<(Label, u32)>,
    /// A label that ended its row without a value: the next row's cells are its value
    /// (copies that put every cell on a line of its own).
    awaiting: Option<(Label, u32, Origin)>,
    cols: Vec<(HeadCol, u32)>,
    /// How the table's header was found: among the words of a line (single spaces between
    /// the cells) or run together without breaks; its rows are read the same way.
    layout: Layout,
    /// How many lines of the table's header held one word, and how many held more: a
    /// header read one word per line means a table with every cell on a line of its own.
    head_lines: (u32, u32),
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
            || !self.outcome_parts.is_empty()
            || self.execution.is_some()
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

/// A header whose target columns are headed by regions (`三级指标 | 指标解释 | 西坪镇尧山村 |
/// 桃舟乡吾培村 …`, a 专项转移支付 table): the first region's column is the target, the
/// others are kept under their names' place (comments).
fn region_columns(heads: &mut Vec<(HeadCol, u32)>, cells: &[&Cell]) {
    let has = |h: HeadCol| heads.iter().any(|(c, _)| *c == h);
    if has(HeadCol::Value) || !(has(HeadCol::L3) || has(HeadCol::L2)) {
        return;
    }
    let last = heads.iter().map(|(_, x)| *x).max().unwrap_or(0);
    let regions: Vec<u32> = cells
        .iter()
        .filter(|c| c.x > last && crate::vocab::values::is_region_name(&norm(&c.text)))
        .map(|c| c.x)
        .collect();
    let after = cells.iter().filter(|c| c.x > last).count();
    if regions.is_empty() || regions.len() != after {
        return;
    }
    for (k, x) in regions.into_iter().enumerate() {
        let h = if k == 0 {
            HeadCol::Value
        } else {
            HeadCol::Kept("其他区域目标值")
        };
        heads.push((h, x));
    }
}

/// A table header without a 三级 column (`一级指标 二级指标 绩效标准 当年预期实现值`): the
/// 二级指标 heading stands over two columns, the category and the indicator's name after
/// it, so the name gets a column of its own right after the 二级 one (page text, where
/// cells are matched by order).
fn name_under_level2(cols: &mut Vec<(HeadCol, u32)>) {
    let has = |h: HeadCol| cols.iter().any(|(c, _)| *c == h);
    if has(HeadCol::L3) || !has(HeadCol::Value) {
        return;
    }
    if let Some(&(_, x)) = cols.iter().find(|(c, _)| *c == HeadCol::L2) {
        cols.push((HeadCol::L3, x.saturating_add(1)));
    }
}

/// The column headings a page that starts inside the indicator table is read with, when
/// it shows none (each a heading [`head_col`] knows): the plain target table, with a 分值
/// column, and the 四川 自评表's split 指标性质 | 指标值 | 度量单位 with 分值. The one that
/// reads the most rows wins; on a tie the plainer one.
const HEADLESS_HEADERS: &[&[&str]] = &[
    &["一级指标", "二级指标", "三级指标", "指标值"],
    &["一级指标", "二级指标", "三级指标", "指标值", "分值"],
    &[
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "分值",
    ],
];

/// Read every form in `rows`. Text that holds no form by its labels or table header, but
/// rows that start with a category word (`成本指标 | 名称 | ≤ | 101400 | 元`, a page cut
/// inside the table), is read as an indicator table without its header (reported).
pub(super) fn recognise(rows: &[Row], flavor: Flavor) -> Recognised {
    let first = recognise_once(rows, flavor);
    if first.forms.iter().any(Form::has_content) {
        return first;
    }
    let Some(at) = rows.iter().position(starts_with_category) else {
        return first;
    };
    let model = &rows[at];
    let origin = rows
        .first()
        .map_or(model.origin.clone(), |r| r.origin.clone());
    let mut best: Option<(i64, Recognised, &[&str])> = None;
    for words in HEADLESS_HEADERS {
        let header = headless_header(model, &origin, words);
        let mut with: Vec<Row> = Vec::with_capacity(rows.len() + 1);
        with.push(header);
        with.extend(rows.iter().cloned());
        let found = recognise_once(&with, flavor);
        let score = found.forms.iter().map(read_score).sum::<i64>();
        if best.as_ref().map_or(true, |(b, ..)| score > *b) {
            best = Some((score, found, words));
        }
    }
    let Some((score, mut found, words)) = best else {
        return first;
    };
    if score <= 0 {
        return first;
    }
    let heads = words.join(" | ");
    if let Some(f) = found.forms.first_mut() {
        f.notes.insert(
            0,
            Note {
                kind: NoteKind::Adjusted,
                spec: None,
                origin: model.origin.clone(),
                text: row_text(&model.cells.iter().collect::<Vec<_>>()),
                message: msg!(
                    "没有找到表头（项目名称、一级指标 等）：页面从指标表中间开始，按 {heads} 读取各行，请核对",
                    "no header found (项目名称, 一级指标 …): the page starts inside the indicator table, its rows read as {heads}; check them"
                ),
            },
        );
    }
    found
}

/// Whether a row starts with a category word (`成本指标`, `产出指标数量指标足额保障率…`).
fn starts_with_category(row: &Row) -> bool {
    row.cells
        .iter()
        .find(|c| !c.text.trim_matches(is_space).is_empty())
        .is_some_and(|c| cat_word(&c.text).is_some() || peel_category(&c.text).is_some())
}

/// A header row with `words`, laid out like `model` (the first row of the table): in
/// numbered columns for a tab-separated row, else one line with single spaces (a flat
/// table) or none (a glued one), so that it is found the way that row's table is read.
fn headless_header(model: &Row, origin: &Origin, words: &[&str]) -> Row {
    let cell = |x: u32, text: String| Cell {
        x,
        text,
        origin: origin.clone(),
        hidden: Vec::new(),
    };
    let cells = if model.columns {
        words
            .iter()
            .enumerate()
            .map(|(k, w)| {
                cell(
                    u32::try_from(k).unwrap_or(0).saturating_mul(1000),
                    w.to_string(),
                )
            })
            .collect()
    } else {
        let spaced = model.cells.len() > 1 || model.cells.iter().any(|c| c.text.contains(is_space));
        vec![cell(0, words.join(if spaced { " " } else { "" }))]
    };
    Row {
        cells,
        origin: origin.clone(),
        columns: model.columns,
    }
}

/// How well a form's rows were read: a value with its unit, a range, a date or a value
/// word counts; a bare number (a weight read as the target), a name that still holds its
/// comparator, or a row kept as a comment does not.
fn read_score(f: &Form) -> i64 {
    f.items
        .iter()
        .map(|i| match i {
            Item::Indicator(ind) if ind.name.chars().any(value::is_op_char) => 0,
            Item::Indicator(ind) => match &ind.value {
                Value::Number { unit: None, .. } => 0,
                Value::Text { text, .. } if !crate::vocab::values::is_qualitative(text) => 1,
                _ => 2,
            },
            Item::Unmapped(_) => -1,
        })
        .sum()
}

fn recognise_once(rows: &[Row], flavor: Flavor) -> Recognised {
    let mut out = Recognised::default();
    let mut cur: Option<Form> = None;
    let mut summary_title: Option<String> = None;
    let mut pending_year: Option<u16> = None;
    // A title seen while a form is still open: a new form starts only if header labels
    // follow (a PDF repeats the title at the top of every page).
    let mut pending_title = false;
    let mut pending_notes: Vec<Note> = Vec::new();

    // A header inside the words of a line: that line split before and after it.
    let mut expanded: Vec<(Row, Layout)> = Vec::with_capacity(rows.len());
    let rows: Vec<Row> = split_exec_tables(join_wrapped_heads(rows))
        .into_iter()
        .flat_map(|r| match split_after_title(&r) {
            Some((title, rest)) => vec![title, rest],
            None => vec![r],
        })
        .collect();
    for row in &rows {
        if let Some((before, header, after)) = split_flat_header(row) {
            expanded.extend(before.map(|r| (r, Layout::Lines)));
            expanded.push((header, Layout::Flat));
            expanded.extend(after.map(|r| (r, Layout::Lines)));
        } else if let Some((before, header, after)) = split_glued_header(row) {
            expanded.extend(before.map(|r| (r, Layout::Lines)));
            expanded.push((header, Layout::Glued));
            expanded.extend(after.map(|r| (r, Layout::Lines)));
        } else {
            expanded.push((row.clone(), Layout::Lines));
        }
    }
    for (row, layout) in &expanded {
        // Header lines are split at their labels; rows of the indicator table are not (a
        // name may start with a label's words: `财政资金补助`).
        // Nor is the table's header (`绩效指标描述` is a column, not the label 绩效指标).
        let in_table = cur.as_ref().is_some_and(|f| f.state == State::Indicators)
            || indicator_header(row).is_some();
        let split: Vec<Cell> = if in_table {
            row.cells.clone()
        } else {
            row.cells.iter().flat_map(split_at_labels).collect()
        };
        let row = &Row {
            cells: split,
            origin: row.origin.clone(),
            columns: row.columns,
        };
        let cells: Vec<&Cell> = row.cells.iter().filter(|c| !c.text.is_empty()).collect();
        if cells.is_empty() {
            continue;
        }
        // A lone `|` (an empty cell of a table printed one cell per line) matters only
        // inside the indicator table.
        if cells.iter().all(|c| c.text == EMPTY_CELL)
            && !cur.as_ref().is_some_and(|f| f.state == State::Indicators)
        {
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
        if let (Some(f), Some(first)) = (cur.as_mut(), norms.iter().find(|n| !n.is_empty())) {
            let (mark, unmark) = crate::vocab::templates::marks(first);
            f.marked = f.marked.or(mark);
            f.unmarked.extend(unmark);
        }

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
            // A budget execution table is a 自评表's too (its header may be lost before it).
            None => {
                has_header_label || indicator_header(row).is_some() || exec_header(&cells).is_some()
            }
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
        let mut heads: Vec<(HeadCol, u32)> = cells
            .iter()
            .filter_map(|c| head_col(&c.text).map(|h| (h, c.x)))
            .collect();
        region_columns(&mut heads, &cells);
        let main_head = heads
            .iter()
            .any(|(h, _)| matches!(h, HeadCol::L1 | HeadCol::L2 | HeadCol::L3 | HeadCol::Value));
        // The first line of a 自评表's two-line header (`绩效指标 | 年度指标值 | 实际完成值 |
        // 分值 | 得分 | 偏差原因…`, the rowspan label among them).
        let debris = cells
            .iter()
            .filter(|c| head_col(&c.text).is_none() && is_debris(&c.text))
            .count();
        let year_end_head = main_head
            && heads.iter().any(|(h, _)| h.is_year_end())
            && heads.len() + debris == cells.len();
        // The header one word per line: a column word of any kind (`绩效标准`, `分值`)
        // right after the header's first words goes on with it.
        let head_goes_on = f.state == State::Indicators
            && f.ind_rows.is_empty()
            && !heads.is_empty()
            && heads.len() == cells.len()
            && cells.iter().all(|c| c.text.chars().count() <= 16);
        if indicator_header(row).is_some()
            || (main_head && heads.len() == cells.len())
            || year_end_head
            || head_goes_on
        {
            if f.state == State::Indicators && !f.ind_rows.is_empty() {
                // The header again after a page break: debris.
                continue;
            }
            if cells.len() == 1 {
                f.head_lines.0 += 1;
            } else {
                f.head_lines.1 += 1;
            }
            if f.state != State::Indicators {
                f.cols.clear();
                f.layout = *layout;
                f.head_lines = (0, 0);
            }
            // The second line of a two-line header: its columns stand under the first
            // line's 指标值, so the first line's columns after 指标值 follow them.
            let spans = f.state == State::Indicators
                && heads
                    .iter()
                    .any(|(h, _)| matches!(h, HeadCol::L1 | HeadCol::L3))
                && !f
                    .cols
                    .iter()
                    .any(|(h, _)| matches!(h, HeadCol::L1 | HeadCol::L2 | HeadCol::L3));
            let value_x = f
                .cols
                .iter()
                .find(|(h, _)| *h == HeadCol::Value)
                .map(|(_, x)| *x);
            if let (true, Some(vx)) = (spans, value_x) {
                let mut after: Vec<(HeadCol, u32)> =
                    f.cols.iter().copied().filter(|(_, x)| *x > vx).collect();
                after.sort_by_key(|(_, x)| *x);
                let max = heads.iter().map(|(_, x)| *x).max().unwrap_or(0);
                f.cols = heads;
                for (k, (h, _)) in after.into_iter().enumerate() {
                    let k = u32::try_from(k + 1).unwrap_or(u32::MAX / 1000);
                    f.cols.push((h, max.saturating_add(k.saturating_mul(1000))));
                }
            } else {
                f.cols.extend(heads);
            }
            if matches!(f.layout, Layout::Glued | Layout::Flat) {
                name_under_level2(&mut f.cols);
            }
            // Actuals beside the targets: a year-end 自评表.
            if f.cols.iter().any(|(h, _)| *h == HeadCol::Actual) {
                f.self_evaluation = true;
            }
            f.state = State::Indicators;
            continue;
        }
        // The budget execution table, wherever it stands above the indicators (some forms
        // put it after the goal texts).
        let exec_table = f.state == State::Goals
            && (exec_header(&cells).is_some()
                || (!f.exec_cols.is_empty() && cells.len() >= 2 && is_exec_row(&cells)));
        if exec_table {
            header_row(f, row, &cells);
            continue;
        }
        match f.state {
            State::Header => header_row(f, row, &cells),
            State::Goals => goal_row(f, &cells),
            State::Indicators if f.layout == Layout::Glued && !row.columns => {
                let line = Row {
                    cells: cells.iter().map(|c| (*c).clone()).collect(),
                    origin: row.origin.clone(),
                    columns: false,
                };
                // Read when the table is complete (a page break may cut a row).
                f.ind_rows.push(line);
            }
            State::Indicators if f.layout == Layout::Flat && !row.columns => {
                let line = Row {
                    cells: cells.iter().map(|c| (*c).clone()).collect(),
                    origin: row.origin.clone(),
                    columns: false,
                };
                let decoded = decode_flat(&line, &f.cols);
                f.ind_rows.extend(decoded);
            }
            State::Indicators => f.ind_rows.push(Row {
                cells: cells.iter().map(|c| (*c).clone()).collect(),
                origin: row.origin.clone(),
                columns: row.columns,
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

/// Column headings wrapped in their cells and copied one piece per line (`年度` / `指标值`,
/// `实际` / `完成值`, `年初` / `预算数`): a short line that is no heading of its own, followed
/// by a line it makes a heading with, is joined to it.
fn join_wrapped_heads(rows: &[Row]) -> Vec<Row> {
    let single = |r: &Row| (!r.columns && r.cells.len() == 1).then(|| r.cells[0].text.clone());
    let heading = |t: &str| head_col(t).is_some() || exec_col(t).is_some();
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    let mut i = 0;
    while i < rows.len() {
        let (a, b) = (single(&rows[i]), rows.get(i + 1).and_then(single));
        if let (Some(a), Some(b)) = (a, b) {
            let a_t = a.trim_matches(is_space);
            let joined = format!("{a_t}{}", b.trim_matches(is_space));
            let short =
                (1..=4).contains(&a_t.chars().count()) && !a_t.chars().any(|c| c.is_ascii_digit());
            // `年度` / `目标`: a label wrapped in its cell (`年度目标`), when neither
            // piece is the label it makes.
            let b_t = b.trim_matches(is_space);
            let wrapped_label = short
                && (1..=4).contains(&b_t.chars().count())
                && exact_label(&norm(&joined)).is_some_and(|l| {
                    exact_label(&norm(a_t)) != Some(l) && exact_label(&norm(b_t)).is_none()
                });
            if (short && !heading(a_t) && label_of(a_t).is_none() && heading(&joined))
                || wrapped_label
            {
                let mut r = rows[i].clone();
                r.cells[0].text = joined;
                out.push(r);
                i += 2;
                continue;
            }
        }
        out.push(rows[i].clone());
        i += 1;
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

fn finish(mut f: Form) -> Form {
    let flavor = f.flavor.unwrap_or(Flavor::Text);
    build_goals(&mut f, flavor);
    build_indicators(&mut f);
    weights_as_shares(&mut f);
    f
}
