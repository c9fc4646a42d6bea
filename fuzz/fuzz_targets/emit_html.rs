#![no_main]
//! `run_html` on arbitrary bytes (see fuzz/src/harness.rs for the oracles).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    perfspec_fuzz::harness::run_html(data);
});
