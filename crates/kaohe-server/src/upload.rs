//! A request body as an evaluation reads it ([`Received`]): a small one
//! (a county-month, up to [`WHOLE_BYTES`]) received whole and read in
//! place; a larger one read as it arrives through [`Upload`] (a blocking
//! [`Read`] an async task feeds), which the evaluation copies to an unnamed
//! temporary file and reads from there in chunks
//! (`crate::evaluate::read_facts_from`), so a 200 MB province-year is never
//! held whole as bytes beside the facts made from it (the server's peak
//! memory stays the CLI's, `docs/performance.md`). The size limit is
//! counted on the way.

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

/// Bodies up to this size (1 MiB) are received whole before they are read
/// ([`Received::Whole`]): a county-month's fact file or ledger is read in
/// place then, without a task, a channel and a thread feeding it. Larger
/// ones stream ([`Received::Streaming`]), so that a province-year is never
/// held whole. At most this much per request is held while it waits for
/// its turn.
pub const WHOLE_BYTES: usize = 1 << 20;

/// A request body as an evaluation reads it.
#[derive(Debug)]
pub enum Received {
    /// Received whole (at most [`WHOLE_BYTES`]).
    Whole(Bytes),
    /// Larger: what came first and the rest as it arrives.
    Streaming(Upload),
}

/// The declared `Content-Length`, if any.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// 400 `kaohe::http::bad_body`: the connection failed while the body came.
fn unreadable(e: &axum::Error) -> HttpError {
    HttpError::new(
        StatusCode::BAD_REQUEST,
        codes::BAD_BODY,
        format!("cannot read the body: {e}"),
    )
}

impl Received {
    /// Receives `body` (call it from a handler): whole when it is at most
    /// [`WHOLE_BYTES`], else streaming from the first part on. At most
    /// `limit` bytes: a declared `Content-Length` over the limit is refused
    /// at once (413), as is a body that turns out larger.
    pub async fn receive(
        headers: &HeaderMap,
        body: Body,
        limit: usize,
    ) -> Result<Received, HttpError> {
        let declared = declared_length(headers);
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large(limit));
        }
        if declared.is_some_and(|n| n > WHOLE_BYTES as u64) {
            return Ok(Received::Streaming(Upload::feed(Vec::new(), body, limit)));
        }
        let mut body = body;
        let mut chunks: Vec<Bytes> = Vec::new();
        let mut total: usize = 0;
        loop {
            match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
                None => break,
                Some(Ok(frame)) => {
                    let Ok(data) = frame.into_data() else {
                        continue;
                    };
                    total = total.saturating_add(data.len());
                    if total > limit {
                        return Err(too_large(limit));
                    }
                    chunks.push(data);
                    if total > WHOLE_BYTES {
                        return Ok(Received::Streaming(Upload::feed(chunks, body, limit)));
                    }
                }
                Some(Err(e)) => return Err(unreadable(&e)),
            }
        }
        Ok(Received::Whole(match chunks.len() {
            0 => Bytes::new(),
            1 => chunks.pop().unwrap_or_default(),
            _ => {
                let mut whole = Vec::with_capacity(total);
                for chunk in &chunks {
                    whole.extend_from_slice(chunk);
                }
                Bytes::from(whole)
            }
        }))
    }
}

impl Upload {
    /// Starts reading `body` on the async runtime (call it from a handler);
    /// at most `limit` bytes, and a declared `Content-Length` over the limit
    /// is refused at once.
    pub fn start(headers: &HeaderMap, body: Body, limit: usize) -> Result<Upload, HttpError> {
        if declared_length(headers).is_some_and(|n| n > limit as u64) {
            return Err(too_large(limit));
        }
        Ok(Upload::feed(Vec::new(), body, limit))
    }

    /// The reader of `first` (what was received already) and then of the
    /// rest of `body`, which a task feeds in as it arrives.
    fn feed(first: Vec<Bytes>, body: Body, limit: usize) -> Upload {
        let (sender, chunks) = mpsc::channel::<Bytes>(16);
        let failure = Arc::new(Mutex::new(None));
        let failed = Arc::clone(&failure);
        tokio::spawn(async move {
            let mut body = body;
            let mut total: usize = first.iter().map(Bytes::len).sum();
            let fail = |error: HttpError| {
                if let Ok(mut slot) = failed.lock() {
                    *slot = Some(error);
                }
            };
            for chunk in first {
                if sender.send(chunk).await.is_err() {
                    return; // the reader stopped: nothing more is wanted
                }
            }
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
                        fail(unreadable(&e));
                        break;
                    }
                }
            }
        });
        Upload {
            chunks,
            current: Bytes::new(),
            failure,
        }
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
