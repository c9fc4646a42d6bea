//! CSV for spreadsheets and pandas: one row per indicator with its project's columns beside
//! it. UTF-8 with a BOM (Excel needs it to read Chinese), CRLF line ends, quoted by the csv
//! crate, and no cell that a spreadsheet would run as a formula. Documented in `docs/json.md`.

use crate::model::{Indicator, Model, Project, Target};

/// The header row, in column order.
pub const HEADERS: [&str; 24] = [
    "项目名称",
    "年度",
    "主管部门",
    "实施单位",
    "项目性质",
    "项目类别",
    "计划开始日期",
    "计划完成日期",
    "年度资金申请总额",
    "当年财政拨款",
    "上年结转资金",
    "其他资金",
    "一级指标",
    "二级指标",
    "三级指标",
    "比较符",
    "指标值",
    "下限",
    "上限",
    "计量单位",
    "指标值（表述）",
    "定量",
    "文件",
    "行",
];

/// The columns added after [`HEADERS`] when the build holds at least one evaluated project
/// (docs/self-evaluation.md): the indicator's year-end side, then its project's execution
/// rate, total and grade. A declaration-only build has exactly [`HEADERS`].
pub const EVALUATION_HEADERS: [&str; 12] = [
    "实际完成值",
    "实际计量单位",
    "实际完成值（表述）",
    "分值",
    "得分",
    "规则得分",
    "填报得分",
    "是否完成",
    "偏差原因",
    "执行率（%）",
    "项目总分",
    "等级",
];

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The CSV bytes: BOM, header row, then one row per indicator in model order. A project
/// without indicators still gets one row (indicator columns empty) so its funding is not lost.
pub fn to_bytes(model: &Model) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    write_file(model, &mut buf)?;
    Ok(buf)
}

/// [`to_bytes`] as a stream (BOM included): what `perfspec build` writes, a row at a time.
pub fn write_file<W: std::io::Write>(model: &Model, mut out: W) -> std::io::Result<()> {
    out.write_all(BOM)?;
    write(model, out)
}

/// Write the rows (without the BOM) to any writer.
pub fn write<W: std::io::Write>(model: &Model, out: W) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let evaluated = model.projects.iter().any(|p| p.evaluation.is_some());
    if evaluated {
        w.write_record(HEADERS.iter().chain(&EVALUATION_HEADERS))?;
    } else {
        w.write_record(HEADERS)?;
    }
    let cells = |p: &Project, i: Option<&Indicator>| {
        let mut r = row(p, i).to_vec();
        if evaluated {
            r.extend(evaluation_cells(p, i));
        }
        r
    };
    for p in &model.projects {
        if p.indicators.is_empty() {
            write_row(&mut w, &cells(p, None))?;
        }
        for i in &p.indicators {
            write_row(&mut w, &cells(p, Some(i)))?;
        }
    }
    w.flush()?;
    Ok(())
}

fn write_row<W: std::io::Write>(w: &mut csv::Writer<W>, cells: &[String]) -> csv::Result<()> {
    let cells: Vec<_> = cells.iter().map(|c| neutralize(c)).collect();
    w.write_record(cells.iter().map(|c| c.as_bytes()))
}

/// The cells of one row, before neutralisation. Money as in the JSON: `991823.00`, no
/// separators, so a spreadsheet reads a number.
fn row(p: &Project, ind: Option<&Indicator>) -> [String; 24] {
    let f = &p.funding;
    let date = |d: Option<crate::syntax::DateLit>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut r: [String; 24] = Default::default();
    r[0] = p.name.clone();
    r[1] = p.year_shown();
    r[2] = p.department.clone();
    r[3] = p.unit.clone();
    r[4] = p.nature.clone();
    r[5] = p.kind.clone();
    r[6] = date(p.start);
    r[7] = date(p.end);
    // Blank when the spec states no amounts (`资金 待填`, a 自评表 without a funding block).
    let money = |mut d: rust_decimal::Decimal| {
        if !f.given {
            return String::new();
        }
        if d.scale() < 2 {
            d.rescale(2);
        }
        d.to_string()
    };
    r[8] = money(f.annual_total);
    r[9] = money(f.appropriation);
    r[10] = money(f.carryover);
    r[11] = money(f.other);
    let Some(i) = ind else {
        r[22] = p.loc.file.to_string();
        r[23] = p.loc.line.to_string();
        return r;
    };
    r[12] = i.level1().name().to_string();
    r[13] = i.level2.name().to_string();
    r[14] = i.name.to_string();
    // The form's symbols, like the 指标值（表述） column; `区间` for a range, empty for a word.
    let (op, value, low, high) = match &i.target {
        Target::Quantity { op, value, .. } => {
            (op.symbol(), value.to_string(), String::new(), String::new())
        }
        Target::Range(r) => ("区间", String::new(), r.low.to_string(), r.high.to_string()),
        Target::Date { op, date } => (op.symbol(), date.to_string(), String::new(), String::new()),
        Target::Qualitative { text } => ("", text.clone(), String::new(), String::new()),
    };
    r[15] = op.to_string();
    r[16] = value;
    r[17] = low;
    r[18] = high;
    r[19] = i
        .target
        .unit()
        .map(|u| u.spelling.to_string())
        .unwrap_or_default();
    r[20] = i.target.form_notation();
    r[21] = if i.target.is_quantitative() {
        "是"
    } else {
        "否"
    }
    .to_string();
    r[22] = i.loc.file.to_string();
    r[23] = i.loc.line.to_string();
    r
}

/// The year-end cells of one row, in [`EVALUATION_HEADERS`] order; empty for a project
/// that is not evaluated, and wherever a value is unknown (a score the rules could not
/// compute is empty, never 0). Scores with two decimals, as in the JSON.
fn evaluation_cells(p: &Project, ind: Option<&Indicator>) -> [String; 12] {
    use crate::emit::form::evaluation::two;
    use crate::model::ActualValue;
    let mut r: [String; 12] = Default::default();
    let Some(e) = p.evaluation.as_deref() else {
        return r;
    };
    if let Some(a) = ind.and_then(|i| i.assessment.as_deref()) {
        if let Some(x) = &a.actual {
            let (value, unit) = match &x.value {
                ActualValue::Quantity { value, unit } => {
                    (value.to_string(), unit.spelling.to_string())
                }
                ActualValue::Date(d) => (d.to_string(), String::new()),
                ActualValue::Text(t) => (t.clone(), String::new()),
            };
            r[0] = value;
            r[1] = unit;
            r[2] = x.form_notation();
        }
        r[3] = if a.weight_to_fill {
            String::new()
        } else {
            two(a.weight)
        };
        r[4] = a.score.map(two).unwrap_or_default();
        r[5] = a.score_rule.map(two).unwrap_or_default();
        r[6] = a.score_written.map(two).unwrap_or_default();
        r[7] = match a.judgement.met {
            Some(true) => "是",
            Some(false) => "否",
            None => "",
        }
        .to_string();
        r[8] = a.deviation.clone().unwrap_or_default();
    }
    r[9] = e
        .execution
        .as_ref()
        .and_then(|x| x.rate_percent())
        .map(two)
        .unwrap_or_default();
    r[10] = e.score.map(two).unwrap_or_default();
    r[11] = e.grade.unwrap_or("").to_string();
    r
}

/// A plain decimal (`-5.00`, `40`): a spreadsheet reads it as a number, never as a formula,
/// so it is left as it is.
fn is_plain_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    all_digits(int) && frac.map_or(true, all_digits)
}

/// Formula-injection guard (OWASP): text that starts with `=`, `+`, `-`, `@`, tab or CR gets
/// a leading `'`, so Excel and LibreOffice show it as text instead of running it. Text that
/// already starts with `'` gets one too, so removing one leading `'` always restores the
/// value. Plain decimals are exempt: they are numbers and must stay numbers to be summed.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']);
    if risky && !is_plain_decimal(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::{is_plain_decimal, neutralize};

    #[test]
    fn plain_decimals() {
        for s in ["0", "40", "40.00", "-5.00", "-5"] {
            assert!(is_plain_decimal(s), "{s}");
        }
        for s in [
            "", "-", ".5", "5.", "-.5", "1e5", "+5", "1,000.00", "-2+3", "--5",
        ] {
            assert!(!is_plain_decimal(s), "{s}");
        }
    }

    #[test]
    fn neutralizes_formula_starts() {
        assert_eq!(neutralize("=1+1"), "'=1+1");
        assert_eq!(neutralize("+cmd"), "'+cmd");
        assert_eq!(neutralize("-2+3"), "'-2+3");
        assert_eq!(neutralize("@SUM(1)"), "'@SUM(1)");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("\rx"), "'\rx");
        assert_eq!(neutralize("="), "'=");
        assert_eq!(neutralize("'quoted"), "''quoted");
        assert_eq!(neutralize("-5.00"), "-5.00");
        assert_eq!(neutralize("安全 = 1"), "安全 = 1");
        assert_eq!(neutralize("≥8000.00(件)"), "≥8000.00(件)");
        assert_eq!(neutralize(""), "");
    }
}
