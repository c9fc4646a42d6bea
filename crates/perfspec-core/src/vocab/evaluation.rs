//! The words and default rules of the year-end self-evaluation (绩效自评表): the rows of the
//! budget execution block, the weights of the 一级 categories, the grade scales and the
//! words that say a qualitative target was met. A template names its scoring
//! ([`super::templates::Template::scoring`]); the rules themselves are in
//! `docs/self-evaluation.md`, with their sources.

use super::taxonomy::Level1;

/// An entry of the `预算执行 { … }` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExecRow {
    /// 年初预算数
    Initial,
    /// 全年预算数 (the budget after adjustments: the rate's denominator)
    Budget,
    /// 全年执行数
    Spent,
    /// 分值 of the execution rate
    Weight,
    /// 得分 as written
    Score,
}

pub struct ExecRowSpec {
    pub row: ExecRow,
    pub canonical: &'static str,
    pub aliases: &'static [&'static str],
    /// An amount (with a money unit) rather than points.
    pub money: bool,
    pub name_en: &'static str,
    /// The column headings of a 自评表's budget execution table (资金情况) that hold this
    /// entry, compared without white space and without a bracketed note (`全年预算数(A)`).
    pub columns: &'static [&'static str],
}

pub const EXEC_ROWS: &[ExecRowSpec] = &[
    ExecRowSpec {
        row: ExecRow::Initial,
        canonical: "年初预算数",
        aliases: &["年初预算", "年初预算金额"],
        money: true,
        name_en: "initial budget",
        columns: &["年初预算数", "年初预算", "年初预算金额"],
    },
    ExecRowSpec {
        row: ExecRow::Budget,
        canonical: "全年预算数",
        aliases: &["全年预算", "调整后预算数", "全年预算金额"],
        money: true,
        name_en: "budget of the year",
        columns: &[
            "全年预算数",
            "全年预算",
            "调整后预算数",
            "调整后预算",
            "预算数",
            "全年预算金额",
        ],
    },
    ExecRowSpec {
        row: ExecRow::Spent,
        canonical: "全年执行数",
        aliases: &["全年执行", "执行数", "实际支出数", "全年实际支出"],
        money: true,
        name_en: "spent in the year",
        columns: &[
            "全年执行数",
            "全年执行",
            "执行数",
            "预算执行数",
            "实际支出数",
            "全年实际支出",
            "实际执行数",
        ],
    },
    ExecRowSpec {
        row: ExecRow::Weight,
        canonical: "分值",
        aliases: &["权重"],
        money: false,
        name_en: "weight",
        columns: &["分值", "权重"],
    },
    ExecRowSpec {
        row: ExecRow::Score,
        canonical: "得分",
        aliases: &[],
        money: false,
        name_en: "score",
        columns: &["得分"],
    },
];

impl ExecRow {
    pub fn spec(self) -> &'static ExecRowSpec {
        EXEC_ROWS
            .iter()
            .find(|r| r.row == self)
            .unwrap_or(&EXEC_ROWS[0])
    }
    pub fn from_word(word: &str) -> Option<ExecRow> {
        EXEC_ROWS
            .iter()
            .find(|r| r.canonical == word || r.aliases.contains(&word))
            .map(|r| r.row)
    }
}

/// The column headings of the execution rate in a budget execution table (perfspec
/// computes the rate; the form's figure is kept as a comment).
pub const EXEC_RATE_COLUMNS: &[&str] = &["执行率", "预算执行率"];

/// Column headings of a budget execution table whose cells are notes (kept as comments).
/// (到位数: the amount received, beside the budget and the spending.)
pub const EXEC_NOTE_COLUMNS: &[&str] = &["原因", "偏差原因", "说明", "到位数"];

/// The groups a total score is split into, each with its default weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// 预算执行率
    Execution,
    /// 产出指标 (with 成本指标: the 2015 tree's placement, and the national default weights
    /// count cost among the outputs)
    Output,
    /// 效益指标
    Effect,
    /// 满意度指标
    Satisfaction,
}

impl Group {
    pub fn of(level1: Level1) -> Group {
        match level1 {
            Level1::Output | Level1::Cost => Group::Output,
            Level1::Benefit => Group::Effect,
            Level1::Satisfaction => Group::Satisfaction,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Group::Execution => "预算执行率",
            Group::Output => "产出指标",
            Group::Effect => "效益指标",
            Group::Satisfaction => "满意度指标",
        }
    }
    pub fn name_en(self) -> &'static str {
        match self {
            Group::Execution => "execution rate",
            Group::Output => "outputs",
            Group::Effect => "effects",
            Group::Satisfaction => "satisfaction",
        }
    }
    /// The contract's name (`evaluation.subtotals[].group`).
    pub fn key(self) -> &'static str {
        match self {
            Group::Execution => "execution",
            Group::Output => "output",
            Group::Effect => "effect",
            Group::Satisfaction => "satisfaction",
        }
    }
}

/// One step of a grade scale: a total of at least `min` (in points of 100) earns `grade`.
pub struct GradeStep {
    pub min: u32,
    pub grade: &'static str,
    pub name_en: &'static str,
}

/// How a template scores a self-evaluation.
pub struct Scoring {
    pub name: &'static str,
    /// Default weights, in points, used when a project writes no 分值; they add up to 100.
    pub weights: &'static [(Group, u32)],
    /// Highest first; the last step has `min` 0.
    pub grades: &'static [GradeStep],
    /// Where the rules come from (shown in the docs and by `explain`).
    pub source: &'static str,
}

/// 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60.
pub const GRADES_NATIONAL: &[GradeStep] = &[
    GradeStep {
        min: 90,
        grade: "优",
        name_en: "excellent",
    },
    GradeStep {
        min: 80,
        grade: "良",
        name_en: "good",
    },
    GradeStep {
        min: 60,
        grade: "中",
        name_en: "fair",
    },
    GradeStep {
        min: 0,
        grade: "差",
        name_en: "poor",
    },
];

/// Shanghai reports 优 / 良 / 合格 / 不合格 on the same bands.
pub const GRADES_SHANGHAI: &[GradeStep] = &[
    GradeStep {
        min: 90,
        grade: "优",
        name_en: "excellent",
    },
    GradeStep {
        min: 80,
        grade: "良",
        name_en: "good",
    },
    GradeStep {
        min: 60,
        grade: "合格",
        name_en: "pass",
    },
    GradeStep {
        min: 0,
        grade: "不合格",
        name_en: "fail",
    },
];

const WEIGHTS_NATIONAL: &[(Group, u32)] = &[
    (Group::Execution, 10),
    (Group::Output, 50),
    (Group::Effect, 30),
    (Group::Satisfaction, 10),
];

pub const SCORING_NATIONAL: Scoring = Scoring {
    name: "全国",
    weights: WEIGHTS_NATIONAL,
    grades: GRADES_NATIONAL,
    source: "财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）附件 项目支出绩效自评表",
};

pub const SCORING_SHANGHAI: Scoring = Scoring {
    name: "上海",
    weights: WEIGHTS_NATIONAL,
    grades: GRADES_SHANGHAI,
    source: "财预〔2020〕10号的分值；上海市财政局绩效评价结果的等级（优、良、合格、不合格）",
};

impl Scoring {
    pub fn weight(&self, group: Group) -> u32 {
        self.weights
            .iter()
            .find(|(g, _)| *g == group)
            .map_or(0, |(_, w)| *w)
    }
    /// The grade of a total in points.
    pub fn grade_of(&self, total: rust_decimal::Decimal) -> &'static GradeStep {
        let last = &self.grades[self.grades.len() - 1];
        self.grades
            .iter()
            .find(|g| total >= rust_decimal::Decimal::from(g.min))
            .unwrap_or(last)
    }
    /// Whether `word` is one of this scale's grades.
    pub fn is_grade(&self, word: &str) -> bool {
        self.grades.iter().any(|g| g.grade == word)
    }
}

/// Words an actual is written with when a qualitative target was reached: an actual equal to
/// the target, or one of these, is met.
pub const MET_WORDS: &[&str] = &[
    "已完成",
    "完成",
    "已达到",
    "达到",
    "达标",
    "已实现",
    "实现",
    "是",
    "满足",
    "符合",
    "按时完成",
    "按期完成",
    "及时",
    "合格",
    "有效",
];

/// Words that say a qualitative target was not reached.
pub const MISSED_WORDS: &[&str] = &[
    "未完成",
    "未达到",
    "未达标",
    "未实现",
    "否",
    "不满足",
    "不符合",
    "不合格",
    "无",
    "延期",
    "未按时完成",
    "未按期完成",
];

/// How far past its target an actual may go before the target looks set too low and the
/// form asks for a 偏差原因 (some provinces: ≥ 130 %), in percent of the target.
pub const FAR_EXCEEDS_PERCENT: u32 = 130;

/// Scores and rates are shown with two decimals, rounded half away from zero (四舍五入).
pub const SCORE_DECIMALS: u32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_weights_add_up_to_100_and_scales_end_at_zero() {
        for s in [&SCORING_NATIONAL, &SCORING_SHANGHAI] {
            assert_eq!(s.weights.iter().map(|(_, w)| w).sum::<u32>(), 100);
            assert_eq!(s.grades.last().map(|g| g.min), Some(0));
            assert!(s.grades.windows(2).all(|w| w[0].min > w[1].min));
        }
        assert_eq!(
            SCORING_NATIONAL.grade_of(89.99.try_into().unwrap()).grade,
            "良"
        );
        assert_eq!(SCORING_NATIONAL.grade_of(90.into()).grade, "优");
        assert_eq!(SCORING_SHANGHAI.grade_of(59.into()).grade, "不合格");
    }

    #[test]
    fn words_are_not_both_met_and_missed() {
        for w in MET_WORDS {
            assert!(!MISSED_WORDS.contains(w), "{w}");
        }
        for r in EXEC_ROWS {
            assert_eq!(ExecRow::from_word(r.canonical), Some(r.row));
        }
    }
}
