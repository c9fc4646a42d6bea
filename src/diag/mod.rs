//! Diagnostics: those of the core ([`perfspec_core::diag`], re-exported) and their
//! rendering — miette for people, one JSON object per line for machines, and the caps on
//! how many a run prints.

pub use perfspec_core::diag::*;

pub mod cap;
mod render;

pub use render::{
    render_human, render_human_indexed, render_json_line, JsonDiagnostic, JsonEdit, JsonFix,
    RenderOptions,
};
