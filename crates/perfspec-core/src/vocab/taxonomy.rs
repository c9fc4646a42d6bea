//! The national indicator framework: the 一级 and 二级 categories in the form's order, the
//! aliases and legacy names accepted for them, and which category a written word names.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Level1 {
    Cost,
    Output,
    Benefit,
    Satisfaction,
}

impl Level1 {
    pub const ALL: [Level1; 4] = [
        Level1::Cost,
        Level1::Output,
        Level1::Benefit,
        Level1::Satisfaction,
    ];

    /// The full name printed on the form.
    pub fn name(self) -> &'static str {
        match self {
            Level1::Cost => "成本指标",
            Level1::Output => "产出指标",
            Level1::Benefit => "效益指标",
            Level1::Satisfaction => "满意度指标",
        }
    }
    pub fn short(self) -> &'static str {
        self.name().trim_end_matches("指标")
    }
    pub fn english(self) -> &'static str {
        match self {
            Level1::Cost => "cost",
            Level1::Output => "output",
            Level1::Benefit => "benefit",
            Level1::Satisfaction => "satisfaction",
        }
    }
}

/// The 一级 words as forms print them (without 指标): the framework's own, and those of
/// older or regional templates (四川's `项目完成指标` / `项目效益指标`, 广东's `预期产出指标` /
/// `效果指标`).
pub const LEVEL1_WORDS: &[(&str, Level1)] = &[
    ("成本", Level1::Cost),
    ("产出", Level1::Output),
    ("效益", Level1::Benefit),
    ("满意度", Level1::Satisfaction),
    ("效果", Level1::Benefit),
    ("项目完成", Level1::Output),
    ("项目产出", Level1::Output),
    ("预期产出", Level1::Output),
    ("项目效益", Level1::Benefit),
];

/// The 二级 categories of the national framework, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Level2 {
    EconomicCost,
    SocialCost,
    EcologicalCost,
    Quantity,
    Quality,
    Timeliness,
    EconomicBenefit,
    SocialBenefit,
    EcologicalBenefit,
    Sustainability,
    Satisfaction,
}

impl Level2 {
    pub const ALL: [Level2; 11] = [
        Level2::EconomicCost,
        Level2::SocialCost,
        Level2::EcologicalCost,
        Level2::Quantity,
        Level2::Quality,
        Level2::Timeliness,
        Level2::EconomicBenefit,
        Level2::SocialBenefit,
        Level2::EcologicalBenefit,
        Level2::Sustainability,
        Level2::Satisfaction,
    ];

    pub fn level1(self) -> Level1 {
        use Level2::*;
        match self {
            EconomicCost | SocialCost | EcologicalCost => Level1::Cost,
            Quantity | Quality | Timeliness => Level1::Output,
            EconomicBenefit | SocialBenefit | EcologicalBenefit | Sustainability => Level1::Benefit,
            Satisfaction => Level1::Satisfaction,
        }
    }

    /// The full name printed on the form (`数量指标`).
    pub fn name(self) -> &'static str {
        use Level2::*;
        match self {
            EconomicCost => "经济成本指标",
            SocialCost => "社会成本指标",
            EcologicalCost => "生态环境成本指标",
            Quantity => "数量指标",
            Quality => "质量指标",
            Timeliness => "时效指标",
            EconomicBenefit => "经济效益指标",
            SocialBenefit => "社会效益指标",
            EcologicalBenefit => "生态效益指标",
            Sustainability => "可持续影响指标",
            Satisfaction => "服务对象满意度指标",
        }
    }

    /// The short name a spec writes (`数量`).
    pub fn short(self) -> &'static str {
        // strip_suffix, not trim_end_matches: no name ends in 指标 twice, and a substring
        // searcher per call showed up in profiles (once per indicator and category).
        let name = self.name();
        name.strip_suffix("指标").unwrap_or(name)
    }
}

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
    // 广东's 2015 批复表: 预算(或投资规模)控制指标, under 预期产出.
    ("预算控制", Level2::EconomicCost),
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

/// The 一级 category a word names: a 一级 name (`效益指标`, `效益`), else the 一级 of the
/// 二级 it names (`社会效益` → 效益指标). What `效益指标 待填` acknowledges missing.
pub fn level1_of(word: &str) -> Option<Level1> {
    let base = strip_zhibiao(word);
    if let Some(l1) = Level1::ALL.iter().find(|l| l.short() == base) {
        return Some(*l1);
    }
    resolve(word).map(|m| match m {
        Match::Exact(l2) | Match::Alias(l2) | Match::Legacy(l2) => l2.level1(),
    })
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
