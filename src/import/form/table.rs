//! One row of the indicator table: its category words, name and value, by column and by
//! content; the extra columns of other templates.

use super::*;

/// Rows of a 自评表 (or a 申报表's notes) below the indicators that are not indicators:
/// totals and conclusions. A row whose first cell is one of these is kept as a comment.
pub(super) const SUMMARY_WORDS: &[&str] = &[
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
    "其他需要说明事项",
    "其他需要说明的事项",
    "绩效评价结果",
    "预算绩效评价结果",
];

/// Words below the form that are not indicators (signatures, contacts).
pub(super) const FOOTER_WORDS: &[&str] = &[
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
    "附件",
];

// ---------------------------------------------------------------------------------------
// Indicator rows

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Shape {
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
    /// The 总分 or grade row of a 自评表.
    Summary(Vec<Summary>),
}

#[derive(Debug, Clone)]
pub(super) struct IndRow {
    pub(super) origin: Origin,
    pub(super) raw: String,
    pub(super) l1: Option<Level1>,
    pub(super) l2: Option<(Level2, bool)>,
    pub(super) shape: Shape,
    pub(super) remarks: Vec<String>,
    pub(super) year_end: YearEnd,
    pub(super) notes: Vec<(NoteKind, Msg)>,
}

pub(super) fn col_of(cols: &[(HeadCol, u32)], x: u32) -> Option<HeadCol> {
    cols.iter()
        .min_by_key(|(_, cx)| cx.abs_diff(x))
        .map(|(h, _)| *h)
}

/// The leading words of a cell that make a category (`数量指标 窗口申请材料受理`).
pub(super) fn peel_category(text: &str) -> Option<(Cat, String)> {
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
pub(super) fn peel_glued_value(text: &str) -> Option<(String, Value)> {
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

/// A qualitative value word (two characters or more, from the vocabulary) at the end of a
/// cell that holds a name before it of four characters or more.
pub(super) fn peel_glued_word(text: &str) -> Option<(String, Value)> {
    let t = text.trim_matches(is_space);
    let (head, word) = crate::vocab::values::qualitative_suffix(t)?;
    let head = head.trim_end_matches(is_space);
    // A name ending in a sentence or a list is text, not a name glued to its value.
    if head.chars().count() < 4 || head.ends_with(['。', '；', ';', '，', ',', '、']) {
        return None;
    }
    let v = value::parse_value(word)?;
    Some((head.to_string(), v))
}

/// The value at the end of a cell that also holds the name (`名称 ≥8000.00(件)`).
pub(super) fn peel_value(text: &str) -> Option<(String, Value)> {
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

/// A cell that starts a total or conclusion row: `合计`, `合计:`, `总分(100分)`, or the
/// word glued to its number (`合计100`, page text without breaks).
pub(super) fn summary_cell(text: &str) -> bool {
    let n = norm(text);
    SUMMARY_WORDS.iter().any(|w| {
        n.strip_prefix(w).is_some_and(|r| {
            r.is_empty() || r.starts_with([':', '(']) || r.starts_with(|c: char| c.is_ascii_digit())
        })
    })
}

pub(super) fn classify(row: &Row, cols: &[(HeadCol, u32)]) -> IndRow {
    let mut l1 = None;
    let mut l2 = None;
    let mut rest: Vec<(u32, String)> = Vec::new();
    let mut op_cell: Option<String> = None;
    let mut unit_cell: Option<String> = None;
    let mut remarks = Vec::new();
    let mut notes = Vec::new();
    let all: Vec<&Cell> = row.cells.iter().collect();
    let raw = row_text(&all);

    let summary = all.first().is_some_and(|c| summary_cell(&c.text))
        || all
            .iter()
            .skip(1)
            .any(|c| SUMMARY_WORDS.contains(&norm(&c.text).as_str()));
    // `财政部门支出股室初审意见 | (盖章)`: the approval lines under the table.
    let approval = all
        .first()
        .is_some_and(|c| norm(&c.text).ends_with("意见") && cat_word(&c.text).is_none());
    if summary
        || (approval
            || all.iter().any(|c| {
                let n = norm(&c.text);
                // `填报人：张三`, `审核人`: the word alone or before a colon, not a name that
                // happens to start with it (`说明会召开情况`).
                FOOTER_WORDS.iter().any(|w| {
                    n.strip_prefix(w)
                        .is_some_and(|r| r.is_empty() || r.starts_with(':'))
                })
            }))
            && !all
                .iter()
                .any(|c| value::parse_value(&c.text).is_some_and(|v| v.is_quantitative()))
    {
        let has_weight_col = cols.iter().any(|(h, _)| *h == HeadCol::Weight);
        let found = if summary {
            summary_of(&all, has_weight_col)
        } else {
            Vec::new()
        };
        let shape = if found.is_empty() {
            Shape::Footer
        } else {
            Shape::Summary(found)
        };
        return IndRow {
            origin: row.origin.clone(),
            raw,
            l1,
            l2,
            shape,
            remarks,
            year_end: YearEnd::default(),
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
    let typed = shifted
        || cols
            .iter()
            .any(|(h, _)| matches!(h, HeadCol::Kept(_)) || h.is_year_end());
    let mut year_end = YearEnd::default();
    for c in &row.cells {
        if is_debris(&c.text) {
            continue;
        }
        if let Some(cat) = cat_word(&c.text) {
            // Cells before the row's first category word (a summary sheet's 单位名称 | 项目名称
            // | 预算数 | 年度目标 columns) are not the indicator's: kept as comments.
            if l1.is_none() && l2.is_none() && !rest.is_empty() {
                remarks.extend(rest.drain(..).map(|(_, t)| one_line(&t)));
            }
            match cat {
                Cat::L1(x) => l1 = Some(x),
                Cat::L2(x, alias) => {
                    // The same 二级 word again after a name and a value: a form with a
                    // medium-term half and this year's half side by side (`数量指标 | 名称 |
                    // 3 | 数量指标 | 名称 | 3`). This year's half is the indicator; the
                    // other half's value is kept as a comment.
                    if l2.is_some_and(|(p, _)| p == x) && rest.len() >= 2 {
                        let texts: Vec<String> = rest.iter().map(|(_, t)| one_line(t)).collect();
                        remarks.push(format!("中期指标值：{}", texts[1..].join(" ")));
                        rest.clear();
                    }
                    l2 = Some((x, alias));
                }
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
            Some(h) if year_end.set(h, &c.text) => continue,
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
        let (kept, name_and_value, op, unit) =
            assign_by_order(&rest, cols, row.columns, &mut year_end);
        remarks.extend(kept);
        rest = name_and_value;
        op_cell = op.or(op_cell);
        unit_cell = unit.or(unit_cell);
    }

    let value_x = cols
        .iter()
        .find(|(h, _)| *h == HeadCol::Value)
        .map(|(_, x)| *x);
    // `名称 | ≤ | 101400 | 元 | 5` under a header that ends at 指标值: a bare number after a
    // complete value stands in a column the header does not name (a weight, a score). The
    // value is the one before it; the number is kept as a comment, never taken for the
    // target.
    if rest.len() >= 3 {
        let last = &rest[rest.len() - 1];
        let bare = value::parse_value_cell(&last.1).is_some_and(|v| {
            matches!(
                v,
                Value::Number {
                    op: None,
                    unit: None,
                    ..
                }
            )
        });
        let beyond = value_x.map_or(true, |vx| last.0 > vx.saturating_add(500));
        let full = |v: &Value| match v {
            Value::Number { op, unit, .. } => op.is_some() || unit.is_some(),
            Value::Range { .. } | Value::Date { .. } => true,
            Value::Text { .. } => false,
        };
        let before = &rest[..rest.len() - 1];
        let value_before = (1..=3.min(before.len() - 1)).any(|k| {
            let joined: String = before[before.len() - k..]
                .iter()
                .map(|(_, t)| t.as_str())
                .collect();
            value::parse_value(&joined).is_some_and(|v| full(&v))
        });
        if bare && beyond && value_before {
            let shown = one_line(&last.1);
            remarks.push(format!("表头之外的单元格：{shown}"));
            notes.push((
                NoteKind::Adjusted,
                msg!(
                    "指标值之后的数字 “{shown}” 不在任何表头之下（分值？），保留为注释",
                    "the number “{shown}” after the value stands under no heading (a weight?): kept as a comment"
                ),
            ));
            rest.pop();
        }
    }
    // `290%`: no percentage is above 100, and `≥90%` scanned and recognised reads `290%`
    // (the `≥` taken for a `2`). Read as `≥ 90 %`, said on the line and in the report.
    if let Some((_, t)) = rest.last_mut() {
        if let Some(read) = value::ocr_percent(t) {
            let shown = one_line(t);
            remarks.push(format!(
                "表中为“{shown}”：百分比不超过 100，按“{read}”读入（“≥”疑被识别为“2”），请核对"
            ));
            notes.push((
                NoteKind::Adjusted,
                msg!(
                    "“{shown}” 超过 100%，按 “{read}” 读入（“≥” 疑被识别为 “2”）",
                    "“{shown}” is above 100 %; read as “{read}” (a `≥` recognised as `2`)"
                ),
            ));
            *t = read;
        }
    }
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
    year_end.unit = unit_cell
        .as_deref()
        .map(|u| u.trim_matches(is_space).to_string())
        .filter(|u| !u.is_empty() && !is_nothing(u));
    let shape = with_helpers(shape, op_cell, unit_cell, &mut notes);
    let shape = unit_from_name(shape, &mut notes);
    IndRow {
        origin: row.origin.clone(),
        raw,
        l1,
        l2,
        shape,
        remarks,
        year_end,
        notes,
    }
}

/// A number without a unit whose name ends with one in brackets (`实施营造林总面积(亩)
/// 80000`): the unit is taken from the name, and the reading reported.
pub(super) fn unit_from_name(shape: Shape, notes: &mut Vec<(NoteKind, Msg)>) -> Shape {
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

pub(super) fn shape_of(
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
    if let Some(v) = value::parse_value_cell(&texts[last]).filter(Value::is_quantitative) {
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
/// comparator and unit cells; the year-end cells go into `year_end`. Cells left over are
/// kept as comments too. When the row's cells stand in numbered columns (`columns`), an
/// empty cell between two of them leaves its header column empty.
#[allow(clippy::type_complexity)]
pub(super) fn assign_by_order(
    rest: &[(u32, String)],
    cols: &[(HeadCol, u32)],
    columns: bool,
    year_end: &mut YearEnd,
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
        let t = t.strip_suffix('分').unwrap_or(&t);
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    let year_end_table = after_name.iter().any(|h| h.is_year_end());
    let mut kept = Vec::new();
    let mut out = vec![rest[0].clone()];
    let (mut op, mut unit) = (None, None);
    let mut col = 0;
    let mut prev_x = rest[0].0;
    for (x, text) in &rest[1..] {
        let t = text.trim();
        if columns {
            // Empty cells between this one and the one before: their columns stay empty.
            col += (*x / 1000).saturating_sub(prev_x / 1000).saturating_sub(1) as usize;
        }
        prev_x = *x;
        let mut placed = false;
        while col < after_name.len() {
            let h = after_name[col];
            col += 1;
            let fits = match h {
                // A weight may be printed as a share of the total (`20%`).
                HeadCol::Weight => {
                    is_bare_number(t)
                        || is_nothing(t)
                        || t.strip_suffix(['%', '％']).is_some_and(is_bare_number)
                }
                HeadCol::Score => is_bare_number(t) || is_nothing(t),
                // A symbol that is no comparator (`═`) still stands in the comparator
                // column: it is not the target (the target is then read without one).
                HeadCol::Op => {
                    ops::from_spelling(t).is_some()
                        || crate::vocab::values::is_direction_word(t)
                        || (t.chars().count() == 1 && !t.chars().any(char::is_alphanumeric))
                }
                // In a 自评表 the target is the cell before the actual, read or not: a
                // target that cannot be read must not become the actual.
                HeadCol::Value => {
                    value::parse_value_cell(t).is_some() || (year_end_table && !is_bare_number(t))
                }
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
                    let lookalike = t.chars().count() == 1
                        && t.chars().next().and_then(ops::lookalike).is_some();
                    if ops::from_spelling(t).is_some() || lookalike {
                        op = Some(t.to_string());
                    } else if crate::vocab::values::is_direction_word(t)
                        && !matches!(t, "定性" | "定量")
                    {
                        // 正向 / 反向: which way the indicator points, kept as a comment.
                        kept.push(t.to_string());
                    }
                }
                HeadCol::Unit => unit = Some(t.to_string()),
                h if year_end.set(h, t) => {}
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
pub(super) fn with_helpers(
    shape: Shape,
    op_cell: Option<String>,
    unit_cell: Option<String>,
    notes: &mut Vec<(NoteKind, Msg)>,
) -> Shape {
    if op_cell.is_none() && unit_cell.is_none() {
        return shape;
    }
    // A look-alike in the comparator column (`═`): read as the comparator it looks like.
    if let Some(o) = op_cell.as_deref() {
        if let (Some(op), "", true) = value::split_op(o) {
            let (sym, shown) = (op.symbol(), o.trim().to_string());
            notes.push((
                NoteKind::Adjusted,
                msg!(
                    "比较符列的 “{shown}” 按 “{sym}” 读",
                    "the comparator column's “{shown}” was read as “{sym}”"
                ),
            ));
        }
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
pub(super) fn mend_broken_values(rows: &mut [Row]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_peeled_off_a_name() {
        let (n, v) = peel_value("窗口申请材料受理 ≥8000.00(件)").unwrap();
        assert_eq!(n, "窗口申请材料受理");
        assert!(v.is_quantitative());
        assert_eq!(peel_value("对除六个公园以外的 16 家直属单位"), None);
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
        let word = |t: &str| peel_glued_word(t).map(|(n, _)| n);
        assert_eq!(
            word("义务教育优质均衡发展情况稳步提高").as_deref(),
            Some("义务教育优质均衡发展情况")
        );
        assert_eq!(word("群众满意度"), None);
        assert_eq!(word("按时完成"), None);
    }
}
