//! The words a form writes as an indicator's value or beside it: qualitative targets
//! (`及时`, `稳步提高`, `效果明显`), the direction words of a 指标性质 / 指标方向 column
//! (`正向`, `反向`), and the endings that make a word after a number something other than
//! a unit (`以内`, `前`, `底`).
//!
//! The importer reads these to split a value off a name glued to it (`…发展情况稳步提高`),
//! to tell a lone value word under a broken name, and to keep a direction column out of the
//! target.

/// Qualitative values seen on published forms. A cell that ends with one of the longer
/// ones (two characters or more) after a name may be split there (reported).
pub const QUALITATIVE: &[&str] = &[
    "及时",
    "提高",
    "提升",
    "有效保障",
    "健全",
    "合理",
    "可控",
    "减少",
    "降低",
    "显著提升",
    "显著提高",
    "显著改善",
    "明显提升",
    "明显提高",
    "明显改善",
    "稳步提高",
    "稳步提升",
    "逐步提高",
    "逐步提升",
    "逐步改善",
    "有所提升",
    "有所提高",
    "有所改善",
    "持续改善",
    "持续提升",
    "持续提高",
    "持续保障",
    "持续影响",
    "长期",
    "效果明显",
    "效果显著",
    "符合相关规定",
    "符合规定",
    "符合要求",
    "达标",
    "完成",
    "按时完成",
    "按期完成",
    "全部完成",
    "有效",
    "明显",
    "显著",
    "良好",
    "优良",
    "合格",
    "规范",
    "高",
    "优",
    "良",
    "中",
    "差",
    "是",
    "否",
    "无",
];

/// The words of a 指标性质 / 指标方向 column that say which way an indicator points rather
/// than compare (`正向` | `=` | `8`): they are not the target.
pub const DIRECTION_WORDS: &[&str] = &[
    "正向",
    "反向",
    "正向指标",
    "反向指标",
    "中性",
    "定性",
    "定量",
];

/// Endings of the text after a number that make it a reading, not a unit: `3%以内`,
/// `9月前`, `2023年底`, `30天内`.
pub const NOT_UNIT_ENDINGS: &[&str] = &[
    "以内", "以上", "以下", "之内", "之前", "以前", "前", "后", "内", "底", "初", "左右",
];

/// Whether `word` is one of the qualitative values.
pub fn is_qualitative(word: &str) -> bool {
    QUALITATIVE.contains(&word)
}

/// The qualitative value a text ends with (the longest; two characters or more), and the
/// text before it.
pub fn qualitative_suffix(text: &str) -> Option<(&str, &'static str)> {
    QUALITATIVE
        .iter()
        .filter(|w| w.chars().count() >= 2 && text.ends_with(*w))
        .max_by_key(|w| w.len())
        .map(|w| (&text[..text.len() - w.len()], *w))
}

/// Whether `word` is a direction word of a 指标性质 / 指标方向 column.
pub fn is_direction_word(word: &str) -> bool {
    DIRECTION_WORDS.contains(&word)
}

/// The words an indicator's explanation starts with (the 指标解释 / 绩效标准 column:
/// `反映办公大楼全年维修维护情况`). In page text without cell breaks the explanation is
/// glued to the name; it is cut off there when the header has such a column.
pub const DESCRIPTION_LEADS: &[&str] = &["反映", "用于反映", "主要反映"];

/// The endings of the place names a per-region table heads its target columns with
/// (`笏石街道办 | 埭头镇`, `西坪镇尧山村`): the first region's column is the target, the
/// others are kept as comments.
pub const REGION_SUFFIXES: &[&str] = &["街道办", "街道", "村", "镇", "乡", "区", "县", "市"];

/// Whether a header cell is a region's name (a short word ending in a place suffix).
pub fn is_region_name(word: &str) -> bool {
    let n = word.chars().filter(|c| !c.is_whitespace()).count();
    (2..=12).contains(&n) && REGION_SUFFIXES.iter().any(|s| word.trim().ends_with(s))
}
