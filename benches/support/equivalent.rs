//! "The equivalent JSON": the information a spec holds, as JSON, for the serde_json and
//! YAML + JSON-Schema baselines. It starts from `perfspec build --format json` and removes
//! what the compiler derives rather than reads: source locations, the form notation
//! (`display`), `level1` (implied by `level2`), `value_yuan`, `unit_canonical`, `dimension`,
//! `quantitative`, and the per-project and global `totals`. Null-valued keys are dropped
//! too (a hand-written JSON or YAML file would leave them out), and the text is compact:
//! both choices make the baseline's input smaller, so the comparison is, if anything,
//! unfair to perfspec.

use serde_json::Value;

const DERIVED_INDICATOR: &[&str] = &[
    "level1",
    "unit_canonical",
    "dimension",
    "quantitative",
    "value_yuan",
    "display",
    "source",
];
const DERIVED_PROJECT: &[&str] = &["totals", "source"];
const DERIVED_DOCUMENT: &[&str] = &["totals"];

fn drop_keys(v: &mut Value, keys: &[&str]) {
    if let Value::Object(m) = v {
        for k in keys {
            m.shift_remove(*k);
        }
        m.retain(|_, x| !x.is_null());
    }
}

fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The equivalent document of a `perfspec build --format json` output.
pub fn from_build_json(build: &str) -> Result<Value, serde_json::Error> {
    let mut doc: Value = serde_json::from_str(build)?;
    drop_keys(&mut doc, DERIVED_DOCUMENT);
    if let Some(projects) = doc.get_mut("projects").and_then(Value::as_array_mut) {
        for p in projects {
            drop_keys(p, DERIVED_PROJECT);
            if let Some(inds) = p.get_mut("indicators").and_then(Value::as_array_mut) {
                for i in inds {
                    drop_keys(i, DERIVED_INDICATOR);
                }
            }
        }
    }
    drop_nulls(&mut doc);
    Ok(doc)
}

/// Compact text of the equivalent document.
pub fn to_text(doc: &Value) -> String {
    serde_json::to_string(doc).unwrap_or_default()
}
