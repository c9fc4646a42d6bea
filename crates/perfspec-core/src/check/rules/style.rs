//! Style rules (PS4xx): what hides from a reviewer's eye or leaks from another system.
//! (PS404, an allow comment naming no code, is `suppress.rs`'s.)

use super::File;
use crate::check::cx::Cx;
use crate::check::lower::{Header, Project};
use crate::diag::{Code, Diagnostic, Fix};
use crate::msg;
use crate::syntax::Span;

/// Characters that change how text reads without showing themselves (the vocabulary's
/// one set).
pub use crate::vocab::chars::is_invisible as is_hidden;

/// Names longer than this (in characters) get PS403.
pub const MAX_NAME_CHARS: usize = 100;

/// PS402 in the header's values.
pub(super) fn header_invisible(cx: &mut Cx<'_>, f: &File<'_>) {
    let h = f.header;
    for t in [&h.year_text, &h.template_text, &h.department, &h.unit]
        .into_iter()
        .flatten()
    {
        check_text(cx, &t.value, t.span);
    }
}

/// PS402 in every text of a project: its name, its own fields' values, the goals, the
/// indicators' names (lowered or not), and the year-end texts.
pub(super) fn invisible(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let (m, at) = (&p.model, &p.at);
    check_text(cx, &m.name, at.head);
    for (value, span) in [
        (&m.nature, at.nature),
        (&m.kind, at.kind),
        (&m.department, at.department),
        (&m.unit, at.unit),
    ] {
        if let Some(span) = span {
            check_text(cx, value, span);
        }
    }
    if let (Some(g), Some(span)) = (&m.goal_total, at.goal_total) {
        check_text(cx, g, span);
    }
    if let Some(span) = at.goal_annual {
        check_text(cx, &m.goal_annual, span);
    }
    for line in &at.lines {
        let name = match &line.lowered {
            Ok(i) => &m.indicators[*i].name,
            Err(name) => name,
        };
        check_text(cx, name, line.name);
    }
    let (Some(e), Some(e_at)) = (&m.evaluation, &at.year_end) else {
        return;
    };
    for (ind, a_at) in m.indicators.iter().zip(&e_at.indicators) {
        let Some(a) = &ind.assessment else { continue };
        if let Some(actual) = &a.actual {
            if let crate::model::ActualValue::Text(t) = &actual.value {
                check_text(cx, t, actual.loc.span);
            }
        }
        if let (Some(d), Some(span)) = (&a.deviation, a_at.deviation) {
            check_text(cx, d, span);
        }
    }
    if let (Some(o), Some(span)) = (&e.outcome, e_at.outcome) {
        check_text(cx, o, span);
    }
}

/// PS401 in the goal texts, the deviations and the outcome.
pub(super) fn markup(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let (m, at) = (&p.model, &p.at);
    if let (Some(g), Some(span)) = (&m.goal_total, at.goal_total) {
        check_markup(cx, g, span);
    }
    if let Some(span) = at.goal_annual {
        check_markup(cx, &m.goal_annual, span);
    }
    let (Some(e), Some(e_at)) = (&m.evaluation, &at.year_end) else {
        return;
    };
    for (ind, a_at) in m.indicators.iter().zip(&e_at.indicators) {
        if let (Some(d), Some(span)) = (
            ind.assessment.as_ref().and_then(|a| a.deviation.as_ref()),
            a_at.deviation,
        ) {
            check_markup(cx, d, span);
        }
    }
    if let (Some(o), Some(span)) = (&e.outcome, e_at.outcome) {
        check_markup(cx, o, span);
    }
}

/// PS403: an indicator name over [`MAX_NAME_CHARS`] characters (spaces collapsed).
pub(super) fn long_names(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for line in &p.at.lines {
        let name = match &line.lowered {
            Ok(i) => &p.model.indicators[*i].name,
            Err(name) => name,
        };
        let n = name.chars().count();
        if n <= MAX_NAME_CHARS {
            continue;
        }
        cx.push(
            Diagnostic::new(
                Code::PS403,
                msg!(
                    "指标名称过长（{n} 个字符）",
                    "indicator name is too long ({n} characters)"
                ),
                line.name,
                msg!(
                    "超过 {MAX_NAME_CHARS} 个字符",
                    "over {MAX_NAME_CHARS} characters"
                ),
            )
            .with_help(msg!(
                "三级指标名称应简明，说明放入注释",
                "keep the name short; put explanations in a comment"
            )),
        );
    }
}

/// PS402 on any name or field value.
fn check_text(cx: &mut Cx<'_>, text: &str, span: Span) {
    let Some(c) = text.chars().find(|c| is_hidden(*c)) else {
        return;
    };
    let code = format!("U+{:04X}", c as u32);
    // Point at the character itself when the span holds the text as written.
    let found = cx
        .source
        .get(span.range())
        .and_then(|s| s.find(c))
        .map(|i| {
            Span::new(
                span.start as usize + i,
                span.start as usize + i + c.len_utf8(),
            )
        });
    let at = found.unwrap_or(span);
    let mut d = Diagnostic::new(
            Code::PS402,
            msg!("文本中含不可见字符 {code}", "the text contains the invisible character {code}"),
            at,
            msg!("不可见字符 {code}", "invisible {code}"),
        )
        .with_help(msg!(
            "删除该字符：双向控制符和零宽字符会让审核者看到的文字与实际内容不一致",
            "delete it: bidi controls and zero-width characters make what a reviewer sees differ from what is there"
        ));
    if let Some(at) = found {
        d = d.with_fix(Fix::replace(
            msg!("删除不可见字符 {code}", "delete the invisible {code}"),
            at,
            "",
        ));
    }
    cx.push(d);
}

const TAGS: &[&str] = &[
    "<p>", "</p>", "<br", "<div", "</div>", "<span", "</span>", "&nbsp;", "<strong>", "<b>",
    "<font",
];

/// PS401 on a goal text: HTML that a source system left behind.
fn check_markup(cx: &mut Cx<'_>, text: &str, span: Span) {
    let lower = text.to_ascii_lowercase();
    let Some(tag) = TAGS.iter().find(|t| lower.contains(*t)) else {
        return;
    };
    let at = cx
        .source
        .get(span.range())
        .and_then(|s| s.to_ascii_lowercase().find(tag))
        .map(|i| Span::new(span.start as usize + i, span.start as usize + i + tag.len()))
        .unwrap_or(span);
    cx.push(
        Diagnostic::new(
            Code::PS401,
            msg!("目标文本中含 HTML 标记 “{tag}”", "the goal text contains the HTML markup “{tag}”"),
            at,
            msg!("HTML 标记", "HTML markup"),
        )
        .with_help(msg!(
            "这是从其他系统复制时带入的标记，按原样会作为文字打印出来：删除它，段落之间用空行分隔",
            "it came along when copying from another system and would print as text: delete it and separate paragraphs with a blank line"
        )),
    );
}
