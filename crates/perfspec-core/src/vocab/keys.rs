//! The keywords a spec writes, each with its canonical spelling (what `fmt` writes) and
//! the aliases it accepts (the form's own labels), and the usual values of the closed
//! header fields.

use serde::Serialize;

/// A keyword of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Key {
    /// `年度 2026` (file header)
    Year,
    /// `主管部门 …` (file header or project)
    Department,
    /// `实施单位 …` (file header or project)
    Unit,
    /// `性质 …` (项目性质)
    Nature,
    /// `类别 …` (项目类别)
    Kind,
    /// `期间 2026-01-01 至 2026-12-31`
    Period,
    /// `计划开始日期 2026-01-01`
    Start,
    /// `计划完成日期 2026-12-31`
    End,
    /// `资金 { … }`
    Funding,
    /// `项目总目标 …`
    GoalTotal,
    /// `年度总体目标 …`
    GoalAnnual,
    /// `计量单位 株 计数`
    UnitDecl,
    /// `项目 名称 { … }`
    Project,
    /// `模板 财政部2021` (file header): the form the spec follows
    Template,
    /// `完成情况 …`: what the year achieved of the 年度总体目标 (自评表)
    Outcome,
    /// `预算执行 { … }`: the budget execution block of a 自评表
    Execution,
    /// `实际完成值 …` under an indicator: the actual of the year
    Actual,
    /// `分值 10` under an indicator or in `预算执行`: the weight
    Weight,
    /// `得分 9.5` under an indicator or in `预算执行`: the score as the unit wrote it
    Score,
    /// `偏差原因 …` under an indicator: why the target was missed, and what is done about it
    Deviation,
    /// `总分 95` in a project: the total the unit wrote
    TotalScore,
    /// `等级 优` in a project: the grade the unit wrote
    Grade,
}

/// Where a keyword may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// File level only.
    Header,
    /// File level (for every project) or in a project.
    Both,
    /// In a project only.
    Project,
    /// On a line under an indicator (or inside `预算执行` for 分值 / 得分).
    Detail,
}

pub struct KeySpec {
    pub key: Key,
    /// What `fmt` writes.
    pub canonical: &'static str,
    /// Other spellings accepted, the form's own labels first.
    pub aliases: &'static [&'static str],
    pub place: Place,
    /// Its name in English messages.
    pub name_en: &'static str,
    /// What the key means, for hover and completion.
    pub doc_zh: &'static str,
    pub doc_en: &'static str,
    /// A complete example line.
    pub example: &'static str,
}

pub const KEYS: &[KeySpec] = &[
    KeySpec {
        key: Key::Year,
        canonical: "年度",
        aliases: &[],
        place: Place::Header,
        name_en: "year",
        doc_zh: "申报年度",
        doc_en: "the year of the declaration",
        example: "年度 2026",
    },
    KeySpec {
        key: Key::Department,
        canonical: "主管部门",
        aliases: &[],
        place: Place::Both,
        name_en: "department",
        doc_zh: "主管部门",
        doc_en: "the supervising department",
        example: "主管部门 上海市绿化和市容管理局",
    },
    KeySpec {
        key: Key::Unit,
        canonical: "实施单位",
        aliases: &[],
        place: Place::Both,
        name_en: "implementing unit",
        doc_zh: "实施单位",
        doc_en: "the implementing unit",
        example: "实施单位 上海市绿化和市容管理局行政服务中心",
    },
    KeySpec {
        key: Key::Nature,
        canonical: "性质",
        aliases: &["项目性质"],
        place: Place::Project,
        name_en: "nature",
        doc_zh: "项目性质",
        doc_en: "the nature of the project",
        example: "性质 经常性专项业务费",
    },
    KeySpec {
        key: Key::Kind,
        canonical: "类别",
        aliases: &["项目类别"],
        place: Place::Project,
        name_en: "kind",
        doc_zh: "项目类别",
        doc_en: "the kind of project",
        example: "类别 特定目标类",
    },
    KeySpec {
        key: Key::Period,
        canonical: "期间",
        aliases: &[],
        place: Place::Project,
        name_en: "period",
        doc_zh: "计划开始日期至计划完成日期",
        doc_en: "planned start and end dates",
        example: "期间 2026-01-01 至 2026-12-31",
    },
    KeySpec {
        key: Key::Start,
        canonical: "计划开始日期",
        aliases: &[],
        place: Place::Project,
        name_en: "start date",
        doc_zh: "计划开始日期",
        doc_en: "planned start date",
        example: "计划开始日期 2026-01-01",
    },
    KeySpec {
        key: Key::End,
        canonical: "计划完成日期",
        aliases: &[],
        place: Place::Project,
        name_en: "end date",
        doc_zh: "计划完成日期",
        doc_en: "planned end date",
        example: "计划完成日期 2026-12-31",
    },
    KeySpec {
        key: Key::Funding,
        canonical: "资金",
        aliases: &["项目资金"],
        place: Place::Project,
        name_en: "funding",
        doc_zh: "项目资金（元）",
        doc_en: "project funding (元)",
        example: "资金 {",
    },
    KeySpec {
        key: Key::GoalTotal,
        canonical: "项目总目标",
        aliases: &["项目总体目标", "总目标"],
        place: Place::Project,
        name_en: "overall goal",
        doc_zh: "项目总目标（整个实施期）",
        doc_en: "the goal over the whole project life",
        example: "项目总目标 \"\"\"",
    },
    KeySpec {
        key: Key::GoalAnnual,
        canonical: "年度总体目标",
        aliases: &["年度目标"],
        place: Place::Project,
        name_en: "annual goal",
        doc_zh: "年度总体目标",
        doc_en: "the goal of the year",
        example: "年度总体目标 \"\"\"",
    },
    KeySpec {
        key: Key::UnitDecl,
        canonical: "计量单位",
        aliases: &[],
        place: Place::Header,
        name_en: "unit declaration",
        doc_zh: "声明内置表之外的计量单位及其量纲",
        doc_en: "declare a unit the built-in table lacks, with its dimension",
        example: "计量单位 株 计数",
    },
    KeySpec {
        key: Key::Project,
        canonical: "项目",
        aliases: &[],
        place: Place::Header,
        name_en: "project",
        doc_zh: "一个项目的申报表",
        doc_en: "one project's declaration",
        example: "项目 项目名称 {",
    },
    KeySpec {
        key: Key::Template,
        canonical: "模板",
        aliases: &[],
        place: Place::Header,
        name_en: "template",
        doc_zh: "本文件遵循的申报表模板（缺省为上海市申报表）",
        doc_en: "the form template the file follows (default: the Shanghai 申报表)",
        example: "模板 财政部2021",
    },
    KeySpec {
        key: Key::Outcome,
        canonical: "完成情况",
        aliases: &[
            "年度总体目标完成情况",
            "总体目标完成情况",
            "实际完成情况",
            "目标完成情况",
        ],
        place: Place::Project,
        name_en: "outcome",
        doc_zh: "年度总体目标完成情况（自评表）",
        doc_en: "what the year achieved of the annual goal (self-evaluation)",
        example: "完成情况 \"\"\"",
    },
    KeySpec {
        key: Key::Execution,
        canonical: "预算执行",
        aliases: &["预算执行情况", "执行"],
        place: Place::Project,
        name_en: "budget execution",
        doc_zh: "预算执行情况：年初预算数、全年预算数、全年执行数、分值、得分（自评表）",
        doc_en:
            "budget execution: initial and final budget, spending, weight, score (self-evaluation)",
        example: "预算执行 {",
    },
    KeySpec {
        key: Key::Actual,
        canonical: "实际完成值",
        aliases: &["实际", "实际值", "全年实际值", "全年实际完成值", "完成值"],
        place: Place::Detail,
        name_en: "actual",
        doc_zh: "该指标全年的实际完成值，写在指标行之下",
        doc_en: "the indicator's actual value of the year, on a line under the indicator",
        example: "实际完成值 38 次",
    },
    KeySpec {
        key: Key::Weight,
        canonical: "分值",
        aliases: &["权重", "指标分值"],
        place: Place::Detail,
        name_en: "weight",
        doc_zh: "该指标（或预算执行率）的分值",
        doc_en: "the weight of the indicator (or of the execution rate)",
        example: "分值 10",
    },
    KeySpec {
        key: Key::Score,
        canonical: "得分",
        aliases: &["指标得分"],
        place: Place::Detail,
        name_en: "score",
        doc_zh: "单位自评的得分；与评分规则不符时给出警告",
        doc_en: "the score the unit gives; a warning when it disagrees with the rules",
        example: "得分 9.5",
    },
    KeySpec {
        key: Key::Deviation,
        canonical: "偏差原因",
        aliases: &[
            "偏差原因分析及改进措施",
            "偏差原因分析",
            "未完成原因",
            "未完成原因及改进措施",
            "未完成原因及拟采取的改进措施",
        ],
        place: Place::Detail,
        name_en: "deviation",
        doc_zh: "偏差原因分析及改进措施（未完成目标时必填）",
        doc_en: "why the target was missed and what is done about it (needed when missed)",
        example: "偏差原因 两次因天气取消，已排入次年一季度",
    },
    KeySpec {
        key: Key::TotalScore,
        canonical: "总分",
        aliases: &["自评总分", "综合得分"],
        place: Place::Project,
        name_en: "total score",
        doc_zh: "单位填写的自评总分；与计算结果不符时给出警告",
        doc_en: "the total the unit wrote; a warning when it disagrees with the computed one",
        example: "总分 95",
    },
    KeySpec {
        key: Key::Grade,
        canonical: "等级",
        aliases: &["自评等级", "评价等级"],
        place: Place::Project,
        name_en: "grade",
        doc_zh: "单位填写的自评等级（优、良、中、差）",
        doc_en: "the grade the unit wrote (优, 良, 中, 差)",
        example: "等级 优",
    },
];

impl Key {
    pub fn spec(self) -> &'static KeySpec {
        // Every Key has exactly one entry (tested).
        KEYS.iter()
            .find(|k| k.key == self)
            .unwrap_or(&KEYS[KEYS.len() - 1])
    }
    pub fn canonical(self) -> &'static str {
        self.spec().canonical
    }
    /// The key a word spells, canonical or alias; a note in brackets after it
    /// (`项目总体目标(2024 年-2026 年)`) is not part of the key.
    pub fn from_word(word: &str) -> Option<Key> {
        let word = split_note(word).0;
        KEYS.iter()
            .find(|k| k.canonical == word || k.aliases.contains(&word))
            .map(|k| k.key)
    }
    /// Every spelling: canonical first, then aliases.
    pub fn spellings(self) -> impl Iterator<Item = &'static str> {
        let s = self.spec();
        std::iter::once(s.canonical).chain(s.aliases.iter().copied())
    }
}

/// `项目总体目标(2024 年-2026 年)` → (`项目总体目标`, `(2024 年-2026 年)`): a keyword and the
/// note in brackets the form prints after it (empty when there is none).
pub fn split_note(word: &str) -> (&str, &str) {
    match word.find(['(', '（']) {
        Some(i) if i > 0 && word.ends_with([')', '）']) => (&word[..i], &word[i..]),
        _ => (word, ""),
    }
}

/// The canonical spelling of a keyword `word` (an alias becomes its canonical form, a note
/// in brackets after it is kept; any other word is returned as it is).
pub fn canonical(word: &str) -> std::borrow::Cow<'_, str> {
    match Key::from_word(word) {
        Some(k) => match split_note(word).1 {
            "" => k.canonical().into(),
            note => format!("{}{note}", k.canonical()).into(),
        },
        None => word.into(),
    }
}

/// Every keyword spelling, for completion and for telling a misplaced keyword from a typo.
pub fn all_spellings() -> impl Iterator<Item = &'static str> {
    KEYS.iter()
        .flat_map(|k| std::iter::once(k.canonical).chain(k.aliases.iter().copied()))
}

/// 项目性质 values seen on real forms (no official list exists: others get a warning).
pub const NATURES: &[&str] = &[
    "经常性专项业务费",
    "其他经常性项目",
    "阶段性项目",
    "一次性项目",
];

/// 项目类别: the national project kinds.
pub const KINDS: &[&str] = &["特定目标类", "人员类", "运转类", "公用经费", "其他运转类"];

/// `待填`: written in place of a value the source form does not give (a header field, the
/// period, the funding block, a goal, a required 一级 category, a number's unit). The
/// checker reads it as "absent, and known to be absent" and warns (PS114) instead of the
/// missing-field error; `fmt` writes the canonical spelling. `无` is not it: `无` can be a
/// real value.
pub const TO_FILL: &str = "待填";
/// Other spellings of [`TO_FILL`].
pub const TO_FILL_ALIASES: &[&str] = &["未填"];

/// Whether a value (white space around it ignored) is the placeholder [`TO_FILL`].
pub fn is_to_fill(value: &str) -> bool {
    let v = value.trim_matches(|c: char| c.is_whitespace() || super::chars::is_space(c));
    v == TO_FILL || TO_FILL_ALIASES.contains(&v)
}

/// Every spelling of the placeholder, canonical first.
pub fn to_fill_spellings() -> impl Iterator<Item = &'static str> {
    std::iter::once(TO_FILL).chain(TO_FILL_ALIASES.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_entry_and_spellings_are_unique() {
        let all: Vec<&str> = all_spellings().collect();
        for (i, a) in all.iter().enumerate() {
            assert!(!all[i + 1..].contains(a), "{a} spelled twice");
        }
        for k in KEYS {
            assert_eq!(k.key.spec().canonical, k.canonical);
            assert_eq!(Key::from_word(k.canonical), Some(k.key));
        }
        assert_eq!(canonical("项目性质"), "性质");
        assert_eq!(
            canonical("项目总体目标(2024 年-2026 年)"),
            "项目总目标(2024 年-2026 年)"
        );
        assert_eq!(
            Key::from_word("年度总体目标（2026年）"),
            Some(Key::GoalAnnual)
        );
        assert_eq!(canonical("年度目标"), "年度总体目标");
        assert_eq!(canonical("别的"), "别的");
    }
}
