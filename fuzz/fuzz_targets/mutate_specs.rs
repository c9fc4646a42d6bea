#![no_main]
//! Grammar-aware: the bytes choose edits of the specs in specs/ (fuzz/src/mutate.rs), and
//! the mutated spec goes through every stage: parse, check, fmt, every emitter, diff.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let spec = perfspec_fuzz::mutate::mutate(data);
    perfspec_fuzz::harness::run_all(spec.as_bytes());
});
