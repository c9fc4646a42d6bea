//! The form's words, defined once, as data: keywords and their aliases, the funding rows,
//! comparator spellings, the indicator taxonomy, units, character classes and the printed
//! notation of numbers. Everything else — the parser, the checker, `fmt`, the importer,
//! the emitters, the language server's completion — reads these tables; none keeps a copy.
//!
//! This is the lowest layer: it imports nothing of perfspec. The pest grammar
//! (`grammar/perfspec.pest`) needs its literals written out; `tests/vocab.rs` checks that
//! the grammar accepts every spelling listed here and nothing the tables do not know.

pub mod chars;
pub mod evaluation;
pub mod funding;
pub mod keys;
pub mod num;
pub mod ops;
pub mod taxonomy;
pub mod templates;
pub mod units;
pub mod values;

pub use funding::FundRow;
pub use ops::Op;
pub use taxonomy::{Level1, Level2};
pub use units::Dimension;
