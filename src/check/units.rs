//! Units and their dimensions. A spec may declare more with `计量单位 株 计数`.

use super::taxonomy::similarity;
use crate::model::{Dimension, Unit};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// (spelling, canonical, dimension, 元 per unit for money)
const BUILTIN: &[(&str, &str, Dimension, i64)] = {
    use Dimension::*;
    &[
        ("元", "元", Money, 1),
        ("千元", "千元", Money, 1_000),
        ("万元", "万元", Money, 10_000),
        ("亿元", "亿元", Money, 100_000_000),
        ("%", "%", Percent, 0),
        ("百分比", "%", Percent, 0),
        ("百分点", "百分点", Percent, 0),
        ("分", "分", Score, 0),
        ("小时", "小时", Duration, 0),
        ("分钟", "分钟", Duration, 0),
        ("秒", "秒", Duration, 0),
        ("天", "天", Duration, 0),
        ("日", "天", Duration, 0),
        ("工作日", "工作日", Duration, 0),
        ("个工作日", "工作日", Duration, 0),
        ("周", "周", Duration, 0),
        ("月", "月", Duration, 0),
        ("个月", "月", Duration, 0),
        ("季度", "季度", Duration, 0),
        ("年", "年", Duration, 0),
        ("学时", "学时", Duration, 0),
        ("课时", "课时", Duration, 0),
        ("平方米", "平方米", Area, 0),
        ("㎡", "平方米", Area, 0),
        ("m²", "平方米", Area, 0),
        ("m2", "平方米", Area, 0),
        ("万平方米", "万平方米", Area, 0),
        ("平方公里", "平方公里", Area, 0),
        ("亩", "亩", Area, 0),
        ("公顷", "公顷", Area, 0),
        ("米", "米", Length, 0),
        ("m", "米", Length, 0),
        ("公里", "公里", Length, 0),
        ("千米", "公里", Length, 0),
        ("km", "公里", Length, 0),
        ("吨", "吨", Weight, 0),
        ("万吨", "万吨", Weight, 0),
        ("千克", "千克", Weight, 0),
        ("公斤", "千克", Weight, 0),
        ("立方米", "立方米", Volume, 0),
        ("m³", "立方米", Volume, 0),
        ("方", "立方米", Volume, 0),
        ("升", "升", Volume, 0),
    ]
};

/// Counting words: each is its own canonical unit of dimension Count.
const COUNTS: &[&str] = &[
    "次",
    "件",
    "份",
    "册",
    "份(册)",
    "批",
    "批次",
    "期",
    "期次",
    "个",
    "个次",
    "人",
    "人次",
    "万人次",
    "名",
    "位",
    "户",
    "家",
    "项",
    "场",
    "场次",
    "台",
    "台次",
    "套",
    "辆",
    "车次",
    "班次",
    "条",
    "篇",
    "本",
    "张",
    "座",
    "处",
    "所",
    "只",
    "头",
    "棵",
    "株",
    "盆",
    "块",
    "类",
    "轮",
    "单",
    "起",
    "宗",
    "例",
    "组",
    "部",
    "幅",
    "个数",
    "篇次",
    "课",
    "节",
    "门",
    "种",
    "批",
    "幢",
    "栋",
    "间",
    "根",
    "盏",
    "箱",
    "袋",
    "桶",
    "页",
    "版",
    "集",
    "期刊",
    "份次",
    "家次",
    "项次",
    "户次",
    "人天",
    "人日",
    "人月",
    "万件",
    "万人",
    "万户",
    "万份",
    "万次",
    "千人次",
];

/// Every built-in spelling with its dimension, in table order (money and the commonest
/// units first): what an editor offers as units.
pub fn builtin_units() -> impl Iterator<Item = (&'static str, Dimension)> {
    BUILTIN
        .iter()
        .map(|(s, _, d, _)| (*s, *d))
        .chain(COUNTS.iter().map(|s| (*s, Dimension::Count)))
}

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

/// One spelling per unit: no spaces, ASCII brackets and percent sign.
pub fn normalize_spelling(s: &str) -> String {
    s.chars()
        .filter(|c| !crate::syntax::is_ws(*c))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '％' => '%',
            '／' => '/',
            c => c,
        })
        .collect()
}

/// `计量单位 株 计数`: the dimension words a declaration may use.
pub fn dimension_from_word(w: &str) -> Option<Dimension> {
    Dimension::ALL
        .into_iter()
        .find(|d| d.name_zh() == w || d.name_en() == w)
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
