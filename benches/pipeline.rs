//! Parse + check at 1×, 10× and 100× a baseline corpus of 200 projects, against the floor
//! for reading structured text in Rust: serde_json parsing the equivalent JSON into a
//! `Value` (see `support/equivalent.rs` for what "equivalent" keeps and drops).
//!
//! `cargo bench --bench pipeline` (all sizes), `PERFSPEC_BENCH_SCALES=1,10 cargo bench …`
//! for fewer, `cargo bench --bench pipeline -- --test` to run every benchmark once.
//! After the criterion runs, a Markdown summary with MB/s, projects/s and the ratio to
//! serde_json is printed from criterion's own estimates (target/criterion/…).

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/equivalent.rs"]
mod equivalent;

use criterion::{BatchSize, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

/// Projects in the 1× corpus.
const BASELINE: usize = 200;
/// Projects per file: a unit's declarations for a year.
const PER_FILE: usize = 10;

struct Corpus {
    scale: usize,
    projects: usize,
    files: Vec<(String, Vec<u8>)>,
    perf_bytes: u64,
    json: String,
}

fn scales() -> Vec<usize> {
    match std::env::var("PERFSPEC_BENCH_SCALES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) => vec![1, 10, 100],
    }
}

fn corpus(scale: usize) -> Corpus {
    let projects = BASELINE * scale;
    let files: Vec<(String, Vec<u8>)> = corpus::generate(projects, PER_FILE)
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    let perf_bytes = files.iter().map(|f| f.1.len() as u64).sum();
    let report = perfspec::check::check_all(files.clone());
    assert!(
        !report.has_errors(),
        "the generated corpus must check clean"
    );
    let build = perfspec::emit::json::to_string(&report.model());
    let doc = equivalent::from_build_json(&build).expect("emit::json output is JSON");
    Corpus {
        scale,
        projects,
        files,
        perf_bytes,
        json: equivalent::to_text(&doc),
    }
}

fn configure(
    c: &mut Criterion,
    scale: usize,
) -> criterion::BenchmarkGroup<'_, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(format!("x{scale}"));
    // Big inputs take seconds per iteration: ten samples and a short window keep the
    // whole run to a few minutes while still giving a spread.
    if scale >= 10 {
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(if scale >= 100 { 20 } else { 8 }));
        g.warm_up_time(Duration::from_secs(1));
    } else {
        g.sample_size(20);
        g.measurement_time(Duration::from_secs(5));
        g.warm_up_time(Duration::from_secs(1));
    }
    g
}

fn bench(c: &mut Criterion, k: &Corpus) {
    let one_thread = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let mut g = configure(c, k.scale);
    g.throughput(Throughput::BytesDecimal(k.perf_bytes));
    // What `perfspec check` does after reading the files: parse and check in parallel,
    // keeping the diagnostics, not the model.
    g.bench_function("check", |b| {
        b.iter_batched(
            || k.files.clone(),
            |files| black_box(perfspec::check::check_all_diagnostics(files)),
            BatchSize::LargeInput,
        )
    });
    // The same on one core, the per-core cost that serde_json's single-threaded parse
    // is compared with.
    g.bench_function("check_1thread", |b| {
        b.iter_batched(
            || k.files.clone(),
            |files| black_box(one_thread.install(|| perfspec::check::check_all_diagnostics(files))),
            BatchSize::LargeInput,
        )
    });
    // What `perfspec build` does before emitting: the same, keeping the whole model.
    g.bench_function("check_model", |b| {
        b.iter_batched(
            || k.files.clone(),
            |files| black_box(perfspec::check::check_all(files)),
            BatchSize::LargeInput,
        )
    });
    g.throughput(Throughput::BytesDecimal(k.json.len() as u64));
    g.bench_function("serde_json_value", |b| {
        b.iter(|| {
            let v: serde_json::Value =
                serde_json::from_str(black_box(&k.json)).expect("equivalent JSON parses");
            black_box(v)
        })
    });
    g.finish();
}

/// criterion's point estimate (mean, ns) of one benchmark, read back from its output.
fn estimate_ns(group: &str, id: &str) -> Option<f64> {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let path = dir
        .join("criterion")
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v.get("mean")?.get("point_estimate")?.as_f64()
}

fn summary(corpora: &[Corpus]) {
    println!();
    println!("| size | projects | .perf MB | JSON MB | check | MB/s | projects/s | check 1 thread | MB/s | check + model | serde_json | JSON MB/s | check ÷ serde | check 1 thread ÷ serde |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let ms = |ns: f64| format!("{:.1} ms", ns / 1e6);
    for k in corpora {
        let g = format!("x{}", k.scale);
        let (Some(c), Some(c1), Some(cm), Some(s)) = (
            estimate_ns(&g, "check"),
            estimate_ns(&g, "check_1thread"),
            estimate_ns(&g, "check_model"),
            estimate_ns(&g, "serde_json_value"),
        ) else {
            println!("| {}× | (no estimates: run without --test) |", k.scale);
            continue;
        };
        let mb = k.perf_bytes as f64 / 1e6;
        let json_mb = k.json.len() as f64 / 1e6;
        println!(
            "| {}× | {} | {:.1} | {:.1} | {} | {:.1} | {:.0} | {} | {:.1} | {} | {} | {:.1} | {:.2} | {:.2} |",
            k.scale,
            k.projects,
            mb,
            json_mb,
            ms(c),
            mb / (c / 1e9),
            k.projects as f64 / (c / 1e9),
            ms(c1),
            mb / (c1 / 1e9),
            ms(cm),
            ms(s),
            json_mb / (s / 1e9),
            c / s,
            c1 / s,
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let corpora: Vec<Corpus> = scales().into_iter().map(corpus).collect();
    for k in &corpora {
        bench(&mut c, k);
    }
    c.final_summary();
    summary(&corpora);
}
