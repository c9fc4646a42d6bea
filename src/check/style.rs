//! Style rules (PS4xx): what hides from a reviewer's eye or leaks from another system.

use super::Cx;
use crate::diag::{Code, Diagnostic, Fix};
use crate::msg;
use crate::syntax::Span;

/// Characters that change how text reads without showing themselves (the vocabulary's
/// one set).
pub use crate::vocab::chars::is_invisible as is_hidden;

/// PS402 on any name or field value.
pub(super) fn check_text(cx: &mut Cx<'_>, text: &str, span: Span) {
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

/// Goal texts: invisible characters, and HTML that a source system left behind (PS401).
pub(super) fn check_goal(cx: &mut Cx<'_>, text: &str, span: Span) {
    check_text(cx, text, span);
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
