//! The indicator table as a whole: merged 一级/二级 cells filled down, rows broken across
//! lines put back together.

use super::*;

pub(super) fn default_level2(l1: Level1) -> Option<Level2> {
    match l1 {
        Level1::Satisfaction => Some(Level2::Satisfaction),
        Level1::Cost => Some(Level2::EconomicCost),
        _ => None,
    }
}

/// Classify the table's rows, fill the merged 一级/二级 cells down and put broken rows
/// back together.
pub(super) fn build_indicators(f: &mut Form) {
    let mut rows = std::mem::take(&mut f.ind_rows);
    // Every cell on a line of its own, the header too: the cells as one stream, matched to
    // the header's columns in their order.
    let single = rows.iter().filter(|r| r.cells.len() == 1).count();
    // Only for tables with columns after the value (备注, 绩效标准, the year-end columns):
    // with a name and a value alone, the line rules below also put broken names back.
    let extra_cols = f
        .cols
        .iter()
        .any(|(h, _)| matches!(h, HeadCol::Kept(_) | HeadCol::Remark) || h.is_year_end());
    let cell_lines =
        extra_cols && f.head_lines.0 >= 3 && f.head_lines.1 == 0 && single * 10 >= rows.len() * 9;
    if cell_lines {
        for (k, (_, x)) in f.cols.iter_mut().enumerate() {
            *x = u32::try_from(k)
                .unwrap_or(u32::MAX / 1000)
                .saturating_mul(1000);
        }
        rows = decode_cell_lines(&rows, &f.cols);
    }
    if f.layout == Layout::Glued {
        rows = decode_glued_rows(rows, &f.cols);
        split_descriptions(&mut rows, &f.cols);
        rows = fold_value_rows(rows, &f.cols);
    }
    unshift_label_cells(&mut rows, &f.cols);
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
                year_end: r.year_end.clone(),
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
            // A category word right under the same category, with a lone value after it
            // (`服务对象满意度指标` / `服务对象满意度` / `100%`): the indicator's name.
            Shape::CatsOnly
                if r.l2.is_some()
                    && r.l2.map(|(c, _)| c) == before
                    && r.l1.is_none()
                    && prefix.is_none()
                    && !r.raw.contains(" | ")
                    && next_row.get(i).copied().flatten().is_some_and(|j| {
                        j == i + 1 && matches!(rows[j].shape, Shape::ValueOnly(_))
                    }) =>
            {
                prefix = Some((r.raw.trim().to_string(), r.origin.clone()));
            }
            Shape::CatsOnly => {}
            Shape::Summary(found) => {
                let v = |t: &String| Val {
                    text: t.clone(),
                    origin: r.origin.clone(),
                };
                let mut twice = false;
                for s in found {
                    let slot = match s {
                        Summary::Total(t) => (&mut f.total, v(t)),
                        Summary::Grade(g) => (&mut f.grade, v(g)),
                    };
                    if slot.0.is_none() {
                        *slot.0 = Some(slot.1);
                    } else {
                        twice = true;
                    }
                }
                if twice {
                    let reason = msg!(
                        "总分或等级出现第二次（已采用第一个）",
                        "the total or grade appears twice (the first was used)"
                    );
                    f.note(NoteKind::Unmapped, &r.origin, &r.raw, reason.clone());
                    items.push(Item::Unmapped(Unmapped {
                        origin: r.origin.clone(),
                        text: r.raw.clone(),
                        reason,
                    }));
                }
            }
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
                // A qualitative value glued to the end of its name in page text without
                // breaks (`义务教育优质均衡发展情况稳步提高`), when no value follows. The name
                // might end with those words itself: the split is reported.
                let glued = if !next_value_only && prefix.is_none() {
                    peel_glued_word(frag)
                } else {
                    None
                };
                if let Some((name, v)) = glued {
                    let shown = short(frag);
                    f.note(
                        NoteKind::Adjusted,
                        &r.origin,
                        &r.raw,
                        msg!(
                            "名称与定性指标值连在一起：“{shown}” 按 “{name}” 与指标值分开（也可能整段都是名称，请核对）",
                            "name and qualitative value run together: “{shown}” was split after “{name}” (the whole text may be the name: check)"
                        ),
                    );
                    push_ind(&mut items, f, name, v);
                    continue;
                }
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

/// Rows of a glued table whose header has an explanation column between the name and the
/// value (`三级指标 | 绩效标准 | 指标值`) that the cut left empty: the explanation is still
/// glued to the name (`…维修维护次数反映办公大楼全年维修维护情况`), and is moved to its column
/// at its first word (`DESCRIPTION_LEADS`), which the name never starts with.
fn split_descriptions(rows: &mut [Row], cols: &[(HeadCol, u32)]) {
    let x_of = |h: HeadCol| cols.iter().find(|(c, _)| *c == h).map(|(_, x)| *x);
    let (Some(name_x), Some(value_x)) = (x_of(HeadCol::L3), x_of(HeadCol::Value)) else {
        return;
    };
    let Some(desc_x) = cols
        .iter()
        .find(|(h, x)| matches!(h, HeadCol::Kept(_)) && *x > name_x && *x < value_x)
        .map(|(_, x)| *x)
    else {
        return;
    };
    for row in rows.iter_mut().filter(|r| r.columns) {
        if row.cells.iter().any(|c| c.x == desc_x) {
            continue;
        }
        let Some(k) = row.cells.iter().position(|c| c.x == name_x) else {
            continue;
        };
        let text = row.cells[k].text.clone();
        let at = crate::vocab::values::DESCRIPTION_LEADS
            .iter()
            .filter_map(|w| text.find(w))
            .filter(|&i| text[..i].chars().count() >= 2)
            .min();
        let Some(at) = at else { continue };
        let mut desc = row.cells[k].clone();
        desc.x = desc_x;
        desc.text = text[at..].to_string();
        row.cells[k].text = text[..at].to_string();
        row.cells.insert(k + 1, desc);
        row.cells.sort_by_key(|c| c.x);
    }
}

/// Rows of a glued table cut where a name should be but holding only values (`>=95%` |
/// `≥ 95 %`: the same target repeated for each region of a 区域目标值 table): no indicator
/// is named by a value. Their cells go to the row before, after its last column, where they
/// are kept as a comment.
fn fold_value_rows(rows: Vec<Row>, cols: &[(HeadCol, u32)]) -> Vec<Row> {
    let Some(name_x) = cols
        .iter()
        .find(|(c, _)| *c == HeadCol::L3)
        .map(|(_, x)| *x)
    else {
        return rows;
    };
    let last_x = cols.iter().map(|(_, x)| *x).max().unwrap_or(0);
    let mut out: Vec<Row> = Vec::with_capacity(rows.len());
    for row in rows {
        let only_values = row.columns
            && row.cells.iter().all(|c| c.x >= name_x)
            && row.cells.iter().any(|c| c.x == name_x)
            && row
                .cells
                .iter()
                .all(|c| value::parse_value_cell(&c.text).is_some_and(|v| v.is_quantitative()));
        match out.last_mut() {
            Some(prev) if only_values && prev.columns => {
                let mut x = prev
                    .cells
                    .iter()
                    .map(|c| c.x)
                    .max()
                    .unwrap_or(0)
                    .max(last_x);
                for mut c in row.cells {
                    x = x.saturating_add(1000);
                    c.x = x;
                    prev.cells.push(c);
                }
            }
            _ => out.push(row),
        }
    }
    out
}

/// `绩效指标 | 产出指标 | 数量指标 | 名称 | % | ≥95%` under a header `一级指标 | 二级指标 |
/// 三级指标 | 单位 | 指标值`: the table's label (a rowspan cell left of the header's first
/// column) makes the row one cell longer than the header and shifts every cell right. The
/// label goes (it is debris) and the cells move back under their headings.
fn unshift_label_cells(rows: &mut [Row], cols: &[(HeadCol, u32)]) {
    let Some(last_col) = cols.iter().map(|(_, x)| *x).max() else {
        return;
    };
    for row in rows.iter_mut().filter(|r| r.columns && r.cells.len() >= 3) {
        let last_cell = row.cells.iter().map(|c| c.x).max().unwrap_or(0);
        let shifted = last_cell > last_col
            && is_debris(&row.cells[0].text)
            && cat_word(&row.cells[1].text).is_some();
        if !shifted {
            continue;
        }
        let dx = row.cells[1].x.saturating_sub(row.cells[0].x);
        row.cells.remove(0);
        for c in &mut row.cells {
            c.x = c.x.saturating_sub(dx);
        }
    }
}
