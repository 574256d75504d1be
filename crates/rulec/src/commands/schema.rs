//! `rulec schema RULESET`: print the JSON Schema of the facts a ruleset accepts.

use std::path::PathBuf;

use crate::commands::eval::load_ruleset;
use crate::exit::Exit;

/// Arguments of `rulec schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ruleset file.
    ruleset: PathBuf,
}

/// Runs `rulec schema`.
pub fn run(args: &Args) -> Exit {
    match load_ruleset(&args.ruleset) {
        Ok(ruleset) => {
            let mut schema = kaohe::schema::facts_schema(&ruleset);
            if crate::lang::current() != kaohe::i18n::Lang::En {
                describe_in_lang(&mut schema);
            }
            crate::output::println(&serde_json::to_string_pretty(&schema).unwrap_or_default());
            Exit::Ok
        }
        Err(exit) => exit,
    }
}

/// The schema's own descriptions (`a month, YYYY-MM`) in the language of
/// the run; the ruleset's labels are kept as written.
fn describe_in_lang(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    serde_json::Value::String(text) if key == "description" => {
                        *text = crate::lang::engine(text);
                    }
                    _ => describe_in_lang(value),
                }
            }
        }
        serde_json::Value::Array(list) => list.iter_mut().for_each(describe_in_lang),
        _ => {}
    }
}
