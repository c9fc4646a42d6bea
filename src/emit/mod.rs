//! Emitters: the checked model → JSON, CSV, HTML, xlsx. None of them reads source text.

/// Money as the form prints it (`1,813,200.00`): the vocabulary's notation.
pub use crate::vocab::num::format_money;

pub mod csv;
pub mod html;
pub mod json;
pub mod xlsx;
