//! Completion from the checker's own tables: keys (header, project, funding), 二级 categories
//! at the start of an indicator line, the usual 性质 and 类别 values, units after a number
//! (only those whose dimension fits the line's category), comparators, and codes in an
//! allow comment, template names after `模板`. No word is listed here: each comes from the
//! vocabulary (`src/vocab/`) or the rule registry.

use super::position::Lines;
use crate::check;
use crate::diag::{Lang, RULES};
use crate::syntax::{self, is_ws, ProjectItem, TopItem};
use crate::vocab::evaluation::EXEC_ROWS;
use crate::vocab::{funding, keys, taxonomy, templates, units, Level2, Op};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Position, Range, TextEdit,
};

/// Where the cursor is, by block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Block {
    Top,
    Project,
    Funding,
    /// `预算执行 { … }`
    Execution,
}

/// A keyword's spellings (canonical first) allowed in a block, from the vocabulary.
fn keys_for(block: Block) -> impl Iterator<Item = &'static keys::KeySpec> {
    keys::KEYS.iter().filter(move |k| match block {
        Block::Top => matches!(k.place, keys::Place::Header | keys::Place::Both),
        // The year-end lines (实际完成值, 分值, 得分, 偏差原因) go under an indicator line.
        Block::Project => matches!(
            k.place,
            keys::Place::Project | keys::Place::Both | keys::Place::Detail
        ),
        Block::Funding | Block::Execution => false,
    })
}

fn key_item(
    k: &keys::KeySpec,
    spelling: &str,
    replace: Range,
    order: usize,
    lang: Lang,
) -> CompletionItem {
    let doc = match lang {
        Lang::Zh => k.doc_zh,
        Lang::En => k.doc_en,
    };
    let mut it = item(
        spelling,
        CompletionItemKind::KEYWORD,
        Some(format!("{doc} — {}", k.example)),
        replace,
        order,
    );
    // Aliases (the form's labels) after the canonical spellings.
    if spelling != k.canonical {
        it.sort_text = Some(format!("{:04}", 1000 + order));
    }
    it
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
            match i {
                ProjectItem::Funding(f) if inside(f.span, f.close) => return Block::Funding,
                ProjectItem::Execution(f) if inside(f.span, f.close) => return Block::Execution,
                _ => {}
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

pub fn complete(
    text: &str,
    tree: &syntax::SourceFile,
    pos: Position,
    lang: Lang,
) -> Vec<CompletionItem> {
    let lines = Lines::new(text);
    let at = lines.offset(pos);
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = &text[line_start..at];
    let block = block_at(text, tree, at);

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

    if first_word {
        let mut out: Vec<CompletionItem> = Vec::new();
        if block == Block::Project {
            out.extend(Level2::ALL.iter().enumerate().map(|(i, l)| {
                item(
                    l.short(),
                    CompletionItemKind::ENUM_MEMBER,
                    Some(category_detail(*l, lang)),
                    replace,
                    i,
                )
            }));
        }
        if block == Block::Funding {
            out.extend(funding::spec_spellings().enumerate().map(|(i, (k, row))| {
                let detail = match lang {
                    Lang::Zh => row.key().to_string(),
                    Lang::En => row.name_en().to_string(),
                };
                item(k, CompletionItemKind::FIELD, Some(detail), replace, i)
            }));
        }
        if block == Block::Execution {
            out.extend(
                EXEC_ROWS
                    .iter()
                    .enumerate()
                    .flat_map(|(i, r)| {
                        let detail = match lang {
                            Lang::Zh => r.canonical,
                            Lang::En => r.name_en,
                        };
                        std::iter::once(r.canonical)
                            .chain(r.aliases.iter().copied())
                            .map(move |k| (i, k, detail))
                    })
                    .map(|(i, k, detail)| {
                        item(
                            k,
                            CompletionItemKind::FIELD,
                            Some(detail.to_string()),
                            replace,
                            i,
                        )
                    }),
            );
        }
        let base = out.len();
        for (i, k) in keys_for(block).enumerate() {
            for s in std::iter::once(k.canonical).chain(k.aliases.iter().copied()) {
                out.push(key_item(k, s, replace, base + i, lang));
            }
        }
        return out;
    }

    let first = words.first().copied().unwrap_or("");
    let key = keys::Key::from_word(first);
    // The value of a closed field: the usual 性质 and 类别, the template names; and `待填`
    // (PS114) for every field a template may require.
    let to_fill = (
        keys::TO_FILL,
        Some("源表未给出，待填（PS114） · not given by the source form"),
    );
    if words.len() <= 2 && (words.len() == 1 || !prefix.ends_with(is_ws)) {
        let values: Vec<(&str, Option<&str>)> = match key {
            Some(keys::Key::Nature) => keys::NATURES
                .iter()
                .map(|v| (*v, None))
                .chain([to_fill])
                .collect(),
            Some(keys::Key::Kind) => keys::KINDS
                .iter()
                .map(|v| (*v, None))
                .chain([to_fill])
                .collect(),
            Some(
                keys::Key::Year
                | keys::Key::Department
                | keys::Key::Unit
                | keys::Key::Period
                | keys::Key::Funding
                | keys::Key::GoalAnnual
                | keys::Key::GoalTotal,
            ) => vec![to_fill],
            Some(keys::Key::Template) => templates::TEMPLATES
                .iter()
                .map(|t| (t.name, Some(t.title)))
                .collect(),
            _ => Vec::new(),
        };
        if !values.is_empty() {
            return values
                .into_iter()
                .enumerate()
                .map(|(i, (v, d))| {
                    item(
                        v,
                        CompletionItemKind::ENUM_MEMBER,
                        d.map(String::from),
                        replace,
                        i,
                    )
                })
                .collect();
        }
    }
    // `实际完成值 38` under an indicator: the units of that indicator's category.
    if block == Block::Project && key == Some(keys::Key::Actual) {
        let rest = &body[first.len()..];
        let partial_len: usize = rest
            .chars()
            .rev()
            .take_while(|c| !is_ws(*c) && !is_digit(*c))
            .map(char::len_utf8)
            .sum();
        let before = rest[..rest.len() - partial_len].trim_end_matches(is_ws);
        if before.ends_with(is_digit) {
            let replace = Range::new(lines.position(at - partial_len), pos);
            return unit_items(tree, indicator_above(tree, at), replace, lang);
        }
        return Vec::new();
    }
    if block != Block::Project || key.is_some() {
        return Vec::new();
    }
    let level2 = level2_of(first);

    // After a number: units. The partial unit is what follows the last digit.
    let rest = &body[first.len()..];
    let partial_len: usize = rest
        .chars()
        .rev()
        .take_while(|c| !is_ws(*c) && !is_digit(*c) && !crate::vocab::ops::is_op_char(*c))
        .map(char::len_utf8)
        .sum();
    let before = rest[..rest.len() - partial_len].trim_end_matches(is_ws);
    if words.len() >= 3 && before.ends_with(is_digit) {
        let start = at - partial_len;
        let replace = Range::new(lines.position(start), pos);
        return unit_items(tree, level2, replace, lang);
    }
    // After the name: comparators, when the line has none yet.
    if words.len() >= 2 && prefix.ends_with(is_ws) && !rest.contains(crate::vocab::ops::is_op_char)
    {
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

/// The category of the last indicator line before byte offset `at` in its project.
fn indicator_above(tree: &syntax::SourceFile, at: usize) -> Option<Level2> {
    tree.items
        .iter()
        .rev()
        .find_map(|i| match i {
            TopItem::Project(p) if (p.span.start as usize) < at => Some(p),
            _ => None,
        })?
        .items
        .iter()
        .rev()
        .find_map(|i| match i {
            ProjectItem::Indicator(ind) if (ind.span.end as usize) <= at => Some(ind),
            _ => None,
        })
        .and_then(|ind| level2_of(&ind.category.value))
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
    let builtin = units::BUILTIN
        .iter()
        .map(|(s, _, d, _)| (s.to_string(), *d))
        .chain(
            units::COUNTS
                .iter()
                .map(|s| (s.to_string(), crate::vocab::Dimension::Count)),
        );
    let all: Vec<(String, crate::vocab::Dimension)> = builtin.chain(declared).collect();
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
