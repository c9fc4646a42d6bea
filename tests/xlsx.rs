//! `perfspec build --format xlsx`: the workbook is read back with calamine and every value
//! is compared with the checked model; the layout is pinned by snapshots of each sheet.

mod common;
use calamine::{Data, Dimensions, Range, Reader, Xlsx};
use perfspec::emit::xlsx::{self, SheetNamer, XlsxOptions, SUMMARY_SHEET};
use perfspec::model::{Level1, Model, Project, Target};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every spec under specs/ as (relative path, bytes), sorted like the CLI sorts them.
fn spec_inputs() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("read specs/") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "perf") {
                out.push(p);
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("specs"), &mut found);
    found.sort();
    found
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root()).expect("under root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(&p).expect("read spec"))
        })
        .collect()
}

fn model_of(inputs: Vec<(String, Vec<u8>)>) -> Model {
    let report = perfspec::check::check_all(inputs);
    assert!(!report.has_errors(), "the specs must check clean");
    report.model()
}

fn specs_model() -> Model {
    model_of(spec_inputs())
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

fn range(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Range<Data> {
    book.worksheet_range(sheet).expect("sheet exists")
}

fn at(r: &Range<Data>, row: u32, col: u32) -> &Data {
    r.get_value((row, col)).unwrap_or(&Data::Empty)
}

fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match at(r, row, col) {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text at {}, found {other:?}", addr(row, col)),
    }
}

fn number(r: &Range<Data>, row: u32, col: u32) -> f64 {
    match at(r, row, col) {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        Data::DateTime(d) => d.as_f64(),
        other => panic!("expected a number at {}, found {other:?}", addr(row, col)),
    }
}

fn dec_f64(d: Decimal) -> f64 {
    d.to_string().parse().expect("decimal as f64")
}

/// Excel's serial day number of a date (1900 system).
fn serial(d: perfspec::syntax::DateLit) -> f64 {
    // Days from civil (Howard Hinnant), relative to 1899-12-30.
    fn days(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe
    }
    (days(d.year.into(), d.month.into(), d.day.into()) - days(1899, 12, 30)) as f64
}

fn col_name(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

fn addr(row: u32, col: u32) -> String {
    format!("{}{}", col_name(col), row + 1)
}

fn merges(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Dimensions> {
    book.worksheet_merge_cells(sheet)
        .expect("sheet exists")
        .expect("merge cells readable")
}

/// The raw XML of one part of the workbook.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut f = zip.by_name(name).expect("part exists");
    let mut s = String::new();
    f.read_to_string(&mut s).expect("utf-8 xml");
    s
}

// ---------------------------------------------------------------------------------------

#[test]
fn five_sheets_summary_first() {
    let model = specs_model();
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let book = open(&bytes);
    let names = book.sheet_names();
    assert_eq!(names.len(), 5);
    assert_eq!(names[0], SUMMARY_SHEET);
    for (name, p) in names[1..].iter().zip(&model.projects) {
        // The seed's names are short enough to be kept whole.
        assert_eq!(name, &p.name);
    }
}

/// Rows of the indicator table start one below the row whose 一级 column says 一级指标.
fn indicator_header_row(r: &Range<Data>) -> u32 {
    (0..r.end().map_or(0, |e| e.0) + 1)
        .find(|&row| text_or_empty(r, row, 1) == "一级指标")
        .expect("indicator header row")
}

fn text_or_empty(r: &Range<Data>, row: u32, col: u32) -> String {
    match at(r, row, col) {
        Data::String(s) => s.clone(),
        _ => String::new(),
    }
}

fn check_project_sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, p: &Project) {
    let r = range(book, sheet);
    assert_eq!(text(&r, 0, 0), "财政项目支出绩效目标申报表");
    assert_eq!(text(&r, 1, 0), format!("({} 年度)", p.year));
    // Header block.
    assert_eq!(text(&r, 2, 0), "项目名称");
    assert_eq!(text(&r, 2, 1), p.name, "the full name is in the sheet");
    assert_eq!(text(&r, 2, 2), "项目性质");
    assert_eq!(text(&r, 2, 3), p.nature);
    assert_eq!(text(&r, 2, 4), "项目类别");
    assert_eq!(text(&r, 2, 5), p.kind);
    assert_eq!(text(&r, 3, 0), "主管部门");
    assert_eq!(text(&r, 3, 1), p.department);
    assert_eq!(text(&r, 3, 3), "实施单位");
    assert_eq!(text(&r, 3, 4), p.unit);
    assert_eq!(text(&r, 4, 0), "计划开始日期");
    assert_eq!(text(&r, 4, 3), "计划完成日期");
    for (col, d) in [(1, p.start), (4, p.end)] {
        match d {
            Some(d) => {
                assert!(matches!(at(&r, 4, col), Data::DateTime(_)), "a real date");
                assert_eq!(number(&r, 4, col), serial(d));
            }
            None => assert_eq!(at(&r, 4, col), &Data::Empty),
        }
    }
    // Funding block: numbers, compared with the exact decimals.
    let f = &p.funding;
    assert_eq!(text(&r, 5, 0), "项目资金(元)");
    let right = [
        ("年度资金申请总额", f.annual_total),
        ("其中：当年财政拨款", f.appropriation),
        ("上年结转资金", f.carryover),
        ("其他资金", f.other),
    ];
    for (i, (label, v)) in right.iter().enumerate() {
        let row = 5 + i as u32;
        assert_eq!(text(&r, row, 3), *label);
        assert_eq!(number(&r, row, 5), dec_f64(*v), "{label}");
    }
    let left = [
        ("项目资金总额", f.project_total),
        ("其中：财政资金", f.project_fiscal),
        ("", None),
        ("其他资金", f.project_other),
    ];
    for (i, (label, v)) in left.iter().enumerate() {
        let row = 5 + i as u32;
        assert_eq!(text(&r, row, 1), *label);
        match v {
            Some(v) => assert_eq!(number(&r, row, 2), dec_f64(*v)),
            None => assert_eq!(at(&r, row, 2), &Data::Empty, "{label} left blank"),
        }
    }
    // Goals.
    assert_eq!(text(&r, 9, 0), "项目绩效目标");
    assert_eq!(text(&r, 9, 1), "项目总目标");
    assert_eq!(text(&r, 9, 3), "年度总体目标");
    assert_eq!(text(&r, 10, 1), p.goal_total.clone().unwrap_or_default());
    assert_eq!(text(&r, 10, 3), p.goal_annual);

    // Indicators: names, comparators, numbers and units, row by row.
    let hr = indicator_header_row(&r);
    assert_eq!(text(&r, hr, 0), "绩效指标");
    assert_eq!(text(&r, hr, 2), "二级指标");
    assert_eq!(text(&r, hr, 3), "三级指标");
    assert_eq!(text(&r, hr, 5), "年度(/项目)指标值");
    let mut prev: Option<(Level1, perfspec::model::Level2)> = None;
    for (i, ind) in p.indicators.iter().enumerate() {
        let row = hr + 1 + i as u32;
        assert_eq!(text(&r, row, 3), &*ind.name);
        // The 一级/二级 text sits in the top-left cell of its merged run, the rest is blank.
        let l1 = text_or_empty(&r, row, 1);
        let l2 = text_or_empty(&r, row, 2);
        match prev {
            Some((p1, _)) if p1 == ind.level1() => assert_eq!(l1, ""),
            _ => assert_eq!(l1, ind.level1().name()),
        }
        match prev {
            Some((_, p2)) if p2 == ind.level2 => assert_eq!(l2, ""),
            _ => assert_eq!(l2, ind.level2.name()),
        }
        prev = Some((ind.level1(), ind.level2));
        match &ind.target {
            Target::Quantity { op, value, unit } => {
                assert!(
                    matches!(at(&r, row, 5), Data::Float(_) | Data::Int(_)),
                    "{}: the value is a number",
                    ind.name
                );
                assert_eq!(number(&r, row, 5), dec_f64(*value), "{}", ind.name);
                assert_eq!(text(&r, row, 6), op.symbol());
                assert_eq!(text(&r, row, 7), &*unit.spelling);
            }
            Target::Qualitative { text: t } => {
                assert_eq!(text(&r, row, 5), *t);
                assert_eq!(at(&r, row, 6), &Data::Empty);
            }
            Target::Date { op, date } => {
                assert_eq!(number(&r, row, 5), serial(*date));
                assert_eq!(text(&r, row, 6), op.symbol());
            }
            Target::Range(range) => {
                assert_eq!(text(&r, row, 5), ind.target.form_notation());
                assert_eq!(text(&r, row, 7), &*range.unit.spelling);
            }
        }
    }
    // Nothing below the table.
    let last = hr + p.indicators.len() as u32;
    assert_eq!(r.end().map(|e| e.0), Some(last));
}

#[test]
fn every_value_reads_back_as_the_model() {
    let model = specs_model();
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    let names = book.sheet_names();
    for (name, p) in names[1..].iter().zip(&model.projects) {
        check_project_sheet(&mut book, name, p);
    }
}

#[test]
fn summary_rows_counts_and_exact_total() {
    let model = specs_model();
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    let names = book.sheet_names();
    let r = range(&mut book, SUMMARY_SHEET);
    assert_eq!(
        text(&r, 0, 0),
        "上海市绿化和市容管理局行政服务中心 2026 年度项目绩效目标汇总表"
    );
    assert_eq!(
        text(&r, 1, 0),
        "编报绩效目标的项目 4 个，涉及项目预算资金 4,130,023.00 元"
    );
    let hr = xlsx::SUMMARY_HEADER_ROW;
    for (c, h) in xlsx::SUMMARY_HEADERS.iter().enumerate() {
        assert_eq!(text(&r, hr, c as u32), *h);
    }
    let mut total = Decimal::ZERO;
    for (i, p) in model.projects.iter().enumerate() {
        let row = hr + 1 + i as u32;
        assert_eq!(number(&r, row, 0), (i + 1) as f64);
        assert_eq!(text(&r, row, 1), p.name);
        assert_eq!(text(&r, row, 2), p.unit);
        assert_eq!(text(&r, row, 3), p.nature);
        assert_eq!(number(&r, row, 4), dec_f64(p.funding.annual_total));
        for (k, l) in Level1::ALL.iter().enumerate() {
            let n = p.indicators.iter().filter(|i| i.level1() == *l).count();
            assert_eq!(number(&r, row, 5 + k as u32), n as f64, "{} {l:?}", p.name);
        }
        assert_eq!(number(&r, row, 9), p.indicators.len() as f64);
        assert_eq!(text(&r, row, 10), names[i + 1]);
        total += p.funding.annual_total;
    }
    let tr = hr + 1 + model.projects.len() as u32;
    assert_eq!(text(&r, tr, 0), "合计");
    assert_eq!(total, Decimal::from(4_130_023));
    assert_eq!(number(&r, tr, 4), dec_f64(total));
    assert_eq!(number(&r, tr, 9), model.indicator_count() as f64);
    assert_eq!(model.indicator_count(), 77);

    // The check row: SUM formulas whose cached values are the exact sums.
    let formulas = book.worksheet_formula(SUMMARY_SHEET).expect("formulas");
    let cr = tr + 1;
    assert_eq!(
        formulas.get_value((cr, 4)).map(String::as_str),
        Some("SUM(E4:E7)")
    );
    assert_eq!(
        formulas.get_value((cr, 9)).map(String::as_str),
        Some("SUM(J4:J7)")
    );
    assert_eq!(number(&r, cr, 4), 4_130_023.0, "cached result of the SUM");
    assert_eq!(number(&r, cr, 9), 77.0);
    // Those six are the only formulas in the workbook.
    let n_formulas = formulas.used_cells().filter(|c| !c.2.is_empty()).count();
    assert_eq!(n_formulas, 6);
}

fn merge_set(v: &[Dimensions]) -> Vec<((u32, u32), (u32, u32))> {
    let mut out: Vec<_> = v.iter().map(|d| (d.start, d.end)).collect();
    out.sort();
    out
}

#[test]
fn level1_and_level2_cells_are_merged_over_their_runs() {
    let model = specs_model();
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    let names = book.sheet_names();
    for (name, p) in names[1..].iter().zip(&model.projects) {
        let r = range(&mut book, name);
        let hr = indicator_header_row(&r);
        let got = merge_set(&merges(&mut book, name));
        // No two merged areas overlap.
        for (i, a) in got.iter().enumerate() {
            for b in &got[i + 1..] {
                let overlap =
                    a.0 .0 <= b.1 .0 && b.0 .0 <= a.1 .0 && a.0 .1 <= b.1 .1 && b.0 .1 <= a.1 .1;
                assert!(!overlap, "{name}: {a:?} overlaps {b:?}");
            }
        }
        let first = hr + 1;
        let l1: Vec<_> = p.indicators.iter().map(|i| i.level1()).collect();
        let l2: Vec<_> = p.indicators.iter().map(|i| i.level2).collect();
        for (col, runs) in [(1u32, xlsx::runs(&l1)), (2, xlsx::runs(&l2))] {
            for (start, len) in runs {
                let r0 = first + start as u32;
                let r1 = r0 + len as u32 - 1;
                let merged = got.contains(&((r0, col), (r1, col)));
                // A run of one row is a plain cell, never a one-cell merge.
                assert_eq!(merged, len > 1, "{name}: col {col} rows {r0}..={r1}");
            }
        }
        // The 绩效指标 label spans the header and every indicator row.
        let n = p.indicators.len() as u32;
        assert!(
            got.contains(&((hr, 0), (hr + n, 0))),
            "{name}: 绩效指标 label"
        );
        // The seed's first form: 成本 3 rows, 产出 16, 效益 3, 满意度 1.
        if p.name == "行业信访、安全及保障稳定的应急工作专项" {
            let l1_merges: Vec<_> = got
                .iter()
                .filter(|m| m.0 .1 == 1 && m.1 .1 == 1 && m.0 .0 > hr)
                .map(|m| m.1 .0 - m.0 .0 + 1)
                .collect();
            assert_eq!(l1_merges, vec![3, 16, 3]);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Formula injection

const INJECTION: &str = r#"# Formula injection: every text field starts with a character a spreadsheet reads as a
# formula. All of it must stay text.
年度 2026
主管部门 =1+1
实施单位 @SUM(1,2)

项目 "=HYPERLINK(\"http://example.com/?leak\",\"点击\")" {
  性质 +cmd|' /C calc'!A0
  类别 -2+3
  期间 2026-01-01 至 2026-12-31

  资金 {
    年度资金申请总额 100,000.00
    当年财政拨款 100,000.00
    上年结转资金 0.00
    其他资金 0.00
  }

  项目总目标 =SUM(A1:A9)
  年度总体目标 @NOW()

  经济成本 "=HYPERLINK(\"http://example.com\",\"x\")" ≤ 10.00 万元
  数量 "+cmd|' /C calc'!A0" ≥ 1.00 次
  时效 "@SUM(1+1)" = 及时
  社会效益 "-1+1" ≥ 90.00 %
  服务对象满意度 "=1/0" ≥ 90.00 %
}
"#;

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let report = perfspec::check::check_all(vec![(
        "injection.perf".to_string(),
        INJECTION.as_bytes().to_vec(),
    )]);
    assert!(!report.has_errors(), "{:#?}", report.files[0].diagnostics);
    let model = report.model();
    let p = &model.projects[0];
    assert!(p.name.starts_with("=HYPERLINK("));
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    let names = book.sheet_names();
    assert_eq!(names.len(), 2);
    // `"` and `/` are fine in a name except `/`, which is replaced; the name starts with `=`.
    assert!(names[1].starts_with("=HYPERLINK("), "{}", names[1]);
    check_project_sheet(&mut book, &names[1], p);
    let strings: Vec<&str> = p.indicators.iter().map(|i| &*i.name).collect();
    assert_eq!(
        strings,
        [
            "=HYPERLINK(\"http://example.com\",\"x\")",
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "-1+1",
            "=1/0"
        ]
    );
    let summary = range(&mut book, SUMMARY_SHEET);
    assert_eq!(text(&summary, 3, 1), p.name);
    assert_eq!(text(&summary, 3, 2), "@SUM(1,2)");
    assert_eq!(text(&summary, 3, 3), "+cmd|' /C calc'!A0");

    // No formula anywhere in the project sheet, and in the summary only the check row.
    let sheet_xml = part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(!sheet_xml.contains("<f>"), "no formula element in the form");
    assert!(!sheet_xml.contains("<f "), "no formula element in the form");
    let summary_xml = part(&bytes, "xl/worksheets/sheet1.xml");
    let fs: Vec<&str> = summary_xml
        .split("<f>")
        .skip(1)
        .filter_map(|s| s.split("</f>").next())
        .collect();
    assert_eq!(
        fs,
        [
            "SUM(E4:E4)",
            "SUM(F4:F4)",
            "SUM(G4:G4)",
            "SUM(H4:H4)",
            "SUM(I4:I4)",
            "SUM(J4:J4)"
        ]
    );
    // The strings are in the shared string table as written.
    let sst = part(&bytes, "xl/sharedStrings.xml");
    assert!(sst.contains("=1/0"));
    assert!(sst.contains("@NOW()"));
}

// ---------------------------------------------------------------------------------------
// Sheet names

fn valid(name: &str) {
    assert!(rust_xlsxwriter::check_sheet_name(name).is_ok(), "{name:?}");
    let units: usize = name.chars().map(char::len_utf16).sum();
    assert!(
        units <= xlsx::SHEET_NAME_MAX,
        "{name:?} has {units} UTF-16 units"
    );
}

#[test]
fn sheet_names_forbidden_characters_are_replaced() {
    let mut n = SheetNamer::new();
    let got = n.name("a[b]c:d*e?f/g\\h");
    assert_eq!(got, "a_b_c_d_e_f_g_h");
    valid(&got);
    assert_eq!(n.name("'引号'"), "引号");
    assert_eq!(n.name("''"), "项目");
    assert_eq!(n.name("   "), "项目~2");
    assert_eq!(n.name("tab\tname"), "tab name");
}

#[test]
fn sheet_names_long_names_are_cut_with_an_ellipsis() {
    let mut n = SheetNamer::new();
    let long = "全市绿化、市容、环卫、林业诉求处置督查督办及相关信息化平台运行维护服务项目";
    let got = n.name(long);
    valid(&got);
    assert_eq!(got.chars().count(), 31);
    assert!(got.ends_with('…'));
    assert!(long.starts_with(got.trim_end_matches('…')));
    // The same long name again: the suffix survives the cut.
    let again = n.name(long);
    valid(&again);
    assert!(again.ends_with("…~2"), "{again}");
    assert_ne!(got, again);
    // Characters outside the BMP count twice, as Excel counts them.
    let emoji = "🌳".repeat(40);
    let got = n.name(&emoji);
    valid(&got);
    assert_eq!(got, format!("{}…", "🌳".repeat(15)));
    // A cut that would end in an apostrophe drops it.
    let got = n.name(&format!("{}'{}", "a".repeat(29), "b".repeat(10)));
    valid(&got);
    assert_eq!(got, format!("{}…", "a".repeat(29)));
}

#[test]
fn sheet_names_are_unique_case_insensitively_and_summary_is_reserved() {
    let mut n = SheetNamer::new();
    assert_eq!(n.name("汇总"), "汇总~2");
    assert_eq!(n.name("Project"), "Project");
    assert_eq!(n.name("PROJECT"), "PROJECT~2");
    assert_eq!(n.name("project"), "project~3");
    assert_eq!(n.name("project~2"), "project~2~2");
    assert_eq!(n.name("history"), "history~2");
}

#[test]
fn odd_project_names_give_a_valid_workbook() {
    let mut model = specs_model();
    let template = model.projects[0].clone();
    let odd = [
        "汇总",
        "a/b:c",
        "a_b_c",
        "A_B_C",
        "'",
        "很长的项目名称很长的项目名称很长的项目名称很长的项目名称很长的项目名称",
        "很长的项目名称很长的项目名称很长的项目名称很长的项目名称很长的项目名称",
    ];
    for name in odd {
        let mut p = template.clone();
        p.name = name.to_string();
        model.projects.push(p);
    }
    let names = xlsx::sheet_names(&model);
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    assert_eq!(book.sheet_names(), names);
    let mut lower: Vec<String> = names.iter().map(|s| s.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len(), "unique: {names:?}");
    for (i, name) in names.iter().enumerate() {
        valid(name);
        if i > 0 {
            // Whatever the sheet is called, the full name is in the form.
            let r = range(&mut book, name);
            assert_eq!(text(&r, 2, 1), model.projects[i - 1].name);
        }
    }
    assert_eq!(names[5], "汇总~2");
    assert_eq!(names[6], "a_b_c");
    assert_eq!(names[7], "a_b_c~2");
    assert_eq!(names[8], "A_B_C~3");
    assert_eq!(names[9], "项目");
}

#[test]
fn dates_ranges_long_goals_and_empty_tables() {
    use perfspec::syntax::{DateLit, Op};
    let mut model = specs_model();
    model.projects.truncate(1);
    let mut p = model.projects[0].clone();
    p.name = "第二个项目".to_string();
    // A goal far taller than one row may be (409 pt) is spread over merged rows.
    p.goal_annual = "很长的年度总体目标。".repeat(400);
    p.goal_total = Some("项目总目标\n第二行".to_string());
    p.funding.project_total = Some(Decimal::new(250_000_000, 2));
    p.funding.project_fiscal = Some(Decimal::new(200_000_000, 2));
    p.funding.project_other = Some(Decimal::new(50_000_000, 2));
    let unit = p.indicators[0].target.unit().cloned().expect("a unit");
    p.indicators[1].target = Target::Date {
        op: Op::Le,
        date: DateLit {
            year: 2026,
            month: 6,
            day: 30,
        },
    };
    p.indicators[2].target = Target::Range(Box::new(perfspec::model::Range {
        low: Decimal::new(90, 0),
        high: Decimal::new(100, 0),
        unit: unit.into(),
    }));
    p.indicators[3].target = Target::Quantity {
        op: Op::Ge,
        value: Decimal::new(-125, 2),
        unit: p.indicators[3]
            .target
            .unit()
            .cloned()
            .expect("a unit")
            .into(),
    };
    model.projects.push(p.clone());
    let mut empty = p.clone();
    empty.name = "没有指标".to_string();
    empty.indicators.clear();
    empty.start = None;
    model.projects.push(empty);

    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    let names = book.sheet_names();
    for (name, p) in names[1..].iter().zip(&model.projects) {
        check_project_sheet(&mut book, name, p);
    }
    let got = merge_set(&merges(&mut book, &names[2]));
    let goal = got
        .iter()
        .find(|m| m.0 == (10, 3))
        .expect("annual goal merged");
    assert!(goal.1 .0 > 10, "the long goal spans several rows: {goal:?}");
    assert_eq!(goal.1 .1, 5);
    assert!(
        got.contains(&((9, 0), (goal.1 .0, 0))),
        "项目绩效目标 label follows"
    );
    let r = range(&mut book, &names[3]);
    let hr = indicator_header_row(&r);
    assert_eq!(text(&r, hr, 0), "绩效指标");
    assert_eq!(r.end().map(|e| e.0), Some(hr));
    let formats = number_formats(&bytes, 2);
    let r = range(&mut book, &names[2]);
    let hr = indicator_header_row(&r);
    assert_eq!(
        formats.get(&addr(hr + 2, 5)).map(String::as_str),
        Some("\"≤\"yyyy-mm-dd")
    );
    // A negative value keeps the comparator in front: `≥-1.25(次)`.
    assert_eq!(number(&r, hr + 4, 5), -1.25);
    assert_eq!(
        formats.get(&addr(hr + 4, 5)).map(String::as_str),
        Some("\"≥\"0.00\"(次)\";\"≥-\"0.00\"(次)\"")
    );
}

#[test]
fn no_projects_gives_a_summary_with_a_zero_total() {
    let bytes = xlsx::to_bytes(&Model::default()).expect("workbook");
    let mut book = open(&bytes);
    assert_eq!(book.sheet_names(), [SUMMARY_SHEET]);
    let r = range(&mut book, SUMMARY_SHEET);
    assert_eq!(text(&r, 0, 0), "项目绩效目标汇总表");
    assert_eq!(text(&r, 3, 0), "合计");
    assert_eq!(number(&r, 3, 4), 0.0);
    assert!(!part(&bytes, "xl/worksheets/sheet1.xml").contains("<f>"));
}

#[test]
fn text_over_excels_cell_limit_is_cut_with_an_ellipsis() {
    let mut model = specs_model();
    model.projects[0].goal_annual = "长".repeat(40_000);
    model.projects[0].indicators[0].name = "短".repeat(32_001).into();
    let bytes = xlsx::to_bytes(&model).expect("a workbook, with the goal cut");
    // Long texts are written inline in their cell, short ones in the shared strings.
    let strings = part(&bytes, "xl/worksheets/sheet2.xml") + &part(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains(&format!("{}…<", "长".repeat(31_999))));
    assert!(!strings.contains(&"长".repeat(32_000)));
    assert!(strings.contains(&format!("{}…<", "短".repeat(31_999))));
    assert!(!strings.contains(&"短".repeat(32_000)));
}

mod names_prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_names_are_valid_and_unique(wanted in proptest::collection::vec(".{0,40}", 1..12)) {
            let mut n = SheetNamer::new();
            let mut seen = std::collections::HashSet::new();
            seen.insert(SUMMARY_SHEET.to_lowercase());
            for w in &wanted {
                let got = n.name(w);
                prop_assert!(rust_xlsxwriter::check_sheet_name(&got).is_ok(), "{:?} -> {:?}", w, got);
                let units: usize = got.chars().map(char::len_utf16).sum();
                prop_assert!(units <= 31);
                prop_assert!(seen.insert(got.to_lowercase()), "duplicate {:?}", got);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Determinism

#[test]
fn same_input_same_bytes() {
    let a = xlsx::to_bytes(&specs_model()).expect("workbook");
    let b = xlsx::to_bytes(&specs_model()).expect("workbook");
    assert!(a == b, "two builds differ");
    // The creation date is the declaration year's 1 January, not the build time.
    let core = part(&a, "docProps/core.xml");
    assert!(
        core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-01-01T00:00:00Z"),
        "{core}"
    );
    // SOURCE_DATE_EPOCH (passed in by the CLI) replaces it, and only it.
    let opts = XlsxOptions {
        created_unix: Some(1_700_000_000),
    };
    let c = xlsx::to_bytes_with(&specs_model(), &opts).expect("workbook");
    assert!(a != c);
    assert!(part(&c, "docProps/core.xml").contains("2023-11-14T22:13:20Z"));
    assert_eq!(
        part(&a, "xl/worksheets/sheet2.xml"),
        part(&c, "xl/worksheets/sheet2.xml")
    );
}

#[test]
fn number_formats_show_the_form_notation() {
    let bytes = xlsx::to_bytes(&specs_model()).expect("workbook");
    let styles = part(&bytes, "xl/styles.xml");
    for code in [
        "&quot;≥&quot;0.00&quot;(件)&quot;",
        "&quot;≤&quot;0.00&quot;(万元)&quot;",
        "&quot;≥&quot;0&quot;(百分比)&quot;",
        "&quot;≤&quot;0.00&quot;(元/份(册))&quot;",
        "#,##0.00",
    ] {
        assert!(styles.contains(code), "missing number format {code}");
    }
    for font in styles.split("<font>").skip(1) {
        assert!(
            font.contains("<name val=\"SimSun\"/>") || font.contains("<name val=\"Calibri\"/>"),
            "{font}"
        );
    }
    let cjk_fonts = styles.matches("<name val=\"SimSun\"/>").count();
    assert!(cjk_fonts >= 3, "the formats carry the CJK font");
}

// ---------------------------------------------------------------------------------------
// Snapshots of each sheet: cell address → value, then the merged areas.

/// The value of `name="…"` in an XML start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    tag[at..].split('"').next()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Cell address → number format code, for cells whose format is not General. calamine
/// does not expose formats, so this reads styles.xml and the sheet XML directly.
fn number_formats(bytes: &[u8], sheet_index: usize) -> BTreeMap<String, String> {
    let styles = part(bytes, "xl/styles.xml");
    let codes: BTreeMap<String, String> = styles
        .split("<numFmt ")
        .skip(1)
        .map(|t| format!(" {t}"))
        .filter_map(|t| {
            Some((
                attr(&t, "numFmtId")?.to_string(),
                unescape(attr(&t, "formatCode")?),
            ))
        })
        .collect();
    let xfs_xml = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|s| s.split("</cellXfs>").next())
        .unwrap_or("");
    let xfs: Vec<String> = xfs_xml
        .split("<xf ")
        .skip(1)
        .map(|t| {
            attr(&format!(" {t}"), "numFmtId")
                .unwrap_or("0")
                .to_string()
        })
        .collect();
    let sheet = part(
        bytes,
        &format!("xl/worksheets/sheet{}.xml", sheet_index + 1),
    );
    let mut out = BTreeMap::new();
    for t in sheet.split("<c ").skip(1) {
        let tag = format!(" {}", t.split('>').next().unwrap_or(""));
        let (Some(r), Some(s)) = (attr(&tag, "r"), attr(&tag, "s")) else {
            continue;
        };
        let id = s.parse::<usize>().ok().and_then(|i| xfs.get(i));
        if let Some(code) = id.and_then(|id| codes.get(id)) {
            out.insert(r.to_string(), code.clone());
        }
    }
    out
}

fn dump(
    book: &mut Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
    formats: &BTreeMap<String, String>,
) -> String {
    let r = range(book, sheet);
    let mut out = String::new();
    let mut cells = BTreeMap::new();
    for (row, col, v) in r.used_cells() {
        let (r0, c0) = r.start().unwrap_or((0, 0));
        cells.insert((r0 + row as u32, c0 + col as u32), v.clone());
    }
    for ((row, col), v) in cells {
        let a = addr(row, col);
        let fmt = match (&v, formats.get(&a)) {
            (Data::String(_), _) | (_, None) => String::new(),
            (_, Some(code)) => format!("  [{code}]"),
        };
        let shown = match v {
            Data::String(s) => format!("{s:?}"),
            Data::Float(f) => format!("n {f}"),
            Data::Int(i) => format!("n {i}"),
            Data::DateTime(d) => format!("date {}", d.as_f64()),
            other => format!("{other:?}"),
        };
        out.push_str(&format!("{a:<5} {shown}{fmt}\n"));
    }
    out.push_str("merged:\n");
    for ((r0, c0), (r1, c1)) in merge_set(&merges(book, sheet)) {
        out.push_str(&format!("  {}:{}\n", addr(r0, c0), addr(r1, c1)));
    }
    out
}

#[test]
fn sheet_snapshots() {
    let bytes = xlsx::to_bytes(&specs_model()).expect("workbook");
    let mut book = open(&bytes);
    for (i, name) in book.sheet_names().iter().enumerate() {
        let d = dump(&mut book, name, &number_formats(&bytes, i));
        insta::assert_snapshot!(format!("sheet{i}"), d, name);
    }
}

/// Attribute pairs read from XML: row → height, or column span → width.
type Pairs = Vec<(String, String)>;

/// Row heights (`row → ht`) and column widths (`min:max → width`) of one sheet's XML.
fn layout(bytes: &[u8], sheet_index: usize) -> (Pairs, Pairs) {
    let xml = part(
        bytes,
        &format!("xl/worksheets/sheet{}.xml", sheet_index + 1),
    );
    let tags = |name: &str| -> Vec<String> {
        xml.split(&format!("<{name} "))
            .skip(1)
            .map(|t| format!(" {}", t.split('>').next().unwrap_or("")))
            .collect()
    };
    let rows = tags("row")
        .iter()
        .filter_map(|t| Some((attr(t, "r")?.to_string(), attr(t, "ht")?.to_string())))
        .collect();
    let cols = tags("col")
        .iter()
        .filter_map(|t| {
            let span = format!("{}:{}", attr(t, "min")?, attr(t, "max")?);
            Some((span, attr(t, "width")?.to_string()))
        })
        .collect();
    (rows, cols)
}

/// The defined names (print areas, print titles) of a workbook as `sheet index, name,
/// reference`, with sheet names unquoted (a name may be written quoted or not).
fn defined_names(bytes: &[u8]) -> Vec<String> {
    let xml = part(bytes, "xl/workbook.xml");
    let mut out: Vec<String> = xml
        .split("<definedName ")
        .skip(1)
        .map(|t| {
            let (tag, rest) = t.split_once('>').unwrap_or((t, ""));
            let tag = format!(" {tag}");
            let value = unescape(rest.split('<').next().unwrap_or(""));
            let (sheet, cells) = value.rsplit_once('!').unwrap_or(("", &value));
            let sheet = match sheet.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                Some(q) => q.replace("''", "'"),
                None => sheet.to_string(),
            };
            format!(
                "{} {} {sheet}!{cells}",
                attr(&tag, "localSheetId").unwrap_or(""),
                attr(&tag, "name").unwrap_or("")
            )
        })
        .collect();
    out.sort();
    out
}

/// The workbook of specs/ as rust_xlsxwriter 0.90 wrote it (commit 7955f56, before
/// perfspec wrote its workbooks itself) has the same content as today's: every cell's
/// value and number format, merged areas, formulas with their cached results, row
/// heights, column widths, print areas and titles, sheet names and creation date. Only
/// the byte layout differs (style indices, inline strings, quoting in defined names).
/// `scripts/compare-xlsx.py` compares the same pair through openpyxl, fonts, borders,
/// alignment and page setup included.
#[test]
fn same_content_as_the_rust_xlsxwriter_workbook() {
    let reference =
        std::fs::read(root().join("tests/fixtures/xlsx/specs-rust_xlsxwriter-0.90.xlsx"))
            .expect("reference workbook");
    let bytes = xlsx::to_bytes(&specs_model()).expect("workbook");
    assert!(bytes != reference, "the byte layout is perfspec's own");
    let mut old = open(&reference);
    let mut new = open(&bytes);
    let names = old.sheet_names();
    assert_eq!(new.sheet_names(), names);
    for (i, name) in names.iter().enumerate() {
        assert_eq!(
            dump(&mut new, name, &number_formats(&bytes, i)),
            dump(&mut old, name, &number_formats(&reference, i)),
            "{name}"
        );
        let formulas = |book: &mut Xlsx<Cursor<Vec<u8>>>| {
            let f = book.worksheet_formula(name).expect("formulas");
            f.used_cells()
                .filter(|c| !c.2.is_empty())
                .map(|(r, c, v)| (r, c, v.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(formulas(&mut new), formulas(&mut old), "{name}");
        assert_eq!(layout(&bytes, i), layout(&reference, i), "{name}");
    }
    assert_eq!(defined_names(&bytes), defined_names(&reference));
    assert_eq!(defined_names(&bytes).len(), 2 * names.len());
    assert_eq!(
        part(&bytes, "docProps/core.xml"),
        part(&reference, "docProps/core.xml")
    );
}

// ---------------------------------------------------------------------------------------
// CLI

use common::perfspec;

#[test]
fn cli_builds_the_same_bytes_as_the_library() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.xlsx");
    let o = perfspec(
        root(),
        &[
            "build",
            "specs/",
            "--format",
            "xlsx",
            "-o",
            out.to_str().expect("utf-8 path"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read(&out).expect("written");
    assert!(written == xlsx::to_bytes(&specs_model()).expect("workbook"));
    // No temporary file left beside it.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn cli_xlsx_needs_an_output_file() {
    let o = perfspec(root(), &["build", "specs/", "--format", "xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("-o FILE.xlsx"));
    let o = perfspec(
        root(),
        &["--lang", "en", "build", "specs/", "--format", "xlsx"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("binary"));
    // `-o -` into a pipe is allowed (stdout here is a pipe).
    let o = perfspec(root(), &["build", "specs/", "--format", "xlsx", "-o", "-"]);
    assert!(o.status.success());
    assert!(o.stdout.starts_with(b"PK\x03\x04"));
}

#[test]
fn cli_spec_with_errors_leaves_the_old_file_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("bad.perf");
    // 年度资金申请总额 that is not its parts' sum, and an unknown category: errors.
    let bad = INJECTION
        .replace("当年财政拨款 100,000.00", "当年财政拨款 90,000.00")
        .replace("数量 \"+cmd", "不存在的类别 \"+cmd");
    std::fs::write(&spec, bad).expect("write spec");
    let out = dir.path().join("out.xlsx");
    std::fs::write(&out, b"previous contents").expect("write old output");
    let o = perfspec(
        dir.path(),
        &["build", "bad.perf", "--format", "xlsx", "-o", "out.xlsx"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read(&out).expect("still there"),
        b"previous contents"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
}

#[test]
fn cli_source_date_epoch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.xlsx");
    let run = |epoch: &str| {
        Command::new(env!("CARGO_BIN_EXE_perfspec"))
            .args(["build", "specs/", "--format", "xlsx", "-o"])
            .arg(&out)
            .current_dir(root())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .expect("run perfspec")
    };
    let o = run("1700000000");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&out).expect("written");
    assert!(part(&bytes, "docProps/core.xml").contains("2023-11-14T22:13:20Z"));
    let o = run("yesterday");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("SOURCE_DATE_EPOCH"));
    // The failed run did not touch the earlier file.
    assert!(std::fs::read(&out).expect("still there") == bytes);
}

// ---------------------------------------------------------------------------------------
// The 自评表 of evaluated projects (tests/fixtures/self-evaluation/)

/// The fixture's files as the CLI names them, sorted.
fn evaluation_model() -> Model {
    let dir = root().join("tests/fixtures/self-evaluation");
    let inputs = common::files_with_extension(&dir, "perf")
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root()).expect("under root");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(&p).expect("read fixture"))
        })
        .collect();
    model_of(inputs)
}

/// The row (0-based) whose column A says `label`.
fn row_labelled(r: &Range<Data>, label: &str) -> u32 {
    (0..r.height() as u32)
        .find(|&row| matches!(at(r, row, 0), Data::String(s) if s == label))
        .unwrap_or_else(|| panic!("no row labelled {label}"))
}

#[test]
fn evaluated_sheets_have_numeric_scores_weights_and_rate() {
    let model = evaluation_model();
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    let formats = number_formats(&bytes, 1);
    let r = range(&mut book, "河道保洁");
    assert_eq!(text(&r, 0, 0), "项目支出绩效自评表");
    // 资金情况: 万元 as numbers, the rate a fraction under a percentage format.
    let ex = row_labelled(&r, "资金情况(万元)");
    let values = ex + 1;
    assert_eq!(
        [1, 2, 3].map(|c| number(&r, values, c)),
        [100.0, 100.0, 95.0]
    );
    assert_eq!(number(&r, values, 4), 10.0);
    assert_eq!(number(&r, values, 5), 0.95);
    assert_eq!(
        formats.get(&addr(values, 5)).map(String::as_str),
        Some("0.00%")
    );
    assert_eq!(number(&r, values, 6), 9.5);
    assert_eq!(
        formats.get(&addr(values, 6)).map(String::as_str),
        Some("0.00")
    );
    // The indicator rows: 分值 and 得分 are numbers with two decimals, as the model says.
    let hr = row_labelled(&r, "绩效指标");
    let p = &model.projects[0];
    for (k, ind) in p.indicators.iter().enumerate() {
        let row = hr + 1 + k as u32;
        let a = ind.assessment.as_deref().expect("evaluated");
        assert_eq!(text(&r, row, 3), &*ind.name);
        assert_eq!(number(&r, row, 6), dec_f64(a.weight), "{}", ind.name);
        let score = a.score.expect("scored");
        assert_eq!(number(&r, row, 7), dec_f64(score), "{}", ind.name);
        for c in [6, 7] {
            assert_eq!(formats.get(&addr(row, c)).map(String::as_str), Some("0.00"));
        }
        assert_eq!(
            text_or_empty(&r, row, 8),
            a.deviation.clone().unwrap_or_default()
        );
    }
    let total = hr + 1 + p.indicators.len() as u32;
    assert_eq!(text(&r, total, 0), "总分");
    assert_eq!(number(&r, total, 6), 100.0);
    let e = p.evaluation.as_deref().expect("evaluated");
    assert_eq!(number(&r, total, 7), dec_f64(e.score.expect("total")));
    assert_eq!(text(&r, total, 8), "等级：优");
}

#[test]
fn an_unknown_score_is_a_note_never_zero() {
    let bytes = xlsx::to_bytes(&evaluation_model()).expect("workbook");
    let mut book = open(&bytes);
    let r = range(&mut book, "泵站运行维护");
    let hr = row_labelled(&r, "绩效指标");
    // 汛前检修 (基本完成, no 得分) and the indicator without an actual: no number.
    let unscored: Vec<String> = (hr + 1..hr + 6)
        .filter(|&row| matches!(at(&r, row, 7), Data::String(s) if s == "未计分"))
        .map(|row| text(&r, row, 3))
        .collect();
    assert_eq!(unscored, ["汛前检修", "周边居民满意度"]);
    let total = row_labelled(&r, "总分");
    assert_eq!(text(&r, total, 7), "未计分");
    // The summary: 自评总分 and 等级 beside each evaluated project, blank for the other.
    let s = range(&mut book, SUMMARY_SHEET);
    let hr = xlsx::SUMMARY_HEADER_ROW;
    assert_eq!(
        [10, 11, 12].map(|c| text(&s, hr, c)),
        ["自评总分", "等级", "工作表"]
    );
    assert_eq!(number(&s, hr + 1, 10), 97.42);
    assert_eq!(text(&s, hr + 1, 11), "优");
    assert_eq!(text(&s, hr + 2, 10), "未计分");
    assert_eq!(at(&s, hr + 3, 10), &Data::Empty);
    assert_eq!(text(&s, hr + 3, 12), "排水管网疏通");
}

#[test]
fn evaluation_sheet_snapshots() {
    let bytes = xlsx::to_bytes(&evaluation_model()).expect("workbook");
    let mut book = open(&bytes);
    for (i, name) in book.sheet_names().iter().enumerate() {
        let d = dump(&mut book, name, &number_formats(&bytes, i));
        insta::assert_snapshot!(format!("evaluation_sheet{i}"), d, name);
    }
}

/// A template whose form has no 项目性质 / 项目类别 (财政部2021): the name has its whole line
/// (one merged cell from the first value column to the last), no 项目性质 label.
#[test]
fn the_name_line_follows_the_template() {
    let spec = std::fs::read(root().join("tests/ui/PS114/pass.perf")).unwrap();
    let model = model_of(vec![("a.perf".to_string(), spec)]);
    let bytes = xlsx::to_bytes(&model).expect("workbook");
    let mut book = open(&bytes);
    let sheet = book.sheet_names()[1].clone();
    let r = range(&mut book, &sheet);
    assert_eq!(text(&r, 2, 0), "项目名称");
    assert_eq!(text(&r, 2, 1), "高标准农田建设");
    assert!((0..8).all(|c| text_or_empty(&r, 2, c) != "项目性质"));
    let name_merge = merges(&mut book, &sheet)
        .into_iter()
        .find(|m| m.start == (2, 1));
    assert_eq!(name_merge.map(|m| m.end), Some((2, 5)));
}
