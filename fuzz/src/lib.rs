//! Fuzzing support for perfspec: the grammar-aware mutator and the harness every target
//! runs. Both files are also included by `tests/robustness.rs`, so the regression corpus
//! and a proptest run of the mutator work on the stable toolchain.

pub mod growth;
pub mod harness;
pub mod mutate;
