//! One file, one path: its top-level items in file order, from the parser one at a time
//! (`syntax::Items`, what [`check_source`](super::check_source) and `check_all` use) or from
//! a tree already parsed ([`check_tree`](super::check_tree)). Each project is lowered and
//! checked as soon as it comes and its tree dropped, so the tree of a big file never
//! exists whole (it was most of the memory a single big file took).
//!
//! The header (年度, 模板, 主管部门, 实施单位, unit declarations) applies to the whole file,
//! also when a header line follows a project. It is scanned before the first project is
//! lowered: over the tree when there is one; from the parser, the lines before the first
//! project are taken as the header, and if a header line turns up after a project, the pass
//! reads on for the rest of the header lines only, and the file is checked again with the
//! whole header (headers after projects are rare: a second parse only for them).

use super::cx::{sort_errors, Cx};
use super::lower::{self, Header};
use super::units::UnitTable;
use super::{rules, suppress};
use crate::diag::{self, Diagnostic, LineIndex};
use crate::model;
use crate::syntax::{self, SourceFile, TopItem};
use std::borrow::Borrow;

/// A file's projects, diagnostics (sorted) and number of indicators (counted before a lean
/// check drops them).
pub(super) type Checked = (Vec<model::Project>, Vec<Diagnostic>, usize);

/// A top-level item as a source hands it over: owned (parsed one at a time) or borrowed
/// from a tree.
trait Item: Borrow<TopItem> + Sized {
    type Project: Borrow<syntax::Project>;
    fn into_project(self) -> Result<Self::Project, Self>;
}

impl Item for TopItem {
    type Project = syntax::Project;
    fn into_project(self) -> Result<syntax::Project, TopItem> {
        match self {
            TopItem::Project(p) => Ok(p),
            other => Err(other),
        }
    }
}

impl<'t> Item for &'t TopItem {
    type Project = &'t syntax::Project;
    fn into_project(self) -> Result<&'t syntax::Project, &'t TopItem> {
        match self {
            TopItem::Project(p) => Ok(p),
            other => Err(other),
        }
    }
}

/// Where the items come from, with the parser's diagnostics of the items given so far.
trait Items {
    type Item: Item;
    fn next_item(&mut self) -> Option<Self::Item>;
    fn diagnostics(&self) -> &[Diagnostic];
}

impl Items for syntax::Items<'_> {
    type Item = TopItem;
    fn next_item(&mut self) -> Option<TopItem> {
        self.next()
    }
    fn diagnostics(&self) -> &[Diagnostic] {
        syntax::Items::diagnostics(self)
    }
}

/// A parsed tree's items; its diagnostics are all known from the start.
struct Tree<'t> {
    items: std::slice::Iter<'t, TopItem>,
    diagnostics: &'t [Diagnostic],
}

impl<'t> Items for Tree<'t> {
    type Item = &'t TopItem;
    fn next_item(&mut self) -> Option<&'t TopItem> {
        self.items.next()
    }
    fn diagnostics(&self) -> &[Diagnostic] {
        self.diagnostics
    }
}

fn is_header_line(item: &TopItem) -> bool {
    matches!(item, TopItem::Field(_) | TopItem::UnitDecl(_))
}

/// Check a file from the parser, one item at a time.
pub(super) fn check_text(path: &str, source: &str, lean: bool) -> Checked {
    let index = LineIndex::new(source);
    let mut cx = Cx::new(path, source, &index, Vec::new());
    let mut items = syntax::Items::new(source);
    let pass = match pass(&mut cx, &mut items, None, lean) {
        Ok(pass) => pass,
        Err(header_lines) => {
            // A header line after a project: the projects again, with the whole header.
            cx = Cx::new(path, source, &index, Vec::new());
            let mut units = UnitTable::new();
            let header = lower::header(&mut cx, &header_lines, &mut units);
            drop(header_lines);
            items = syntax::Items::new(source);
            pass(&mut cx, &mut items, Some((header, units)), lean)
                .unwrap_or_else(|_| unreachable!("the header was scanned"))
        }
    };
    let (diagnostics, complete) = items.finish();
    if !complete {
        // The file could not be read (a limit, or the parser gave up): it is its one PS007.
        return (Vec::new(), diagnostics, 0);
    }
    finish(cx, pass, diagnostics)
}

/// Check a file from its tree and the parser's diagnostics.
pub(super) fn check_tree(
    path: &str,
    source: &str,
    tree: &SourceFile,
    diagnostics: &[Diagnostic],
) -> Checked {
    let index = LineIndex::new(source);
    let mut cx = Cx::new(path, source, &index, Vec::new());
    let mut units = UnitTable::new();
    let header_lines = tree.items.iter().filter(|i| is_header_line(i));
    let header = lower::header(&mut cx, header_lines, &mut units);
    let mut items = Tree {
        items: tree.items.iter(),
        diagnostics,
    };
    let pass = pass(&mut cx, &mut items, Some((header, units)), false)
        .unwrap_or_else(|_| unreachable!("the header was scanned"));
    finish(cx, pass, diagnostics.to_vec())
}

/// What a pass over the items found.
struct Pass {
    header: Header,
    projects: Vec<model::Project>,
    /// Indicators over the projects, counted before `lean` drops them.
    count: usize,
    /// The file has `项目` blocks (checked or not).
    has_projects: bool,
    /// A top-level line failed to parse.
    has_error_nodes: bool,
    allows: Vec<suppress::Allow>,
}

/// Lower and check every project of `items`. With `header` given (scanned already), the
/// header lines among the items are skipped; without, the lines before the first project
/// are the header, and once a header line follows a project the pass only reads on to
/// collect the rest of them: it ends with every header line of the file (`Err`), for a
/// pass with the header scanned.
///
/// `lean`: each project keeps only its identity (what `check_all_diagnostics` promises),
/// so a big file's model never exists whole.
fn pass<I: Items>(
    cx: &mut Cx<'_>,
    items: &mut I,
    header: Option<(Header, UnitTable)>,
    lean: bool,
) -> Result<Pass, Vec<I::Item>> {
    let scanned = header.is_some();
    let mut header = header;
    // The header lines before the first project, while the header is not known; of the
    // other top-level items only whether one failed to parse: a file of 100,000 bad lines
    // kept all of them.
    let mut kept: Vec<I::Item> = Vec::new();
    let mut has_projects = false;
    let mut has_error_nodes = false;
    let mut allows = Vec::new();
    let mut projects = Vec::new();
    let mut count = 0;
    let mut unclosed = Unclosed::default();
    // A header line came after a project: only header lines are read from here on.
    let mut late = false;
    let mut check = |cx: &mut Cx<'_>, h: &(Header, UnitTable), p: &syntax::Project| {
        let lowered = lower::project(cx, &h.0, &h.1, p);
        rules::project(cx, &h.0, &lowered);
        let mut m = lowered.model;
        count += m.indicators.len();
        if lean {
            lighten(&mut m);
        }
        projects.push(m);
    };
    while let Some(item) = items.next_item() {
        if late {
            if is_header_line(item.borrow()) {
                kept.push(item);
            }
            continue;
        }
        // What the parser reported so far covers this item: lowering asks whether a span
        // had a syntax error (PS003, PS004) inside the item only.
        let seen = cx.syntax_errors.len();
        let new = &items.diagnostics()[seen.min(items.diagnostics().len())..];
        cx.syntax_errors
            .extend(new.iter().map(|d| (d.code, d.primary.span)));
        // Items come in file order, so sorting each item's errors keeps the whole list
        // sorted (`syntax_error_in` searches it).
        sort_errors(&mut cx.syntax_errors[seen..]);
        suppress::collect_item(cx.source, item.borrow(), &mut allows);
        match item.into_project() {
            Ok(p) => {
                has_projects = true;
                let h = header.get_or_insert_with(|| {
                    let mut units = UnitTable::new();
                    let h = lower::header(cx, kept.iter().map(Borrow::borrow), &mut units);
                    (h, units)
                });
                for p in unclosed.next(p).into_iter().flatten() {
                    check(cx, h, p.borrow());
                }
            }
            Err(item) => match item.borrow() {
                TopItem::Field(_) | TopItem::UnitDecl(_) if scanned => {}
                TopItem::Field(_) | TopItem::UnitDecl(_) if header.is_some() => {
                    late = true;
                    kept.push(item);
                }
                TopItem::Field(_) | TopItem::UnitDecl(_) => kept.push(item),
                TopItem::Error(_) => has_error_nodes = true,
                _ => {}
            },
        }
    }
    if late {
        return Err(kept);
    }
    if let (Some(h), Some(p)) = (&header, unclosed.finish()) {
        check(cx, h, p.borrow());
    }
    let header = match header {
        Some((h, _)) => h,
        None => lower::header(cx, kept.iter().map(Borrow::borrow), &mut UnitTable::new()),
    };
    Ok(Pass {
        header,
        projects,
        count,
        has_projects,
        has_error_nodes,
        allows,
    })
}

/// The rules over the file, then the allow comments; the diagnostics sorted.
fn finish(mut cx: Cx<'_>, pass: Pass, mut diagnostics: Vec<Diagnostic>) -> Checked {
    rules::file(
        &mut cx,
        &rules::File {
            header: &pass.header,
            has_projects: pass.has_projects,
            projects: pass.projects.len(),
            has_error_nodes: pass.has_error_nodes,
            syntax_errors: !diagnostics.is_empty(),
        },
    );
    diagnostics.append(&mut cx.diags);
    let mut diagnostics = suppress::apply_allows(&pass.allows, diagnostics);
    diag::sort(&mut diagnostics);
    (pass.projects, diagnostics, pass.count)
}

/// What `perfspec check` keeps of a checked project: its identity, for the rules across
/// files and the summary. Indicators and goals are most of the model.
fn lighten(p: &mut model::Project) {
    p.indicators = Vec::new();
    p.goal_annual = String::new();
    p.goal_total = None;
}

/// Which projects the rules check, given one at a time in file order. An unclosed project
/// (PS002) ends at the next `项目 … {` line; when that one is unclosed too, the blocks read
/// as nested and never closed, the parser reports them as one PS002, and the rules skip
/// all of them: what belongs to which is a guess, and 40,000 `项目 a {` lines gave ten
/// diagnostics each. A single unclosed project followed by a closed one (a forgotten
/// brace) is checked, unless it holds nothing (`Project::is_open_header`).
struct Unclosed<P> {
    /// An unclosed project not yet known to stand alone.
    pending: Option<P>,
    /// Unclosed projects in a row so far.
    run: usize,
}

impl<P> Default for Unclosed<P> {
    fn default() -> Self {
        Unclosed {
            pending: None,
            run: 0,
        }
    }
}

impl<P: Borrow<syntax::Project>> Unclosed<P> {
    /// The projects to check now that `p` came, in file order.
    fn next(&mut self, p: P) -> [Option<P>; 2] {
        let project = p.borrow();
        if project.close.is_some() {
            self.run = 0;
            return [self.pending.take(), Some(p)];
        }
        self.run += 1;
        if self.run == 1 && !project.is_open_header() {
            self.pending = Some(p);
        } else {
            self.pending = None;
        }
        [None, None]
    }

    /// The last unclosed project, when it stood alone.
    fn finish(&mut self) -> Option<P> {
        self.pending.take()
    }
}
