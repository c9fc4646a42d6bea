//! Hover: a category shows its place in the framework (一级 › 二级) and what its targets
//! are; a unit its dimension; a code in an allow comment its `perfspec explain` page; the
//! funding block and the project line the project's totals, from the checked model.

use super::document::Document;
use super::position::Lines;
use crate::check::{self, units::UnitTable};
use crate::diag::{self, Lang};
use crate::model;
use crate::syntax::{self, Comment, FundingItem, ProjectItem, Span, TopItem, ValueLit};
use crate::vocab::num::format_money;
use crate::vocab::{keys, taxonomy};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

fn contains(span: Span, at: usize) -> bool {
    span.start as usize <= at && at <= span.end as usize
}

fn markdown(value: String, range: Option<lsp_types::Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

pub fn hover(doc: &Document, pos: Position, lang: Lang) -> Option<Hover> {
    let text = doc.text.as_str();
    let lines = Lines::new(text);
    let at = lines.offset(pos);
    let tree = &doc.tree;
    let mut units = UnitTable::new();
    for item in &tree.items {
        if let TopItem::UnitDecl(d) = item {
            if let Some(dim) = check::units::dimension_from_word(&d.dimension.value) {
                units.declare(&d.unit.value, dim);
            }
        }
        if let Some(c) = comment_of_top(item) {
            if let Some(h) = code_hover(text, c, at, &lines) {
                return Some(h);
            }
        }
        if let TopItem::Field(f) = item {
            if let Some(h) = key_hover(&f.key, at, &lines, lang) {
                return Some(h);
            }
        }
    }
    for item in &tree.items {
        let TopItem::Project(p) = item else { continue };
        if !contains(p.span, at) {
            continue;
        }
        let project = doc
            .report
            .projects
            .iter()
            .find(|m| m.loc.span.start == p.span.start);
        if contains(p.name.span, at) {
            return project.map(|m| markdown(totals(m, lang), Some(lines.range(p.name.span))));
        }
        for c in [&p.open_comment, &p.close_comment].into_iter().flatten() {
            if let Some(h) = code_hover(text, c, at, &lines) {
                return Some(h);
            }
        }
        for i in &p.items {
            match i {
                ProjectItem::Comment(c) => {
                    if let Some(h) = code_hover(text, c, at, &lines) {
                        return Some(h);
                    }
                }
                ProjectItem::Funding(f) if contains(f.span, at) => {
                    for fi in &f.items {
                        if let FundingItem::Comment(c) = fi {
                            if let Some(h) = code_hover(text, c, at, &lines) {
                                return Some(h);
                            }
                        }
                        if let FundingItem::Entry(e) = fi {
                            if let Some(h) = e
                                .comment
                                .as_ref()
                                .and_then(|c| code_hover(text, c, at, &lines))
                            {
                                return Some(h);
                            }
                        }
                    }
                    return project.map(|m| markdown(totals(m, lang), None));
                }
                ProjectItem::Indicator(ind) if contains(ind.span, at) => {
                    if let Some(h) = ind
                        .comment
                        .as_ref()
                        .and_then(|c| code_hover(text, c, at, &lines))
                    {
                        return Some(h);
                    }
                    if contains(ind.category.span, at) {
                        return category_hover(&ind.category.value, lang)
                            .map(|v| markdown(v, Some(lines.range(ind.category.span))));
                    }
                    let unit = match &ind.value.value {
                        ValueLit::Number { unit: Some(u), .. }
                        | ValueLit::Range { unit: Some(u), .. } => Some(u),
                        _ => None,
                    };
                    if let Some(u) = unit.filter(|u| contains(u.span, at)) {
                        let resolved = units.resolve(&u.value).ok()?;
                        let (dim, canon) = (
                            match lang {
                                Lang::Zh => resolved.dimension.name_zh(),
                                Lang::En => resolved.dimension.name_en(),
                            },
                            &resolved.canonical,
                        );
                        let v = match lang {
                            Lang::Zh => format!("计量单位 **{canon}**（量纲：{dim}）"),
                            Lang::En => format!("unit **{canon}** (dimension: {dim})"),
                        };
                        return Some(markdown(v, Some(lines.range(u.span))));
                    }
                    return None;
                }
                other => {
                    let key = match other {
                        ProjectItem::Field(f) => Some(&f.key),
                        ProjectItem::Period(p) => Some(&p.key),
                        ProjectItem::Goal(g) => Some(&g.key),
                        _ => None,
                    };
                    if let Some(h) = key.and_then(|k| key_hover(k, at, &lines, lang)) {
                        return Some(h);
                    }
                    if let Some(h) =
                        item_comment(other).and_then(|c| code_hover(text, c, at, &lines))
                    {
                        return Some(h);
                    }
                }
            }
        }
        return None;
    }
    None
}

/// A keyword: what it means on the form and an example line, from the vocabulary.
fn key_hover(
    key: &syntax::Spanned<String>,
    at: usize,
    lines: &Lines<'_>,
    lang: Lang,
) -> Option<Hover> {
    if !contains(key.span, at) {
        return None;
    }
    let spec = keys::Key::from_word(&key.value)?.spec();
    let doc = match lang {
        Lang::Zh => spec.doc_zh,
        Lang::En => spec.doc_en,
    };
    let v = format!("**{}** — {doc}\n\n`{}`", spec.canonical, spec.example);
    Some(markdown(v, Some(lines.range(key.span))))
}

fn comment_of_top(item: &TopItem) -> Option<&Comment> {
    match item {
        TopItem::Comment(c) => Some(c),
        TopItem::Field(f) => f.comment.as_ref(),
        TopItem::UnitDecl(d) => d.comment.as_ref(),
        _ => None,
    }
}

fn item_comment(item: &ProjectItem) -> Option<&Comment> {
    match item {
        ProjectItem::Comment(c) => Some(c),
        ProjectItem::Field(f) => f.comment.as_ref(),
        ProjectItem::Period(p) => p.comment.as_ref(),
        ProjectItem::Goal(g) => g.comment.as_ref(),
        ProjectItem::Indicator(i) => i.comment.as_ref(),
        _ => None,
    }
}

/// The code under the cursor in a comment (`# perfspec: allow PS307`): its explain page.
fn code_hover(text: &str, c: &Comment, at: usize, lines: &Lines<'_>) -> Option<Hover> {
    if !contains(c.span, at) {
        return None;
    }
    let body = text.get(c.span.range())?;
    let rel = at - c.span.start as usize;
    let is_code_char = |ch: char| ch.is_ascii_alphanumeric();
    let start = body[..rel.min(body.len())]
        .char_indices()
        .rev()
        .take_while(|(_, ch)| is_code_char(*ch))
        .last()
        .map_or(rel, |(i, _)| i);
    let end = body[start..]
        .char_indices()
        .find(|(_, ch)| !is_code_char(*ch))
        .map_or(body.len(), |(i, _)| start + i);
    let word = body.get(start..end)?;
    let rule = diag::lookup(word).filter(|_| word.len() == 5)?;
    let span = Span::new(c.span.start as usize + start, c.span.start as usize + end);
    Some(markdown(rule.doc.to_string(), Some(lines.range(span))))
}

/// 一级 › 二级 and what the category's targets are.
pub fn category_hover(word: &str, lang: Lang) -> Option<String> {
    let (l2, note) = match taxonomy::resolve(word)? {
        taxonomy::Match::Exact(l) => (l, None),
        taxonomy::Match::Alias(l) | taxonomy::Match::Legacy(l) => (
            l,
            Some(match lang {
                Lang::Zh => format!("“{word}” 是旧称或别名，按 {} 处理（PS302）", l.name()),
                Lang::En => format!("“{word}” is an older name, read as {} (PS302)", l.name()),
            }),
        ),
    };
    let (zh, en) = check::expected_target(l2);
    let mut out = format!("**{} › {}**\n\n", l2.level1().name(), l2.name());
    out.push_str(&match lang {
        Lang::Zh => format!("{}的指标值应为{zh}。", l2.name()),
        Lang::En => format!("a {} target is {en}.", l2.name()),
    });
    if let Some(n) = note {
        out.push_str("\n\n");
        out.push_str(&n);
    }
    Some(out)
}

/// The project's money, as the form adds it up, and its cost caps.
fn totals(p: &model::Project, lang: Lang) -> String {
    let f = &p.funding;
    let m = |v: rust_decimal::Decimal| format!("{} 元", format_money(v));
    // Amounts the spec does not state (`资金 待填`) are unknown, not 0.00.
    let unknown = crate::vocab::keys::TO_FILL;
    let fm = |v: rust_decimal::Decimal| if f.given { m(v) } else { unknown.to_string() };
    let caps: rust_decimal::Decimal = p
        .indicators
        .iter()
        .filter(|i| i.level1() == model::Level1::Cost)
        .filter_map(|i| i.target.yuan())
        .sum();
    let (title, rows): (&str, Vec<(&str, String)>) = match lang {
        Lang::Zh => (
            "资金（元）",
            vec![
                ("年度资金申请总额", fm(f.annual_total)),
                ("其中：当年财政拨款", fm(f.appropriation)),
                ("上年结转资金", fm(f.carryover)),
                ("其他资金", fm(f.other)),
                ("金额类成本指标合计", m(caps)),
            ],
        ),
        Lang::En => (
            "Funding (元)",
            vec![
                ("annual request (年度资金申请总额)", fm(f.annual_total)),
                ("appropriation (当年财政拨款)", fm(f.appropriation)),
                ("carried over (上年结转资金)", fm(f.carryover)),
                ("other (其他资金)", fm(f.other)),
                ("money cost caps", m(caps)),
            ],
        ),
    };
    let mut out = format!("**{}** — {title}\n\n| | |\n|---|---:|\n", p.name);
    for (k, v) in rows {
        out.push_str(&format!("| {k} | {v} |\n"));
    }
    if let Some(t) = f.project_total {
        out.push_str(&format!("| 项目资金总额 | {} |\n", m(t)));
    }
    let n = p.indicators.len();
    out.push_str(&match lang {
        Lang::Zh => format!("\n{n} 条绩效指标"),
        Lang::En => format!("\n{n} indicators"),
    });
    out
}
