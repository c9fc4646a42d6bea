//! Source text → syntax tree with spans. No I/O here: the CLI reads files.

mod ast;
mod parser;

pub use ast::*;
#[doc(hidden)]
pub use parser::parse_whole;
pub use parser::{parse, parse_number_text, Items, MAX_FILE_BYTES, MAX_LINE_BYTES};

pub use crate::vocab::chars::{is_space as is_ws, normalize_spaces};
