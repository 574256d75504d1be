//! `rulec serve` as a process: it prints the address it listens on, answers
//! there, and stops on Ctrl-C (SIGINT) with exit code 0; a directory it
//! cannot read is a usage error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn serve_prints_its_address_answers_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(root())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("kaohe serving 4 ruleset(s) at http://127.0.0.1:"),
        "{line}"
    );
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();

    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(b"GET /v1/rulesets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"id\":\"shaodong-2023\""), "{answer}");

    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "Ctrl-C is a normal stop");
}

#[test]
fn serve_without_its_rulesets_directory_is_a_usage_error() {
    let run = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--rulesets",
            "no/such/dir",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("cannot read the rulesets directory `no/such/dir`"),
        "{stderr}"
    );
    let run = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["serve", "--max-evaluations", "0"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
}

/// A large upload (over 1 MiB, spooled to a temporary file) when the
/// service's `TMPDIR` does not exist: 503 `kaohe::http::temporary_file`
/// naming the directory, with advice — not a 500 calling it a bug — and
/// the service goes on answering.
#[test]
fn a_large_upload_without_a_usable_temporary_directory_names_the_directory() {
    let missing = std::env::temp_dir().join(format!("kaohe-no-such-tmp-{}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_rulec"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(root())
        .env("RUST_LOG", "warn")
        .env("TMPDIR", &missing)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let facts =
        std::fs::read_to_string(root().join("rulesets/miluo-2026/examples/2026-04.json")).unwrap();
    let body = format!("{facts}{}", " ".repeat(2 << 20));
    let post = |query: &str| {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let head = format!(
            "POST /v1/rulesets/miluo-2026/evaluate{query} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let answer = post("");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.contains("\"code\":\"kaohe::http::temporary_file\""),
        "{answer}"
    );
    assert!(
        answer.contains(&format!(
            "cannot write the upload to a temporary file in `{}`",
            missing.display()
        )),
        "{answer}"
    );
    assert!(answer.contains("set `TMPDIR`"), "{answer}");
    assert!(!answer.contains("bug"), "{answer}");
    let answer = post("?lang=zh");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.contains(&format!(
            "无法把上传内容写入 `{}` 中的临时文件",
            missing.display()
        )),
        "{answer}"
    );
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
