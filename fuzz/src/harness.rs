//! What each fuzz target runs, and the oracles that turn a wrong output into a crash.
//!
//! Shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and by `tests/robustness.rs`,
//! which includes this file with `#[path]` and replays `tests/regressions/` through
//! [`run_all`]. Besides "no panic", the oracles check what an output promises:
//! - fmt: a formatted text formats to itself, and the self-check never fails (`Unsafe`
//!   is a formatter bug);
//! - JSON: valid JSON; for a spec without errors, the key invariants of
//!   `docs/perfspec.schema.json` (keys, decimal strings, enums, target shapes, totals);
//! - CSV: parses back, one row per indicator, no cell starts a formula;
//! - HTML: only the template's own tags and attributes, no spec text as markup;
//! - diff: a model against itself is empty, and every renderer runs.

use perfspec::check::{check_bytes, FileReport, Report};
use perfspec::fmt::{format_source, FormatError};
use perfspec::model::Model;
use serde_json::Value;

/// Parse only.
pub fn run_parse(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        // Oracle: the item-by-item parse gives what one pest call over the file gives.
        let by_item = perfspec::syntax::parse(text);
        let whole = perfspec::syntax::parse_whole(text);
        assert_eq!(
            format!("{by_item:?}"),
            format!("{whole:?}"),
            "item-by-item and whole-file parses differ"
        );
    }
    // Numbers are parsed on their own too (the grammar hands them over as text).
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = perfspec::syntax::parse_number_text(text);
    }
}

/// Check the bytes as one file (PS006 for non-UTF-8 and NUL bytes).
pub fn run_check(data: &[u8]) -> FileReport {
    let report = check_bytes("fuzz.perf", data);
    // Oracle: lowering each project as it is parsed gives what checking the parsed tree
    // gives.
    if let Ok(text) = std::str::from_utf8(data) {
        if !text.contains('\0') {
            let streamed = perfspec::check::check_source("fuzz.perf", text);
            let (tree, syntax) = perfspec::syntax::parse(text);
            let whole = perfspec::check::check_tree("fuzz.perf", text, &tree, &syntax);
            assert_eq!(
                format!("{:?}", (&streamed.projects, &streamed.diagnostics)),
                format!("{:?}", (&whole.projects, &whole.diagnostics)),
                "project-at-a-time and tree checks differ"
            );
        }
    }
    // Rendering the diagnostics reads spans against the source: a wrong span panics here.
    let opts = perfspec::diag::RenderOptions {
        lang: perfspec::diag::Lang::En,
        color: false,
        width: 100,
    };
    let index = report.line_index();
    for d in &report.diagnostics {
        let _ = perfspec::diag::render_human_indexed(&report.path, &index, d, opts);
        let line = perfspec::diag::render_json_line(&report.path, &index, d, opts.lang);
        let parsed: Result<Value, _> = serde_json::from_str(&line);
        assert!(
            parsed.is_ok(),
            "diagnostic JSON line does not parse: {line}"
        );
    }
    report
}

/// Format; the result must format to itself, and the self-check must not fail.
pub fn run_fmt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match format_source(text) {
        Ok(out) => {
            let again = format_source(&out);
            assert!(
                matches!(&again, Ok(o) if *o == out),
                "fmt is not idempotent:\n--- input\n{text:?}\n--- once\n{out:?}\n--- twice\n{again:?}"
            );
        }
        Err(FormatError::Syntax(_)) => {}
        Err(FormatError::Unsafe(m)) => {
            panic!("fmt self-check failed: {}\n--- input\n{text:?}", m.en)
        }
    }
}

fn model_of(report: &FileReport) -> Model {
    Model {
        projects: report.projects.clone(),
    }
}

/// JSON: valid, and for a spec without errors, the schema's invariants.
pub fn run_json(data: &[u8]) {
    let report = check_bytes("fuzz.perf", data);
    let json = perfspec::emit::json::to_string(&model_of(&report));
    let doc: Value = match serde_json::from_str(&json) {
        Ok(v) => v,
        Err(e) => panic!("build JSON does not parse: {e}"),
    };
    if !report.has_errors() {
        if let Err(e) = json_invariants(&doc) {
            panic!("build JSON breaks the schema: {e}\n{json}");
        }
    }
}

/// CSV: parses back with a header and one row per indicator (or per project without
/// indicators), and no cell starts a formula.
pub fn run_csv(data: &[u8]) {
    let report = check_bytes("fuzz.perf", data);
    let model = model_of(&report);
    let bytes = match perfspec::emit::csv::to_bytes(&model) {
        Ok(b) => b,
        Err(e) => panic!("CSV emitter failed: {e}"),
    };
    if let Err(e) = csv_invariants(&bytes, &model) {
        panic!("{e}");
    }
}

/// HTML: renders, and holds no markup from the spec.
pub fn run_html(data: &[u8]) {
    let report = check_bytes("fuzz.perf", data);
    let html = match perfspec::emit::html::to_string(&model_of(&report)) {
        Ok(h) => h,
        Err(e) => panic!("HTML emitter failed: {e}"),
    };
    if let Err(e) = html_invariants(&html) {
        panic!("{e}");
    }
}

/// xlsx: the workbook is written. (Its contents are read back in tests/xlsx.rs and
/// tests/robustness.rs; unzipping every fuzz input would slow the fuzzer tenfold.)
pub fn run_xlsx(data: &[u8]) {
    let report = check_bytes("fuzz.perf", data);
    let opts = perfspec::emit::xlsx::XlsxOptions {
        created_unix: Some(0),
    };
    if let Err(e) = perfspec::emit::xlsx::to_bytes_with(&model_of(&report), &opts) {
        panic!("xlsx emitter failed: {e}");
    }
}

/// Split the input in two files at the first 0xFF byte (never part of UTF-8), or in the
/// middle; diff them both ways and each against itself, render every format.
pub fn run_diff(data: &[u8]) {
    let (a, b) = match data.iter().position(|&x| x == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => data.split_at(data.len() / 2),
    };
    let ra = perfspec::check::check_all(vec![("a.perf".to_string(), a.to_vec())]);
    let rb = perfspec::check::check_all(vec![("b.perf".to_string(), b.to_vec())]);
    diff_all(&ra, &rb);
}

fn diff_all(ra: &Report, rb: &Report) {
    let (ma, mb) = (ra.model(), rb.model());
    for (x, y) in [(&ma, &mb), (&mb, &ma)] {
        let d = perfspec::diff::diff_models(x, y);
        for lang in [perfspec::diag::Lang::Zh, perfspec::diag::Lang::En] {
            let _ = perfspec::diff::render_text(&d, lang, true);
            let _ = perfspec::diff::render_markdown(&d, lang);
        }
        let json = perfspec::diff::render_json(&d);
        assert!(
            serde_json::from_str::<Value>(&json).is_ok(),
            "diff JSON does not parse: {json}"
        );
    }
    for m in [&ma, &mb] {
        let d = perfspec::diff::diff_models(m, m);
        assert!(d.is_empty(), "a model differs from itself: {d:?}");
    }
}

/// Everything, on one input: what `tests/robustness.rs` replays for each regression file
/// and what the grammar-aware target runs on each mutated spec.
pub fn run_all(data: &[u8]) {
    run_parse(data);
    let report = run_check(data);
    run_fmt(data);
    run_json(data);
    run_csv(data);
    run_html(data);
    run_xlsx(data);
    run_diff(data);
    // A file against a reformatted copy of itself: no difference in meaning. Both read as
    // the CLI reads files (check_bytes: a text with NUL bytes is refused on both sides).
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(out) = format_source(text) {
            let formatted = check_bytes("fuzz.perf", out.as_bytes());
            let d = perfspec::diff::diff_models(&model_of(&report), &model_of(&formatted));
            assert!(d.is_empty(), "fmt changed the meaning: {d:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Oracles

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.map_or(true, digits)
}

/// `^-?[0-9]+\.[0-9]{2,}$`, or exactly two decimals when `exact`.
fn is_money(s: &str, exact: bool) -> bool {
    is_decimal(s)
        && s.split_once('.')
            .is_some_and(|(_, f)| if exact { f.len() == 2 } else { f.len() >= 2 })
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn keys_are(v: &Value, want: &[&str], at: &str) -> Result<(), String> {
    let obj = v.as_object().ok_or(format!("{at}: not an object"))?;
    let got: Vec<&str> = obj.keys().map(String::as_str).collect();
    if got != want {
        return Err(format!("{at}: keys {got:?}, want {want:?}"));
    }
    Ok(())
}

fn str_at<'v>(v: &'v Value, key: &str, at: &str) -> Result<&'v str, String> {
    v[key]
        .as_str()
        .ok_or(format!("{at}.{key}: not a string: {}", v[key]))
}

fn count_at(v: &Value, key: &str, at: &str) -> Result<u64, String> {
    v[key]
        .as_u64()
        .ok_or(format!("{at}.{key}: not a count: {}", v[key]))
}

const LEVEL2: &[(&str, &str)] = &[
    ("经济成本指标", "成本指标"),
    ("社会成本指标", "成本指标"),
    ("生态环境成本指标", "成本指标"),
    ("数量指标", "产出指标"),
    ("质量指标", "产出指标"),
    ("时效指标", "产出指标"),
    ("经济效益指标", "效益指标"),
    ("社会效益指标", "效益指标"),
    ("生态效益指标", "效益指标"),
    ("可持续影响指标", "效益指标"),
    ("服务对象满意度指标", "满意度指标"),
];

const MEASURED: &[&str] = &[
    "money",
    "unit_cost",
    "count",
    "percent",
    "duration",
    "duration_rate",
    "rate",
    "score",
    "area",
    "length",
    "weight",
    "volume",
];

/// The invariants of `docs/perfspec.schema.json` that a consumer relies on, checked in Rust
/// so they hold without Python: every key in order, money and values as decimal strings,
/// enums, one of the four target shapes, totals that add up.
pub fn json_invariants(doc: &Value) -> Result<(), String> {
    keys_are(doc, &["schema_version", "projects", "totals"], "$")?;
    if doc["schema_version"] != 2 {
        return Err(format!("schema_version {}", doc["schema_version"]));
    }
    let projects = doc["projects"].as_array().ok_or("projects: not an array")?;
    let mut indicators_total = 0u64;
    for (pi, p) in projects.iter().enumerate() {
        let at = format!("projects[{pi}]");
        // `evaluation` only on evaluated projects, just before `source`.
        let mut want = vec![
            "name",
            "template",
            "year",
            "department",
            "unit",
            "nature",
            "kind",
            "period",
            "funding",
            "goals",
            "indicators",
            "totals",
        ];
        if p.get("evaluation").is_some() {
            want.push("evaluation");
            evaluation_invariants(&p["evaluation"], &format!("{at}.evaluation"))?;
        }
        want.push("source");
        keys_are(p, &want, &at)?;
        if str_at(p, "name", &at)?.is_empty() {
            return Err(format!("{at}.name is empty"));
        }
        // null for `年度 待填`.
        if !p["year"].is_null() {
            let year = count_at(p, "year", &at)?;
            if year > 65535 {
                return Err(format!("{at}.year {year}"));
            }
        }
        for k in ["department", "unit", "nature", "kind"] {
            str_at(p, k, &at)?;
        }
        keys_are(&p["period"], &["start", "end"], &format!("{at}.period"))?;
        for k in ["start", "end"] {
            let v = &p["period"][k];
            if !(v.is_null() || v.as_str().is_some_and(is_date)) {
                return Err(format!("{at}.period.{k}: {v}"));
            }
        }
        let f = &p["funding"];
        // null: the spec states no amounts (资金 待填, a 自评表 without a funding block).
        if !f.is_null() {
            keys_are(
                f,
                &[
                    "total",
                    "total_stated",
                    "appropriation",
                    "carryover",
                    "other",
                    "project_total",
                    "project_fiscal",
                    "project_other",
                ]
                .into_iter()
                .chain(f.get("by_year").map(|_| "by_year"))
                .collect::<Vec<_>>(),
                &format!("{at}.funding"),
            )?;
            for k in ["total", "appropriation", "carryover", "other"] {
                if !is_money(str_at(f, k, &at)?, true) {
                    return Err(format!("{at}.funding.{k}: {}", f[k]));
                }
            }
            for k in ["project_total", "project_fiscal", "project_other"] {
                if !(f[k].is_null() || f[k].as_str().is_some_and(|s| is_money(s, true))) {
                    return Err(format!("{at}.funding.{k}: {}", f[k]));
                }
            }
            if !f["total_stated"].is_boolean() {
                return Err(format!("{at}.funding.total_stated"));
            }
        }
        keys_are(&p["goals"], &["total", "annual"], &format!("{at}.goals"))?;
        if !(p["goals"]["total"].is_null() || p["goals"]["total"].is_string())
            || !p["goals"]["annual"].is_string()
        {
            return Err(format!("{at}.goals"));
        }
        let inds = p["indicators"]
            .as_array()
            .ok_or(format!("{at}.indicators: not an array"))?;
        let mut per_level1 = [0u64; 4];
        for (ii, i) in inds.iter().enumerate() {
            let at = format!("{at}.indicators[{ii}]");
            indicator_invariants(i, &at)?;
            let l1 = str_at(i, "level1", &at)?;
            let k = ["成本指标", "产出指标", "效益指标", "满意度指标"]
                .iter()
                .position(|x| *x == l1)
                .ok_or(format!("{at}.level1 {l1}"))?;
            per_level1[k] += 1;
        }
        let t = &p["totals"];
        let tat = format!("{at}.totals");
        keys_are(
            t,
            &[
                "indicators",
                "cost",
                "output",
                "benefit",
                "satisfaction",
                "cost_caps_yuan",
            ],
            &tat,
        )?;
        let counts = [
            count_at(t, "cost", &tat)?,
            count_at(t, "output", &tat)?,
            count_at(t, "benefit", &tat)?,
            count_at(t, "satisfaction", &tat)?,
        ];
        if counts != per_level1 || count_at(t, "indicators", &tat)? != inds.len() as u64 {
            return Err(format!("{tat}: counts {counts:?} for rows {per_level1:?}"));
        }
        if !is_money(str_at(t, "cost_caps_yuan", &tat)?, false) {
            return Err(format!("{tat}.cost_caps_yuan: {}", t["cost_caps_yuan"]));
        }
        source_invariants(&p["source"], &format!("{at}.source"))?;
        indicators_total += inds.len() as u64;
    }
    let t = &doc["totals"];
    keys_are(t, &["projects", "indicators", "funding_total"], "totals")?;
    if count_at(t, "projects", "totals")? != projects.len() as u64
        || count_at(t, "indicators", "totals")? != indicators_total
    {
        return Err("totals do not count the projects and indicators".into());
    }
    if !is_money(str_at(t, "funding_total", "totals")?, true) {
        return Err(format!("totals.funding_total: {}", t["funding_total"]));
    }
    Ok(())
}

fn source_invariants(s: &Value, at: &str) -> Result<(), String> {
    keys_are(s, &["file", "line", "column"], at)?;
    if str_at(s, "file", at)?.is_empty()
        || count_at(s, "line", at)? < 1
        || count_at(s, "column", at)? < 1
    {
        return Err(format!("{at}: {s}"));
    }
    Ok(())
}

/// A decimal string of the contract's scores, as an exact decimal.
fn score_at(v: &Value, key: &str, at: &str) -> Result<Option<rust_decimal::Decimal>, String> {
    match &v[key] {
        Value::Null => Ok(None),
        Value::String(s) => s
            .parse::<rust_decimal::Decimal>()
            .map(Some)
            .map_err(|_| format!("{at}.{key}: not a decimal: {s}")),
        other => Err(format!("{at}.{key}: {other}")),
    }
}

fn evaluation_invariants(e: &Value, at: &str) -> Result<(), String> {
    let subtotals = e["subtotals"]
        .as_array()
        .ok_or(format!("{at}.subtotals: not an array"))?;
    // A weight left to fill (`分值 待填`): its group's weight and the total are null.
    let mut weights = Some(rust_decimal::Decimal::ZERO);
    for (k, s) in subtotals.iter().enumerate() {
        let sat = format!("{at}.subtotals[{k}]");
        let w = score_at(s, "weight", &sat)?;
        weights = weights.zip(w).map(|(a, b)| a + b);
    }
    let total = score_at(e, "weight_total", at)?;
    if total != weights {
        return Err(format!(
            "{at}: weight_total {total:?} is not the sum {weights:?}"
        ));
    }
    Ok(())
}

fn indicator_invariants(i: &Value, at: &str) -> Result<(), String> {
    let mut want = vec![
        "level1",
        "level2",
        "name",
        "op",
        "value",
        "low",
        "high",
        "unit",
        "unit_canonical",
        "dimension",
        "quantitative",
        "value_yuan",
        "display",
    ];
    // The year-end keys, all or none, on indicators of evaluated projects.
    if i.get("weight").is_some() {
        want.extend([
            "actual",
            "weight",
            "weight_stated",
            "score",
            "score_rule",
            "score_written",
            "met",
            "deviation",
        ]);
        let w = score_at(i, "weight", at)?.ok_or(format!("{at}.weight is null"))?;
        if let Some(s) = score_at(i, "score_rule", at)? {
            if s < rust_decimal::Decimal::ZERO || s > w {
                return Err(format!("{at}: score_rule {s} outside 0..={w}"));
            }
        }
    }
    want.push("source");
    keys_are(i, &want, at)?;
    let l1 = str_at(i, "level1", at)?;
    let l2 = str_at(i, "level2", at)?;
    if !LEVEL2.contains(&(l2, l1)) {
        return Err(format!("{at}: level2 {l2} under level1 {l1}"));
    }
    str_at(i, "name", at)?;
    if str_at(i, "display", at)?.is_empty() {
        return Err(format!("{at}.display is empty"));
    }
    source_invariants(&i["source"], &format!("{at}.source"))?;
    let null = |k: &str| i[k].is_null();
    let text = |k: &str| i[k].as_str().is_some_and(|s| !s.is_empty());
    let dim = i["dimension"].as_str();
    // A unit left to fill (`≥ 100 待填`): unit, canonical unit and dimension all null.
    let unit_ok =
        (text("unit") && text("unit_canonical") && dim.is_some_and(|d| MEASURED.contains(&d)))
            || (null("unit") && null("unit_canonical") && null("dimension"));
    let quantitative = i["quantitative"]
        .as_bool()
        .ok_or(format!("{at}.quantitative"))?;
    let op = i["op"].as_str();
    let shape = match op {
        None => {
            // Qualitative: the word, nothing else.
            let ok = text("value")
                && [
                    "low",
                    "high",
                    "unit",
                    "unit_canonical",
                    "dimension",
                    "value_yuan",
                ]
                .iter()
                .all(|k| null(k))
                && !quantitative;
            ok.then_some("qualitative")
        }
        Some("range") => {
            let ok = null("value")
                && i["low"].as_str().is_some_and(is_decimal)
                && i["high"].as_str().is_some_and(is_decimal)
                && unit_ok
                && quantitative
                && null("value_yuan");
            ok.then_some("range")
        }
        Some("=" | ">=" | "<=" | ">" | "<") if dim == Some("date") => {
            let ok = i["value"].as_str().is_some_and(is_date)
                && ["low", "high", "unit", "unit_canonical", "value_yuan"]
                    .iter()
                    .all(|k| null(k))
                && quantitative;
            ok.then_some("date")
        }
        Some("=" | ">=" | "<=" | ">" | "<") => {
            let yuan_ok = if dim == Some("money") {
                null("value_yuan") || i["value_yuan"].as_str().is_some_and(|s| is_money(s, false))
            } else {
                null("value_yuan")
            };
            let ok = i["value"].as_str().is_some_and(is_decimal)
                && null("low")
                && null("high")
                && unit_ok
                && quantitative
                && yuan_ok;
            ok.then_some("quantity")
        }
        Some(_) => None,
    };
    if shape.is_none() {
        return Err(format!("{at}: no target shape fits {i}"));
    }
    Ok(())
}

/// The CSV parses back, has one record per indicator (a project without indicators still
/// gets one), and no cell would start a formula in a spreadsheet.
pub fn csv_invariants(bytes: &[u8], model: &Model) -> Result<(), String> {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .ok_or("CSV without BOM")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body);
    let mut rows = 0usize;
    for rec in reader.records() {
        let rec = rec.map_err(|e| format!("CSV does not parse back: {e}"))?;
        rows += 1;
        for cell in rec.iter() {
            if formula_start(cell) {
                return Err(format!("CSV cell starts a formula: {cell:?}"));
            }
        }
    }
    let want: usize = model
        .projects
        .iter()
        .map(|p| p.indicators.len().max(1))
        .sum();
    if rows != want {
        return Err(format!("CSV has {rows} rows, want {want}"));
    }
    Ok(())
}

/// What a spreadsheet would run: `=`, `+`, `-`, `@`, tab or CR first, unless the whole cell
/// is a plain decimal (a number, which must stay a number).
pub fn formula_start(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_decimal(cell)
}

/// Tags the template writes. Anything else in the page came from a spec.
const HTML_TAGS: &[&str] = &[
    "!doctype", "html", "head", "meta", "title", "style", "body", "section", "h1", "h2", "h3", "p",
    "br", "a", "table", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "div",
    "span", "caption", "header", "footer", "main", "nav", "small", "strong",
];

const HTML_ATTRS: &[&str] = &[
    "aria-label",
    "aria-labelledby",
    "charset",
    "class",
    "colspan",
    "rowspan",
    "content",
    "href",
    "http-equiv",
    "id",
    "lang",
    "name",
    "scope",
    "style",
];

/// Every tag is one of the template's, with the template's attributes; links stay inside
/// the page; the only raw-text element is the template's one `<style>`.
pub fn html_invariants(html: &str) -> Result<(), String> {
    let mut rest = html;
    let mut styles = 0;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..end];
        if tag.starts_with("!--") {
            return Err(format!("comment in the page: <{tag}>"));
        }
        let tag_body = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = tag_body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        if !HTML_TAGS.contains(&name.as_str()) {
            return Err(format!("tag not from the template: <{tag}>"));
        }
        if name == "style" && !tag.starts_with('/') {
            styles += 1;
        }
        if name != "!doctype" {
            for (attr, value) in attributes(&tag_body[name.len()..])? {
                if !HTML_ATTRS.contains(&attr.as_str()) {
                    return Err(format!(
                        "attribute not from the template: {attr} in <{tag}>"
                    ));
                }
                if attr == "href" && !value.starts_with('#') {
                    return Err(format!("link out of the page: <{tag}>"));
                }
            }
        }
        rest = &rest[end + 1..];
    }
    if styles > 1 {
        return Err(format!("{styles} <style> elements"));
    }
    Ok(())
}

/// `name="value"` pairs of a tag; a value must be quoted (the template quotes all of them).
fn attributes(mut s: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() || s == "/" {
            return Ok(out);
        }
        let name_end = s
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(s.len());
        let name = s[..name_end].to_ascii_lowercase();
        s = &s[name_end..];
        if let Some(r) = s.strip_prefix("=\"") {
            let close = r.find('"').ok_or(format!("unquoted value of {name}"))?;
            out.push((name, r[..close].to_string()));
            s = &r[close + 1..];
        } else if s.starts_with('=') {
            return Err(format!("unquoted value of {name}"));
        } else {
            out.push((name, String::new()));
        }
    }
}
