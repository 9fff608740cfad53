//! `sso-admin-emulator`: the in-memory SSO Admin emulator served over HTTP on loopback.
//!
//! ```text
//! sso-admin-emulator [--port 4566] [--credentials ACCESS_KEY:SECRET]...
//!                    [--instance-arn ARN] [--identity-store-id ID]
//!                    [--list-tags-page-size N] [--log-level info]
//! ```
//!
//! It listens on `127.0.0.1:PORT` (`--port 0` picks a free port) and prints
//! `listening on http://127.0.0.1:PORT` as the first line of its standard output, so scripts
//! and tests can wait for it and learn the port. Requests are logged to standard error, one
//! line per request at `info`. Ctrl-C or SIGTERM stop it gracefully: it stops accepting
//! connections, closes idle and slow connections at once, answers the requests in flight (for
//! up to 10 seconds) and exits with status 0. The server runs with the production
//! [`ServerLimits`](aws_json_server::ServerLimits) (header-read, body-read and idle timeouts,
//! a connection cap).
//!
//! `--state-dir DIR` keeps the state in DIR across restarts and crashes: a snapshot and a
//! journal, each write flushed to disk before it is answered (see the library's documentation
//! for the format). `--async-delay 2s` keeps asynchronous requests `IN_PROGRESS` for 2 seconds.
//! `kill -HUP PID` resets the state while the emulator runs (everything created in the
//! instance is forgotten, on disk too; the instance and its ids stay).
//!
//! Without `--credentials`, requests need not be signed and any signature is accepted; with it
//! (repeatable), every request must carry a valid SigV4 signature by one of the given keys,
//! scoped to us-east-1 or to the regions given with `--region` (repeatable, `*` for any).

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use aws_json_server::sigv4::SigV4Config;
use aws_json_server::ServerLimits;
use clap::Parser;
use sso_admin::server::{serve, service_builder};
use sso_admin_emulator::allocator::Mimalloc;
use sso_admin_emulator::Emulator;
use tracing::level_filters::LevelFilter;

/// Every request allocates a few dozen small buffers (hyper's, the decoded input, the output);
/// mimalloc serves them with a fraction of the system allocator's instructions (see
/// docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// How long a graceful shutdown waits for the requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// An in-memory emulator of the AWS SSO Admin API, served on 127.0.0.1.
#[derive(Debug, Parser)]
#[command(name = "sso-admin-emulator", version, about)]
struct Args {
    /// The port to listen on (0 picks a free one; the first line printed tells which).
    #[arg(long, default_value_t = 4566)]
    port: u16,

    /// An access key requests may be signed with, as ACCESS_KEY_ID:SECRET_ACCESS_KEY.
    /// Repeatable. When given, every request must carry a valid SigV4 signature.
    #[arg(long = "credentials", value_name = "ACCESS_KEY:SECRET", value_parser = parse_credentials)]
    credentials: Vec<(String, String)>,

    /// A region signed requests may name in their credential scope. Repeatable; `*` accepts
    /// any region. Default: us-east-1.
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,

    /// The ARN of the emulated SSO instance (arn:aws:sso:::instance/ssoins-<16 characters>);
    /// random by default.
    #[arg(long, value_name = "ARN", value_parser = parse_instance_arn)]
    instance_arn: Option<String>,

    /// The identity store id of the emulated instance (d-<10 hex>); random by default.
    #[arg(long, value_name = "ID", value_parser = parse_identity_store_id)]
    identity_store_id: Option<String>,

    /// How many tags a ListTagsForResource page holds (that operation has no MaxResults).
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u16).range(1..))]
    list_tags_page_size: u16,

    /// Keep the state in this directory, across restarts and crashes (`kill -9` included):
    /// a snapshot plus a journal flushed to disk before each write is answered.
    #[arg(long, value_name = "DIR")]
    state_dir: Option<std::path::PathBuf>,

    /// Keep asynchronous requests IN_PROGRESS for this long (such as 500ms, 2s, 1m) before
    /// they show their outcome, so that waiters and polling loops are exercised.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    async_delay: Option<Duration>,

    /// The most detailed log level written to standard error: off, error, warn, info, debug
    /// or trace. Each request is logged at info.
    #[arg(long, value_name = "LEVEL", default_value = "info")]
    log_level: LevelFilter,
}

/// `ACCESS_KEY_ID:SECRET_ACCESS_KEY`, both non-empty (the secret may contain `:`).
fn parse_credentials(value: &str) -> Result<(String, String), String> {
    match value.split_once(':') {
        Some((key, secret)) if !key.is_empty() && !secret.is_empty() => {
            Ok((key.to_owned(), secret.to_owned()))
        }
        _ => Err("expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, both non-empty".to_owned()),
    }
}

/// An instance ARN the service itself would accept: `arn:aws:sso:::instance/(sso)?ins-` and
/// 16 characters of `[a-zA-Z0-9-.]`.
fn parse_instance_arn(value: &str) -> Result<String, String> {
    let id = value
        .strip_prefix("arn:aws:sso:::instance/")
        .map(|rest| rest.strip_prefix("sso").unwrap_or(rest))
        .and_then(|rest| rest.strip_prefix("ins-"));
    match id {
        Some(id)
            if id.len() == 16
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') =>
        {
            Ok(value.to_owned())
        }
        _ => Err("expected arn:aws:sso:::instance/ssoins-<16 letters or digits>".to_owned()),
    }
}

/// An identity store id: 1 to 64 letters, digits or `-`.
fn parse_identity_store_id(value: &str) -> Result<String, String> {
    if (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        Ok(value.to_owned())
    } else {
        Err("expected 1 to 64 letters, digits or '-', such as d-1234567890".to_owned())
    }
}

/// The emulator the arguments describe: fixed ids where given, random ones otherwise.
/// `500ms`, `2s`, `1m`, or a number of seconds.
fn parse_duration(value: &str) -> Result<Duration, String> {
    let (number, unit) = value
        .find(|c: char| !c.is_ascii_digit())
        .map_or((value, "s"), |index| value.split_at(index));
    let number: u64 = number
        .parse()
        .map_err(|_| "expected a duration such as 500ms, 2s or 1m".to_owned())?;
    match unit {
        "ms" => Ok(Duration::from_millis(number)),
        "s" => Ok(Duration::from_secs(number)),
        "m" => Ok(Duration::from_secs(number.saturating_mul(60))),
        _ => Err(format!("unknown unit {unit:?}: use ms, s or m")),
    }
}

fn emulator(args: &Args) -> std::io::Result<Emulator> {
    let random = Emulator::new();
    let instance_arn = args
        .instance_arn
        .as_deref()
        .unwrap_or(random.instance_arn());
    let identity_store_id = args
        .identity_store_id
        .as_deref()
        .unwrap_or(random.identity_store_id());
    let emulator = match &args.state_dir {
        Some(dir) => Emulator::open(dir, instance_arn, identity_store_id)?,
        None if args.instance_arn.is_none() && args.identity_store_id.is_none() => random,
        None => Emulator::with_instance(instance_arn, identity_store_id),
    };
    Ok(emulator
        .with_list_tags_page_size(usize::from(args.list_tags_page_size))
        .with_async_delay(args.async_delay.unwrap_or_default()))
}

/// Resets the state on every SIGHUP (`kill -HUP PID`), for as long as the emulator runs.
async fn reset_on_hangup(emulator: Arc<Emulator>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangup = match signal(SignalKind::hangup()) {
            Ok(hangup) => hangup,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGHUP; no reset while running");
                return;
            }
        };
        while hangup.recv().await.is_some() {
            match emulator.reset() {
                Ok(()) => tracing::info!("SIGHUP received: the state was reset"),
                Err(error) => tracing::error!(%error, "SIGHUP received: could not reset the state"),
            }
        }
    }
    #[cfg(not(unix))]
    drop(emulator);
}

/// Completes on Ctrl-C or (on Unix) SIGTERM. If a handler cannot be installed, that signal is
/// simply not waited for.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(args.log_level)
        .init();

    let emulator = match emulator(&args) {
        Ok(emulator) => Arc::new(emulator),
        Err(error) => {
            eprintln!("sso-admin-emulator: cannot open the state: {error}");
            return ExitCode::FAILURE;
        }
    };
    tokio::spawn(reset_on_hangup(Arc::clone(&emulator)));
    tracing::info!(
        instance_arn = emulator.instance_arn(),
        identity_store_id = emulator.identity_store_id(),
        "emulating one SSO instance"
    );
    let mut builder = service_builder(emulator);
    if !args.credentials.is_empty() {
        let keys: Vec<&str> = args
            .credentials
            .iter()
            .map(|(key, _)| key.as_str())
            .collect();
        tracing::info!(access_keys = ?keys, "requests must be signed with SigV4");
        let store: HashMap<String, String> = args.credentials.into_iter().collect();
        let config = SigV4Config::new(store);
        let config = if args.regions.iter().any(|region| region == "*") {
            config.with_any_region()
        } else if args.regions.is_empty() {
            config
        } else {
            config.with_regions(args.regions)
        };
        builder = builder.sigv4(config);
    }
    let service = match builder
        .limits(ServerLimits::new().with_shutdown_timeout(SHUTDOWN_GRACE))
        .build()
    {
        Ok(service) => service,
        Err(error) => {
            eprintln!("sso-admin-emulator: cannot build the service: {error}");
            return ExitCode::FAILURE;
        }
    };

    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("sso-admin-emulator: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let port = match listener.local_addr() {
        Ok(local) => local.port(),
        Err(error) => {
            eprintln!("sso-admin-emulator: cannot read the listening address: {error}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "listening on http://127.0.0.1:{port}")
            .and_then(|()| stdout.flush())
            .is_err()
        {
            // Nobody reads standard output; the server is still useful.
            tracing::warn!("cannot write the listening address to standard output");
        }
    }

    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, service, async {
        let _ = stopped.await;
    }));
    shutdown_signal().await;
    let _ = stopping.send(());
    // `serve` bounds the drain itself; this is a last resort.
    match tokio::time::timeout(SHUTDOWN_GRACE + Duration::from_secs(5), server).await {
        Ok(Ok(Ok(()))) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Ok(Ok(Err(error))) => {
            eprintln!("sso-admin-emulator: the server failed: {error}");
            ExitCode::FAILURE
        }
        Ok(Err(error)) => {
            eprintln!("sso-admin-emulator: the server task failed: {error}");
            ExitCode::FAILURE
        }
        Err(_) => {
            tracing::warn!(
                "requests still in flight after {} s, exiting anyway",
                SHUTDOWN_GRACE.as_secs()
            );
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_split_at_the_first_colon() {
        assert_eq!(
            parse_credentials("AKID:se:cret"),
            Ok(("AKID".to_owned(), "se:cret".to_owned()))
        );
        assert!(parse_credentials("AKID").is_err());
        assert!(parse_credentials(":secret").is_err());
        assert!(parse_credentials("AKID:").is_err());
    }

    #[test]
    fn instance_arns_are_checked() {
        assert!(parse_instance_arn("arn:aws:sso:::instance/ssoins-1111111111111111").is_ok());
        assert!(parse_instance_arn("arn:aws:sso:::instance/ins-abcdefABCDEF0123").is_ok());
        assert!(parse_instance_arn("arn:aws:sso:::instance/ssoins-111").is_err());
        assert!(parse_instance_arn("ssoins-1111111111111111").is_err());
    }

    #[test]
    fn arguments_parse() {
        let args = Args::try_parse_from([
            "sso-admin-emulator",
            "--port",
            "0",
            "--credentials",
            "A:B",
            "--credentials",
            "C:D",
            "--identity-store-id",
            "d-1234567890",
        ])
        .expect("valid arguments");
        assert_eq!(args.port, 0);
        assert_eq!(args.credentials.len(), 2);
        let emulator = emulator(&args).expect("an emulator");
        assert_eq!(emulator.identity_store_id(), "d-1234567890");
        assert!(emulator
            .instance_arn()
            .starts_with("arn:aws:sso:::instance/ssoins-"));
        assert!(Args::try_parse_from(["sso-admin-emulator", "--port", "70000"]).is_err());
    }
}
