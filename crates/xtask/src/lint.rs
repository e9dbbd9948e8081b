//! The app's own lint, run before clippy: views are `view!`, never markup built from
//! strings, and behaviour never hangs on class names or global ids.

use std::path::{Path, PathBuf};

use crate::env::{repo_root, TaskResult};

/// What the app's source must not contain, and why.
const FORBIDDEN: &[(&str, &str)] = &[
    (
        "inner_html",
        "markup from a string: write the view with view!",
    ),
    (
        "insert_adjacent_html",
        "markup from a string: write the view with view!",
    ),
    (
        "outer_html",
        "markup from a string: write the view with view!",
    ),
    (
        "class_name()",
        "dispatch by class name: put an on: handler on the element",
    ),
    (
        ".closest(",
        "dispatch by the element clicked: put an on: handler on the element",
    ),
    (
        "query_selector",
        "a lookup in the DOM: use a NodeRef or a signal",
    ),
];

/// Global ids may be looked up only for the iframe Zoom's loader script creates.
const BY_ID: &str = "get_element_by_id(";
const EMBED_IFRAME: &str = "EMBED_IFRAME_ID";

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The problems of one file's `text`, as `line: what`.
fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for (pattern, why) in FORBIDDEN {
            if code.contains(pattern) {
                found.push(format!("{}: `{pattern}`: {why}", index + 1));
            }
        }
        if code.contains(BY_ID) && !code.contains(EMBED_IFRAME) {
            found.push(format!(
                "{}: `{BY_ID}` other than for the embed iframe: use a NodeRef",
                index + 1
            ));
        }
    }
    found
}

/// Checks every file of `src/`; fails naming each problem.
pub fn run() -> TaskResult {
    let mut files = Vec::new();
    rust_files(&repo_root().join("src"), &mut files);
    files.sort();
    let mut report = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let shown = file
            .strip_prefix(repo_root())
            .unwrap_or(&file)
            .display()
            .to_string();
        report.extend(problems(&text).into_iter().map(|p| format!("{shown}:{p}")));
    }
    if report.is_empty() {
        println!("lint: no markup strings, class-name dispatch or global-id lookups in src/");
        Ok(())
    } else {
        Err(format!("the app's lint found:\n  {}", report.join("\n  ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_strings_and_lookups_are_found_and_comments_are_not() {
        let text = "let a = 1;\n\
                    el.set_inner_html(&html);\n\
                    // inner_html in a comment\n\
                    doc.get_element_by_id(\"x\")\n\
                    doc.get_element_by_id(EMBED_IFRAME_ID)\n\
                    if b.class_name() == \"x\" {}\n";
        let found = problems(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("2: `inner_html`"));
        assert!(found[1].starts_with("4: `get_element_by_id(`"));
        assert!(found[2].starts_with("6: `class_name()`"));
    }
}
