//! The language of `rulec`'s messages (issue 16 §3): `--lang zh|en`, else
//! `KAOHE_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `zh…` →
//! Chinese), else English. Chosen once in `main`; the message catalog is
//! built once per run (the library itself keeps no state: this is the
//! binary's).

use std::sync::OnceLock;

use kaohe::i18n::{Catalog, Lang};

static LANG: OnceLock<Lang> = OnceLock::new();
static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The language from the flag, else from the environment.
pub fn choose(flag: Option<Lang>) -> Lang {
    flag.or_else(|| from_env(&|name| std::env::var(name).ok()))
        .unwrap_or_default()
}

/// `KAOHE_LANG` (`zh`, `en`, or a locale), then `LC_ALL`, `LC_MESSAGES`, `LANG`;
/// the first set and non-empty decides.
pub fn from_env(var: &dyn Fn(&str) -> Option<String>) -> Option<Lang> {
    ["KAOHE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| var(name).and_then(|v| Lang::from_env_str(&v)))
}

/// Sets the language of this run (first call wins).
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run (English until `set`).
pub fn current() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// The message catalog, built on first use.
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(Catalog::new)
}

/// `rulec`'s own text `id` in the current language.
pub fn text(id: &str, args: &[(&str, String)]) -> String {
    catalog().get(current(), id, args)
}

/// A message, help or label of an error with `code`, in the current language.
pub fn tr(code: &str, english: &str) -> String {
    catalog().text(current(), code, english)
}

/// A text the engine wrote into a result (a limit, a record's note, a
/// consequence's detail, a line or consequence of a diff), in the current
/// language: recognised by the `rulec-engine--…` patterns of `rulec.ftl`.
pub fn engine(english: &str) -> String {
    tr("rulec::engine", english)
}

/// A limit that bound, `cap 10 per period: 11 → 10`, in the current language.
pub fn limit(limit: &kaohe::eval::result::LimitApplied) -> String {
    let shown = limit.to_string();
    match shown.strip_prefix(limit.limit.as_str()) {
        Some(rest) => format!("{}{rest}", engine(&limit.limit)),
        None => shown,
    }
}

/// A limit as the engine writes it whole, `cap 10 per period: 11 → 10` (in
/// a diff's `limits_after`), in the current language.
pub fn limit_text(text: &str) -> String {
    match text.rsplit_once(": ") {
        Some((limit, rest)) => format!("{}: {rest}", engine(limit)),
        None => engine(text),
    }
}

/// `error: <message>` for people, the message (written in English, with
/// `code`) in the current language; English exactly as written.
pub fn error_line(code: &str, english: &str) -> String {
    format!("{}: {}", text("rulec-error", &[]), tr(code, english))
}

/// A ledger error for people, `sheet!CELL: message; help`, in the current language.
pub fn ledger_error(e: &kaohe_office::LedgerError) -> String {
    if current() == Lang::En {
        return e.to_string();
    }
    let message = tr(e.code, &e.message);
    let mut out = match (&e.sheet, &e.cell) {
        (Some(sheet), Some(cell)) => format!("{sheet}!{cell}: {message}"),
        (Some(sheet), None) => format!("{sheet}: {message}"),
        _ => message,
    };
    if let Some(help) = &e.help {
        out.push('；');
        out.push_str(&tr(e.code, help));
    }
    out
}

/// `{"errors": [ … ]}` JSON with every `message` and `help` in the current
/// language (by each error's `code`).
pub fn json_errors(mut json: serde_json::Value) -> serde_json::Value {
    if current() == Lang::En {
        return json;
    }
    if let Some(errors) = json.get_mut("errors").and_then(|e| e.as_array_mut()) {
        for error in errors {
            let code = error["code"].as_str().unwrap_or_default().to_owned();
            for field in ["message", "help"] {
                if let Some(text) = error.get(field).and_then(|t| t.as_str()) {
                    let text = tr(&code, text);
                    error[field] = serde_json::Value::String(text);
                }
            }
        }
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_decides_in_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(from_env(&env(&[("LANG", "zh_CN.UTF-8")])), Some(Lang::Zh));
        assert_eq!(from_env(&env(&[("LANG", "en_US.UTF-8")])), Some(Lang::En));
        assert_eq!(
            from_env(&env(&[("KAOHE_LANG", "en"), ("LANG", "zh_CN.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(
            from_env(&env(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")])),
            Some(Lang::Zh)
        );
        assert_eq!(
            from_env(&env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(from_env(&env(&[])), None);
    }
}
