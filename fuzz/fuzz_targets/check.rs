#![no_main]
//! `run_check` on arbitrary bytes (see fuzz/src/harness.rs for the oracles).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = perfspec_fuzz::harness::run_check(data);
});
