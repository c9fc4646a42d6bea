//! What goes into a cell: exact decimals become the nearest float only here, dates become
//! Excel's serial days, and a text spanning several cells is merged over them.

use super::package::days_from_civil;
use super::sheet::Grid;
use super::styles::Style;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// The f64 nearest to an exact decimal (Rust's float parsing rounds correctly): the only
/// place a value becomes a float, at the cell.
pub(super) fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// Excel's serial day number of a date (1900 date system, with Excel's 29 February 1900),
/// or `None` outside the years Excel can show (1900–9999).
pub(super) fn excel_date(d: crate::syntax::DateLit) -> Option<f64> {
    if !d.is_valid() || !(1900..=9999).contains(&d.year) {
        return None;
    }
    let days = days_from_civil(i64::from(d.year), u32::from(d.month), u32::from(d.day))
        - days_from_civil(1899, 12, 31);
    // Excel counts a 29 February 1900 that never was: later dates are one day further.
    let serial = if days >= 60 { days + 1 } else { days };
    Some(serial as f64)
}

/// Write `text` into a rectangle: merged when it spans more than one cell, else one cell.
pub(super) fn put_text<'a>(
    g: &mut Grid<'a>,
    (r0, c0): (u32, u16),
    (r1, c1): (u32, u16),
    text: impl Into<Cow<'a, str>>,
    style: Style,
) {
    if r0 == r1 && c0 == c1 {
        g.text(r0, c0, text, style);
    } else {
        g.merge((r0, c0), (r1, c1), text, style);
    }
}
