//! The registry of diagnostic codes. Each code's long explanation lives in
//! `docs/diagnostics/CODE.md`: `perfspec explain CODE` prints that same file, so the docs and
//! the tool cannot drift apart.

use super::Severity;
use Severity::{Error as E, Warning as W};

pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// Family, as in the folder of the rule's checker.
    pub family: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub doc: &'static str,
}

macro_rules! rules {
    ($($code:literal $sev:ident $fam:literal $zh:literal $en:literal;)*) => {
        pub static RULES: &[Rule] = &[
            $(Rule {
                code: $code,
                severity: $sev,
                family: $fam,
                title_zh: $zh,
                title_en: $en,
                doc: include_str!(concat!("../../docs/diagnostics/", $code, ".md")),
            },)*
        ];
    };
}

rules! {
    "PS001" E "syntax" "无法识别的行" "line is not a valid statement";
    "PS002" E "syntax" "块缺少右花括号" "block is missing its closing brace";
    "PS003" E "syntax" "文本块未结束" "text block is not closed";
    "PS004" E "syntax" "数字写法有误" "malformed number";
    "PS005" E "syntax" "日期无效" "invalid date";
    "PS006" E "syntax" "文件不是 UTF-8 文本" "file is not UTF-8 text";
    "PS007" E "syntax" "超出处理上限" "input exceeds a limit";
    "PS008" W "syntax" "文件中没有项目" "file declares no project";
    "PS101" E "structure" "缺少必填字段" "required field is missing";
    "PS102" E "structure" "字段重复" "field given twice";
    "PS103" E "structure" "年度无效" "invalid year";
    "PS104" E "structure" "项目重复" "duplicate project";
    "PS105" E "structure" "计划完成日期早于开始日期" "period ends before it starts";
    "PS106" E "structure" "实施期间不含申报年度" "period does not cover the year";
    "PS107" E "structure" "绩效目标为空" "goal text is empty";
    "PS108" W "structure" "项目性质不在常见取值中" "unusual project nature";
    "PS109" W "structure" "项目类别不在常见取值中" "unusual project kind";
    "PS110" E "structure" "项目没有绩效指标" "project has no indicators";
    "PS111" E "structure" "未知的模板" "unknown template";
    "PS112" W "structure" "多年项目缺少项目总目标" "multi-year project without overall goal";
    "PS201" E "money" "资金合计不符" "funding parts do not add up";
    "PS202" E "money" "成本指标合计超过年度资金" "cost caps exceed the annual funding";
    "PS203" W "money" "成本指标合计远低于年度资金" "cost caps far below the annual funding";
    "PS204" E "money" "金额精度超过分" "amount finer than one fen";
    "PS205" E "money" "金额为负" "negative amount";
    "PS206" E "money" "项目资金总额小于年度申请额" "project total below the annual request";
    "PS207" E "money" "缺少资金信息" "funding missing";
    "PS208" E "money" "未知的资金项" "unknown funding entry";
    "PS209" E "money" "资金单位不是金额" "funding amount not in money";
    "PS210" W "money" "年度资金申请总额为零" "annual request is zero";
    "PS211" W "money" "多年项目缺少项目资金总额" "multi-year project without whole-life total";
    "PS212" W "money" "项目资金总额等于本年度申请额" "whole-life total equals this year's request";
    "PS213" W "money" "新开始的项目有上年结转资金" "carry-over on a project that starts this year";
    "PS301" E "indicators" "未知的指标类别" "unknown indicator category";
    "PS302" W "indicators" "指标类别为旧称或别名" "category alias or legacy name";
    "PS303" E "indicators" "未知的计量单位" "unknown unit";
    "PS304" E "indicators" "计量单位与指标类别不符" "unit impossible for the category";
    "PS305" W "indicators" "计量单位对该类别不常见" "unit unusual for the category";
    "PS306" E "indicators" "百分比超出 0–100" "percentage outside 0–100";
    "PS307" W "indicators" "比较符方向可疑" "comparator points the wrong way";
    "PS308" E "indicators" "指标名称重复" "duplicate indicator name";
    "PS309" E "indicators" "缺少必备的一级指标" "required level-1 category missing";
    "PS310" W "indicators" "缺少成本或满意度指标" "cost or satisfaction indicators missing";
    "PS311" W "indicators" "指标值缺少比较符" "target without comparator";
    "PS312" E "indicators" "区间上下限颠倒" "range bounds reversed";
    "PS313" W "indicators" "完成时限不在实施期间内" "deadline outside the project period";
    "PS314" E "indicators" "定性指标值不能比较大小" "qualitative value with an ordering comparator";
    "PS315" E "indicators" "定量指标值缺少计量单位" "number without unit";
    "PS316" E "indicators" "指标值为负" "negative target";
    "PS317" W "indicators" "指标值形同虚设" "target that is always met";
    "PS318" E "indicators" "计量单位声明有误" "bad unit declaration";
    "PS401" W "style" "文本中含 HTML 标记" "HTML markup in text";
    "PS402" W "style" "含不可见或双向控制字符" "invisible or bidi control characters";
    "PS403" W "style" "名称过长" "name too long";
    "PS404" W "style" "抑制注释中的代码不存在" "unknown code in an allow comment";
    "PS501" E "evaluation" "年度自评行不在指标之下" "year-end line not under an indicator";
    "PS502" E "evaluation" "实际完成值与指标值无法比较" "actual does not compare with the target";
    "PS503" E "evaluation" "实际完成值缺少计量单位" "actual without unit";
    "PS504" W "evaluation" "分值合计不是 100" "weights do not add up to 100";
    "PS505" W "evaluation" "未完成目标缺少偏差原因" "missed target without deviation note";
    "PS506" W "evaluation" "百分比实际值超过 100%" "percentage actual above 100 %";
    "PS507" W "evaluation" "得分与评分规则不符" "written score disagrees with the rules";
    "PS508" W "evaluation" "指标缺少实际完成值" "indicator without actual";
    "PS509" W "evaluation" "无法判断指标是否完成" "target the rules cannot judge";
    "PS510" E "evaluation" "预算执行有误" "budget execution entry wrong or missing";
    "PS511" W "evaluation" "缺少预算执行" "budget execution missing";
    "PS512" E "evaluation" "分值只写了一部分" "weights written for some indicators only";
    "PS513" W "evaluation" "实际完成值带有比较符" "actual written with a comparator";
    "PS514" W "evaluation" "实际完成值远超目标" "actual far beyond the target";
    "PS515" E "evaluation" "分值或得分有误" "invalid weight or score";
    "PS516" W "evaluation" "总分或等级与计算结果不符" "written total or grade disagrees";
}

pub fn lookup(code: &str) -> Option<&'static Rule> {
    let code = code.trim().to_ascii_uppercase();
    RULES.iter().find(|r| r.code == code)
}
