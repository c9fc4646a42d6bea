//! Go to definition. The one name in a spec that refers to another place is a declared
//! unit: `计量单位 株 计数` at the top of the file, used by `≥ 500 株` (alone or in a
//! compound such as `元/株`).

use super::position::Lines;
use crate::syntax::{self, ProjectItem, TopItem, ValueLit};
use crate::vocab::units::normalize_spelling;
use lsp_types::{Location, Position, Uri};

pub fn definition(
    text: &str,
    tree: &syntax::SourceFile,
    uri: &Uri,
    pos: Position,
) -> Option<Location> {
    let lines = Lines::new(text);
    let at = lines.offset(pos);
    let mut used = None;
    for item in &tree.items {
        let TopItem::Project(p) = item else { continue };
        for i in &p.items {
            let ProjectItem::Indicator(ind) = i else {
                continue;
            };
            let unit = match &ind.value.value {
                ValueLit::Number { unit: Some(u), .. } | ValueLit::Range { unit: Some(u), .. } => u,
                _ => continue,
            };
            if unit.span.start as usize <= at && at <= unit.span.end as usize {
                used = Some(normalize_spelling(&unit.value));
            }
        }
    }
    let used = used?;
    let parts: Vec<&str> = used.split('/').collect();
    tree.items.iter().find_map(|item| match item {
        TopItem::UnitDecl(d) if parts.contains(&normalize_spelling(&d.unit.value).as_str()) => {
            Some(Location::new(uri.clone(), lines.range(d.unit.span)))
        }
        _ => None,
    })
}
