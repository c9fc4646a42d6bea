//! Number formats of value cells: the form's notation (`≥8000.00(件)`) printed around a
//! number that stays a number.

/// A literal inside an Excel number format: quoted, with `"` escaped outside the quotes.
pub(crate) fn quoted_literal(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    format!("\"{}\"", s.replace('"', "\"\\\"\""))
}

/// The number format of a quantitative value: comparator, digits at the written scale, and
/// the unit in brackets. Two sections, so a negative number shows as `≥-5.00(…)` and not
/// with Excel's automatic minus sign in front of the comparator.
pub fn target_num_format(op: &str, scale: u32, unit: &str) -> String {
    let digits = if scale == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(scale.min(15) as usize))
    };
    let unit = if unit.is_empty() {
        String::new()
    } else {
        quoted_literal(&format!("({unit})"))
    };
    format!(
        "{}{digits}{unit};{}{digits}{unit}",
        quoted_literal(op),
        quoted_literal(&format!("{op}-"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_keep_scale_and_quote_literals() {
        assert_eq!(
            target_num_format("≥", 2, "件"),
            "\"≥\"0.00\"(件)\";\"≥-\"0.00\"(件)\""
        );
        assert_eq!(target_num_format("=", 0, ""), "\"=\"0;\"=-\"0");
        assert_eq!(
            target_num_format("≤", 1, "a\"b"),
            "\"≤\"0.0\"(a\"\\\"\"b)\";\"≤-\"0.0\"(a\"\\\"\"b)\""
        );
    }
}
