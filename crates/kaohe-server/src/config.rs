//! What `rulec serve` is told: where to listen, which rulesets, the limits.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// The service's configuration (`rulec serve` flags).
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (default `127.0.0.1:8080`: loopback only).
    pub addr: SocketAddr,
    /// The rulesets directory: each `<dir>/<id>/<id>.rules` is served as ruleset `<id>`.
    pub rulesets: PathBuf,
    /// Where sealed periods are kept (`--data`), if anywhere.
    pub data: Option<PathBuf>,
    /// The file whose trimmed content is the token sealing requires (`--token-file`).
    pub token_file: Option<PathBuf>,
    /// Body size, evaluation time, concurrency.
    pub limits: Limits,
}

impl Config {
    /// The defaults, serving the rulesets of `rulesets`.
    pub fn new(rulesets: impl Into<PathBuf>) -> Config {
        Config {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            rulesets: rulesets.into(),
            data: None,
            token_file: None,
            limits: Limits::default(),
        }
    }
}

/// The service's limits; exceeding one is answered with a JSON error
/// (`docs/service.md#limits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, in bytes (default 256 MiB, so a 200 MB
    /// province-year fact file fits); larger → 413 `kaohe::http::body_too_large`.
    pub body_bytes: usize,
    /// The longest an evaluation (waiting for its turn included) may take
    /// (default 60 s); longer → 503 `kaohe::http::timeout`.
    pub evaluation_time: Duration,
    /// How many evaluations run at once (default: the number of cores).
    pub concurrent_evaluations: usize,
    /// How many evaluations may wait for their turn (default 1024); one more
    /// → 503 `kaohe::http::busy`.
    pub queued_evaluations: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: 256 * 1024 * 1024,
            evaluation_time: Duration::from_secs(60),
            concurrent_evaluations: std::thread::available_parallelism().map_or(1, usize::from),
            queued_evaluations: 1024,
        }
    }
}
