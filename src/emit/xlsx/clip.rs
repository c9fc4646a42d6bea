//! Texts too long for a cell: Excel refuses a cell over 32,767 characters, so an absurdly
//! long name or goal is cut (and ended with `…`) before the workbook is laid out.

use crate::model::{ActualValue, Model, Project, Target};

/// Longest text a cell gets from one field of a spec, in characters: Excel refuses a cell
/// over 32,767, and a few cells join a field with fixed words (a title, a value and its
/// unit), so some room is left.
const MAX_FIELD_CHARS: usize = 32_000;

/// The model with every text longer than [`MAX_FIELD_CHARS`] cut and ended with `…`, so an
/// absurdly long name or goal gives a workbook instead of no output at all. JSON and CSV
/// keep the whole text.
/// Borrowed when nothing is too long (always, in practice): a city's model is not copied.
pub(super) fn clip_texts(model: &Model) -> std::borrow::Cow<'_, Model> {
    use std::sync::Arc;
    fn long(s: &str) -> bool {
        // Any byte length at most the limit is at most the limit in characters too.
        s.len() > MAX_FIELD_CHARS && s.chars().count() > MAX_FIELD_CHARS
    }
    /// `s` cut to the limit and ended with `…`, if it is over it.
    fn clipped(s: &str) -> Option<String> {
        if !long(s) {
            return None;
        }
        let cut = s.char_indices().nth(MAX_FIELD_CHARS - 1)?.0;
        Some(format!("{}…", &s[..cut]))
    }
    /// Clip a text in place, whatever owns it (`String`, `Box<str>`, `Arc<str>`).
    fn clip<T: std::ops::Deref<Target = str> + From<String>>(s: &mut T) {
        if let Some(c) = clipped(s) {
            *s = c.into();
        }
    }
    fn clip_unit(u: &mut Arc<crate::model::Unit>) {
        if long(&u.spelling) || long(&u.canonical) {
            let u = Arc::make_mut(u);
            clip(&mut u.spelling);
            clip(&mut u.canonical);
        }
    }
    /// Every text of a project that goes into a cell.
    fn texts(p: &Project) -> impl Iterator<Item = &str> {
        [
            &*p.name,
            &p.department,
            &p.unit,
            &p.nature,
            &p.kind,
            &p.goal_annual,
        ]
        .into_iter()
        .chain(p.goal_total.as_deref())
        .chain(p.indicators.iter().flat_map(|i| {
            let unit = i.target.unit();
            let text = match &i.target {
                Target::Qualitative { text } => Some(text.as_str()),
                _ => None,
            };
            let a = i.assessment.as_deref();
            let actual = a
                .and_then(|a| a.actual.as_ref())
                .and_then(|x| match &x.value {
                    ActualValue::Text(t) => Some(t.as_str()),
                    ActualValue::Quantity { unit, .. } => Some(&*unit.spelling),
                    ActualValue::Date(_) => None,
                });
            [
                Some(&*i.name),
                unit.map(|u| &*u.spelling),
                unit.map(|u| &*u.canonical),
                text,
                actual,
                a.and_then(|a| a.deviation.as_deref()),
            ]
            .into_iter()
            .flatten()
        }))
        .chain(
            p.evaluation
                .as_deref()
                .into_iter()
                .flat_map(|e| [e.outcome.as_deref(), e.grade_written.as_deref()])
                .flatten(),
        )
    }
    if !model.projects.iter().any(|p| texts(p).any(long)) {
        return std::borrow::Cow::Borrowed(model);
    }
    let mut m = model.clone();
    for p in &mut m.projects {
        for s in [
            &mut p.name,
            &mut p.department,
            &mut p.unit,
            &mut p.nature,
            &mut p.kind,
            &mut p.goal_annual,
        ] {
            clip(s);
        }
        if let Some(g) = &mut p.goal_total {
            clip(g);
        }
        if let Some(e) = &mut p.evaluation {
            for t in [&mut e.outcome, &mut e.grade_written].into_iter().flatten() {
                clip(t);
            }
        }
        for i in &mut p.indicators {
            if let Some(a) = &mut i.assessment {
                if let Some(d) = &mut a.deviation {
                    clip(d);
                }
                match a.actual.as_mut().map(|x| &mut x.value) {
                    Some(ActualValue::Text(t)) => clip(t),
                    Some(ActualValue::Quantity { unit, .. }) => clip_unit(unit),
                    _ => {}
                }
            }
            clip(&mut i.name);
            match &mut i.target {
                Target::Quantity { unit, .. } => clip_unit(unit),
                Target::Range(r) => clip_unit(&mut r.unit),
                Target::Qualitative { text } => clip(text),
                Target::Date { .. } => {}
            }
        }
    }
    std::borrow::Cow::Owned(m)
}
