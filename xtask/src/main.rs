//! `cargo xtask`: the project's commands.
//!
//! - `cargo xtask codegen [--check] [--model PATH] [--out DIR]`: regenerate (or check) a crate.
//! - `cargo xtask test`: every check and test, as CI runs them.
//! - `cargo xtask bench-codegen [--iterations N]`: time the generator on the SSO Admin model.

mod bench;
mod codegen_cmd;
mod python_env;
mod test_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Project commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the Rust crate for a Smithy JSON AST or botocore model (default: the SSO Admin model into `generated/`).
    Codegen {
        /// Write nothing; exit non-zero naming each file that is stale, missing or left over.
        #[arg(long)]
        check: bool,
        /// The model: Smithy JSON AST, or botocore `service-2.json` (with `paginators-1.json` beside it, if any).
        #[arg(long, value_name = "PATH")]
        model: Option<PathBuf>,
        /// The directory of the generated crate.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Run every check and test: generated/ fresh, rustfmt, clippy (warnings denied), all tests.
    Test,
    /// Install the pinned Python tools the tests drive (boto3, awscli, moto) into target/venv.
    InstallTestTools,
    /// Measure how long generating the SSO Admin crate takes (load → emit → format, no I/O).
    BenchCodegen {
        /// How many timed runs.
        #[arg(long, default_value_t = 200)]
        iterations: u32,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Codegen { check, model, out } => {
            codegen_cmd::run(&codegen_cmd::Job::new(model, out), check)
        }
        Command::Test => test_cmd::run(),
        Command::InstallTestTools => {
            python_env::ensure().map(|venv| println!("{}", venv.display()))
        }
        Command::BenchCodegen { iterations } => bench::run(iterations),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
