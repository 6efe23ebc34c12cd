//! The one import block of a composed program: every part's imports merged
//! (each module once, its names together) and sorted as isort writes them
//! (ruff's `I` rules): the standard library, then the third-party packages,
//! each with `import x` lines before `from x import y` lines.
use std::collections::{BTreeMap, BTreeSet};

/// The packages the programs use from outside the standard library.
const THIRD_PARTY: [&str; 2] = ["bytewax", "distributed"];

/// A top-level `import …` or `from … import …` line.
pub fn is_import(line: &str) -> bool {
    line.starts_with("import ") || (line.starts_with("from ") && line.contains(" import "))
}

/// A module or a name as isort sorts it: its lower-case form, then itself.
type SortKey = (String, String);
/// An imported name: its kind (isort puts constants, classes, functions
/// apart), then its sort key.
type Member = (u8, String, String);

#[derive(Default)]
pub struct Imports {
    /// `import x` / `import x as y`, by how isort orders them.
    straight: BTreeSet<SortKey>,
    /// `from x import a, b`: names by module.
    from: BTreeMap<SortKey, BTreeSet<Member>>,
}

impl Imports {
    pub fn add(&mut self, line: &str) {
        if let Some((module, names)) = line.strip_prefix("from ").and_then(|rest| rest.split_once(" import ")) {
            let members = self.from.entry((module.to_lowercase(), module.to_string())).or_default();
            for name in names_of(names) {
                members.insert(member_key(&name));
            }
        } else if let Some(rest) = line.strip_prefix("import ") {
            for name in names_of(rest) {
                self.straight.insert((name.to_lowercase(), name));
            }
        }
    }

    /// The block, sections apart by a blank line; no newline at its end.
    pub fn render(&self) -> String {
        let third_party = |module: &str| THIRD_PARTY.contains(&module.split('.').next().unwrap_or(module));
        let section = |third: bool| -> Vec<String> {
            let straight = self.straight.iter().filter(|(_, name)| third_party(name) == third).map(|(_, name)| format!("import {name}"));
            let from = self.from.iter().filter(|((_, module), _)| third_party(module) == third).map(|((_, module), names)| {
                format!("from {module} import {}", names.iter().map(|(_, _, name)| name.as_str()).collect::<Vec<_>>().join(", "))
            });
            straight.chain(from).collect()
        };
        [section(false), section(true)].into_iter().filter(|s| !s.is_empty()).map(|s| s.join("\n")).collect::<Vec<_>>().join("\n\n")
    }
}

fn names_of(list: &str) -> impl Iterator<Item = String> + '_ {
    list.split(',').map(|n| n.trim().to_string()).filter(|n| !n.is_empty())
}

/// isort's order of the names of one `from` import: constants, classes,
/// then the rest, each alphabetically whatever the case.
fn member_key(name: &str) -> Member {
    let bare = name.split(" as ").next().unwrap_or(name);
    let kind = if bare.len() > 1 && bare.chars().all(|c| !c.is_lowercase()) {
        0
    } else if bare.starts_with(|c: char| c.is_uppercase()) {
        1
    } else {
        2
    };
    (kind, name.to_lowercase(), name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_merge_and_sort_as_isort_does() {
        let mut imports = Imports::default();
        for line in [
            "import time",
            "from concurrent.futures import ThreadPoolExecutor",
            "import bytewax.operators as op",
            "import asyncio",
            "from concurrent.futures import ProcessPoolExecutor",
            "import time",
            "from bytewax.dataflow import Dataflow",
            "from collections import Counter",
        ] {
            imports.add(line);
        }
        assert_eq!(
            imports.render(),
            "import asyncio\nimport time\nfrom collections import Counter\n\
             from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor\n\n\
             import bytewax.operators as op\nfrom bytewax.dataflow import Dataflow"
        );
    }
}
