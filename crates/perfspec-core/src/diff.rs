//! Semantic diff of two checked models: what a reviewer of a declaration needs to see.
//!
//! Projects are matched by name, year and 实施单位 (then by name alone, so last year's spec
//! can be compared with this year's); indicators by name within their project, then by
//! rename detection. Every target change is classified: **收紧** (harder to meet), **放宽**
//! (easier), or **变更** (neither can be said: another comparator kind, another unit, a
//! qualitative word). The rules are in docs/review.md; in short:
//!
//! - `≥`/`>` are floors: a higher value is harder, and `>` is harder than `≥` at the same
//!   value. `≤`/`<` are caps: a lower value is harder, `<` harder than `≤`.
//! - `=` is scored 正向 (full marks when the actual reaches the target), so a higher `=`
//!   target is harder, except for cost indicators, where `=` states the budgeted amount and
//!   a lower one is harder (the checker counts `=` cost lines as caps too).
//! - Money targets in different money units compare in 元 (`≤ 44 万元` → `≤ 400000 元` is
//!   收紧); other unit changes are 变更.
//! - A range that becomes narrower is 收紧, wider 放宽; a deadline `≤` that moves earlier is
//!   收紧.
//!
//! Numbers compare by value: `40` and `40.00` are the same target, so a change of decimals
//! alone, like every formatting change, is no difference. So is the comparator-less
//! spelling of `=`.

use crate::diag::{Lang, Msg};
use crate::model::{self, keys, Level1, Level2, Model, Project, Target};
use crate::msg;
use crate::syntax::Op;
use crate::vocab::num::format_money;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::cmp::Ordering;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// Version of the JSON output; bumped only when keys change meaning or disappear.
pub const DIFF_JSON_VERSION: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Added,
    Removed,
    Changed,
}

/// How a target changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 收紧: harder to meet.
    Tightened,
    /// 放宽: easier to meet.
    Loosened,
    /// 变更: changed, but neither harder nor easier can be said.
    Changed,
}

/// Why a target change is 变更 rather than 收紧 or 放宽.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// `≥` became `=`, `≤` became `≥`, …
    Comparator,
    /// Another unit that cannot be converted (`件` → `次`).
    Unit,
    /// The same unit spelled otherwise (`%` → `百分比`), or money in another unit with the
    /// same amount.
    UnitSpelling,
    /// Number ↔ word ↔ date ↔ range.
    Kind,
    /// Another qualitative word, or an exact date that moved.
    Value,
    /// A range that neither contains nor lies inside the old one.
    Range,
}

impl Reason {
    fn msg(self) -> Msg {
        match self {
            Reason::Comparator => msg!("比较符种类改变", "comparator kind changed"),
            Reason::Unit => msg!("计量单位改变", "unit changed"),
            Reason::UnitSpelling => msg!(
                "单位写法改变，数值相同",
                "unit spelling changed, same amount"
            ),
            Reason::Kind => msg!("指标值类型改变", "kind of target changed"),
            Reason::Value => msg!("指标值改变", "target changed"),
            Reason::Range => msg!("区间移动", "range shifted"),
        }
    }
}

/// The whole difference between two sets of specs.
#[derive(Debug, Clone, Default)]
pub struct ModelDiff {
    pub projects: Vec<ProjectDiff>,
}

impl ModelDiff {
    pub fn is_empty(&self) -> bool {
        self.projects.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct ProjectDiff {
    pub status: Status,
    /// The project's name (the new one when it is on both sides).
    pub name: String,
    pub year: u16,
    pub unit: String,
    pub indicator_count: usize,
    /// 年度资金申请总额; `None` when the spec states no amounts (`资金 待填`).
    pub annual_total: Option<Decimal>,
    pub fields: Vec<FieldChange>,
    pub funding: Vec<MoneyChange>,
    pub goals: Vec<GoalChange>,
    pub indicators: Vec<IndicatorChange>,
    /// The self-evaluation's total or grade, when it changed.
    pub score: Option<ScoreChange>,
}

/// A header field, as the vocabulary names it (serialised `year`, `department`, …).
pub use crate::vocab::keys::Key as FieldKey;

fn field_label(key: FieldKey) -> Msg {
    let (zh, en) = (key.canonical(), key.spec().name_en);
    msg!("{zh}", "{en}")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: FieldKey,
    pub old: String,
    pub new: String,
}

/// The funding rows, as the vocabulary defines them.
pub use crate::vocab::FundRow as MoneyRow;

fn row_label(row: MoneyRow) -> Msg {
    let (zh, en) = (row.key(), row.name_en());
    msg!("{zh}", "{en}")
}

/// The row a money change is of: its funding row, or the year of a multi-year project's
/// funding by year (`2027年`).
fn money_label(m: &MoneyChange) -> Msg {
    match m.year {
        Some(y) => msg!("{y}年", "{y}"),
        None => row_label(m.row),
    }
}

/// A funding row that changed, in 元. `None` on a side that does not fill the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyChange {
    pub row: MoneyRow,
    /// A year of the funding by year (`2027年 …`): a part of 项目资金总额 (`row` is then
    /// the whole-life total).
    pub year: Option<u16>,
    pub old: Option<Decimal>,
    pub new: Option<Decimal>,
    /// new − old (a missing side counts as zero).
    pub difference: Decimal,
    /// The difference as a percentage of the old amount, rounded half away from zero to
    /// 0.01; `None` when the old amount is zero or missing.
    pub percent: Option<Decimal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalKey {
    /// 项目总目标
    Total,
    /// 年度总体目标
    Annual,
}

impl GoalKey {
    fn label(self) -> Msg {
        match self {
            GoalKey::Total => msg!("项目总目标", "overall goal"),
            GoalKey::Annual => msg!("年度总体目标", "annual goal"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalChange {
    pub goal: GoalKey,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Where the texts differ, character by character, with a little context.
    pub hunks: Vec<TextHunk>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextHunk {
    pub before: String,
    pub deleted: String,
    pub inserted: String,
    pub after: String,
}

/// One side of an indicator change.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSide {
    /// 1-based position among the project's indicators.
    pub position: usize,
    pub level2: Level2,
    pub name: String,
    pub target: Target,
    /// The year-end actual as a spec writes it (`270 米`), on evaluated projects.
    pub actual: Option<String>,
    /// Whether the actual meets the target (None: no actual, or the rules cannot tell).
    pub met: Option<bool>,
    /// The score that counts.
    pub score: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorChange {
    pub status: Status,
    /// Set when the target changed.
    pub verdict: Option<Verdict>,
    pub reason: Option<Reason>,
    pub renamed: bool,
    pub moved: bool,
    pub category_changed: bool,
    /// The actual, or whether it meets the target, changed (a 自评 written a year after
    /// the declaration shows every actual as changed from none).
    pub actual_changed: bool,
    pub old: Option<IndicatorSide>,
    pub new: Option<IndicatorSide>,
}

/// A project's 总分 or 等级 that changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreChange {
    pub old: Option<Decimal>,
    pub new: Option<Decimal>,
    pub old_grade: Option<&'static str>,
    pub new_grade: Option<&'static str>,
}

impl IndicatorChange {
    /// The new side, or the old one for a removed indicator.
    fn side(&self) -> Option<&IndicatorSide> {
        self.new.as_ref().or(self.old.as_ref())
    }
}

// ---------------------------------------------------------------------------------------
// Comparing

/// The difference between two models.
pub fn diff_models(old: &Model, new: &Model) -> ModelDiff {
    let pairs = keys::match_projects(&old.projects, &new.projects);
    let mut projects = Vec::new();
    for (o, n) in pairs {
        match (o, n) {
            (Some(o), Some(n)) => {
                let d = diff_project(&old.projects[o], &new.projects[n]);
                if !(d.fields.is_empty()
                    && d.funding.is_empty()
                    && d.goals.is_empty()
                    && d.indicators.is_empty()
                    && d.score.is_none())
                {
                    projects.push(d);
                }
            }
            (None, Some(n)) => projects.push(whole_project(&new.projects[n], Status::Added)),
            (Some(o), None) => projects.push(whole_project(&old.projects[o], Status::Removed)),
            (None, None) => {}
        }
    }
    ModelDiff { projects }
}

fn whole_project(p: &Project, status: Status) -> ProjectDiff {
    let indicators = p
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let side = Some(side_of(ind, i));
            let (old, new) = match status {
                Status::Removed => (side, None),
                _ => (None, side),
            };
            IndicatorChange {
                status,
                verdict: None,
                reason: None,
                renamed: false,
                moved: false,
                category_changed: false,
                actual_changed: false,
                old,
                new,
            }
        })
        .collect();
    ProjectDiff {
        status,
        name: p.name.clone(),
        year: p.year,
        unit: p.unit.clone(),
        indicator_count: p.indicators.len(),
        annual_total: p.funding.annual_total_given(),
        fields: Vec::new(),
        funding: Vec::new(),
        goals: Vec::new(),
        indicators,
        score: None,
    }
}

/// One side of an indicator change: the `i`-th indicator of its project.
fn side_of(ind: &crate::model::Indicator, i: usize) -> IndicatorSide {
    let a = ind.assessment.as_deref();
    IndicatorSide {
        position: i + 1,
        level2: ind.level2,
        name: ind.name.to_string(),
        target: ind.target.clone(),
        actual: a.and_then(|a| a.actual.as_ref()).map(actual_text),
        met: a.and_then(|a| a.actual.as_ref().and(a.judgement.met)),
        score: a.and_then(|a| a.score),
    }
}

/// An actual as a spec writes it: `270 米`, `2025-06-20`, `已完成`.
fn actual_text(a: &crate::model::Actual) -> String {
    match &a.value {
        crate::model::ActualValue::Quantity { value, unit } => format!("{value} {}", unit.spelling),
        crate::model::ActualValue::Date(d) => d.to_string(),
        crate::model::ActualValue::Text(t) => t.clone(),
    }
}

fn period(p: &Project) -> String {
    let d = |x: Option<crate::syntax::DateLit>| x.map_or("—".to_string(), |d| d.to_string());
    format!("{} 至 {}", d(p.start), d(p.end))
}

fn diff_project(o: &Project, n: &Project) -> ProjectDiff {
    let mut fields = Vec::new();
    let mut field = |field: FieldKey, old: String, new: String| {
        if old != new {
            fields.push(FieldChange { field, old, new });
        }
    };
    field(FieldKey::Year, o.year.to_string(), n.year.to_string());
    field(
        FieldKey::Department,
        o.department.clone(),
        n.department.clone(),
    );
    field(FieldKey::Unit, o.unit.clone(), n.unit.clone());
    field(FieldKey::Nature, o.nature.clone(), n.nature.clone());
    field(FieldKey::Kind, o.kind.clone(), n.kind.clone());
    field(FieldKey::Period, period(o), period(n));

    let (of, nf) = (&o.funding, &n.funding);
    // A side whose amounts the spec does not state (`资金 待填`) is missing, not zero.
    let (og, ng) = (|v| of.given.then_some(v), |v| nf.given.then_some(v));
    let rows = [
        (
            MoneyRow::AnnualTotal,
            og(of.annual_total),
            ng(nf.annual_total),
        ),
        (
            MoneyRow::Appropriation,
            og(of.appropriation),
            ng(nf.appropriation),
        ),
        (MoneyRow::Carryover, og(of.carryover), ng(nf.carryover)),
        (MoneyRow::Other, og(of.other), ng(nf.other)),
        (MoneyRow::ProjectTotal, of.project_total, nf.project_total),
        (
            MoneyRow::ProjectFiscal,
            of.project_fiscal,
            nf.project_fiscal,
        ),
        (MoneyRow::ProjectOther, of.project_other, nf.project_other),
    ];
    let mut funding: Vec<MoneyChange> = rows
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(row, old, new)| money_change(row, old, new))
        .collect();
    funding.extend(by_year_changes(of, nf));

    let mut goals = Vec::new();
    if o.goal_total != n.goal_total {
        goals.push(goal_change(
            GoalKey::Total,
            o.goal_total.clone(),
            n.goal_total.clone(),
        ));
    }
    if o.goal_annual != n.goal_annual {
        goals.push(goal_change(
            GoalKey::Annual,
            Some(o.goal_annual.clone()),
            Some(n.goal_annual.clone()),
        ));
    }

    ProjectDiff {
        status: Status::Changed,
        name: n.name.clone(),
        year: n.year,
        unit: n.unit.clone(),
        indicator_count: n.indicators.len(),
        annual_total: n.funding.annual_total_given(),
        fields,
        funding,
        goals,
        indicators: diff_indicators(o, n),
        score: score_change(o, n),
    }
}

fn score_change(o: &Project, n: &Project) -> Option<ScoreChange> {
    let of = |p: &Project| {
        p.evaluation
            .as_deref()
            .map_or((None, None), |e| (e.score, e.grade))
    };
    let ((os, og), (ns, ng)) = (of(o), of(n));
    (os != ns || og != ng).then_some(ScoreChange {
        old: os,
        new: ns,
        old_grade: og,
        new_grade: ng,
    })
}

fn money_change(row: MoneyRow, old: Option<Decimal>, new: Option<Decimal>) -> MoneyChange {
    // Amounts are at most 28 digits (the parser refuses more), so this cannot overflow in
    // practice; if it did, no difference is better than a panic.
    let mut difference = new
        .unwrap_or_default()
        .checked_sub(old.unwrap_or_default())
        .unwrap_or_default();
    difference.rescale(difference.scale().max(2));
    let percent = old.filter(|o| !o.is_zero()).and_then(|o| {
        let p = difference
            .checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(o)?;
        let mut p = p.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        p.rescale(2);
        Some(p)
    });
    MoneyChange {
        row,
        year: None,
        old,
        new,
        difference,
        percent,
    }
}

/// The years of two projects' funding by year whose amounts differ, in year order.
fn by_year_changes(o: &model::Funding, n: &model::Funding) -> Vec<MoneyChange> {
    let mut years: Vec<u16> = o.by_year.iter().chain(&n.by_year).map(|y| y.0).collect();
    years.sort_unstable();
    years.dedup();
    let amount = |f: &model::Funding, y: u16| f.by_year.iter().find(|x| x.0 == y).map(|x| x.1);
    years
        .into_iter()
        .filter_map(|y| {
            let (a, b) = (amount(o, y), amount(n, y));
            (a != b).then(|| MoneyChange {
                year: Some(y),
                ..money_change(MoneyRow::ProjectTotal, a, b)
            })
        })
        .collect()
}

/// Characters of context shown on each side of a change in a goal text.
const CONTEXT_CHARS: usize = 12;
/// Changes closer than this many equal characters are shown as one.
const MERGE_GAP: usize = 4;

fn goal_change(goal: GoalKey, old: Option<String>, new: Option<String>) -> GoalChange {
    let a: Vec<char> = old.as_deref().unwrap_or("").chars().collect();
    let b: Vec<char> = new.as_deref().unwrap_or("").chars().collect();
    GoalChange {
        goal,
        hunks: text_hunks(&a, &b),
        old,
        new,
    }
}

/// Character-level hunks; a long or hostile text gets a time budget, after which the diff is
/// coarser but still correct.
fn text_hunks(a: &[char], b: &[char]) -> Vec<TextHunk> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(300);
    // similar's compacted ops read best, but some Delete and Insert ops carry a wrong index
    // on the other side (similar 2.7, mitsuhiko/similar#78): slicing hunks out of them
    // panicked (found by the diff fuzz target). The ranges are rebuilt from the lengths in
    // order; if that does not add up to the two texts with equal runs equal, plain Myers.
    let compacted =
        similar::capture_diff_slices_deadline(similar::Algorithm::Myers, a, b, Some(deadline));
    let ranges = sequential_ranges(&compacted, a, b).unwrap_or_else(|| {
        let mut capture = similar::algorithms::Capture::new();
        match similar::algorithms::myers::diff_deadline(
            &mut capture,
            a,
            0..a.len(),
            b,
            0..b.len(),
            Some(deadline),
        ) {
            Ok(()) => sequential_ranges(&capture.into_ops(), a, b).unwrap_or_default(),
            Err(never) => match never {},
        }
    });
    // Ranges of changes as (old range, new range), merging ones separated by short equal runs.
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (tag, or, nr) in ranges {
        if tag == similar::DiffTag::Equal {
            continue;
        }
        match spans.last_mut() {
            Some(last)
                if or.start.saturating_sub(last.1) < MERGE_GAP
                    && nr.start.saturating_sub(last.3) < MERGE_GAP =>
            {
                last.1 = last.1.max(or.end);
                last.3 = last.3.max(nr.end);
            }
            _ => spans.push((or.start, or.end, nr.start, nr.end)),
        }
    }
    let s = |v: &[char]| v.iter().collect::<String>();
    spans
        .into_iter()
        .map(|(os, oe, ns, ne)| TextHunk {
            before: s(&a[os.saturating_sub(CONTEXT_CHARS)..os]),
            deleted: s(&a[os..oe]),
            inserted: s(&b[ns..ne]),
            after: s(&a[oe..(oe + CONTEXT_CHARS).min(a.len())]),
        })
        .collect()
}

type OpRanges = Vec<(
    similar::DiffTag,
    std::ops::Range<usize>,
    std::ops::Range<usize>,
)>;

/// The ops' ranges recomputed from their lengths, in order; `None` unless they cover both
/// texts exactly and every equal run is equal.
fn sequential_ranges(ops: &[similar::DiffOp], a: &[char], b: &[char]) -> Option<OpRanges> {
    let (mut o, mut n) = (0, 0);
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        let (tag, or, nr) = op.as_tag_tuple();
        let (ol, nl) = (or.len(), nr.len());
        let (orr, nrr) = (o..o + ol, n..n + nl);
        if tag == similar::DiffTag::Equal && a.get(orr.clone())? != b.get(nrr.clone())? {
            return None;
        }
        out.push((tag, orr, nrr));
        o += ol;
        n += nl;
    }
    (o == a.len() && n == b.len()).then_some(out)
}

/// Similarity of two names over characters, 0..=1.
fn similarity(a: &str, b: &str) -> f64 {
    crate::vocab::taxonomy::similarity(a, b)
}

/// Names at least this similar, in the same category and with a comparable target, are
/// taken for one renamed indicator.
const RENAME_SIMILARITY: f64 = 0.6;

/// Most (unmatched old × unmatched new) indicator pairs weighed for renames in one project.
const RENAME_PAIRS_BUDGET: usize = 1_000_000;

fn diff_indicators(o: &Project, n: &Project) -> Vec<IndicatorChange> {
    let (oi, ni) = (&o.indicators, &n.indicators);
    let mut old_match: Vec<Option<usize>> = vec![None; oi.len()];
    let mut new_match: Vec<Option<usize>> = vec![None; ni.len()];
    // 1. The same indicator (its key, the name: the k-th of a name with the k-th;
    //    duplicates are a checker error, but the diff still pairs them in order).
    for (i, j) in keys::match_indicators(oi, ni) {
        old_match[i] = Some(j);
        new_match[j] = Some(i);
    }
    // 2. Renamed: same category and the same target; the most similar name wins.
    // 3. Renamed and changed: same category, similar name, a target of the same shape.
    // Every unmatched old indicator is weighed against every unmatched new one; past a
    // budget (thousands of names changed in one project, a rewrite rather than an edit)
    // they are reported as removed and added instead of taking minutes.
    let unmatched_old = old_match.iter().filter(|m| m.is_none()).count();
    let unmatched_new = new_match.iter().filter(|m| m.is_none()).count();
    let passes = if unmatched_old.saturating_mul(unmatched_new) <= RENAME_PAIRS_BUDGET {
        2
    } else {
        0
    };
    for pass in 0..passes {
        for i in 0..oi.len() {
            if old_match[i].is_some() {
                continue;
            }
            let best = (0..ni.len())
                .filter(|&j| new_match[j].is_none() && ni[j].level2 == oi[i].level2)
                .filter(|&j| match pass {
                    0 => compare_targets(oi[i].level1(), &oi[i].target, &ni[j].target).is_none(),
                    _ => {
                        same_shape(&oi[i].target, &ni[j].target)
                            && similarity(&oi[i].name, &ni[j].name) >= RENAME_SIMILARITY
                    }
                })
                .map(|j| (similarity(&oi[i].name, &ni[j].name), j))
                .fold(None::<(f64, usize)>, |best, x| match best {
                    Some(b) if b.0 >= x.0 => Some(b),
                    _ => Some(x),
                });
            if let Some((_, j)) = best {
                old_match[i] = Some(j);
                new_match[j] = Some(i);
            }
        }
    }
    let moved = moved_set(&old_match);
    let side = |p: &Project, i: usize| side_of(&p.indicators[i], i);
    // Order: by new position; a removed indicator follows the new position of the matched
    // indicator that preceded it in the old file.
    let mut keyed: Vec<((usize, usize, usize), IndicatorChange)> = Vec::new();
    for (j, m) in new_match.iter().enumerate() {
        let change = match m {
            None => IndicatorChange {
                status: Status::Added,
                verdict: None,
                reason: None,
                renamed: false,
                moved: false,
                category_changed: false,
                actual_changed: false,
                old: None,
                new: Some(side(n, j)),
            },
            Some(i) => {
                let (ov, nv) = (&oi[*i], &ni[j]);
                let level1 = nv.level1();
                let cmp = compare_targets(level1, &ov.target, &nv.target);
                let (os, ns) = (side(o, *i), side(n, j));
                let actual_changed = os.actual != ns.actual || os.met != ns.met;
                let c = IndicatorChange {
                    status: Status::Changed,
                    verdict: cmp.map(|c| c.0),
                    reason: cmp.and_then(|c| c.1),
                    renamed: ov.name != nv.name,
                    moved: moved[*i],
                    category_changed: ov.level2 != nv.level2,
                    actual_changed,
                    old: Some(os),
                    new: Some(ns),
                };
                if c.verdict.is_none()
                    && !c.renamed
                    && !c.moved
                    && !c.category_changed
                    && !c.actual_changed
                {
                    continue;
                }
                c
            }
        };
        keyed.push(((j + 1, 0, 0), change));
    }
    // The new position of the last matched indicator before each removed one, carried
    // along instead of searched back for (that search was quadratic when most are removed).
    let mut anchor = 0;
    for (i, m) in old_match.iter().enumerate() {
        if let Some(j) = m {
            anchor = j + 1;
            continue;
        }
        keyed.push((
            (anchor, 1, i),
            IndicatorChange {
                status: Status::Removed,
                verdict: None,
                reason: None,
                renamed: false,
                moved: false,
                category_changed: false,
                actual_changed: false,
                old: Some(side(o, i)),
                new: None,
            },
        ));
    }
    keyed.sort_by_key(|k| k.0);
    keyed.into_iter().map(|k| k.1).collect()
}

/// Matched indicators that moved: those outside a longest run that kept its order.
fn moved_set(old_match: &[Option<usize>]) -> Vec<bool> {
    let pairs: Vec<(usize, usize)> = old_match
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|j| (i, j)))
        .collect();
    // Longest increasing subsequence of new positions, in old order (patience sorting).
    let mut tails: Vec<usize> = Vec::new(); // index into pairs
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let pos = tails.partition_point(|&t| pairs[t].1 < j);
        if pos > 0 {
            prev[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![false; pairs.len()];
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        keep[k] = true;
        cur = prev[k];
    }
    let mut moved = vec![false; old_match.len()];
    for (k, &(i, _)) in pairs.iter().enumerate() {
        moved[i] = !keep[k];
    }
    moved
}

fn same_shape(a: &Target, b: &Target) -> bool {
    match (a, b) {
        (Target::Quantity { unit: ua, .. }, Target::Quantity { unit: ub, .. }) => {
            ua.canonical == ub.canonical
        }
        (Target::Range(a), Target::Range(b)) => a.unit.canonical == b.unit.canonical,
        (Target::Date { .. }, Target::Date { .. }) => true,
        (Target::Qualitative { .. }, Target::Qualitative { .. }) => true,
        _ => false,
    }
}

/// Which way is harder for a comparator: `Some(true)` when a higher value is harder.
fn strict(op: Op) -> bool {
    matches!(op, Op::Gt | Op::Lt)
}

fn same_family(a: Op, b: Op) -> bool {
    a == b
        || matches!(
            (a, b),
            (Op::Ge, Op::Gt) | (Op::Gt, Op::Ge) | (Op::Le, Op::Lt) | (Op::Lt, Op::Le)
        )
}

/// Compare two bounds of one comparator family. `harder_up` says whether a higher value
/// is harder; a strict comparator is harder than the non-strict one at the same value.
fn bound_verdict<T: Ord>(harder_up: bool, old: (T, bool), new: (T, bool)) -> Option<Verdict> {
    let ord = match new.0.cmp(&old.0) {
        // At the same value a strict comparator is the harder one, floor or cap.
        Ordering::Equal => new.1.cmp(&old.1),
        o if harder_up => o,
        o => o.reverse(),
    };
    match ord {
        Ordering::Equal => None,
        Ordering::Greater => Some(Verdict::Tightened),
        Ordering::Less => Some(Verdict::Loosened),
    }
}

/// `None` when the targets mean the same; otherwise the verdict and, for 变更, why.
pub fn compare_targets(
    level1: Level1,
    old: &Target,
    new: &Target,
) -> Option<(Verdict, Option<Reason>)> {
    let changed = |r: Reason| Some((Verdict::Changed, Some(r)));
    match (old, new) {
        (
            Target::Quantity {
                op: oo,
                value: ov,
                unit: ou,
            },
            Target::Quantity {
                op: no,
                value: nv,
                unit: nu,
            },
        ) => {
            let (ov, nv) = if ou.canonical == nu.canonical {
                (*ov, *nv)
            } else {
                match (old.yuan(), new.yuan()) {
                    (Some(a), Some(b)) => (a, b),
                    _ => return changed(Reason::Unit),
                }
            };
            if !same_family(*oo, *no) {
                return changed(Reason::Comparator);
            }
            let verdict = bound_verdict(
                crate::model::higher_is_harder(*no, level1),
                (ov, strict(*oo)),
                (nv, strict(*no)),
            );
            match verdict {
                Some(v) => Some((v, None)),
                None if ou.spelling != nu.spelling => changed(Reason::UnitSpelling),
                None => None,
            }
        }
        (Target::Range(o), Target::Range(n)) => {
            let (ol, oh, ou) = (&o.low, &o.high, &o.unit);
            let (nl, nh, nu) = (&n.low, &n.high, &n.unit);
            if ou.canonical != nu.canonical {
                return changed(Reason::Unit);
            }
            if ol == nl && oh == nh {
                return (ou.spelling != nu.spelling)
                    .then_some((Verdict::Changed, Some(Reason::UnitSpelling)));
            }
            if nl >= ol && nh <= oh {
                Some((Verdict::Tightened, None))
            } else if nl <= ol && nh >= oh {
                Some((Verdict::Loosened, None))
            } else {
                changed(Reason::Range)
            }
        }
        (Target::Date { op: oo, date: od }, Target::Date { op: no, date: nd }) => {
            if !same_family(*oo, *no) {
                return changed(Reason::Comparator);
            }
            if *oo == Op::Eq {
                return (od != nd).then_some((Verdict::Changed, Some(Reason::Value)));
            }
            // A deadline (`≤`) that moves earlier is harder; a `≥` date that moves later.
            let up = matches!(no, Op::Ge | Op::Gt);
            bound_verdict(up, (*od, strict(*oo)), (*nd, strict(*no))).map(|v| (v, None))
        }
        (Target::Qualitative { text: a }, Target::Qualitative { text: b }) => {
            (a != b).then_some((Verdict::Changed, Some(Reason::Value)))
        }
        _ => changed(Reason::Kind),
    }
}

// ---------------------------------------------------------------------------------------
// Counting

/// Counts for a one-line summary and for bots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub projects_added: usize,
    pub projects_removed: usize,
    pub projects_changed: usize,
    pub indicators_added: usize,
    pub indicators_removed: usize,
    pub tightened: usize,
    pub loosened: usize,
    pub changed: usize,
    pub renamed: usize,
    pub moved: usize,
    pub recategorized: usize,
    pub funding_changes: usize,
    pub field_changes: usize,
    pub goal_changes: usize,
    /// Indicators whose actual changed (present only when some did), and of those how
    /// many now meet their target and how many miss it.
    #[serde(skip_serializing_if = "is_zero")]
    pub actuals_changed: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub met: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub missed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl ModelDiff {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for p in &self.projects {
            match p.status {
                Status::Added => s.projects_added += 1,
                Status::Removed => s.projects_removed += 1,
                Status::Changed => s.projects_changed += 1,
            }
            s.funding_changes += p.funding.len();
            s.field_changes += p.fields.len();
            s.goal_changes += p.goals.len();
            for i in &p.indicators {
                match i.status {
                    Status::Added => s.indicators_added += 1,
                    Status::Removed => s.indicators_removed += 1,
                    Status::Changed => {}
                }
                match i.verdict {
                    Some(Verdict::Tightened) => s.tightened += 1,
                    Some(Verdict::Loosened) => s.loosened += 1,
                    Some(Verdict::Changed) => s.changed += 1,
                    None => {}
                }
                if i.actual_changed {
                    s.actuals_changed += 1;
                    match i.new.as_ref().and_then(|n| n.met) {
                        Some(true) => s.met += 1,
                        Some(false) => s.missed += 1,
                        None => {}
                    }
                }
                s.renamed += usize::from(i.renamed);
                s.moved += usize::from(i.moved);
                s.recategorized += usize::from(i.category_changed);
            }
        }
        s
    }
}

// ---------------------------------------------------------------------------------------
// Words

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn verdict_word(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Tightened => pick(lang, "收紧", "tightened"),
        Verdict::Loosened => pick(lang, "放宽", "loosened"),
        Verdict::Changed => pick(lang, "变更", "changed"),
    }
}

/// The kind of an indicator line: what a reviewer should look at first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Added,
    Removed,
    Verdict(Verdict),
    Renamed,
    Recategorized,
    Moved,
    /// Only the year-end actual changed: met, missed, or not judged.
    Actual(Option<bool>),
}

fn kind(c: &IndicatorChange) -> Kind {
    match (c.status, c.verdict) {
        (Status::Added, _) => Kind::Added,
        (Status::Removed, _) => Kind::Removed,
        (_, Some(v)) => Kind::Verdict(v),
        _ if c.renamed => Kind::Renamed,
        _ if c.category_changed => Kind::Recategorized,
        _ if c.actual_changed && !c.moved => Kind::Actual(c.new.as_ref().and_then(|n| n.met)),
        _ => Kind::Moved,
    }
}

fn kind_word(k: Kind, lang: Lang) -> &'static str {
    match k {
        Kind::Added => pick(lang, "新增", "added"),
        Kind::Removed => pick(lang, "删除", "removed"),
        Kind::Verdict(v) => verdict_word(v, lang),
        Kind::Renamed => pick(lang, "改名", "renamed"),
        Kind::Recategorized => pick(lang, "归类", "recategorized"),
        Kind::Moved => pick(lang, "移动", "moved"),
        Kind::Actual(Some(true)) => pick(lang, "达成", "met"),
        Kind::Actual(Some(false)) => pick(lang, "未达成", "missed"),
        Kind::Actual(None) => pick(lang, "实际", "actual"),
    }
}

/// `实际完成值 — → 270 米（达成）`: what the year-end side of a change says.
fn actual_note(c: &IndicatorChange, lang: Lang) -> Option<String> {
    if !c.actual_changed {
        return None;
    }
    let none = "—".to_string();
    let old = c
        .old
        .as_ref()
        .and_then(|o| o.actual.clone())
        .unwrap_or_else(|| none.clone());
    let new = c
        .new
        .as_ref()
        .and_then(|n| n.actual.clone())
        .unwrap_or(none);
    let met = match c.new.as_ref().and_then(|n| n.met) {
        Some(true) => pick(lang, "，达成", ", met"),
        Some(false) => pick(lang, "，未达成", ", missed"),
        None => "",
    };
    let score = c
        .new
        .as_ref()
        .and_then(|n| n.score)
        .map(|s| match lang {
            Lang::Zh => format!("，得分 {s}"),
            Lang::En => format!(", score {s}"),
        })
        .unwrap_or_default();
    Some(match lang {
        Lang::Zh => format!("实际完成值 {old} → {new}{met}{score}"),
        Lang::En => format!("actual {old} → {new}{met}{score}"),
    })
}

/// A target as a spec writes it: `≥ 8000.00 件`, `90 ~ 100 %`, `≤ 2026-06-30`, `= 及时`.
pub fn target_text(t: &Target) -> String {
    match t {
        Target::Quantity { op, value, unit } => {
            format!("{} {value} {}", op.symbol(), unit.spelling)
        }
        Target::Range(r) => format!("{} ~ {} {}", r.low, r.high, r.unit.spelling),
        Target::Date { op, date } => format!("{} {date}", op.symbol()),
        Target::Qualitative { text } => format!("= {text}"),
    }
}

/// `95.00（良）`, or `—` for a total that is unknown or absent.
fn score_side(score: Option<Decimal>, grade: Option<&str>) -> String {
    match (score, grade) {
        (Some(s), Some(g)) => format!("{s}（{g}）"),
        (Some(s), None) => s.to_string(),
        _ => "—".to_string(),
    }
}

fn score_text(sc: &ScoreChange) -> String {
    format!(
        "{} → {}",
        score_side(sc.old, sc.old_grade),
        score_side(sc.new, sc.new_grade)
    )
}

fn signed_money(v: Decimal) -> String {
    if v.is_sign_negative() && !v.is_zero() {
        format_money(v)
    } else {
        format!("+{}", format_money(v))
    }
}

fn signed_percent(p: Decimal) -> String {
    if p.is_sign_negative() && !p.is_zero() {
        format!("{p}%")
    } else {
        format!("+{p}%")
    }
}

fn money_opt(v: Option<Decimal>) -> String {
    v.map_or("—".to_string(), format_money)
}

fn money_word(m: &MoneyChange, lang: Lang) -> &'static str {
    if m.difference.is_sign_negative() && !m.difference.is_zero() {
        pick(lang, "减少", "decreased")
    } else {
        pick(lang, "增加", "increased")
    }
}

fn money_note(m: &MoneyChange, lang: Lang) -> String {
    let mut s = format!(
        "{} {}",
        signed_money(m.difference),
        pick(lang, "元", "yuan")
    );
    if let Some(p) = m.percent {
        s.push_str(pick(lang, "，", ", "));
        s.push_str(&signed_percent(p));
    }
    s
}

/// The notes that go after an indicator line: what its kind word does not already say.
fn notes(c: &IndicatorChange, lang: Lang) -> Vec<String> {
    let k = kind(c);
    let mut out = Vec::new();
    if let (Some(r), Kind::Verdict(Verdict::Changed)) = (c.reason, k) {
        out.push(r.msg().get(lang).to_string());
    }
    if c.renamed && k != Kind::Renamed {
        out.push(pick(lang, "改名", "renamed").to_string());
    }
    if c.category_changed && k != Kind::Recategorized {
        out.push(pick(lang, "归类改变", "category changed").to_string());
    }
    if let Some(a) = actual_note(c, lang) {
        out.push(a);
    }
    if c.moved {
        if let (Some(o), Some(n)) = (&c.old, &c.new) {
            out.push(match lang {
                Lang::Zh => format!("位置 第 {} 条 → 第 {} 条", o.position, n.position),
                Lang::En => format!("moved from #{} to #{}", o.position, n.position),
            });
        }
    }
    out
}

/// `数量` or `数量 → 质量`.
fn category_text(c: &IndicatorChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) if o.level2 != n.level2 => {
            format!("{} → {}", o.level2.short(), n.level2.short())
        }
        _ => c
            .side()
            .map_or(String::new(), |s| s.level2.short().to_string()),
    }
}

/// `名称` or `旧名 → 新名`.
fn name_text(c: &IndicatorChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) if o.name != n.name => format!("{} → {}", o.name, n.name),
        _ => c.side().map_or(String::new(), |s| s.name.clone()),
    }
}

/// `≥ 8000 件` or `≥ 8000 件 → ≥ 8500 件`.
fn target_change_text(c: &IndicatorChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) if c.verdict.is_some() => {
            format!("{} → {}", target_text(&o.target), target_text(&n.target))
        }
        _ => c.side().map_or(String::new(), |s| target_text(&s.target)),
    }
}

fn summary_line(s: &Summary, lang: Lang) -> String {
    let parts: [(usize, &str, &str); 17] = [
        (s.projects_added, "新增项目", "projects added"),
        (s.projects_removed, "删除项目", "projects removed"),
        (s.projects_changed, "修改项目", "projects changed"),
        (s.tightened, "收紧", "tightened"),
        (s.loosened, "放宽", "loosened"),
        (s.changed, "变更", "changed"),
        (s.indicators_added, "新增指标", "indicators added"),
        (s.indicators_removed, "删除指标", "indicators removed"),
        (s.renamed, "改名", "renamed"),
        (s.recategorized, "归类改变", "recategorized"),
        (s.moved, "移动", "moved"),
        (s.funding_changes, "资金变化", "funding changes"),
        (s.field_changes, "表头变化", "header changes"),
        (s.goal_changes, "目标文本变化", "goal changes"),
        (s.actuals_changed, "实际完成值变化", "actuals changed"),
        (s.met, "达成", "met"),
        (s.missed, "未达成", "missed"),
    ];
    let listed: Vec<String> = parts
        .iter()
        .filter(|p| p.0 > 0)
        .map(|(n, zh, en)| match lang {
            Lang::Zh => format!("{zh} {n}"),
            Lang::En => format!("{en}: {n}"),
        })
        .collect();
    if listed.is_empty() {
        return pick(lang, "没有实质变化", "no changes in meaning").to_string();
    }
    listed.join(pick(lang, "，", ", "))
}

fn project_title(p: &ProjectDiff, lang: Lang) -> String {
    match (p.status, lang) {
        (Status::Added, Lang::Zh) => format!("新增项目 {}", p.name),
        (Status::Removed, Lang::Zh) => format!("删除项目 {}", p.name),
        (Status::Changed, Lang::Zh) => format!("项目 {}", p.name),
        (Status::Added, Lang::En) => format!("added project {}", p.name),
        (Status::Removed, Lang::En) => format!("removed project {}", p.name),
        (Status::Changed, Lang::En) => format!("project {}", p.name),
    }
}

fn project_facts(p: &ProjectDiff, lang: Lang) -> String {
    let n = p.indicator_count;
    let to_fill = crate::vocab::keys::TO_FILL;
    let year = match p.year {
        0 => to_fill.to_string(),
        y => y.to_string(),
    };
    let total = |unit: &str| match p.annual_total {
        Some(t) => format!("{} {unit}", format_money(t)),
        None => to_fill.to_string(),
    };
    match lang {
        Lang::Zh => format!("{year} 年度，{n} 条指标，年度资金申请总额 {}", total("元")),
        Lang::En => format!(
            "year {year}, {n} indicators, annual request {}",
            total("yuan")
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Text

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn kind(&self, k: Kind, s: &str) -> String {
        let code = match k {
            Kind::Added | Kind::Verdict(Verdict::Tightened) => "32",
            Kind::Removed | Kind::Verdict(Verdict::Loosened) => "31",
            Kind::Verdict(Verdict::Changed) => "33",
            Kind::Renamed | Kind::Recategorized | Kind::Moved => "36",
            Kind::Actual(Some(true)) => "32",
            Kind::Actual(Some(false)) => "31",
            Kind::Actual(None) => "36",
        };
        self.wrap(code, s)
    }
}

fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

fn hunk_text(h: &TextHunk, paint: &Paint) -> String {
    let flat = |s: &str| s.replace('\n', "↵");
    let mut out = String::from("…");
    out.push_str(&flat(&h.before));
    if !h.deleted.is_empty() {
        out.push_str(&paint.wrap("31", &format!("[-{}-]", flat(&h.deleted))));
    }
    if !h.inserted.is_empty() {
        out.push_str(&paint.wrap("32", &format!("{{+{}+}}", flat(&h.inserted))));
    }
    out.push_str(&flat(&h.after));
    out.push('…');
    out
}

/// The diff with every text from the specs made safe to show: control characters (terminal
/// escape sequences), bidi controls and invisible characters written as `<U+202E>`
/// (`diag::visible`). The JSON rendering keeps the text as it is: it is data.
fn for_display(d: &ModelDiff) -> ModelDiff {
    let v = |s: &str| crate::diag::visible(s).into_owned();
    let target = |t: &Target| match t {
        Target::Qualitative { text } => Target::Qualitative { text: v(text) },
        Target::Quantity { op, value, unit } => Target::Quantity {
            op: *op,
            value: *value,
            unit: shown_unit(unit).into(),
        },
        Target::Range(r) => Target::Range(Box::new(crate::model::Range {
            low: r.low,
            high: r.high,
            unit: shown_unit(&r.unit).into(),
        })),
        t => t.clone(),
    };
    let side = |s: &Option<IndicatorSide>| {
        s.as_ref().map(|s| IndicatorSide {
            name: v(&s.name),
            target: target(&s.target),
            ..s.clone()
        })
    };
    ModelDiff {
        projects: d
            .projects
            .iter()
            .map(|p| ProjectDiff {
                name: v(&p.name),
                unit: v(&p.unit),
                fields: p
                    .fields
                    .iter()
                    .map(|f| FieldChange {
                        field: f.field,
                        old: v(&f.old),
                        new: v(&f.new),
                    })
                    .collect(),
                goals: p
                    .goals
                    .iter()
                    .map(|g| GoalChange {
                        goal: g.goal,
                        old: g.old.as_deref().map(v),
                        new: g.new.as_deref().map(v),
                        hunks: g
                            .hunks
                            .iter()
                            .map(|h| TextHunk {
                                before: v(&h.before),
                                deleted: v(&h.deleted),
                                inserted: v(&h.inserted),
                                after: v(&h.after),
                            })
                            .collect(),
                    })
                    .collect(),
                indicators: p
                    .indicators
                    .iter()
                    .map(|c| IndicatorChange {
                        old: side(&c.old),
                        new: side(&c.new),
                        ..c.clone()
                    })
                    .collect(),
                ..p.clone()
            })
            .collect(),
    }
}

fn shown_unit(u: &crate::model::Unit) -> crate::model::Unit {
    crate::model::Unit {
        spelling: crate::diag::visible(&u.spelling).into(),
        canonical: crate::diag::visible(&u.canonical).into(),
        ..u.clone()
    }
}

/// Plain text, one line per change; ANSI colours when `color` is set.
pub fn render_text(d: &ModelDiff, lang: Lang, color: bool) -> String {
    let shown = for_display(d);
    let d = &shown;
    let paint = Paint { on: color };
    let label_width = match lang {
        Lang::Zh => 4,
        Lang::En => 13,
    };
    let colon = pick(lang, "：", ": ");
    let mut out = String::new();
    for p in &d.projects {
        let _ = writeln!(
            out,
            "{}{}",
            paint.wrap("1", &project_title(p, lang)),
            match p.status {
                Status::Changed => String::new(),
                _ => format!(
                    "{}{}{}",
                    pick(lang, "（", " ("),
                    project_facts(p, lang),
                    pick(lang, "）", ")")
                ),
            }
        );
        if p.status == Status::Removed {
            out.push('\n');
            continue;
        }
        for f in &p.fields {
            let label = pad(pick(lang, "变更", "changed"), label_width);
            let _ = writeln!(
                out,
                "  {} {}{colon}{} → {}",
                paint.kind(Kind::Verdict(Verdict::Changed), &label),
                field_label(f.field).get(lang),
                f.old,
                f.new
            );
        }
        for m in &p.funding {
            let label = pad(money_word(m, lang), label_width);
            let _ = writeln!(
                out,
                "  {} {} › {}{colon}{} → {}{}{}{}",
                paint.wrap("33", &label),
                pick(lang, "资金", "funding"),
                money_label(m).get(lang),
                money_opt(m.old),
                money_opt(m.new),
                pick(lang, "（", " ("),
                money_note(m, lang),
                pick(lang, "）", ")"),
            );
        }
        for g in &p.goals {
            let label = pad(pick(lang, "变更", "changed"), label_width);
            let _ = writeln!(
                out,
                "  {} {}",
                paint.kind(Kind::Verdict(Verdict::Changed), &label),
                g.goal.label().get(lang)
            );
            for h in &g.hunks {
                let _ = writeln!(
                    out,
                    "{}{}",
                    " ".repeat(label_width + 3),
                    hunk_text(h, &paint)
                );
            }
        }
        if let Some(sc) = &p.score {
            let label = pad(pick(lang, "变更", "changed"), label_width);
            let _ = writeln!(
                out,
                "  {} {}{colon}{}",
                paint.kind(Kind::Verdict(Verdict::Changed), &label),
                pick(lang, "总分", "total score"),
                score_text(sc)
            );
        }
        for c in &p.indicators {
            let k = kind(c);
            let label = pad(kind_word(k, lang), label_width);
            let mut line = format!(
                "  {} {} › {}{colon}{}",
                paint.kind(k, &label),
                category_text(c),
                name_text(c),
                target_change_text(c)
            );
            let n = notes(c, lang);
            if !n.is_empty() {
                line.push_str(pick(lang, "（", " ("));
                line.push_str(&n.join(pick(lang, "；", "; ")));
                line.push_str(pick(lang, "）", ")"));
            }
            let _ = writeln!(out, "{line}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary_line(&d.summary(), lang));
    out
}

// ---------------------------------------------------------------------------------------
// Markdown

/// Text safe inside a Markdown table cell: no pipes, no markup, no line breaks.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '*' | '_' | '`' | '~' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

fn md_hunks(hunks: &[TextHunk], old: bool) -> String {
    hunks
        .iter()
        .map(|h| {
            let (tag, mid) = if old {
                ("del", &h.deleted)
            } else {
                ("ins", &h.inserted)
            };
            let mid = if mid.is_empty() {
                String::new()
            } else {
                format!("<{tag}>{}</{tag}>", md(mid))
            };
            format!("…{}{mid}{}…", md(&h.before), md(&h.after))
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A pull-request comment: a heading with the summary, then one table per project.
pub fn render_markdown(d: &ModelDiff, lang: Lang) -> String {
    let shown = for_display(d);
    let d = &shown;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## {}\n",
        pick(lang, "绩效目标变化", "Changes to performance targets")
    );
    let _ = writeln!(out, "{}\n", summary_line(&d.summary(), lang));
    let head = match lang {
        Lang::Zh => "| 变化 | 内容 | 原 | 新 | 说明 |\n|---|---|---|---|---|\n",
        Lang::En => "| change | item | old | new | note |\n|---|---|---|---|---|\n",
    };
    for p in &d.projects {
        let _ = writeln!(out, "### {}\n", md(&project_title(p, lang)));
        if p.status != Status::Changed {
            let _ = writeln!(out, "{}\n", md(&project_facts(p, lang)));
        }
        if p.status == Status::Removed {
            continue;
        }
        out.push_str(head);
        for f in &p.fields {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |  |",
                pick(lang, "变更", "changed"),
                md(field_label(f.field).get(lang)),
                md(&f.old),
                md(&f.new)
            );
        }
        for m in &p.funding {
            let _ = writeln!(
                out,
                "| {} | {} › {} | {} | {} | {} |",
                money_word(m, lang),
                pick(lang, "资金", "funding"),
                md(money_label(m).get(lang)),
                money_opt(m.old),
                money_opt(m.new),
                md(&money_note(m, lang))
            );
        }
        for g in &p.goals {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |  |",
                pick(lang, "变更", "changed"),
                md(g.goal.label().get(lang)),
                md_hunks(&g.hunks, true),
                md_hunks(&g.hunks, false)
            );
        }
        if let Some(sc) = &p.score {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |  |",
                pick(lang, "变更", "changed"),
                pick(lang, "总分", "total score"),
                md(&score_side(sc.old, sc.old_grade)),
                md(&score_side(sc.new, sc.new_grade))
            );
        }
        for c in &p.indicators {
            let k = kind(c);
            let old = c
                .old
                .as_ref()
                .map_or(String::new(), |s| md(&target_text(&s.target)));
            let new = c
                .new
                .as_ref()
                .map_or(String::new(), |s| md(&target_text(&s.target)));
            let word = match k {
                Kind::Verdict(Verdict::Tightened | Verdict::Loosened) => {
                    format!("**{}**", kind_word(k, lang))
                }
                _ => kind_word(k, lang).to_string(),
            };
            let _ = writeln!(
                out,
                "| {word} | {} › {} | {old} | {new} | {} |",
                md(&category_text(c)),
                md(&name_text(c)),
                md(&notes(c, lang).join(pick(lang, "；", "; ")))
            );
        }
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct JsonDiff<'a> {
    diff_version: u32,
    equal: bool,
    summary: Summary,
    projects: Vec<JsonProject<'a>>,
}

#[derive(Serialize)]
struct JsonProject<'a> {
    status: Status,
    name: &'a str,
    year: u16,
    unit: &'a str,
    indicator_count: usize,
    /// null when the spec states no amounts (`资金 待填`).
    #[serde(with = "rust_decimal::serde::str_option")]
    annual_total: Option<Decimal>,
    fields: Vec<JsonField<'a>>,
    funding: Vec<JsonMoney>,
    goals: Vec<JsonGoal<'a>>,
    indicators: Vec<JsonIndicator>,
    /// The self-evaluation's total and grade, when they changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<JsonScore>,
}

#[derive(Serialize)]
struct JsonScore {
    #[serde(with = "rust_decimal::serde::str_option")]
    old: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    new: Option<Decimal>,
    old_grade: Option<&'static str>,
    new_grade: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonField<'a> {
    field: FieldKey,
    old: &'a str,
    new: &'a str,
}

#[derive(Serialize)]
struct JsonMoney {
    field: MoneyRow,
    /// A year of the funding by year (then `field` is `project_total`).
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<u16>,
    #[serde(with = "rust_decimal::serde::str_option")]
    old: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    new: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    difference: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    percent: Option<Decimal>,
}

#[derive(Serialize)]
struct JsonGoal<'a> {
    field: GoalKey,
    old: Option<&'a str>,
    new: Option<&'a str>,
    hunks: &'a [TextHunk],
}

#[derive(Serialize)]
struct JsonIndicator {
    status: Status,
    verdict: Option<Verdict>,
    reason: Option<Reason>,
    renamed: bool,
    moved: bool,
    category_changed: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    actual_changed: bool,
    old: Option<JsonSide>,
    new: Option<JsonSide>,
}

#[derive(Serialize)]
struct JsonSide {
    position: usize,
    level1: &'static str,
    level2: &'static str,
    name: String,
    /// `=`, `>=`, `<=`, `>`, `<`; `range`; null for qualitative targets.
    op: Option<&'static str>,
    /// The number as written, the date, or the qualitative word; null for ranges.
    value: Option<String>,
    low: Option<String>,
    high: Option<String>,
    unit: Option<String>,
    /// As a spec writes it: `≥ 8000.00 件`.
    text: String,
    /// The year-end side, on evaluated projects only.
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    met: Option<bool>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    score: Option<Decimal>,
}

fn json_side(s: &IndicatorSide) -> JsonSide {
    let (op, value, low, high) = s.target.contract_fields();
    JsonSide {
        position: s.position,
        level1: s.level2.level1().name(),
        level2: s.level2.name(),
        name: s.name.clone(),
        op,
        value,
        low,
        high,
        unit: s.target.unit().map(|u| u.spelling.to_string()),
        text: target_text(&s.target),
        actual: s.actual.clone(),
        met: s.met,
        score: s.score,
    }
}

/// For bots: stable English keys, decimal strings for money, pretty-printed, one trailing
/// newline.
pub fn render_json(d: &ModelDiff) -> String {
    let doc = JsonDiff {
        diff_version: DIFF_JSON_VERSION,
        equal: d.is_empty(),
        summary: d.summary(),
        projects: d
            .projects
            .iter()
            .map(|p| JsonProject {
                status: p.status,
                name: &p.name,
                year: p.year,
                unit: &p.unit,
                indicator_count: p.indicator_count,
                annual_total: p.annual_total,
                fields: p
                    .fields
                    .iter()
                    .map(|f| JsonField {
                        field: f.field,
                        old: &f.old,
                        new: &f.new,
                    })
                    .collect(),
                funding: p
                    .funding
                    .iter()
                    .map(|m| JsonMoney {
                        field: m.row,
                        year: m.year,
                        old: m.old,
                        new: m.new,
                        difference: m.difference,
                        percent: m.percent,
                    })
                    .collect(),
                goals: p
                    .goals
                    .iter()
                    .map(|g| JsonGoal {
                        field: g.goal,
                        old: g.old.as_deref(),
                        new: g.new.as_deref(),
                        hunks: &g.hunks,
                    })
                    .collect(),
                indicators: p
                    .indicators
                    .iter()
                    .map(|c| JsonIndicator {
                        status: c.status,
                        verdict: c.verdict,
                        reason: c.reason,
                        renamed: c.renamed,
                        moved: c.moved,
                        category_changed: c.category_changed,
                        actual_changed: c.actual_changed,
                        old: c.old.as_ref().map(json_side),
                        new: c.new.as_ref().map(json_side),
                    })
                    .collect(),
                score: p.score.as_ref().map(|x| JsonScore {
                    old: x.old,
                    new: x.new,
                    old_grade: x.old_grade,
                    new_grade: x.new_grade,
                }),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
