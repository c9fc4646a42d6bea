//! `perfspec lsp`: the checker, the taxonomy and the formatter in every editor that speaks
//! the Language Server Protocol. The server loop is in [`server`]; each feature is a plain
//! function over the document's text, its syntax tree and its checked model:
//!
//! - [`diagnostics`]: the checker's diagnostics, positions in UTF-16 ([`position`]);
//! - [`actions`]: the fixes the rules attach (`Diagnostic::fix`) as quick fixes;
//! - [`completion`], [`hover`], [`symbols`], [`definition`], [`formatting`];
//! - [`workspace`]: the projects of the files that are not open, for PS104.
//!
//! `docs/editors.md` says how to use it from VS Code, Neovim, Helix and Emacs.

pub mod actions;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod document;
pub mod formatting;
pub mod hover;
pub mod position;
pub mod server;
pub mod symbols;
pub mod workspace;

pub use server::run;
