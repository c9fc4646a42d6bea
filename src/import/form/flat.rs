//! Tables copied as page text with single spaces between the cells (`产出指标 数量指标 出差人数
//! 正向 = 8 4`), sometimes the whole form on one line: the header is found among the words
//! of a line, and each following line is read as a stream of words matched to the header's
//! columns by order and content, a new row starting at a category word or once the row's
//! columns are filled.

use super::*;

/// A line whose words hold the indicator table's header (`… 一级指标 二级指标 三级指标 指标性质
/// …`) inside one cell: the line split into what comes before the header, the header (one
/// cell per word, in numbered columns) and what follows it. `None` for any other line.
pub(super) fn split_flat_header(row: &Row) -> Option<(Option<Row>, Row, Option<Row>)> {
    if row.columns {
        return None;
    }
    for (ci, cell) in row.cells.iter().enumerate() {
        let words: Vec<(usize, &str)> = word_spans(&cell.text);
        if words.len() < 3 {
            continue;
        }
        let main = |t: &str| {
            matches!(
                head_col(t),
                Some(HeadCol::L1 | HeadCol::L2 | HeadCol::L3 | HeadCol::Value)
            )
        };
        let Some(start) = words.iter().position(|(_, w)| main(w)) else {
            continue;
        };
        let mut end = start;
        while end < words.len() && head_col(words[end].1).is_some() {
            end += 1;
        }
        let distinct = [HeadCol::L1, HeadCol::L2, HeadCol::L3, HeadCol::Value]
            .iter()
            .filter(|h| {
                words[start..end]
                    .iter()
                    .any(|(_, w)| head_col(w) == Some(**h))
            })
            .count();
        if distinct < 3 {
            continue;
        }
        let piece = |text: &str, x: u32| Cell {
            x,
            text: text.to_string(),
            origin: cell.origin.clone(),
            hidden: Vec::new(),
        };
        let head_text = &cell.text[..words[start].0];
        let mut before_cells: Vec<Cell> = row.cells[..ci].to_vec();
        if !head_text.trim_matches(is_space).is_empty() {
            before_cells.push(piece(head_text.trim_matches(is_space), cell.x));
        }
        let header = Row {
            cells: words[start..end]
                .iter()
                .enumerate()
                .map(|(k, (_, w))| piece(w, u32::try_from(k).unwrap_or(0).saturating_mul(1000)))
                .collect(),
            origin: row.origin.clone(),
            columns: true,
        };
        let tail = words.get(end).map_or("", |(i, _)| &cell.text[*i..]);
        let mut after_cells: Vec<Cell> = Vec::new();
        if !tail.trim_matches(is_space).is_empty() {
            after_cells.push(piece(tail.trim_matches(is_space), cell.x));
        }
        after_cells.extend(row.cells[ci + 1..].iter().cloned());
        let wrap = |cells: Vec<Cell>| {
            (!cells.is_empty()).then(|| Row {
                cells,
                origin: row.origin.clone(),
                columns: false,
            })
        };
        return Some((wrap(before_cells), header, wrap(after_cells)));
    }
    None
}

/// The words of a text and where each starts.
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_space(c) {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Whether a word can stand in column `h` of a flat row. `required_done`: the row's value,
/// actual, weight and score columns are filled, so free-text columns may take words.
fn fits(h: HeadCol, t: &str, required_done: bool) -> bool {
    let bare_number = {
        let t = t.strip_suffix('分').unwrap_or(t);
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    match h {
        HeadCol::Weight | HeadCol::Score => bare_number || is_nothing(t),
        HeadCol::Op => {
            ops::from_spelling(t).is_some()
                || crate::vocab::values::is_direction_word(t)
                || (t.chars().count() == 1 && !t.chars().any(char::is_alphanumeric))
        }
        HeadCol::Value => value::parse_value_cell(t).is_some(),
        HeadCol::Actual => true,
        HeadCol::Unit => {
            !t.starts_with(|c: char| c.is_ascii_digit())
                && cat_word(t).is_none()
                && (crate::check::units::UnitTable::new()
                    .resolve(&crate::check::units::normalize_spelling(t))
                    .is_ok()
                    || t.chars().count() <= 3)
        }
        HeadCol::Remark | HeadCol::Kept(_) | HeadCol::Deviation => required_done,
        HeadCol::L1 | HeadCol::L2 | HeadCol::L3 => false,
    }
}

/// One line of a flat table → its rows, each cell in its header column (`x` of the
/// column). Words no column takes are kept after the row's last column (a comment).
pub(super) fn decode_flat(row: &Row, cols: &[(HeadCol, u32)]) -> Vec<Row> {
    if !cols
        .iter()
        .any(|(h, _)| matches!(h, HeadCol::L2 | HeadCol::L3))
    {
        return vec![row.clone()];
    }
    let words: Vec<(String, Origin)> = row
        .cells
        .iter()
        .flat_map(|c| {
            word_spans(&c.text)
                .into_iter()
                .map(|(_, w)| (w.to_string(), c.origin.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    decode_words(&words, cols, &row.origin)
}

/// The table's rows when every cell stands on a line of its own (the header too, one word
/// per line): the cells as one stream, matched to the header's columns like a flat line.
pub(super) fn decode_cell_lines(rows: &[Row], cols: &[(HeadCol, u32)]) -> Vec<Row> {
    if !cols
        .iter()
        .any(|(h, _)| matches!(h, HeadCol::L2 | HeadCol::L3))
    {
        return rows.to_vec();
    }
    let words: Vec<(String, Origin)> = rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|c| (c.text.clone(), c.origin.clone())))
        .collect();
    let origin = rows.first().map(|r| r.origin.clone()).unwrap_or_default();
    decode_words(&words, cols, &origin)
}

/// Whether a word is a value no name looks like: a number, range or date, or one of the
/// vocabulary's qualitative words.
fn strong_value(t: &str) -> bool {
    value::parse_value_cell(t).is_some_and(|v| v.is_quantitative())
        || crate::vocab::values::is_qualitative(t)
}

/// Whether the words from `i` on read as a row of their own: a name, then words filling the
/// row's value, actual and score columns, with a value no name looks like or a score.
fn row_at(words: &[(String, Origin)], i: usize, after: &[(HeadCol, u32)]) -> bool {
    let mut k = i + 1;
    let mut col = 0;
    let mut filled: Vec<HeadCol> = Vec::new();
    let mut strong = false;
    while let Some((w, _)) = words.get(k) {
        if cat_word(w).is_some() || ends_stream(w) {
            break;
        }
        if w == EMPTY_CELL {
            col += 1;
            k += 1;
            continue;
        }
        let Some(at) = (col..after.len()).find(|&c| {
            let h = after[c].0;
            !matches!(h, HeadCol::Remark | HeadCol::Kept(_) | HeadCol::Deviation)
                && fits(h, w, false)
        }) else {
            break;
        };
        let h = after[at].0;
        strong |= match h {
            HeadCol::Value => strong_value(w),
            HeadCol::Weight | HeadCol::Score => true,
            _ => false,
        };
        filled.push(h);
        col = at + 1;
        k += 1;
    }
    let required_done = after
        .iter()
        .filter(|(h, _)| {
            matches!(
                h,
                HeadCol::Value | HeadCol::Actual | HeadCol::Weight | HeadCol::Score
            )
        })
        .all(|(h, _)| filled.contains(h));
    required_done && strong
}

/// A stream of words (or cells) → rows, each cell in its header column.
fn decode_words(words: &[(String, Origin)], cols: &[(HeadCol, u32)], origin: &Origin) -> Vec<Row> {
    let mut order: Vec<(HeadCol, u32)> = cols.to_vec();
    order.sort_by_key(|(_, x)| *x);
    let x_of = |h: HeadCol| order.iter().find(|(c, _)| *c == h).map(|(_, x)| *x);
    let Some(name_x) = x_of(HeadCol::L3).or_else(|| x_of(HeadCol::L2)) else {
        return Vec::new();
    };
    let after: Vec<(HeadCol, u32)> = order.iter().copied().filter(|(_, x)| *x > name_x).collect();
    let required: Vec<usize> = after
        .iter()
        .enumerate()
        .filter(|(_, (h, _))| {
            matches!(
                h,
                HeadCol::Value | HeadCol::Actual | HeadCol::Weight | HeadCol::Score
            )
        })
        .map(|(i, _)| i)
        .collect();
    let last_x = order.last().map_or(0, |(_, x)| *x);
    let cell = |text: &str, x: u32, o: &Origin| Cell {
        x,
        text: text.to_string(),
        origin: o.clone(),
        hidden: Vec::new(),
    };
    let mut out: Vec<Row> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut cells: Vec<Cell> = Vec::new();
        // Category words.
        let row_origin = words.get(i).map_or(origin.clone(), |(_, o)| o.clone());
        while let Some((w, o)) = words.get(i) {
            match cat_word(w) {
                Some(Cat::L1(_)) => cells.push(cell(w, x_of(HeadCol::L1).unwrap_or(0), o)),
                Some(Cat::L2(..)) => cells.push(cell(w, x_of(HeadCol::L2).unwrap_or(0), o)),
                None if is_debris(w) => {}
                None => break,
            }
            i += 1;
        }
        // 合计, 评价结论, 填报人 …: the rest of the table is not indicators; each such word
        // and the cells after it up to the next one make a row of their own (comments).
        if words.get(i).is_some_and(|(w, _)| ends_stream(w)) {
            let mut k = i;
            while k < words.len() {
                let mut cells = vec![cell(&words[k].0, name_x, &words[k].1)];
                let row_o = words[k].1.clone();
                k += 1;
                while k < words.len() && !ends_stream(&words[k].0) {
                    if words[k].0 != EMPTY_CELL {
                        let x = name_x.saturating_add(
                            u32::try_from(cells.len()).unwrap_or(0).saturating_mul(1000),
                        );
                        cells.push(cell(&words[k].0, x, &words[k].1));
                    }
                    k += 1;
                }
                out.push(Row {
                    cells,
                    origin: row_o,
                    columns: true,
                });
            }
            break;
        }
        let Some((name, name_origin)) = words.get(i) else {
            if !cells.is_empty() {
                out.push(Row {
                    cells,
                    origin: row_origin,
                    columns: true,
                });
            }
            break;
        };
        // A name with a bracket open goes on to the word that closes it
        // (`开发数量( ≥**个 )`).
        let mut name = name.clone();
        i += 1;
        let depth = |s: &str| {
            s.chars().fold(0i32, |d, c| match c {
                '(' | '（' => d + 1,
                ')' | '）' => d - 1,
                _ => d,
            })
        };
        while depth(&name) > 0 {
            let Some((w, _)) = words.get(i) else { break };
            if cat_word(w).is_some() {
                break;
            }
            name = format!("{name} {w}");
            i += 1;
        }
        let mut filled = vec![false; after.len()];
        let mut col = 0;
        // A value glued to the end of the name (`足额保障率=100% 22.5`): the name is cut
        // before it and it fills the value column, unless the next word is a value of its
        // own (then the name only ends like one). What follows takes the later columns.
        let value_k = after.iter().position(|(h, _)| *h == HeadCol::Value);
        let next_is_value = words.get(i).is_some_and(|(w, _)| {
            value::parse_value_cell(w).is_some_and(|v| match v {
                Value::Number { op, unit, .. } => op.is_some() || unit.is_some(),
                Value::Range { .. } | Value::Date { .. } => true,
                Value::Text { .. } => false,
            })
        });
        let trimmed = name.trim_matches(is_space).to_string();
        let glued = match (value_k, next_is_value) {
            (Some(k), false) => peel_glued_value(&trimmed)
                .filter(|(head, _)| !head.trim_matches(is_space).is_empty())
                .and_then(|(head, _)| {
                    let tail = trimmed.get(head.len()..)?.trim_matches(is_space);
                    Some((k, head, tail.to_string()))
                }),
            _ => None,
        };
        match glued {
            Some((k, head, tail)) => {
                cells.push(cell(head.trim_matches(is_space), name_x, name_origin));
                cells.push(cell(&tail, after[k].1, name_origin));
                filled[k] = true;
                col = k + 1;
            }
            None => cells.push(cell(&name, name_x, name_origin)),
        }
        let mut extra_x = last_x;
        while let Some((w, o)) = words.get(i) {
            if cat_word(w).is_some() || ends_stream(w) {
                break;
            }
            // An empty cell: its column stays empty.
            if w == EMPTY_CELL {
                col += 1;
                i += 1;
                if col >= after.len() {
                    break;
                }
                continue;
            }
            let required_done = required.iter().all(|&k| filled[k]);
            // A free-text column takes a word unless the words from it on read as the
            // next row (a name, then its value and scores).
            let next_is_break = !row_at(words, i, &after);
            let at = (col..after.len()).find(|&k| {
                let h = after[k].0;
                let free = matches!(h, HeadCol::Remark | HeadCol::Kept(_) | HeadCol::Deviation);
                fits(h, w, required_done) && (!free || next_is_break)
            });
            match at {
                Some(k) => {
                    cells.push(cell(w, after[k].1, o));
                    filled[k] = true;
                    col = k + 1;
                    i += 1;
                }
                None if required_done => break,
                None => {
                    // A word no column takes while the row still lacks its value or
                    // scores: kept with the row, after its last column.
                    extra_x = extra_x.saturating_add(1000);
                    cells.push(cell(w, extra_x, o));
                    i += 1;
                }
            }
            if col >= after.len() {
                break;
            }
        }
        cells.sort_by_key(|c| c.x);
        out.push(Row {
            cells,
            origin: row_origin,
            columns: true,
        });
    }
    out
}

/// A cell that ends the indicator rows of a stream: a total or conclusion (合计, 评价结论 …)
/// or a signature line (填报人：…).
fn ends_stream(w: &str) -> bool {
    let n = norm(w);
    summary_cell(w)
        || FOOTER_WORDS.iter().any(|s| {
            n.strip_prefix(s)
                .is_some_and(|r| r.is_empty() || r.starts_with(':'))
        })
}
