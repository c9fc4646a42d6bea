//! A `项目 … { }` block → `model::Project`: its fields (the first of each; a second is
//! PS102), the header's where it has none, its funding, indicators and year-end lines.

use super::header::{duplicate_field, duplicate_in_order, set_once};
use super::{evaluation, funding, indicator, to_fill_warning, Header, Project, ProjectAt, ToFill};
use crate::check::cx::Cx;
use crate::check::units::UnitTable;
use crate::diag::Code;
use crate::model;
use crate::syntax::{self, DateLit, ProjectItem, Span, Spanned};
use crate::vocab::keys::{self, Key};
use crate::vocab::taxonomy;
use crate::vocab::templates::TemplateId;

/// Lower one project.
pub(crate) fn project(
    cx: &mut Cx<'_>,
    header: &Header,
    units: &UnitTable,
    p: &syntax::Project,
) -> Project {
    let name = syntax::normalize_spaces(&p.name.value);
    let head = p.name.span;
    let mut nature = None;
    let mut kind = None;
    let mut department = None;
    let mut unit = None;
    let mut start: Option<Spanned<DateLit>> = None;
    let mut end: Option<Spanned<DateLit>> = None;
    let mut funding_block: Option<&syntax::Funding> = None;
    let mut goal_total: Option<Spanned<String>> = None;
    let mut goal_annual: Option<Spanned<String>> = None;
    let mut inds = Vec::new();
    let mut to_fill = Vec::new();
    // Where each `待填` field was written: a field both left to fill and given is PS102.
    let mut placeholders: Vec<(Key, Span)> = Vec::new();
    for item in &p.items {
        match item {
            ProjectItem::Field(f) if keys::is_to_fill(&f.value.value) => {
                let what = match Key::from_word(&f.key.value) {
                    Some(
                        k @ (Key::Nature
                        | Key::Kind
                        | Key::Department
                        | Key::Unit
                        | Key::Funding
                        | Key::Period),
                    ) => Some(ToFill::Field(k)),
                    Some(Key::Start | Key::End) => Some(ToFill::Field(Key::Period)),
                    Some(_) => None,
                    None => taxonomy::level1_of(&f.key.value).map(ToFill::Level1),
                };
                // 总分 待填, 等级 待填: the self-evaluation's, read as written.
                if let Some(t) = what {
                    let name = match t {
                        ToFill::Field(k) => k.canonical(),
                        ToFill::Level1(l1) => l1.name(),
                    };
                    to_fill_warning(cx, name, f.value.span);
                    if let ToFill::Field(k) = t {
                        placeholders.push((k, f.span));
                    }
                    to_fill.push(t);
                }
            }
            ProjectItem::Field(f) => match Key::from_word(&f.key.value) {
                Some(Key::Nature) => set_once(cx, &mut nature, f),
                Some(Key::Kind) => set_once(cx, &mut kind, f),
                Some(Key::Department) => set_once(cx, &mut department, f),
                Some(Key::Unit) => set_once(cx, &mut unit, f),
                // 总分, 等级: the self-evaluation's (lower/evaluation.rs).
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
            ProjectItem::Funding(f) => match funding_block {
                Some(prev) => duplicate_field(cx, "资金", prev.span, f.span),
                None => funding_block = Some(f),
            },
            ProjectItem::Goal(g)
                if !g.block
                    && keys::is_to_fill(&g.text.value)
                    && matches!(
                        Key::from_word(&g.key.value),
                        Some(Key::GoalTotal | Key::GoalAnnual)
                    ) =>
            {
                if let Some(k) = Key::from_word(&g.key.value) {
                    to_fill_warning(cx, k.canonical(), g.text.span);
                    placeholders.push((k, g.span));
                    to_fill.push(ToFill::Field(k));
                }
            }
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
                        *slot = Some(Spanned::new(text, g.text.span));
                    }
                }
            }
            ProjectItem::Indicator(ind) => inds.push(ind),
            _ => {}
        }
    }
    for (k, at) in placeholders {
        let given = match k {
            Key::Nature => nature.as_ref().map(|v| v.span),
            Key::Kind => kind.as_ref().map(|v| v.span),
            Key::Department => department.as_ref().map(|v| v.span),
            Key::Unit => unit.as_ref().map(|v| v.span),
            Key::Period => start.as_ref().or(end.as_ref()).map(|v| v.span),
            Key::Funding => funding_block.map(|b| b.span),
            Key::GoalTotal => goal_total.as_ref().map(|v| v.span),
            Key::GoalAnnual => goal_annual.as_ref().map(|v| v.span),
            _ => None,
        };
        if let Some(given) = given {
            duplicate_in_order(cx, k.canonical(), given, at);
        }
    }
    let template = header.template();

    let (funding, funding_at) = match funding_block {
        Some(block) => {
            let (f, at) = funding::funding(cx, block);
            (f, Some(at))
        }
        None => (None, None),
    };

    let year_end = evaluation::collect(cx, &p.items);
    let evaluated = year_end.any() || template.id == TemplateId::SelfEvaluation;
    let mut lines = Vec::with_capacity(inds.len());
    let mut indicators = Vec::with_capacity(inds.len());
    let mut scored = Vec::new();
    for (k, ind) in inds.iter().enumerate() {
        let index = indicators.len() + scored.len();
        let (line, m) = indicator::indicator(cx, units, ind, index);
        lines.push(line);
        if let Some(m) = m {
            if evaluated {
                let l = year_end.per_indicator.get(k).copied().unwrap_or_default();
                scored.push((m, l));
            } else {
                indicators.push(m);
            }
        }
    }
    let (evaluation, evaluation_at) = if evaluated {
        let all_lowered = scored.len() == inds.len();
        let (e, at) = evaluation::project(
            cx,
            units,
            template.scoring,
            &year_end,
            &mut scored,
            head,
            all_lowered,
        );
        indicators.extend(scored.into_iter().map(|s| s.0));
        (Some(e), Some(at))
    } else {
        (None, None)
    };
    // An unclosed text block (PS003) swallows the lines after it, like a line that failed.
    let broken = p.items.iter().any(|i| matches!(i, ProjectItem::Error(_)))
        || cx.syntax_error_in(p.span, Code::PS003);

    let at = ProjectAt {
        head,
        nature: nature.as_ref().map(|f| f.span),
        kind: kind.as_ref().map(|f| f.span),
        department: department.as_ref().map(|f| f.span),
        unit: unit.as_ref().map(|f| f.span),
        start: start.as_ref().map(|d| d.span),
        end: end.as_ref().map(|d| d.span),
        goal_total: goal_total.as_ref().map(|g| g.span),
        goal_annual: goal_annual.as_ref().map(|g| g.span),
        funding: funding_at,
        lines,
        broken,
        year_end: evaluation_at,
        to_fill,
    };
    let department = department.or_else(|| header.department.clone());
    let unit = unit.or_else(|| header.unit.clone());
    let model = model::Project {
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
    Project { model, at }
}
