//! The funding rows of the form: the key a spec writes, the aliases it accepts, the labels
//! forms print, and the names in messages.

use serde::Serialize;

/// One row of the form's funding block (元).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FundRow {
    /// 年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金
    AnnualTotal,
    /// 其中：当年财政拨款
    Appropriation,
    /// 上年结转资金
    Carryover,
    /// 其他资金 (this year's column)
    Other,
    /// 项目资金总额 (the whole project life)
    ProjectTotal,
    /// 其中：财政资金 (the whole project life)
    ProjectFiscal,
    /// 其他资金 of the whole-life column, written 项目其他资金 in a spec
    ProjectOther,
}

pub struct FundSpec {
    pub row: FundRow,
    /// What a spec writes and `fmt` keeps.
    pub key: &'static str,
    /// Other spellings a spec may write (`fmt` rewrites them to `key`).
    pub aliases: &'static [&'static str],
    /// Further labels printed on published forms, read by the importer only.
    pub form_labels: &'static [&'static str],
    pub name_en: &'static str,
}

/// In the form's order: this year's column, then the whole-life column.
pub const ROWS: &[FundSpec] = &[
    FundSpec {
        row: FundRow::AnnualTotal,
        key: "年度资金申请总额",
        aliases: &["年度申请总额", "年度资金总额"],
        form_labels: &["预算数"],
        name_en: "annual request",
    },
    FundSpec {
        row: FundRow::Appropriation,
        key: "当年财政拨款",
        aliases: &[],
        form_labels: &["财政拨款"],
        name_en: "appropriation",
    },
    FundSpec {
        row: FundRow::Carryover,
        key: "上年结转资金",
        aliases: &["上年结转"],
        form_labels: &[],
        name_en: "carry-over",
    },
    FundSpec {
        row: FundRow::Other,
        key: "其他资金",
        aliases: &[],
        form_labels: &[],
        name_en: "other funds",
    },
    FundSpec {
        row: FundRow::ProjectTotal,
        key: "项目资金总额",
        aliases: &[],
        form_labels: &[],
        name_en: "project total",
    },
    FundSpec {
        row: FundRow::ProjectFiscal,
        key: "财政资金",
        aliases: &[],
        form_labels: &[],
        name_en: "project fiscal funds",
    },
    FundSpec {
        row: FundRow::ProjectOther,
        key: "项目其他资金",
        aliases: &[],
        form_labels: &[],
        name_en: "project other funds",
    },
];

impl FundRow {
    pub const ORDER: [FundRow; 7] = [
        FundRow::AnnualTotal,
        FundRow::Appropriation,
        FundRow::Carryover,
        FundRow::Other,
        FundRow::ProjectTotal,
        FundRow::ProjectFiscal,
        FundRow::ProjectOther,
    ];

    pub fn spec(self) -> &'static FundSpec {
        &ROWS[self as usize]
    }
    /// The key a spec writes.
    pub fn key(self) -> &'static str {
        self.spec().key
    }
    pub fn name_en(self) -> &'static str {
        self.spec().name_en
    }
    /// The row a spec's key names (canonical or alias).
    /// The row a spec's key names. `其中：当年财政拨款`, as the form prints the parts of
    /// the total, is that part.
    /// The year of a by-year funding row of a multi-year project (`2025年 1,000.00 万元`,
    /// also `2025年度`, `2025年资金`, `2025年度资金`): that year's part of 项目资金总额.
    pub fn year_of_key(word: &str) -> Option<u16> {
        let w: String = word
            .chars()
            .filter(|c| !super::chars::is_space(*c))
            .collect();
        let rest = ["年度资金", "年资金", "年度", "年"]
            .iter()
            .find_map(|s| w.strip_suffix(s))?;
        if rest.len() != 4 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        rest.parse::<u16>()
            .ok()
            .filter(|y| (1949..=2200).contains(y))
    }
    pub fn from_key(word: &str) -> Option<FundRow> {
        let word = strip_of_which(word);
        ROWS.iter()
            .find(|r| r.key == word || r.aliases.contains(&word))
            .map(|r| r.row)
    }
    /// Whether the row belongs to the whole-life column.
    pub fn is_project_life(self) -> bool {
        matches!(
            self,
            FundRow::ProjectTotal | FundRow::ProjectFiscal | FundRow::ProjectOther
        )
    }
}

/// Every key a spec may write, with its row: each row's key, then its aliases, in the
/// form's order.
pub fn spec_spellings() -> impl Iterator<Item = (&'static str, FundRow)> {
    ROWS.iter().flat_map(|r| {
        std::iter::once(r.key)
            .chain(r.aliases.iter().copied())
            .map(move |k| (k, r.row))
    })
}

/// `其中：当年财政拨款` → `当年财政拨款`: the form's "of which" before a part of the total.
pub fn strip_of_which(word: &str) -> &str {
    match word.strip_prefix("其中") {
        Some(rest) if !rest.is_empty() => rest.trim_start_matches([':', '：', ' ', '\u{3000}']),
        _ => word,
    }
}

/// The canonical key of a funding entry (aliases become their key; other words stay).
pub fn canonical(word: &str) -> &str {
    FundRow::from_key(word).map_or(word, |r| r.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_enum_order() {
        for (i, r) in FundRow::ORDER.iter().enumerate() {
            assert_eq!(ROWS[i].row, *r);
            assert_eq!(FundRow::from_key(r.key()), Some(*r));
        }
        assert_eq!(canonical("上年结转"), "上年结转资金");
    }
}
