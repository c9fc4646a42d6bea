//! The registry of diagnostic codes: one line per code in the `rules!` table below, the only
//! place a code is declared. The table makes the [`Code`] enum (what a [`Diagnostic`]
//! carries and what the rules compare) and [`RULES`] (severity, family and titles, for
//! `explain`, the docs and allow comments). Each code's long explanation lives in
//! `docs/diagnostics/CODE.md`: `perfspec explain CODE` prints that same file, so the docs and
//! the tool cannot drift apart.
//!
//! [`Diagnostic`]: super::Diagnostic

use super::Severity;
use Severity::{Error as E, Warning as W};

pub struct Rule {
    /// The code as written (`PS304`): what `explain`, the docs and the outputs show.
    pub code: &'static str,
    /// The same code, typed.
    pub id: Code,
    pub severity: Severity,
    /// Family, as in the folder of the rule's checker.
    pub family: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub doc: &'static str,
}

macro_rules! rules {
    ($($code:ident $sev:ident $fam:literal $zh:literal $en:literal;)*) => {
        /// A diagnostic code. Declared in the order of their text (`PS001` < `PS101`), so
        /// comparing codes compares their text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as written: `PS304`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }
        }

        pub static RULES: &[Rule] = &[
            $(Rule {
                code: stringify!($code),
                id: Code::$code,
                severity: $sev,
                family: $fam,
                title_zh: $zh,
                title_en: $en,
                doc: include_str!(concat!("../../../../docs/diagnostics/", stringify!($code), ".md")),
            },)*
        ];
    };
}

rules! {
    PS001 E "syntax" "无法识别的行" "line is not a valid statement";
    PS002 E "syntax" "块缺少右花括号" "block is missing its closing brace";
    PS003 E "syntax" "文本块未结束" "text block is not closed";
    PS004 E "syntax" "数字写法有误" "malformed number";
    PS005 E "syntax" "日期无效" "invalid date";
    PS006 E "syntax" "文件不是 UTF-8 文本" "file is not UTF-8 text";
    PS007 E "syntax" "超出处理上限" "input exceeds a limit";
    PS008 W "syntax" "文件中没有项目" "file declares no project";
    PS101 E "structure" "缺少必填字段" "required field is missing";
    PS102 E "structure" "字段重复" "field given twice";
    PS103 E "structure" "年度无效" "invalid year";
    PS104 E "structure" "项目重复" "duplicate project";
    PS105 E "structure" "计划完成日期早于开始日期" "period ends before it starts";
    PS106 E "structure" "实施期间不含申报年度" "period does not cover the year";
    PS107 E "structure" "绩效目标为空" "goal text is empty";
    PS108 W "structure" "项目性质不在常见取值中" "unusual project nature";
    PS109 W "structure" "项目类别不在常见取值中" "unusual project kind";
    PS110 E "structure" "项目没有绩效指标" "project has no indicators";
    PS111 E "structure" "未知的模板" "unknown template";
    PS112 W "structure" "多年项目缺少项目总目标" "multi-year project without overall goal";
    PS114 W "structure" "待填字段" "field left to fill";
    PS201 E "money" "资金合计不符" "funding parts do not add up";
    PS202 E "money" "成本指标合计超过年度资金" "cost caps exceed the annual funding";
    PS203 W "money" "成本指标合计远低于年度资金" "cost caps far below the annual funding";
    PS204 E "money" "金额精度超过分" "amount finer than one fen";
    PS205 E "money" "金额为负" "negative amount";
    PS206 E "money" "项目资金总额小于年度申请额" "project total below the annual request";
    PS207 E "money" "缺少资金信息" "funding missing";
    PS208 E "money" "未知的资金项" "unknown funding entry";
    PS209 E "money" "资金单位不是金额" "funding amount not in money";
    PS210 W "money" "年度资金申请总额为零" "annual request is zero";
    PS211 W "money" "多年项目缺少项目资金总额" "multi-year project without whole-life total";
    PS212 W "money" "项目资金总额等于本年度申请额" "whole-life total equals this year's request";
    PS213 W "money" "新开始的项目有上年结转资金" "carry-over on a project that starts this year";
    PS214 E "money" "分年度资金合计不等于项目资金总额" "funding by year does not add up to the whole-life total";
    PS215 E "money" "本年度的分年度资金不等于年度申请额" "this year's part is not the annual request";
    PS216 W "money" "分年度资金的年度不在实施期内" "a year of the funding outside the period";
    PS301 E "indicators" "未知的指标类别" "unknown indicator category";
    PS302 W "indicators" "指标类别为旧称或别名" "category alias or legacy name";
    PS303 E "indicators" "未知的计量单位" "unknown unit";
    PS304 E "indicators" "计量单位与指标类别不符" "unit impossible for the category";
    PS305 W "indicators" "计量单位对该类别不常见" "unit unusual for the category";
    PS306 E "indicators" "百分比超出 0–100" "percentage outside 0–100";
    PS307 W "indicators" "比较符方向可疑" "comparator points the wrong way";
    PS308 E "indicators" "指标名称重复" "duplicate indicator name";
    PS309 E "indicators" "缺少必备的一级指标" "required level-1 category missing";
    PS310 W "indicators" "缺少成本或满意度指标" "cost or satisfaction indicators missing";
    PS311 W "indicators" "指标值缺少比较符" "target without comparator";
    PS312 E "indicators" "区间上下限颠倒" "range bounds reversed";
    PS313 W "indicators" "完成时限不在实施期间内" "deadline outside the project period";
    PS314 E "indicators" "定性指标值不能比较大小" "qualitative value with an ordering comparator";
    PS315 E "indicators" "定量指标值缺少计量单位" "number without unit";
    PS316 E "indicators" "指标值为负" "negative target";
    PS317 W "indicators" "指标值形同虚设" "target that is always met";
    PS318 E "indicators" "计量单位声明有误" "bad unit declaration";
    PS401 W "style" "文本中含 HTML 标记" "HTML markup in text";
    PS402 W "style" "含不可见或双向控制字符" "invisible or bidi control characters";
    PS403 W "style" "名称过长" "name too long";
    PS404 W "style" "抑制注释中的代码不存在" "unknown code in an allow comment";
    PS501 E "evaluation" "年度自评行不在指标之下" "year-end line not under an indicator";
    PS502 E "evaluation" "实际完成值与指标值无法比较" "actual does not compare with the target";
    PS503 E "evaluation" "实际完成值缺少计量单位" "actual without unit";
    PS504 W "evaluation" "分值合计不是 100" "weights do not add up to 100";
    PS505 W "evaluation" "未完成目标缺少偏差原因" "missed target without deviation note";
    PS506 W "evaluation" "百分比实际值超过 100%" "percentage actual above 100 %";
    PS507 W "evaluation" "得分与评分规则不符" "written score disagrees with the rules";
    PS508 W "evaluation" "指标缺少实际完成值" "indicator without actual";
    PS509 W "evaluation" "无法判断指标是否完成" "target the rules cannot judge";
    PS510 E "evaluation" "预算执行有误" "budget execution entry wrong or missing";
    PS511 W "evaluation" "缺少预算执行" "budget execution missing";
    PS512 E "evaluation" "分值只写了一部分" "weights written for some indicators only";
    PS513 W "evaluation" "实际完成值带有比较符" "actual written with a comparator";
    PS514 W "evaluation" "实际完成值远超目标" "actual far beyond the target";
    PS515 E "evaluation" "分值或得分有误" "invalid weight or score";
    PS516 W "evaluation" "总分或等级与计算结果不符" "written total or grade disagrees";
}

impl Code {
    /// The registry's entry for this code.
    pub fn rule(self) -> &'static Rule {
        // `RULES` is made from the same table as `Code`, in the same order.
        &RULES[self as usize]
    }

    pub fn severity(self) -> Severity {
        self.rule().severity
    }

    /// The code a text names, as `explain` and allow comments take it: white space around
    /// it ignored, any case (`ps304`).
    pub fn lookup(text: &str) -> Option<Code> {
        let text = text.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::lookup(s).ok_or(UnknownCode)
    }
}

/// A text that names no code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownCode;

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a diagnostic code")
    }
}

impl std::error::Error for UnknownCode {}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A code compares with its text (`d.code == "PS304"`), for callers and tests that hold codes
/// as text.
impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Code> for str {
    fn eq(&self, other: &Code) -> bool {
        self == other.as_str()
    }
}

/// The rule a text names (see [`Code::lookup`]).
pub fn lookup(code: &str) -> Option<&'static Rule> {
    Code::lookup(code).map(Code::rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_declared_in_the_order_of_their_text() {
        for w in Code::ALL.windows(2) {
            assert!(w[0].as_str() < w[1].as_str(), "{} before {}", w[0], w[1]);
        }
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i);
            assert_eq!(r.id.as_str(), r.code);
        }
    }

    #[test]
    fn a_code_is_looked_up_by_its_text() {
        assert_eq!(Code::lookup(" ps304 "), Some(Code::PS304));
        assert_eq!("PS304".parse::<Code>(), Ok(Code::PS304));
        assert_eq!(Code::lookup("PS999"), None);
        assert_eq!(Code::PS304.to_string(), "PS304");
        assert!(Code::PS304 == "PS304");
    }
}
