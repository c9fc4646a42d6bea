//! The serde_json baseline as a whole process, for `scripts/bench.py`.
//!
//! `json_baseline parse FILE`: read FILE and parse it into a `serde_json::Value`, the floor
//! for reading structured text in Rust (exit 1 if it is not JSON).
//! `json_baseline equivalent BUILD.json OUT.json`: write the equivalent JSON of a
//! `perfspec build --format json` output (what `benches/support/equivalent.rs` keeps).

#[path = "../benches/support/equivalent.rs"]
mod equivalent;

use std::process::ExitCode;

fn fail(msg: String) -> ExitCode {
    eprintln!("json_baseline: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["parse", file] => {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => return fail(format!("cannot read {file}: {e}")),
            };
            match serde_json::from_str::<serde_json::Value>(&text) {
                // Use the value so the parse cannot be optimised away.
                Ok(v) => {
                    let n = v
                        .get("projects")
                        .and_then(|p| p.as_array())
                        .map_or(0, Vec::len);
                    println!("{n}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("json_baseline: {file}: {e}");
                    ExitCode::from(1)
                }
            }
        }
        ["equivalent", build, out] => {
            let text = match std::fs::read_to_string(build) {
                Ok(t) => t,
                Err(e) => return fail(format!("cannot read {build}: {e}")),
            };
            let doc = match equivalent::from_build_json(&text) {
                Ok(d) => d,
                Err(e) => return fail(format!("{build} is not JSON: {e}")),
            };
            match std::fs::write(out, equivalent::to_text(&doc)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(format!("cannot write {out}: {e}")),
            }
        }
        _ => fail(
            "usage: json_baseline parse FILE | json_baseline equivalent BUILD.json OUT.json".into(),
        ),
    }
}
