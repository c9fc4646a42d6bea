//! perfspec: 财政项目支出绩效目标申报表 as plain-text specs.
//!
//! The pipeline is visible in the modules: [`syntax`] (text → tree with spans, comments
//! kept) → [`check`] (tree → checked [`model`], with diagnostics) → emitters in [`emit`],
//! and [`fmt`] / [`diff`] working on the tree and the model. Those below the emitters are
//! the `perfspec-core` crate (no I/O), re-exported here; this crate adds the emitters,
//! `import`, the language server and the CLI.
//!
//! Using perfspec as a crate: check a spec, take its model, serialise it. The JSON is the
//! contract in `docs/json.md` (money and values as decimal strings).
//!
//! ```rust
//! use perfspec::check::{check_source, Report};
//! use perfspec::emit;
//!
//! let spec = "\
//! 年度 2026
//! 主管部门 上海市绿化和市容管理局
//! 实施单位 上海市绿化和市容管理局行政服务中心
//!
//! 项目 热线服务保障经费 {
//!   性质 其他经常性项目
//!   类别 特定目标类
//!   期间 2026-01-01 至 2026-12-31
//!   资金 {
//!     当年财政拨款 1,813,200.00
//!   }
//!   年度总体目标 全天候受理市民诉求
//!   经济成本 前端诉件受理成本控制情况 ≤ 181.32 万元
//!   数量 差别化先行联系 ≥ 15696 件
//!   社会效益 热线诉求处置率 = 100.00 %
//!   服务对象满意度 市民满意度评分 ≥ 85 %
//! }
//! ";
//! let file = check_source("hotline.perf", spec);
//! assert!(!file.has_errors(), "{:?}", file.diagnostics);
//! let model = Report { files: vec![file] }.model();
//! assert_eq!(model.indicator_count(), 4);
//!
//! let json = emit::json::to_string(&model);
//! let doc: serde_json::Value = serde_json::from_str(&json)?;
//! assert_eq!(doc["totals"]["funding_total"], "1813200.00");
//! assert_eq!(doc["projects"][0]["indicators"][0]["value_yuan"], "1813200.00");
//!
//! let csv = emit::csv::to_bytes(&model)?; // UTF-8 with BOM, one row per indicator
//! assert_eq!(csv.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count(), 1 + 4);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// The language and its meaning live in `perfspec-core` (no I/O); they are re-exported
// here so that `perfspec::check`, `perfspec::model`, … name the same things.
pub use perfspec_core::{check, diff, filename, fmt, model, msg, syntax, vocab};

pub mod diag;
pub mod emit;
pub mod import;
pub mod lsp;
