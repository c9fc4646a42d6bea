#![no_main]
//! Broken input costs linear work and output: the input (as UTF-8, lossily) is a unit of
//! text, checked repeated 16 and 64 times; 4× the copies may cost at most 5× the
//! allocations, bytes allocated and printed output (fuzz/src/growth.rs). A failure panics
//! with the measure that grew too fast.

use libfuzzer_sys::fuzz_target;
use perfspec_fuzz::growth;

#[global_allocator]
static ALLOC: growth::CountingAlloc = growth::CountingAlloc;

fuzz_target!(|data: &[u8]| {
    // Units of up to 1 KiB: 64 copies stay far below the 32 MiB limit and quick to check.
    let unit = String::from_utf8_lossy(&data[..data.len().min(1024)]);
    if unit.is_empty() {
        return;
    }
    if let Err(e) = growth::check_growth(&unit, 16) {
        panic!("{e}");
    }
});
