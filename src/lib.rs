//! perfspec: 财政项目支出绩效目标申报表 as plain-text specs.
//!
//! The pipeline is visible in the modules: [`syntax`] (text → tree with spans, comments
//! kept) → [`check`] (tree → checked [`model`], with diagnostics) → emitters in [`emit`],
//! and [`fmt`] / [`diff`] working on the tree and the model. The library does no I/O.

pub mod check;
pub mod diag;
pub mod emit;
pub mod model;
pub mod syntax;
