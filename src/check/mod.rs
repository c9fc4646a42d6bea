//! Syntax tree → checked model, with the rules that make a declaration trustworthy.
//! One file per rule family: `structure`, `money`, `indicators`, `style`.
//!
//! A file is checked one top-level item at a time: the header lines first, then each
//! project is lowered as soon as the parser yields it, and its tree is dropped (the tree
//! of a whole big file was most of the memory it took). Files are checked in parallel,
//! in slices; the rule across files (PS104) takes them in path order.

mod evaluation;
mod indicators;
mod money;
mod multiyear;
mod structure;
mod style;
mod suppress;

pub mod units;

pub use indicators::{expected_target, unit_fits};

use crate::diag::{self, Diagnostic, LineIndex};
use crate::model::{self, Loc, Model};
use crate::msg;
use crate::syntax::{self, SourceFile, Span, TopItem};
use rayon::prelude::*;
use units::UnitTable;

/// One checked file: its text, model and diagnostics. The syntax tree is not kept: it is
/// as big as the model, nothing downstream reads it, and a city's folder of trees doubled
/// the memory of `check` (`syntax::parse` gives it to whoever needs it).
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given (relative paths stay relative: outputs carry no absolute paths).
    pub path: String,
    /// The text, for showing diagnostics. [`check_all`] and [`check_all_diagnostics`]
    /// empty it for files without diagnostics.
    pub source: String,
    pub projects: Vec<model::Project>,
    pub diagnostics: Vec<Diagnostic>,
    /// Indicators over the file's projects; still right when [`check_all_diagnostics`]
    /// has dropped the indicators themselves.
    pub indicator_count: usize,
}

impl FileReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
    pub fn line_index(&self) -> LineIndex<'_> {
        LineIndex::new(&self.source)
    }
}

/// The result of checking a set of files.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.files.iter().any(|f| f.has_errors())
    }
    pub fn count(&self, severity: diag::Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    }
    /// All projects, in file order, moved out of the report (what `build` emits: no copy).
    pub fn into_model(self) -> Model {
        Model {
            projects: self.files.into_iter().flat_map(|f| f.projects).collect(),
        }
    }
    /// All projects, in file order.
    pub fn model(&self) -> Model {
        Model {
            projects: self
                .files
                .iter()
                .flat_map(|f| f.projects.iter().cloned())
                .collect(),
        }
    }
}

/// Check one file given as text.
pub fn check_source(path: &str, source: &str) -> FileReport {
    check_text(path.to_string(), source.to_string(), false)
}

/// [`check_source`] through the whole-tree path (parse the file, then lower it), the
/// reference the project-at-a-time path is tested against. Not for use.
#[doc(hidden)]
pub fn check_source_whole(path: &str, source: &str) -> FileReport {
    let (projects, diagnostics) = check_whole(path, source);
    let count = projects.iter().map(|p| p.indicators.len()).sum();
    report(
        path.to_string(),
        source.to_string(),
        (projects, diagnostics, count),
    )
}

fn report(
    path: String,
    source: String,
    (projects, diagnostics, indicator_count): (Vec<model::Project>, Vec<Diagnostic>, usize),
) -> FileReport {
    FileReport {
        path,
        source,
        indicator_count,
        projects,
        diagnostics,
    }
}

/// `check_source` on owned text: the text moves into the report instead of being copied
/// (a folder's worth of sources is the biggest single block of memory a check holds).
///
/// `lean`: each project keeps only its identity (what [`check_all_diagnostics`] promises),
/// dropped as soon as the project is checked, so a big file's model never exists whole.
fn check_text(path: String, source: String, lean: bool) -> FileReport {
    let parts = check_parts(&path, &source, lean);
    report(path, source, parts)
}

/// A file's projects, diagnostics and number of indicators (counted before `lean` drops
/// them).
fn check_parts(
    path: &str,
    source: &str,
    lean: bool,
) -> (Vec<model::Project>, Vec<Diagnostic>, usize) {
    if let Some(done) = check_streaming(path, source, lean) {
        return done;
    }
    let (mut projects, diagnostics) = check_whole(path, source);
    let count = projects.iter().map(|p| p.indicators.len()).sum();
    if lean {
        projects.iter_mut().for_each(lighten);
    }
    (projects, diagnostics, count)
}

/// What `perfspec check` keeps of a checked project: its identity, for the rules across
/// files and the summary. Indicators and goals are most of the model.
fn lighten(p: &mut model::Project) {
    p.indicators = Vec::new();
    p.goal_annual = String::new();
    p.goal_total = None;
}

/// Each project is lowered as soon as it is parsed and its syntax tree dropped right after,
/// so the tree of a big file never exists whole (it was most of the memory a single big
/// file took). The same result as [`check_whole`], which `tests/check_paths.rs` compares
/// on every spec and generated variant.
///
/// Header lines and unit declarations apply to the whole file: when one follows a project,
/// the projects before it were lowered without it, so this gives up (`None`) and the
/// whole-tree path checks the file; so it does for an unreadable file (PS007).
fn check_streaming(
    path: &str,
    source: &str,
    lean: bool,
) -> Option<(Vec<model::Project>, Vec<Diagnostic>, usize)> {
    let index = LineIndex::new(source);
    let mut cx = Cx::new(path, source, &index, Vec::new());
    let mut items = syntax::Items::new(source);
    // The header lines before the first project (what `file_header` reads); of the other
    // top-level items only whether one failed to parse: a file of 100,000 bad lines kept
    // all of them.
    let mut kept: Vec<TopItem> = Vec::new();
    let mut has_error_nodes = false;
    let mut allows = Vec::new();
    let mut header: Option<(Header, UnitTable)> = None;
    let mut projects = Vec::new();
    let mut count = 0;
    let mut unclosed = Unclosed::default();
    while let Some(item) = items.next() {
        // What the parser reported so far covers this item: the rules that ask whether a
        // span had a syntax error (PS003, PS004) look inside the item only.
        let seen = cx.syntax_errors.len();
        cx.syntax_errors.extend(
            items.diagnostics()[seen..]
                .iter()
                .map(|d| (d.code, d.primary.span)),
        );
        // Items come in file order, so sorting each item's errors keeps the whole list
        // sorted (`syntax_error_in` searches it).
        sort_errors(&mut cx.syntax_errors[seen..]);
        suppress::collect_item(source, &item, &mut allows);
        match item {
            TopItem::Project(p) => {
                if header.is_none() {
                    let mut units = UnitTable::new();
                    let h = structure::file_header(&mut cx, &kept, true, &mut units);
                    header = Some((h, units));
                }
                if let Some((h, units)) = &header {
                    for p in unclosed.next(p).into_iter().flatten() {
                        if let Some(mut m) = structure::project(&mut cx, h, units, &p) {
                            count += m.indicators.len();
                            if lean {
                                lighten(&mut m);
                            }
                            projects.push(m);
                        }
                    }
                }
            }
            TopItem::Field(_) | TopItem::UnitDecl(_) if header.is_some() => return None,
            TopItem::Field(_) | TopItem::UnitDecl(_) => kept.push(item),
            TopItem::Error(_) => has_error_nodes = true,
            TopItem::Blank(_) | TopItem::Comment(_) => {}
        }
    }
    if let (Some((h, units)), Some(p)) = (&header, unclosed.finish()) {
        if let Some(mut m) = structure::project(&mut cx, h, units, &p) {
            count += m.indicators.len();
            if lean {
                lighten(&mut m);
            }
            projects.push(m);
        }
    }
    let (mut diagnostics, complete) = items.finish();
    if !complete {
        return None;
    }
    if header.is_none() {
        structure::file_header(&mut cx, &kept, false, &mut UnitTable::new());
    }
    no_project(&mut cx, &projects, has_error_nodes, !diagnostics.is_empty());
    diagnostics.append(&mut cx.diags);
    Some((
        projects,
        suppress::apply_allows(&allows, diagnostics),
        count,
    ))
}

/// Parse the whole file, then lower it: the reference for [`check_streaming`].
fn check_whole(path: &str, source: &str) -> (Vec<model::Project>, Vec<Diagnostic>) {
    let (tree, mut diagnostics) = syntax::parse(source);
    let index = LineIndex::new(source);
    let mut syntax_errors: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.code, d.primary.span))
        .collect();
    sort_errors(&mut syntax_errors);
    let mut cx = Cx::new(path, source, &index, syntax_errors);
    let projects = lower_file(&mut cx, &tree, !diagnostics.is_empty());
    diagnostics.append(&mut cx.diags);
    let diagnostics = suppress::apply(source, &tree, diagnostics);
    (projects, diagnostics)
}

/// Check one file given as bytes: refuses non-UTF-8 and binary content with PS006.
pub fn check_bytes(path: &str, bytes: &[u8]) -> FileReport {
    match decode(bytes) {
        Ok(text) => check_source(path, text),
        Err(d) => FileReport {
            path: path.to_string(),
            source: String::from_utf8_lossy(bytes).into_owned(),
            projects: Vec::new(),
            diagnostics: vec![*d],
            indicator_count: 0,
        },
    }
}

/// `check_bytes` on owned bytes: valid text moves into the report without a copy;
/// anything `decode` refuses takes the same path as in `check_bytes`.
fn check_owned(path: String, bytes: Vec<u8>, lean: bool) -> FileReport {
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => check_text(path, text, lean),
        Ok(text) => check_bytes(&path, text.as_bytes()),
        Err(e) => check_bytes(&path, e.as_bytes()),
    }
}

fn decode(bytes: &[u8]) -> Result<&str, Box<Diagnostic>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Box::new(
            Diagnostic::new(
                "PS006",
                msg!(
                    "文件不是 UTF-8 文本（第 {at} 字节处编码无效）",
                    "file is not UTF-8 text (invalid byte at offset {at})"
                ),
                Span::new(at, at),
                msg!("此处起无法按 UTF-8 读取", "not UTF-8 from here"),
            )
            .with_help(msg!(
                "用 UTF-8 编码另存此文件（如从 GBK 转换：iconv -f GBK -t UTF-8）",
                "save the file as UTF-8 (from GBK: iconv -f GBK -t UTF-8)"
            )),
        )
    })?;
    if let Some(at) = text.find('\0') {
        return Err(Box::new(
            Diagnostic::new(
                "PS006",
                msg!(
                    "文件含 NUL 字节，像是二进制文件",
                    "file contains NUL bytes: it looks binary"
                ),
                Span::new(at, at),
                msg!("NUL 字节", "NUL byte"),
            )
            .with_help(msg!(
                "只检查 .perf 文本文件；若是从其他系统导出，请另存为纯文本",
                "check only .perf text files; re-save exported files as plain text"
            )),
        ));
    }
    Ok(text)
}

/// Check many files in parallel, then run the rules that look across files.
pub fn check_all(inputs: Vec<(String, Vec<u8>)>) -> Report {
    check_many(inputs, true)
}

/// `check_all` for callers that want the diagnostics, not the model (`perfspec check`):
/// the same diagnostics, but each project keeps only its identity (name, year, department,
/// unit, location), not its indicators and goals. Those are most of the model, and the
/// model is several times the size of the text: a city's folder then fits in a small
/// multiple of its own size. Never build outputs from such a report.
pub fn check_all_diagnostics(inputs: Vec<(String, Vec<u8>)>) -> Report {
    check_many(inputs, false)
}

fn check_many(inputs: Vec<(String, Vec<u8>)>, keep_model: bool) -> Report {
    // In slices, so a clean file's text is dropped soon after it is checked instead of all
    // texts living until the last file is done (they were a third of `build`'s peak). The
    // rule across files (PS104) reports a project where it is declared again, so a file's
    // findings are final once the files before it were seen. A slice is many times the
    // number of threads: the idle time at each slice's end stays small.
    const SLICE: usize = 256;
    let mut files: Vec<FileReport> = Vec::with_capacity(inputs.len());
    let mut duplicates = structure::DuplicateProjects::default();
    let mut inputs = inputs.into_iter();
    loop {
        let slice: Vec<_> = inputs.by_ref().take(SLICE).collect();
        if slice.is_empty() {
            break;
        }
        let checked: Vec<FileReport> = slice
            .into_par_iter()
            .map(|(path, bytes)| check_owned(path, bytes, !keep_model))
            .collect();
        for mut f in checked {
            duplicates.next_file(&mut f);
            diag::sort(&mut f.diagnostics);
            // The text is kept only to show diagnostics.
            if f.diagnostics.is_empty() {
                f.source = String::new();
            }
            files.push(f);
        }
    }
    Report { files }
}

/// PS104 over a set of files given in path order as (path, projects): the findings of each
/// file, as [`check_all`] adds them. For callers that check files one at a time and keep
/// only the projects' identities of the others (`perfspec lsp`).
pub fn duplicate_projects<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [model::Project])>,
) -> Vec<Vec<Diagnostic>> {
    let mut duplicates = structure::DuplicateProjects::default();
    files
        .into_iter()
        .map(|(path, projects)| duplicates.next_projects(path, projects))
        .collect()
}

/// What every rule needs: where it is, and where to put what it finds.
pub(crate) struct Cx<'a> {
    /// The file's path, shared by every `Loc` of the file.
    pub file: std::sync::Arc<str>,
    pub source: &'a str,
    pub index: &'a LineIndex<'a>,
    pub diags: Vec<Diagnostic>,
    /// The parser's errors: rules skip what already failed to parse, so one typo is one
    /// diagnostic (a malformed number is read as 0 and must not also break the sums).
    /// Sorted by start ([`sort_errors`]): a file of 100,000 broken lines asks about each
    /// of its spans, and a scan of the whole list each time was quadratic.
    pub syntax_errors: Vec<(&'static str, Span)>,
    /// The project being lowered follows a template whose own tree is the 2015 one (成本
    /// under 产出): its legacy placements are not migrations to report (PS302).
    pub legacy_tree: bool,
}

impl<'a> Cx<'a> {
    fn new(
        path: &str,
        source: &'a str,
        index: &'a LineIndex,
        syntax_errors: Vec<(&'static str, Span)>,
    ) -> Self {
        Cx {
            file: std::sync::Arc::from(path),
            source,
            index,
            diags: Vec::new(),
            syntax_errors,
            legacy_tree: false,
        }
    }

    pub fn loc(&self, span: Span) -> Loc {
        let (line, column) = self.index.line_col(span.start as usize);
        Loc {
            file: self.file.clone(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            span,
        }
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
    /// Whether the parser reported `code` inside `span`.
    pub fn syntax_error_in(&self, span: Span, code: &str) -> bool {
        let from = self
            .syntax_errors
            .partition_point(|(_, s)| s.start < span.start);
        self.syntax_errors[from..]
            .iter()
            .take_while(|(_, s)| s.start <= span.end)
            .any(|(c, s)| *c == code && s.end <= span.end)
    }
}

/// Syntax errors in the order [`Cx::syntax_error_in`] searches them.
fn sort_errors(errors: &mut [(&'static str, Span)]) {
    errors.sort_by_key(|(_, s)| s.start);
}

/// File header fields, inherited by every project of the file.
#[derive(Default, Clone)]
pub(crate) struct Header {
    pub year: Option<u16>,
    /// The form the file follows (`模板 …`; the default when not written).
    pub template: Option<&'static crate::vocab::templates::Template>,
    pub department: Option<syntax::Spanned<String>>,
    pub unit: Option<syntax::Spanned<String>>,
}

fn lower_file(cx: &mut Cx<'_>, tree: &SourceFile, syntax_errors: bool) -> Vec<model::Project> {
    let mut units = UnitTable::new();
    let has_projects = tree.items.iter().any(|i| matches!(i, TopItem::Project(_)));
    let header = structure::file_header(cx, &tree.items, has_projects, &mut units);
    let mut projects = Vec::new();
    let mut unclosed = Unclosed::default();
    let mut checked = Vec::new();
    for item in &tree.items {
        if let TopItem::Project(p) = item {
            checked.extend(unclosed.next(p).into_iter().flatten());
        }
    }
    checked.extend(unclosed.finish());
    for p in checked {
        if let Some(m) = structure::project(cx, &header, &units, p) {
            projects.push(m);
        }
    }
    let has_error_nodes = tree.items.iter().any(|i| matches!(i, TopItem::Error(_)));
    no_project(cx, &projects, has_error_nodes, syntax_errors);
    projects
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

impl<P: std::borrow::Borrow<syntax::Project>> Unclosed<P> {
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

/// PS008: a file that declares no project (and is not just broken).
fn no_project(
    cx: &mut Cx<'_>,
    projects: &[model::Project],
    has_error_nodes: bool,
    syntax_errors: bool,
) {
    if projects.is_empty() && !has_error_nodes && !syntax_errors {
        cx.push(
            Diagnostic::new(
                "PS008",
                msg!("文件中没有项目", "the file declares no project"),
                Span::new(0, 0),
                msg!("这里没有 `项目 … {{` 块", "no `项目 … {{` block here"),
            )
            .with_help(msg!(
                "每个申报表写成一个 `项目 名称 {{ … }}` 块，文件头写 年度、主管部门、实施单位；空文件可删除",
                "write each form as a `项目 名称 {{ … }}` block under a header of 年度, 主管部门, 实施单位; delete an empty file"
            )),
        );
    }
}
