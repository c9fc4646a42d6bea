//! The rows above the goals: labels and their values, amounts and their money unit, text
//! broken onto the next line.

use super::*;

/// A row above the goal block: label cells and the values after them.
pub(super) fn header_row(f: &mut Form, row: &Row, cells: &[&Cell]) {
    let awaiting = f.awaiting.take();
    // The budget execution table of a 自评表: its header, then its rows.
    if let Some(cols) = exec_header(cells) {
        for c in cells {
            if let Some(u) = value::money_unit_in(&c.text) {
                f.money_unit = Some(u);
            }
        }
        f.exec_cols = cols;
        f.self_evaluation = true;
        return;
    }
    if !f.exec_cols.is_empty() && is_exec_row(cells) {
        exec_row(f, cells, row.columns);
        return;
    }
    if exec_unlabelled(f, cells, row.columns) {
        return;
    }
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
                columns: row.columns,
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
            // `预算数 20.00 其中:财政资金 20.00 其他资金`: a 财政资金 in the row of this year's
            // total, with no whole-life total anywhere, is the part of that total (当年财政
            // 拨款), not the whole-life column.
            Label::Fund(Fund::ProjectFiscal)
                if f.left_x.is_none()
                    && labels[..k]
                        .iter()
                        .any(|(_, l, _)| *l == Label::Fund(Fund::AnnualTotal))
                    && !labels
                        .iter()
                        .any(|(_, l, _)| *l == Label::Fund(Fund::ProjectTotal)) =>
            {
                Label::Fund(Fund::Appropriation)
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
            // `年度金额(万元): | 397`: a unit in the label is its amounts' unit.
            let text = cells[*i].text.trim_end_matches(is_space);
            let label_text = text.strip_suffix(rest.as_str()).unwrap_or(text);
            f.label_unit = match label {
                Label::Fund(_) => value::money_unit_in(label_text),
                _ => None,
            };
            apply_label(f, label, x, &cells[*i].origin, &values);
            f.label_unit = None;
        }
        let takes_value = !matches!(
            label,
            Label::FundingBlock
                | Label::PerfGoal
                | Label::PerfInd
                | Label::GoalTotal
                | Label::GoalAnnual
                | Label::Outcome
        );
        f.awaiting = (takes_value && values.is_empty() && k + 1 == labels.len())
            .then(|| (label, x, cells[*i].origin.clone()));
    }
    f.last_labels = this_row;
}

/// The field a text label fills.
pub(super) fn text_slot(f: &mut Form, label: Label) -> Option<&mut Option<Val>> {
    Some(match label {
        Label::Name => &mut f.name,
        Label::Nature => &mut f.nature,
        Label::Kind => &mut f.kind,
        Label::Department => &mut f.department,
        Label::Unit => &mut f.unit,
        _ => return None,
    })
}

pub(super) fn label_word(label: Label) -> &'static str {
    match label {
        Label::Name => "项目名称",
        Label::Nature => "项目性质",
        Label::Kind => "项目类别",
        Label::Department => "主管部门",
        Label::Unit => "实施单位",
        _ => "",
    }
}

pub(super) fn set_text(f: &mut Form, label: Label, origin: &Origin, values: &[&Cell]) {
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

pub(super) fn apply_label(f: &mut Form, label: Label, x: u32, origin: &Origin, values: &[&Cell]) {
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
        // `资金情况(万元) | 资金来源 | 资金总额`: the cells after the block's heading are
        // its own (column headings), never the rest of a value on a line above.
        Label::FundingBlock => {
            let above = std::mem::take(&mut f.last_labels);
            orphan_row(f, values);
            f.last_labels = above;
        }
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
                let Some(unit) = wan.or(f.label_unit).or(f.money_unit) else {
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
        Label::Outcome => {
            f.outcome_x = Some(x);
            f.state = State::Goals;
            for c in values {
                f.outcome_parts.push(Val {
                    text: c.text.clone(),
                    origin: c.origin.clone(),
                });
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
pub(super) fn orphan_row(f: &mut Form, cells: &[&Cell]) {
    // `中央主管部门 | 财政部、农业农村部` below `资金名称 | …`: a row that starts in the
    // labels' column is a label the form has and the spec does not, with its value; its
    // cells are not the rest of the value above.
    let label_x = f.last_labels.iter().map(|(_, x)| *x).min();
    let own_label = cells.len() >= 2
        && label_x.is_some_and(|lx| cells[0].x <= lx)
        && value::parse_amount(&cells[0].text).ok().flatten().is_none();
    let left: Vec<&Cell> = if own_label {
        cells.to_vec()
    } else {
        cells.iter().copied().filter(|c| !absorb(f, c)).collect()
    };
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
pub(super) fn absorb(f: &mut Form, c: &Cell) -> bool {
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
