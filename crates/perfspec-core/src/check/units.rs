//! Resolving a written unit against the vocabulary's table and a file's own declarations.

use crate::model::Unit;
pub use crate::vocab::units::{dimension_from_word, normalize_spelling};
use crate::vocab::units::{BUILTIN, COUNTS};
use crate::vocab::{taxonomy::similarity, Dimension};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

pub struct UnitTable {
    extra: HashMap<String, Dimension>,
    /// Every unit resolved so far, by normalized spelling: the indicators of a file share
    /// one `Unit` per spelling instead of two fresh strings each.
    resolved: RefCell<HashMap<String, Arc<Unit>>>,
}

/// Why a unit could not be resolved.
pub enum UnitError {
    Unknown,
}

/// The unit of a number whose unit the source form does not give (`≥ 100 待填`): no
/// spelling, dimension [`Dimension::Unknown`].
pub fn unknown_unit() -> Arc<Unit> {
    Arc::new(Unit {
        spelling: Arc::from(""),
        canonical: Arc::from(""),
        dimension: Dimension::Unknown,
        yuan_factor: None,
    })
}

impl UnitTable {
    pub fn new() -> Self {
        UnitTable {
            extra: HashMap::new(),
            resolved: RefCell::new(HashMap::new()),
        }
    }

    /// Declare a unit; returns the dimension it already had when it is built in.
    pub fn declare(&mut self, spelling: &str, dim: Dimension) -> Option<Dimension> {
        let norm = normalize_spelling(spelling);
        if let Some(u) = self.builtin(&norm) {
            return Some(u.dimension);
        }
        // A compound unit resolved before (`元/株`) may have used the old meaning.
        self.resolved.borrow_mut().clear();
        self.extra.insert(norm, dim);
        None
    }

    fn builtin(&self, s: &str) -> Option<Unit> {
        if let Some((sp, canon, dim, f)) = BUILTIN.iter().find(|(sp, ..)| *sp == s) {
            return Some(Unit {
                spelling: Arc::from(*sp),
                canonical: Arc::from(*canon),
                dimension: *dim,
                yuan_factor: (*f > 0).then(|| Decimal::from(*f)),
            });
        }
        if COUNTS.contains(&s) {
            return Some(simple(s, Dimension::Count));
        }
        None
    }

    fn atom(&self, s: &str) -> Option<Unit> {
        self.builtin(s)
            .or_else(|| self.extra.get(s).map(|d| simple(s, *d)))
    }

    /// Resolve a unit as written. Compound units `A/B` take their dimension from both sides.
    pub fn resolve(&self, written: &str) -> Result<Arc<Unit>, UnitError> {
        let s = normalize_spelling(written);
        if let Some(u) = self.resolved.borrow().get(&s) {
            return Ok(Arc::clone(u));
        }
        let u = Arc::new(self.resolve_new(&s)?);
        self.resolved.borrow_mut().insert(s, Arc::clone(&u));
        Ok(u)
    }

    fn resolve_new(&self, s: &str) -> Result<Unit, UnitError> {
        if let Some(u) = self.atom(s) {
            return Ok(u);
        }
        let (num, den) = s.split_once('/').ok_or(UnitError::Unknown)?;
        let n = self.atom(num).ok_or(UnitError::Unknown)?;
        let d = self.atom(den).ok_or(UnitError::Unknown)?;
        use Dimension::*;
        let dimension = match (n.dimension, d.dimension) {
            (Money, _) => UnitCost,
            (Duration, Duration) => DurationRate,
            (Percent, _) | (_, Money) | (_, Percent) => return Err(UnitError::Unknown),
            _ => Rate,
        };
        Ok(Unit {
            canonical: Arc::from(format!("{}/{}", n.canonical, d.canonical)),
            spelling: Arc::from(s),
            dimension,
            yuan_factor: None,
        })
    }

    /// The closest known spellings, for a did-you-mean.
    pub fn suggest(&self, written: &str) -> Vec<String> {
        let s = normalize_spelling(written);
        let (prefix, tail) = match s.rsplit_once('/') {
            Some((a, b)) if self.atom(a).is_some() => (format!("{a}/"), b.to_string()),
            _ => (String::new(), s.clone()),
        };
        let mut all: Vec<&str> = BUILTIN
            .iter()
            .map(|b| b.0)
            .chain(COUNTS.iter().copied())
            .collect();
        let mut extra: Vec<&str> = self.extra.keys().map(|k| k.as_str()).collect();
        extra.sort_unstable();
        all.extend(extra);
        // Ties are common between two-character units. They go to the candidate that keeps
        // the first character and the length of what was typed (万园 → 万元, not 万人; 人欠 →
        // 人次), then to table order, which lists money and the commonest units first.
        let first = tail.chars().next();
        let len = tail.chars().count();
        let mut scored: Vec<(f64, bool, bool, usize, &str)> = all
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let same_first = c.chars().next() == first;
                let same_len = c.chars().count() == len;
                (similarity(&tail, c), same_first, same_len, i, c)
            })
            .filter(|x| x.0 >= 0.5)
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(b.2.cmp(&a.2))
                .then(a.3.cmp(&b.3))
        });
        let mut out: Vec<String> = Vec::new();
        for (.., c) in scored {
            let s = format!("{prefix}{c}");
            if !out.contains(&s) {
                out.push(s);
            }
            if out.len() == 3 {
                break;
            }
        }
        out
    }
}

impl Default for UnitTable {
    fn default() -> Self {
        Self::new()
    }
}

fn simple(s: &str, dim: Dimension) -> Unit {
    Unit {
        spelling: Arc::from(s),
        canonical: Arc::from(s),
        dimension: dim,
        yuan_factor: None,
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    /// Resolved units are cached per file; a declaration made later must not leave an
    /// earlier meaning behind, for the unit itself or for a compound that uses it.
    #[test]
    fn a_later_declaration_replaces_cached_units() {
        let mut t = UnitTable::new();
        t.declare("工时", Dimension::Duration);
        let dim = |t: &UnitTable, s: &str| t.resolve(s).ok().map(|u| u.dimension);
        assert_eq!(dim(&t, "工时"), Some(Dimension::Duration));
        assert_eq!(dim(&t, "小时/工时"), Some(Dimension::DurationRate));
        t.declare("工时", Dimension::Count);
        assert_eq!(dim(&t, "工时"), Some(Dimension::Count));
        assert_eq!(dim(&t, "小时/工时"), Some(Dimension::Rate));
        // One shared unit per spelling.
        let a = t.resolve("万元").ok().unwrap();
        let b = t.resolve(" 万元").ok().unwrap();
        assert!(std::sync::Arc::ptr_eq(&a, &b));
    }
}
