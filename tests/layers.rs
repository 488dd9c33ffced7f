//! The layers import each other one way only: a cycle between two top-level modules of
//! src/ (say `wechat` ↔ `bot`) fails here, naming the files that close it. Within the doors
//! and the transports (`web`, `bot`, `wechat`, `notify`) each submodule counts on its own, so
//! `web::admin` ↔ `web::pages` fails too; within the rules (`ops`, `meetings`, `db`) sibling
//! operations call each other by design.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level modules whose submodules are layers of their own.
const SPLIT: [&str; 4] = ["web", "bot", "wechat", "notify"];

/// The module a file belongs to: its top-level module, or `top::sub` inside a split one.
fn module_of(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .map(|c| {
            c.as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned()
        })
        .collect();
    match parts.as_slice() {
        [top, sub, ..] if SPLIT.contains(&top.as_str()) && sub != "mod" => format!("{top}::{sub}"),
        [top, ..] => top.clone(),
        [] => String::new(),
    }
}

/// The module a `crate::` path names, at the same grain as `module_of`.
fn named(path: &str) -> String {
    let mut parts = path.split("::");
    let top = parts.next().unwrap_or_default();
    match parts.next() {
        Some(sub)
            if SPLIT.contains(&top)
                && sub.chars().next().is_some_and(|c| c.is_ascii_lowercase()) =>
        {
            format!("{top}::{sub}")
        }
        _ => top.to_owned(),
    }
}

/// module → the modules it names (outside its unit tests), with a file that does so.
fn imports() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap_or(&file);
        let top = module_of(relative);
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (at, _) in code.match_indices("crate::") {
            let path: String = code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let other = named(&path);
            if !other.is_empty() && other != top {
                edges
                    .entry(top.clone())
                    .or_default()
                    .entry(other)
                    .or_insert_with(|| relative.display().to_string());
            }
        }
    }
    edges
}

fn path(
    edges: &BTreeMap<String, BTreeMap<String, String>>,
    from: &str,
    to: &str,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if from == to {
        return Some(vec![to.to_owned()]);
    }
    if !seen.insert(from.to_owned()) {
        return None;
    }
    for next in edges.get(from).into_iter().flat_map(|m| m.keys()) {
        if let Some(mut rest) = path(edges, next, to, seen) {
            rest.insert(0, from.to_owned());
            return Some(rest);
        }
    }
    None
}

#[test]
fn no_two_layers_import_each_other() {
    let edges = imports();
    assert!(
        edges.contains_key("web::pages") && edges.contains_key("ops"),
        "{edges:?}"
    );
    let mut cycles = Vec::new();
    for (from, targets) in &edges {
        for (to, file) in targets {
            if let Some(back) = path(&edges, to, from, &mut BTreeSet::new()) {
                cycles.push(format!(
                    "{from} → {to} ({file}), back: {}",
                    back.join(" → ")
                ));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// The rules sit below the doors and the transports: an operation never reaches up to a door
/// (the scheduler and the outbox worker are doors too), what is queued for later never reaches
/// up to the operations, storage never to either, and the domain stands on nothing of ours
/// but the clock.
#[test]
fn the_arrows_point_down() {
    let edges = imports();
    let doors = [
        "web", "bot", "wechat", "notify", "startup", "cli", "demo", "sim",
    ];
    let below: [(&str, Vec<&str>); 4] = [
        ("ops", doors.to_vec()),
        ("outbox", [&doors[..], &["ops"]].concat()),
        ("db", [&doors[..], &["ops", "outbox"]].concat()),
        ("meetings", [&doors[..], &["ops", "outbox", "db"]].concat()),
    ];
    let mut upward = Vec::new();
    for (layer, above) in below {
        assert!(edges.contains_key(layer), "no layer {layer} in {edges:?}");
        for (to, file) in &edges[layer] {
            let top = to.split("::").next().unwrap_or_default();
            if above.contains(&top) {
                upward.push(format!("{layer} → {to} ({file})"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up:\n{}",
        upward.join("\n")
    );
}

/// Settings are read before anything else exists and every layer reads them: `config` names
/// nothing of ours, so what a setting becomes is defined there and imported from there.
#[test]
fn config_is_a_leaf() {
    let edges = imports();
    let named: Vec<String> = edges
        .get("config")
        .into_iter()
        .flatten()
        .map(|(to, file)| format!("config → {to} ({file})"))
        .collect();
    assert!(named.is_empty(), "config imports:\n{}", named.join("\n"));
    assert!(
        edges.values().any(|targets| targets.contains_key("config")),
        "{edges:?}"
    );
}

/// When a command may act is the lifecycle's rule (`meetings::window`, `TaskStatus::UNFINISHED`):
/// a door names a window and lists no statuses of its own, so two doors cannot drift apart on
/// which meetings a step applies to.
#[test]
fn doors_name_windows_not_status_lists() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for door in ["web", "bot", "notify", "wechat"] {
        rust_files(&src.join(door), &mut files);
    }
    assert!(files.len() > 20, "{files:?}");
    let mut lists = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let flat: String = code.split_whitespace().collect();
        for list in ["[MeetingStatus::", "[TaskStatus::", "vec![TaskStatus::"] {
            if flat.contains(list) {
                let shown = file
                    .strip_prefix(&src)
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                lists.push(format!("{shown}: {list}…]"));
            }
        }
    }
    assert!(
        lists.is_empty(),
        "status lists in doors:\n{}",
        lists.join("\n")
    );
}
