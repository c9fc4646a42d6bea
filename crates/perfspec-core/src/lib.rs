//! perfspec's core: the `.perf` language and what it means, without I/O.
//!
//! [`syntax`] (text → tree with spans, comments kept) → [`check`] (tree → checked
//! [`model`], lowering then rules, with [`diag`]nostics) and [`fmt`] / [`diff`] working on
//! the tree and the model; [`vocab`] holds every word of the form, once, as data. Files
//! come in as bytes and go out as values: reading, writing and rendering for a terminal
//! belong to the `perfspec` crate (CLI, emitters, import, language server).
//!
//! Features: `parallel` (default) checks the files of a report on all cores; `clap` makes
//! [`diag::Lang`] a command-line value.

pub mod check;
pub mod diag;
pub mod diff;
pub mod filename;
pub mod fmt;
pub mod model;
pub mod syntax;
pub mod vocab;
