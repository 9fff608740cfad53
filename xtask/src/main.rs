//! `cargo xtask`: the project's commands.
//!
//! - `cargo xtask codegen [--check] [--model PATH] [--out DIR]`: regenerate (or check) a crate.
//! - `cargo xtask test`: every check and test, as CI runs them.
//! - `cargo xtask bench-codegen [--iterations N]`: time the generator on the SSO Admin model.
//! - `cargo xtask botocore-service NAME [--version V]`: generate one service of botocore (latest
//!   by default) into `target/botocore-crates/NAME/`, then build, lint and test it (for
//!   `sso-admin`, with a hand-written client/server loopback test and `--all-features`).
//! - `cargo xtask botocore-corpus [--version V]`: generate every JSON-protocol service of botocore
//!   into one throwaway workspace and report how many compile.
//! - `cargo xtask bench-corpus [--version V]`: time generating the whole JSON corpus in memory.
//! - `cargo xtask endpoint-corpus [--version V]`: run botocore's endpoint test cases of every
//!   JSON-protocol service against the rule sets of the same release; writes
//!   `docs/endpoint-corpus.md`.
//! - `cargo xtask conformance`: botocore's JSON protocol test suites against crates generated
//!   from them (part of `cargo xtask test`).

mod bench;
mod botocore_data;
mod codegen_cmd;
mod conformance;
mod corpus;
mod endpoint_corpus;
mod python_env;
mod test_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generation allocates many small token trees; mimalloc makes that markedly cheaper than the
/// system allocator (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Generate one service of a botocore release (opt-in: downloads botocore from PyPI) into
    /// `target/botocore-crates/NAME/`, then `cargo build`, `cargo clippy -- -D warnings` and
    /// `cargo test` (its property tests) there. A service with a hand-written test in
    /// `xtask/fixtures/` (`sso-admin`: its client against its server over loopback) gets it
    /// copied in and runs with `--all-features`, unless `--no-default-features` is given.
    BotocoreService {
        /// The service's directory name in botocore (`sso-admin`).
        name: String,
        /// The botocore release, or `latest`.
        #[arg(long, default_value = "latest")]
        version: String,
        /// Build, lint and test without the default features (the client).
        #[arg(long)]
        no_default_features: bool,
        /// Build, lint and test with every feature (client and server).
        #[arg(long)]
        all_features: bool,
    },
    /// Generate every JSON-protocol service of a botocore release into one throwaway workspace
    /// (`target/botocore-corpus/`), `cargo check` it, and report `N of M` with each failure.
    BotocoreCorpus {
        /// The botocore release, or `latest`.
        #[arg(long, default_value = "latest")]
        version: String,
        /// Only these services (comma-separated botocore names).
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
        /// Only the first N services (by name).
        #[arg(long)]
        limit: Option<usize>,
        /// Parallel cargo jobs.
        #[arg(long)]
        jobs: Option<usize>,
        /// Check without the default features (the client).
        #[arg(long)]
        no_default_features: bool,
        /// Check with every feature (client and server).
        #[arg(long)]
        all_features: bool,
    },
    /// Run the endpoint test cases of every JSON-protocol service of a botocore release (from
    /// its source distribution) against the rule sets of the same release, and write
    /// `N of M cases, K of L services` to `docs/endpoint-corpus.md` (opt-in: downloads
    /// botocore from PyPI).
    EndpointCorpus {
        /// The botocore release.
        #[arg(long, default_value = endpoint_corpus::DEFAULT_VERSION)]
        version: String,
    },
    /// Run botocore's JSON protocol test suites (downloaded from PyPI into target/) against
    /// crates generated from them, client and server; part of `cargo xtask test`.
    Conformance,
    /// Measure generating every JSON-protocol service of a botocore release in memory.
    BenchCorpus {
        /// The botocore release, or `latest`.
        #[arg(long, default_value = "latest")]
        version: String,
        /// Worker threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
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
        Command::BotocoreService {
            name,
            version,
            no_default_features,
            all_features,
        } => corpus::service(
            &name,
            &version,
            match (no_default_features, all_features) {
                (true, _) => Some("--no-default-features"),
                (_, true) => Some("--all-features"),
                _ => None,
            },
        ),
        Command::BotocoreCorpus {
            version,
            only,
            limit,
            jobs,
            no_default_features,
            all_features,
        } => corpus::corpus(&corpus::CorpusOptions {
            version,
            only,
            limit,
            jobs,
            cargo_args: [
                (no_default_features, "--no-default-features"),
                (all_features, "--all-features"),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, arg)| arg.to_owned())
            .collect(),
        }),
        Command::Conformance => conformance::run_suites(),
        Command::BenchCorpus { version, threads } => corpus::bench(&version, threads),
        Command::EndpointCorpus { version } => endpoint_corpus::run(&version),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
