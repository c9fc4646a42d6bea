//! Document symbols (the outline): the header fields, each project with its fields, period,
//! funding block and goals, and its indicators grouped by 一级 category.

use super::position::Lines;
use crate::syntax::{self, FundingItem, ProjectItem, Span, TopItem};
use crate::vocab::{taxonomy, Level1};
use lsp_types::{DocumentSymbol, SymbolKind};

#[allow(deprecated)] // `deprecated` is a required field of the struct, itself deprecated
fn symbol(
    lines: &Lines<'_>,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    selection: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    // Editors refuse a symbol with an empty name.
    let name = match syntax::normalize_spaces(name) {
        n if n.is_empty() => "—".to_string(),
        n => n,
    };
    let range = lines.range(span);
    let mut selection_range = lines.range(selection);
    // The selection must lie inside the range.
    if selection.start < span.start || selection.end > span.end {
        selection_range = range;
    }
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}

fn field_symbol(lines: &Lines<'_>, f: &syntax::Field) -> DocumentSymbol {
    symbol(
        lines,
        &f.key.value,
        Some(f.value.value.clone()),
        SymbolKind::PROPERTY,
        f.span,
        f.key.span,
        Vec::new(),
    )
}

pub fn document_symbols(text: &str, tree: &syntax::SourceFile) -> Vec<DocumentSymbol> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    for item in &tree.items {
        match item {
            TopItem::Field(f) => out.push(field_symbol(&lines, f)),
            TopItem::UnitDecl(d) => out.push(symbol(
                &lines,
                &d.unit.value,
                Some(format!("计量单位 {}", d.dimension.value)),
                SymbolKind::CONSTANT,
                d.span,
                d.unit.span,
                Vec::new(),
            )),
            TopItem::Project(p) => out.push(project_symbol(&lines, p)),
            _ => {}
        }
    }
    out
}

fn project_symbol(lines: &Lines<'_>, p: &syntax::Project) -> DocumentSymbol {
    let mut children = Vec::new();
    let mut groups: Vec<(Option<Level1>, Vec<&syntax::Indicator>)> = Vec::new();
    for item in &p.items {
        match item {
            ProjectItem::Field(f) => children.push(field_symbol(lines, f)),
            ProjectItem::Period(per) => {
                let detail = match &per.end {
                    Some(e) => format!("{} 至 {}", per.start.value, e.value),
                    None => per.start.value.to_string(),
                };
                children.push(symbol(
                    lines,
                    &per.key.value,
                    Some(detail),
                    SymbolKind::EVENT,
                    per.span,
                    per.key.span,
                    Vec::new(),
                ));
            }
            ProjectItem::Funding(f) => {
                let entries = f
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        FundingItem::Entry(e) => Some(symbol(
                            lines,
                            &e.key.value,
                            Some(e.amount.value.value.to_string()),
                            SymbolKind::NUMBER,
                            e.span,
                            e.key.span,
                            Vec::new(),
                        )),
                        _ => None,
                    })
                    .collect();
                let head = Span::new(f.span.start as usize, f.span.start as usize);
                children.push(symbol(
                    lines,
                    "资金",
                    None,
                    SymbolKind::OBJECT,
                    f.span,
                    head,
                    entries,
                ));
            }
            ProjectItem::Goal(g) => children.push(symbol(
                lines,
                &g.key.value,
                Some(g.text.value.chars().take(40).collect()),
                SymbolKind::STRING,
                g.span,
                g.key.span,
                Vec::new(),
            )),
            ProjectItem::Indicator(ind) => {
                let l1 = match taxonomy::resolve(&ind.category.value) {
                    Some(
                        taxonomy::Match::Exact(l)
                        | taxonomy::Match::Alias(l)
                        | taxonomy::Match::Legacy(l),
                    ) => Some(l.level1()),
                    None => None,
                };
                match groups.iter_mut().find(|g| g.0 == l1) {
                    Some(g) => g.1.push(ind),
                    None => groups.push((l1, vec![ind])),
                }
            }
            _ => {}
        }
    }
    // The form's order of 一级 categories; unknown categories last.
    groups.sort_by_key(|g| {
        g.0.map_or(usize::MAX, |l| {
            Level1::ALL.iter().position(|x| *x == l).unwrap_or(0)
        })
    });
    for (l1, inds) in groups {
        let name = l1.map_or("未知类别", |l| l.name());
        let start = inds.iter().map(|i| i.span.start).min().unwrap_or(0);
        let end = inds.iter().map(|i| i.span.end).max().unwrap_or(0);
        let items = inds
            .iter()
            .map(|ind| {
                let name = &ind.name.value;
                symbol(
                    lines,
                    name,
                    Some(ind.category.value.clone()),
                    SymbolKind::FIELD,
                    ind.span,
                    ind.name.span,
                    Vec::new(),
                )
            })
            .collect();
        let first = inds.first().map_or(Span::default(), |i| i.category.span);
        children.push(symbol(
            lines,
            name,
            Some(format!("{} 条", inds.len())),
            SymbolKind::ARRAY,
            Span::new(start as usize, end as usize),
            first,
            items,
        ));
    }
    symbol(
        lines,
        &p.name.value,
        Some("项目".to_string()),
        SymbolKind::MODULE,
        p.span,
        p.name.span,
        children,
    )
}
