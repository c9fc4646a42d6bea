//! The server loop: LSP over stdio with `lsp-server`, one message at a time. Every change
//! re-checks that document in-process (the pipeline of `perfspec check`) and publishes its
//! diagnostics; the rule across files runs over the workspace's project identities.
//!
//! A request that cannot be understood gets an error response and the server goes on; a
//! message that is not JSON gets a parse error (`-32700`); a panic inside a handler
//! becomes an internal error for that request, not the end of the server.

use super::document::Document;
use super::workspace::{path_to_uri, uri_to_path, Workspace};
use super::{actions, completion, definition, formatting, hover, symbols};
use crate::diag::Lang;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub struct Server {
    conn: Connection,
    /// From the settings (`perfspec.lang`), else the client's locale, else `--lang`.
    lang: Lang,
    lang_setting: Option<Lang>,
    lang_locale: Option<Lang>,
    lang_default: Lang,
    docs: HashMap<Uri, Document>,
    workspace: Workspace,
    /// `shutdown` was received: only `exit` is expected now.
    shutdown: bool,
}

fn parse_lang(v: &Value) -> Option<Lang> {
    let s = v.as_str()?.to_ascii_lowercase();
    if s.starts_with("zh") {
        Some(Lang::Zh)
    } else if s.starts_with("en") {
        Some(Lang::En)
    } else {
        None
    }
}

/// `perfspec.lang` from initializationOptions or a configuration change: `{"lang": "en"}`
/// or `{"perfspec": {"lang": "en"}}`.
fn lang_setting(v: &Value) -> Option<Lang> {
    v.get("perfspec")
        .and_then(|p| p.get("lang"))
        .or_else(|| v.get("lang"))
        .or_else(|| v.get("perfspec.lang"))
        .and_then(parse_lang)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        definition_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Run the server on stdin/stdout until `exit`. Returns the process exit status: 0 after
/// `shutdown` then `exit`, 1 when the client went away or exited without `shutdown`.
pub fn run(default_lang: Lang) -> u8 {
    let (connection, client) = Connection::memory();
    // Our own stdio transport: lsp-server's stops reading at the first message that is not
    // JSON; this one answers it with a parse error and reads on (the frame was read whole).
    let to_server = client.sender.clone();
    let reader = std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_frame(&mut input) {
                Ok(None) => break,
                Ok(Some(body)) => match serde_json::from_str::<Message>(&body) {
                    Ok(msg) => {
                        let exit = matches!(&msg, Message::Notification(n) if n.method == "exit");
                        if to_server.send(msg).is_err() || exit {
                            break;
                        }
                    }
                    Err(e) => {
                        let resp = serde_json::json!({
                            "jsonrpc": "2.0", "id": null,
                            "error": {"code": -32700, "message": format!("parse error: {e}")}
                        });
                        let _ = write_frame(&mut std::io::stdout().lock(), &resp.to_string());
                    }
                },
                // A broken frame header: the stream cannot be resynchronised.
                Err(_) => break,
            }
        }
    });
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        for msg in client.receiver {
            let Ok(text) = serde_json::to_string(&JsonRpc(&msg)) else {
                continue;
            };
            if write_frame(&mut stdout.lock(), &text).is_err() {
                break;
            }
        }
    });
    let code = serve(connection, default_lang);
    drop(reader); // blocked on stdin; the process exits anyway
    let _ = writer.join();
    code
}

struct JsonRpc<'a>(&'a Message);

impl serde::Serialize for JsonRpc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut v = serde_json::to_value(self.0).map_err(serde::ser::Error::custom)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("jsonrpc".into(), Value::from("2.0"));
        }
        v.serialize(s)
    }
}

fn read_frame(input: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut size = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if size.is_none() {
                continue; // stray blank line between frames
            }
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                size = v.trim().parse::<usize>().ok();
            }
        }
    }
    let size = size.ok_or_else(|| std::io::Error::other("no Content-Length"))?;
    // A frame is at most a document and its wrapping; the checker refuses bigger files.
    if size > 256 * 1024 * 1024 {
        return Err(std::io::Error::other("frame too large"));
    }
    let mut buf = vec![0u8; size];
    input.read_exact(&mut buf)?;
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

fn write_frame(out: &mut impl Write, body: &str) -> std::io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

fn serve(connection: Connection, default_lang: Lang) -> u8 {
    // initialize: answered by hand so that a bad first request gets an error, not a hang.
    let params: Value = loop {
        let Ok(msg) = connection.receiver.recv() else {
            return 1;
        };
        match msg {
            Message::Request(r) if r.method == req::Initialize::METHOD => {
                // Only the few fields used are read, leniently: a client newer than
                // lsp-types (a capability value it does not know) must still get a server.
                match Some(r.params.clone()).filter(Value::is_object) {
                    Some(p) => {
                        let result = serde_json::json!({
                            "capabilities": capabilities(),
                            "serverInfo": ServerInfo {
                                name: "perfspec".into(),
                                version: Some(env!("CARGO_PKG_VERSION").into()),
                            },
                        });
                        let _ = connection
                            .sender
                            .send(Response::new_ok(r.id, result).into());
                        break p;
                    }
                    None => {
                        let _ = connection.sender.send(
                            Response::new_err(
                                r.id,
                                ErrorCode::InvalidParams as i32,
                                "initialize takes an object of parameters".into(),
                            )
                            .into(),
                        );
                    }
                }
            }
            Message::Request(r) => {
                let _ = connection.sender.send(
                    Response::new_err(
                        r.id,
                        ErrorCode::ServerNotInitialized as i32,
                        "the server is not initialized".into(),
                    )
                    .into(),
                );
            }
            Message::Notification(n) if n.method == notif::Exit::METHOD => return 1,
            _ => {}
        }
    };
    // The first workspace folder, else rootUri (still what many clients send alone).
    let root = params
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| params.get("rootUri"))
        .and_then(|u| serde_json::from_value::<Uri>(u.clone()).ok())
        .and_then(|u| uri_to_path(&u));
    let mut server = Server {
        lang: default_lang,
        lang_setting: params.get("initializationOptions").and_then(lang_setting),
        lang_locale: params.get("locale").and_then(parse_lang),
        lang_default: default_lang,
        conn: connection,
        docs: HashMap::new(),
        workspace: Workspace::new(root),
        shutdown: false,
    };
    server.update_lang();
    server.workspace.scan();
    loop {
        let Ok(msg) = server.conn.receiver.recv() else {
            return 1;
        };
        match msg {
            Message::Request(r) => {
                if server.shutdown {
                    server.respond(Response::new_err(
                        r.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    ));
                    continue;
                }
                let id = r.id.clone();
                let method = r.method.clone();
                let out = catch_unwind(AssertUnwindSafe(|| server.request(r)));
                let resp = match out {
                    Ok(resp) => resp,
                    Err(_) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        format!("perfspec failed on {method}"),
                    ),
                };
                server.respond(resp);
            }
            Message::Notification(n) => {
                if n.method == notif::Exit::METHOD {
                    return if server.shutdown { 0 } else { 1 };
                }
                let _ = catch_unwind(AssertUnwindSafe(|| server.notification(n)));
            }
            Message::Response(_) => {}
        }
    }
}

/// Why a request failed: a JSON-RPC error code and a message.
struct Fail(ErrorCode, String);

fn params<P: serde::de::DeserializeOwned>(v: Value) -> Result<P, Fail> {
    serde_json::from_value(v)
        .map_err(|e| Fail(ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

impl Server {
    fn respond(&self, r: Response) {
        let _ = self.conn.sender.send(r.into());
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self
            .conn
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }

    fn update_lang(&mut self) {
        self.lang = self
            .lang_setting
            .or(self.lang_locale)
            .unwrap_or(self.lang_default);
    }

    fn doc(&self, uri: &Uri) -> Result<&Document, Fail> {
        self.docs.get(uri).ok_or_else(|| {
            Fail(
                ErrorCode::InvalidParams,
                format!("document not open: {}", uri.as_str()),
            )
        })
    }

    fn request(&mut self, r: Request) -> Response {
        match self.try_request(&r) {
            Ok(v) => Response::new_ok(r.id, v),
            Err(Fail(code, message)) => Response::new_err(r.id, code as i32, message),
        }
    }

    fn try_request(&mut self, r: &Request) -> Result<Value, Fail> {
        let p = r.params.clone();
        let lang = self.lang;
        let json = |v: serde_json::Result<Value>| v.unwrap_or(Value::Null);
        Ok(match r.method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                Value::Null
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(p)?;
                let doc = self.doc(&p.text_document.uri)?;
                json(serde_json::to_value(actions::code_actions(
                    doc,
                    p.range,
                    &p.context.diagnostics,
                    lang,
                )))
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(p)?;
                let tdp = p.text_document_position;
                let doc = self.doc(&tdp.text_document.uri)?;
                json(serde_json::to_value(completion::complete(
                    &doc.text,
                    &doc.tree,
                    tdp.position,
                    lang,
                )))
            }
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(p)?;
                let tdp = p.text_document_position_params;
                let doc = self.doc(&tdp.text_document.uri)?;
                json(serde_json::to_value(hover::hover(doc, tdp.position, lang)))
            }
            req::Formatting::METHOD => {
                let p: lsp_types::DocumentFormattingParams = params(p)?;
                let doc = self.doc(&p.text_document.uri)?;
                json(serde_json::to_value(formatting::format(&doc.text)))
            }
            req::DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = params(p)?;
                let doc = self.doc(&p.text_document.uri)?;
                json(serde_json::to_value(symbols::document_symbols(
                    &doc.text, &doc.tree,
                )))
            }
            req::GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = params(p)?;
                let tdp = p.text_document_position_params;
                let doc = self.doc(&tdp.text_document.uri)?;
                json(serde_json::to_value(definition::definition(
                    &doc.text,
                    &doc.tree,
                    &doc.uri,
                    tdp.position,
                )))
            }
            other => {
                return Err(Fail(
                    ErrorCode::MethodNotFound,
                    format!("unknown method {other}"),
                ))
            }
        })
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let td = p.text_document;
                let path = match uri_to_path(&td.uri) {
                    Some(path) => self.workspace.display(&path),
                    None => td.uri.as_str().to_string(),
                };
                let doc = Document::new(td.uri.clone(), path, td.version, td.text);
                self.docs.insert(td.uri.clone(), doc);
                self.changed(&td.uri);
            }
            notif::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                for c in p.content_changes {
                    super::position::apply_change(&mut doc.text, c.range, &c.text);
                }
                doc.version = p.text_document.version;
                doc.recheck();
                self.changed(&uri);
            }
            notif::DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                if let (Some(doc), Some(text)) = (self.docs.get_mut(&uri), p.text) {
                    doc.text = text;
                    doc.recheck();
                }
                if self.docs.contains_key(&uri) {
                    self.changed(&uri);
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = p.text_document.uri;
                if let Some(doc) = self.docs.remove(&uri) {
                    // The file on disk is what the workspace knows from now on.
                    match uri_to_path(&uri) {
                        Some(path) if path.exists() => self.workspace.reload(&path),
                        _ => self.workspace.remove(&doc.path),
                    }
                    self.notify(
                        notif::PublishDiagnostics::METHOD,
                        PublishDiagnosticsParams::new(uri, Vec::new(), None),
                    );
                    self.republish_cross(None);
                }
            }
            notif::DidChangeConfiguration::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeConfigurationParams>(n.params)
                else {
                    return;
                };
                self.lang_setting = lang_setting(&p.settings);
                self.update_lang();
                let uris: Vec<Uri> = self.docs.keys().cloned().collect();
                for uri in uris {
                    self.publish(&uri);
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params)
                else {
                    return;
                };
                for change in p.changes {
                    if self.docs.contains_key(&change.uri) {
                        continue; // the editor's text wins over the disk
                    }
                    if let Some(path) = uri_to_path(&change.uri) {
                        self.workspace.reload(&path);
                    }
                }
                self.republish_cross(None);
            }
            _ => {}
        }
    }

    /// A document's text changed: its projects go into the workspace, and every open
    /// document whose cross-file findings changed is published again.
    fn changed(&mut self, uri: &Uri) {
        if let Some(doc) = self.docs.get(uri) {
            let (path, projects) = (doc.path.clone(), doc.report.projects.clone());
            self.workspace.update(&path, &projects);
        }
        self.republish_cross(Some(uri));
    }

    /// Recompute PS104 over the workspace; publish `always` and every document whose
    /// cross-file findings changed.
    fn republish_cross(&mut self, always: Option<&Uri>) {
        let cross = self.workspace.cross_file();
        let mut changed: Vec<Uri> = Vec::new();
        let by_path: BTreeMap<String, Vec<crate::diag::Diagnostic>> =
            cross.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        for (uri, doc) in self.docs.iter_mut() {
            let new = by_path.get(&doc.path).cloned().unwrap_or_default();
            if new != doc.cross || Some(uri) == always {
                doc.cross = new;
                changed.push(uri.clone());
            }
        }
        changed.sort();
        for uri in changed {
            self.publish(&uri);
        }
    }

    fn publish(&self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        self.notify(
            notif::PublishDiagnostics::METHOD,
            PublishDiagnosticsParams::new(
                uri.clone(),
                doc.lsp_diagnostics(self.lang),
                Some(doc.version),
            ),
        );
    }
}

/// A URI for a path, for callers outside the server (tests, tools).
pub fn file_uri(path: &std::path::Path) -> Option<Uri> {
    path_to_uri(path)
}
