//! Writing a recognised form as `.perf` text in the canonical layout (`specs/*.perf`), then
//! through the formatter.
//!
//! Every line that carries a value is parsed back before it is used: a name the grammar
//! would read differently is quoted, and what cannot be written at all becomes a
//! `# 未能识别：…` comment, so the spec never says something the form did not.

use super::form::{Amount, Form, Fund, Ind, Item, Recognised, Section, Unmapped, Val};
use super::value::Value;
use super::{ImportedSpec, Note, NoteKind, Origin};
use crate::diag::{Lang, Msg};
use crate::filename;
use crate::model::{Level1, Level2};
use crate::msg;
use crate::syntax::{self, normalize_spaces, ProjectItem, TopItem, ValueLit};
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
fn comment_safe(s: &str) -> String {
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

fn unmapped_comment(u: &Unmapped) -> String {
    let at = u.origin.describe(Lang::Zh);
    let mut text = comment_safe(&u.text);
    if text.chars().count() > MAX_COMMENT_CHARS {
        text = text.chars().take(MAX_COMMENT_CHARS).collect::<String>() + "…";
    }
    let reason = comment_safe(&u.reason.zh);
    format!("# 未能识别：{text}（{at}：{reason}）")
}

fn missing_comment(what: &str) -> String {
    format!("# 表中未找到：{what}")
}

/// Money as a spec writes it: thousands separators and two decimals when that is exact.
fn money(a: &Amount) -> String {
    let text = match Decimal::from_str(&a.number) {
        Ok(d) if d.scale() <= 2 => crate::vocab::num::format_money(d),
        _ => a.number.clone(),
    };
    if a.wan {
        format!("{text} 万元")
    } else {
        text
    }
}

fn quote(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The value as a spec writes it (`≥ 8000.00 件`, `= 及时`).
fn value_text(v: &Value) -> Result<String, Msg> {
    let unit = |u: &Option<String>| u.as_ref().map(|u| format!(" {u}")).unwrap_or_default();
    Ok(match v {
        Value::Number {
            op,
            number,
            unit: u,
        } => match op {
            Some(op) => format!("{} {number}{}", op.symbol(), unit(u)),
            None => format!("{number}{}", unit(u)),
        },
        Value::Range { low, high, unit: u } => format!("= {low} ~ {high}{}", unit(u)),
        Value::Date { op, date } => format!("{} {date}", op.map(|o| o.symbol()).unwrap_or("=")),
        Value::Text { op, text } => {
            if text.starts_with(|c: char| {
                c.is_ascii_digit()
                    || matches!(c, '-' | '+' | '.' | '．' | '－')
                    || ('０'..='９').contains(&c)
            }) {
                return Err(msg!(
                    "定性指标值以数字开头，.perf 无法表示",
                    "a qualitative value starting with a digit cannot be written in .perf"
                ));
            }
            format!("{} {text}", op.map(|o| o.symbol()).unwrap_or("="))
        }
    })
}

/// Whether `line` parses as the indicator meant.
fn indicator_reads_back(line: &str, cat: &str, ind: &Ind) -> bool {
    let src = format!("年度 2026\n项目 x {{\n  {line}\n}}\n");
    let (tree, diags) = syntax::parse(&src);
    if !diags.is_empty() {
        return false;
    }
    let Some(TopItem::Project(p)) = tree.items.iter().find(|i| matches!(i, TopItem::Project(_)))
    else {
        return false;
    };
    let inds: Vec<&syntax::Indicator> = p
        .items
        .iter()
        .filter_map(|i| match i {
            ProjectItem::Indicator(x) => Some(x),
            _ => None,
        })
        .collect();
    let [got] = inds.as_slice() else {
        return false;
    };
    if got.category.value != cat || normalize_spaces(&got.name.value) != ind.name {
        return false;
    }
    let unit_eq = |a: &Option<syntax::Spanned<String>>, b: &Option<String>| {
        a.as_ref()
            .map(|u| crate::check::units::normalize_spelling(&u.value))
            == *b
    };
    let num_eq = |n: &syntax::NumberLit, s: &str| {
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

fn indicator_line(ind: &Ind) -> Result<String, Msg> {
    let cat = ind.level2.short();
    let value = value_text(&ind.value)?;
    for quoted in [false, true] {
        let name = if quoted {
            quote(&ind.name)
        } else {
            ind.name.clone()
        };
        let line = format!("{cat} {name} {value}");
        if indicator_reads_back(&line, cat, ind) {
            return Ok(line);
        }
    }
    Err(msg!(
        "这一行无法写成 .perf 指标行",
        "this row cannot be written as a .perf indicator line"
    ))
}

/// `项目 名称 {`, quoting the name when the bare form would read differently.
fn project_open(name: &str) -> String {
    for quoted in [false, true] {
        let shown = if quoted {
            quote(name)
        } else {
            name.to_string()
        };
        let line = format!("项目 {shown} {{");
        let (tree, diags) = syntax::parse(&format!("{line}\n}}\n"));
        let ok = diags.is_empty()
            && tree.items.iter().any(
                |i| matches!(i, TopItem::Project(p) if normalize_spaces(&p.name.value) == name),
            );
        if ok {
            return line;
        }
    }
    format!("项目 {} {{", quote(name))
}

/// A field value that reads back as itself: ` #` would start a comment.
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

/// The text a goal block reads back as, or `None` when it does not parse as one block.
fn goal_reads_back(block: &[String]) -> Option<String> {
    let src = format!("年度 2026\n项目 x {{\n{}\n}}\n", block.join("\n"));
    let (tree, diags) = syntax::parse(&src);
    if !diags.is_empty() {
        return None;
    }
    let TopItem::Project(p) = tree
        .items
        .iter()
        .find(|i| matches!(i, TopItem::Project(_)))?
    else {
        return None;
    };
    let goals: Vec<&syntax::Goal> = p
        .items
        .iter()
        .filter_map(|i| match i {
            ProjectItem::Goal(g) => Some(g),
            _ => None,
        })
        .collect();
    match goals.as_slice() {
        [g] if g.block => Some(g.text.value.clone()),
        _ => None,
    }
}

/// A goal as a `"""` block, changed only where the block syntax forces it (reported);
/// as comments when even that does not read back.
fn goal_block(
    key: &str,
    text: &str,
    out: &mut Vec<String>,
    notes: &mut Vec<(Origin, String, Msg)>,
    unmapped: &mut Vec<Note>,
    origin: &Origin,
) {
    let mut block = vec![format!("  {key} \"\"\"")];
    let mut intended = Vec::new();
    for line in text.split('\n') {
        if line.chars().all(syntax::is_ws) {
            block.push(String::new());
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
            block.push(format!("    {l}"));
            intended.push(l);
        }
    }
    block.push("  \"\"\"".to_string());
    if goal_reads_back(&block).as_deref() == Some(intended.join("\n").as_str()) {
        out.extend(block);
        return;
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
    out.push(format!(
        "  # 未能识别：{key}（{}）",
        origin.describe(Lang::Zh)
    ));
    for line in text.split('\n') {
        for piece in split_long(line) {
            out.push(format!("  # {}", comment_safe(piece)));
        }
    }
}

fn render(
    form: &Form,
    index: usize,
    count: usize,
    source: &str,
    prelude: &[Unmapped],
) -> (String, Vec<Note>) {
    let mut out: Vec<String> = Vec::new();
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
        out.push(format!("# {title}（{}/{count}）", index + 1));
    } else {
        out.push(format!("# {title}"));
    }
    out.push(format!(
        "# 由 perfspec import 导入自 {}",
        comment_safe(source)
    ));
    for u in prelude {
        out.push(unmapped_comment(u));
    }

    // The template: a form with none of 项目性质, 项目类别 and the planned dates is not the
    // Shanghai 申报表 (whose checks would demand them) but one of the national family.
    let template = if form.self_evaluation {
        TemplateId::SelfEvaluation.get()
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
        out.push(format!("模板 {}", template.name));
        let name = template.name;
        notes.push(Note {
            kind: NoteKind::Adjusted,
            spec: None,
            origin: form.origin.clone(),
            text: String::new(),
            message: if form.self_evaluation {
                msg!(
                    "这是绩效自评表：按 “{name}” 模板导入目标；实际完成值、分值和得分保留为注释（见 docs/templates.md）",
                    "a self-evaluation form: its targets imported as template “{name}”; actuals, weights and scores kept as comments (see docs/templates.md)"
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
        Some(y) => out.push(format!("年度 {y}")),
        None => {
            missing(&mut notes, "年度");
            out.push(missing_comment("年度（写成 `年度 2026`）"));
        }
    }
    let field = |out: &mut Vec<String>,
                 notes: &mut Vec<Note>,
                 adjusted: &mut Vec<(Origin, String, Msg)>,
                 indent: &str,
                 key: &str,
                 what: &str,
                 v: &Option<Val>| match v {
        Some(v) => out.push(format!(
            "{indent}{key} {}",
            field_value(&v.text, adjusted, &v.origin)
        )),
        None => {
            missing(notes, what);
            out.push(format!("{indent}{}", missing_comment(what)));
        }
    };
    field(
        &mut out,
        &mut notes,
        &mut adjusted,
        "",
        "主管部门",
        "主管部门",
        &form.department,
    );
    field(
        &mut out,
        &mut notes,
        &mut adjusted,
        "",
        "实施单位",
        "实施单位",
        &form.unit,
    );
    out.push(String::new());

    let name = match &form.name {
        Some(v) => capped(&v.text, &mut adjusted, &v.origin),
        None => {
            missing(&mut notes, "项目名称");
            String::new()
        }
    };
    if name.is_empty() {
        out.push(missing_comment("项目名称"));
        out.push(project_open(UNNAMED));
    } else {
        out.push(project_open(&name));
    }
    if form.nature.is_some() || required(Key::Nature) {
        field(
            &mut out,
            &mut notes,
            &mut adjusted,
            "  ",
            "性质",
            "项目性质",
            &form.nature,
        );
    }
    if form.kind.is_some() || required(Key::Kind) {
        field(
            &mut out,
            &mut notes,
            &mut adjusted,
            "  ",
            "类别",
            "项目类别",
            &form.kind,
        );
    }
    match (&form.start, &form.end) {
        (None, None) if !required(Key::Period) => {}
        (Some(s), Some(e)) => out.push(format!("  期间 {} 至 {}", s.text, e.text)),
        (s, e) => {
            match s {
                Some(s) => out.push(format!("  计划开始日期 {}", s.text)),
                None => {
                    missing(&mut notes, "计划开始日期");
                    out.push(format!("  {}", missing_comment("计划开始日期")));
                }
            }
            match e {
                Some(e) => out.push(format!("  计划完成日期 {}", e.text)),
                None => {
                    missing(&mut notes, "计划完成日期");
                    out.push(format!("  {}", missing_comment("计划完成日期")));
                }
            }
        }
    }
    for (section, u) in &form.unmapped {
        if *section == Section::Header {
            out.push(format!("  {}", unmapped_comment(u)));
        }
    }
    out.push(String::new());

    let funding_unmapped: Vec<&Unmapped> = form
        .unmapped
        .iter()
        .filter(|(s, _)| *s == Section::Funding)
        .map(|(_, u)| u)
        .collect();
    if form.amounts.is_empty() && funding_unmapped.is_empty() {
        missing(&mut notes, "项目资金");
        out.push(format!("  {}", missing_comment("项目资金")));
    } else {
        out.push("  资金 {".to_string());
        for fund in Fund::ORDER {
            if let Some(a) = form.amounts.iter().find(|a| a.fund == fund) {
                out.push(format!("    {} {}", fund.key(), money(a)));
            }
        }
        for u in funding_unmapped {
            out.push(format!("    {}", unmapped_comment(u)));
        }
        out.push("  }".to_string());
    }
    out.push(String::new());

    if let Some(g) = &form.goal_total {
        goal_block(
            "项目总目标",
            &g.text,
            &mut out,
            &mut adjusted,
            &mut notes,
            &g.origin,
        );
        out.push(String::new());
    }
    match &form.goal_annual {
        Some(g) => goal_block(
            "年度总体目标",
            &g.text,
            &mut out,
            &mut adjusted,
            &mut notes,
            &g.origin,
        ),
        None => {
            missing(&mut notes, "年度总体目标");
            out.push(format!("  {}", missing_comment("年度总体目标")));
        }
    }
    for (section, u) in &form.unmapped {
        if *section == Section::Goals {
            out.push(format!("  {}", unmapped_comment(u)));
        }
    }

    let mut last_l1: Option<Level1> = None;
    let mut any = false;
    for item in &form.items {
        match item {
            Item::Indicator(ind) => {
                let l1 = ind.level2.level1();
                if last_l1 != Some(l1) {
                    out.push(String::new());
                    last_l1 = Some(l1);
                }
                any = true;
                match indicator_line(ind) {
                    Ok(line) => {
                        out.push(format!("  {line}"));
                        for r in &ind.remarks {
                            out.push(format!("  # 备注：{}", comment_safe(r)));
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
                        out.push(format!("  {}", unmapped_comment(&u)));
                    }
                }
            }
            Item::Unmapped(u) => {
                if !any && last_l1.is_none() {
                    out.push(String::new());
                    any = true;
                }
                out.push(format!("  {}", unmapped_comment(u)));
            }
        }
    }
    if !form.items.iter().any(|i| matches!(i, Item::Indicator(_))) {
        missing(&mut notes, "绩效指标");
        out.push(String::new());
        out.push(format!("  {}", missing_comment("绩效指标")));
    }
    out.push("}".to_string());

    for (origin, text, message) in adjusted {
        notes.push(Note {
            kind: NoteKind::Adjusted,
            spec: None,
            origin,
            text,
            message,
        });
    }
    let mut text = out.join("\n");
    text.push('\n');
    // The formatter has the last word on layout (alignment); it refuses nothing it can
    // verify, and keeps this text when it cannot.
    if let Ok(formatted) = crate::fmt::format_source(&text) {
        text = formatted;
    }
    (text, notes)
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
