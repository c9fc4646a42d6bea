//! The funding block → `model::Funding`: amounts in exact 元 to the fen. An entry that
//! cannot be read is reported and leaves the project without funding (the sums of the
//! money rules would only repeat the mistake).

use super::FundingAt;
use crate::check::cx::Cx;
use crate::check::units::normalize_spelling;
use crate::diag::{Code, Diagnostic, Fix};
use crate::model::Funding;
use crate::msg;
use crate::syntax::{self, FundingItem};
use crate::vocab::funding::{self as vocab_funding, FundRow as Row};
use rust_decimal::Decimal;

/// Funding amounts above this are refused (PS004).
pub const MAX_AMOUNT_YUAN: i64 = 1_000_000_000_000_000;

/// Read a funding block. The funding is `None` when an entry was refused or the block
/// holds no amount (both reported).
pub(super) fn funding(cx: &mut Cx<'_>, block: &syntax::Funding) -> (Option<Funding>, FundingAt) {
    let total_entry = block
        .items
        .iter()
        .find_map(|i| match i {
            FundingItem::Entry(e)
                if matches!(e.key.value.as_str(), "年度资金申请总额" | "年度申请总额") =>
            {
                Some(e.span)
            }
            _ => None,
        })
        .unwrap_or(block.span);
    let mut at = FundingAt {
        block: block.span,
        rows: Vec::new(),
        years: Vec::new(),
        total_entry,
        lowered: false,
    };
    let mut rows: Vec<(Row, Decimal)> = Vec::new();
    let mut by_year: Vec<(u16, Decimal)> = Vec::new();
    // An entry that was refused (reported) leaves the sums meaningless: checking them would
    // report the same mistake a second time as a total that does not add up.
    let mut rejected = false;
    for item in &block.items {
        let FundingItem::Entry(e) = item else {
            continue;
        };
        let key = e.key.value.as_str();
        if let Some(year) = Row::year_of_key(key) {
            let prev = at.years.iter().find(|y| y.0 == year).map(|y| y.1);
            match entry_amount(cx, e, prev) {
                Entry::Read(amount) => {
                    by_year.push((year, amount));
                    at.years.push((year, e.span));
                }
                Entry::Again => {}
                Entry::Refused => rejected = true,
            }
            continue;
        }
        let Some(row) = Row::from_key(key) else {
            unknown_row(cx, e);
            rejected = true;
            continue;
        };
        match entry_amount(cx, e, at.row(row)) {
            Entry::Read(amount) => {
                rows.push((row, amount));
                at.rows.push((row, e.span));
            }
            Entry::Again => {}
            Entry::Refused => rejected = true,
        }
    }
    if rejected {
        return (None, at);
    }
    let get = |r: Row| rows.iter().find(|x| x.0 == r).map(|x| x.1);
    let appropriation = get(Row::Appropriation);
    let carryover = get(Row::Carryover);
    let other = get(Row::Other);
    let stated = get(Row::AnnualTotal);
    let parts_given = appropriation.is_some() || carryover.is_some() || other.is_some();
    if !parts_given && stated.is_none() {
        cx.push(
            Diagnostic::new(
                Code::PS207,
                msg!("资金块没有任何金额", "the 资金 block has no amounts"),
                block.span,
                msg!("空的资金块", "empty block"),
            )
            .with_help(msg!(
                "写明 当年财政拨款、上年结转资金、其他资金",
                "write 当年财政拨款, 上年结转资金 and 其他资金"
            )),
        );
        return (None, at);
    }
    let zero = Decimal::new(0, 2);
    let sum = appropriation.unwrap_or(zero) + carryover.unwrap_or(zero) + other.unwrap_or(zero);
    at.lowered = true;
    let funding = Funding {
        given: true,
        // As stated (a total that is not the sum of its parts is PS201's), else the sum.
        annual_total: stated.unwrap_or(sum),
        annual_total_stated: stated.is_some(),
        appropriation: appropriation.unwrap_or(zero),
        carryover: carryover.unwrap_or(zero),
        other: other.unwrap_or(zero),
        project_total: get(Row::ProjectTotal),
        project_fiscal: get(Row::ProjectFiscal),
        project_other: get(Row::ProjectOther),
        by_year,
    };
    (Some(funding), at)
}

/// What a funding entry gave.
enum Entry {
    Read(Decimal),
    /// The row (or year) was given before: PS102, this entry ignored.
    Again,
    /// The amount cannot be read (reported): the block's sums mean nothing.
    Refused,
}

/// The amount of an entry whose row (or year) was first given at `prev`, if it was.
fn entry_amount(cx: &mut Cx<'_>, e: &syntax::FundingEntry, prev: Option<syntax::Span>) -> Entry {
    let key = e.key.value.as_str();
    if let Some(prev) = prev {
        cx.push(
            Diagnostic::new(
                Code::PS102,
                msg!(
                    "资金项 “{key}” 写了两次",
                    "funding entry “{key}” is given twice"
                ),
                e.span,
                msg!("重复", "given again here"),
            )
            .with_label(prev, msg!("第一次在这里", "first given here"))
            .with_help(msg!("删除其中一行", "delete one of the two lines")),
        );
        return Entry::Again;
    }
    if cx.syntax_error_in(e.amount.span, Code::PS004) {
        return Entry::Refused;
    }
    match amount(cx, e) {
        Some(a) => Entry::Read(a),
        None => Entry::Refused,
    }
}

/// PS208: a key that is no row of the form, with the nearest rows as the hint.
fn unknown_row(cx: &mut Cx<'_>, e: &syntax::FundingEntry) {
    let key = e.key.value.as_str();
    let near: Vec<&str> = {
        let mut v: Vec<(f64, &str)> = vocab_funding::spec_spellings()
            .map(|(k, _)| (crate::vocab::taxonomy::similarity(key, k), k))
            .filter(|(s, _)| *s >= 0.4)
            .collect();
        v.sort_by(|a, b| b.0.total_cmp(&a.0));
        v.into_iter().take(2).map(|(_, k)| k).collect()
    };
    let all = vocab_funding::spec_spellings()
        .map(|(k, _)| k)
        .collect::<Vec<_>>()
        .join("、");
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!("（是否想写 {}？）", near.join(" 或 "))
    };
    let hint_en = if near.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", near.join(" or "))
    };
    let mut d = Diagnostic::new(
        Code::PS208,
        msg!(
            "未知的资金项 “{key}”{hint}",
            "unknown funding entry “{key}”{hint_en}"
        ),
        e.key.span,
        msg!("不是申报表上的资金项", "not a row of the form"),
    )
    .with_help(msg!("资金项可用：{all}", "funding rows: {all}"));
    if let Some(n) = near.first() {
        d = d.with_fix(Fix::replace(
            msg!("改为 “{n}”", "write “{n}”"),
            e.key.span,
            *n,
        ));
    }
    cx.push(d);
}

/// An entry's amount in 元 with two decimals; `None` when it cannot be one (reported:
/// PS004 too large, PS209 not money, PS205 negative, PS204 finer than a fen).
fn amount(cx: &mut Cx<'_>, e: &syntax::FundingEntry) -> Option<Decimal> {
    let mut amount = e.amount.value.value;
    if let Some(u) = &e.unit {
        match normalize_spelling(&u.value).as_str() {
            "元" => {}
            "万元" => match amount.checked_mul(Decimal::from(10_000)) {
                Some(v) => amount = v,
                None => {
                    cx.push(
                        Diagnostic::new(
                            Code::PS004,
                            msg!(
                                "金额 {amount} 万元 换算为元后超出可精确表示的范围",
                                "{amount} 万元 is too large to hold exactly in 元"
                            ),
                            e.amount.span,
                            msg!("过大", "too large"),
                        )
                        .with_help(msg!("检查是否多写了数字", "check for extra digits")),
                    );
                    return None;
                }
            },
            other => {
                cx.push(
                    Diagnostic::new(
                        Code::PS209,
                        msg!(
                            "资金金额的单位 “{other}” 不是金额单位",
                            "funding amount in “{other}”, which is not money"
                        ),
                        u.span,
                        msg!("应为 元 或 万元", "expected 元 or 万元"),
                    )
                    .with_help(msg!(
                        "资金以元为单位，可省略单位：`当年财政拨款 991,823.00`",
                        "funding is in 元 and the unit may be left out: `当年财政拨款 991,823.00`"
                    )),
                );
                return None;
            }
        }
    }
    // No declaration asks for a thousand trillion 元; the bound also keeps every sum of
    // amounts far inside what an exact decimal holds.
    if amount.abs() > Decimal::from(MAX_AMOUNT_YUAN) {
        cx.push(
            Diagnostic::new(
                Code::PS004,
                msg!(
                    "金额 {amount} 元超出合理范围（上限 10^15 元）",
                    "amount {amount} 元 is beyond any real budget (limit 10^15 元)"
                ),
                e.amount.span,
                msg!("过大", "too large"),
            )
            .with_help(msg!(
                "检查是否多写了数字；金额以元为单位",
                "check for extra digits; amounts are in 元"
            )),
        );
        return None;
    }
    if amount.is_sign_negative() && !amount.is_zero() {
        cx.push(
            Diagnostic::new(
                Code::PS205,
                msg!(
                    "资金金额 {amount} 为负数",
                    "funding amount {amount} is negative"
                ),
                e.amount.span,
                msg!("负数", "negative"),
            )
            .with_help(msg!(
                "资金填写非负金额；无此项资金时写 0.00",
                "amounts are never negative; write 0.00 when there is none"
            )),
        );
        return None;
    }
    let normalized = amount.normalize();
    if normalized.scale() > 2 {
        cx.push(
            Diagnostic::new(
                Code::PS204,
                msg!(
                    "金额 {amount} 元精确到了分以下",
                    "amount {amount} 元 is finer than one fen"
                ),
                e.amount.span,
                msg!("最多两位小数（元）", "at most two decimals in 元"),
            )
            .with_help(msg!(
                "资金以元为单位，保留两位小数，如 991,823.00",
                "funding is in 元 with two decimals, e.g. 991,823.00"
            )),
        );
        return None;
    }
    amount.rescale(2);
    Some(amount)
}
