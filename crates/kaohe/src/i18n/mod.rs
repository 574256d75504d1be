//! Messages in Chinese as well as English (issue 16 §3), with
//! [Project Fluent](https://projectfluent.org) (`fluent-bundle`).
//!
//! Every user-facing message exists in `en` and `zh-CN`, in the `.ftl` files
//! under `crates/kaohe/locales/{en,zh-CN}/`, embedded in the library with
//! `include_str!`. The **message id** of an error code is the code with `::`
//! replaced by `-` (`kaohe::unknown_name` → `kaohe-unknown_name`); further
//! forms of the same code's message, its labels and its help are attributes
//! (`.help`, `.label`, …) or messages `<id>--<name>`. Text of `rulec` itself
//! (table headers, case results, command messages) has ids `rulec-…`; pieces
//! that appear inside several messages (type names, "did you mean") have ids
//! `common-…`.
//!
//! **How a message is translated.** The English messages are built by the
//! code as today (the English output does not change). The English `.ftl`
//! files hold the same messages as patterns (`unknown { $kind } `{ $name }`…`);
//! [`Catalog::text`] finds the English pattern of the error's code that the
//! message matches, takes the arguments from it (the error's fields, as the
//! English message shows them), translates those that are themselves known
//! pieces (`record kind` → `记录类型`), and formats the `zh-CN` message of the
//! same id with them. Error types whose message is made at the place the error
//! is found (fact files, the ledger) need no change there; a message no pattern
//! matches is kept in English, never dropped (the tests make sure every message
//! of the test corpora has its pattern).
//!
//! **No global state.** A [`Catalog`] is built by [`Catalog::new`] (it parses
//! the embedded files: a few milliseconds in a debug build) and owned by the caller; build one
//! per operation or keep one. Codes, locations and the JSON shape are the same
//! in both languages: only `message`, `help` (and a report's labels) change.
//!
//! ```
//! use kaohe::i18n::{Catalog, Lang};
//!
//! let catalog = Catalog::new();
//! assert_eq!(
//!     catalog.text(Lang::Zh, "kaohe::unknown_name", "unknown record kind `reprot`"),
//!     "未声明的记录类型 `reprot`"
//! );
//! // English is returned as given.
//! assert_eq!(catalog.text(Lang::En, "kaohe::unknown_name", "unknown x"), "unknown x");
//! assert_eq!(Lang::from_env_str("zh_CN.UTF-8"), Some(Lang::Zh));
//! ```

mod template;

use std::fmt;
use std::str::FromStr;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

use template::Template;

/// A language of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// English (`en`), the default: the messages as the code writes them.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese as used in mainland China (`zh-CN`).
    #[serde(rename = "zh")]
    Zh,
}

impl Lang {
    /// The language a locale setting names: `zh_CN.UTF-8`, `zh`, `zh-CN`,
    /// `zh_TW` → Chinese; `en_US.UTF-8`, `C`, `POSIX`, or any other non-empty
    /// value → English; an empty value → `None` (look further: `LC_ALL` empty
    /// means "not set").
    pub fn from_env_str(value: &str) -> Option<Lang> {
        let value = value.trim();
        if value.is_empty() {
            None
        } else if value.to_ascii_lowercase().starts_with("zh") {
            Some(Lang::Zh)
        } else {
            Some(Lang::En)
        }
    }

    /// The short tag: `en` or `zh` (what `--lang` and the JSON option take).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The BCP 47 tag of its `.ftl` folder: `en` or `zh-CN`.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language tag that is neither `en` nor `zh`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`: expected `zh` or `en`")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    /// `en`, `zh` (also `zh-CN`, `zh_CN`, `en-US`, any case).
    fn from_str(s: &str) -> Result<Lang, UnknownLang> {
        let lower = s.trim().to_ascii_lowercase().replace('_', "-");
        match lower.as_str() {
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "zh-hans-cn" => Ok(Lang::Zh),
            _ => Err(UnknownLang(s.to_owned())),
        }
    }
}

/// The `.ftl` files of one language: (file name, text).
pub fn resources(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => EN,
        Lang::Zh => ZH,
    }
}

const EN: &[(&str, &str)] = &[
    (
        "diagnostics.ftl",
        include_str!("../../locales/en/diagnostics.ftl"),
    ),
    ("facts.ftl", include_str!("../../locales/en/facts.ftl")),
    ("errors.ftl", include_str!("../../locales/en/errors.ftl")),
    ("common.ftl", include_str!("../../locales/en/common.ftl")),
    ("rulec.ftl", include_str!("../../locales/en/rulec.ftl")),
];

const ZH: &[(&str, &str)] = &[
    (
        "diagnostics.ftl",
        include_str!("../../locales/zh-CN/diagnostics.ftl"),
    ),
    ("facts.ftl", include_str!("../../locales/zh-CN/facts.ftl")),
    ("errors.ftl", include_str!("../../locales/zh-CN/errors.ftl")),
    ("common.ftl", include_str!("../../locales/zh-CN/common.ftl")),
    ("rulec.ftl", include_str!("../../locales/zh-CN/rulec.ftl")),
];

/// The message id of an error code: `kaohe::facts::not_json` → `kaohe-facts-not_json`.
pub fn message_id(code: &str) -> String {
    code.replace("::", "-")
}

/// The messages of both languages, ready to format (`Send + Sync`: a server
/// may share one between threads). Owned by its caller; see the
/// [module documentation](self).
pub struct Catalog {
    en: FluentBundle<FluentResource>,
    zh: FluentBundle<FluentResource>,
    /// The English patterns, to recognise an English message by.
    templates: Vec<Template>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog")
            .field("templates", &self.templates.len())
            .finish_non_exhaustive()
    }
}

impl Default for Catalog {
    fn default() -> Catalog {
        Catalog::new()
    }
}

/// How deep translated arguments may nest (an argument that is itself a
/// known piece with arguments of its own).
const MAX_DEPTH: usize = 3;

impl Catalog {
    /// Parses the embedded `.ftl` files of both languages. A file that does not
    /// parse contributes the messages that do (a test makes sure every file parses).
    pub fn new() -> Catalog {
        let mut templates = Vec::new();
        for (_, text) in EN {
            templates.extend(template::templates(text));
        }
        // The most specific pattern first: most literal text, then file order.
        templates.sort_by_key(|t| std::cmp::Reverse(t.literal_len()));
        Catalog {
            en: bundle(Lang::En),
            zh: bundle(Lang::Zh),
            templates,
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The message `id` (or its attribute `attribute`) in `lang`, formatted
    /// with `args`; `None` when `lang` has no such message.
    pub fn format(
        &self,
        lang: Lang,
        id: &str,
        attribute: Option<&str>,
        args: &[(&str, String)],
    ) -> Option<String> {
        let bundle = self.bundle(lang);
        let message = bundle.get_message(id)?;
        let pattern = match attribute {
            Some(name) => message.get_attribute(name)?.value(),
            None => message.value()?,
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.clone()));
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if errors.is_empty() {
            Some(text.into_owned())
        } else {
            None
        }
    }

    /// The message `id` in `lang` (falling back to English, then to the id
    /// itself), formatted with `args`. For `rulec`'s own text.
    pub fn get(&self, lang: Lang, id: &str, args: &[(&str, String)]) -> String {
        self.format(lang, id, None, args)
            .or_else(|| self.format(Lang::En, id, None, args))
            .unwrap_or_else(|| id.to_owned())
    }

    /// The text `english` (a message, help or label of an error with code
    /// `code`) in `lang`: recognised by the English patterns of the code (and
    /// the common pieces), formatted in `lang` with the same arguments. For
    /// [`Lang::En`], or when no pattern matches, `english` itself.
    pub fn text(&self, lang: Lang, code: &str, english: &str) -> String {
        if lang == Lang::En || english.is_empty() {
            return english.to_owned();
        }
        self.reformat(lang, code, english)
            .unwrap_or_else(|| english.to_owned())
    }

    /// `english` recognised by a pattern of `code` (or of its area, or a
    /// common piece) and formatted in `lang` from the same arguments; `None`
    /// when no pattern matches. With [`Lang::En`] this gives the English
    /// back through the English `.ftl` files (what the tests use to show
    /// that those files say exactly what the code writes).
    pub fn reformat(&self, lang: Lang, code: &str, english: &str) -> Option<String> {
        let id = message_id(code);
        self.translate(lang, Some(&id), english, 0).or_else(|| {
            // Fact-file and ledger messages: any pattern of the area; a
            // ledger error may carry a fact-file message (`invalid_fact`).
            let area = area(&id)?;
            self.translate(lang, Some(area), english, 0).or_else(|| {
                (area == "kaohe-ledger-")
                    .then(|| self.translate(lang, Some("kaohe-facts-"), english, 0))
                    .flatten()
            })
        })
    }

    /// Whether `english` is recognised by a pattern of `code` or a common piece.
    pub fn recognises(&self, code: &str, english: &str) -> bool {
        self.text(Lang::Zh, code, english) != english
    }

    fn translate(
        &self,
        lang: Lang,
        id: Option<&str>,
        english: &str,
        depth: usize,
    ) -> Option<String> {
        for template in &self.templates {
            let belongs = template.is_common() || id.is_some_and(|id| template.belongs_to(id));
            if !belongs {
                continue;
            }
            let Some(captures) = template.matches_quoted(english) else {
                continue;
            };
            // An argument between backticks is user input: kept as written.
            let args: Vec<(&str, String)> = captures
                .into_iter()
                .map(|(name, value, quoted)| match quoted {
                    true => (name, value.to_owned()),
                    false => (name, self.argument(lang, id, value, depth)),
                })
                .collect();
            if let Some(text) = self.format(lang, template.id(), template.attribute(), &args) {
                return Some(text);
            }
        }
        None
    }

    /// An argument in `lang`: a known piece (of the same code, or common)
    /// translated whole, else the text between backticks translated where known.
    fn argument(&self, lang: Lang, id: Option<&str>, value: &str, depth: usize) -> String {
        if depth >= MAX_DEPTH || value.trim().is_empty() {
            return value.to_owned();
        }
        let trimmed = value.trim();
        if let Some(text) = self.translate(lang, id, trimmed, depth + 1) {
            // Chinese needs no space before a translated piece.
            return match lang {
                Lang::En => format!(
                    "{}{text}",
                    value
                        .get(..value.len() - value.trim_start().len())
                        .unwrap_or("")
                ),
                Lang::Zh => text,
            };
        }
        // A list whose every item is a known piece: `a, b, c`.
        if trimmed.contains(", ") {
            let items: Option<Vec<String>> = trimmed
                .split(", ")
                .map(|item| self.translate(lang, id, item, depth + 1))
                .collect();
            if let Some(items) = items {
                return items.join(match lang {
                    Lang::En => ", ",
                    Lang::Zh => "，",
                });
            }
        }
        // Translate the text outside backticks piece by piece.
        let mut out = String::new();
        for (i, part) in value.split('`').enumerate() {
            if i > 0 {
                out.push('`');
            }
            if i % 2 == 1 || part.trim().is_empty() {
                out.push_str(part);
                continue;
            }
            let inner = part.trim();
            match self.translate(lang, id, inner, depth + 1) {
                Some(text) => {
                    let start = part.len() - part.trim_start().len();
                    let end = part.trim_end().len();
                    out.push_str(part.get(..start).unwrap_or(""));
                    out.push_str(&text);
                    out.push_str(part.get(end..).unwrap_or(""));
                }
                None => out.push_str(part),
            }
        }
        out
    }

    /// Every message id (with `.attribute` for attributes) of one `.ftl` text.
    pub fn ids_of(text: &str) -> Vec<String> {
        template::ids(text)
    }

    /// Every message id (with `.attribute` for attributes) of `lang`'s files.
    pub fn ids(lang: Lang) -> Vec<String> {
        let mut ids = Vec::new();
        for (_, text) in resources(lang) {
            ids.extend(template::ids(text));
        }
        ids
    }
}

/// `kaohe-facts-` of `kaohe-facts-not_json`: the area whose patterns any of
/// its errors may match (`None` for ruleset codes, `kaohe-<name>`).
fn area(id: &str) -> Option<&str> {
    let rest = id.strip_prefix("kaohe-")?;
    let dash = rest.find('-')?;
    id.get(..6 + dash + 1)
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let locale = lang
        .locale()
        .parse::<unic_langid::LanguageIdentifier>()
        .unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // Unicode isolation marks around arguments would end up in terminals and JSON.
    bundle.set_use_isolating(false);
    for (_, text) in resources(lang) {
        let resource = match FluentResource::try_new((*text).to_owned()) {
            Ok(resource) => resource,
            Err((resource, _)) => resource,
        };
        // A repeated id keeps the first; the tests refuse repeats.
        let _ = bundle.add_resource(resource);
    }
    bundle
}
