//! Finding case files and rulesets under the paths given to `rulec test`.
//!
//! A file given by name is taken as it is: `*.toml` is a case, `*.rules` a
//! ruleset. Under a folder, every `*.toml` file inside a folder named `cases`
//! is a case and every `*.rules` file is a ruleset (whose coverage is checked
//! with `--coverage`). Hidden folders and `target` are skipped; the order is by
//! path, so runs are reproducible.

use std::path::{Component, Path, PathBuf};

use super::CaseError;

/// What was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// Case files, sorted.
    pub cases: Vec<PathBuf>,
    /// Ruleset files, sorted.
    pub rulesets: Vec<PathBuf>,
}

/// Finds the case files and rulesets under `paths`.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered, CaseError> {
    let mut found = Discovered::default();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found)?;
        } else if path.is_file() {
            match path.extension().and_then(|e| e.to_str()) {
                Some("toml") => found.cases.push(path.clone()),
                Some("rules") => found.rulesets.push(path.clone()),
                _ => {
                    return Err(CaseError::Format {
                        path: path.display().to_string(),
                        message: "not a case (`*.toml`) or a ruleset (`*.rules`)".to_owned(),
                    })
                }
            }
        } else {
            return Err(CaseError::Io {
                action: "read",
                path: path.display().to_string(),
                message: "no such file or folder".to_owned(),
            });
        }
    }
    found.cases.sort();
    found.cases.dedup();
    found.rulesets.sort();
    found.rulesets.dedup();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Discovered) -> Result<(), CaseError> {
    let entries = std::fs::read_dir(dir).map_err(|e| CaseError::Io {
        action: "list",
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" {
                walk(&path, found)?;
            }
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") if in_cases_folder(&path) => found.cases.push(path),
            Some("rules") => found.rulesets.push(path),
            _ => {}
        }
    }
    Ok(())
}

fn in_cases_folder(path: &Path) -> bool {
    path.parent()
        .into_iter()
        .flat_map(Path::components)
        .any(|c| c.as_os_str() == "cases")
}

/// `path` with `.` and `name/..` removed, without touching the file system:
/// `rulesets/x/cases/../x.rules` → `rulesets/x/x.rules`.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}
