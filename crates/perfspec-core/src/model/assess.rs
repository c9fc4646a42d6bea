//! The year-end side of the model (绩效自评): an indicator's actual beside its target, the
//! score it earns, the budget execution and the project's total and grade. The rules are
//! plain functions of the model; the checker lowers the lines, calls them, and reports what
//! they cannot decide. `docs/self-evaluation.md` states every rule and its source.

use super::{higher_is_harder, Indicator, Loc, Target, Unit};
use crate::syntax::DateLit;
use crate::vocab::evaluation::{
    Group, FAR_EXCEEDS_PERCENT, MET_WORDS, MISSED_WORDS, SCORE_DECIMALS,
};
use crate::vocab::ops::Op;
use crate::vocab::Dimension;
use rust_decimal::{Decimal, RoundingStrategy};
use std::sync::Arc;

/// What an indicator achieved in the year.
#[derive(Debug, Clone, PartialEq)]
pub struct Actual {
    pub value: ActualValue,
    /// The comparator the line wrote before the value (`≥ 266 米`, copied from the target by
    /// many published forms): the actual is judged as the number, and the checker warns.
    pub bound: Option<Op>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ActualValue {
    Quantity {
        value: Decimal,
        unit: Arc<Unit>,
    },
    Date(DateLit),
    /// `及时`, `已完成`, `无`
    Text(String),
}

impl Actual {
    /// The form's notation, as a target prints: `38.00(次)`, `2026-06-30`, `已完成`.
    pub fn form_notation(&self) -> String {
        match &self.value {
            ActualValue::Quantity { value, unit } => format!("{value}{}", unit.in_brackets()),
            ActualValue::Date(d) => d.to_string(),
            ActualValue::Text(t) => t.clone(),
        }
    }
}

/// The lines under one indicator, and what the rules make of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub actual: Option<Actual>,
    /// 分值 as written.
    pub weight_written: Option<Decimal>,
    /// 分值 that counts: as written, or the indicator's share of its group's default weight
    /// (0 and unknown when [`Assessment::weight_to_fill`]).
    pub weight: Decimal,
    /// `分值 待填`: the source form gives no weight; it is unknown, and so are the scores
    /// the rules would compute and the project's total.
    pub weight_to_fill: bool,
    /// 得分 as written.
    pub score_written: Option<Decimal>,
    /// 得分 by the rules, when they can judge the actual.
    pub score_rule: Option<Decimal>,
    /// 得分 that counts: as written where written (a disagreement is a warning, never
    /// silently replaced), else by the rules; `None` when neither exists.
    pub score: Option<Decimal>,
    pub judgement: Judgement,
    /// 偏差原因分析及改进措施
    pub deviation: Option<String>,
    /// The first line under the indicator.
    pub loc: Loc,
}

/// Whether an actual meets its target, and which share of the weight it earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Judgement {
    /// `None`: the rules cannot tell (a word they do not know, or values that do not
    /// compare); a written 得分 decides then.
    pub met: Option<bool>,
    /// The share of the weight earned, 0 to 1; `None` when the rules cannot score.
    pub share: Option<Decimal>,
    /// The actual goes past the target by [`FAR_EXCEEDS_PERCENT`] % or more, in the
    /// direction that makes the target easy: it may have been set too low.
    pub far_exceeds: bool,
    /// For a floor with a positive target: the actual as a share of the target (1.316 for
    /// 131.6 %), unrounded.
    pub reached: Option<Decimal>,
}

impl Judgement {
    fn met() -> Judgement {
        Judgement {
            met: Some(true),
            share: Some(Decimal::ONE),
            far_exceeds: false,
            reached: None,
        }
    }
    fn missed(share: Decimal) -> Judgement {
        Judgement {
            met: Some(false),
            share: Some(share.clamp(Decimal::ZERO, Decimal::ONE)),
            far_exceeds: false,
            reached: None,
        }
    }
    const UNKNOWN: Judgement = Judgement {
        met: None,
        share: None,
        far_exceeds: false,
        reached: None,
    };
}

/// Why an actual cannot be compared with its target (the checker says so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// A number in a unit of another dimension, or of the same dimension without a known
    /// factor between the two (`公里` against `米`).
    Unit { actual: Arc<str>, target: Arc<str> },
    /// A number for a qualitative target, a date for a number, a word for a number.
    Kind,
}

/// An amount of `unit` in the unit `to`, when the two compare: the same canonical unit, or
/// two money units (万元 and 元).
pub fn convert(value: Decimal, unit: &Unit, to: &Unit) -> Option<Decimal> {
    if unit.canonical == to.canonical {
        return Some(value);
    }
    match (unit.yuan_factor, to.yuan_factor) {
        (Some(a), Some(b))
            if unit.dimension == Dimension::Money
                && to.dimension == Dimension::Money
                && !b.is_zero() =>
        {
            value.checked_mul(a).and_then(|v| v.checked_div(b))
        }
        _ => None,
    }
}

fn words_equal(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !crate::vocab::chars::is_space(*c))
            .collect()
    };
    squash(a) == squash(b)
}

/// `share` of the weight a ratio `num / den` earns, capped at 1 (a zero denominator earns
/// nothing when the numerator is positive, everything otherwise).
fn ratio(num: Decimal, den: Decimal) -> Decimal {
    if den <= Decimal::ZERO {
        return if num <= Decimal::ZERO {
            Decimal::ONE
        } else {
            Decimal::ZERO
        };
    }
    num.checked_div(den)
        .unwrap_or(Decimal::ZERO)
        .clamp(Decimal::ZERO, Decimal::ONE)
}

fn far(actual: Decimal, target: Decimal) -> bool {
    target > Decimal::ZERO
        && actual * Decimal::from(100) >= target * Decimal::from(FAR_EXCEEDS_PERCENT)
}

impl Indicator {
    /// Judge `actual` against this indicator's target by the national default rules:
    /// a quantitative target met earns its whole weight; missed, `actual / target` of it for
    /// a floor (`≥ >`, and `=` except for a cost) and `target / actual` for a cap (`≤ <`,
    /// a cost's `=`); a range, the ratio to the bound it missed; a deadline, all or nothing;
    /// a qualitative target, all when the actual says the same or says it was met (in
    /// [`MET_WORDS`]), nothing when it says it was not ([`MISSED_WORDS`]), and unknown
    /// otherwise.
    pub fn judge(&self, actual: &ActualValue) -> Result<Judgement, Mismatch> {
        // A unit left to fill (`≥ 100 待填`, `实际完成值 100 待填`): the two may or may not be
        // in the same unit; nothing is judged (the unit is not guessed).
        let unknown = |u: &Unit| u.dimension == Dimension::Unknown;
        if let ActualValue::Quantity { unit: au, .. } = actual {
            if unknown(au) || self.target.unit().is_some_and(unknown) {
                return Ok(Judgement::UNKNOWN);
            }
        }
        match (&self.target, actual) {
            (
                Target::Quantity { op, value, unit },
                ActualValue::Quantity { value: a, unit: au },
            ) => {
                let a = convert(*a, au, unit).ok_or_else(|| Mismatch::Unit {
                    actual: au.spelling.clone(),
                    target: unit.spelling.clone(),
                })?;
                let t = *value;
                let floor = higher_is_harder(*op, self.level1());
                let met = match op {
                    Op::Gt => a > t,
                    Op::Lt => a < t,
                    _ if floor => a >= t,
                    _ => a <= t,
                };
                let mut j = if met {
                    Judgement::met()
                } else if floor {
                    Judgement::missed(ratio(a, t))
                } else {
                    // A cap missed: target / actual (the actual is above the cap, so > 0).
                    Judgement::missed(ratio(t, a))
                };
                j.far_exceeds = floor && met && far(a, t);
                if floor && t > Decimal::ZERO {
                    j.reached = a.checked_div(t);
                }
                Ok(j)
            }
            (Target::Range(r), ActualValue::Quantity { value: a, unit: au }) => {
                let a = convert(*a, au, &r.unit).ok_or_else(|| Mismatch::Unit {
                    actual: au.spelling.clone(),
                    target: r.unit.spelling.clone(),
                })?;
                Ok(if a < r.low {
                    Judgement::missed(ratio(a, r.low))
                } else if a > r.high {
                    Judgement::missed(ratio(r.high, a))
                } else {
                    Judgement::met()
                })
            }
            (Target::Date { op, date }, ActualValue::Date(a)) => {
                let met = match op {
                    Op::Lt => a < date,
                    Op::Le => a <= date,
                    Op::Gt => a > date,
                    Op::Ge => a >= date,
                    _ => a == date,
                };
                Ok(if met {
                    Judgement::met()
                } else {
                    Judgement::missed(Decimal::ZERO)
                })
            }
            (Target::Qualitative { text }, ActualValue::Text(a)) => Ok(if words_equal(text, a) {
                Judgement::met()
            } else {
                judge_word(a)
            }),
            // A word for a number or a date (`已完成` says it was met, not how much), a
            // number for a word: the rules cannot judge; a written 得分 decides.
            _ => Err(Mismatch::Kind),
        }
    }
}

fn judge_word(a: &str) -> Judgement {
    let w: String = a
        .chars()
        .filter(|c| !crate::vocab::chars::is_space(*c))
        .collect();
    if MET_WORDS.contains(&w.as_str()) {
        Judgement::met()
    } else if MISSED_WORDS.contains(&w.as_str()) {
        Judgement::missed(Decimal::ZERO)
    } else {
        Judgement::UNKNOWN
    }
}

/// A score or rate shown with two decimals, rounded half away from zero (四舍五入).
pub fn round(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(SCORE_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(SCORE_DECIMALS);
    r
}

/// The score a judgement earns of `weight`.
pub fn score(weight: Decimal, j: &Judgement) -> Option<Decimal> {
    j.share.map(|s| round(weight * s))
}

/// A group's weight shared among `n` indicators, two decimals each, the last taking what
/// rounding left so that the shares add up to the weight exactly (50 among 3: 16.67,
/// 16.67, 16.66).
pub fn split_weight(weight: Decimal, n: usize) -> Vec<Decimal> {
    if n == 0 {
        return Vec::new();
    }
    let share = round(weight / Decimal::from(n as u64));
    let mut out = vec![share; n];
    let rest = weight - share * Decimal::from((n - 1) as u64);
    let mut rest = rest;
    rest.rescale(SCORE_DECIMALS);
    out[n - 1] = rest;
    out
}

/// The budget execution block, in 元, and what it earns.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    /// 年初预算数
    pub initial: Option<Decimal>,
    /// 全年预算数
    pub budget: Option<Decimal>,
    /// 全年执行数
    pub spent: Option<Decimal>,
    /// 分值 as written.
    pub weight_written: Option<Decimal>,
    /// 分值 that counts (written, or the template's default, 10).
    pub weight: Decimal,
    pub score_written: Option<Decimal>,
    /// 执行率 = 全年执行数 / 全年预算数, as a fraction (0.95), unrounded.
    pub rate: Option<Decimal>,
    /// 执行率 × 分值 (the rate counted at most 100 %).
    pub score_rule: Option<Decimal>,
    /// Written where written, else by the rule.
    pub score: Option<Decimal>,
    pub loc: Loc,
}

impl Execution {
    /// The rate in percent with two decimals (`95.00`).
    pub fn rate_percent(&self) -> Option<Decimal> {
        self.rate.map(|r| round(r * Decimal::from(100)))
    }
}

/// 执行率 and the score it earns of `weight`: `spent / budget`, the score `weight × rate`
/// with the rate counted at most 1. `None` without a positive budget.
pub fn execution_score(
    budget: Decimal,
    spent: Decimal,
    weight: Decimal,
) -> Option<(Decimal, Decimal)> {
    if budget <= Decimal::ZERO {
        return None;
    }
    let rate = spent.checked_div(budget)?;
    Some((
        rate,
        round(weight * rate.clamp(Decimal::ZERO, Decimal::ONE)),
    ))
}

/// One group's weight and score in a project's total.
#[derive(Debug, Clone, PartialEq)]
pub struct Subtotal {
    pub group: Group,
    pub weight: Decimal,
    /// A member's weight is `分值 待填`: the group's weight is unknown.
    pub weight_to_fill: bool,
    /// `None` when a score in the group is unknown.
    pub score: Option<Decimal>,
}

/// A project's self-evaluation as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub execution: Option<Execution>,
    /// 年度总体目标完成情况
    pub outcome: Option<String>,
    pub total_written: Option<Decimal>,
    pub grade_written: Option<String>,
    /// In group order: 预算执行率, 产出, 效益, 满意度 (a group with neither weight nor
    /// indicators is left out).
    pub subtotals: Vec<Subtotal>,
    /// The sum of the subtotals; `None` when any part is unknown.
    pub score: Option<Decimal>,
    /// The grade of `score` on the template's scale.
    pub grade: Option<&'static str>,
    pub loc: Loc,
}

impl Evaluation {
    /// The weights of every part added up (100 when they are as they should be).
    pub fn weight_total(&self) -> Decimal {
        self.subtotals.iter().map(|s| s.weight).sum()
    }
    /// Whether every weight is known (none is `分值 待填`).
    pub fn weights_known(&self) -> bool {
        !self.subtotals.iter().any(|s| s.weight_to_fill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Level2, Unit};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn unit(s: &str, dim: Dimension, f: Option<i64>) -> Arc<Unit> {
        Arc::new(Unit {
            spelling: s.into(),
            canonical: s.into(),
            dimension: dim,
            yuan_factor: f.map(Decimal::from),
        })
    }
    fn ind(level2: Level2, target: Target) -> Indicator {
        Indicator {
            level2,
            name: "x".into(),
            target,
            explicit_op: true,
            assessment: None,
            loc: Loc {
                file: "t".into(),
                line: 1,
                column: 1,
                span: Default::default(),
            },
        }
    }
    fn qty(op: Op, v: &str, u: &Arc<Unit>) -> Target {
        Target::Quantity {
            op,
            value: d(v),
            unit: u.clone(),
        }
    }
    fn act(v: &str, u: &Arc<Unit>) -> ActualValue {
        ActualValue::Quantity {
            value: d(v),
            unit: u.clone(),
        }
    }

    #[test]
    fn floors_caps_and_money_units() {
        let ci = unit("次", Dimension::Count, None);
        let i = ind(Level2::Quantity, qty(Op::Ge, "40", &ci));
        let j = i.judge(&act("38", &ci)).unwrap();
        assert_eq!((j.met, score(d("10"), &j)), (Some(false), Some(d("9.50"))));
        assert_eq!(i.judge(&act("40", &ci)).unwrap().met, Some(true));
        assert!(i.judge(&act("52", &ci)).unwrap().far_exceeds);
        // `=` is a floor except for a cost
        let e = ind(Level2::Quantity, qty(Op::Eq, "40", &ci));
        assert_eq!(e.judge(&act("41", &ci)).unwrap().met, Some(true));
        let wan = unit("万元", Dimension::Money, Some(10000));
        let yuan = unit("元", Dimension::Money, Some(1));
        let c = ind(Level2::EconomicCost, qty(Op::Le, "44", &wan));
        assert_eq!(c.judge(&act("440000", &yuan)).unwrap().met, Some(true));
        let j = c.judge(&act("55", &wan)).unwrap();
        assert_eq!(score(d("10"), &j), Some(d("8.00")));
        let ce = ind(Level2::EconomicCost, qty(Op::Eq, "44", &wan));
        assert_eq!(ce.judge(&act("40", &wan)).unwrap().met, Some(true));
        let km = unit("公里", Dimension::Length, None);
        assert!(matches!(
            i.judge(&act("1", &km)),
            Err(Mismatch::Unit { .. })
        ));
        assert!(matches!(
            i.judge(&ActualValue::Text("已完成".into())),
            Err(Mismatch::Kind)
        ));
    }

    #[test]
    fn qualitative_words() {
        let q = ind(
            Level2::Timeliness,
            Target::Qualitative {
                text: "及时".into(),
            },
        );
        let t = |s: &str| q.judge(&ActualValue::Text(s.into())).unwrap().met;
        assert_eq!(t("及 时"), Some(true));
        assert_eq!(t("已完成"), Some(true));
        assert_eq!(t("未完成"), Some(false));
        assert_eq!(t("基本及时"), None);
    }

    #[test]
    fn weights_split_exactly_and_round_half_up() {
        assert_eq!(
            split_weight(d("50"), 3),
            vec![d("16.67"), d("16.67"), d("16.66")]
        );
        assert_eq!(split_weight(d("30"), 1), vec![d("30.00")]);
        assert_eq!(split_weight(d("10"), 3).iter().sum::<Decimal>(), d("10"));
        assert_eq!(round(d("2.345")), d("2.35"));
        assert_eq!(round(d("2.5")).to_string(), "2.50");
        let (rate, s) = execution_score(d("200000"), d("190000"), d("10")).unwrap();
        assert_eq!((rate, s), (d("0.95"), d("9.50")));
        let (_, s) = execution_score(d("100"), d("120"), d("10")).unwrap();
        assert_eq!(s, d("10.00"));
        assert!(execution_score(Decimal::ZERO, d("1"), d("10")).is_none());
    }
}
