//! Numbers as the form prints them.

use rust_decimal::Decimal;

/// `1234567.891` → `1,234,567.891`: thousands separators in the integer part, the
/// decimals as they are.
pub fn group_thousands(v: Decimal) -> String {
    let s = v.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 2);
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Money as the form prints it: thousands separators and two decimals (`1,813,200.00`).
pub fn format_money(v: Decimal) -> String {
    let mut v = v;
    v.rescale(2);
    group_thousands(v)
}

/// 元 as 万元, exactly (no rounding beyond rust_decimal's 28 digits), with at least two
/// decimals and thousands separators: `1813200` → `181.32`, `991823` → `99.1823`.
pub fn format_wan_exact(yuan: Decimal) -> String {
    // Dividing by a non-zero constant cannot fail.
    let mut wan = (yuan / Decimal::from(10_000)).normalize();
    if wan.scale() < 2 {
        wan.rescale(2);
    }
    group_thousands(wan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_grouping() {
        assert_eq!(format_money(d("1813200")), "1,813,200.00");
        assert_eq!(format_money(d("991823.5")), "991,823.50");
        assert_eq!(format_money(d("0")), "0.00");
        assert_eq!(format_money(d("100")), "100.00");
        assert_eq!(format_money(d("-1234.5")), "-1,234.50");
        assert_eq!(group_thousands(d("1234567.891")), "1,234,567.891");
        assert_eq!(group_thousands(d("-0")), "0");
        assert_eq!(format_wan_exact(d("1813200")), "181.32");
        assert_eq!(format_wan_exact(d("991823")), "99.1823");
        assert_eq!(format_wan_exact(d("12345670000")), "1,234,567.00");
    }
}
