//! Print the spec that `mutate_specs` builds from a fuzzer input, so a crash or slow unit
//! of that target can be read, minimised and kept as a regression file:
//! `cargo run --example mutated -- artifacts/mutate_specs/crash-… > ../tests/regressions/x.bin`

use std::io::Write;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: mutated FUZZER_INPUT");
        std::process::exit(2);
    };
    match std::fs::read(&path) {
        Ok(data) => {
            let spec = perfspec_fuzz::mutate::mutate(&data);
            let _ = std::io::stdout().write_all(spec.as_bytes());
        }
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    }
}
