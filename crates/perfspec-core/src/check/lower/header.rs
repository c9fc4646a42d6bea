//! The file header: 年度, 模板, 主管部门, 实施单位 and the file's unit declarations.

use super::Header;
use crate::check::cx::Cx;
use crate::check::units::{self, UnitTable};
use crate::diag::{Code, Diagnostic, Fix};
use crate::model::Dimension;
use crate::msg;
use crate::syntax::{self, Field, Span, Spanned, TopItem};
use crate::vocab::keys::{self, Key};
use crate::vocab::templates;

/// PS102: a key given twice; the first counts.
pub(super) fn duplicate_field(cx: &mut Cx<'_>, key: &str, first: Span, again: Span) {
    cx.push(
        Diagnostic::new(
            Code::PS102,
            msg!("“{key}” 写了两次", "“{key}” is given twice"),
            again,
            msg!("重复的字段", "given again here"),
        )
        .with_label(first, msg!("第一次在这里", "first given here"))
        .with_help(msg!("删除其中一行", "delete one of the two lines")),
    );
}

/// PS102 for two lines of one field given in any order: the earlier is the first.
pub(super) fn duplicate_in_order(cx: &mut Cx<'_>, key: &str, a: Span, b: Span) {
    let (first, again) = if a.start <= b.start { (a, b) } else { (b, a) };
    duplicate_field(cx, key, first, again);
}

/// The first value of a field (spaces normalized); a second one is PS102.
pub(super) fn set_once(cx: &mut Cx<'_>, slot: &mut Option<Spanned<String>>, f: &Field) {
    match slot {
        Some(prev) => duplicate_field(cx, &f.key.value, prev.span, f.span),
        None => {
            let text = syntax::normalize_spaces(&f.value.value);
            *slot = Some(Spanned::new(text, f.value.span));
        }
    }
}

/// The header from the file's top-level lines (all of them, or any part that holds every
/// header line); unit declarations go into `units`.
pub(crate) fn header<'t>(
    cx: &mut Cx<'_>,
    items: impl IntoIterator<Item = &'t TopItem>,
    units: &mut UnitTable,
) -> Header {
    let mut h = Header::default();
    let mut year: Option<Spanned<String>> = None;
    let mut template: Option<Spanned<String>> = None;
    // Where each `待填` line was written: a field both left to fill and given is PS102.
    let mut placeholders: Vec<(Key, Span)> = Vec::new();
    for item in items {
        match item {
            TopItem::Field(f)
                if keys::is_to_fill(&f.value.value)
                    && matches!(
                        Key::from_word(&f.key.value),
                        Some(Key::Year | Key::Department | Key::Unit)
                    ) =>
            {
                if let Some(k) = Key::from_word(&f.key.value) {
                    super::to_fill_warning(cx, k.canonical(), f.value.span);
                    placeholders.push((k, f.span));
                    h.to_fill.push(k);
                }
            }
            TopItem::Field(f) => match f.key.value.as_str() {
                "年度" => set_once(cx, &mut year, f),
                "模板" => set_once(cx, &mut template, f),
                "主管部门" => set_once(cx, &mut h.department, f),
                _ => set_once(cx, &mut h.unit, f),
            },
            TopItem::UnitDecl(d) => declare_unit(cx, units, d),
            _ => {}
        }
    }
    for (k, at) in placeholders {
        let given = match k {
            Key::Year => year.as_ref(),
            Key::Department => h.department.as_ref(),
            Key::Unit => h.unit.as_ref(),
            _ => None,
        };
        if let Some(given) = given.map(|v| v.span) {
            duplicate_in_order(cx, k.canonical(), given, at);
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
                    Code::PS111,
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
                        Code::PS103,
                        msg!("年度 “{v}” 不是有效的年份", "年度 “{v}” is not a year"),
                        y.span,
                        msg!("应为四位年份", "expected a four-digit year"),
                    )
                    .with_help(msg!("写成 `年度 2026`", "write `年度 2026`")),
                )
            }
        }
    }
    h.year_text = year;
    h.template_text = template;
    h
}

/// PS318: a declaration that names no dimension, or redeclares a built-in unit.
fn declare_unit(cx: &mut Cx<'_>, table: &mut UnitTable, d: &syntax::UnitDecl) {
    let Some(dim) = units::dimension_from_word(&d.dimension.value) else {
        let w = &d.dimension.value;
        let all: Vec<&str> = Dimension::ALL.iter().map(|d| d.name_zh()).collect();
        let all = all.join("、");
        cx.push(
            Diagnostic::new(
                Code::PS318,
                msg!("未知的量纲 “{w}”", "unknown dimension “{w}”"),
                d.dimension.span,
                msg!("不是量纲名", "not a dimension"),
            )
            .with_help(msg!("量纲可用：{all}", "dimensions: {all}")),
        );
        return;
    };
    if let Some(existing) = table.declare(&d.unit.value, dim) {
        if existing != dim {
            let (u, e, ee) = (&d.unit.value, existing.name_zh(), existing.name_en());
            cx.push(
                Diagnostic::new(
                    Code::PS318,
                    msg!(
                        "“{u}” 是内置单位，量纲为 {e}，不能改声明",
                        "“{u}” is built in with dimension {ee} and cannot be redeclared"
                    ),
                    d.span,
                    msg!("与内置量纲冲突", "conflicts with the built-in dimension"),
                )
                .with_help(msg!("删除这一行", "delete this line"))
                .with_fix(Fix::replace(
                    msg!("删除这一行", "delete this line"),
                    whole_lines(cx.source, d.span),
                    "",
                )),
            );
        }
    }
}

/// The lines `span` touches, with the line end after them: what deleting those lines removes.
fn whole_lines(source: &str, span: Span) -> Span {
    let start = (span.start as usize).min(source.len());
    let end = (span.end as usize).clamp(start, source.len());
    let from = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let to = match source[end..].find('\n') {
        Some(i) => end + i + 1,
        None => source.len(),
    };
    // A span that already ends with its line end takes no second line.
    let to = if end > start && source[..end].ends_with('\n') {
        end
    } else {
        to
    };
    Span::new(from, to)
}
