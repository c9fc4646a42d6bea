//! The authoring commands: `lsp` (the language server for editors), `completions SHELL`
//! and `man` (shell completion scripts and the man page, generated from the same
//! definition of the command line).

use super::Cli;
use clap::CommandFactory;
use perfspec::diag::Lang;
use std::io::Write;

/// Shells `perfspec completions` writes a script for.
pub type Shell = clap_complete::Shell;

pub fn cmd_lsp(lang: Lang) -> u8 {
    perfspec::lsp::run(lang)
}

pub fn cmd_completions(shell: Shell) -> u8 {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "perfspec", &mut out);
    write_out(&out)
}

pub fn cmd_man() -> u8 {
    let mut out = Vec::new();
    if clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .is_err()
    {
        return 2;
    }
    write_out(&out)
}

fn write_out(bytes: &[u8]) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}
