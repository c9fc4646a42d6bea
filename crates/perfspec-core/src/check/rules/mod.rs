//! The rules: plain functions over a lowered project (the model, and where its parts were
//! written: `lower::ProjectAt`) or over the file, each pushing the diagnostics of its code
//! or small family of codes. One file per family; every rule is registered once, below.
//!
//! A new rule is one function in its family's file and one line in [`PROJECT`] or [`FILE`].
//! The order of the lists does not decide the order of the output (the checker sorts a
//! file's diagnostics by place, then code); it decides only the order of findings with the
//! same place and code, kept as found: `structure::project_name` before
//! `structure::required_fields` (both PS101 on the name).

mod evaluation;
mod indicators;
mod money;
mod multiyear;
mod structure;
mod style;

pub use indicators::{expected_target, unit_fits};
pub(crate) use structure::DuplicateProjects;

use super::cx::Cx;
use super::lower::{Header, Project};

/// A rule over one lowered project.
pub(crate) type ProjectRule = fn(&mut Cx<'_>, &Header, &Project);

/// A rule over the whole file, run once its projects are checked.
pub(crate) type FileRule = fn(&mut Cx<'_>, &File<'_>);

/// What the file rules see.
pub(crate) struct File<'a> {
    pub header: &'a Header,
    /// The file has `项目` blocks (checked or not: a run of unclosed ones is skipped).
    pub has_projects: bool,
    /// Projects lowered and checked.
    pub projects: usize,
    /// A top-level line failed to parse.
    pub has_error_nodes: bool,
    /// The parser reported something.
    pub syntax_errors: bool,
}

/// Every rule over a project, by family.
pub(crate) const PROJECT: &[ProjectRule] = &[
    // structure (PS1xx)
    structure::project_name,
    structure::required_fields,
    structure::usual_values,
    structure::period,
    structure::goals,
    structure::indicator_list,
    // money (PS2xx)
    money::missing,
    money::totals,
    money::zero_request,
    money::project_total,
    money::cost_caps,
    // multi-year projects (PS112, PS211–PS216)
    multiyear::overall_goal,
    multiyear::whole_life_total,
    multiyear::carry_over,
    multiyear::by_year,
    // indicators (PS3xx)
    indicators::category_alias,
    indicators::missing_comparator,
    indicators::qualitative_comparator,
    indicators::deadline,
    indicators::values,
    indicators::range_bounds,
    indicators::unit_fit,
    indicators::directions,
    indicators::trivial_targets,
    indicators::duplicate_names,
    indicators::required_categories,
    // style (PS4xx)
    style::invisible,
    style::markup,
    style::long_names,
    // evaluation (PS5xx)
    evaluation::comparator_in_actual,
    evaluation::above_hundred_percent,
    evaluation::missing_actual,
    evaluation::written_scores,
    evaluation::unjudged,
    evaluation::deviations,
    evaluation::partial_weights,
    evaluation::weight_total,
    evaluation::execution_missing,
    evaluation::total_and_grade,
];

/// Every rule over the file.
pub(crate) const FILE: &[FileRule] = &[
    structure::file_year,
    structure::no_project,
    style::header_invisible,
];

/// Run every project rule on `p`.
pub(crate) fn project(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    for rule in PROJECT {
        rule(cx, header, p);
    }
}

/// Run every file rule.
pub(crate) fn file(cx: &mut Cx<'_>, f: &File<'_>) {
    for rule in FILE {
        rule(cx, f);
    }
}
