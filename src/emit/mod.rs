//! Emitters: the checked model → JSON, CSV, HTML, xlsx. None of them reads source text.

use rust_decimal::Decimal;

/// Money as the form prints it: thousands separators and two decimals (`1,813,200.00`).
pub fn format_money(v: Decimal) -> String {
    let mut v = v;
    v.rescale(2);
    let s = v.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if v.is_sign_negative() && !v.is_zero() {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push('.');
    out.push_str(frac);
    out
}

#[cfg(test)]
mod tests {
    use super::format_money;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn money_grouping() {
        let f = |s: &str| format_money(Decimal::from_str(s).unwrap());
        assert_eq!(f("1813200"), "1,813,200.00");
        assert_eq!(f("991823.5"), "991,823.50");
        assert_eq!(f("0"), "0.00");
        assert_eq!(f("100"), "100.00");
        assert_eq!(f("-1234.5"), "-1,234.50");
    }
}
pub mod csv;
pub mod html;
pub mod json;
pub mod xlsx;
