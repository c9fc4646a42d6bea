//! Completion from the checker's own tables: keys (header, project, funding), 二级 categories
//! at the start of an indicator line, the usual 性质 and 类别 values, units after a number
//! (only those whose dimension fits the line's category), comparators, and codes in an
//! allow comment. No word is listed here: each comes from the grammar's keywords, the
//! taxonomy, the unit table or the rule registry.

use super::position::Lines;
use crate::check::{self, taxonomy, units};
use crate::diag::{Lang, RULES};
use crate::model::Level2;
use crate::syntax::{self, is_ws, Op, ProjectItem, TopItem};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Position, Range, TextEdit,
};
use std::sync::OnceLock;

/// Where the cursor is, by block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Block {
    Top,
    Project,
    Funding,
}

/// Which keywords start a statement where: found by parsing a probe line with each of the
/// grammar's keywords ([`syntax::FIELD_WORDS`]), so the lists follow the grammar.
struct Keys {
    header: Vec<&'static str>,
    project: Vec<&'static str>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let top = |w: &str| {
            let (tree, _) = syntax::parse(&format!("{w} 值 计数\n"));
            matches!(
                tree.items.first(),
                Some(TopItem::Field(_) | TopItem::UnitDecl(_))
            )
        };
        let inner = |w: &str| {
            ["2026-01-01 至 2026-12-31", "{\n  }"].iter().any(|rest| {
                let (tree, _) = syntax::parse(&format!("项目 p {{\n  {w} {rest}\n}}\n"));
                tree.items.iter().any(|i| match i {
                    TopItem::Project(p) => p.items.iter().any(|i| {
                        matches!(
                            i,
                            ProjectItem::Field(_)
                                | ProjectItem::Period(_)
                                | ProjectItem::Goal(_)
                                | ProjectItem::Funding(_)
                        )
                    }),
                    _ => false,
                })
            })
        };
        Keys {
            header: syntax::FIELD_WORDS
                .iter()
                .copied()
                .filter(|w| top(w))
                .collect(),
            project: syntax::FIELD_WORDS
                .iter()
                .copied()
                .filter(|w| inner(w))
                .collect(),
        }
    })
}

/// The block that holds byte offset `at`: inside a block means after its opening line and
/// before its closing `}` line.
fn block_at(text: &str, tree: &syntax::SourceFile, at: usize) -> Block {
    let open_line_end = |start: u32| {
        let start = (start as usize).min(text.len());
        text[start..].find('\n').map_or(text.len(), |i| start + i)
    };
    let inside = |span: syntax::Span, close: Option<syntax::Span>| {
        at > open_line_end(span.start)
            && at <= span.end as usize
            && !close.is_some_and(|c| at >= c.start as usize)
    };
    for item in &tree.items {
        let TopItem::Project(p) = item else { continue };
        if !inside(p.span, p.close) {
            continue;
        }
        for i in &p.items {
            if let ProjectItem::Funding(f) = i {
                if inside(f.span, f.close) {
                    return Block::Funding;
                }
            }
        }
        return Block::Project;
    }
    Block::Top
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: Option<String>,
    replace: Range,
    order: usize,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        sort_text: Some(format!("{order:04}")),
        filter_text: Some(label.to_string()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            replace,
            label.to_string(),
        ))),
        ..CompletionItem::default()
    }
}

const COMPARATOR_CHARS: &[char] = &[
    '=', '＝', '≥', '≤', '≧', '≦', '⩾', '⩽', '>', '<', '＞', '＜',
];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn level2_of(word: &str) -> Option<Level2> {
    match taxonomy::resolve(word)? {
        taxonomy::Match::Exact(l) | taxonomy::Match::Alias(l) | taxonomy::Match::Legacy(l) => {
            Some(l)
        }
    }
}

fn category_detail(l: Level2, lang: Lang) -> String {
    let (zh, en) = check::expected_target(l);
    let what = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    format!("{} › {}：{what}", l.level1().name(), l.name())
}

pub fn complete(text: &str, pos: Position, lang: Lang) -> Vec<CompletionItem> {
    let lines = Lines::new(text);
    let at = lines.offset(pos);
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = &text[line_start..at];
    let (tree, _) = syntax::parse(text);
    let block = block_at(text, &tree, at);

    // The word being typed: from the last white space (or line start) to the cursor.
    let word_start = prefix
        .char_indices()
        .rev()
        .find(|(_, c)| is_ws(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let replace = Range::new(lines.position(line_start + word_start), pos);
    let body = prefix.trim_start_matches(is_ws);
    let words: Vec<&str> = body.split(is_ws).filter(|w| !w.is_empty()).collect();
    let first_word = !body.contains(is_ws);

    // An allow comment: the codes.
    if let Some(hash) = prefix.find('#') {
        let comment = &prefix[hash + 1..];
        if comment.trim_start().starts_with("perfspec:") && comment.contains("allow") {
            return RULES
                .iter()
                .filter(|r| r.severity == crate::diag::Severity::Warning)
                .enumerate()
                .map(|(i, r)| {
                    let title = match lang {
                        Lang::Zh => r.title_zh,
                        Lang::En => r.title_en,
                    };
                    item(
                        r.code,
                        CompletionItemKind::VALUE,
                        Some(title.into()),
                        replace,
                        i,
                    )
                })
                .collect();
        }
        return Vec::new();
    }

    let keys = keys();
    if first_word {
        return match block {
            Block::Top => {
                let mut out: Vec<CompletionItem> = keys
                    .header
                    .iter()
                    .enumerate()
                    .map(|(i, k)| item(k, CompletionItemKind::KEYWORD, None, replace, i))
                    .collect();
                out.push(item(
                    "项目",
                    CompletionItemKind::KEYWORD,
                    Some("项目 名称 { … }".into()),
                    replace,
                    out.len(),
                ));
                out
            }
            Block::Funding => check::funding_keys()
                .enumerate()
                .map(|(i, k)| item(k, CompletionItemKind::FIELD, None, replace, i))
                .collect(),
            Block::Project => {
                let cats = Level2::ALL.iter().enumerate().map(|(i, l)| {
                    item(
                        l.short(),
                        CompletionItemKind::ENUM_MEMBER,
                        Some(category_detail(*l, lang)),
                        replace,
                        i,
                    )
                });
                let n = Level2::ALL.len();
                cats.chain(
                    keys.project
                        .iter()
                        .enumerate()
                        .map(|(i, k)| item(k, CompletionItemKind::KEYWORD, None, replace, n + i)),
                )
                .collect()
            }
        };
    }

    if block != Block::Project {
        return Vec::new();
    }
    let first = words.first().copied().unwrap_or("");
    // The usual values of 性质 and 类别.
    if words.len() <= 2 && (words.len() == 1 || !prefix.ends_with(is_ws)) {
        let set = match first {
            "性质" | "项目性质" => Some(check::NATURES),
            "类别" | "项目类别" => Some(check::KINDS),
            _ => None,
        };
        if let Some(set) = set {
            return set
                .iter()
                .enumerate()
                .map(|(i, v)| item(v, CompletionItemKind::ENUM_MEMBER, None, replace, i))
                .collect();
        }
    }
    if keys.project.contains(&first) {
        return Vec::new();
    }
    let level2 = level2_of(first);

    // After a number: units. The partial unit is what follows the last digit.
    let rest = &body[first.len()..];
    let partial_len: usize = rest
        .chars()
        .rev()
        .take_while(|c| !is_ws(*c) && !is_digit(*c) && !COMPARATOR_CHARS.contains(c))
        .map(char::len_utf8)
        .sum();
    let before = rest[..rest.len() - partial_len].trim_end_matches(is_ws);
    if words.len() >= 3 && before.ends_with(is_digit) {
        let start = at - partial_len;
        let replace = Range::new(lines.position(start), pos);
        return unit_items(&tree, level2, replace, lang);
    }
    // After the name: comparators, when the line has none yet.
    if words.len() >= 2 && prefix.ends_with(is_ws) && !rest.contains(COMPARATOR_CHARS) {
        return [Op::Ge, Op::Le, Op::Eq, Op::Gt, Op::Lt]
            .iter()
            .enumerate()
            .map(|(i, op)| {
                item(
                    op.symbol(),
                    CompletionItemKind::OPERATOR,
                    Some(op.ascii().into()),
                    replace,
                    i,
                )
            })
            .collect();
    }
    Vec::new()
}

/// The built-in units and the file's declared ones whose dimension fits the category
/// (every unit when the category is not known).
fn unit_items(
    tree: &syntax::SourceFile,
    level2: Option<Level2>,
    replace: Range,
    lang: Lang,
) -> Vec<CompletionItem> {
    let declared = tree.items.iter().filter_map(|i| match i {
        TopItem::UnitDecl(d) => {
            units::dimension_from_word(&d.dimension.value).map(|dim| (d.unit.value.clone(), dim))
        }
        _ => None,
    });
    let all: Vec<(String, crate::model::Dimension)> = units::builtin_units()
        .map(|(s, d)| (s.to_string(), d))
        .chain(declared)
        .collect();
    let mut seen = std::collections::HashSet::new();
    all.into_iter()
        .filter(|(_, d)| level2.map_or(true, |l| check::unit_fits(l, *d)))
        .filter(|(s, _)| seen.insert(s.clone()))
        .enumerate()
        .map(|(i, (s, d))| {
            let dim = match lang {
                Lang::Zh => d.name_zh(),
                Lang::En => d.name_en(),
            };
            item(&s, CompletionItemKind::UNIT, Some(dim.into()), replace, i)
        })
        .collect()
}
