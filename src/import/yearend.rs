//! The year-end lines of a 自评表 as tree nodes: under each indicator its 实际完成值, 分值,
//! 得分 and 偏差原因; in the project the `预算执行 { … }` block. Like every statement the
//! importer writes, each is printed and parsed back before it is used, and what cannot be
//! written as the form says it (an actual number without a printed unit, above all) is kept
//! as a comment: no unit is guessed, no amount changes its unit.

use super::form::{ExecCol, Execution, Ind, Unmapped};
use super::render::{comment, comment_safe, number_lit, read_back_all, sp, unmapped_comment};
use super::value::{self, MoneyUnit, Value};
use super::{Note, NoteKind, Origin};
use crate::diag::Msg;
use crate::msg;
use crate::syntax::{
    normalize_spaces, Actual, Funding, FundingEntry, FundingItem, Goal, Indicator, NumberLit,
    Points, ProjectItem, Span, Spanned, ValueLit,
};
use crate::vocab::evaluation::ExecRow;
use crate::vocab::keys::Key;
use rust_decimal::Decimal;
use std::str::FromStr;

fn note(notes: &mut Vec<Note>, kind: NoteKind, origin: &Origin, text: &str, message: Msg) {
    notes.push(Note {
        kind,
        spec: None,
        origin: origin.clone(),
        text: text.to_string(),
        message,
    });
}

/// A year-end cell kept as a comment after its indicator, with the reason (also a note).
fn kept(
    notes: &mut Vec<Note>,
    origin: &Origin,
    what: &str,
    text: &str,
    reason: Msg,
) -> ProjectItem {
    let why = comment_safe(&reason.zh);
    note(notes, NoteKind::Unmapped, origin, text, reason);
    ProjectItem::Comment(comment(&format!("{what}：{}（{why}）", comment_safe(text))))
}

fn same_number(n: &NumberLit, s: &str) -> bool {
    Decimal::from_str(s).is_ok_and(|d| d == n.value && d.scale() == n.value.scale())
}

/// Points as printed (`10`, `15.0`, `20分`): the number.
fn points_number(t: &str) -> Option<Spanned<NumberLit>> {
    let t: String = t.chars().filter(|c| !value::is_space(*c)).collect();
    let t = t.strip_suffix('分').unwrap_or(&t);
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    number_lit(t)
}

/// The lines under an indicator, in the order of the language: 实际完成值, 分值, 得分,
/// 偏差原因. `ind_node` is the indicator's own node (already read back).
pub(super) fn indicator_details(
    ind: &Ind,
    ind_node: &Indicator,
    notes: &mut Vec<Note>,
) -> Vec<ProjectItem> {
    let ye = &ind.year_end;
    let o = &ind.origin;
    let mut out = Vec::new();
    if let Some(a) = &ye.actual {
        out.push(actual(a, ye.unit.as_deref(), ind_node, o, notes));
    }
    for (key, text) in [(Key::Weight, &ye.weight), (Key::Score, &ye.score)] {
        let Some(t) = text else {
            continue;
        };
        let what = key.canonical();
        // A weight printed as a share of the form's 100 points: that many points, said.
        let share = (key == Key::Weight && ye.weight_share)
            .then(|| super::form::share_of(t))
            .flatten();
        let t = share.unwrap_or(t);
        let node = points_number(t).map(|number| {
            ProjectItem::Points(Points {
                key: sp(what.to_string()),
                number,
                unit: None,
                comment: share
                    .map(|n| comment(&format!("表上的权重为 {n}%，按总分 100 分计为 {n} 分"))),
                span: Span::default(),
            })
        });
        let ok = node.as_ref().is_some_and(|n| {
            matches!(
                read_back_all(vec![ProjectItem::Indicator(ind_node.clone()), n.clone()]).as_deref(),
                Some([_, ProjectItem::Points(p)]) if p.number.value.value == points_number(t).map_or(Decimal::ZERO, |n| n.value.value)
            )
        });
        match node {
            Some(n) if ok => out.push(n),
            _ => out.push(kept(
                notes,
                o,
                what,
                t,
                msg!("不是分数", "not a number of points"),
            )),
        }
    }
    if let Some(d) = &ye.deviation {
        let text = no_comment_start(&comment_safe(d));
        let node = ProjectItem::Goal(Goal {
            key: sp(Key::Deviation.canonical().to_string()),
            text: sp(text.clone()),
            block: false,
            comment: None,
            span: Span::default(),
        });
        let ok = matches!(
            read_back_all(vec![ProjectItem::Indicator(ind_node.clone()), node.clone()]).as_deref(),
            Some([_, ProjectItem::Goal(g)]) if normalize_spaces(&g.text.value) == text
        );
        if ok {
            out.push(node);
        } else {
            out.push(kept(
                notes,
                o,
                Key::Deviation.canonical(),
                d,
                msg!(
                    "无法写成 .perf 的一行文本",
                    "cannot be written as one line of .perf text"
                ),
            ));
        }
    }
    out
}

/// ` #` would start a comment: the full-width `＃` instead.
fn no_comment_start(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_space = false;
    for c in s.chars() {
        out.push(if c == '#' && prev_space { '＃' } else { c });
        prev_space = c == ' ';
    }
    out
}

/// `实际完成值 …`: the actual as printed, a comparator copied from the target kept (the
/// checker reports it). A bare number takes a unit only from the row's 度量单位 column;
/// without one it stays a comment.
fn actual(
    text: &str,
    unit_col: Option<&str>,
    ind_node: &Indicator,
    o: &Origin,
    notes: &mut Vec<Note>,
) -> ProjectItem {
    // A note in brackets after the value (`100%（已完成）`, `95%(抽样)`): the value, the note
    // kept in the line's comment; if the value alone cannot be written either, the cell is
    // kept whole.
    if value::parse_value(text).is_none() {
        if let Some((v, n)) = split_bracket_note(text) {
            let before = notes.len();
            let item = actual_line(v, Some(&n), unit_col, ind_node, o, notes);
            if matches!(item, ProjectItem::Actual(_)) {
                return item;
            }
            notes.truncate(before);
        }
    }
    actual_line(text, None, unit_col, ind_node, o, notes)
}

fn actual_line(
    text: &str,
    bracket_note: Option<&str>,
    unit_col: Option<&str>,
    ind_node: &Indicator,
    o: &Origin,
    notes: &mut Vec<Note>,
) -> ProjectItem {
    let what = Key::Actual.canonical();
    // `2023年10月`, `7月`, `12月底到位` (and `2023.10` beside a date): a month, which the
    // language has no value for; not a number of months unless the target counts months.
    let target_date = matches!(ind_node.value.value, ValueLit::Date(_));
    let target_months = matches!(
        &ind_node.value.value,
        ValueLit::Number { unit: Some(u), .. } | ValueLit::Range { unit: Some(u), .. }
            if crate::check::units::UnitTable::new()
                .resolve(&u.value)
                .is_ok_and(|r| r.dimension == crate::vocab::Dimension::Duration)
    );
    // Beside a word target (`= "2023年12月"`) a month as words is a word too.
    let target_text = matches!(ind_node.value.value, ValueLit::Text(_));
    let as_words =
        target_text && value::parse_value(text).is_some_and(|v| matches!(v, Value::Text { .. }));
    if let Some(month) =
        value::month_only(text, target_date).filter(|_| !target_months && !as_words)
    {
        let example = match month {
            (Some(y), m) => format!("{y}-{m:02}-{}", last_day(y, m)),
            (None, m) => format!("YYYY-{m:02}-DD"),
        };
        return kept(
            notes,
            o,
            what,
            text,
            msg!(
                "只写到月份，.perf 没有月份值：请写成日期，如 `实际完成值 {example}`",
                "a month only, which .perf has no value for: write a date, e.g. `实际完成值 {example}`"
            ),
        );
    }
    let Some(v) = value::parse_value(text) else {
        return kept(
            notes,
            o,
            what,
            text,
            msg!("实际完成值无法识别", "the actual cannot be read"),
        );
    };
    let mut expect = v.clone();
    let mut trailing: Option<String> = None;
    let (op, lit) = match &v {
        Value::Number { op, number, unit } => {
            let unit = match (unit, unit_col, target_unit(ind_node)) {
                (Some(u), ..) => u.clone(),
                (None, Some(u), _) => {
                    let u = crate::check::units::normalize_spelling(u);
                    note(
                        notes,
                        NoteKind::Adjusted,
                        o,
                        text,
                        msg!(
                            "实际完成值没有单位，取本行度量单位列的 “{u}”",
                            "the actual has no unit; the row's unit column “{u}” was used"
                        ),
                    );
                    expect = Value::Number {
                        op: *op,
                        number: number.clone(),
                        unit: Some(u.clone()),
                    };
                    u
                }
                // The actual cell prints the number only, the target beside it its unit
                // (`≥50个` | `50`): the target's unit, said in a comment on the line.
                // A fraction beside a percentage (`≥95%` | `0.98`) may be a share (98 %) or
                // a percentage (0.98 %): not decided here.
                (None, None, Some(TargetUnit::Known(u)))
                    if u == "%"
                        && Decimal::from_str(number)
                            .is_ok_and(|d| d > Decimal::ZERO && d < Decimal::ONE) =>
                {
                    return kept(
                        notes,
                        o,
                        what,
                        text,
                        msg!(
                            "实际完成值只写了 {number}，指标值是百分数：是比例（{number} × 100 %）还是 {number} %，表上没有说，未写入",
                            "the actual is a bare {number} beside a percentage target: a share or a percentage, the form does not say; not written"
                        ),
                    );
                }
                // Money is never given a unit the form does not print beside it: 元 or
                // 万元 is a factor of 10,000. The number stays, its unit 待填 (PS114).
                (None, None, Some(TargetUnit::Known(u))) if is_money_unit(&u) => {
                    trailing = Some(format!(
                        "表上只写了 {number}：指标值的单位是 “{u}”，实际完成值的金额单位未写明"
                    ));
                    let u = crate::vocab::keys::TO_FILL.to_string();
                    expect = Value::Number {
                        op: *op,
                        number: number.clone(),
                        unit: Some(u.clone()),
                    };
                    u
                }
                (None, None, Some(TargetUnit::Known(u))) => {
                    note(
                        notes,
                        NoteKind::Adjusted,
                        o,
                        text,
                        msg!(
                            "实际完成值只写了数字，单位取自本行指标值的 “{u}”",
                            "the actual is a bare number; the unit “{u}” was taken from the row's target"
                        ),
                    );
                    trailing = Some(format!("单位取自本行指标值（表上只写了 {number}）"));
                    expect = Value::Number {
                        op: *op,
                        number: number.clone(),
                        unit: Some(u.clone()),
                    };
                    u
                }
                // Neither the actual nor its target has a unit the form prints: the
                // number as printed, its unit 待填 (PS114), like the target's.
                (None, None, Some(TargetUnit::Missing)) => {
                    let u = crate::vocab::keys::TO_FILL.to_string();
                    trailing = Some("表中未给出计量单位".to_string());
                    expect = Value::Number {
                        op: *op,
                        number: number.clone(),
                        unit: Some(u.clone()),
                    };
                    u
                }
                (None, None, None) => {
                    return kept(
                        notes,
                        o,
                        what,
                        text,
                        msg!(
                            "表上没有写实际完成值的单位，未写入：请写明单位，如 `实际完成值 {number} 单位`",
                            "the form prints no unit for the actual; not written: write it with its unit, e.g. `实际完成值 {number} UNIT`"
                        ),
                    );
                }
            };
            let Some(n) = number_lit(number) else {
                return kept(
                    notes,
                    o,
                    what,
                    text,
                    msg!("实际完成值无法识别", "the actual cannot be read"),
                );
            };
            (
                *op,
                ValueLit::Number {
                    number: n,
                    unit: Some(sp(unit)),
                },
            )
        }
        Value::Range { low, high, unit } => {
            let (Some(l), Some(h), Some(u)) = (number_lit(low), number_lit(high), unit) else {
                return kept(
                    notes,
                    o,
                    what,
                    text,
                    msg!(
                        "实际完成值无法写成 .perf（范围没有单位）",
                        "the actual cannot be written in .perf (a range without a unit)"
                    ),
                );
            };
            (
                None,
                ValueLit::Range {
                    low: l,
                    high: h,
                    unit: Some(sp(u.clone())),
                },
            )
        }
        Value::Date { op, date } => match super::render::date_lit(date) {
            Some(d) => (*op, ValueLit::Date(d)),
            None => {
                return kept(
                    notes,
                    o,
                    what,
                    text,
                    msg!("实际完成值无法识别", "the actual cannot be read"),
                )
            }
        },
        Value::Text { op, text } => (*op, ValueLit::Text(text.clone())),
    };
    if op.is_some() {
        note(
            notes,
            NoteKind::Adjusted,
            o,
            text,
            msg!(
                "实际完成值带有比较符（照抄了目标），按原样写入",
                "the actual has a comparator (copied from the target): written as printed"
            ),
        );
    }
    let node = Actual {
        key: sp(what.to_string()),
        op: op.map(sp),
        value: sp(lit),
        comment: match (trailing, bracket_note) {
            (Some(t), Some(n)) => Some(comment(&format!("{t}；表上的说明：{}", comment_safe(n)))),
            (Some(t), None) => Some(comment(&t)),
            (None, Some(n)) => Some(comment(&format!("表上的说明：{}", comment_safe(n)))),
            (None, None) => None,
        },
        span: Span::default(),
    };
    let back = read_back_all(vec![
        ProjectItem::Indicator(ind_node.clone()),
        ProjectItem::Actual(node.clone()),
    ]);
    match back.as_deref() {
        Some([_, ProjectItem::Actual(got)]) if same_actual(got, &expect) => {
            ProjectItem::Actual(node)
        }
        _ => kept(
            notes,
            o,
            what,
            text,
            msg!(
                "实际完成值无法写成 .perf 行",
                "the actual cannot be written as a .perf line"
            ),
        ),
    }
}

/// `100%（已完成）`: the text before a closing bracketed note, and the note.
fn split_bracket_note(text: &str) -> Option<(&str, String)> {
    let t = text.trim_matches(value::is_space);
    let body = t.strip_suffix(')').or_else(|| t.strip_suffix('）'))?;
    let open = body.rfind(['(', '（'])?;
    let note = body[open..]
        .trim_start_matches(['(', '（'])
        .trim_matches(value::is_space);
    let before = t[..open].trim_matches(value::is_space);
    (!before.is_empty() && !note.is_empty()).then(|| (before, note.to_string()))
}

/// The last day of a month (for the example a person is shown, never written).
fn last_day(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The unit of an indicator's target, for an actual printed as a bare number.
enum TargetUnit {
    /// A unit the tables know (`个`, `万元`, `%`).
    Known(String),
    /// A number without a unit, or with one no table knows (written `待填`).
    Missing,
}

/// `None`: the target is no number (a word, a date), so a bare number cannot be its actual.
fn target_unit(ind: &Indicator) -> Option<TargetUnit> {
    let unit = match &ind.value.value {
        ValueLit::Number { unit, .. } | ValueLit::Range { unit, .. } => unit,
        _ => return None,
    };
    Some(match unit {
        Some(u)
            if u.value != crate::vocab::keys::TO_FILL
                && crate::check::units::UnitTable::new()
                    .resolve(&u.value)
                    .is_ok() =>
        {
            TargetUnit::Known(crate::check::units::normalize_spelling(&u.value))
        }
        _ => TargetUnit::Missing,
    })
}

fn same_actual(got: &Actual, v: &Value) -> bool {
    let unit_eq = |a: &Option<Spanned<String>>, b: &Option<String>| {
        a.as_ref()
            .map(|u| crate::check::units::normalize_spelling(&u.value))
            == *b
    };
    let op = got.op.as_ref().map(|o| o.value);
    match (&got.value.value, v) {
        (
            ValueLit::Number { number, unit },
            Value::Number {
                op: o,
                number: n,
                unit: u,
            },
        ) => same_number(&number.value, n) && unit_eq(unit, u) && op == *o,
        (
            ValueLit::Range { low, high, unit },
            Value::Range {
                low: l,
                high: h,
                unit: u,
            },
        ) => same_number(&low.value, l) && same_number(&high.value, h) && unit_eq(unit, u),
        (ValueLit::Date(d), Value::Date { op: o, date }) => d.to_string() == *date && op == *o,
        (ValueLit::Text(t), Value::Text { op: o, text }) => {
            normalize_spaces(t) == *text && op == *o
        }
        _ => false,
    }
}

/// The `预算执行 { … }` block: the amounts with their unit (as printed: 万元 stays 万元), the
/// 分值 and 得分; the execution rate, which perfspec computes, and everything else of the
/// line as comments. Amounts without a stated unit are comments too.
pub(super) fn execution_block(e: &Execution, notes: &mut Vec<Note>) -> Vec<ProjectItem> {
    let mut items: Vec<FundingItem> = Vec::new();
    let mut entries: Vec<(String, Decimal, Option<&'static str>)> = Vec::new();
    // Amounts not read because no unit is stated for them.
    let mut unitless = 0usize;
    let keep = |items: &mut Vec<FundingItem>,
                notes: &mut Vec<Note>,
                origin: &Origin,
                text: String,
                reason: Msg| {
        note(notes, NoteKind::Unmapped, origin, &text, reason.clone());
        items.push(FundingItem::Comment(unmapped_comment(&Unmapped {
            origin: origin.clone(),
            text,
            reason,
        })));
    };
    // The language's order: the amounts, 分值, 得分; then the comments.
    let rank = |c: &ExecCol| match c {
        ExecCol::Row(r) => crate::vocab::evaluation::EXEC_ROWS
            .iter()
            .position(|s| s.row == *r)
            .unwrap_or(0),
        ExecCol::Rate => 10,
        ExecCol::Other => 11,
    };
    let mut cells: Vec<&(ExecCol, super::form::Val)> = e.cells.iter().collect();
    cells.sort_by_key(|(c, _)| rank(c));
    for (col, v) in cells {
        match col {
            ExecCol::Row(row) => {
                let key = row.spec().canonical;
                if row.spec().money {
                    let a = match value::parse_amount(&v.text) {
                        Ok(Some(a)) => a,
                        Ok(None) => continue,
                        Err(()) => {
                            keep(
                                &mut items,
                                notes,
                                &v.origin,
                                format!("{key} {}", v.text),
                                msg!("{key} 的金额无法识别", "the amount of {key} cannot be read"),
                            );
                            continue;
                        }
                    };
                    if let Some(n) = &a.note {
                        keep(
                            &mut items,
                            notes,
                            &v.origin,
                            format!("{key} {n}"),
                            msg!("金额后的说明", "a note after the amount"),
                        );
                    }
                    let Some(unit) = a.unit.or(e.unit) else {
                        unitless += 1;
                        let number = &a.number;
                        keep(
                            &mut items,
                            notes,
                            &v.origin,
                            format!("{key} {number}"),
                            msg!(
                                "表上未注明金额单位（元还是万元？），未读入：请写明单位，如 `{key} {number} 万元`",
                                "the form does not say whether amounts are in 元 or 万元; not read: write it with its unit, e.g. `{key} {number} 万元`"
                            ),
                        );
                        continue;
                    };
                    let text = match Decimal::from_str(&a.number) {
                        Ok(d) if d.scale() <= 2 => crate::vocab::num::format_money(d),
                        _ => a.number.clone(),
                    };
                    let unit = (unit == MoneyUnit::Wan).then_some("万元");
                    match number_lit(&text) {
                        Some(n) => {
                            entries.push((key.to_string(), n.value.value, unit));
                            items.push(FundingItem::Entry(FundingEntry {
                                key: sp(key.to_string()),
                                amount: n,
                                unit: unit.map(|u| sp(u.to_string())),
                                comment: None,
                                span: Span::default(),
                            }));
                        }
                        None => keep(
                            &mut items,
                            notes,
                            &v.origin,
                            format!("{key} {}", v.text),
                            msg!("{key} 的金额无法识别", "the amount of {key} cannot be read"),
                        ),
                    }
                } else {
                    match points_number(&v.text) {
                        Some(n) => {
                            entries.push((key.to_string(), n.value.value, None));
                            items.push(FundingItem::Entry(FundingEntry {
                                key: sp(key.to_string()),
                                amount: n,
                                unit: None,
                                comment: None,
                                span: Span::default(),
                            }));
                        }
                        None => keep(
                            &mut items,
                            notes,
                            &v.origin,
                            format!("{key} {}", v.text),
                            msg!("不是分数", "not a number of points"),
                        ),
                    }
                }
            }
            ExecCol::Rate => items.push(FundingItem::Comment(comment(&format!(
                "执行率 {}（表上的数字；perfspec 由全年执行数和全年预算数计算）",
                comment_safe(&v.text)
            )))),
            ExecCol::Other => items.push(FundingItem::Comment(comment(&format!(
                "备注：{}",
                comment_safe(&v.text)
            )))),
        }
    }
    for u in &e.details {
        items.push(FundingItem::Comment(unmapped_comment(u)));
    }
    let block = Funding {
        open_comment: None,
        items,
        close: Some(Span::default()),
        close_comment: None,
        span: Span::default(),
    };
    // Every entry must read back as written; a block that does not is kept as comments.
    let back = read_back_all(vec![ProjectItem::Execution(block.clone())]);
    let got: Option<Vec<(String, Decimal, Option<String>)>> = match back.as_deref() {
        Some([ProjectItem::Execution(f)]) => Some(
            f.items
                .iter()
                .filter_map(|i| match i {
                    FundingItem::Entry(x) => Some((
                        x.key.value.clone(),
                        x.amount.value.value,
                        x.unit.as_ref().map(|u| u.value.clone()),
                    )),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    };
    let want: Vec<(String, Decimal, Option<String>)> = entries
        .iter()
        .map(|(k, v, u)| (k.clone(), *v, u.map(String::from)))
        .collect();
    // A budget of 0 gives no execution rate (the checker refuses it, PS510): a total row
    // printed as zeros (a template's sum left uncomputed above rows with amounts) is kept as
    // printed, in comments, for a person to write the budget.
    let zero_budget = entries
        .iter()
        .any(|(k, v, _)| ExecRow::from_word(k) == Some(ExecRow::Budget) && v.is_zero());
    // Every amount unread for want of a stated unit: a block of points alone would be
    // refused as missing its amounts (PS510); the line stays as printed, in comments.
    let amounts_unread = unitless > 0
        && !entries
            .iter()
            .any(|(k, ..)| ExecRow::from_word(k).is_some_and(|r| r.spec().money));
    if got.as_ref() == Some(&want) && !zero_budget && !amounts_unread {
        return vec![ProjectItem::Execution(block)];
    }
    let reason = if amounts_unread {
        msg!(
            "表上未注明金额单位（元还是万元？），预算执行未读入，保留为注释：请写明单位，如 `全年预算数 20.00 万元`",
            "the form does not say whether amounts are in 元 or 万元: the budget execution is kept as comments; write the amounts with their unit, e.g. `全年预算数 20.00 万元`"
        )
    } else if zero_budget {
        msg!(
            "全年预算数为 0，无法计算执行率，预算执行保留为注释：请写出调整后的全年预算数",
            "the budget of the year is 0, which gives no execution rate; the budget execution is kept as comments: write the budget after adjustments"
        )
    } else {
        msg!(
            "预算执行无法写成 .perf 块，保留为注释",
            "the budget execution cannot be written as a .perf block: kept as comments"
        )
    };
    // Each figure with its column, after the row's label.
    let cells = e
        .cells
        .iter()
        .map(|(c, v)| {
            let col = match c {
                ExecCol::Row(r) => r.spec().canonical,
                ExecCol::Rate => "执行率",
                ExecCol::Other => "备注",
            };
            format!("{col} {}", v.text)
        })
        .collect::<Vec<_>>()
        .join(" | ");
    let text = if e.label.is_empty() {
        cells
    } else {
        format!("{}：{cells}", e.label.trim_end_matches([':', '：']))
    };
    note(notes, NoteKind::Unmapped, &e.origin, &text, reason.clone());
    let mut out = vec![ProjectItem::Comment(unmapped_comment(&Unmapped {
        origin: e.origin.clone(),
        text,
        reason,
    }))];
    // The rows below the total stay, as comments too.
    out.extend(
        e.details
            .iter()
            .map(|u| ProjectItem::Comment(unmapped_comment(u))),
    );
    out
}

/// Whether a unit is money (元, 万元, 元/人 …): a bare number beside it is never given it.
fn is_money_unit(u: &str) -> bool {
    crate::check::units::UnitTable::new()
        .resolve(u)
        .is_ok_and(|unit| unit.dimension.is_money())
}
