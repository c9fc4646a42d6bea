#!/usr/bin/env bash
# Open the HTML build of specs/ in headless Chromium the way a reviewer would, and check:
#   1. the Nu Html Checker (vnu) finds no errors, when it is available (see below);
#   2. the page loads with no console message at all (it has no script, so any message is
#      an error: a blocked resource, a CSP violation, a failed load);
#   3. printed to PDF on A4 it has one page for the summary and one per project, and page
#      k+1 is the 申报表 of project k;
#   4. page 1 is screenshotted, and the first form rendered from the PDF, for a person to
#      look at;
#   5. the self-evaluation fixture (tests/fixtures/self-evaluation/: two evaluated projects and
#      a declaration) passes vnu and prints the same way: one A4 page per form, the
#      项目支出绩效自评表 for an evaluated project, the 申报表 for the other;
#   6. the injection fixture (tests/fixtures/html-injection.perf: names, goals and values
#      holding <script>, <img onerror>, <svg onload>…) runs nothing: the live DOM keeps the
#      built title, holds no <script>/<img>/<svg>/<iframe> element, and the console is silent.
#
# Usage: scripts/check-html.sh [OUTDIR]
#   OUTDIR keeps specs.html, specs.pdf, page1.png, form1.png, evaluation.{html,pdf},
#   evaluation1.png, the injection page and the DOMs
#   (default: a temporary folder, removed).
# Installs chromium, poppler-utils and fonts-noto-cjk with apt-get when missing. vnu runs
# when found: $VNU_JAR, a `vnu` command, or vnu.jar under node_modules/ or
# ~/.cache/perfspec-vnu/; otherwise, with npm and java present, it is installed there once
# (npm install vnu-jar), and skipped with a notice if that fails. VNU_JAR=none skips it.
# Set PERFSPEC to test a given binary.
# Exit status: 0 ok, 1 a check failed, 2 could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
# Character-wise substrings of Chinese names below.
export LC_ALL=C.UTF-8

fail() { echo "check-html: FAIL: $*" >&2; exit 1; }
die() { echo "check-html: $*" >&2; exit 2; }
log() { echo "check-html: $*"; }

# ---- tools -------------------------------------------------------------------------------
need_pkgs=()
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v pdfinfo >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
  || need_pkgs+=(poppler-utils)
command -v fc-list >/dev/null 2>&1 || need_pkgs+=(fontconfig)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  need_pkgs+=(fonts-noto-cjk)
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
command -v chromium >/dev/null 2>&1 || die "chromium not found after installing it"

find_vnu() {
  if [ "${VNU_JAR:-}" = none ]; then return; fi
  if [ -n "${VNU_JAR:-}" ] && [ -f "$VNU_JAR" ]; then echo "java -jar $VNU_JAR"; return; fi
  if command -v vnu >/dev/null 2>&1; then echo "vnu"; return; fi
  command -v java >/dev/null 2>&1 || return 0
  local jar
  for jar in node_modules/vnu-jar/build/dist/vnu.jar \
    "$HOME/.cache/perfspec-vnu/node_modules/vnu-jar/build/dist/vnu.jar"; do
    if [ -f "$jar" ]; then echo "java -jar $jar"; return; fi
  done
}
vnu="$(find_vnu)"
if [ -z "$vnu" ] && [ "${VNU_JAR:-}" != none ] && command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
  log "installing vnu-jar into ~/.cache/perfspec-vnu"
  mkdir -p "$HOME/.cache/perfspec-vnu"
  (cd "$HOME/.cache/perfspec-vnu" \
    && npm install --no-audit --no-fund --silent vnu-jar >/dev/null 2>&1) || true
  vnu="$(find_vnu)"
fi

# ---- build -------------------------------------------------------------------------------
if [ -z "${PERFSPEC:-}" ]; then
  cargo build --quiet --bin perfspec || die "cargo build failed"
  PERFSPEC="$PWD/${CARGO_TARGET_DIR:-target}/debug/perfspec"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then
  mkdir -p "$1"
  out="$(cd "$1" && pwd)"
else
  out="$work/out"
  mkdir -p "$out"
fi

"$PERFSPEC" --color never build specs --format html -o "$out/specs.html" 2>"$work/build.log" \
  || { cat "$work/build.log" >&2; die "perfspec build specs --format html failed"; }
"$PERFSPEC" --color never build tests/fixtures/self-evaluation --format html \
  -o "$out/evaluation.html" 2>"$work/build-evaluation.log" \
  || { cat "$work/build-evaluation.log" >&2; die "building the self-evaluation fixture failed"; }
"$PERFSPEC" --color never build tests/fixtures/html-injection.perf --format html \
  -o "$out/injection.html" 2>"$work/build-injection.log" \
  || { cat "$work/build-injection.log" >&2; die "building the injection fixture failed"; }

# ---- 1. vnu ------------------------------------------------------------------------------
if [ -n "$vnu" ]; then
  $vnu --errors-only "$out/specs.html" "$out/evaluation.html" "$out/injection.html" \
    || fail "the Nu Html Checker reports errors"
  log "vnu: no errors"
else
  log "vnu not found (needs java and npm install vnu-jar, or VNU_JAR): skipped"
fi

# ---- 2-4. Chromium -----------------------------------------------------------------------
# Every run gets a fresh profile and no network chatter; --enable-logging=stderr makes the
# page's console messages appear as `…:CONSOLE…` lines on stderr.
chrome() {
  local log="$1"
  shift
  local profile
  profile="$(mktemp -d "$work/profile.XXXXXX")"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@" 2>"$log" \
    || { cat "$log" >&2; fail "chromium failed: $*"; }
  if grep -q ':CONSOLE' "$log"; then
    grep ':CONSOLE' "$log" >&2
    fail "console messages while loading ${*: -1}"
  fi
}

url() { echo "file://$1"; }
# The entities minijinja and Chromium's serializer write, back to text.
unescape() {
  sed -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#x27;/'"'"'/g' -e 's/&#x2f;/\//g; s/&amp;/\&/g'
}

chrome "$work/pdf.log" --no-pdf-header-footer --print-to-pdf="$out/specs.pdf" \
  "$(url "$out/specs.html")"
[ -s "$out/specs.pdf" ] || fail "no PDF written"
chrome "$work/shot.log" --hide-scrollbars --window-size=840,1188 \
  --force-device-scale-factor=1.5 --screenshot="$out/page1.png" "$(url "$out/specs.html")"
[ -s "$out/page1.png" ] || fail "no screenshot written"
chrome "$work/dom.log" --dump-dom "$(url "$out/specs.html")" >"$out/specs.dom.html"

# Page k+1 must be project k's form: its title (申报表, or 自评表 for an evaluated project) and
# the start of its name (a long name may wrap inside its cell, so only the first 8
# characters are compared). $1: the page, $2: its PDF; prints the number of forms.
check_pages() {
  local html="$1" pdf="$2" projects pages k name text prefix title
  projects="$(grep -c '<section class="sheet form[ "]' "$html" || true)"
  [ "$projects" -gt 0 ] || fail "no project form in $html"
  pages="$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')"
  pdfinfo "$pdf" | grep -q '^Page size:.*(A4)' || fail "$pdf is not A4"
  [ "$pages" -eq $((projects + 1)) ] \
    || fail "$pdf has $pages pages; expected 1 summary page + $projects forms"
  page_text() { pdftotext -f "$1" -l "$1" -enc UTF-8 "$pdf" - | tr -d ' \n\r\t\f'; }
  page_text 1 | grep -q '年度项目绩效目标汇总表' || fail "page 1 of $pdf is not the summary"
  k=0
  while IFS='|' read -r kind name; do
    k=$((k + 1))
    text="$(page_text $((k + 1)))"
    if [ "$kind" = evaluation ]; then title=项目支出绩效自评表; else title=财政项目支出绩效目标申报表; fi
    case "$text" in *"$title"*) ;; *) fail "page $((k + 1)) of $pdf has no $title title" ;; esac
    prefix="${name:0:8}"
    case "$text" in *"$prefix"*) ;; *) fail "page $((k + 1)) of $pdf is not the form of “$name”" ;; esac
  done < <(sed -n 's/.*<section class="sheet form\( evaluation\)\{0,1\}" id="form-[0-9]*" aria-label="\([^"]*\)">.*/\1|\2/p' "$html" \
    | sed 's/^ evaluation|/evaluation|/; s/^|/form|/' | unescape)
  [ "$k" -eq "$projects" ] || fail "read $k project names in $html, expected $projects"
  echo "$projects"
}
projects="$(check_pages "$out/specs.html" "$out/specs.pdf")"
pages=$((projects + 1))
grep -qi '<script' "$out/specs.dom.html" && fail "a <script> element in the specs page"
log "specs: $projects forms + summary on $pages A4 pages, no console messages"
# The first form as printed, for a person to compare with the seed.
pdftoppm -f 2 -l 2 -r 100 -png -singlefile "$out/specs.pdf" "$out/form1" \
  || fail "pdftoppm could not render page 2"

# ---- 5. self-evaluation ------------------------------------------------------------------
chrome "$work/eval-pdf.log" --no-pdf-header-footer --print-to-pdf="$out/evaluation.pdf" \
  "$(url "$out/evaluation.html")"
[ -s "$out/evaluation.pdf" ] || fail "no PDF of the self-evaluation page"
eforms="$(check_pages "$out/evaluation.html" "$out/evaluation.pdf")"
grep -c '<section class="sheet form evaluation"' "$out/evaluation.html" | grep -qx 2 \
  || fail "the self-evaluation fixture should give two 自评表"
pdftoppm -f 2 -l 2 -r 100 -png -singlefile "$out/evaluation.pdf" "$out/evaluation1" \
  || fail "pdftoppm could not render the first 自评表"
log "self-evaluation: $eforms forms + summary on $((eforms + 1)) A4 pages"

# ---- 6. injection ------------------------------------------------------------------------
chrome "$work/inj.log" --dump-dom "$(url "$out/injection.html")" >"$out/injection.dom.html"
chrome "$work/inj-pdf.log" --no-pdf-header-footer --print-to-pdf="$work/injection.pdf" \
  "$(url "$out/injection.html")"
built_title="$(grep -o '<title>.*</title>' "$out/injection.html" | unescape)"
live_title="$(grep -o '<title>.*</title>' "$out/injection.dom.html" | unescape || true)"
[ "$built_title" = "$live_title" ] \
  || fail "injected script changed the title: $live_title"
if grep -Eio '<(script|img|svg|iframe|object|embed|audio|video)[ >/]' "$out/injection.dom.html"; then
  fail "spec text became an element in the injection page"
fi
grep -q '&lt;script&gt;document.title' "$out/injection.dom.html" \
  || fail "the injected text is not shown as text"
log "injection: nothing ran, markup shown as text"

log "ok (screenshot: $out/page1.png, first form: $out/form1.png, first 自评表: $out/evaluation1.png, PDF: $out/specs.pdf)"
