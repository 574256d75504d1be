//! What the service answers from: the rulesets loaded at start, the limits,
//! the evaluation slots and the sealing token.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::StatusCode;
use kaohe::api::{ApiError, ApiErrors, Compiled};
use kaohe::i18n::Catalog;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::{Config, Limits};
use crate::error::{codes, HttpError};
use crate::ServeError;

/// The state every handler shares. A struct, so that the `seal` and `page`
/// modules can add what they need (a store, assets) without touching the
/// handlers that do not use it.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The rulesets found at start, by id (those with errors too).
    pub rulesets: Arc<Rulesets>,
    /// The limits.
    pub limits: Limits,
    /// One permit per evaluation that may run at once.
    pub evaluations: Arc<Semaphore>,
    /// How many evaluations wait for a permit.
    waiting: Arc<AtomicUsize>,
    /// The token sealing requires (`--token-file`), if any.
    pub token: Option<Token>,
    /// Where sealed periods are kept (`--data`), if anywhere.
    pub data: Option<PathBuf>,
    /// The messages in every language, built once at start (issue 16 §3).
    pub catalog: Arc<Catalog>,
}

impl AppState {
    /// A state serving `rulesets` within `limits`, no token, no data directory.
    pub fn new(rulesets: Rulesets, limits: Limits) -> AppState {
        AppState {
            rulesets: Arc::new(rulesets),
            evaluations: Arc::new(Semaphore::new(limits.concurrent_evaluations.max(1))),
            waiting: Arc::new(AtomicUsize::new(0)),
            limits,
            token: None,
            data: None,
            catalog: Arc::new(Catalog::new()),
        }
    }

    /// Loads everything `config` names: the rulesets (compiled), the token.
    pub fn load(config: &Config) -> Result<AppState, ServeError> {
        let rulesets = Rulesets::load(&config.rulesets).map_err(|source| ServeError::Rulesets {
            path: config.rulesets.display().to_string(),
            source,
        })?;
        let mut state = AppState::new(rulesets, config.limits);
        if let Some(path) = &config.token_file {
            state.token = Some(Token::read(path)?);
        }
        state.data.clone_from(&config.data);
        Ok(state)
    }

    /// The served ruleset `id`: 404 `kaohe::http::unknown_ruleset` when no
    /// ruleset has this id, 409 `kaohe::http::ruleset_not_served` (with the
    /// ruleset's own errors) when it has errors. Ids are only ever looked up
    /// among those loaded at start, never used as a path.
    pub fn ruleset(&self, id: &str) -> Result<Arc<Compiled>, HttpError> {
        let loaded = self.rulesets.get(id).ok_or_else(|| {
            let known: Vec<String> = self.rulesets.ids().map(|i| format!("`{i}`")).collect();
            HttpError::new(
                StatusCode::NOT_FOUND,
                codes::UNKNOWN_RULESET,
                format!("no ruleset `{}` is served", escape(id)),
            )
            .with_help(if known.is_empty() {
                "no ruleset is served: see GET /v1/rulesets".to_owned()
            } else {
                format!("the rulesets served are {}", known.join(", "))
            })
        })?;
        match &loaded.compiled {
            Ok(compiled) => Ok(Arc::clone(compiled)),
            Err(errors) => {
                let mut all = vec![ApiError::new(
                    codes::RULESET_NOT_SERVED,
                    format!("ruleset `{id}` has errors, so it is not served"),
                )
                .with_help("correct the ruleset file and restart the service")];
                all.extend(errors.errors.iter().cloned());
                Err(HttpError {
                    status: StatusCode::CONFLICT,
                    errors: ApiErrors::new(all),
                })
            }
        }
    }

    /// Waits for an evaluation slot: at once if one is free, else in the
    /// queue; 503 `kaohe::http::busy` when the queue is full too. The
    /// evaluation runs while the permit is held.
    pub async fn evaluation_slot(&self) -> Result<OwnedSemaphorePermit, HttpError> {
        if let Ok(permit) = Arc::clone(&self.evaluations).try_acquire_owned() {
            return Ok(permit);
        }
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _guard = Waiting(Arc::clone(&self.waiting));
        if queued >= self.limits.queued_evaluations {
            return Err(busy(&self.limits));
        }
        Arc::clone(&self.evaluations)
            .acquire_owned()
            .await
            .map_err(|_| busy(&self.limits))
    }
}

/// Leaves the queue when dropped (also when the waiting request is cancelled).
struct Waiting(Arc<AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn busy(limits: &Limits) -> HttpError {
    HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        codes::BUSY,
        format!(
            "the service is busy: {} evaluation(s) running and {} waiting",
            limits.concurrent_evaluations, limits.queued_evaluations
        ),
    )
    .with_help("try again shortly")
}

/// An id as shown in a message: control characters escaped, at most 64 characters.
pub(crate) fn escape(id: &str) -> String {
    let mut out: String = id.chars().take(64).flat_map(char::escape_debug).collect();
    if id.chars().count() > 64 {
        out.push('…');
    }
    out
}

/// One ruleset found in the rulesets directory.
#[derive(Debug, Clone)]
pub struct LoadedRuleset {
    /// The id: the name of its directory.
    pub id: String,
    /// The `.rules` file it was read from.
    pub file: PathBuf,
    /// The compiled ruleset, or every diagnostic that keeps it from being served.
    pub compiled: Result<Arc<Compiled>, ApiErrors>,
}

/// The rulesets found at start, by id.
#[derive(Debug, Clone, Default)]
pub struct Rulesets {
    by_id: BTreeMap<String, LoadedRuleset>,
}

impl Rulesets {
    /// Reads every `<dir>/<id>/<id>.rules` and compiles it; a directory
    /// without such a file is not a ruleset and is skipped, as is one whose
    /// name is not a plain id (letters, digits, `-`, `_`, `.`, not first).
    /// A file that cannot be read or checked is kept with its errors.
    pub fn load(dir: &Path) -> std::io::Result<Rulesets> {
        let mut rulesets = Rulesets::default();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let Some(id) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !plain_id(&id) || !entry.file_type()?.is_dir() {
                continue;
            }
            let file = entry.path().join(format!("{id}.rules"));
            if !file.is_file() {
                continue;
            }
            let name = format!("{id}.rules");
            let compiled = match std::fs::read(&file) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => kaohe::api::compile(&name, &text).map(Arc::new),
                    Err(_) => Err(ApiErrors::one(
                        ApiError::new("kaohe::cli::not_utf8", "the ruleset file is not UTF-8")
                            .with_help("save it as UTF-8"),
                    )),
                },
                Err(e) => Err(ApiErrors::one(ApiError::new(
                    "kaohe::cli::io",
                    format!("cannot read `{}`: {e}", file.display()),
                ))),
            };
            rulesets.insert(LoadedRuleset { id, file, compiled });
        }
        Ok(rulesets)
    }

    /// Adds (or replaces) a ruleset.
    pub fn insert(&mut self, ruleset: LoadedRuleset) {
        self.by_id.insert(ruleset.id.clone(), ruleset);
    }

    /// The ruleset with this id (exactly; nothing else is looked at).
    pub fn get(&self, id: &str) -> Option<&LoadedRuleset> {
        self.by_id.get(id)
    }

    /// The ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// Every ruleset, sorted by id.
    pub fn iter(&self) -> impl Iterator<Item = &LoadedRuleset> {
        self.by_id.values()
    }
}

/// Whether a directory name can be a ruleset id.
fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The token sealing requires: the trimmed content of `--token-file`,
/// compared in constant time. Its `Debug` shows no content.
#[derive(Clone)]
pub struct Token(Arc<str>);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    /// A token with this value (trimmed); `None` when it is empty.
    pub fn new(value: &str) -> Option<Token> {
        let value = value.trim();
        (!value.is_empty()).then(|| Token(Arc::from(value)))
    }

    /// Reads the token file.
    pub fn read(path: &Path) -> Result<Token, ServeError> {
        let text = std::fs::read_to_string(path).map_err(|e| ServeError::Token {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Token::new(&text).ok_or_else(|| ServeError::Token {
            path: path.display().to_string(),
            reason: "the file is empty".to_owned(),
        })
    }

    /// Whether `given` is the token, compared in constant time (for tokens
    /// of the same length; the length itself is not secret).
    pub fn matches(&self, given: &str) -> bool {
        constant_time_eq::constant_time_eq(self.0.as_bytes(), given.trim().as_bytes())
    }
}
