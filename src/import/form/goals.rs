//! The goal texts under 项目总目标 / 年度总体目标: cells by position, HTML removed, lines
//! a PDF wrapped joined again.

use super::*;

/// A row of goal text: each cell belongs to the goal whose label it sits under.
pub(super) fn goal_row(f: &mut Form, cells: &[&Cell]) {
    // Labels again (a form that puts the goal labels on two lines).
    let labels: Vec<(usize, Label)> = cells
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match exact_label(&norm(&c.text)) {
            Some(l @ (Label::GoalTotal | Label::GoalAnnual | Label::PerfGoal | Label::Outcome)) => {
                Some((i, l))
            }
            _ => None,
        })
        .collect();
    let min_x = [f.goal_x.0, f.goal_x.1, f.outcome_x]
        .into_iter()
        .flatten()
        .min();
    // A 自评表 puts the goal and what was achieved side by side; a row that lost its
    // merged label cell shifts left, so when the row has one text for each column, the
    // texts are taken in the columns' order.
    let texts: Vec<usize> = (0..cells.len())
        .filter(|i| !labels.iter().any(|(j, _)| j == i))
        .filter(|&i| !(min_x.is_some_and(|m| cells[i].x < m) && is_debris(&cells[i].text)))
        .collect();
    let mut slots: Vec<(u32, u8)> = [(f.goal_x.0, 0u8), (f.goal_x.1, 1), (f.outcome_x, 2)]
        .into_iter()
        .filter_map(|(x, s)| x.map(|x| (x, s)))
        .collect();
    slots.sort_unstable();
    let by_order = f.outcome_x.is_some() && texts.len() == slots.len() && labels.is_empty();
    for (i, c) in cells.iter().enumerate() {
        if by_order {
            let Some(k) = texts.iter().position(|&t| t == i) else {
                continue;
            };
            let v = Val {
                text: c.text.clone(),
                origin: c.origin.clone(),
            };
            match slots[k].1 {
                0 => f.goal_parts.push((true, v)),
                1 => f.goal_parts.push((false, v)),
                _ => f.outcome_parts.push(v),
            }
            continue;
        }
        match labels.iter().find(|(j, _)| *j == i).map(|(_, l)| *l) {
            Some(Label::GoalTotal) => {
                f.goal_x.0 = Some(c.x);
                continue;
            }
            Some(Label::GoalAnnual) => {
                f.goal_x.1 = Some(c.x);
                continue;
            }
            Some(Label::Outcome) => {
                f.outcome_x = Some(c.x);
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        // Pieces of the 项目绩效目标 rowspan label, left of the goal columns.
        if min_x.is_some_and(|m| c.x < m) && is_debris(&c.text) {
            continue;
        }
        let nearest = slots
            .iter()
            .min_by_key(|(x, _)| x.abs_diff(c.x))
            .map(|s| s.1);
        if nearest == Some(2) {
            f.outcome_parts.push(Val {
                text: c.text.clone(),
                origin: c.origin.clone(),
            });
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
pub(super) fn strip_html(s: &str) -> (String, Vec<String>) {
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
pub(super) fn tidy_text(s: &str) -> String {
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

pub(super) fn ends_sentence(s: &str) -> bool {
    s.trim_end_matches(is_space)
        .chars()
        .next_back()
        .is_some_and(|c| "。！？!?；;：:…”」』".contains(c))
}

pub(super) fn build_goals(f: &mut Form, flavor: Flavor) {
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
    let outcome = std::mem::take(&mut f.outcome_parts);
    for (parts, slot) in [(total, 0u8), (annual, 1), (outcome, 2)] {
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
        match slot {
            0 => f.goal_total = v,
            1 => f.goal_annual = v,
            _ => f.outcome = v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_goals() {
        let (t, removed) = strip_html("<p>第一段。</p><p>第二段&nbsp;a &lt; b</p>");
        assert_eq!(tidy_text(&t), "第一段。\n\n第二段 a < b");
        assert!(removed.contains(&"<p>".to_string()));
        // A lone `<` is text.
        assert_eq!(strip_html("投诉率 < 5%").0, "投诉率 < 5%");
    }
}
