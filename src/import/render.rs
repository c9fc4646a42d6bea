//! Writing a recognised form as a `.perf` syntax tree, printed by the formatter
//! ([`crate::fmt::format_tree`]): the importer never prints `.perf` text by hand.
//!
//! Every statement that carries a value is printed and parsed back before it is used: what
//! the grammar would read differently, or cannot hold at all, becomes a `# 未能识别：…`
//! comment, so the spec never says something the form did not.

use super::form::{Amount, Form, Fund, Ind, Item, Recognised, Section, Unmapped, Val};
use super::value::Value;
use super::{ImportedSpec, Note, NoteKind, Origin};
use crate::diag::{Lang, Msg};
use crate::filename;
use crate::model::{Level1, Level2};
use crate::msg;
use crate::syntax::{
    self, normalize_spaces, Comment, DateLit, Field, Funding, FundingEntry, FundingItem, Goal,
    Indicator, NumberLit, Period, Project, ProjectItem, SourceFile, Span, Spanned, TopItem,
    ValueLit,
};
use crate::vocab::keys::Key;
use crate::vocab::templates::TemplateId;
use rust_decimal::Decimal;
use std::str::FromStr;

const UNNAMED: &str = "未命名项目";

/// A file name stem for a project name ([`filename::safe_stem`], `未命名项目` when nothing is left).
pub fn safe_file_stem(name: &str) -> String {
    filename::safe_stem(name, UNNAMED)
}

/// One line of a comment: no line breaks or control characters.
pub(super) fn comment_safe(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| {
            if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
                ' '
            } else {
                c
            }
        })
        .collect();
    normalize_spaces(&flat)
}

/// At most this many characters of unmapped text go into a comment (the report has all).
const MAX_COMMENT_CHARS: usize = 2000;

// ---------------------------------------------------------------------------------------
// Tree nodes. Generated nodes have no place in a source: their spans are empty.

pub(super) fn sp<T>(value: T) -> Spanned<T> {
    Spanned::new(value, Span::default())
}

/// A comment node for `# body`.
pub(super) fn comment(body: &str) -> Comment {
    Comment {
        text: format!(" {body}"),
        span: Span::default(),
    }
}

fn field(key: &str, value: &str) -> Field {
    Field {
        key: sp(key.to_string()),
        value: sp(value.to_string()),
        comment: None,
        span: Span::default(),
    }
}

pub(super) fn date_lit(s: &str) -> Option<DateLit> {
    let mut parts = s.split('-');
    let d = DateLit {
        year: parts.next()?.parse().ok()?,
        month: parts.next()?.parse().ok()?,
        day: parts.next()?.parse().ok()?,
    };
    (parts.next().is_none() && d.is_valid()).then_some(d)
}

pub(super) fn number_lit(s: &str) -> Option<Spanned<NumberLit>> {
    syntax::parse_number_text(s).ok().map(sp)
}

pub(super) fn unmapped_comment(u: &Unmapped) -> Comment {
    let at = u.origin.describe(Lang::Zh);
    let mut text = comment_safe(&u.text);
    if text.chars().count() > MAX_COMMENT_CHARS {
        text = text.chars().take(MAX_COMMENT_CHARS).collect::<String>() + "…";
    }
    let reason = comment_safe(&u.reason.zh);
    comment(&format!("未能识别：{text}（{at}：{reason}）"))
}

fn missing_comment(what: &str) -> Comment {
    comment(&format!("表中未找到：{what}"))
}

/// `key 待填` with the comment that the source form has no such field: what the template
/// requires and the form does not give (PS114), never invented.
fn to_fill_field(key: &str, what: &str) -> Field {
    let mut f = field(key, crate::vocab::keys::TO_FILL);
    f.comment = Some(missing_comment(what));
    f
}

/// `≥ 100 待填`: a number the form gives without its unit, or with one no table knows,
/// keeps the number and says the unit is unknown (PS114), with a comment; the unit is never
/// guessed.
fn mark_unknown_unit(node: &mut Indicator) {
    let unit = match &mut node.value.value {
        ValueLit::Number { unit, .. } | ValueLit::Range { unit, .. } => unit,
        // `公里`, `≧ %`: the form prints the unit and never the number (a template not
        // filled in). The target is unknown: `= 待填`, the comparator kept, and what the form
        // printed in the comment — never a qualitative value `公里`.
        ValueLit::Text(t)
            if !crate::vocab::keys::is_to_fill(t)
                && crate::check::units::UnitTable::new().resolve(t).is_ok() =>
        {
            let printed = comment_safe(t);
            node.value.value = ValueLit::Text(crate::vocab::keys::TO_FILL.to_string());
            node.comment = Some(comment(&format!(
                "表中只印了计量单位“{printed}”，没有指标值"
            )));
            return;
        }
        _ => return,
    };
    match unit {
        None => {
            *unit = Some(sp(crate::vocab::keys::TO_FILL.to_string()));
            node.comment = Some(comment("表中未给出计量单位"));
        }
        // A unit no table knows (`M`, a bare `万`): which one the form meant is not guessed;
        // the number stays, the unit is 待填, and the comment keeps what the form printed.
        Some(u)
            if crate::check::units::UnitTable::new()
                .resolve(&u.value)
                .is_err() =>
        {
            let printed = comment_safe(&u.value);
            *unit = Some(sp(crate::vocab::keys::TO_FILL.to_string()));
            node.comment = Some(comment(&format!(
                "表中的计量单位为“{printed}”，不是已知单位"
            )));
        }
        Some(_) => {}
    }
}

/// A 资金 entry: the amount as the form printed it, `万元` when it is in 万元.
fn money_entry(key: &str, a: &Amount) -> Option<FundingEntry> {
    let text = match Decimal::from_str(&a.number) {
        Ok(d) if d.scale() <= 2 => crate::vocab::num::format_money(d),
        _ => a.number.clone(),
    };
    Some(FundingEntry {
        key: sp(key.to_string()),
        amount: number_lit(&text)?,
        unit: a.wan.then(|| sp("万元".to_string())),
        comment: None,
        span: Span::default(),
    })
}

/// The comparator and value of a target as the tree holds them (`≥ 8000.00 件`, `= 及时`).
fn value_lit(v: &Value) -> Result<(Option<Spanned<syntax::Op>>, ValueLit), Msg> {
    let unit = |u: &Option<String>| u.clone().map(sp);
    let bad = || {
        msg!(
            "这一行无法写成 .perf 指标行",
            "this row cannot be written as a .perf indicator line"
        )
    };
    Ok(match v {
        Value::Number {
            op,
            number,
            unit: u,
        } => (
            op.map(sp),
            ValueLit::Number {
                number: number_lit(number).ok_or_else(bad)?,
                unit: unit(u),
            },
        ),
        Value::Range { low, high, unit: u } => (
            Some(sp(syntax::Op::Eq)),
            ValueLit::Range {
                low: number_lit(low).ok_or_else(bad)?,
                high: number_lit(high).ok_or_else(bad)?,
                unit: unit(u),
            },
        ),
        Value::Date { op, date } => (
            Some(sp(op.unwrap_or(syntax::Op::Eq))),
            ValueLit::Date(date_lit(date).ok_or_else(bad)?),
        ),
        // A text that reads like a number (`2023.07-2024.01`) is written in quotes by fmt.
        Value::Text { op, text } => (
            Some(sp(op.unwrap_or(syntax::Op::Eq))),
            ValueLit::Text(text.clone()),
        ),
    })
}

/// `item` printed alone in a project and parsed back: what a reader of the spec sees.
/// `None` when the text has any diagnostic or does not read as one statement.
fn read_back(item: ProjectItem) -> Option<ProjectItem> {
    match read_back_all(vec![item]) {
        Some(mut v) if v.len() == 1 => v.pop(),
        _ => None,
    }
}

/// `items` printed in a project and parsed back: the statements a reader of the spec sees
/// (blank lines and comments left out). `None` when the text has any diagnostic.
pub(super) fn read_back_all(items: Vec<ProjectItem>) -> Option<Vec<ProjectItem>> {
    let file = SourceFile {
        has_bom: false,
        items: vec![
            TopItem::Field(field("年度", "2026")),
            TopItem::Project(project_node("x", items)),
        ],
        span: Span::default(),
    };
    let (tree, diags) = syntax::parse(&crate::fmt::format_tree(&file));
    if !diags.is_empty() {
        return None;
    }
    let TopItem::Project(p) = tree
        .items
        .into_iter()
        .find(|i| matches!(i, TopItem::Project(_)))?
    else {
        return None;
    };
    Some(
        p.items
            .into_iter()
            .filter(|i| !matches!(i, ProjectItem::Blank(_) | ProjectItem::Comment(_)))
            .collect(),
    )
}

fn project_node(name: &str, items: Vec<ProjectItem>) -> Project {
    Project {
        name: sp(name.to_string()),
        open_comment: None,
        items,
        close: Some(Span::default()),
        close_comment: None,
        span: Span::default(),
    }
}

/// Whether a parsed indicator says what the form says.
fn same_indicator(got: &Indicator, cat: &str, ind: &Ind) -> bool {
    if got.category.value != cat || normalize_spaces(&got.name.value) != ind.name {
        return false;
    }
    let unit_eq = |a: &Option<Spanned<String>>, b: &Option<String>| {
        a.as_ref()
            .map(|u| crate::check::units::normalize_spelling(&u.value))
            == *b
    };
    let num_eq = |n: &NumberLit, s: &str| {
        Decimal::from_str(s).is_ok_and(|d| d == n.value && d.scale() == n.value.scale())
    };
    match (&got.value.value, &ind.value) {
        (
            ValueLit::Number { number, unit },
            Value::Number {
                op,
                number: n,
                unit: u,
            },
        ) => {
            num_eq(&number.value, n) && unit_eq(unit, u) && got.op.as_ref().map(|o| o.value) == *op
        }
        (
            ValueLit::Range { low, high, unit },
            Value::Range {
                low: l,
                high: h,
                unit: u,
            },
        ) => num_eq(&low.value, l) && num_eq(&high.value, h) && unit_eq(unit, u),
        (ValueLit::Date(d), Value::Date { date, .. }) => d.to_string() == *date,
        (ValueLit::Text(t), Value::Text { text, .. }) => normalize_spaces(t) == *text,
        _ => false,
    }
}

/// The indicator node of a row, if it reads back as the row.
fn indicator_node(ind: &Ind) -> Result<Indicator, Msg> {
    let cat = ind.level2.short();
    let (op, value) = value_lit(&ind.value)?;
    let node = Indicator {
        category: sp(cat.to_string()),
        name: sp(ind.name.clone()),
        quoted: false,
        op,
        value: sp(value),
        comment: None,
        span: Span::default(),
    };
    match read_back(ProjectItem::Indicator(node.clone())) {
        Some(ProjectItem::Indicator(got)) if same_indicator(&got, cat, ind) => Ok(node),
        _ => Err(msg!(
            "这一行无法写成 .perf 指标行",
            "this row cannot be written as a .perf indicator line"
        )),
    }
}

/// The project name as written, or `None` when the formatter's line would not read back as
/// it (a name is quoted when the bare form would read differently).
fn project_name_reads_back(name: &str) -> bool {
    let file = SourceFile {
        has_bom: false,
        items: vec![TopItem::Project(project_node(name, Vec::new()))],
        span: Span::default(),
    };
    let (tree, diags) = syntax::parse(&crate::fmt::format_tree(&file));
    diags.is_empty()
        && tree
            .items
            .iter()
            .any(|i| matches!(i, TopItem::Project(p) if normalize_spaces(&p.name.value) == name))
}

/// One line of text, cut (and reported) when absurdly long.
fn capped(v: &str, notes: &mut Vec<(Origin, String, Msg)>, origin: &Origin) -> String {
    let flat = normalize_spaces(&comment_safe(v));
    if flat.chars().count() <= MAX_COMMENT_CHARS {
        return flat;
    }
    notes.push((
        origin.clone(),
        v.to_string(),
        msg!(
            "字段值过长，只保留了前 {MAX_COMMENT_CHARS} 个字符",
            "the field value was too long: only its first {MAX_COMMENT_CHARS} characters were kept"
        ),
    ));
    flat.chars().take(MAX_COMMENT_CHARS).collect::<String>() + "…"
}

/// A field value that reads back as itself: ` #` would start a comment.
fn field_value(v: &str, notes: &mut Vec<(Origin, String, Msg)>, origin: &Origin) -> String {
    let flat = capped(v, notes, origin);
    let mut out = String::new();
    let mut prev_space = false;
    let mut changed = false;
    for c in flat.chars() {
        if c == '#' && prev_space {
            out.push('＃');
            changed = true;
        } else {
            out.push(c);
        }
        prev_space = c == ' ';
    }
    if changed {
        notes.push((
            origin.clone(),
            v.to_string(),
            msg!(
                "“ #” 在 .perf 中会开始注释，已改为全角 “＃”",
                "“ #” would start a comment in .perf: written as the full-width “＃”"
            ),
        ));
    }
    out
}

/// Lines are cut to this many bytes at most: the parser refuses longer lines (PS007).
const MAX_RENDERED_LINE: usize = 64 * 1024;

/// A goal line that would end its text block early: one holding only `"""`, or one that
/// reads as the start of a project (`项目 … {`), which ends an unclosed block.
fn disarm_goal_line(line: &str) -> Option<String> {
    let t = line.trim_start_matches(syntax::is_ws);
    if t.starts_with("\"\"\"") {
        return Some(line.replacen("\"\"\"", "“”“", 1));
    }
    let opens_project = t
        .strip_prefix("项目")
        .is_some_and(|r| r.starts_with(syntax::is_ws))
        && line.contains('{');
    if opens_project {
        let at = line.rfind('{')?;
        return Some(format!("{}｛{}", &line[..at], &line[at + 1..]));
    }
    None
}

/// Split lines longer than the parser takes, between characters.
fn split_long(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while rest.len() > MAX_RENDERED_LINE {
        let mut at = MAX_RENDERED_LINE;
        while !rest.is_char_boundary(at) {
            at -= 1;
        }
        out.push(&rest[..at]);
        rest = &rest[at..];
    }
    out.push(rest);
    out
}

/// A goal as a `"""` block, changed only where the block syntax forces it (reported);
/// as comments when even that does not read back.
fn goal_block(
    key: &str,
    text: &str,
    out: &mut Vec<ProjectItem>,
    notes: &mut Vec<(Origin, String, Msg)>,
    unmapped: &mut Vec<Note>,
    origin: &Origin,
) {
    let mut intended: Vec<String> = Vec::new();
    for line in text.split('\n') {
        if line.chars().all(syntax::is_ws) {
            intended.push(String::new());
            continue;
        }
        let pieces = split_long(line);
        if pieces.len() > 1 {
            let n = pieces.len();
            notes.push((
                origin.clone(),
                String::new(),
                msg!(
                    "目标文本中有一行过长，已分成 {n} 行",
                    "a goal line was too long and was split into {n} lines"
                ),
            ));
        }
        for piece in pieces {
            let l = match disarm_goal_line(piece) {
                Some(l) => {
                    notes.push((
                        origin.clone(),
                        piece.to_string(),
                        msg!(
                            "这一行目标文本会提前结束文本块，已把 \"\"\" 或 {{ 换成全角字符",
                            "this goal line would end the text block early: its \"\"\" or {{ was made full-width"
                        ),
                    ));
                    l
                }
                None => piece.to_string(),
            };
            intended.push(l);
        }
    }
    let intended = intended.join("\n");
    let node = Goal {
        key: sp(key.to_string()),
        text: sp(intended.clone()),
        block: true,
        comment: None,
        span: Span::default(),
    };
    if let Some(ProjectItem::Goal(g)) = read_back(ProjectItem::Goal(node.clone())) {
        if g.block && g.text.value == intended {
            out.push(ProjectItem::Goal(node));
            return;
        }
    }
    let reason = msg!(
        "目标文本无法写成 .perf 文本块，保留为注释",
        "the goal text cannot be written as a .perf text block: kept as comments"
    );
    unmapped.push(Note {
        kind: NoteKind::Unmapped,
        spec: None,
        origin: origin.clone(),
        text: text.to_string(),
        message: reason,
    });
    out.push(ProjectItem::Comment(comment(&format!(
        "未能识别：{key}（{}）",
        origin.describe(Lang::Zh)
    ))));
    for line in text.split('\n') {
        for piece in split_long(line) {
            out.push(ProjectItem::Comment(comment(&comment_safe(piece))));
        }
    }
}

fn blank() -> ProjectItem {
    ProjectItem::Blank(Span::default())
}

fn render(
    form: &Form,
    index: usize,
    count: usize,
    source: &str,
    prelude: &[Unmapped],
) -> (String, Vec<Note>) {
    let mut top: Vec<TopItem> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut adjusted: Vec<(Origin, String, Msg)> = Vec::new();
    let missing = |notes: &mut Vec<Note>, what: &str| {
        notes.push(Note {
            kind: NoteKind::Missing,
            spec: None,
            origin: form.origin.clone(),
            text: String::new(),
            message: msg!("表中未找到 “{what}”", "the form has no “{what}”"),
        });
    };

    let title = form
        .summary_title
        .as_deref()
        .map(comment_safe)
        .unwrap_or_else(|| "财政项目支出绩效目标申报表".to_string());
    if count > 1 {
        top.push(TopItem::Comment(comment(&format!(
            "{title}（{}/{count}）",
            index + 1
        ))));
    } else {
        top.push(TopItem::Comment(comment(&title)));
    }
    top.push(TopItem::Comment(comment(&format!(
        "由 perfspec import 导入自 {}",
        comment_safe(source)
    ))));
    for u in prelude {
        top.push(TopItem::Comment(unmapped_comment(u)));
    }

    // The template: a form with none of 项目性质, 项目类别 and the planned dates is not the
    // Shanghai 申报表 (whose checks would demand them) but one of the national family.
    let template = if form.self_evaluation {
        TemplateId::SelfEvaluation.get()
    } else if let Some(t) = form.marked.filter(|t| !form.unmarked.contains(t)) {
        // A label only that template prints (`vocab::templates`, `markers`).
        t.get()
    } else if form.nature.is_none()
        && form.kind.is_none()
        && form.start.is_none()
        && form.end.is_none()
    {
        TemplateId::Mof2021.get()
    } else {
        TemplateId::DEFAULT.get()
    };
    if template.id != TemplateId::DEFAULT {
        top.push(TopItem::Field(field(
            Key::Template.canonical(),
            template.name,
        )));
        let name = template.name;
        notes.push(Note {
            kind: NoteKind::Adjusted,
            spec: None,
            origin: form.origin.clone(),
            text: String::new(),
            message: if form.self_evaluation {
                msg!(
                    "这是绩效自评表：按 “{name}” 模板导入，目标之下写出实际完成值、分值、得分和偏差原因（见 docs/self-evaluation.md）",
                    "a self-evaluation form: imported as template “{name}”, with the actuals, weights, scores and reasons under the targets (see docs/self-evaluation.md)"
                )
            } else if form.marked.is_some_and(|t| t == template.id) {
                msg!(
                    "表上有只属于 “{name}” 模板的栏目（如 2015 年指标体系的 社会公众或服务对象满意度指标）：按该模板导入（见 docs/templates.md）",
                    "the form prints a label only template “{name}” has (such as the 2015 tree's 社会公众或服务对象满意度指标): imported as that template (see docs/templates.md)"
                )
            } else {
                msg!(
                    "表上没有项目性质、项目类别和计划日期：按 “{name}” 模板导入（见 docs/templates.md）",
                    "the form has no 项目性质, 项目类别 or planned dates: imported as template “{name}” (see docs/templates.md)"
                )
            },
        });
    }
    let required = |k: Key| template.requires(k);
    match form.year {
        Some(y) => top.push(TopItem::Field(field(Key::Year.canonical(), &y.to_string()))),
        None => {
            missing(&mut notes, "年度");
            top.push(TopItem::Field(to_fill_field(
                Key::Year.canonical(),
                "年度（写成 `年度 2026`）",
            )));
        }
    }
    // A text field, or the comment that says the form lacks it.
    let text_field = |notes: &mut Vec<Note>,
                      adjusted: &mut Vec<(Origin, String, Msg)>,
                      key: Key,
                      what: &str,
                      v: &Option<Val>|
     -> Result<Field, Comment> {
        match v {
            Some(v) => Ok(field(
                key.canonical(),
                &field_value(&v.text, adjusted, &v.origin),
            )),
            None => {
                missing(notes, what);
                Err(missing_comment(what))
            }
        }
    };
    for (key, v) in [(Key::Department, &form.department), (Key::Unit, &form.unit)] {
        top.push(
            match text_field(&mut notes, &mut adjusted, key, key.canonical(), v) {
                Ok(f) => TopItem::Field(f),
                Err(_) if required(key) => {
                    TopItem::Field(to_fill_field(key.canonical(), key.canonical()))
                }
                Err(c) => TopItem::Comment(c),
            },
        );
    }
    top.push(TopItem::Blank(Span::default()));

    let name = match &form.name {
        Some(v) => capped(&v.text, &mut adjusted, &v.origin),
        None => {
            missing(&mut notes, "项目名称");
            String::new()
        }
    };
    let name = if name.is_empty() {
        top.push(TopItem::Comment(missing_comment("项目名称")));
        UNNAMED.to_string()
    } else if project_name_reads_back(&name) {
        name
    } else {
        let reason = msg!(
            "项目名称无法写成 .perf 项目行，保留为注释",
            "the project name cannot be written as a .perf project line: kept as a comment"
        );
        let origin = form
            .name
            .as_ref()
            .map(|v| v.origin.clone())
            .unwrap_or_default();
        notes.push(Note {
            kind: NoteKind::Unmapped,
            spec: None,
            origin: origin.clone(),
            text: name.clone(),
            message: reason.clone(),
        });
        top.push(TopItem::Comment(unmapped_comment(&Unmapped {
            origin,
            text: name,
            reason,
        })));
        UNNAMED.to_string()
    };

    let mut out: Vec<ProjectItem> = Vec::new();
    for (key, what, v) in [
        (Key::Nature, "项目性质", &form.nature),
        (Key::Kind, "项目类别", &form.kind),
    ] {
        if v.is_some() || required(key) {
            out.push(match text_field(&mut notes, &mut adjusted, key, what, v) {
                Ok(f) => ProjectItem::Field(f),
                Err(_) if required(key) => ProjectItem::Field(to_fill_field(key.canonical(), what)),
                Err(c) => ProjectItem::Comment(c),
            });
        }
    }
    let period = |key: Key, start: DateLit, end: Option<DateLit>| {
        ProjectItem::Period(Period {
            key: sp(key.canonical().to_string()),
            start: sp(start),
            end: end.map(sp),
            comment: None,
            span: Span::default(),
        })
    };
    let date_of = |v: &Option<Val>| v.as_ref().and_then(|v| date_lit(&v.text));
    match (date_of(&form.start), date_of(&form.end)) {
        (None, None) if !required(Key::Period) => {}
        (Some(s), Some(e)) => out.push(period(Key::Period, s, Some(e))),
        (None, None) => {
            missing(&mut notes, "计划开始日期");
            missing(&mut notes, "计划完成日期");
            out.push(ProjectItem::Field(to_fill_field(
                Key::Period.canonical(),
                "计划开始日期、计划完成日期",
            )));
        }
        (s, e) => {
            for (key, what, d) in [
                (Key::Start, "计划开始日期", s),
                (Key::End, "计划完成日期", e),
            ] {
                match d {
                    Some(d) => out.push(period(key, d, None)),
                    None => {
                        missing(&mut notes, what);
                        out.push(ProjectItem::Field(to_fill_field(key.canonical(), what)));
                    }
                }
            }
        }
    }
    for (section, u) in &form.unmapped {
        if *section == Section::Header {
            out.push(ProjectItem::Comment(unmapped_comment(u)));
        }
    }
    out.push(blank());

    let funding_unmapped: Vec<&Unmapped> = form
        .unmapped
        .iter()
        .filter(|(s, _)| *s == Section::Funding)
        .map(|(_, u)| u)
        .collect();
    if let Some(e) = &form.execution {
        out.extend(super::yearend::execution_block(e, &mut notes));
        out.push(blank());
    }
    if form.amounts.is_empty() && funding_unmapped.is_empty() {
        if form.execution.is_some() {
            // A 自评表's money is its budget execution line.
        } else if required(Key::Funding) {
            missing(&mut notes, "项目资金");
            out.push(ProjectItem::Field(to_fill_field(
                Key::Funding.canonical(),
                "项目资金",
            )));
        } else {
            missing(&mut notes, "项目资金");
            out.push(ProjectItem::Comment(missing_comment("项目资金")));
        }
    } else {
        let mut items = Vec::new();
        for fund in Fund::ORDER {
            if let Some(a) = form.amounts.iter().find(|a| a.fund == fund) {
                match money_entry(fund.key(), a) {
                    Some(e) => items.push(FundingItem::Entry(e)),
                    None => {
                        let u = Unmapped {
                            origin: a.origin.clone(),
                            text: format!("{} {}", fund.key(), a.number),
                            reason: msg!(
                                "金额无法写成 .perf 数字",
                                "the amount cannot be written as a .perf number"
                            ),
                        };
                        notes.push(Note {
                            kind: NoteKind::Unmapped,
                            spec: None,
                            origin: u.origin.clone(),
                            text: u.text.clone(),
                            message: u.reason.clone(),
                        });
                        items.push(FundingItem::Comment(unmapped_comment(&u)));
                    }
                }
            }
        }
        for u in funding_unmapped {
            items.push(FundingItem::Comment(unmapped_comment(u)));
        }
        let readable = items.iter().any(|i| matches!(i, FundingItem::Entry(_)));
        if !readable {
            // Nothing the form gives reads as an amount with its unit: the lines stay as
            // comments, and the block is `资金 待填` (PS114) where the template asks for
            // one, nothing where it does not (a 自评表) — never an empty block (PS207).
            for i in items {
                if let FundingItem::Comment(c) = i {
                    out.push(ProjectItem::Comment(c));
                }
            }
            if required(Key::Funding) {
                out.push(ProjectItem::Field(to_fill_field(
                    Key::Funding.canonical(),
                    "可读的金额（见上方注释）",
                )));
            }
        } else {
            out.push(ProjectItem::Funding(Funding {
                open_comment: None,
                items,
                close: Some(Span::default()),
                close_comment: None,
                span: Span::default(),
            }));
        }
    }
    out.push(blank());

    if let Some(g) = &form.goal_total {
        goal_block(
            Key::GoalTotal.canonical(),
            &g.text,
            &mut out,
            &mut adjusted,
            &mut notes,
            &g.origin,
        );
        out.push(blank());
    }
    match &form.goal_annual {
        Some(g) => goal_block(
            Key::GoalAnnual.canonical(),
            &g.text,
            &mut out,
            &mut adjusted,
            &mut notes,
            &g.origin,
        ),
        None if required(Key::GoalAnnual) => {
            missing(&mut notes, "年度总体目标");
            out.push(ProjectItem::Goal(Goal {
                key: sp(Key::GoalAnnual.canonical().to_string()),
                text: sp(crate::vocab::keys::TO_FILL.to_string()),
                block: false,
                comment: Some(missing_comment("年度总体目标")),
                span: Span::default(),
            }));
        }
        None => {
            missing(&mut notes, "年度总体目标");
            out.push(ProjectItem::Comment(missing_comment("年度总体目标")));
        }
    }
    if let Some(g) = &form.outcome {
        out.push(blank());
        goal_block(
            Key::Outcome.canonical(),
            &g.text,
            &mut out,
            &mut adjusted,
            &mut notes,
            &g.origin,
        );
    }
    for (section, u) in &form.unmapped {
        if *section == Section::Goals {
            out.push(ProjectItem::Comment(unmapped_comment(u)));
        }
    }

    let mut last_l1: Option<Level1> = None;
    let mut rendered: Vec<Level1> = Vec::new();
    let mut any = false;
    // A 自评表 that gives some rows a 分值, or scores (得分) without any 分值: a row without
    // its 分值 gets `分值 待填` (PS114), not a default share that the form's scores would
    // contradict, and not an invented number.
    let rows = || {
        form.items.iter().filter_map(|i| match i {
            Item::Indicator(ind) => Some(ind),
            _ => None,
        })
    };
    let weights_asked = form.self_evaluation
        && rows().any(|ind| ind.year_end.weight.is_some() || ind.year_end.score.is_some());
    for item in &form.items {
        match item {
            Item::Indicator(ind) => {
                let l1 = ind.level2.level1();
                if last_l1 != Some(l1) {
                    out.push(blank());
                    last_l1 = Some(l1);
                }
                any = true;
                match indicator_node(ind) {
                    Ok(mut node) => {
                        let details = super::yearend::indicator_details(ind, &node, &mut notes);
                        mark_unknown_unit(&mut node);
                        rendered.push(l1);
                        out.push(ProjectItem::Indicator(node));
                        out.extend(details);
                        if weights_asked && ind.year_end.weight.is_none() {
                            missing(&mut notes, "分值");
                            out.push(ProjectItem::Field(to_fill_field(
                                Key::Weight.canonical(),
                                "分值",
                            )));
                        }
                        for r in &ind.remarks {
                            out.push(ProjectItem::Comment(comment(&format!(
                                "备注：{}",
                                comment_safe(r)
                            ))));
                            notes.push(Note {
                                kind: NoteKind::Unmapped,
                                spec: None,
                                origin: ind.origin.clone(),
                                text: r.clone(),
                                message: msg!(
                                    "备注栏的内容不属于模型，保留为注释",
                                    "the remark is not part of the model: kept as a comment"
                                ),
                            });
                        }
                    }
                    Err(reason) => {
                        let u = Unmapped {
                            origin: ind.origin.clone(),
                            text: format!(
                                "{} {} {}",
                                level2_text(ind.level2),
                                ind.name,
                                value_display(&ind.value)
                            ),
                            reason: reason.clone(),
                        };
                        notes.push(Note {
                            kind: NoteKind::Unmapped,
                            spec: None,
                            origin: u.origin.clone(),
                            text: u.text.clone(),
                            message: reason,
                        });
                        out.push(ProjectItem::Comment(unmapped_comment(&u)));
                    }
                }
            }
            Item::Unmapped(u) => {
                if !any && last_l1.is_none() {
                    out.push(blank());
                    any = true;
                }
                out.push(ProjectItem::Comment(unmapped_comment(u)));
            }
        }
    }
    // A 一级 category every form must have (产出, 效益) that this one has no readable row
    // of: `效益指标 待填`, said, not invented (PS114 instead of PS309). A form without any
    // indicator row (a page cut before the table) gets both, so the spec says what it lacks
    // and still checks.
    let mut first = true;
    if !form.items.iter().any(|i| matches!(i, Item::Indicator(_))) {
        missing(&mut notes, "绩效指标");
        out.push(blank());
        out.push(ProjectItem::Comment(missing_comment("绩效指标")));
        first = false;
    }
    for l1 in [Level1::Output, Level1::Benefit] {
        if !rendered.contains(&l1) {
            missing(&mut notes, l1.name());
            if std::mem::take(&mut first) {
                out.push(blank());
            }
            out.push(ProjectItem::Field(to_fill_field(l1.name(), l1.name())));
        }
    }
    let mut summary = true;
    for (key, v) in [(Key::TotalScore, &form.total), (Key::Grade, &form.grade)] {
        if let Some(v) = v {
            if std::mem::take(&mut summary) {
                out.push(blank());
            }
            out.push(ProjectItem::Field(field(
                key.canonical(),
                &field_value(&v.text, &mut adjusted, &v.origin),
            )));
        }
    }
    top.push(TopItem::Project(project_node(&name, out)));

    for (origin, text, message) in adjusted {
        notes.push(Note {
            kind: NoteKind::Adjusted,
            spec: None,
            origin,
            text,
            message,
        });
    }
    let tree = SourceFile {
        has_bom: false,
        items: top,
        span: Span::default(),
    };
    (crate::fmt::format_tree(&tree), notes)
}

fn level2_text(l: Level2) -> &'static str {
    l.short()
}

fn value_display(v: &Value) -> String {
    match v {
        Value::Number { op, number, unit } => format!(
            "{}{number}{}",
            op.map(|o| o.symbol()).unwrap_or(""),
            unit.as_ref().map(|u| format!("({u})")).unwrap_or_default()
        ),
        Value::Range { low, high, unit } => format!(
            "{low}~{high}{}",
            unit.as_ref().map(|u| format!("({u})")).unwrap_or_default()
        ),
        Value::Date { op, date } => format!("{}{date}", op.map(|o| o.symbol()).unwrap_or("")),
        Value::Text { op, text } => format!("{}{text}", op.map(|o| o.symbol()).unwrap_or("")),
    }
}

/// Render every form; notes get the index of the spec they belong to.
pub(super) fn render_all(source: &str, found: Recognised) -> (Vec<ImportedSpec>, Vec<Note>) {
    let count = found.forms.len();
    let mut specs = Vec::with_capacity(count);
    let mut notes = Vec::new();
    if count == 0 {
        return (specs, notes);
    }
    for (i, form) in found.forms.iter().enumerate() {
        let (text, mut extra) = render(form, i, count, source, &form.prelude);
        let mut form_notes = form.notes.clone();
        form_notes.append(&mut extra);
        for n in &mut form_notes {
            n.spec = Some(i);
        }
        notes.append(&mut form_notes);
        let project = form
            .name
            .as_ref()
            .map(|v| normalize_spaces(&comment_safe(&v.text)))
            .unwrap_or_default();
        let file_stem = safe_file_stem(if project.is_empty() {
            UNNAMED
        } else {
            &project
        });
        specs.push(ImportedSpec {
            project,
            file_stem,
            text,
        });
    }
    (specs, notes)
}
