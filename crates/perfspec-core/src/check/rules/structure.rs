//! Structure rules (PS1xx): required fields, usual values, periods, goals, the indicator
//! list, the file's year, and duplicate projects across files.

use super::File;
use crate::check::cx::Cx;
use crate::check::lower::{Header, Project, ToFill};
use crate::diag::{Code, Diagnostic, Fix};
use crate::model;
use crate::msg;
use crate::syntax::Span;
use crate::vocab::keys::{Key, KINDS, NATURES};
use std::collections::HashMap;

/// PS101: a project without a name.
pub(super) fn project_name(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    if p.model.name.is_empty() {
        cx.push(
            Diagnostic::new(
                Code::PS101,
                msg!("项目缺少名称", "the project has no name"),
                p.at.head,
                msg!("名称为空", "empty name"),
            )
            .with_help(msg!("写成 `项目 项目名称 {{`", "write `项目 名称 {{`")),
        );
    }
}

/// PS101: a field the template requires is missing (主管部门 and 实施单位 may come from the
/// header). A fix adds the line when there is a value to propose.
pub(super) fn required_fields(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    let (m, at) = (&p.model, &p.at);
    let name = &m.name;
    let head = at.head;
    // Where a missing field goes: the line after `项目 … {`.
    let body_start = cx.source[(head.end as usize).min(cx.source.len())..]
        .find('\n')
        .map(|i| head.end as usize + i + 1);
    // `added`: the line a fix adds, when the field has a value to propose.
    let need = |cx: &mut Cx<'_>, what: &str, example: &str, added: Option<String>| {
        let mut d = Diagnostic::new(
            Code::PS101,
            msg!(
                "项目 “{name}” 缺少 “{what}”",
                "project “{name}” has no “{what}”"
            ),
            head,
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
    let template = header.template();
    // A field written `待填` is absent and acknowledged (PS114 said so).
    let required = |k: Key| template.requires(k) && !at.to_fill(k) && !header.to_fill(k);
    // The department and unit have no value to propose; the others take the help's
    // example (an annual period of the file's year).
    if at.department.is_none() && header.department.is_none() && required(Key::Department) {
        need(cx, "主管部门", "主管部门 上海市绿化和市容管理局", None);
    }
    if at.unit.is_none() && header.unit.is_none() && required(Key::Unit) {
        need(
            cx,
            "实施单位",
            "实施单位 上海市绿化和市容管理局行政服务中心",
            None,
        );
    }
    if at.nature.is_none() && required(Key::Nature) {
        let line = format!("性质 {}", NATURES[0]);
        need(cx, "性质", "性质 经常性专项业务费", Some(line));
    }
    if at.kind.is_none() && required(Key::Kind) {
        let line = format!("类别 {}", KINDS[0]);
        need(cx, "类别", "类别 特定目标类", Some(line));
    }
    let (start, end) = (m.start.is_some(), m.end.is_some());
    if (!start || !end) && required(Key::Period) {
        let y = header.year.unwrap_or(2026);
        let line = (!start && !end).then(|| format!("期间 {y}-01-01 至 {y}-12-31"));
        need(cx, "期间", "期间 2026-01-01 至 2026-12-31", line);
    }
}

/// PS108 / PS109: 性质 and 类别 outside the usual values.
pub(super) fn usual_values(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    if let Some(span) = p.at.nature {
        closed_set(cx, Code::PS108, "项目性质", &p.model.nature, span, NATURES);
    }
    if let Some(span) = p.at.kind {
        closed_set(cx, Code::PS109, "项目类别", &p.model.kind, span, KINDS);
    }
}

fn closed_set(cx: &mut Cx<'_>, code: Code, what: &str, value: &str, span: Span, set: &[&str]) {
    if set.contains(&value) {
        return;
    }
    let list = set.join("、");
    let listed = set.join(", ");
    cx.push(
        Diagnostic::new(
            code,
            msg!(
                "{what} “{value}” 不在常见取值中",
                "{what} “{value}” is not one of the usual values"
            ),
            span,
            msg!("不常见的{what}", "unusual {what}"),
        )
        .with_help(msg!(
            "常见取值：{list}；确属特殊情况可加注释 `# perfspec: allow {code}`",
            "usual values: {listed}; if intended, add `# perfspec: allow {code}`"
        )),
    );
}

/// PS105 / PS106: a period that ends before it starts, or does not cover the year.
pub(super) fn period(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    let (Some(sv), Some(ev), Some(s), Some(e)) = (p.model.start, p.model.end, p.at.start, p.at.end)
    else {
        return;
    };
    if !sv.is_valid() || !ev.is_valid() {
        return; // PS005 said so already
    }
    if ev < sv {
        cx.push(
            Diagnostic::new(
                Code::PS105,
                msg!(
                    "计划完成日期 {ev} 早于计划开始日期 {sv}",
                    "the period ends ({ev}) before it starts ({sv})"
                ),
                e,
                msg!("完成日期", "end date"),
            )
            .with_label(s, msg!("开始日期", "start date"))
            .with_help(msg!(
                "检查两个日期是否写反",
                "check whether the two dates are swapped"
            )),
        );
        return;
    }
    if let Some(y) = header.year {
        if sv.year > y || ev.year < y {
            cx.push(
                Diagnostic::new(
                    Code::PS106,
                    msg!("实施期间 {sv} 至 {ev} 不包含申报年度 {y}", "the period {sv} to {ev} does not cover the year {y}"),
                    Span::new(s.start as usize, e.end as usize),
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

/// PS107: the annual goal missing (where the template asks for it), or a goal left empty.
pub(super) fn goals(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    let (m, at) = (&p.model, &p.at);
    match at.goal_annual {
        None if !header.template().requires(Key::GoalAnnual) || at.to_fill(Key::GoalAnnual) => {}
        None => {
            let name = &m.name;
            cx.push(
                Diagnostic::new(
                    Code::PS107,
                    msg!(
                        "项目 “{name}” 缺少年度总体目标",
                        "project “{name}” has no 年度总体目标"
                    ),
                    at.head,
                    msg!("缺少 年度总体目标", "年度总体目标 missing"),
                )
                .with_help(msg!(
                    "加上 `年度总体目标 \"\"\"` 块，写明本年度要达到的目标",
                    "add a `年度总体目标 \"\"\"` block stating this year's goal"
                )),
            )
        }
        Some(span) if m.goal_annual.trim().is_empty() => empty_goal(cx, span),
        _ => {}
    }
    if let (Some(g), Some(span)) = (&m.goal_total, at.goal_total) {
        if g.trim().is_empty() {
            empty_goal(cx, span);
        }
    }
}

fn empty_goal(cx: &mut Cx<'_>, span: Span) {
    cx.push(
        Diagnostic::new(
            Code::PS107,
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

/// PS110: a project without indicator lines (unless a line that failed to parse may be
/// one, or the project says which categories are still to be filled: `产出指标 待填`, as
/// an import writes for a form whose indicator table is missing — PS114 reports those).
pub(super) fn indicator_list(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    if !p.at.lines.is_empty() || p.at.broken {
        return;
    }
    if p.at.to_fill.iter().any(|t| matches!(t, ToFill::Level1(_))) {
        return;
    }
    let project = &p.model.name;
    cx.push(
        Diagnostic::new(
            Code::PS110,
            msg!("项目 “{project}” 没有绩效指标", "project “{project}” has no indicators"),
            p.at.head,
            msg!("没有指标", "no indicators"),
        )
        .with_help(msg!(
            "按 `二级指标 名称 比较符 指标值 单位` 写出指标，如 `数量 窗口申请材料受理 ≥ 8000 件`",
            "write indicators as `category name comparator value unit`, e.g. `数量 窗口申请材料受理 ≥ 8000 件`"
        )),
    );
}

/// PS101: a file with projects and no 年度.
pub(super) fn file_year(cx: &mut Cx<'_>, f: &File<'_>) {
    if f.header.year_text.is_some() || f.header.to_fill(Key::Year) || !f.has_projects {
        return;
    }
    cx.push(
        Diagnostic::new(
            Code::PS101,
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

/// PS008: a file that declares no project (and is not just broken).
pub(super) fn no_project(cx: &mut Cx<'_>, f: &File<'_>) {
    if f.projects == 0 && !f.has_error_nodes && !f.syntax_errors {
        cx.push(
            Diagnostic::new(
                Code::PS008,
                msg!("文件中没有项目", "the file declares no project"),
                Span::new(0, 0),
                msg!("这里没有 `项目 … {{` 块", "no `项目 … {{` block here"),
            )
            .with_help(msg!(
                "每个申报表写成一个 `项目 名称 {{ … }}` 块，文件头写 年度、主管部门、实施单位；空文件可删除",
                "write each form as a `项目 名称 {{ … }}` block under a header of 年度, 主管部门, 实施单位; delete an empty file"
            )),
        );
    }
}

/// PS104: the same project (year, 实施单位, name) declared twice, in one file or across files.
/// (file index, span, path, line) of a project's first declaration.
type FirstDeclared = (usize, Span, String, usize);

/// PS104 across files, fed one file at a time in path order: a project is reported where it
/// is declared again, so a file's findings are final once the files before it were seen
/// (and its text can go; see `check_many`).
#[derive(Default)]
pub(crate) struct DuplicateProjects {
    seen: HashMap<model::ProjectKey<String>, FirstDeclared>,
    files: usize,
}

impl DuplicateProjects {
    /// The PS104 findings of the next file, given its path and projects.
    pub(crate) fn next_projects(
        &mut self,
        path: &str,
        projects: &[model::Project],
    ) -> Vec<Diagnostic> {
        let fi = self.files;
        self.files += 1;
        let mut found = Vec::new();
        let mut out = Vec::new();
        for p in projects {
            let key = p.key().to_owned();
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
                Code::PS104,
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
