//! The service on a real socket: bound on loopback (port 0), answering over
//! HTTP/1.1, stopping gracefully when told, and reading a large upload as
//! it streams in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use std::io::{Read, Write};

fn config() -> kaohe_server::Config {
    let mut config =
        kaohe_server::Config::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulesets"));
    config.addr = "127.0.0.1:0".parse().unwrap();
    config
}

/// One request over a fresh connection (a blocking client on its own
/// thread); the whole answer as text.
async fn exchange(addr: std::net::SocketAddr, head: &str, body: &[u8]) -> String {
    let (head, body) = (head.to_owned(), body.to_vec());
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before taking the whole body.
        let _ = stream.write_all(&body);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_on_loopback_and_stops_when_told() {
    let server = kaohe_server::Server::bind(config()).await.unwrap();
    let addr = server.local_addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));

    let answer = exchange(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":\"ok\""), "{answer}");

    let facts = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../rulesets/miluo-2026/examples/2026-04.json"),
    )
    .unwrap();
    let head = format!(
        "POST /v1/rulesets/miluo-2026/evaluate?detail=totals HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        facts.len()
    );
    let answer = exchange(addr, &head, &facts).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("{\"format_version\":1,"));

    // A declared length over the limit is refused before the body is read.
    let head = "POST /v1/rulesets/miluo-2026/evaluate HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 999999999999\r\n\r\n";
    let answer = exchange(addr, head, b"{").await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("kaohe::http::body_too_large"));

    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .expect("the server stops when told")
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn a_port_in_use_is_an_error_not_a_panic() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = config();
    config.addr = taken.local_addr().unwrap();
    let e = kaohe_server::Server::bind(config).await.unwrap_err();
    assert!(e.to_string().starts_with("cannot listen on"), "{e}");
    let mut config = self::config();
    config.rulesets = "/nonexistent/rulesets".into();
    let e = kaohe_server::Server::bind(config).await.unwrap_err();
    assert!(
        e.to_string().contains("cannot read the rulesets directory"),
        "{e}"
    );
}
