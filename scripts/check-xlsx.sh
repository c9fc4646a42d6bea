#!/usr/bin/env bash
# Open the workbook of specs/ in LibreOffice (headless) the way finance staff would, and check:
#   1. it converts to PDF without error, the PDF is not empty and has a page per sheet;
#   2. every indicator value shows exactly the form's notation (`≥8000.00(件)`), read from
#      LibreOffice's own rendering of the cells (CSV "as shown");
#   3. the values are numbers a formula can use: SUM/SUMIF formulas injected into a copy are
#      recalculated by LibreOffice and compared with the exact decimals of the JSON build,
#      and the summary's own check row is recalculated too;
#   4. the pages render to PNG (pdftoppm) for a person to look at;
#   5. the workbook of tests/fixtures/self-evaluation/ (evaluated projects get the 自评表):
#      LibreOffice shows every 分值, 得分 and 执行率 as the JSON build says (two decimals, the
#      rate as a percentage, `未计分` for an unknown score), and a SUM formula injected over
#      the 得分 column, plus the execution score, recalculates to the JSON's 总分.
#
# Usage: scripts/check-xlsx.sh [OUTDIR]
#   OUTDIR keeps the workbook, PDF, CSVs and page PNGs (default: a temporary folder, removed).
# Installs libreoffice-calc, poppler-utils and fonts (CJK + Carlito, Calibri's metric twin,
# so widths match Excel) with apt-get when missing. Set PERFSPEC to test a given binary.
# Exit status: 0 ok, 1 a check failed, 2 could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check-xlsx: FAIL: $*" >&2; exit 1; }
die() { echo "check-xlsx: $*" >&2; exit 2; }
log() { echo "check-xlsx: $*"; }

# ---- tools -------------------------------------------------------------------------------
need_pkgs=()
command -v soffice >/dev/null 2>&1 || need_pkgs+=(libreoffice-calc)
command -v pdftoppm >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 \
  || need_pkgs+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need_pkgs+=(fontconfig)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  need_pkgs+=(fonts-noto-cjk)
fi
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi carlito; then
  need_pkgs+=(fonts-crosextra-carlito)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  command -v apt-get >/dev/null 2>&1 || die "missing ${need_pkgs[*]} and no apt-get"
  $sudo apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${need_pkgs[@]}" >/dev/null || die "apt-get install ${need_pkgs[*]} failed"
fi
command -v soffice >/dev/null 2>&1 || die "soffice not found after installing libreoffice-calc"
command -v python3 >/dev/null 2>&1 || die "python3 not found"

# ---- build -------------------------------------------------------------------------------
if [ -z "${PERFSPEC:-}" ]; then
  cargo build --quiet --bin perfspec || die "cargo build failed"
  PERFSPEC="$PWD/target/debug/perfspec"
fi

if [ $# -ge 1 ]; then
  out="$1"
  mkdir -p "$out"
  out="$(cd "$out" && pwd)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
else
  out="$(mktemp -d)"
  work="$out"
  trap 'rm -rf "$out"' EXIT
fi

"$PERFSPEC" build specs/ --format xlsx -o "$out/specs.xlsx" || fail "perfspec build --format xlsx"
"$PERFSPEC" build specs/ --format json -o "$out/specs.json" || fail "perfspec build --format json"
[ -s "$out/specs.xlsx" ] || fail "empty workbook"

# A private LibreOffice profile: never touches the user's, and recalculates every formula on
# load (the default trusts cached results, which would make check 3 prove nothing).
profile="$work/lo-profile"
mkdir -p "$profile/user"
cat >"$profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
office() {
  # soffice returns 0 even when a conversion fails, so callers check the output files.
  timeout 300 soffice --headless --norestore -env:UserInstallation="file://$profile" "$@" \
    >"$work/soffice.log" 2>&1 || { cat "$work/soffice.log" >&2; fail "soffice $*"; }
}

# ---- 1. PDF ------------------------------------------------------------------------------
office --convert-to pdf --outdir "$out" "$out/specs.xlsx"
pdf="$out/specs.pdf"
[ -s "$pdf" ] || { cat "$work/soffice.log" >&2; fail "LibreOffice produced no PDF"; }
pages="$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')"
sheets="$(python3 -c 'import json,sys; print(1 + len(json.load(open(sys.argv[1]))["projects"]))' "$out/specs.json")"
[ -n "$pages" ] && [ "$pages" -ge "$sheets" ] || fail "PDF has ${pages:-no} pages for $sheets sheets"
log "PDF: $pages pages for $sheets sheets"

# ---- 2 and 3. values as shown, and formulas over them --------------------------------------
# The copy gets extra formula cells: per project sheet SUMIF over the value column where the
# comparator column is filled, and a COUNT of numeric values; on the summary a SUM of the
# funding column. No cached values, so LibreOffice must compute them.
python3 - "$out/specs.xlsx" "$work/probe.xlsx" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
zin = zipfile.ZipFile(src)
zout = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
for item in zin.infolist():
    data = zin.read(item.filename)
    m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
    if m:
        xml = data.decode("utf-8")
        last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
        n = last + 2
        if m.group(1) == "1":
            cells = f'<c r="L{n}"><f>SUM(E4:E{last - 2})</f></c>'
        else:
            cells = (f'<c r="J{n}"><f>SUMIF(G1:G{last},"&lt;&gt;",F1:F{last})</f></c>'
                     f'<c r="K{n}"><f>SUMPRODUCT(ISNUMBER(F1:F{last})*(G1:G{last}&lt;&gt;""))</f></c>')
        xml = xml.replace("</sheetData>", f'<row r="{n}">{cells}</row></sheetData>', 1)
        data = xml.encode("utf-8")
    zout.writestr(item, data)
zout.close()
PY

csv_filter() { # $1: "as shown" true/false
  echo "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,$1,false,false,-1"
}
mkdir -p "$work/shown" "$work/raw"
office --convert-to "$(csv_filter true)" --outdir "$work/shown" "$out/specs.xlsx"
office --convert-to "$(csv_filter false)" --outdir "$work/raw" "$work/probe.xlsx"

python3 - "$out/specs.xlsx" "$out/specs.json" "$work/shown" "$work/raw" <<'PY'
import csv, json, re, sys, zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

xlsx, doc, shown_dir, raw_dir = sys.argv[1:]
doc = json.load(open(doc, encoding="utf-8"))
wb = zipfile.ZipFile(xlsx).read("xl/workbook.xml").decode("utf-8")
unesc = lambda s: s.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
names = [unesc(n) for n in re.findall(r'<sheet name="([^"]*)"', wb)]
failures = []

def sheet_csv(folder, stem, name):
    files = list(Path(folder).glob(f"{stem}-*.csv"))
    for f in files:
        if f.name == f"{stem}-{name}.csv":
            return list(csv.reader(open(f, encoding="utf-8-sig", newline="")))
    sys.exit(f"check-xlsx: FAIL: no CSV for sheet {name!r} among {[f.name for f in files]}")

def serial(d):
    y, m, dd = map(int, d.split("-"))
    return Decimal((date(y, m, dd) - date(1899, 12, 30)).days)

def close(a, b):
    return abs(Decimal(a) - Decimal(b)) <= Decimal("0.000001")

assert len(names) == 1 + len(doc["projects"]), names
for name, p in zip(names[1:], doc["projects"]):
    shown = sheet_csv(shown_dir, "specs", name)
    raw = sheet_csv(raw_dir, "probe", name)
    header = next(i for i, row in enumerate(shown) if len(row) > 1 and row[1] == "一级指标")
    for k, ind in enumerate(p["indicators"]):
        row = shown[header + 1 + k]
        if row[3] != ind["name"]:
            failures.append(f"{name}: row {header + 2 + k}: name {row[3]!r} != {ind['name']!r}")
        if row[5] != ind["display"]:
            failures.append(f"{name}: {ind['name']}: shown {row[5]!r}, the form says {ind['display']!r}")
    numeric = [i for i in p["indicators"] if i["op"] not in (None, "range")]
    expected = sum((serial(i["value"]) if i["dimension"] == "date" else Decimal(i["value"])
                    for i in numeric), Decimal(0))
    probe = raw[-1]
    got_sum, got_count = probe[9], probe[10]
    if not close(got_sum, expected):
        failures.append(f"{name}: LibreOffice SUMIF of the values = {got_sum}, expected {expected}")
    if int(Decimal(got_count)) != len(numeric):
        failures.append(f"{name}: {got_count} numeric value cells, expected {len(numeric)}")
    print(f"check-xlsx: {name}: {len(p['indicators'])} values shown as on the form; "
          f"SUMIF = {got_sum} over {got_count} numbers")

summary = sheet_csv(raw_dir, "probe", names[0])
total = Decimal(doc["totals"]["funding_total"])
got = summary[-1][11]
if not close(got, total):
    failures.append(f"summary: LibreOffice SUM of the funding column = {got}, expected {total}")
check_row = next(r for r in summary if r and r[0].startswith("公式校验"))
if not close(check_row[4], total):
    failures.append(f"summary: the recalculated check row says {check_row[4]}, expected {total}")
total_row = next(r for r in summary if r and r[0] == "合计")
if not close(total_row[4], total):
    failures.append(f"summary: 合计 row says {total_row[4]}, expected {total}")
print(f"check-xlsx: 汇总: SUM = {got}, check row = {check_row[4]}, 合计 = {total_row[4]}, JSON = {total}")
if failures:
    print("\n".join("check-xlsx: FAIL: " + f for f in failures), file=sys.stderr)
    sys.exit(1)
PY

# ---- 5. the 自评表 -------------------------------------------------------------------------
"$PERFSPEC" build tests/fixtures/self-evaluation --format xlsx -o "$out/evaluation.xlsx" 2>/dev/null \
  || fail "perfspec build tests/fixtures/self-evaluation --format xlsx"
"$PERFSPEC" build tests/fixtures/self-evaluation --format json -o "$out/evaluation.json" 2>/dev/null \
  || fail "perfspec build tests/fixtures/self-evaluation --format json"
office --convert-to pdf --outdir "$out" "$out/evaluation.xlsx"
[ -s "$out/evaluation.pdf" ] || fail "LibreOffice produced no PDF of the 自评表 workbook"
# The probe: per 自评表 sheet, SUM over the 得分 cells of the indicator rows plus the
# execution score (G6), in a cell below the sheet, without a cached value.
python3 - "$out/evaluation.xlsx" "$work/eprobe.xlsx" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
zin = zipfile.ZipFile(src)
sst = re.findall(r"<si><t[^>]*>(.*?)</t></si>", zin.read("xl/sharedStrings.xml").decode("utf-8"), re.S)
idx = {t: str(i) for i, t in enumerate(sst)}
zout = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
for item in zin.infolist():
    data = zin.read(item.filename)
    m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
    if m and m.group(1) != "1":
        xml = data.decode("utf-8")
        at = lambda word: re.search(r'<c r="A(\d+)" s="\d+" t="s"><v>%s</v>' % idx[word], xml)
        head, total = at("绩效指标"), at("总分")
        if head and total:
            last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
            f = f"SUM(H{int(head.group(1)) + 1}:H{int(total.group(1)) - 1})+G6"
            xml = xml.replace("</sheetData>", f'<row r="{last + 2}"><c r="L{last + 2}"><f>{f}</f></c></row></sheetData>', 1)
            data = xml.encode("utf-8")
    zout.writestr(item, data)
zout.close()
PY
mkdir -p "$work/eshown" "$work/eraw"
office --convert-to "$(csv_filter true)" --outdir "$work/eshown" "$out/evaluation.xlsx"
office --convert-to "$(csv_filter false)" --outdir "$work/eraw" "$work/eprobe.xlsx"
python3 - "$out/evaluation.xlsx" "$out/evaluation.json" "$work/eshown" "$work/eraw" <<'PY'
import csv, json, re, sys, zipfile
from decimal import Decimal
from pathlib import Path

xlsx, doc, shown_dir, raw_dir = sys.argv[1:]
doc = json.load(open(doc, encoding="utf-8"))
wb = zipfile.ZipFile(xlsx).read("xl/workbook.xml").decode("utf-8")
names = re.findall(r'<sheet name="([^"]*)"', wb)
failures = []

def sheet_csv(folder, stem, name):
    f = Path(folder) / f"{stem}-{name}.csv"
    if not f.exists():
        sys.exit(f"check-xlsx: FAIL: no CSV for sheet {name!r}")
    return list(csv.reader(open(f, encoding="utf-8-sig", newline="")))

def expect(where, got, want):
    if got != want:
        failures.append(f"{where}: shown {got!r}, expected {want!r}")

evaluated = 0
for name, p in zip(names[1:], doc["projects"]):
    e = p.get("evaluation")
    if not e:
        continue
    evaluated += 1
    shown = sheet_csv(shown_dir, "evaluation", name)
    raw = sheet_csv(raw_dir, "eprobe", name)
    expect(f"{name}: title", shown[0][0], "项目支出绩效自评表")
    x = e["execution"]
    values = shown[5]
    expect(f"{name}: 执行率", values[5], (e["execution_rate"] + "%") if e["execution_rate"] else "")
    expect(f"{name}: 预算执行得分", values[6], x["score"] if x and x["score"] else "未计分")
    head = next(i for i, r in enumerate(shown) if r and r[0] == "绩效指标")
    for k, ind in enumerate(p["indicators"]):
        row = shown[head + 1 + k]
        expect(f"{name}: {ind['name']}: 分值", row[6], ind["weight"])
        expect(f"{name}: {ind['name']}: 得分", row[7], ind["score"] if ind["score"] else "未计分")
    total = next(r for r in shown if r and r[0] == "总分")
    expect(f"{name}: 总分", total[7], e["score"] if e["score"] else "未计分")
    if e["score"] and x and x["score"]:
        if len(raw[-1]) <= 11 or not raw[-1][11]:
            failures.append(f"{name}: the injected SUM over the 得分 column has no result")
            continue
        got = Decimal(raw[-1][11])
        if abs(got - Decimal(e["score"])) > Decimal("0.000001"):
            failures.append(f"{name}: LibreOffice SUM of the 得分 cells = {got}, JSON 总分 = {e['score']}")
        print(f"check-xlsx: 自评表 {name}: scores shown as in the JSON; SUM = {got} = 总分 {e['score']}")
    else:
        print(f"check-xlsx: 自评表 {name}: scores shown as in the JSON; unknown scores shown as 未计分")
if evaluated == 0:
    failures.append("no evaluated project in the fixture")
if failures:
    print("\n".join("check-xlsx: FAIL: " + f for f in failures), file=sys.stderr)
    sys.exit(1)
PY

# ---- 4. pictures -------------------------------------------------------------------------
pdftoppm -r 80 -png "$pdf" "$out/page" || fail "pdftoppm could not render the PDF"
pdftoppm -r 80 -png "$out/evaluation.pdf" "$out/evaluation-page" \
  || fail "pdftoppm could not render the 自评表 PDF"
ls "$out"/page-*.png >/dev/null 2>&1 || fail "no page images"
if [ $# -ge 1 ]; then
  log "pages rendered to $out/page-*.png"
fi
log "ok"
