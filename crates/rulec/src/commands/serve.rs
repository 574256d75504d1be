//! `rulec serve`: kaohe as an HTTP service on the rulesets of a directory
//! (`kaohe_server`, docs/service.md). Prints the address it listens on and
//! the rulesets it could not serve; logs requests to standard error
//! (`RUST_LOG` chooses how much, default `info`); stops on Ctrl-C, letting
//! the requests under way finish.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::exit::Exit;

/// Arguments of `rulec serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to listen; loopback unless told otherwise (port 0: any free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The rulesets: each DIR/<id>/<id>.rules is served as ruleset <id>.
    #[arg(long, value_name = "DIR", default_value = "rulesets")]
    rulesets: PathBuf,
    /// Where sealed periods are kept (an SQLite database in DIR).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// The file holding the token sealing requires (its trimmed content).
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The largest request body, in bytes (default 256 MiB).
    #[arg(long, value_name = "BYTES")]
    max_body: Option<usize>,
    /// The longest an evaluation may take, waiting included, in seconds (default 60).
    #[arg(long, value_name = "SECONDS")]
    max_eval_seconds: Option<u64>,
    /// How many evaluations run at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    max_evaluations: Option<usize>,
    /// How many evaluations may wait for their turn (default 1024).
    #[arg(long, value_name = "N")]
    max_queued: Option<usize>,
}

/// Runs `rulec serve` until Ctrl-C.
pub fn run(args: &Args) -> Exit {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    let mut config = kaohe_server::Config::new(&args.rulesets);
    config.addr = args.addr;
    config.data.clone_from(&args.data);
    config.token_file.clone_from(&args.token_file);
    if let Some(bytes) = args.max_body {
        config.limits.body_bytes = bytes;
    }
    if let Some(seconds) = args.max_eval_seconds {
        config.limits.evaluation_time = Duration::from_secs(seconds);
    }
    if let Some(n) = args.max_evaluations {
        if n == 0 {
            eprintln!(
                "{}",
                crate::lang::error_line(
                    "kaohe::cli::usage",
                    "--max-evaluations must be at least 1"
                )
            );
            return Exit::Usage;
        }
        config.limits.concurrent_evaluations = n;
    }
    if let Some(n) = args.max_queued {
        config.limits.queued_evaluations = n;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!(
                "{}",
                crate::lang::error_line(
                    "kaohe::cli::io",
                    &format!("cannot start the async runtime: {error}")
                )
            );
            return Exit::Failure;
        }
    };
    runtime.block_on(async {
        let server = match kaohe_server::Server::bind(config).await {
            Ok(server) => server,
            Err(error) => {
                eprintln!(
                    "{}",
                    crate::lang::error_line("kaohe::cli::io", &error.to_string())
                );
                return Exit::Usage;
            }
        };
        let mut served = 0;
        for ruleset in server.state().rulesets.iter() {
            match &ruleset.compiled {
                Ok(_) => served += 1,
                Err(errors) => {
                    eprintln!(
                        "{}: {}",
                        crate::lang::text("rulec-warning", &[]),
                        crate::lang::text(
                            "rulec-serve-not-served",
                            &[
                                ("id", ruleset.id.to_string()),
                                ("file", ruleset.file.display().to_string()),
                            ]
                        )
                    );
                    for e in errors
                        .errors
                        .iter()
                        .filter(|e| e.severity == kaohe::Severity::Error)
                    {
                        eprintln!(
                            "  {}:{}:{}: {}",
                            e.file.as_deref().unwrap_or(""),
                            e.line.unwrap_or(0),
                            e.column.unwrap_or(0),
                            crate::lang::tr(&e.code, &e.message)
                        );
                    }
                }
            }
        }
        if served == 0 {
            eprintln!(
                "{}: {}",
                crate::lang::text("rulec-warning", &[]),
                crate::lang::text(
                    "rulec-serve-none",
                    &[("dir", args.rulesets.display().to_string())]
                )
            );
        }
        crate::output::println(&crate::lang::text(
            "rulec-serve-listening",
            &[
                ("n", served.to_string()),
                ("address", server.local_addr().to_string()),
            ],
        ));
        let shutdown = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        match server.run(shutdown).await {
            Ok(()) => Exit::Ok,
            Err(error) => {
                eprintln!(
                    "{}",
                    crate::lang::error_line("kaohe::cli::io", &error.to_string())
                );
                Exit::Failure
            }
        }
    })
}
