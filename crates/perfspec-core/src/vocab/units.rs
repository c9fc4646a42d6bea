//! Units and their dimensions: the built-in table (a spec may declare more with
//! `计量单位 株 计数`), the counting words, and how a unit's spelling is normalised.

use serde::Serialize;

/// What a unit measures. The checker decides from it which categories a target fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 元, 万元, 亿元
    Money,
    /// 元/件, 元/小时: money per thing; never summed with money.
    UnitCost,
    /// 次, 件, 份, 人次, …
    Count,
    /// %, 百分比
    Percent,
    /// 小时, 天, 工作日
    Duration,
    /// 小时/天: a span per period
    DurationRate,
    /// 次/年, 吨/日: an amount per period or per thing
    Rate,
    /// 分
    Score,
    Area,
    Length,
    Weight,
    Volume,
    /// The unit the source form does not give, written `≥ 100 待填`: the number is kept,
    /// its unit is not guessed. Fits every category; never summed, never converted; not a
    /// dimension a declaration may name (not in [`Dimension::ALL`]).
    Unknown,
}

impl Dimension {
    pub fn name_zh(self) -> &'static str {
        use Dimension::*;
        match self {
            Money => "金额",
            UnitCost => "单价",
            Count => "计数",
            Percent => "百分比",
            Duration => "时长",
            DurationRate => "时长率",
            Rate => "比率",
            Score => "分值",
            Area => "面积",
            Length => "长度",
            Weight => "重量",
            Volume => "体积",
            Unknown => "未知",
        }
    }
    pub fn name_en(self) -> &'static str {
        use Dimension::*;
        match self {
            Money => "money",
            UnitCost => "unit cost",
            Count => "count",
            Percent => "percent",
            Duration => "duration",
            DurationRate => "duration per period",
            Rate => "rate",
            Score => "score",
            Area => "area",
            Length => "length",
            Weight => "weight",
            Volume => "volume",
            Unknown => "unknown",
        }
    }
    /// Money, as an amount or per unit (元, 万元, 元/人).
    pub fn is_money(self) -> bool {
        matches!(self, Dimension::Money | Dimension::UnitCost)
    }
    /// The dimension's name in the JSON contract (`docs/json.md`, `dimension`): the English
    /// name, in one word.
    pub fn key(self) -> &'static str {
        use Dimension::*;
        match self {
            UnitCost => "unit_cost",
            DurationRate => "duration_rate",
            other => other.name_en(),
        }
    }
    pub const ALL: [Dimension; 12] = [
        Dimension::Money,
        Dimension::UnitCost,
        Dimension::Count,
        Dimension::Percent,
        Dimension::Duration,
        Dimension::DurationRate,
        Dimension::Rate,
        Dimension::Score,
        Dimension::Area,
        Dimension::Length,
        Dimension::Weight,
        Dimension::Volume,
    ];
}

/// (spelling, canonical, dimension, 元 per unit for money)
pub const BUILTIN: &[(&str, &str, Dimension, i64)] = {
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
        ("平米", "平方米", Area, 0),
        ("m²", "平方米", Area, 0),
        ("m2", "平方米", Area, 0),
        ("万平方米", "万平方米", Area, 0),
        ("平方公里", "平方公里", Area, 0),
        ("亩", "亩", Area, 0),
        ("万亩", "万亩", Area, 0),
        ("公顷", "公顷", Area, 0),
        ("米", "米", Length, 0),
        ("厘米", "厘米", Length, 0),
        ("cm", "厘米", Length, 0),
        ("毫米", "毫米", Length, 0),
        ("mm", "毫米", Length, 0),
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
pub const COUNTS: &[&str] = &[
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

/// One spelling per unit: no spaces, ASCII brackets and percent sign.
pub fn normalize_spelling(s: &str) -> String {
    let n: String = s
        .chars()
        .filter(|c| !super::chars::is_space(*c))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '％' => '%',
            '／' => '/',
            c => c,
        })
        .collect();
    // The form prints a unit in brackets after the value (`≥8000.00(件)`, `=100.00(%)`):
    // a unit wholly in one pair of brackets is that unit.
    match n.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) if !inner.is_empty() && !inner.contains(['(', ')']) => inner.to_string(),
        _ => n,
    }
}

/// `计量单位 株 计数`: the dimension words a declaration may use.
pub fn dimension_from_word(w: &str) -> Option<Dimension> {
    Dimension::ALL
        .into_iter()
        .find(|d| d.name_zh() == w || d.name_en() == w)
}
