//! `rulec`'s help, usage and argument errors in the language of the run
//! (issue 16 §3): the language is known before the arguments are parsed
//! ([`lang_before_parsing`]: `--lang`, else `KAOHE_LANG`, else the locale),
//! and in Chinese every about and help text of the command tree, clap's own
//! headings (用法、命令、参数、选项), the built-in `--help`/`--version`/`help`
//! texts, possible and default values and clap's errors come from the
//! catalogue (`rulec-cli-…` and `rulec-clap-…` in `rulec.ftl`). English is
//! clap's output as the doc comments write it, unchanged.
//!
//! Message ids: `rulec-cli-about` (the program), `rulec-cli-<command>` (a
//! subcommand's about), `rulec-cli-<command>-<argument id>` (an argument's
//! help), `rulec-cli-lang`, `rulec-cli-help-flag`, `rulec-cli-version` (the
//! arguments every command has). A test walks the command tree and fails
//! when one is missing in either language.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};
use kaohe::i18n::Lang;

use crate::lang::text;

/// The language of the run from the raw arguments (`--lang zh`,
/// `--lang=zh`, before a `--`), else from the environment: what the help
/// and clap's errors are written in. A `--lang` clap would refuse is
/// ignored here (clap reports it).
pub fn lang_before_parsing(args: &[OsString]) -> Lang {
    let mut flag = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        let value = if arg == "--lang" {
            iter.next().map(|v| v.into_owned())
        } else {
            arg.strip_prefix("--lang=").map(str::to_owned)
        };
        if let Some(lang) = value.and_then(|v| v.parse::<Lang>().ok()) {
            flag = Some(lang);
        }
    }
    crate::lang::choose(flag)
}

/// The command tree with its texts in `lang` (unchanged for English).
pub fn localise(mut command: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return command;
    }
    // Build first, so that the generated `--help`, `--version` and `help`
    // exist and the global `--lang` is copied into every subcommand.
    command.build();
    localise_command(command, true)
}

/// The message id of a command's about.
pub fn about_id(command: &str, top: bool) -> String {
    if top {
        "rulec-cli-about".to_owned()
    } else {
        format!("rulec-cli-{command}")
    }
}

/// The message id of an argument's help in `command`.
pub fn arg_id(command: &str, arg: &str) -> String {
    match arg {
        "lang" => "rulec-cli-lang".to_owned(),
        "help" => "rulec-cli-help-flag".to_owned(),
        "version" => "rulec-cli-version".to_owned(),
        _ => format!("rulec-cli-{command}-{arg}"),
    }
}

fn localise_command(command: Command, top: bool) -> Command {
    let name = command.get_name().to_owned();
    let about = text(&about_id(&name, top), &[]);
    let has_positionals = command
        .get_arguments()
        .any(|a| a.is_positional() && !a.is_hide_set());
    let has_options = command
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set());
    let has_subcommands = command.get_subcommands().any(|s| !s.is_hide_set());
    let mut usage = command.clone().render_usage().to_string();
    if let Some(rest) = usage.strip_prefix("Usage: ") {
        usage = rest.to_owned();
    }
    let usage = usage
        .replace(
            "[OPTIONS]",
            &format!("[{}]", text("rulec-clap-options-placeholder", &[])),
        )
        .replace(
            "<COMMAND>",
            &format!("<{}>", text("rulec-clap-command-placeholder", &[])),
        );
    let mut template = String::from("{before-help}{about-with-newline}\n");
    template.push_str(&format!("{}{{usage}}", usage_heading()));
    for (present, heading, tag) in [
        (has_subcommands, "rulec-clap-commands", "{subcommands}"),
        (has_positionals, "rulec-clap-arguments", "{positionals}"),
        (has_options, "rulec-clap-options", "{options}"),
    ] {
        if present {
            template.push_str(&format!("\n\n{}\n{tag}", text(heading, &[])));
        }
    }
    template.push_str("{after-help}");
    let command = match command.get_long_about() {
        Some(_) => command.long_about(about.clone()),
        None => command,
    };
    command
        .about(about)
        .override_usage(usage)
        .help_template(template)
        .mut_args(|arg| localise_arg(arg, &name))
        .mut_subcommands(|sub| localise_command(sub, false))
}

fn localise_arg(arg: Arg, command: &str) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let mut help = if command == "help" && id == "subcommand" {
        text("rulec-cli-help-subcommand", &[])
    } else {
        text(&arg_id(command, &id), &[])
    };
    let takes_values = arg.get_action().takes_values();
    let mut arg = arg;
    if takes_values {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_owned())
            .collect();
        if !values.is_empty() {
            help.push_str(&text(
                "rulec-clap-possible-values",
                &[("values", values.join("、"))],
            ));
            arg = arg.hide_possible_values(true);
        }
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() && !arg.is_hide_default_value_set() {
            help.push_str(&text(
                "rulec-clap-default",
                &[("value", defaults.join("、"))],
            ));
            arg = arg.hide_default_value(true);
        }
    }
    let long = if id == "help" && arg.get_long_help().is_some() {
        Some((
            text("rulec-cli-help-flag-short", &[]),
            text("rulec-cli-help-flag-long", &[]),
        ))
    } else {
        None
    };
    match long {
        Some((short, long)) => arg.help(short).long_help(long),
        // A long help only where there was one: clap lays `--help` out
        // differently when any argument has one.
        None if arg.get_long_help().is_some() => arg.help(help.clone()).long_help(help),
        None => arg.help(help),
    }
}

/// `Usage: ` (a space after a half-width colon, none after `：`).
fn usage_heading() -> String {
    let heading = text("rulec-clap-usage", &[]);
    if heading.ends_with('：') {
        heading
    } else {
        format!("{heading} ")
    }
}

/// A clap error as printed in `lang`: clap's own rendering in English (or
/// for help and version output, which are not errors); in Chinese, the
/// message from the catalogue by the error's kind and context, the tip,
/// the (already localised) usage, and where to read more.
pub fn render_error(error: &clap::Error, lang: Lang) -> String {
    let rendered = error.render().to_string();
    if lang == Lang::En
        || matches!(
            error.kind(),
            ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        return if rendered.ends_with('\n') {
            rendered
        } else {
            rendered + "\n"
        };
    }
    let context = |kind: ContextKind| -> Option<String> {
        error.get(kind).map(|value| match value {
            ContextValue::String(s) => format!("'{s}'"),
            ContextValue::Strings(list) => list
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join("、"),
            ContextValue::StyledStr(s) => format!("'{s}'"),
            ContextValue::StyledStrs(list) => list
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join("、"),
            ContextValue::Number(n) => n.to_string(),
            other => other.to_string(),
        })
    };
    let arg = context(ContextKind::InvalidArg).unwrap_or_default();
    let value = context(ContextKind::InvalidValue).unwrap_or_default();
    let message = match error.kind() {
        ErrorKind::UnknownArgument => text("rulec-clap-unknown-argument", &[("arg", arg)]),
        ErrorKind::InvalidSubcommand => text(
            "rulec-clap-unknown-subcommand",
            &[(
                "command",
                context(ContextKind::InvalidSubcommand).unwrap_or_default(),
            )],
        ),
        ErrorKind::InvalidValue if value == "''" => {
            text("rulec-clap-missing-value", &[("arg", arg)])
        }
        ErrorKind::InvalidValue => text(
            "rulec-clap-invalid-value",
            &[("arg", arg), ("value", value)],
        ),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(|e| crate::lang::engine(&e.to_string()))
                .unwrap_or_default();
            text(
                "rulec-clap-invalid-value-because",
                &[("arg", arg), ("value", value), ("reason", reason)],
            )
        }
        ErrorKind::MissingRequiredArgument => text("rulec-clap-missing-argument", &[("args", arg)]),
        ErrorKind::MissingSubcommand => text("rulec-clap-missing-subcommand", &[]),
        ErrorKind::ArgumentConflict => text(
            "rulec-clap-conflict",
            &[
                ("arg", arg),
                ("other", context(ContextKind::PriorArg).unwrap_or_default()),
            ],
        ),
        ErrorKind::NoEquals => text("rulec-clap-no-equals", &[("arg", arg)]),
        ErrorKind::TooManyValues => text(
            "rulec-clap-too-many-values",
            &[("arg", arg), ("value", value)],
        ),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            text("rulec-clap-wrong-number-of-values", &[("arg", arg)])
        }
        ErrorKind::InvalidUtf8 => text("rulec-clap-invalid-utf8", &[]),
        _ => text("rulec-clap-other", &[]),
    };
    let mut out = format!("{}: {message}\n", text("rulec-error", &[]));
    let tips: Vec<(ContextKind, &str)> = vec![
        (ContextKind::SuggestedArg, "rulec-clap-similar-argument"),
        (
            ContextKind::SuggestedSubcommand,
            "rulec-clap-similar-subcommand",
        ),
        (ContextKind::SuggestedValue, "rulec-clap-similar-value"),
        (ContextKind::ValidValue, "rulec-clap-valid-values"),
    ];
    let mut tipped = false;
    for (kind, id) in tips {
        if let Some(found) = context(kind) {
            if !tipped {
                out.push('\n');
                tipped = true;
            }
            out.push_str(&format!("  {}\n", text(id, &[("values", found)])));
        }
    }
    if let Some(usage) = rendered
        .lines()
        .find_map(|line| line.strip_prefix("Usage: "))
    {
        out.push_str(&format!("\n{}{usage}\n", usage_heading()));
    }
    out.push_str(&format!("\n{}\n", text("rulec-clap-more", &[])));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use clap::CommandFactory;

    /// Every about and argument help of the command tree has its message in
    /// both languages (a new subcommand or flag without one fails here).
    #[test]
    fn every_command_and_argument_has_a_message_in_both_languages() {
        let mut command = crate::Cli::command();
        command.build();
        let mut missing = Vec::new();
        let mut ids = vec![about_id("rulec", true)];
        for arg in command.get_arguments() {
            ids.push(arg_id("rulec", arg.get_id().as_str()));
        }
        for sub in command.get_subcommands() {
            let name = sub.get_name();
            if name == "help" {
                continue;
            }
            ids.push(about_id(name, false));
            for arg in sub.get_arguments() {
                ids.push(arg_id(name, arg.get_id().as_str()));
            }
        }
        ids.extend(
            [
                "rulec-cli-help",
                "rulec-cli-help-subcommand",
                "rulec-cli-help-flag-short",
                "rulec-cli-help-flag-long",
            ]
            .map(str::to_owned),
        );
        for lang in [Lang::En, Lang::Zh] {
            let all = kaohe::i18n::Catalog::ids(lang);
            for id in &ids {
                if !all.contains(id) {
                    missing.push(format!("{}: {id}", lang.locale()));
                }
            }
        }
        assert!(ids.len() > 60, "only {} ids", ids.len());
        assert!(
            missing.is_empty(),
            "missing messages:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn the_flag_is_read_before_parsing() {
        let args = |list: &[&str]| -> Vec<OsString> { list.iter().map(OsString::from).collect() };
        assert_eq!(
            lang_before_parsing(&args(&["rulec", "--lang", "zh", "eval"])),
            Lang::Zh
        );
        assert_eq!(
            lang_before_parsing(&args(&["rulec", "eval", "--lang=zh"])),
            Lang::Zh
        );
        assert_eq!(
            lang_before_parsing(&args(&["rulec", "--lang", "en"])),
            Lang::En
        );
    }
}
