//! The `perfspec` command line. All I/O lives here; the library only transforms.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
