//! `perfspec lsp` at the protocol level: the real binary over stdio, driven as an editor
//! drives it (initialize, didOpen, didChange, publishDiagnostics, codeAction, completion,
//! hover, formatting, documentSymbol, definition, shutdown, exit).

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications that arrived while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

impl Client {
    fn start(args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_perfspec"))
            .args(args)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start perfspec lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_frame(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages: rx,
            pending: Vec::new(),
            next_id: 1,
        }
    }

    fn send_raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn send(&mut self, v: Value) {
        self.send_raw(&v.to_string());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        self.messages
            .recv_timeout(left)
            .expect("the server answered in time")
    }

    /// The whole response (result or error) to a request.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next(deadline);
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
            self.pending.push(m);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let r = self.call(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        r["result"].clone()
    }

    /// The next publishDiagnostics for `uri` (at `version`, when given).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.map_or(true, |v| m["params"]["version"] == json!(v))
        };
        if let Some(i) = self.pending.iter().position(matches) {
            let m = self.pending.remove(i);
            return m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.next(deadline);
            if matches(&m) {
                return m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.pending.push(m);
        }
    }

    fn initialize(&mut self, root: Option<&Path>, extra: Value) -> Value {
        let mut params = json!({
            "processId": null,
            "capabilities": {},
            "rootUri": root.map(uri),
        });
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        let r = self.request("initialize", params);
        self.notify("initialized", json!({}));
        r
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "perfspec", "version": 1, "text": text}}),
        );
        self.diagnostics(uri, Some(1))
    }

    /// shutdown, exit, and the exit status.
    fn finish(mut self) -> Option<i32> {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(s) = self.child.try_wait().expect("wait") {
                return s.code();
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for &b in path.to_string_lossy().as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn spec(body: &str) -> String {
    format!(
        "年度 2026
主管部门 上海市绿化和市容管理局
实施单位 上海市绿化和市容管理局行政服务中心

项目 热线服务保障经费 {{
  性质 其他经常性项目
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {{
    当年财政拨款 720,000.00
    上年结转资金 0.00
    其他资金 0.00
  }}
  年度总体目标 受理市民热线诉求
  经济成本 前端诉件受理成本控制情况 ≤ 72.00 万元
{body}  质量 甄别分类准确率 ≥ 90 %
  社会效益 有责投诉率 ≤ 1 %
  服务对象满意度 市民满意度 ≥ 85 %
}}
"
    )
}

/// (line, UTF-16 column) of the first occurrence of `needle`.
fn pos_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).expect("needle");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    let col: usize = text[line_start..at].chars().map(char::len_utf16).sum();
    (line as u64, col as u64)
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Apply LSP text edits to a text (edits in any order, non-overlapping).
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let (line, ch) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= ch || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

#[test]
fn an_editor_session_from_initialize_to_exit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("热线.perf");
    let text = spec("  数两 前端诉件受理 ≥ 30000 件\n");
    std::fs::write(&path, &text).expect("write");
    let uri = uri(&path);
    let mut c = Client::start(&[]);
    let init = c.initialize(Some(dir.path()), json!({}));
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    for cap in [
        "hoverProvider",
        "documentFormattingProvider",
        "documentSymbolProvider",
        "definitionProvider",
    ] {
        assert_eq!(caps[cap], true, "{cap}");
    }

    // didOpen → the checker's diagnostics, Chinese by default.
    let diags = c.open(&uri, &text);
    assert_eq!(codes(&diags), ["PS301"], "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "perfspec");
    let (line, col) = pos_of(&text, "数两");
    assert_eq!(d["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(
        d["range"]["end"],
        json!({"line": line, "character": col + 2})
    );
    assert!(
        d["message"].as_str().unwrap().contains("未知的指标类别"),
        "{d}"
    );
    assert!(
        d["message"].as_str().unwrap().contains("提示："),
        "the help is shown: {d}"
    );

    // codeAction → the checker's fix as a workspace edit.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let a = &actions[0];
    assert_eq!(a["kind"], "quickfix");
    assert!(a["title"].as_str().unwrap().contains("数量"), "{a}");
    let edits = a["edit"]["changes"][&uri]
        .as_array()
        .expect("edits")
        .clone();
    let fixed = apply(&text, &edits);
    assert!(fixed.contains("  数量 前端诉件受理 ≥ 30000 件"), "{fixed}");

    // didChange (incremental, the code action's edit) → clean.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": edits[0]["range"], "text": edits[0]["newText"]}
        ]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri, Some(2))), Vec::<String>::new());

    // A full-text change with a warning and a related span.
    let dup = fixed.replace(
        "  质量 甄别分类准确率 ≥ 90 %\n",
        "  质量 甄别分类准确率 ≥ 90 %\n  质量 甄别分类准确率 ≥ 95 %\n",
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": dup}]}),
    );
    let diags = c.diagnostics(&uri, Some(3));
    assert_eq!(codes(&diags), ["PS308"]);
    let related = &diags[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri.as_str());
    assert_eq!(
        related["location"]["range"]["start"]["line"],
        pos_of(&dup, "质量 甄别").0
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": fixed}]}),
    );
    assert!(c.diagnostics(&uri, Some(4)).is_empty());
    let text = fixed;

    // completion: categories at the start of an indicator line, with their place.
    let (line, _) = pos_of(&text, "  数量 前端");
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 2}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    for want in [
        "经济成本",
        "数量",
        "服务对象满意度",
        "性质",
        "年度总体目标",
        "资金",
    ] {
        assert!(labels.contains(&want), "{want} in {labels:?}");
    }
    assert!(
        !labels.contains(&"年度"),
        "年度 is a header key: {labels:?}"
    );
    let cost = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "经济成本")
        .unwrap();
    assert!(
        cost["detail"]
            .as_str()
            .unwrap()
            .starts_with("成本指标 › 经济成本指标"),
        "{cost}"
    );

    // completion: units after a number, only those of the category's dimension.
    let (line, col) = pos_of(&text, "30000 件");
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col + 6}}),
    );
    let units: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        units.contains(&"件") && units.contains(&"人次"),
        "{units:?}"
    );
    assert!(!units.contains(&"万元"), "money is not a count: {units:?}");
    let (line, col) = pos_of(&text, "72.00 万元");
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col + 6}}),
    );
    let units: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        units.contains(&"万元") && !units.contains(&"件"),
        "{units:?}"
    );

    // hover: the category's place in the tree; the funding's totals.
    let (line, col) = pos_of(&text, "数量 前端");
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col + 1}}),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("产出指标 › 数量指标"), "{v}");
    let (line, col) = pos_of(&text, "上年结转资金");
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("年度资金申请总额") && v.contains("720,000.00 元"),
        "{v}"
    );

    // hover: a keyword's meaning and example, from the vocabulary.
    let (line, col) = pos_of(&text, "性质 其他");
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("项目性质") && v.contains("`性质 经常性专项业务费`"),
        "{v}"
    );

    // formatting: exactly what `perfspec fmt` writes.
    let messy = text.replace("  性质 其他经常性项目", "  性质    其他经常性项目");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": messy}]}),
    );
    c.diagnostics(&uri, Some(5));
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let formatted = apply(&messy, edits.as_array().unwrap());
    std::fs::write(&path, &messy).expect("write");
    let fmt = Command::new(env!("CARGO_BIN_EXE_perfspec"))
        .args(["fmt", "--stdout"])
        .arg(&path)
        .output()
        .expect("fmt");
    assert_eq!(formatted, String::from_utf8(fmt.stdout).unwrap());

    // documentSymbol: the project, its funding, goal and indicator groups.
    let syms = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let project = syms
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "热线服务保障经费")
        .expect("project");
    let children: Vec<&str> = project["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for want in [
        "资金",
        "年度总体目标",
        "成本指标",
        "产出指标",
        "效益指标",
        "满意度指标",
    ] {
        assert!(children.contains(&want), "{want} in {children:?}");
    }

    assert_eq!(c.finish(), Some(0));
}

#[test]
fn positions_count_utf16_units_after_an_astral_character() {
    // 𠀋 (CJK Extension B) is two UTF-16 units and four UTF-8 bytes.
    let text = spec("  数量 𠀋𠀋街道前端诉件受理 ≥ 30000 斤\n");
    let uri = "file:///tmp/astral.perf";
    let mut c = Client::start(&[]);
    c.initialize(None, json!({}));
    let diags = c.open(uri, &text);
    let d = diags.iter().find(|d| d["code"] == "PS303").expect("PS303");
    let (line, col) = pos_of(&text, "斤");
    let prefix = "  数量 𠀋𠀋街道前端诉件受理 ≥ 30000 ";
    assert_eq!(col as usize, prefix.chars().count() + 2, "two units per 𠀋");
    assert_eq!(d["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(
        d["range"]["end"],
        json!({"line": line, "character": col + 1})
    );
    // An incremental change placed after the astral characters lands where it is meant.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": d["range"], "text": "件"}
        ]}),
    );
    assert!(c.diagnostics(uri, Some(2)).is_empty());
    // Hover on the unit after them.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col}}),
    );
    assert!(
        h["contents"]["value"].as_str().unwrap().contains("计数"),
        "{h}"
    );
    assert_eq!(h["range"]["start"], json!({"line": line, "character": col}));
    assert_eq!(c.finish(), Some(0));
}

#[test]
fn language_from_the_locale_and_the_setting() {
    let text = spec("  数两 前端诉件受理 ≥ 30000 件\n");
    let uri = "file:///tmp/lang.perf";
    let mut c = Client::start(&[]);
    c.initialize(None, json!({"locale": "en-US"}));
    let d = c.open(uri, &text);
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown indicator category"),
        "{d:?}"
    );
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"perfspec": {"lang": "zh"}}}),
    );
    let d = c.diagnostics(uri, None);
    assert!(
        d[0]["message"].as_str().unwrap().contains("未知的指标类别"),
        "{d:?}"
    );
    assert_eq!(c.finish(), Some(0));

    let mut c = Client::start(&[]);
    c.initialize(
        None,
        json!({"locale": "zh-CN", "initializationOptions": {"lang": "en"}}),
    );
    let d = c.open(uri, &text);
    assert!(
        d[0]["message"].as_str().unwrap().contains("did you mean"),
        "{d:?}"
    );
    assert_eq!(c.finish(), Some(0));
}

#[test]
fn bad_requests_get_errors_and_the_server_keeps_running() {
    let mut c = Client::start(&[]);
    c.initialize(None, json!({}));
    let uri = "file:///tmp/bad.perf";
    c.open(uri, &spec(""));
    let r = c.call("textDocument/hover", json!({"textDocument": 7}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = c.call("perfspec/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///not/open.perf"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Positions past the end of a line or of the file are clamped, not a crash.
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 9999, "character": 9999}}),
    );
    assert!(r.is_array(), "{r}");
    // A frame that is not JSON: a parse error, and the next request is answered.
    c.send_raw("{not json");
    let deadline = Instant::now() + TIMEOUT;
    let m = c.next(deadline);
    assert_eq!(m["error"]["code"], -32700, "{m}");
    // A change to a document that is not open, and an edit range beyond the text.
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": "file:///nope.perf", "version": 2}, "contentChanges": [{"text": "x"}]}));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 500, "character": 3}, "end": {"line": 2, "character": 0}}, "text": "x"}
        ]}),
    );
    c.diagnostics(uri, Some(2));
    let syms = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(syms.is_array());
    assert_eq!(c.finish(), Some(0));
}

#[test]
fn a_project_declared_in_another_file_of_the_workspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.perf"), spec("")).expect("write");
    let b = dir.path().join("b.perf");
    std::fs::write(&b, spec("")).expect("write");
    let uri_b = uri(&b);
    let mut c = Client::start(&[]);
    c.initialize(Some(dir.path()), json!({}));
    // b.perf comes after a.perf: the project is reported there, naming a.perf.
    let d = c.open(&uri_b, &spec(""));
    assert_eq!(codes(&d), ["PS104"], "{d:?}");
    assert!(d[0]["message"].as_str().unwrap().contains("重复声明"));
    assert!(
        d[0]["message"].as_str().unwrap().contains("a.perf:5"),
        "{d:?}"
    );
    // Renamed in the editor: the finding goes.
    let renamed = spec("").replace("项目 热线服务保障经费", "项目 热线服务保障经费二期");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri_b, "version": 2}, "contentChanges": [{"text": renamed}]}),
    );
    assert!(c.diagnostics(&uri_b, Some(2)).is_empty());
    assert_eq!(c.finish(), Some(0));
}

#[test]
fn definition_of_a_declared_unit() {
    let text = spec("  数量 古树名木养护 ≥ 500 株\n").replacen(
        "实施单位 上海市绿化和市容管理局行政服务中心\n",
        "实施单位 上海市绿化和市容管理局行政服务中心\n计量单位 株 计数\n",
        1,
    );
    let uri = "file:///tmp/def.perf";
    let mut c = Client::start(&[]);
    c.initialize(None, json!({}));
    assert!(c.open(uri, &text).is_empty());
    let (line, col) = pos_of(&text, "500 株");
    let loc = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": col + 4}}),
    );
    let (dl, dc) = pos_of(&text, "株 计数");
    assert_eq!(
        loc["range"]["start"],
        json!({"line": dl, "character": dc}),
        "{loc}"
    );
    assert_eq!(c.finish(), Some(0));
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut c = Client::start(&[]);
    c.initialize(None, json!({}));
    c.notify("exit", Value::Null);
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(s) = c.child.try_wait().expect("wait") {
            assert_eq!(s.code(), Some(1));
            break;
        }
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn completions_and_man_page() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_perfspec"))
            .args(args)
            .output()
            .expect("run")
    };
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = String::from_utf8(out.stdout).expect("utf-8");
        assert!(s.contains("perfspec") && s.contains("lsp"), "{shell}");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
    let man = run(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let s = String::from_utf8(man.stdout).expect("utf-8");
    assert!(
        s.contains(".TH perfspec") && s.contains("completions"),
        "{s}"
    );
}

/// The VS Code grammar is a static file: it must know every word the checker knows.
#[test]
fn the_vscode_grammar_knows_every_keyword_category_and_comparator() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let g = std::fs::read_to_string(root.join("editors/vscode/syntaxes/perfspec.tmLanguage.json"))
        .expect("grammar");
    let _: Value = serde_json::from_str(&g).expect("the grammar is JSON");
    for l in perfspec::vocab::Level2::ALL {
        assert!(
            g.contains(l.short()),
            "{} missing from the grammar",
            l.short()
        );
    }
    for w in perfspec::vocab::keys::all_spellings() {
        assert!(g.contains(w), "{w} missing from the grammar");
    }
    for op in [
        "≥", "≤", "=", ">", "<", ">=", "<=", "＞＝", "＜＝", "＝", "＞", "＜", "≧", "≦", "⩾", "⩽",
    ] {
        assert!(g.contains(op), "{op} missing from the grammar");
    }
    let pkg: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("editors/vscode/package.json")).expect("package.json"),
    )
    .expect("json");
    assert_eq!(
        pkg["contributes"]["languages"][0]["extensions"],
        json!([".perf"])
    );
    assert_eq!(
        pkg["contributes"]["grammars"][0]["scopeName"],
        "source.perfspec"
    );
}

#[test]
fn initialize_is_lenient_and_requests_before_it_are_refused() {
    let mut c = Client::start(&[]);
    let r = c.call("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002, "not initialized: {r}");
    let r = c.call("initialize", json!([1, 2]));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // Capability values lsp-types does not know (a newer client) do not stop the server.
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {
            "textDocument": {"hover": {"contentFormat": ["asciidoc"]}},
            "general": {"positionEncodings": ["utf-32"]}
        }}),
    );
    assert_eq!(init["serverInfo"]["name"], "perfspec");
    c.notify("initialized", json!({}));
    assert!(c.open("file:///tmp/lenient.perf", &spec("")).is_empty());
    assert_eq!(c.finish(), Some(0));
}

#[test]
fn completion_of_header_keys_and_template_names_from_the_vocabulary() {
    let text = "年度 2026\n模板 \n\n";
    let uri = "file:///tmp/template.perf";
    let mut c = Client::start(&[]);
    c.initialize(None, json!({}));
    c.open(uri, text);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}),
    );
    let names = labels(&items);
    for t in perfspec::vocab::templates::TEMPLATES {
        assert!(
            names.contains(&t.name.to_string()),
            "{} in {names:?}",
            t.name
        );
    }
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 0}}),
    );
    let names = labels(&items);
    for k in ["年度", "主管部门", "实施单位", "计量单位", "项目", "模板"] {
        assert!(names.contains(&k.to_string()), "{k} in {names:?}");
    }
    assert!(
        !names.contains(&"性质".to_string()),
        "性质 belongs in a project: {names:?}"
    );
    // `主管部门 ` takes the placeholder for what the source form does not give.
    let uri2 = "file:///tmp/to-fill.perf";
    c.open(uri2, "年度 2026\n主管部门 \n");
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri2}, "position": {"line": 1, "character": 5}}),
    );
    let names = labels(&items);
    assert!(names.contains(&"待填".to_string()), "{names:?}");
    assert_eq!(c.finish(), Some(0));
}

/// Under an indicator: the year-end keys, and after `实际完成值 38` the units of that
/// indicator's category; inside `预算执行 { … }` its entries.
#[test]
fn completion_of_year_end_lines() {
    let text = "模板 自评表\n年度 2025\n主管部门 甲\n实施单位 乙\n项目 丙 {\n  预算执行 {\n    \n  }\n  数量 受理件数 ≥ 100 件\n    \n    实际完成值 38\n}\n";
    let uri = "file:///tmp/year-end.perf";
    let mut c = Client::start(&[]);
    c.initialize(None, json!({}));
    c.open(uri, text);
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let names = labels(&c.request("textDocument/completion", at(6, 4)));
    for k in ["年初预算数", "全年预算数", "全年执行数", "分值", "得分"] {
        assert!(names.contains(&k.to_string()), "{k} in {names:?}");
    }
    let names = labels(&c.request("textDocument/completion", at(9, 4)));
    for k in ["实际完成值", "分值", "得分", "偏差原因", "数量"] {
        assert!(names.contains(&k.to_string()), "{k} in {names:?}");
    }
    let names = labels(&c.request("textDocument/completion", at(10, 17)));
    assert!(names.contains(&"件".to_string()), "{names:?}");
    assert!(
        !names.contains(&"万元".to_string()),
        "a count takes no money: {names:?}"
    );
    assert_eq!(c.finish(), Some(0));
}
