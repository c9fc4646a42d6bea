//! Reading the cells of a form: indicator values (`≥5400.00(份(册))`, `及时`), amounts
//! (`991,823.00`), dates (`2026-01-01`, `2026年1月1日`) and years (`(2026 年度)`).
//!
//! Numbers are kept as the text they were printed with (ASCII digits, no separators), so
//! the scale survives: `95` stays `95`, `100.00` stays `100.00`.

use crate::check::units::{normalize_spelling, UnitTable};
use crate::syntax::{DateLit, Op};
use crate::vocab::ops;
use rust_decimal::Decimal;
use std::str::FromStr;

/// An indicator value as printed on a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Value {
    /// `≥8000.00(件)`; the comparator may be missing on some forms (`40 次`).
    Number {
        op: Option<Op>,
        number: String,
        unit: Option<String>,
    },
    /// `90~100(%)`
    Range {
        low: String,
        high: String,
        unit: Option<String>,
    },
    /// `≤2026-06-30`
    Date { op: Option<Op>, date: String },
    /// `及时`, `有效保障`
    Text { op: Option<Op>, text: String },
}

impl Value {
    /// A number, range or date: something a name never looks like.
    pub fn is_quantitative(&self) -> bool {
        !matches!(self, Value::Text { .. })
    }
}

/// Qualitative values seen on forms (the vocabulary's list).
pub(super) use crate::vocab::values::QUALITATIVE;

/// Whether `c` may start a comparator.
pub(super) fn is_op_char(c: char) -> bool {
    ops::is_op_char(c)
}

/// Split a leading comparator off; the flag says whether it was a reading worth a note:
/// spelled out in words (`不低于90%`) or written with a look-alike character (`﹦100%`).
pub(super) fn split_op(s: &str) -> (Option<Op>, &str, bool) {
    let t = s.trim_start_matches(is_space);
    if let Some((op, rest)) = ops::split_spelling(t) {
        return (Some(op), rest.trim_start_matches(is_space), false);
    }
    if let Some(op) = t.chars().next().and_then(ops::lookalike) {
        let rest = t[t.chars().next().map_or(0, char::len_utf8)..].trim_start_matches(is_space);
        return (Some(op), rest, true);
    }
    for (w, op) in ops::WORDS.iter().chain(ops::OCR_DAMAGED) {
        if let Some(rest) = t.strip_prefix(w) {
            let rest = rest.trim_start_matches(is_space);
            // Only before a number: `低于预期` is a word, not a comparator.
            if rest.starts_with(|c: char| to_ascii_digit(c).is_some()) {
                return (Some(*op), rest, true);
            }
        }
    }
    (None, t, false)
}

pub(super) fn is_space(c: char) -> bool {
    c.is_whitespace() || crate::syntax::is_ws(c)
}

fn to_ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// A number at the start of `s`: its ASCII text (separators removed, sign kept) and the
/// rest. Thousands separators must stand every three digits.
fn leading_number(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    if let Some(&(_, c)) = chars.peek() {
        if matches!(c, '-' | '－' | '+') {
            if c != '+' {
                out.push('-');
            }
            chars.next();
        }
    }
    let mut int_digits = String::new();
    let mut groups: Vec<usize> = Vec::new();
    let mut end = s.len();
    let mut frac = String::new();
    let mut in_frac = false;
    let mut run = 0usize;
    while let Some(&(i, c)) = chars.peek() {
        if let Some(d) = to_ascii_digit(c) {
            if in_frac {
                frac.push(d);
            } else {
                int_digits.push(d);
                run += 1;
            }
            chars.next();
            end = i + c.len_utf8();
            continue;
        }
        if !in_frac && matches!(c, ',' | '，') {
            // A separator only counts when digits follow it.
            let mut look = chars.clone();
            look.next();
            if look
                .peek()
                .is_some_and(|&(_, n)| to_ascii_digit(n).is_some())
                && run > 0
            {
                groups.push(run);
                run = 0;
                chars.next();
                continue;
            }
            break;
        }
        if !in_frac && matches!(c, '.' | '．') && !int_digits.is_empty() {
            let mut look = chars.clone();
            look.next();
            if look
                .peek()
                .is_some_and(|&(_, n)| to_ascii_digit(n).is_some())
            {
                in_frac = true;
                chars.next();
                continue;
            }
            break;
        }
        break;
    }
    if int_digits.is_empty() {
        return None;
    }
    if !groups.is_empty() {
        // 1,234,567: the first group 1–3 digits, every later one exactly 3.
        groups.push(run);
        if groups[0] > 3 || groups[1..].iter().any(|g| *g != 3) {
            return None;
        }
    }
    out.push_str(&int_digits);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(&frac);
    }
    Decimal::from_str(&out).ok()?;
    Some((out, &s[end..]))
}

/// The unit after a number: `(件)`, `（万元）`, `%`, `元/份 (册)`. `None` when there is none;
/// `Err` when the brackets do not match.
fn unit_text(rest: &str) -> Result<Option<String>, ()> {
    let r = rest.trim_matches(is_space);
    if r.is_empty() {
        return Ok(None);
    }
    let bracketed = strip_outer_brackets(r);
    let inner = bracketed.unwrap_or(r);
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => {
                depth -= 1;
                if depth < 0 {
                    return Err(());
                }
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(());
    }
    let u = normalize_spelling(inner);
    if u.is_empty() {
        return Ok(None);
    }
    // A unit is short and has no comparator or digits at its start.
    if u.chars().count() > 12
        || u.starts_with(|c: char| to_ascii_digit(c).is_some() || is_op_char(c))
    {
        return Err(());
    }
    // Forms print units in brackets; a bare word after a number is a unit only when it is
    // a known one (`16 家直属单位…` is a name, not 16 of a unit).
    if bracketed.is_none() && UnitTable::new().resolve(&u).is_err() {
        return Err(());
    }
    Ok(Some(u))
}

/// `(份(册))` → `份(册)`: the brackets that wrap the whole text, if they do.
fn strip_outer_brackets(s: &str) -> Option<&str> {
    let first = s.chars().next()?;
    if first != '(' && first != '（' {
        return None;
    }
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => {
                depth -= 1;
                if depth == 0 {
                    return (i + c.len_utf8() == s.len()).then(|| &s[first.len_utf8()..i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// A date as forms print it: `2026-01-01`, `2026/1/1`, `2026.1.1`, `2026年1月1日`, with an
/// optional time after it. Returns `YYYY-MM-DD` and the rest.
pub(super) fn leading_date(s: &str) -> Option<(String, &str)> {
    let t = s.trim_start_matches(is_space);
    let mut nums = [0u32; 3];
    let mut idx = 0;
    let mut digits = 0;
    let mut end = 0;
    for (i, c) in t.char_indices() {
        if let Some(d) = to_ascii_digit(c) {
            digits += 1;
            if digits > if idx == 0 { 4 } else { 2 } {
                return None;
            }
            nums[idx] = nums[idx] * 10 + (d as u32 - '0' as u32);
            end = i + c.len_utf8();
            continue;
        }
        let sep_ok = match idx {
            0 => matches!(c, '-' | '/' | '.' | '年' | '－'),
            1 => matches!(c, '-' | '/' | '.' | '月' | '－'),
            _ => false,
        };
        if idx < 2 && sep_ok && digits > 0 && (idx > 0 || digits == 4) {
            idx += 1;
            digits = 0;
            continue;
        }
        break;
    }
    if idx != 2 || digits == 0 {
        return None;
    }
    let mut rest = &t[end..];
    if let Some(r) = rest.strip_prefix('日') {
        rest = r;
    }
    let d = DateLit {
        year: u16::try_from(nums[0]).ok()?,
        month: u8::try_from(nums[1]).ok()?,
        day: u8::try_from(nums[2]).ok()?,
    };
    if !d.is_valid() {
        return None;
    }
    // A time of day after the date (`2026-01-01 00:00:00`) says nothing more.
    let r = rest.trim_start_matches(is_space);
    if r.starts_with(|c: char| c.is_ascii_digit()) && r.contains(':') {
        rest = "";
    }
    Some((d.to_string(), rest))
}

/// A whole cell that is a date.
pub(super) fn parse_date(s: &str) -> Option<String> {
    let (d, rest) = leading_date(s)?;
    rest.trim_matches(is_space).is_empty().then_some(d)
}

/// Read one value cell. `None` when it is neither a value nor a plausible word.
pub(super) fn parse_value(cell: &str) -> Option<Value> {
    let s = cell.trim_matches(is_space);
    if s.is_empty() {
        return None;
    }
    let (op, rest, _) = split_op(s);
    if rest.is_empty() {
        return None;
    }
    if let Some((date, after)) = leading_date(rest) {
        let after = after.trim_matches(is_space);
        if after.is_empty() {
            return Some(Value::Date { op, date });
        }
        // `2026-06-30前` is a deadline.
        if matches!(after, "前" | "之前" | "以前") && matches!(op, None | Some(Op::Le)) {
            return Some(Value::Date {
                op: Some(Op::Le),
                date,
            });
        }
    }
    // `2023.07-2024.01`, `202001-202012`: a period of months, read as the text it is
    // (not a range of numbers).
    if month_period(rest) || year_month_words(rest) {
        return Some(Value::Text {
            op,
            text: rest.to_string(),
        });
    }
    if let Some((number, after)) = leading_number(rest) {
        if let Some(range) = range_after(&number, after) {
            return (op.is_none() || op == Some(Op::Eq)).then_some(range);
        }
        return match unit_text(after) {
            Ok(unit) => Some(Value::Number { op, number, unit }),
            Err(()) => None,
        };
    }
    // A word never starts like a number: `1,23(件)` is a malformed value, not a word.
    if rest.starts_with(['.', '．', '-', '－', '+'])
        || rest.starts_with(|c: char| to_ascii_digit(c).is_some())
    {
        return None;
    }
    Some(Value::Text {
        op,
        text: crate::syntax::normalize_spaces(rest),
    })
}

/// Read a cell that stands in the value column: as [`parse_value`], and also a number
/// followed by a short word that is no known unit (`≥80M`, `250万`, `490元/平米`). That word
/// is kept as printed — the checker reports the unknown unit (PS303), nothing is converted
/// or guessed. Words that make the number a reading rather than an amount (`3%以内`,
/// `9月前`, `2023年底`) are not taken for units.
pub(super) fn parse_value_cell(cell: &str) -> Option<Value> {
    if let Some(v) = parse_value(cell) {
        return Some(v);
    }
    let s = cell.trim_matches(is_space);
    let (op, rest, _) = split_op(s);
    let (number, after) = leading_number(rest)?;
    let u = normalize_spelling(after.trim_matches(is_space));
    let ideographs = |p: &str| {
        let n = p.chars().count();
        (1..=2).contains(&n) && p.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    };
    let letters =
        |p: &str| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic());
    let plausible = |p: &str| ideographs(p) || letters(p);
    let shape_ok = match u.split_once('/') {
        Some((a, b)) => {
            (UnitTable::new().resolve(a).is_ok() || plausible(a))
                && (UnitTable::new().resolve(b).is_ok() || plausible(b))
        }
        None => plausible(&u),
    };
    let reading = crate::vocab::values::NOT_UNIT_ENDINGS
        .iter()
        .any(|e| u.ends_with(e))
        || u.starts_with(['年', '月', '日']);
    (shape_ok && !reading).then_some(Value::Number {
        op,
        number,
        unit: Some(u),
    })
}

/// `90~100(%)`, `90%-100%`, `90 至 100 %`: the text after the first number.
fn range_after(low: &str, after: &str) -> Option<Value> {
    let a = after.trim_start_matches(is_space);
    // An optional unit before the separator (`90%-100%`).
    let sep_at = a.find(['~', '～', '至', '-', '－', '—'])?;
    let (unit1, sep_rest) = a.split_at(sep_at);
    let sep = sep_rest.chars().next()?;
    let rest = sep_rest[sep.len_utf8()..].trim_start_matches(is_space);
    if unit1.chars().any(|c| to_ascii_digit(c).is_some()) {
        return None;
    }
    let (high, tail) = leading_number(rest)?;
    if high.starts_with('-') {
        return None;
    }
    let unit1 = unit_text(unit1).ok()?;
    let unit2 = unit_text(tail).ok()?;
    let unit = match (unit1, unit2) {
        (Some(a), Some(b)) if a != b => return None,
        (a, b) => b.or(a),
    };
    Some(Value::Range {
        low: low.to_string(),
        high,
        unit,
    })
}

/// `2023年12月`, `2023年12月底`, `2024年6月前`: a month as words with its year ([`month_only`])
/// and no more than a word of when in the month, the text it is (the language has dates
/// with a day only).
fn year_month_words(s: &str) -> bool {
    let tail = s.split_once('月').map(|(_, t)| t);
    !s.chars().any(is_space)
        && matches!(month_only(s, false), Some((Some(_), _)))
        && matches!(
            tail,
            Some("" | "底" | "末" | "前" | "以前" | "之前" | "上旬" | "中旬" | "下旬")
        )
}

/// A month as forms print an actual (`2023年10月`, `2023年10月底`, `7月`, `12月底到位`, and,
/// beside a date target, `2023.10` / `2023-10`): its year, if printed, and month.
pub(super) fn month_only(text: &str, beside_date: bool) -> Option<(Option<u16>, u8)> {
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    // What may follow the month: words (底, 前, 到位, 完成), never another figure.
    let tail_ok = |s: &str| {
        !s.chars()
            .any(|c| c.is_ascii_digit() || c == '日' || c == '号')
    };
    let month = |s: &str| s.parse::<u8>().ok().filter(|m| (1..=12).contains(m));
    let n = digits(&t);
    let (head, rest) = t.split_at(n);
    if n == 4 {
        let year = head
            .parse::<u16>()
            .ok()
            .filter(|y| (1900..2200).contains(y))?;
        let sep = rest.chars().next()?;
        let after = &rest[sep.len_utf8()..];
        let m_len = digits(after);
        if !(1..=2).contains(&m_len) {
            return None;
        }
        let m = month(&after[..m_len])?;
        let tail = &after[m_len..];
        return match sep {
            '年' if tail.starts_with('月') && tail_ok(tail) => Some((Some(year), m)),
            '.' | '．' | '-' | '/' if beside_date && tail.is_empty() => Some((Some(year), m)),
            _ => None,
        };
    }
    if (1..=2).contains(&n) && rest.starts_with('月') && tail_ok(rest) {
        return Some((None, month(head)?));
    }
    None
}

/// `290%` → `≥90%`: a percentage above 100 without a comparator whose first digit is a `2`
/// and whose rest is a share from 50 to 100 — how text recognition reads a scanned `≥90%`.
/// `None` for anything else (`150%`, `≥290%`, `29%`).
pub(super) fn ocr_percent(cell: &str) -> Option<String> {
    let t = cell.trim_matches(is_space);
    let Some(Value::Number {
        op: None,
        number,
        unit: Some(unit),
    }) = parse_value(t)
    else {
        return None;
    };
    if !matches!(unit.as_str(), "%" | "百分比") {
        return None;
    }
    let rest = number.strip_prefix('2')?;
    if rest.is_empty() || rest.starts_with(['0', '.']) {
        return None;
    }
    let share = Decimal::from_str(rest).ok()?;
    let whole = Decimal::from_str(&number).ok()?;
    let ok =
        whole > Decimal::from(100) && share >= Decimal::from(50) && share <= Decimal::from(100);
    ok.then(|| format!("≥{rest}{unit}"))
}

/// Two months of [`year_month`] with a range separator between them.
fn month_period(s: &str) -> bool {
    let Some(at) = s.find(['~', '～', '至', '-', '－', '—']) else {
        return false;
    };
    let (a, b) = s.split_at(at);
    let b = b.chars().skip(1).collect::<String>();
    year_month(a.trim_matches(is_space)) && year_month(b.trim_matches(is_space))
}

/// `2023.07` or `202307`: a year (1900–2199) and a month, as forms print a month of a period.
fn year_month(s: &str) -> bool {
    let digits: String = s.chars().filter_map(to_ascii_digit).collect();
    let dotted = s.chars().filter(|c| matches!(c, '.' | '．')).count();
    let (year, month) = match (digits.len(), dotted) {
        (6, 1) if s.find(['.', '．']) == Some(4) => digits.split_at(4),
        (5, 1) if s.find(['.', '．']) == Some(4) => digits.split_at(4),
        (6, 0) => digits.split_at(4),
        _ => return false,
    };
    let ok_year = year.parse::<u16>().is_ok_and(|y| (1900..2200).contains(&y));
    let ok_month = month.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m));
    ok_year && ok_month && digits.len() + dotted == s.chars().count()
}

/// The money unit a cell or a heading states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MoneyUnit {
    Yuan,
    Wan,
}

/// An amount of money as a cell prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CellAmount {
    /// ASCII digits as printed, no separators.
    pub number: String,
    /// The unit the cell itself states (`万元`, `万`, `元`); `None` when it states none.
    pub unit: Option<MoneyUnit>,
    /// A note in brackets after the amount (`854万(高标准农田建设400万元,…)`), kept as a
    /// comment.
    pub note: Option<String>,
}

/// An amount of money: `991,823.00`, `350000`, `0.00 元`, `854万`, `16 万元（其中…）`.
/// `Ok(None)` for a cell that says "nothing" (`-`, `—`, `/`, `无`); `Err` when it is not
/// an amount.
pub(super) fn parse_amount(cell: &str) -> Result<Option<CellAmount>, ()> {
    let s = cell.trim_matches(is_space);
    if s.is_empty() || matches!(s, "-" | "—" | "——" | "/" | "无" | "－" | "--") {
        return Ok(None);
    }
    // A note in brackets at the end.
    let (s, note) = match s.find(['(', '（']) {
        Some(i) if s.ends_with([')', '）']) && i > 0 => (&s[..i], Some(s[i..].to_string())),
        _ => (s, None),
    };
    let s = s.trim_matches(is_space);
    let (s, unit) = if let Some(x) = s.strip_suffix("万元") {
        (x, Some(MoneyUnit::Wan))
    } else if let Some(x) = s.strip_suffix('万') {
        (x, Some(MoneyUnit::Wan))
    } else if let Some(x) = s.strip_suffix('元') {
        (x, Some(MoneyUnit::Yuan))
    } else {
        (s, None)
    };
    let s = s.trim_matches(is_space);
    let (number, rest) = leading_number(s).ok_or(())?;
    if !rest.trim_matches(is_space).is_empty() {
        return Err(());
    }
    Ok(Some(CellAmount { number, unit, note }))
}

/// The money unit a heading or a free-standing cell states: `项目资金（万元）`,
/// `资金情况(万元)`, `单位：万元`, `(元)`.
pub(super) fn money_unit_in(text: &str) -> Option<MoneyUnit> {
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    if t.contains("万元") {
        Some(MoneyUnit::Wan)
    } else if t.contains("(元)")
        || t.contains("（元）")
        || t.ends_with("单位:元")
        || t.ends_with("单位：元")
        || t == "元"
    {
        Some(MoneyUnit::Yuan)
    } else {
        None
    }
}

/// The year a cell names: `(2026 年度)`, `2026年度`, or one inside a title
/// (`… 2026 年度项目绩效目标汇总表`).
pub(super) fn year_in(s: &str) -> Option<u16> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if to_ascii_digit(chars[i]).is_some() && (i == 0 || to_ascii_digit(chars[i - 1]).is_none())
        {
            let mut j = i;
            let mut v = 0u32;
            while j < chars.len() {
                match to_ascii_digit(chars[j]) {
                    // Only four digits make a year; longer runs just saturate.
                    Some(d) => v = v.saturating_mul(10).saturating_add(d as u32 - '0' as u32),
                    None => break,
                }
                j += 1;
            }
            let mut k = j;
            while k < chars.len() && is_space(chars[k]) {
                k += 1;
            }
            if j - i == 4 && chars.get(k) == Some(&'年') && (1949..=2200).contains(&v) {
                // `2026年1月1日` is a date, not a year.
                let after = chars.get(k + 1).copied();
                if !matches!(after, Some(c) if to_ascii_digit(c).is_some()) {
                    return u16::try_from(v).ok();
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(op: Option<Op>, n: &str, u: Option<&str>) -> Value {
        Value::Number {
            op,
            number: n.into(),
            unit: u.map(Into::into),
        }
    }

    #[test]
    fn value_cells_keep_unknown_units_as_printed() {
        assert_eq!(
            parse_value_cell("≥80M"),
            Some(num(Some(Op::Ge), "80", Some("M")))
        );
        assert_eq!(
            parse_value_cell("250万"),
            Some(num(None, "250", Some("万")))
        );
        assert_eq!(
            parse_value_cell("490元/平米"),
            Some(num(None, "490", Some("元/平米")))
        );
        // Readings, not units.
        assert_eq!(parse_value_cell("2023年底"), None);
        assert_eq!(parse_value_cell("9月前"), None);
        assert_eq!(parse_value_cell("16 家直属单位安全技术"), None);
        assert_eq!(parse_value("≥80M"), None);
    }

    #[test]
    fn values_as_printed() {
        assert_eq!(
            parse_value("≥5400.00(份(册))"),
            Some(num(Some(Op::Ge), "5400.00", Some("份(册)")))
        );
        assert_eq!(
            parse_value("≤40.00(元/份 (册))"),
            Some(num(Some(Op::Le), "40.00", Some("元/份(册)")))
        );
        assert_eq!(
            parse_value("=100.00(百分比)"),
            Some(num(Some(Op::Eq), "100.00", Some("百分比")))
        );
        assert_eq!(
            parse_value("≥95(百分比)"),
            Some(num(Some(Op::Ge), "95", Some("百分比")))
        );
        assert_eq!(
            parse_value("＞ １，２３４．５ 件"),
            Some(num(Some(Op::Gt), "1234.5", Some("件")))
        );
        assert_eq!(
            parse_value("有效保障"),
            Some(Value::Text {
                op: None,
                text: "有效保障".into()
            })
        );
        assert_eq!(
            parse_value("不低于90%"),
            Some(num(Some(Op::Ge), "90", Some("%")))
        );
        // OCR damage: 二 for = before a number; 二 in a word stays.
        assert_eq!(
            parse_value("二100百分比"),
            Some(num(Some(Op::Eq), "100", Some("百分比")))
        );
        assert_eq!(
            parse_value("二次检查"),
            Some(Value::Text {
                op: None,
                text: "二次检查".into()
            })
        );
        // A scanned `≥90%` read as `290%`.
        assert_eq!(ocr_percent("290%").as_deref(), Some("≥90%"));
        assert_eq!(ocr_percent("2100%").as_deref(), Some("≥100%"));
        assert_eq!(ocr_percent("295.5%").as_deref(), Some("≥95.5%"));
        for not in [
            "150%", "≥290%", "29%", "200%", "2.5%", "90%", "290人", "2020%",
        ] {
            assert_eq!(ocr_percent(not), None, "{not}");
        }
        // A month as words is text.
        for month in ["2023年12月", "2024年6月底"] {
            assert_eq!(
                parse_value(month),
                Some(Value::Text {
                    op: None,
                    text: month.into()
                }),
                "{month}"
            );
        }
        // A period of months is text, not a range of numbers.
        for period in ["2023.07-2024.01", "202001-202012", "2023.7-2023.12"] {
            assert_eq!(
                parse_value(period),
                Some(Value::Text {
                    op: None,
                    text: period.into()
                }),
                "{period}"
            );
        }
        assert_eq!(
            parse_value("90%-100%"),
            Some(Value::Range {
                low: "90".into(),
                high: "100".into(),
                unit: Some("%".into())
            })
        );
        assert_eq!(
            parse_value("≤2026年6月30日"),
            Some(Value::Date {
                op: Some(Op::Le),
                date: "2026-06-30".into()
            })
        );
        assert_eq!(
            parse_value("2026-11-30前"),
            Some(Value::Date {
                op: Some(Op::Le),
                date: "2026-11-30".into()
            })
        );
        assert_eq!(
            parse_value("≥-5.00(%)"),
            Some(num(Some(Op::Ge), "-5.00", Some("%")))
        );
        // Unbalanced brackets and bad grouping are not values.
        assert_eq!(parse_value("≤40.00(元/份"), None);
        assert_eq!(parse_value("≥1,23(件)"), None);
        assert_eq!(parse_value(".5 件"), None);
    }

    #[test]
    fn amounts_dates_years() {
        let a = |n: &str, unit, note: Option<&str>| {
            Ok(Some(CellAmount {
                number: n.into(),
                unit,
                note: note.map(String::from),
            }))
        };
        assert_eq!(
            parse_amount("854万(其中400万元)"),
            a("854", Some(MoneyUnit::Wan), Some("(其中400万元)"))
        );
        assert_eq!(parse_amount("16"), a("16", None, None));
        assert_eq!(money_unit_in("资金情况 (万元)"), Some(MoneyUnit::Wan));
        assert_eq!(money_unit_in("项目资金 (元)"), Some(MoneyUnit::Yuan));
        assert_eq!(money_unit_in("项目资金"), None);
        assert_eq!(parse_amount("991,823.00"), a("991823.00", None, None));
        assert_eq!(
            parse_amount("99.18 万元"),
            a("99.18", Some(MoneyUnit::Wan), None)
        );
        assert_eq!(
            parse_amount("0.00 元"),
            a("0.00", Some(MoneyUnit::Yuan), None)
        );
        assert_eq!(parse_amount("—"), Ok(None));
        assert_eq!(parse_amount("九十万"), Err(()));
        assert_eq!(parse_date("2026/1/1"), Some("2026-01-01".into()));
        assert_eq!(parse_date("2026年12月31日"), Some("2026-12-31".into()));
        assert_eq!(parse_date("2026-01-01 00:00:00"), Some("2026-01-01".into()));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(year_in("(2026 年度)"), Some(2026));
        assert_eq!(year_in("（2026年度）"), Some(2026));
        assert_eq!(
            year_in("上海市绿化和市容管理局行政服务中心 2026 年度项目绩效目标汇总表"),
            Some(2026)
        );
        assert_eq!(year_in("2026年1月1日"), None);
        assert_eq!(year_in("12026年"), None);
        assert_eq!(year_in("123456789012345678901234567890年度"), None);
    }
}
