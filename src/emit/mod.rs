//! Emitters: the checked model → JSON, CSV, HTML, xlsx. None of them reads source text.
//!
//! [`write`] is the one entry the command line uses: a [`Format`], the model, the
//! [`Options`] and a writer. HTML and xlsx lay out the same view of the form
//! ([`form`]); each format's module has its own calls for library users.

use crate::model::Model;
use std::io::{Seek, Write};

/// Money as the form prints it (`1,813,200.00`): the vocabulary's notation.
pub use crate::vocab::num::format_money;

pub mod csv;
pub mod form;
pub mod html;
pub mod json;
pub mod xlsx;

/// An output format of `perfspec build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The JSON contract (`docs/json.md`).
    Json,
    /// One row per indicator, UTF-8 with BOM.
    Csv,
    /// The printable forms, one self-contained page (`docs/html.md`).
    Html,
    /// The workbook (`docs/xlsx.md`): binary, and written with seeks.
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Json, Format::Csv, Format::Html, Format::Xlsx];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Csv => "CSV",
            Format::Html => "HTML",
            Format::Xlsx => "xlsx",
        }
    }

    /// Bytes that are not text (never written to a terminal).
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }
}

/// Options that change the bytes of some format. `Default` gives the reproducible default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    pub xlsx: xlsx::XlsxOptions,
}

/// Why an output could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing to the destination failed (a full disk, a closed pipe).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The emitter refused the model (a template error, a zip entry refused).
    #[error("{0}")]
    Emit(String),
}

impl From<minijinja::Error> for Error {
    fn from(e: minijinja::Error) -> Self {
        if e.kind() == minijinja::ErrorKind::WriteFailure {
            Error::Io(std::io::Error::other(e.to_string()))
        } else {
            Error::Emit(e.to_string())
        }
    }
}

impl From<xlsx::XlsxError> for Error {
    fn from(e: xlsx::XlsxError) -> Self {
        match e {
            xlsx::XlsxError::Io(io) => Error::Io(io),
            e => Error::Emit(e.to_string()),
        }
    }
}

/// The output of `format` for `model`, into a file or any seekable writer: every format
/// streams into it (the workbook sheet by sheet, the text formats a project at a time).
pub fn write<W: Write + Seek>(
    format: Format,
    model: &Model,
    options: &Options,
    mut out: W,
) -> Result<(), Error> {
    match format {
        Format::Xlsx => Ok(xlsx::write_with(model, &options.xlsx, &mut out)?),
        _ => write_text(format, model, options, &mut out),
    }
}

/// [`write`] into a stream that cannot seek (standard output, a pipe). The text formats
/// stream; the workbook, whose zip needs seeks, is assembled in memory (compressed) first.
/// `out` is flushed at the end.
pub fn write_stream<W: Write>(
    format: Format,
    model: &Model,
    options: &Options,
    mut out: W,
) -> Result<(), Error> {
    if format == Format::Xlsx {
        out.write_all(&xlsx::to_bytes_with(model, &options.xlsx)?)?;
    } else {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut out);
        write_text(format, model, options, &mut buffered)?;
        buffered.flush()?;
    }
    out.flush()?;
    Ok(())
}

/// A text format into any writer (the workbook, built in memory, too).
fn write_text<W: Write>(
    format: Format,
    model: &Model,
    options: &Options,
    out: &mut W,
) -> Result<(), Error> {
    match format {
        Format::Json => Ok(json::write(model, out)?),
        Format::Csv => Ok(csv::write_file(model, out)?),
        Format::Html => Ok(html::write(model, out)?),
        Format::Xlsx => Ok(out.write_all(&xlsx::to_bytes_with(model, &options.xlsx)?)?),
    }
}
