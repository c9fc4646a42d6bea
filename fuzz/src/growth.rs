//! Broken input must cost no more than a good one: 4× the text may cost at most 5× the
//! work and 5× the output. Measured without a clock, so the answer is the same on every
//! machine and under any load: the work is the number of heap allocations and the bytes
//! allocated while checking a file and printing its diagnostics as `perfspec check` does
//! (human and JSON, under the default cap), counted by [`CountingAlloc`] on the current
//! thread; the output is the bytes printed.
//!
//! Shared by the `growth` fuzz target and `tests/broken_input.rs` (`#[path]`); each binary
//! installs the allocator itself:
//! `#[global_allocator] static A: growth::CountingAlloc = growth::CountingAlloc;`.
//!
//! What this does not see: work that allocates nothing (a loop over a list already built).
//! `scripts/bench.py --broken` and callgrind's instruction counts cover that
//! (docs/performance.md).

use perfspec::check;
use perfspec::diag::cap::{self, Cap, Printed};
use perfspec::diag::{self, Lang, LineIndex, RenderOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn note(bytes: usize) {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|c| c.set(c.get() + bytes as u64));
}

/// The system allocator, counting each thread's allocations.
pub struct CountingAlloc;

// SAFETY: every call is passed on unchanged to the system allocator; the counters are
// const-initialised thread-locals without destructors, so counting never allocates.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

fn counters() -> (u64, u64) {
    (
        ALLOCATIONS.try_with(Cell::get).unwrap_or(0),
        BYTES.try_with(Cell::get).unwrap_or(0),
    )
}

/// What checking and printing one file cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub allocations: u64,
    pub bytes: u64,
    /// Bytes printed by `check` and `check --format json`.
    pub human: usize,
    pub json: usize,
    /// Diagnostics found (all of them, printed or not).
    pub diagnostics: usize,
}

/// Check `text` on this thread (`check_source`, as `check` does for one file) and print its
/// diagnostics both ways under the default cap.
pub fn cost(text: &str) -> Cost {
    let (a0, b0) = counters();
    let mut report = check::check_source("broken.perf", text);
    diag::sort(&mut report.diagnostics);
    let index = LineIndex::new(&report.source);
    let opts = RenderOptions {
        lang: Lang::Zh,
        color: false,
        width: 100,
    };
    let mut human = Vec::new();
    let mut printed = Printed::new(Cap::default());
    let _ = cap::write_human(
        &mut human,
        &report.path,
        &index,
        &report.diagnostics,
        &mut printed,
        opts,
    );
    let _ = cap::finish_human(&mut human, &printed, opts.lang);
    let mut json = Vec::new();
    let mut printed = Printed::new(Cap::default());
    let _ = cap::write_json(
        &mut json,
        &report.path,
        &index,
        &report.diagnostics,
        &mut printed,
        opts.lang,
    );
    let diagnostics = report.diagnostics.len();
    drop(report);
    let (a1, b1) = counters();
    Cost {
        allocations: a1 - a0,
        bytes: b1 - b0,
        human: human.len(),
        json: json.len(),
        diagnostics,
    }
}

/// `unit` repeated `k` and `4 k` times: every measure of the bigger at most 5× the smaller
/// plus what an empty file costs. `Err` says which measure grew faster.
pub fn check_growth(unit: &str, k: usize) -> Result<(Cost, Cost), String> {
    let (small_text, big_text) = (unit.repeat(k), unit.repeat(4 * k));
    let base = cost("");
    let small = cost(&small_text);
    let big = cost(&big_text);
    let measures = [
        (
            "allocations",
            small.allocations,
            big.allocations,
            base.allocations,
        ),
        ("bytes allocated", small.bytes, big.bytes, base.bytes),
        (
            "human output",
            small.human as u64,
            big.human as u64,
            base.human as u64,
        ),
        (
            "json output",
            small.json as u64,
            big.json as u64,
            base.json as u64,
        ),
    ];
    for (what, s, b, empty) in measures {
        // A little slack for fixed costs that show up only once a file has a finding (a
        // line index, a report header): the empty file has none.
        let slack = empty + 64 * 1024;
        if b > 5 * s + slack {
            return Err(format!(
                "{what}: {s} for {k} copies, {b} for {} copies ({:.2}×) of {unit:?}",
                4 * k,
                b as f64 / s.max(1) as f64
            ));
        }
    }
    Ok((small, big))
}
