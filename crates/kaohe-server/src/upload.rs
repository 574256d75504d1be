//! A request body read as it arrives: the evaluation reads the facts from
//! the socket through [`Upload`] (a blocking [`Read`]) while an async task
//! feeds it, so a 200 MB province-year is never held whole as bytes beside
//! the facts made from it (the server's peak memory stays the CLI's,
//! `docs/performance.md`). The size limit is counted on the way.

use std::io::Read;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{header, HeaderMap, StatusCode};
use tokio::sync::mpsc;

use crate::error::{codes, HttpError};

/// The body of a request, read from a blocking thread.
#[derive(Debug)]
pub struct Upload {
    chunks: mpsc::Receiver<Bytes>,
    current: Bytes,
    failure: Arc<Mutex<Option<HttpError>>>,
}

/// 413 `kaohe::http::body_too_large`.
pub fn too_large(limit: usize) -> HttpError {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        codes::BODY_TOO_LARGE,
        format!("the body is larger than the limit of {limit} bytes"),
    )
    .with_help("the limit is set with `rulec serve --max-body BYTES`")
}

impl Upload {
    /// Starts reading `body` on the async runtime (call it from a handler);
    /// at most `limit` bytes, and a declared `Content-Length` over the limit
    /// is refused at once.
    pub fn start(headers: &HeaderMap, body: Body, limit: usize) -> Result<Upload, HttpError> {
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large(limit));
        }
        let (sender, chunks) = mpsc::channel::<Bytes>(16);
        let failure = Arc::new(Mutex::new(None));
        let failed = Arc::clone(&failure);
        tokio::spawn(async move {
            let mut body = body;
            let mut total: usize = 0;
            let fail = |error: HttpError| {
                if let Ok(mut slot) = failed.lock() {
                    *slot = Some(error);
                }
            };
            loop {
                let frame = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
                match frame {
                    None => break,
                    Some(Ok(frame)) => {
                        let Ok(data) = frame.into_data() else {
                            continue;
                        };
                        total = total.saturating_add(data.len());
                        if total > limit {
                            fail(too_large(limit));
                            break;
                        }
                        if sender.send(data).await.is_err() {
                            break; // the reader stopped: nothing more is wanted
                        }
                    }
                    Some(Err(e)) => {
                        fail(HttpError::new(
                            StatusCode::BAD_REQUEST,
                            codes::BAD_BODY,
                            format!("cannot read the body: {e}"),
                        ));
                        break;
                    }
                }
            }
        });
        Ok(Upload {
            chunks,
            current: Bytes::new(),
            failure,
        })
    }

    /// Why the body could not be read whole (over the limit, a broken
    /// connection), if it could not: this, not what the reader made of a
    /// cut-off body, is the answer.
    pub fn failure(&self) -> Option<HttpError> {
        self.failure.lock().ok().and_then(|slot| slot.clone())
    }
}

impl Read for Upload {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(chunk) => self.current = chunk,
                None => {
                    return match self.failure() {
                        Some(e) => Err(std::io::Error::other(e.errors.to_string())),
                        None => Ok(0),
                    }
                }
            }
        }
        let n = buf.len().min(self.current.len());
        let chunk = self.current.split_to(n);
        if let Some(target) = buf.get_mut(..n) {
            target.copy_from_slice(&chunk);
        }
        Ok(n)
    }
}
