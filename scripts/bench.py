#!/usr/bin/env python3
"""Whole-process benchmarks of perfspec against the alternatives, on the same content.

    python3 scripts/bench.py            # 1x, 10x, 100x of 200 projects, 5 runs each
    python3 scripts/bench.py --smoke    # tiny corpora, one run: a CI smoke test, not a timing
    python3 scripts/bench.py --memory   # peak RSS per format at 1x, 10x, 100x, 2000x of specs/
    python3 scripts/bench.py --broken   # broken input: hostile shapes at 1x and 4x, and a good file

Builds the release binaries, generates deterministic corpora (examples/gen.rs), then runs,
each several times, and reports wall time (best and median), MB/s, projects/s and the peak
resident memory of every child process (os.wait4 gives its ru_maxrss):

  - `perfspec check DIR` and `perfspec build DIR --format F -o FILE` for every format the
    binary offers (json, csv, html, xlsx);
  - serde_json: `json_baseline parse FILE`, a Rust process that reads the equivalent JSON
    and parses it into a serde_json::Value (examples/json_baseline.rs);
  - YAML + JSON Schema: the equivalent content as YAML files, one per .perf file, validated
    by `check-jsonschema` against a schema derived from docs/perfspec.schema.json;
  - `perfspec check` with RAYON_NUM_THREADS=1 and 2 on the biggest corpus.

`--memory` measures how memory grows with the input, as the tables above show how time
grows: corpora of renamed copies of `specs/` (each copy's projects get a `-N` suffix) at
1x, 10x, 100x and 2000x (8,000 projects, 25 MB), and for each the peak RSS of `check` and
of `build --format F` for every format, with its ratio to the input and its growth from
the previous size.

"Equivalent" keeps the information a spec holds and drops what the compiler derives (see
benches/support/equivalent.rs). Prints a Markdown table and the targets of issue 8 as
ratios measured in this run. Exit status 1 only when a command fails or gives a wrong
answer, never because of a timing: timings depend on the machine.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Fields of `perfspec build --format json` that the compiler derives; the equivalent JSON
# (benches/support/equivalent.rs) drops them, and so does the derived schema.
DROP = {
    "document": {"totals"},
    "project": {"totals", "source"},
    "indicator": {"level1", "unit_canonical", "dimension", "quantitative", "value_yuan", "display", "source"},
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# Linux keeps a process's peak RSS across exec, so a child forked straight from this
# interpreter reports at least the interpreter's own size (~20 MB) as its ru_maxrss. Each
# command is therefore started by `setsid --fork`, a 1-MB process that forks it and exits
# without waiting; as a "child subreaper" this process inherits the command, and os.wait4
# returns the command's own peak RSS. Without prctl or setsid, commands start directly.
def _subreaper():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


SETSID = shutil.which("setsid")
SUBREAPER = SETSID is not None and _subreaper()


def run_cmd(argv, env=None, stdout_path=os.devnull, stderr_path=os.devnull):
    """Run one process; return (seconds, peak RSS in bytes, exit code)."""
    argv = [str(a) for a in argv]
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        if SUBREAPER:
            subprocess.run([SETSID, "--fork", *argv], stdin=subprocess.DEVNULL, stdout=out,
                           stderr=err, env=env, check=True)
            pid = -1  # the command, now our only child
        else:
            pid = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env).pid
        _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    # Linux reports ru_maxrss in KiB.
    return elapsed, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def build(profile):
    args = ["cargo", "build", "--quiet", "--bin", "perfspec", "--example", "gen", "--example", "json_baseline"]
    if profile == "release":
        args.append("--release")
    log(f"building ({profile}) …")
    subprocess.run(args, cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / profile
    return target / "perfspec", target / "examples" / "gen", target / "examples" / "json_baseline"


def derive_schema():
    """docs/perfspec.schema.json less the derived fields. Null-valued keys are left out of
    the equivalent documents, so a key that may be null is no longer required, and a key
    that a target shape requires to be null must be absent."""
    schema = json.loads((ROOT / "docs" / "perfspec.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def drop(obj, names):
        for n in names:
            obj.get("properties", {}).pop(n, None)
        if "required" in obj:
            obj["required"] = [r for r in obj["required"] if r not in names]

    def nullable(s):
        if not isinstance(s, dict):
            return False
        t = s.get("type")
        if t == "null" or (isinstance(t, list) and "null" in t):
            return True
        if None in s.get("enum", []):
            return True
        if s.get("$ref") == "#/$defs/money_or_null":
            return True
        return any(nullable(x) for x in s.get("anyOf", []))

    def relax(obj):
        if isinstance(obj, dict):
            props = obj.get("properties")
            if isinstance(props, dict):
                if "required" in obj:
                    obj["required"] = [r for r in obj["required"] if not nullable(props.get(r))]
                for k, v in list(props.items()):
                    if v == {"type": "null"}:
                        props[k] = False
            for v in obj.values():
                relax(v)
        elif isinstance(obj, list):
            for v in obj:
                relax(v)

    drop(schema, DROP["document"])
    drop(defs["project"], DROP["project"])
    ind = defs["indicator"]
    drop(ind, DROP["indicator"])
    ind.pop("allOf", None)  # level1 ↔ level2 consistency: level1 is derived
    for shape, required in [
        ("quantity_target", ["op", "value", "unit"]),
        ("range_target", ["op", "low", "high", "unit"]),
        ("date_target", ["op", "value"]),
        ("qualitative_target", ["value"]),
    ]:
        s = defs[shape]
        drop(s, DROP["indicator"])
        s.pop("if", None)
        s.pop("else", None)
        s["required"] = required
    for k in ["source", "measured_dimension"]:
        defs.pop(k, None)
    relax(schema)
    schema["$id"] = "urn:perfspec:bench:equivalent"
    schema["title"] = "The information of .perf specs, without derived fields (scripts/bench.py)"
    return schema


def yaml_dump(doc):
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(doc, Dumper=dumper, allow_unicode=True, sort_keys=False)


class Corpus:
    def __init__(self, scale, projects, path, files, perf_bytes):
        self.scale, self.projects, self.path = scale, projects, path
        self.files, self.perf_bytes = files, perf_bytes
        self.json = self.yaml_dir = None
        self.json_bytes = self.yaml_bytes = 0


def make_corpus(bins, work, scale, baseline, per_file, want_yaml):
    perfspec, gen, json_baseline = bins
    projects = baseline * scale
    path = work / f"x{scale}"
    if path.exists():
        shutil.rmtree(path)
    subprocess.run([str(gen), str(path / "perf"), str(projects), str(per_file)], check=True, stderr=subprocess.DEVNULL)
    perf = sorted((path / "perf").rglob("*.perf"))
    c = Corpus(scale, projects, path / "perf", len(perf), sum(p.stat().st_size for p in perf))
    build_json = path / "build.json"
    subprocess.run([str(perfspec), "build", str(c.path), "--format", "json", "-o", str(build_json)], check=True)
    c.json = path / "equivalent.json"
    subprocess.run([str(json_baseline), "equivalent", str(build_json), str(c.json)], check=True)
    c.json_bytes = c.json.stat().st_size
    if want_yaml:
        # One YAML file per .perf file, holding that file's projects: the layout a team
        # keeping declarations in YAML would have.
        full = json.loads(build_json.read_text(encoding="utf-8"))
        equiv = json.loads(c.json.read_text(encoding="utf-8"))
        groups = {}
        for p, e in zip(full["projects"], equiv["projects"]):
            groups.setdefault(p["source"]["file"], []).append(e)
        c.yaml_dir = path / "yaml"
        c.yaml_dir.mkdir()
        for i, (_, projs) in enumerate(sorted(groups.items())):
            text = yaml_dump({"schema_version": equiv["schema_version"], "projects": projs})
            (c.yaml_dir / f"f{i:05}.yaml").write_text(text, encoding="utf-8")
            c.yaml_bytes += len(text.encode("utf-8"))
    build_json.unlink()
    return c


class Result:
    def __init__(self, corpus, what, input_bytes, times, rss):
        self.corpus, self.what, self.input_bytes = corpus, what, input_bytes
        self.times, self.rss = times, rss

    @property
    def best(self):
        return min(self.times)

    @property
    def median(self):
        return statistics.median(self.times)


def measure(argv, runs, expect=0, env=None, check_stdout=None, work=None):
    times, rss = [], 0
    for _ in range(runs):
        if check_stdout is None:
            t, m, code = run_cmd(argv, env=env)
        else:
            out = Path(work) / "stdout.txt"
            t, m, code = run_cmd(argv, env=env, stdout_path=out)
            data = out.read_bytes()
            if not check_stdout(data):
                raise SystemExit(f"wrong answer from {' '.join(map(str, argv))}: {data[:200]!r}")
        if code != expect:
            raise SystemExit(f"{' '.join(map(str, argv))} exited {code}, expected {expect}")
        times.append(t)
        rss = max(rss, m)
    return times, rss


def formats_of(perfspec):
    help_text = subprocess.run([str(perfspec), "build", "--help"], capture_output=True, text=True).stdout
    return [f for f in ["json", "csv", "html", "xlsx"] if f in help_text]


def make_copies(work, copies):
    """`copies` renamed copies of specs/: copy k's projects are named `NAME-k`, each copy in
    a folder of its own, a hundred copies to a parent folder. Returns (path, files, bytes,
    projects)."""
    import re

    path = work / f"specs-x{copies}"
    if path.exists():
        shutil.rmtree(path)
    sources = sorted((ROOT / "specs").rglob("*.perf"))
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sources]
    files = size = projects = 0
    for k in range(copies):
        d = path / f"g{k // 100:03}" / f"c{k:05}"
        d.mkdir(parents=True)
        for name, text in texts:
            renamed, n = re.subn(r"(?m)^(项目 )(.+?)( \{)$", lambda m: f"{m[1]}{m[2]}-{k}{m[3]}", text)
            data = renamed.encode("utf-8")
            (d / name).write_bytes(data)
            files += 1
            size += len(data)
            projects += n
    return path, files, size, projects


def memory_main(args, perfspec):
    """Peak RSS per format against input size (copies of specs/)."""
    work = Path(args.work)
    scales = [int(s) for s in args.memory_scales.split(",")]
    formats = formats_of(perfspec)
    rows = []
    for scale in scales:
        log(f"memory: {scale}x specs/ …")
        path, files, size, projects = make_copies(work, scale)
        commands = [("check", [perfspec, "check", path])]
        for f in formats:
            commands.append((f"build --format {f}", [perfspec, "build", path, "--format", f, "-o", work / f"mem.{f}"]))
        for what, argv in commands:
            _, rss = measure(argv, args.runs)
            rows.append((scale, projects, files, size, what, rss))
        for f in formats:
            (work / f"mem.{f}").unlink(missing_ok=True)
        shutil.rmtree(path)
    load = os.getloadavg()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} logical CPUs, {platform.platform()}; "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"Command: python3 scripts/bench.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"Peak RSS of the whole process (ru_maxrss), the highest of {args.runs} run(s); input: the .perf bytes.")
    print()
    print("| input | projects | files | input MB | command | peak RSS MB | RSS ÷ input | RSS growth |")
    print("|---|---:|---:|---:|---|---:|---:|---:|")
    prev = {}
    for scale, projects, files, size, what, rss in rows:
        grow = f"{rss / prev[what][1]:.2f}× for {size / prev[what][0]:.0f}× input" if what in prev else "–"
        print(f"| {scale}× specs/ | {projects} | {files} | {size / 1e6:.2f} | {what} | {rss / 1e6:.1f} | {rss / size:.1f} | {grow} |")
        prev[what] = (size, rss)
    print()
    print("| target | measured | met |")
    print("|---|---|---|")
    big = max(scales)
    for scale, projects, files, size, what, rss in rows:
        if scale != big:
            continue
        limit = 6 if what == "build --format xlsx" else 4
        ratio = rss / size
        print(f"| {projects} projects: {what} peak memory ≤ {limit}× input | {ratio:.1f}× ({rss / 1e6:.0f} MB for {size / 1e6:.1f} MB) | {'yes' if ratio <= limit else 'no'} |")


# ---------------------------------------------------------------------------------------
# Broken input (issue 21): a broken file must cost no more than a good one.

BROKEN_HEADER = "年度 2026\n主管部门 上海市绿化和市容管理局\n实施单位 行政服务中心\n"
GOOD_BODY = """  性质 其他经常性项目
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {
    当年财政拨款 720,000.00
    上年结转资金 0.00
    其他资金 0.00
  }
  年度总体目标 \"\"\"
    受理市民热线诉求，甄别分类后对口移送处置。
  \"\"\"
  经济成本 前端诉件受理成本控制情况 ≤ 72.00 万元
  数量 前端诉件受理 ≥ 30000 件
  质量 甄别分类准确率 ≥ 90 %
  社会效益 有责投诉率 ≤ 0.01 %
  服务对象满意度 市民满意度 ≥ 85 %
"""


def _project(name, body):
    return f"项目 {name} {{\n{body}}}\n"


def _lines(text, k):
    return text * k


# name -> (what it is, function of the scale k giving the text). At k = 1 each is a file of
# about 100 KB (the long lines: 0.7 MB), at k = 4 four times that.
BROKEN_SHAPES = {
    "good": ("a good file: valid projects", lambda k: BROKEN_HEADER + "".join(
        _project(f"热线服务保障经费{i}", GOOD_BODY) for i in range(140 * k))),
    "unclosed": ("`项目 a {` lines, never closed (the issue's case; 4× = 40,000 lines)",
                 lambda k: _lines("项目 a {\n", 10_000 * k)),
    "unclosed-bodies": ("`项目 a {` + one indicator, never closed: every project a duplicate",
                        lambda k: _lines("项目 a {\n  数量 指标 ≥ 1 件\n", 2_500 * k)),
    "syntax-errors": ("`???` lines: one PS001 each (4× = 100,000 lines)",
                      lambda k: _lines("???\n", 25_000 * k)),
    "unclosed-text": ("projects whose `\"\"\"` text block is never closed",
                      lambda k: BROKEN_HEADER + "".join(
                          f"项目 p{i} {{\n  年度总体目标 \"\"\"\n    目标\n}}\n" for i in range(2_500 * k))),
    "long-lines": ("lines of 180 KB that are not statements, in one project",
                   lambda k: BROKEN_HEADER + "项目 p {\n" + _lines("  数量 " + "长" * 60_000 + "\n", 4 * k) + "}\n"),
    "braces-line": ("one line of `{{{{…` (4× = 240 KB, near the line limit)",
                    lambda k: "{" * (60_000 * k) + "\n"),
    "braces-lines": ("`{` lines", lambda k: _lines("{\n", 25_000 * k)),
    "duplicates": ("one project of indicators all named alike (PS308; 4× = 50,000)",
                   lambda k: BROKEN_HEADER + _project("p", GOOD_BODY + _lines("  数量 指标 ≥ 1 件\n", 12_500 * k))),
    "giant-goal": ("a goal text of 25,000 lines, given twice (PS102 names the whole block)",
                   lambda k: BROKEN_HEADER + _project("p", GOOD_BODY + "  年度总体目标 \"\"\"\n"
                                                      + _lines("    目标文字目标文字\n", 25_000 * k) + "  \"\"\"\n")),
    "allow-comments": ("allow comments and warnings, one each a line",
                       lambda k: BROKEN_HEADER + _project("p", GOOD_BODY + "".join(
                           f"  # perfspec: allow PS305\n  数量 指标{i} 1 件\n" for i in range(2_500 * k)))),
    "mixed-line-ends": ("`???` lines ending in CRLF, CR and LF in turn",
                        lambda k: "".join("???" + ("\r\n", "\r", "\n")[i % 3] for i in range(25_000 * k))),
    # A file without LF is one line to the limits (256 KiB), so this one stays below it.
    "cr-only": ("`???` lines ending in a lone CR (4× = 200 KB)", lambda k: _lines("???\r", 12_500 * k)),
}


def broken_main(args, perfspec):
    """Every shape at 1× and 4×, `check` in both formats: time, peak memory, output size."""
    work = Path(args.work) / "broken"
    work.mkdir(parents=True, exist_ok=True)
    shapes = [s for s in (args.shapes.split(",") if args.shapes else BROKEN_SHAPES)]
    binaries = [("", perfspec)] + [
        (f" ({label})", binary) for label, _, binary in (spec.partition("=") for spec in args.compare)]
    rows = []
    for name in shapes:
        what, make = BROKEN_SHAPES[name]
        for k in (1, 4):
            path = work / f"{name}-{k}x.perf"
            data = make(k).encode("utf-8")
            path.write_bytes(data)
            for label, binary in binaries:
                for fmt in ("human", "json"):
                    times, rss, out_bytes = [], 0, 0
                    for _ in range(args.runs):
                        out, err = work / "stdout.txt", work / "stderr.txt"
                        t, m, code = run_cmd([binary, "check", path, "--format", fmt], stdout_path=out, stderr_path=err)
                        # 1 for errors; warnings alone (the allow-comments shape) exit 0.
                        if code not in ((0,) if name == "good" else (0, 1)):
                            raise SystemExit(f"{binary} check {path} --format {fmt} exited {code}")
                        times.append(t)
                        rss = max(rss, m)
                        out_bytes = out.stat().st_size + err.stat().st_size
                    rows.append((name, k, fmt + label, len(data), statistics.median(times), rss, out_bytes))
                    log(f"  {name} {k}× {fmt}{label}: {statistics.median(times):.3f} s, {rss / 1e6:.1f} MB, "
                        f"{out_bytes / 1e6:.2f} MB out")
            path.unlink()
    load = os.getloadavg()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} logical CPUs, {platform.platform()}; "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"Command: python3 scripts/bench.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"Runs per measurement: {args.runs}; median wall clock of `perfspec check FILE --format F`; "
          "output is stdout and stderr together.")
    print()
    print("| shape | scale | format | input KB | median s | peak RSS MB | RSS ÷ input | output KB | 4× time ÷ 1× | 4× output ÷ 1× |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    by = {(r[0], r[1], r[2]): r for r in rows}
    for name, k, fmt, size, t, rss, out in rows:
        grow = grow_out = ""
        if k == 4 and (name, 1, fmt) in by:
            one = by[(name, 1, fmt)]
            grow = f"{t / one[4]:.2f}×"
            grow_out = f"{out / one[6]:.2f}×" if one[6] else "—"
        print(f"| {name} | {k}× | {fmt} | {size / 1e3:,.0f} | {t:.3f} | {rss / 1e6:.1f} | {rss / size:.0f} "
              f"| {out / 1e3:,.1f} | {grow} | {grow_out} |")
    print()
    for name in shapes:
        print(f"- `{name}`: {BROKEN_SHAPES[name][0]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny corpora, one run, everything exercised")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline", type=int, default=200, help="projects in the 1x corpus")
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--per-file", type=int, default=10, help="projects per .perf file")
    ap.add_argument("--yaml-scales", default="1,10", help="scales at which to run YAML + JSON Schema (slow)")
    ap.add_argument("--yaml-runs", type=int, default=1)
    ap.add_argument("--work", default=str(ROOT / "target" / "bench"))
    ap.add_argument("--profile", default="release", choices=["release", "debug"])
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--compare", metavar="LABEL=BINARY", action="append", default=[],
                    help="also time `BINARY check DIR`, e.g. an older perfspec, on the same corpora")
    ap.add_argument("--memory", action="store_true",
                    help="peak RSS per format against input size, on copies of specs/ (see --memory-scales)")
    ap.add_argument("--memory-scales", default="1,10,100,2000",
                    help="copies of specs/ for --memory (2000 copies: 8,000 projects, 25 MB)")
    ap.add_argument("--broken", action="store_true",
                    help="only the broken-input benchmark (issue 21): hostile shapes at 1x and 4x next to a good file")
    ap.add_argument("--shapes", default="", help="with --broken: a comma-separated subset of the shapes")
    args = ap.parse_args()
    if args.broken:
        if args.no_build:
            perfspec = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / args.profile / "perfspec"
        else:
            perfspec = build(args.profile)[0]
        if args.smoke:
            args.runs = 1
        broken_main(args, perfspec)
        return
    if args.smoke:
        args.runs, args.baseline, args.scales, args.yaml_scales, args.yaml_runs = 1, 10, "1,10", "1", 1

    scales = [int(s) for s in args.scales.split(",")]
    yaml_scales = {int(s) for s in args.yaml_scales.split(",") if s}
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    if args.no_build:
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / args.profile
        bins = (target / "perfspec", target / "examples" / "gen", target / "examples" / "json_baseline")
    else:
        bins = build(args.profile)
    perfspec, _, json_baseline = bins
    if args.memory:
        if args.smoke:
            args.memory_scales = "1,10"
        memory_main(args, perfspec)
        return

    checker = shutil.which("check-jsonschema")
    try:
        import yaml  # noqa: F401
    except ImportError:
        yaml = None
    have_yaml = checker is not None and yaml is not None
    if yaml_scales and not have_yaml:
        log("YAML baseline skipped: needs `pip install check-jsonschema pyyaml`")
        if not args.smoke:
            raise SystemExit(2)
        yaml_scales = set()
    schema_path = work / "equivalent.schema.json"
    schema_path.write_text(json.dumps(derive_schema(), ensure_ascii=False, indent=1), encoding="utf-8")

    formats = formats_of(perfspec)
    split_formats = {"xlsx"} if "--split" in subprocess.run(
        [str(perfspec), "build", "--help"], capture_output=True, text=True).stdout else set()
    results = []
    corpora = []
    for scale in scales:
        log(f"corpus {scale}x: {args.baseline * scale} projects …")
        c = make_corpus(bins, work, scale, args.baseline, args.per_file, scale in yaml_scales)
        corpora.append(c)
        log(f"  {c.files} files, {c.perf_bytes / 1e6:.1f} MB .perf, {c.json_bytes / 1e6:.1f} MB JSON"
            + (f", {c.yaml_bytes / 1e6:.1f} MB YAML" if c.yaml_dir else ""))

        t, m = measure([perfspec, "check", c.path], args.runs)
        results.append(Result(c, "perfspec check", c.perf_bytes, t, m))
        for spec in args.compare:
            label, _, binary = spec.partition("=")
            t, m = measure([binary, "check", c.path], args.runs)
            results.append(Result(c, f"perfspec check ({label})", c.perf_bytes, t, m))
        for f in formats:
            binaries = [("", perfspec)] + [
                (f" ({label})", binary)
                for label, _, binary in (spec.partition("=") for spec in args.compare)
            ]
            for label, binary in binaries:
                out = work / f"out.{f}"
                t, m = measure([binary, "build", c.path, "--format", f, "-o", out], args.runs)
                if not out.exists() or out.stat().st_size == 0:
                    raise SystemExit(f"build --format {f} wrote nothing")
                results.append(Result(c, f"perfspec build --format {f}{label}", c.perf_bytes, t, m))
                out.unlink()
            if f in split_formats:
                # One workbook per unit: what a city builds (a workbook holds all its sheets
                # until saved, so one 20,000-sheet workbook needs memory in proportion).
                out = work / f"split.{f}"
                shutil.rmtree(out, ignore_errors=True)
                t, m = measure([perfspec, "build", c.path, "--format", f, "--split", "unit", "-o", out], args.runs)
                if not any(out.glob(f"*.{f}")):
                    raise SystemExit(f"build --format {f} --split unit wrote nothing")
                results.append(Result(c, f"perfspec build --format {f} --split unit", c.perf_bytes, t, m))
                shutil.rmtree(out)
        want = str(c.projects).encode()
        t, m = measure([json_baseline, "parse", c.json], args.runs, check_stdout=lambda d: d.strip() == want, work=work)
        results.append(Result(c, "serde_json → Value", c.json_bytes, t, m))
        if c.yaml_dir:
            yaml_files = sorted(str(p) for p in c.yaml_dir.glob("*.yaml"))
            t, m = measure([checker, "--schemafile", str(schema_path), *yaml_files], args.yaml_runs)
            results.append(Result(c, "YAML + check-jsonschema", c.yaml_bytes, t, m))

    # Scaling with cores on the biggest corpus (many files).
    big = corpora[-1]
    # One- and two-thread runs alternate, so a busy moment on a shared machine slows both
    # sides instead of deciding the ratio.
    samples = {1: ([], 0), 2: ([], 0)}
    for _ in range(args.runs):
        for threads in (1, 2):
            env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
            t, m = measure([perfspec, "check", big.path], 1, env=env)
            times, rss = samples[threads]
            samples[threads] = (times + t, max(rss, m))
    scaling = {
        threads: Result(big, f"perfspec check, {threads} thread{'s' if threads > 1 else ''}", big.perf_bytes, t, m)
        for threads, (t, m) in samples.items()
    }

    report(args, corpora, results, scaling)


def report(args, corpora, results, scaling):
    load = os.getloadavg()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} logical CPUs, {platform.platform()}; "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"Command: python3 scripts/bench.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"Runs per measurement: {args.runs} (YAML: {args.yaml_runs}); times are wall clock of the whole process.")
    print()
    print("| corpus | projects | files | command | input MB | best s | median s | MB/s | projects/s | peak RSS MB | RSS ÷ input |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = results + list(scaling.values())
    for r in rows:
        c = r.corpus
        mb = r.input_bytes / 1e6
        print(f"| {c.scale}× | {c.projects} | {c.files} | {r.what} | {mb:.2f} | {r.best:.3f} | {r.median:.3f} "
              f"| {mb / r.median:.1f} | {c.projects / r.median:,.0f} | {r.rss / 1e6:.1f} | {r.rss / r.input_bytes:.1f} |")
    print()

    def find(c, what):
        return next((r for r in results if r.corpus is c and r.what == what), None)

    print("| target | measured | met |")
    print("|---|---|---|")
    for c in corpora:
        chk, js = find(c, "perfspec check"), find(c, "serde_json → Value")
        ratio = chk.median / js.median
        print(f"| {c.scale}×: check ≤ 3× serde_json | {ratio:.2f}× ({chk.median:.3f} s vs {js.median:.3f} s) | {'yes' if ratio <= 3 else 'no'} |")
    for c in corpora:
        chk, ym = find(c, "perfspec check"), find(c, "YAML + check-jsonschema")
        if ym:
            ratio = ym.median / chk.median
            print(f"| {c.scale}×: check ≥ 100× faster than YAML + JSON Schema | {ratio:.0f}× ({chk.median:.3f} s vs {ym.median:.3f} s) | {'yes' if ratio >= 100 else 'no'} |")
    for a, b in zip(corpora, corpora[1:]):
        k = b.scale // a.scale
        for r in results:
            if r.corpus is not b or not r.what.startswith("perfspec"):
                continue
            ra = find(a, r.what)
            if ra is None:
                continue
            grow = r.median / ra.median
            what = r.what.removeprefix("perfspec ")
            print(f"| {what}, {a.scale}× → {b.scale}× input: time ≤ {k * 1.1:g}× | {grow:.2f}× | {'yes' if grow <= k * 1.1 else 'no'} |")
    for c in corpora[-1:]:
        for r in results:
            if r.corpus is c and r.what.startswith("perfspec"):
                ratio = r.rss / c.perf_bytes
                print(f"| {c.scale}× {r.what}: peak memory ≤ 4× input | {ratio:.1f}× ({r.rss / 1e6:.0f} MB for {c.perf_bytes / 1e6:.1f} MB) | {'yes' if ratio <= 4 else 'no'} |")
    s1, s2 = scaling[1], scaling[2]
    speedup = s1.median / s2.median
    print(f"| {s1.corpus.scale}× ({s1.corpus.files} files): 2 cores ≥ 1.7× the throughput of 1 | {speedup:.2f}× ({s1.median:.3f} s vs {s2.median:.3f} s) | {'yes' if speedup >= 1.7 else 'no'} |")


if __name__ == "__main__":
    main()
