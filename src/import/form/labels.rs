//! The form's labels (项目名称, 主管部门, 年度资金申请总额 …) and how a cell or a line of page
//! text is split at them.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Label {
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
    /// 年度总体目标完成情况 / 实际完成情况: what the year achieved (自评表).
    Outcome,
    PerfInd,
    /// A field of another template that a spec has no statement for (负责人及电话,
    /// 项目属性): kept, with its value, as a comment.
    Extra,
}

/// Labels as they appear on forms, compared after [`norm`].
pub(super) const LABELS: &[(&str, Label)] = &[
    ("项目名称", Label::Name),
    // Transfer-payment forms (区域绩效目标表) name the fund, not a project.
    ("资金名称", Label::Name),
    ("专项资金名称", Label::Name),
    ("专项(项目)名称", Label::Name),
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
    ("部门(单位)名称", Label::Department),
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
    ("填报日期", Label::Extra),
    // A transfer-payment form's departments of each level (中央 / 省级 / 市级 / 区县): which
    // one is the spec's 主管部门 the form does not say; kept with their values.
    ("中央主管部门", Label::Extra),
    ("省级主管部门", Label::Extra),
    ("市级主管部门", Label::Extra),
    ("区级主管部门", Label::Extra),
    ("区县主管部门", Label::Extra),
    ("省级财政部门", Label::Extra),
    ("市级财政部门", Label::Extra),
    ("区级财政部门", Label::Extra),
    ("区县财政部门", Label::Extra),
    ("项目概况及立项依据", Label::Extra),
    ("立项依据", Label::Extra),
    ("预算部门", Label::Department),
    ("主管部门名称", Label::Department),
    ("县级主管部门", Label::Department),
    ("项目执行单位", Label::Unit),
    ("执行单位", Label::Unit),
    ("实施单位名称", Label::Unit),
    ("专项资金名称", Label::Name),
    ("项目支出名称", Label::Name),
    // 东莞 批复表: this year's request of city funds, and the three-year rolling budget
    // (no whole-life column of a spec: kept as a comment).
    ("本年度申请市财政预算资金", Label::Fund(Fund::Appropriation)),
    ("中期市财政预算", Label::Extra),
    ("专项名称", Label::Name),
    ("项目支出实施期", Label::Period),
    ("项目实施期", Label::Period),
    ("资金情况", Label::FundingBlock),
    ("资金投入情况", Label::FundingBlock),
    ("预算规模及资金用途", Label::FundingBlock),
    ("年度资金情况", Label::FundingBlock),
    ("年度预算数", Label::Fund(Fund::AnnualTotal)),
    // 山西 市级 forms: `项目预算资金(万元) | 中期预算资金总额 | 年度预算资金总额`.
    ("项目预算资金", Label::FundingBlock),
    ("中期预算资金总额", Label::Fund(Fund::ProjectTotal)),
    ("年度预算资金总额", Label::Fund(Fund::AnnualTotal)),
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
    // The 自评表's goal columns: the goal set in January and what the year achieved.
    ("预期目标", Label::GoalAnnual),
    ("实际完成情况", Label::Outcome),
    ("全年实际完成情况", Label::Outcome),
    ("年度总体目标完成情况", Label::Outcome),
    ("年度总体目标完成情况综述", Label::Outcome),
    ("总体目标完成情况", Label::Outcome),
    ("年度目标完成情况", Label::Outcome),
    ("目标完成情况", Label::Outcome),
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

pub(super) fn exact_label(n: &str) -> Option<Label> {
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

pub(super) fn exact_label_plain(n: &str) -> Option<Label> {
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
pub(super) fn label_of(text: &str) -> Option<(Label, String)> {
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
/// A word of page text longer than this holds more than one label's value: text run
/// together, split at its labels like text without any space.
const GLUED_WORD_CHARS: usize = 40;

pub(super) fn split_at_labels(cell: &Cell) -> Vec<Cell> {
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
    // One word, or page text run together that starts with a label glued to its value
    // (`项目名称演出设备更新专项经费主管部门… 项目资金 (万元)…`, spaces only here and there).
    // A first word longer than any label and its value (`单位名称:襄阳市中心医院填报日期:…
    // 项目名称东津院区…`) is such text too, though it starts with a label and a colon.
    let first = words.first().map_or("", |w| w.1);
    let glued_start = (!is_label_word(first) || first.chars().count() > GLUED_WORD_CHARS)
        && glued_word_at(t.trim_start_matches(is_space)).is_some();
    if words.len() == 1 || glued_start {
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
pub(super) const MAX_LABELS_IN_CELL: usize = 16;

/// Words that start a piece of page text copied without any cell breaks: labels and the
/// indicator table's column headers, at least four characters long (shorter ones occur
/// inside names too often).
pub(super) fn glued_word_at(t: &str) -> Option<usize> {
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
pub(super) fn split_glued(cell: &Cell) -> Vec<Cell> {
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
    fn cells_split_at_their_labels() {
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
    }
}
