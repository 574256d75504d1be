//! The one place where the server takes the text of a diagnostic: the
//! library's record of it (code, message, help, located) and its labels, in
//! the language the server speaks (issue 16 §3): the client's
//! `InitializeParams.locale` (VS Code sends e.g. `zh-cn`), else the language
//! the server was started with (`rulec lsp`: `--lang`, `KAOHE_LANG`, the
//! locale of the environment), else English.

use kaohe::i18n::{Catalog, Lang};
use kaohe::{DiagnosticRecord, RulesetDiagnostic, SourceFile};

/// The language of the messages and the catalog they are taken from.
#[derive(Debug, Default)]
pub struct Speech {
    /// The language.
    pub lang: Lang,
    /// The messages of every language, built once when the server starts.
    pub catalog: Catalog,
}

impl Speech {
    /// Messages in `lang`.
    pub fn new(lang: Lang) -> Speech {
        Speech {
            lang,
            catalog: Catalog::new(),
        }
    }

    /// The language of a client's `InitializeParams.locale` (`zh-cn`,
    /// `zh-CN`, `en` …: a locale starting with `zh` is Chinese, any other
    /// English), else `fallback`.
    pub fn lang_of(locale: Option<&str>, fallback: Lang) -> Lang {
        locale.and_then(Lang::from_env_str).unwrap_or(fallback)
    }

    /// The record of a diagnostic, its message and help in the language.
    pub fn record(&self, diagnostic: &RulesetDiagnostic, source: &SourceFile) -> DiagnosticRecord {
        diagnostic.record_in(source, self.lang, &self.catalog)
    }

    /// What a label of the diagnostic with code `code` says, in the language.
    pub fn label(&self, code: &str, english: &str) -> String {
        self.catalog.text(self.lang, code, english)
    }

    /// The word before a help (`help`, `提示`).
    pub fn help_word(&self) -> String {
        self.catalog.get(self.lang, "rulec-help", &[])
    }
}
