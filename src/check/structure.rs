//! Structure rules (PS1xx): header fields, periods, goals, duplicate projects.

use super::{evaluation, indicators, money, multiyear, style, units, Cx, FileReport, Header};
use crate::diag::{Diagnostic, Fix};
use crate::model::{self, Level1};
use crate::msg;
use crate::syntax::{self, DateLit, Field, ProjectItem, Span, Spanned, TopItem};
use crate::vocab::keys::Key;
use crate::vocab::templates::{self, TemplateId};
use std::collections::HashMap;

pub use crate::vocab::keys::{KINDS, NATURES};

fn duplicate_field(cx: &mut Cx<'_>, key: &str, first: Span, again: Span) {
    cx.push(
        Diagnostic::new(
            "PS102",
            msg!("“{key}” 写了两次", "“{key}” is given twice"),
            again,
            msg!("重复的字段", "given again here"),
        )
        .with_label(first, msg!("第一次在这里", "first given here"))
        .with_help(msg!("删除其中一行", "delete one of the two lines")),
    );
}

fn set_once(cx: &mut Cx<'_>, slot: &mut Option<Spanned<String>>, f: &Field) {
    match slot {
        Some(prev) => duplicate_field(cx, &f.key.value, prev.span, f.span),
        None => {
            let text = syntax::normalize_spaces(&f.value.value);
            style::check_text(cx, &text, f.value.span);
            *slot = Some(Spanned::new(text, f.value.span));
        }
    }
}

/// The header from the file's top-level lines (`items`: all of them, or every one before
/// the first project); `has_projects` says whether the file declares any project.
pub(super) fn file_header(
    cx: &mut Cx<'_>,
    items: &[TopItem],
    has_projects: bool,
    units: &mut units::UnitTable,
) -> Header {
    let mut h = Header::default();
    let mut year: Option<Spanned<String>> = None;
    let mut template: Option<Spanned<String>> = None;
    for item in items {
        match item {
            TopItem::Field(f) => match f.key.value.as_str() {
                "年度" => set_once(cx, &mut year, f),
                "模板" => set_once(cx, &mut template, f),
                "主管部门" => set_once(cx, &mut h.department, f),
                _ => set_once(cx, &mut h.unit, f),
            },
            TopItem::UnitDecl(d) => indicators::declare_unit(cx, units, d),
            _ => {}
        }
    }
    if let Some(t) = &template {
        h.template = templates::by_name(&t.value);
        if h.template.is_none() {
            let v = &t.value;
            let names = templates::TEMPLATES
                .iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join("、");
            cx.push(
                Diagnostic::new(
                    "PS111",
                    msg!("未知的模板 “{v}”", "unknown template “{v}”"),
                    t.span,
                    msg!("不是已知的申报表模板", "not a known form template"),
                )
                .with_help(msg!(
                    "可用的模板：{names}（见 docs/templates.md）",
                    "known templates: {names} (see docs/templates.md)"
                )),
            );
        }
    }
    if let Some(y) = &year {
        let digits: String = y.value.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = digits.trim_end_matches('年');
        match digits.parse::<u16>() {
            Ok(v) if (1949..=2200).contains(&v) => h.year = Some(v),
            _ => {
                let v = &y.value;
                cx.push(
                    Diagnostic::new(
                        "PS103",
                        msg!("年度 “{v}” 不是有效的年份", "年度 “{v}” is not a year"),
                        y.span,
                        msg!("应为四位年份", "expected a four-digit year"),
                    )
                    .with_help(msg!("写成 `年度 2026`", "write `年度 2026`")),
                )
            }
        }
    }
    if year.is_none() && has_projects {
        cx.push(
            Diagnostic::new(
                "PS101",
                msg!("文件缺少 “年度”", "the file has no 年度"),
                Span::new(0, 0),
                msg!(
                    "文件开头应写明年度",
                    "the year belongs at the top of the file"
                ),
            )
            .with_help(msg!(
                "在文件开头写 `年度 2026`",
                "add `年度 2026` at the top of the file"
            ))
            .with_fix(Fix::insert(
                msg!(
                    "在文件开头写 `年度 2026`",
                    "add `年度 2026` at the top of the file"
                ),
                if cx.source.starts_with('\u{FEFF}') {
                    3
                } else {
                    0
                },
                "年度 2026\n",
            )),
        );
    }
    h
}

/// Lower one project; rules of every family run on the way.
pub(super) fn project(
    cx: &mut Cx<'_>,
    header: &Header,
    units: &units::UnitTable,
    p: &syntax::Project,
) -> Option<model::Project> {
    let mark = cx.diags.len();
    let name = syntax::normalize_spaces(&p.name.value);
    let head_span = p.name.span;
    style::check_text(cx, &name, p.name.span);
    if name.is_empty() {
        cx.push(
            Diagnostic::new(
                "PS101",
                msg!("项目缺少名称", "the project has no name"),
                head_span,
                msg!("名称为空", "empty name"),
            )
            .with_help(msg!("写成 `项目 项目名称 {{`", "write `项目 名称 {{`")),
        );
    }
    let mut nature = None;
    let mut kind = None;
    let mut department = None;
    let mut unit = None;
    let mut start: Option<Spanned<DateLit>> = None;
    let mut end: Option<Spanned<DateLit>> = None;
    let mut funding_node = None;
    let mut goal_total: Option<Spanned<String>> = None;
    let mut goal_annual: Option<Spanned<String>> = None;
    let mut inds = Vec::new();
    for item in &p.items {
        match item {
            ProjectItem::Field(f) => match Key::from_word(&f.key.value) {
                Some(Key::Nature) => set_once(cx, &mut nature, f),
                Some(Key::Kind) => set_once(cx, &mut kind, f),
                Some(Key::Department) => set_once(cx, &mut department, f),
                Some(Key::Unit) => set_once(cx, &mut unit, f),
                // 总分, 等级: the self-evaluation's (check/evaluation.rs).
                _ => {}
            },
            ProjectItem::Period(per) => {
                let (s, e) = match Key::from_word(&per.key.value) {
                    Some(Key::End) => (None, Some(per.start.clone())),
                    Some(Key::Start) => (Some(per.start.clone()), None),
                    _ => (Some(per.start.clone()), per.end.clone()),
                };
                for (slot, new) in [(&mut start, s), (&mut end, e)] {
                    if let Some(new) = new {
                        match slot {
                            Some(prev) => duplicate_field(cx, "期间", prev.span, new.span),
                            None => *slot = Some(new),
                        }
                    }
                }
            }
            ProjectItem::Funding(f) => match funding_node {
                Some(prev) => duplicate_field(cx, "资金", prev, f.span),
                None => funding_node = Some(f.span),
            },
            ProjectItem::Goal(g) => {
                let slot = match Key::from_word(&g.key.value) {
                    Some(Key::GoalTotal) => &mut goal_total,
                    Some(Key::GoalAnnual) => &mut goal_annual,
                    // 完成情况, 偏差原因: the self-evaluation's.
                    _ => continue,
                };
                match slot {
                    Some(prev) => duplicate_field(cx, &g.key.value, prev.span, g.span),
                    None => {
                        let text = if g.block {
                            g.text.value.clone()
                        } else {
                            syntax::normalize_spaces(&g.text.value)
                        };
                        style::check_goal(cx, &text, g.text.span);
                        *slot = Some(Spanned::new(text, g.text.span));
                    }
                }
            }
            ProjectItem::Indicator(ind) => inds.push(ind),
            _ => {}
        }
    }

    // Where a missing field goes: the line after `项目 … {`.
    let body_start = cx.source[(head_span.end as usize).min(cx.source.len())..]
        .find('\n')
        .map(|i| head_span.end as usize + i + 1);
    // `added`: the line a fix adds, when the field has a value to propose.
    let need = |cx: &mut Cx<'_>, what: &str, example: &str, added: Option<String>| {
        let mut d = Diagnostic::new(
            "PS101",
            msg!(
                "项目 “{name}” 缺少 “{what}”",
                "project “{name}” has no “{what}”"
            ),
            head_span,
            msg!("在此项目中补上 “{what}”", "add “{what}” to this project"),
        )
        .with_help(msg!("例如 `{example}`", "for example `{example}`"));
        if let (Some(line), Some(at)) = (added, body_start) {
            d = d.with_fix(Fix::insert(
                msg!("添加 `{line}`", "add `{line}`"),
                at,
                format!("  {line}\n"),
            ));
        }
        cx.push(d);
    };
    let department = department.or_else(|| header.department.clone());
    let unit = unit.or_else(|| header.unit.clone());
    let template = header.template.unwrap_or(TemplateId::DEFAULT.get());
    let required = |k: Key| template.requires(k);
    // The department and unit have no value to propose; the others take the help's
    // example (an annual period of the file's year).
    if department.is_none() && required(Key::Department) {
        need(cx, "主管部门", "主管部门 上海市绿化和市容管理局", None);
    }
    if unit.is_none() && required(Key::Unit) {
        need(
            cx,
            "实施单位",
            "实施单位 上海市绿化和市容管理局行政服务中心",
            None,
        );
    }
    if nature.is_none() && required(Key::Nature) {
        let line = format!("性质 {}", NATURES[0]);
        need(cx, "性质", "性质 经常性专项业务费", Some(line));
    }
    if kind.is_none() && required(Key::Kind) {
        let line = format!("类别 {}", KINDS[0]);
        need(cx, "类别", "类别 特定目标类", Some(line));
    }
    if (start.is_none() || end.is_none()) && required(Key::Period) {
        let y = header.year.unwrap_or(2026);
        let line =
            (start.is_none() && end.is_none()).then(|| format!("期间 {y}-01-01 至 {y}-12-31"));
        need(cx, "期间", "期间 2026-01-01 至 2026-12-31", line);
    }
    if let Some(n) = &nature {
        closed_set(cx, "PS108", "项目性质", n, NATURES);
    }
    if let Some(k) = &kind {
        closed_set(cx, "PS109", "项目类别", k, KINDS);
    }
    check_period(cx, header.year, start.as_ref(), end.as_ref());

    match &goal_annual {
        None if !required(Key::GoalAnnual) => {}
        None => cx.push(
            Diagnostic::new(
                "PS107",
                msg!(
                    "项目 “{name}” 缺少年度总体目标",
                    "project “{name}” has no 年度总体目标"
                ),
                head_span,
                msg!("缺少 年度总体目标", "年度总体目标 missing"),
            )
            .with_help(msg!(
                "加上 `年度总体目标 \"\"\"` 块，写明本年度要达到的目标",
                "add a `年度总体目标 \"\"\"` block stating this year's goal"
            )),
        ),
        Some(g) if g.value.trim().is_empty() => empty_goal(cx, g.span),
        _ => {}
    }
    if let Some(g) = &goal_total {
        if g.value.trim().is_empty() {
            empty_goal(cx, g.span);
        }
    }

    let _ = funding_node;
    let funding_ast = p.items.iter().find_map(|i| match i {
        ProjectItem::Funding(f) => Some(f),
        _ => None,
    });
    // A template without a funding block of its own (the 自评表's budget execution is
    // another table) does not ask for one.
    let funding = if funding_ast.is_none() && !required(Key::Funding) {
        None
    } else {
        money::funding(cx, funding_ast, head_span, &name)
    };

    cx.legacy_tree = template.legacy_tree;
    let year_end = evaluation::collect(cx, &p.items);
    let mut indicators = Vec::with_capacity(inds.len());
    let mut scored = Vec::new();
    let evaluated = year_end.any() || template.id == TemplateId::SelfEvaluation;
    for (k, ind) in inds.iter().enumerate() {
        if let Some(m) = indicators::lower(cx, units, ind, start.as_ref().zip(end.as_ref())) {
            if evaluated {
                let lines = year_end.per_indicator.get(k).copied().unwrap_or_default();
                scored.push(evaluation::Scored::new(m, lines));
            } else {
                indicators.push(m);
            }
        }
    }
    let evaluation = evaluated.then(|| {
        let all_lowered = scored.len() == inds.len();
        let e = evaluation::project(
            cx,
            units,
            template.scoring,
            &year_end,
            &mut scored,
            evaluation::Subject {
                head: head_span,
                name: &name,
                all_lowered,
            },
        );
        indicators.extend(scored.into_iter().map(|s| s.indicator));
        e
    });
    // An unclosed text block (PS003) swallows the lines after it, like a line that failed.
    let has_error_lines = p.items.iter().any(|i| matches!(i, ProjectItem::Error(_)))
        || cx.syntax_error_in(p.span, "PS003");
    indicators::project_rules(cx, &name, head_span, &inds, &indicators, has_error_lines);
    if let (Some(f), Some(fa)) = (&funding, funding_ast) {
        // A cost line in the wrong unit (PS304) is one of the caps, just not countable.
        // Only this project's findings are looked at, not the whole file's so far.
        let wrong_unit = cx.diags[mark..].iter().any(|d| {
            d.code == "PS304"
                && p.span.start <= d.primary.span.start
                && d.primary.span.end <= p.span.end
        });
        let complete = !has_error_lines && !wrong_unit && indicators.len() == inds.len();
        money::cost_caps(cx, f, fa, &indicators, complete);
    }

    let has_funding = funding.is_some();
    let project = model::Project {
        template: template.id,
        name,
        year: header.year.unwrap_or(0),
        department: department.map(|d| d.value).unwrap_or_default(),
        unit: unit.map(|d| d.value).unwrap_or_default(),
        nature: nature.map(|d| d.value).unwrap_or_default(),
        kind: kind.map(|d| d.value).unwrap_or_default(),
        start: start.map(|s| s.value),
        end: end.map(|s| s.value),
        funding: funding.unwrap_or_default(),
        goal_total: goal_total.map(|g| g.value),
        goal_annual: goal_annual.map(|g| g.value).unwrap_or_default(),
        indicators,
        evaluation,
        loc: cx.loc(p.span),
    };
    multiyear::rules(cx, &project, head_span, funding_ast, has_funding);
    Some(project)
}

fn empty_goal(cx: &mut Cx<'_>, span: Span) {
    cx.push(
        Diagnostic::new(
            "PS107",
            msg!("绩效目标为空", "the goal text is empty"),
            span,
            msg!("这里没有文字", "no text here"),
        )
        .with_help(msg!(
            "写明目标；项目总目标在年度项目中可整行省略",
            "state the goal; annual projects may leave out 项目总目标 altogether"
        )),
    );
}

fn closed_set(cx: &mut Cx<'_>, code: &'static str, what: &str, v: &Spanned<String>, set: &[&str]) {
    if set.contains(&v.value.as_str()) {
        return;
    }
    let value = &v.value;
    let list = set.join("、");
    let listed = set.join(", ");
    cx.push(
        Diagnostic::new(
            code,
            msg!(
                "{what} “{value}” 不在常见取值中",
                "{what} “{value}” is not one of the usual values"
            ),
            v.span,
            msg!("不常见的{what}", "unusual {what}"),
        )
        .with_help(msg!(
            "常见取值：{list}；确属特殊情况可加注释 `# perfspec: allow {code}`",
            "usual values: {listed}; if intended, add `# perfspec: allow {code}`"
        )),
    );
}

fn check_period(
    cx: &mut Cx<'_>,
    year: Option<u16>,
    start: Option<&Spanned<DateLit>>,
    end: Option<&Spanned<DateLit>>,
) {
    let (Some(s), Some(e)) = (start, end) else {
        return;
    };
    if !s.value.is_valid() || !e.value.is_valid() {
        return; // PS005 said so already
    }
    let (sv, ev) = (s.value, e.value);
    if ev < sv {
        cx.push(
            Diagnostic::new(
                "PS105",
                msg!(
                    "计划完成日期 {ev} 早于计划开始日期 {sv}",
                    "the period ends ({ev}) before it starts ({sv})"
                ),
                e.span,
                msg!("完成日期", "end date"),
            )
            .with_label(s.span, msg!("开始日期", "start date"))
            .with_help(msg!(
                "检查两个日期是否写反",
                "check whether the two dates are swapped"
            )),
        );
        return;
    }
    if let Some(y) = year {
        if sv.year > y || ev.year < y {
            cx.push(
                Diagnostic::new(
                    "PS106",
                    msg!("实施期间 {sv} 至 {ev} 不包含申报年度 {y}", "the period {sv} to {ev} does not cover the year {y}"),
                    Span::new(s.span.start as usize, e.span.end as usize),
                    msg!("期间与年度不符", "period outside the year"),
                )
                .with_help(msg!(
                    "年度项目写成 `期间 {y}-01-01 至 {y}-12-31`；跨年项目的期间须包含 {y} 年",
                    "an annual project runs `{y}-01-01 至 {y}-12-31`; a multi-year one must include {y}"
                )),
            );
        }
    }
}

/// PS104: the same project (year, 实施单位, name) declared twice, in one file or across files.
/// (year, 实施单位, name): unique per declaration.
type ProjectKey = (u16, String, String);
/// (file index, span, path, line) of a project's first declaration.
type FirstDeclared = (usize, Span, String, usize);

/// PS104 across files, fed one file at a time in path order: a project is reported where it
/// is declared again, so a file's findings are final once the files before it were seen
/// (and its text can go; see `check_many`).
#[derive(Default)]
pub(super) struct DuplicateProjects {
    seen: HashMap<ProjectKey, FirstDeclared>,
    files: usize,
}

impl DuplicateProjects {
    pub(super) fn next_file(&mut self, f: &mut FileReport) {
        let found = self.next_projects(&f.path, &f.projects);
        f.diagnostics.extend(found);
    }

    /// The PS104 findings of the next file, given its path and projects.
    pub(super) fn next_projects(
        &mut self,
        path: &str,
        projects: &[model::Project],
    ) -> Vec<Diagnostic> {
        let fi = self.files;
        self.files += 1;
        let mut found = Vec::new();
        let mut out = Vec::new();
        for p in projects {
            let key = (p.year, p.unit.clone(), p.name.clone());
            match self.seen.get(&key) {
                Some(first) => found.push((p.loc.span, p.name.clone(), first.clone())),
                None => {
                    self.seen
                        .insert(key, (fi, p.loc.span, path.to_string(), p.loc.line as usize));
                }
            }
        }
        for (span, name, (ffi, fspan, fpath, fline)) in found {
            let head = Span::new(span.start as usize, span.start as usize + 6.min(span.len()));
            let mut d = Diagnostic::new(
                "PS104",
                msg!("项目 “{name}” 重复声明", "project “{name}” is declared twice"),
                head,
                msg!("重复的项目", "declared again here"),
            )
            .with_help(msg!(
                "同一年度、同一实施单位的项目名称必须唯一：删除重复的项目或改名（第一次声明在 {fpath}:{fline}）",
                "a project name is unique per year and 实施单位: delete or rename one (first declared at {fpath}:{fline})"
            ));
            if ffi == fi {
                d = d.with_label(
                    Span::new(
                        fspan.start as usize,
                        fspan.start as usize + 6.min(fspan.len()),
                    ),
                    msg!("第一次声明在这里", "first declared here"),
                );
            }
            out.push(d);
        }
        out
    }
}

/// The 一级 categories present, for the required-categories rule.
pub(super) fn level1_present(inds: &[model::Indicator]) -> Vec<Level1> {
    let mut v: Vec<Level1> = inds.iter().map(|i| i.level1()).collect();
    v.sort();
    v.dedup();
    v
}
