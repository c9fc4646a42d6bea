//! The shared-strings table (`xl/sharedStrings.xml`): short texts, once each, borrowed
//! from the model.

use super::package::text;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

/// Texts at most this long go into the shared-strings table: labels, categories, units,
/// names and units of indicators, which repeat from sheet to sheet. Longer ones (goals,
/// mostly) are written inline in their cell: they do not repeat, and the table would hold
/// them until the end.
const SHARED_MAX_BYTES: usize = 256;
/// At most this many distinct shared strings; any further text is written inline.
const SHARED_MAX_ENTRIES: usize = 1 << 20;

/// The shared-strings table. Its texts are borrowed from the model (or owned when a cell
/// made them, e.g. `(2026 年度)`), so it holds an index per distinct short text, no copy.
pub(super) struct SharedStrings<'a> {
    index: HashMap<Cow<'a, str>, u32>,
    refs: u64,
}

impl<'a> SharedStrings<'a> {
    pub(super) fn new() -> Self {
        SharedStrings {
            index: HashMap::new(),
            refs: 0,
        }
    }

    /// The index of `s` in the table, adding it; `Err(s)`: write it inline.
    pub(super) fn get(&mut self, s: Cow<'a, str>) -> Result<u32, Cow<'a, str>> {
        if s.len() > SHARED_MAX_BYTES {
            return Err(s);
        }
        if let Some(i) = self.index.get(&*s) {
            self.refs += 1;
            return Ok(*i);
        }
        if self.index.len() >= SHARED_MAX_ENTRIES {
            return Err(s);
        }
        let i = self.index.len() as u32;
        self.index.insert(s, i);
        self.refs += 1;
        Ok(i)
    }

    /// `xl/sharedStrings.xml`, in index order.
    pub(super) fn write(self, out: &mut dyn Write) -> io::Result<()> {
        let mut all: Vec<(u32, Cow<'a, str>)> =
            self.index.into_iter().map(|(s, i)| (i, s)).collect();
        all.sort_unstable_by_key(|e| e.0);
        out.write_all(super::package::DECL.as_bytes())?;
        write!(
            out,
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{}" uniqueCount="{}">"#,
            self.refs,
            all.len()
        )?;
        for (_, s) in &all {
            out.write_all(b"<si>")?;
            t_element(out, s)?;
            out.write_all(b"</si>")?;
        }
        out.write_all(b"</sst>")
    }
}

/// `<t>…</t>`, keeping leading and trailing whitespace.
pub(super) fn t_element(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let edge = |c: Option<char>| c.is_some_and(char::is_whitespace);
    if edge(s.chars().next()) || edge(s.chars().last()) {
        out.write_all(br#"<t xml:space="preserve">"#)?;
    } else {
        out.write_all(b"<t>")?;
    }
    text(out, s)?;
    out.write_all(b"</t>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_inline_short_ones_shared_once() {
        let mut sst = SharedStrings::new();
        assert_eq!(sst.get("项目名称".into()).ok(), Some(0));
        assert_eq!(sst.get("项目性质".into()).ok(), Some(1));
        assert_eq!(sst.get("项目名称".into()).ok(), Some(0));
        let long = "很".repeat(200);
        assert!(sst.get(long.as_str().into()).is_err());
        let mut out = Vec::new();
        sst.write(&mut out).unwrap_or_default();
        let xml = String::from_utf8(out).unwrap_or_default();
        assert!(xml.contains(r#"count="3" uniqueCount="2"><si><t>项目名称</t></si><si><t>项目性质</t></si></sst>"#), "{xml}");
    }
}
