//! Comparators: the five the language knows, every spelling that means one of them, the
//! characters that only look like one, and the words some systems write instead.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Op {
    Eq,
    Ge,
    Le,
    Gt,
    Lt,
}

/// Which way a target points: what "better" means for the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// `≥ >`: more is better (正向).
    Higher,
    /// `≤ <`: less is better (反向).
    Lower,
    /// `=`: the value itself (counts as 正向 for scoring).
    Exact,
}

impl Op {
    pub const ALL: [Op; 5] = [Op::Ge, Op::Le, Op::Eq, Op::Gt, Op::Lt];

    /// The form's spelling, used by the formatter and the printed outputs.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ge => "≥",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }
    /// The ASCII spelling used by the JSON contract.
    pub fn ascii(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }
    pub fn direction(self) -> Direction {
        match self {
            Op::Ge | Op::Gt => Direction::Higher,
            Op::Le | Op::Lt => Direction::Lower,
            Op::Eq => Direction::Exact,
        }
    }
    /// Whether the comparator allows only values strictly on one side (`>` `<`).
    pub fn is_strict(self) -> bool {
        matches!(self, Op::Gt | Op::Lt)
    }
}

/// Every spelling of a comparator the language accepts, longest first so that a prefix
/// match takes `>=` before `>`. `＞＝` and `＜＝` are what a Chinese input method in
/// full-width mode types for `>=` and `<=`.
pub const SPELLINGS: &[(&str, Op)] = &[
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("==", Op::Eq),
    ("＞＝", Op::Ge),
    ("＜＝", Op::Le),
    ("≥", Op::Ge),
    ("≧", Op::Ge),
    ("⩾", Op::Ge),
    ("≤", Op::Le),
    ("≦", Op::Le),
    ("⩽", Op::Le),
    ("=", Op::Eq),
    ("＝", Op::Eq),
    (">", Op::Gt),
    ("＞", Op::Gt),
    ("<", Op::Lt),
    ("＜", Op::Lt),
];

/// Characters that look like a comparator and are not one: order relations a symbol picker
/// offers next to `≥`, and the small forms of CJK compatibility. With the comparator
/// meant. The parser refuses them with a hint; the importer reads them as what they mean
/// and reports it.
pub const LOOKALIKES: &[(char, Op)] = &[
    ('≽', Op::Ge),
    ('⪰', Op::Ge),
    ('⋝', Op::Ge),
    ('≳', Op::Ge),
    ('≿', Op::Ge),
    ('≼', Op::Le),
    ('⪯', Op::Le),
    ('⋜', Op::Le),
    ('≲', Op::Le),
    ('≾', Op::Le),
    ('≻', Op::Gt),
    ('≺', Op::Lt),
    ('﹥', Op::Gt),
    ('﹤', Op::Lt),
    ('﹦', Op::Eq),
    // A double line (box drawing), printed in 指标性质 columns for `=`.
    ('═', Op::Eq),
];

/// Comparators damaged by text recognition (OCR) of scanned forms: `二100百分比` is
/// `=100百分比` (the two strokes of `=` read as the character 二). Read by the importer only
/// before a number, and reported as a reading to check.
pub const OCR_DAMAGED: &[(&str, Op)] = &[("二", Op::Eq)];

/// Comparators some systems spell out in words, longest first. Read by the importer, and
/// only before a number (`低于预期` is a word, not a comparator).
pub const WORDS: &[(&str, Op)] = &[
    ("大于或等于", Op::Ge),
    ("小于或等于", Op::Le),
    ("大于等于", Op::Ge),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("不小于", Op::Ge),
    ("小于等于", Op::Le),
    ("不高于", Op::Le),
    ("不多于", Op::Le),
    ("不大于", Op::Le),
    ("不超过", Op::Le),
    ("大于", Op::Gt),
    ("高于", Op::Gt),
    ("超过", Op::Gt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    ("等于", Op::Eq),
];

/// The comparator a whole token spells, if any.
pub fn from_spelling(s: &str) -> Option<Op> {
    SPELLINGS.iter().find(|(sp, _)| *sp == s).map(|(_, op)| *op)
}

/// A comparator spelling at the start of `s`, and the rest.
pub fn split_spelling(s: &str) -> Option<(Op, &str)> {
    SPELLINGS
        .iter()
        .find_map(|(sp, op)| s.strip_prefix(sp).map(|rest| (*op, rest)))
}

/// Whether `c` occurs in a comparator spelling.
pub fn is_op_char(c: char) -> bool {
    SPELLINGS.iter().any(|(sp, _)| sp.contains(c))
}

/// Whether `c` is a comparator or a look-alike of one.
pub fn is_op_or_lookalike(c: char) -> bool {
    is_op_char(c) || lookalike(c).is_some()
}

/// The comparator a look-alike character stands for.
pub fn lookalike(c: char) -> Option<Op> {
    LOOKALIKES.iter().find(|(l, _)| *l == c).map(|(_, op)| *op)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_longest_first_where_one_prefixes_another() {
        for (i, (a, _)) in SPELLINGS.iter().enumerate() {
            for (b, _) in &SPELLINGS[i + 1..] {
                assert!(!b.starts_with(a) || b == a, "{b} must come before {a}");
            }
        }
        for (i, (a, _)) in WORDS.iter().enumerate() {
            for (b, _) in &WORDS[i + 1..] {
                assert!(!b.starts_with(a), "{b} must come before {a}");
            }
        }
    }

    #[test]
    fn split_takes_the_longest() {
        assert_eq!(split_spelling(">=5"), Some((Op::Ge, "5")));
        assert_eq!(split_spelling("＞＝5"), Some((Op::Ge, "5")));
        assert_eq!(split_spelling("＞5"), Some((Op::Gt, "5")));
        assert_eq!(from_spelling("≦"), Some(Op::Le));
        assert_eq!(lookalike('﹦'), Some(Op::Eq));
        assert!(is_op_char('＝') && !is_op_char('≽') && is_op_or_lookalike('≽'));
    }
}
