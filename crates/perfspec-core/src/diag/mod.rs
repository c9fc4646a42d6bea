//! Diagnostics: what every stage reports. A diagnostic holds its message in Chinese and in
//! English; the language is picked only when it is rendered.

mod codes;
mod fix;
mod lines;
mod span;
mod visible;

pub use codes::{lookup, Code, Rule, UnknownCode, RULES};
pub use fix::{Edit, Fix};
pub use lines::{char_columns, LineIndex};
pub use span::Span;
pub use visible::{is_unsafe_to_show, visible};

use serde::Serialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Output language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A message in both languages. A text without arguments (most labels and helps) is kept
/// as the `'static` literal it is, not copied into every diagnostic: a file of 100,000
/// broken lines holds 100,000 diagnostics until they are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub zh: Text,
    pub en: Text,
}

/// The text of a message in one language: a `'static` literal or a formatted string. Reads
/// as a `str` (`Deref`, `as_str`, `Display`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Cow<'static, str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Cow::Owned(s))
    }
}

impl From<&'static str> for Text {
    fn from(s: &'static str) -> Self {
        Text(Cow::Borrowed(s))
    }
}

impl From<Text> for String {
    fn from(t: Text) -> Self {
        t.0.into_owned()
    }
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Msg {
            zh: Text(Cow::Owned(zh.into())),
            en: Text(Cow::Owned(en.into())),
        }
    }
    /// What `msg!` builds: a literal without arguments is borrowed, anything else formatted.
    #[doc(hidden)]
    pub fn from_args(zh: std::fmt::Arguments<'_>, en: std::fmt::Arguments<'_>) -> Self {
        let text = |a: std::fmt::Arguments<'_>| {
            Text(match a.as_str() {
                Some(s) => Cow::Borrowed(s),
                None => Cow::Owned(a.to_string()),
            })
        };
        Msg {
            zh: text(zh),
            en: text(en),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// `msg!("中文 {x}", "English {x}")`: both texts formatted with the same arguments in scope.
#[macro_export]
macro_rules! msg {
    ($zh:expr, $en:expr $(,)?) => {
        $crate::diag::Msg::from_args(format_args!($zh), format_args!($en))
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: Msg,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: Msg,
    /// Where it is: the exact span and what is wrong there.
    pub primary: Label,
    /// The other party of a clash: the first declaration, the stated total, …
    pub secondary: Vec<Label>,
    pub help: Option<Msg>,
    /// The exact change the help names, when there is one (code actions, `fix` in JSON).
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the severity its rule declares.
    pub fn new(code: Code, message: Msg, span: Span, label: Msg) -> Self {
        let severity = code.severity();
        Diagnostic {
            code,
            severity,
            message,
            primary: Label {
                span,
                message: label,
            },
            secondary: Vec::new(),
            help: None,
            fix: None,
        }
    }
    pub fn with_help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_fix_opt(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
    pub fn with_label(mut self, span: Span, message: Msg) -> Self {
        self.secondary.push(Label { span, message });
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Diagnostics of one file, sorted by position so output is stable (then by code: `Code`
/// orders as its text does). The sort is stable: findings at the same place with the same
/// code keep the order they were found in.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.primary.span.start, a.primary.span.end, a.code).cmp(&(
            b.primary.span.start,
            b.primary.span.end,
            b.code,
        ))
    });
}
