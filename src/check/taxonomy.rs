//! The national indicator framework: which 二级 category a spec's word names, and which 一级
//! it belongs to.

use crate::model::Level2;

/// How a written category was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The framework's own name, with or without 指标.
    Exact(Level2),
    /// A variant seen on older or other provinces' forms; accepted with a warning.
    Alias(Level2),
    /// The pre-2021 framework, where 成本 was a 二级 category under 产出.
    Legacy(Level2),
}

const ALIASES: &[(&str, Level2)] = &[
    ("环境效益", Level2::EcologicalBenefit),
    ("生态环境效益", Level2::EcologicalBenefit),
    ("进度", Level2::Timeliness),
    ("社会公众或服务对象满意度", Level2::Satisfaction),
    ("社会公众满意度", Level2::Satisfaction),
    ("满意度", Level2::Satisfaction),
    ("生态成本", Level2::EcologicalCost),
    ("环境成本", Level2::EcologicalCost),
];

pub fn resolve(word: &str) -> Option<Match> {
    let base = strip_zhibiao(word);
    if let Some(l2) = Level2::ALL.iter().find(|l| l.short() == base) {
        return Some(Match::Exact(*l2));
    }
    if let Some((_, l2)) = ALIASES.iter().find(|(a, _)| *a == base) {
        return Some(Match::Alias(*l2));
    }
    if base == "成本" {
        return Some(Match::Legacy(Level2::EconomicCost));
    }
    None
}

/// `word` without any trailing 指标: `trim_end_matches("指标")` without building a
/// substring searcher, which showed up in profiles (this runs once per indicator).
fn strip_zhibiao(word: &str) -> &str {
    let mut base = word;
    while let Some(b) = base.strip_suffix("指标") {
        base = b;
    }
    base
}

/// The closest known category names, for a did-you-mean.
pub fn suggest(word: &str) -> Vec<&'static str> {
    let base = word.trim_end_matches("指标");
    let mut scored: Vec<(f64, &'static str)> = Level2::ALL
        .iter()
        .map(|l| (similarity(base, l.short()), l.short()))
        .filter(|(s, _)| *s > 0.3)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Similarity over characters (not bytes), so `数两` is close to `数量`.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let dist = strsim::generic_levenshtein(&a, &b) as f64;
    let len = a.len().max(b.len()).max(1) as f64;
    1.0 - dist / len
}
