//! The layering of the crate, checked: every `src/**/*.rs` is read, the modules each one
//! refers to are collected (`use crate::…`, `use super::…`, paths such as
//! `crate::x::y` or `integrity::site::f` in code, through modules a `use` or a `mod`
//! brought into scope), and two rules are asserted:
//!
//! 1. no module refers to a module of a later stage, by [`ORDER`];
//! 2. no two modules refer to each other, and no longer cycle exists either (also not
//!    between the files of one stage folder, a `mod.rs` and its children included).
//!
//! Test code (`#[cfg(test)]` items) is left out: a test may build its fixtures with any
//! stage. Comments and string literals are left out too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages from the bottom up. A module belongs to the level of the longest entry that
/// is a prefix of its path (`render::view` to `render`); it may refer to modules of its
/// own level or of levels before it. A module of the crate that no entry covers fails the
/// test: a new module takes its place here deliberately.
const ORDER: &[&[&str]] = &[
    // The shared vocabulary: character classes, dates, output files, reserved names.
    &["base"],
    // The data model and the progress display, which every stage may use.
    &["model", "progress"],
    &["corpus"],
    &["parse"],
    &["align"],
    // The analysis of the parsed, aligned library.
    &["integrity"],
    &["link"],
    // The anchor registry (`anchors/`): the hashes of the units, the lock and its
    // resolution, after link, which adds the anchors that citations and clause links
    // point to.
    &["anchors"],
    &["search"],
    &["render"],
    &["output"],
    // Orchestration and the commands.
    &["build", "check"],
    // `clausebook anchors`: builds in memory, explains the anchors a build would lose.
    &["anchor_report"],
    &["diagnostic"],
    &["serve"],
    &["main"],
];

/// Pairs of modules that still refer to each other, with what would untangle them. The
/// test fails when a pair is no longer mutual, so that its entry is removed.
const MUTUAL_ALLOWED: &[(&str, &str, &str)] = &[];

/// References against [`ORDER`] still to be moved: (from, to, what would fix it). The
/// test fails when one no longer occurs, so that its entry is removed.
const BACKWARD_ALLOWED: &[(&str, &str, &str)] = &[];

/// One module of the crate: its path (`render::view`; `main` for the binary) and file.
#[derive(Debug)]
struct Module {
    file: PathBuf,
    code: String,
}

/// The modules of the crate by path, from the files under `src/`.
fn modules(src: &Path) -> BTreeMap<String, Module> {
    let mut files = Vec::new();
    collect_rs(src, &mut files);
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if parts == ["lib"] {
            parts.clear();
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = without_test_items(&code_only(&text));
        let file = Path::new("src").join(file.strip_prefix(src).unwrap());
        out.insert(parts.join("::"), Module { file, code });
    }
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Source text with comments removed and the contents of string and character literals
/// emptied, so that only code is searched for paths.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            'r' if !ident_before(&c, i) && matches!(c.get(i + 1), Some('"' | '#')) => {
                // A raw string `r"…"`, `r#"…"#` (or an identifier starting with r).
                let mut j = i + 1;
                while c.get(j) == Some(&'#') {
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                let hashes = j - i - 1;
                j += 1;
                while j < c.len() {
                    if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j + 1 + hashes;
            }
            '"' => {
                i += 1;
                while i < c.len() && c[i] != '"' {
                    i += if c[i] == '\\' { 2 } else { 1 };
                }
                out.push_str("\"\"");
                i += 1;
            }
            '\'' if c.get(i + 1) == Some(&'\\') => {
                // An escaped character literal: `'\n'`, `'\''`, `'\u{3000}'`.
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                out.push_str("' '");
                i += 1;
            }
            '\'' if c.get(i + 2) == Some(&'\'') => {
                out.push_str("' '");
                i += 3;
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

fn ident_before(c: &[char], i: usize) -> bool {
    i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')
}

/// Code without the items marked `#[cfg(test)]` (test modules, test-only functions and
/// imports). `code` is [`code_only`] text, so braces are balanced.
fn without_test_items(code: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        let item = &rest[at + MARK.len()..];
        // The item ends at its first `;` outside braces, or at the brace that closes
        // its first block.
        let mut depth = 0usize;
        let mut end = item.len();
        for (k, ch) in item.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The paths a `use` tree names, each as its segments: `a::{b, c::{self, d as e}}` gives
/// `a::b`, `a::c`, `a::c::d`; `*` and aliases are dropped (the alias is returned apart
/// by [`use_bindings`]).
fn expand_use(tree: &str) -> Vec<(Vec<String>, String)> {
    let tree: String = tree
        .chars()
        .filter(|c| !c.is_whitespace() || *c == ' ')
        .collect();
    let mut out = Vec::new();
    expand_into(tree.trim(), &[], &mut out);
    out
}

fn expand_into(tree: &str, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
    let tree = tree.trim().trim_start_matches("::");
    if tree.is_empty() {
        return;
    }
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = split_path(&tree[..open]);
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut base = prefix.to_vec();
        base.extend(head);
        let mut depth = 0;
        let mut start = 0;
        for (k, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_into(&inner[start..k], &base, out);
                    start = k + 1;
                }
                _ => {}
            }
        }
        expand_into(&inner[start..], &base, out);
        return;
    }
    let (path, alias) = match tree.split_once(" as ") {
        Some((p, a)) => (p, Some(a.trim().to_string())),
        None => (tree, None),
    };
    let mut full = prefix.to_vec();
    full.extend(split_path(path));
    if full.last().is_some_and(|s| s == "*") {
        full.pop();
    }
    if full.last().is_some_and(|s| s == "self") && full.len() > 1 {
        full.pop();
    }
    let name = alias.unwrap_or_else(|| full.last().cloned().unwrap_or_default());
    if !full.is_empty() {
        out.push((full, name));
    }
}

fn split_path(p: &str) -> Vec<String> {
    p.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The `use` trees of `code`, each as written between `use` and `;`.
fn use_trees(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(k) = code[from..].find("use ") {
        let at = from + k;
        from = at + 4;
        let boundary = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if !boundary {
            continue;
        }
        if let Some(end) = code[from..].find(';') {
            out.push(&code[from..from + end]);
        }
    }
    out
}

/// A path as seen from module `cur`, made absolute (from the crate root), if it starts
/// in the crate: at `crate`, `self`, `super`, a child module of `cur`, or a name that
/// `scope` binds to a module (`clausebook` too, in the binary).
fn absolute(
    cur: &str,
    path: &[String],
    scope: &BTreeMap<String, String>,
    mods: &BTreeMap<String, Module>,
) -> Option<Vec<String>> {
    let here: Vec<String> = split_path(cur);
    let (mut abs, rest): (Vec<String>, &[String]) = match path.first()?.as_str() {
        "crate" => (Vec::new(), &path[1..]),
        // The binary refers to the library by its name.
        "clausebook" if cur == "main" => (Vec::new(), &path[1..]),
        "self" => (here, &path[1..]),
        "super" => {
            let k = path.iter().take_while(|s| *s == "super").count();
            (here[..here.len().saturating_sub(k)].to_vec(), &path[k..])
        }
        first => {
            let child = format!("{cur}::{first}");
            if cur != "main" && mods.contains_key(&child) {
                (here, path)
            } else {
                (split_path(scope.get(first)?), &path[1..])
            }
        }
    };
    abs.extend(rest.iter().cloned());
    Some(abs)
}

/// The crate's module an absolute path lies in: its longest prefix that is a module
/// (`render::OutputFile` ─► `render`). Items of the crate root give `None`.
fn module_of(abs: &[String], mods: &BTreeMap<String, Module>) -> Option<String> {
    (1..=abs.len())
        .rev()
        .map(|n| abs[..n].join("::"))
        .find(|m| mods.contains_key(m))
}

/// For every module, the modules it refers to.
fn references(mods: &BTreeMap<String, Module>) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (cur, m) in mods {
        if cur.is_empty() {
            // The crate root only declares the modules and re-exports `build`.
            continue;
        }
        let mut refs = BTreeSet::new();
        // Names a `use` binds to a module (`use crate::integrity::{self, anchors}`), for
        // the paths in code that start with them (`integrity::site::mark_page`).
        let mut scope = BTreeMap::new();
        for tree in use_trees(&m.code) {
            for (path, name) in expand_use(tree) {
                let Some(abs) = absolute(cur, &path, &BTreeMap::new(), mods) else {
                    continue;
                };
                if mods.contains_key(&abs.join("::")) {
                    scope.insert(name, abs.join("::"));
                }
                refs.extend(module_of(&abs, mods));
            }
        }
        for path in code_paths(&m.code) {
            if let Some(abs) = absolute(cur, &path, &scope, mods) {
                refs.extend(module_of(&abs, mods));
            }
        }
        refs.remove(cur);
        graph.insert(cur.clone(), refs);
    }
    graph
}

/// Every path in code (`a::b::c`), from its first segment to the last identifier.
fn code_paths(code: &str) -> Vec<Vec<String>> {
    let c: Vec<char> = code.chars().collect();
    let is_id = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if !is_id(c[i]) || (i > 0 && (is_id(c[i - 1]) || c[i - 1] == ':')) {
            i += 1;
            continue;
        }
        let mut segs = Vec::new();
        let mut j = i;
        loop {
            let s = j;
            while j < c.len() && is_id(c[j]) {
                j += 1;
            }
            segs.push(c[s..j].iter().collect::<String>());
            if c.get(j) == Some(&':')
                && c.get(j + 1) == Some(&':')
                && c.get(j + 2).is_some_and(|&n| is_id(n))
            {
                j += 2;
            } else {
                break;
            }
        }
        if segs.len() > 1 {
            out.push(segs);
        }
        i = j.max(i + 1);
    }
    out
}

/// The level of a module in [`ORDER`]: that of the longest entry it lies under.
fn level(module: &str) -> Option<usize> {
    ORDER
        .iter()
        .enumerate()
        .flat_map(|(k, ms)| ms.iter().map(move |m| (k, *m)))
        .filter(|(_, m)| module == *m || module.starts_with(&format!("{m}::")))
        .max_by_key(|(_, m)| m.len())
        .map(|(k, _)| k)
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn allowed_pair(a: &str, b: &str) -> bool {
    MUTUAL_ALLOWED
        .iter()
        .any(|(x, y, _)| (*x, *y) == (a, b) || (*x, *y) == (b, a))
}

#[test]
fn no_module_refers_to_a_later_stage() {
    let mods = modules(&src_dir());
    let graph = references(&mods);
    let mut problems = Vec::new();
    for (from, tos) in &graph {
        let Some(lf) = level(from) else {
            problems.push(format!(
                "`{from}` ({}) has no place in ORDER: add it to its stage in src/base/layering.rs",
                mods[from].file.display()
            ));
            continue;
        };
        for to in tos {
            let lt = level(to).unwrap_or(usize::MAX);
            let allowed = BACKWARD_ALLOWED
                .iter()
                .any(|(a, b, _)| (*a, *b) == (from.as_str(), to.as_str()));
            if lt > lf && !allowed {
                problems.push(format!(
                    "`{from}` ({}) refers to `{to}`, a later stage: move what it needs to a \
                     module below both (e.g. `base`), or pass it in",
                    mods[from].file.display()
                ));
            }
        }
    }
    for (from, to, why) in BACKWARD_ALLOWED {
        if !graph.get(*from).is_some_and(|t| t.contains(*to)) {
            problems.push(format!(
                "`{from}` no longer refers to `{to}` ({why}): remove the entry from \
                 BACKWARD_ALLOWED"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn no_two_modules_refer_to_each_other() {
    let mods = modules(&src_dir());
    let graph = references(&mods);
    let refers = |a: &str, b: &str| graph.get(a).is_some_and(|t| t.contains(b));
    let mut problems = Vec::new();
    for (a, tos) in &graph {
        for b in tos {
            if a < b && refers(b, a) && !allowed_pair(a, b) {
                problems.push(format!(
                    "`{a}` ({}) and `{b}` ({}) refer to each other: move what both need to \
                     one of them, or below both",
                    mods[a].file.display(),
                    mods[b].file.display()
                ));
            }
        }
    }
    for (a, b, why) in MUTUAL_ALLOWED {
        if !(refers(a, b) && refers(b, a)) {
            problems.push(format!(
                "`{a}` and `{b}` no longer refer to each other ({why}): remove the pair from \
                 MUTUAL_ALLOWED"
            ));
        }
    }
    // Longer cycles, the allowed pairs' edges left out.
    let edges: BTreeMap<&str, Vec<&str>> = graph
        .iter()
        .map(|(a, tos)| {
            let tos = tos
                .iter()
                .map(String::as_str)
                .filter(|b| !allowed_pair(a, b) && !refers(b, a))
                .collect();
            (a.as_str(), tos)
        })
        .collect();
    if let Some(cycle) = find_cycle(&edges) {
        problems.push(format!(
            "the modules {} refer to each other in a cycle: break it",
            cycle.join(" ─► ")
        ));
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

/// A cycle of the graph, as its modules with the first repeated at the end, if any.
fn find_cycle<'a>(edges: &BTreeMap<&'a str, Vec<&'a str>>) -> Option<Vec<&'a str>> {
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    let mut path: Vec<&str> = Vec::new();
    fn visit<'a>(
        n: &'a str,
        edges: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        state.insert(n, 1);
        path.push(n);
        for &m in edges.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let at = path.iter().position(|&p| p == m).unwrap();
                    let mut cycle = path[at..].to_vec();
                    cycle.push(m);
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, edges, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(n, 2);
        None
    }
    for &n in edges.keys() {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, edges, &mut state, &mut path)
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_reader_finds_every_kind_of_reference() {
    let mods = modules(&src_dir());
    let graph = references(&mods);
    let refers = |a: &str, b: &str| graph[a].contains(b);
    // `use crate::…` in a group, `use super::…`, a module used through `use …::{self}`
    // (`render::registry` in build), and the binary's `clausebook::…`.
    assert!(refers("build", "corpus"));
    assert!(refers("search::index", "search::tokenize"));
    assert!(refers("build", "render"));
    assert!(refers("main", "diagnostic"));
    // A reference in a test module does not count (`search::shard`'s tests build
    // blocks of the model; the module itself does not use it).
    assert!(!refers("search::shard", "model"));
    assert!(mods.values().all(|m| !m.code.contains("#[cfg(test)]")));
}

#[test]
fn comments_and_literals_are_not_code() {
    let code = code_only(
        "let a = \"crate::x\"; // crate::y\n/* crate::z /* nested */ */ let b = '\"'; let c = r#\"crate::w\"#; fn f<'a>(x: &'a str) {}",
    );
    assert!(!code.contains("crate::"), "{code}");
    assert!(code.contains("let b = ' ';"), "{code}");
    assert!(code.contains("fn f<'a>(x: &'a str)"), "{code}");
    let code =
        without_test_items("use a::b;\n#[cfg(test)]\nmod tests { fn f() { if x {} } }\nuse c::d;");
    assert_eq!(code, "use a::b;\n\nuse c::d;");
}

#[test]
fn use_trees_expand_to_their_paths() {
    let paths: Vec<String> = expand_use("crate::render::{self, OutputFile, view::{a as b, *}}")
        .into_iter()
        .map(|(p, name)| format!("{} {name}", p.join("::")))
        .collect();
    assert_eq!(
        paths,
        [
            "crate::render render",
            "crate::render::OutputFile OutputFile",
            "crate::render::view::a b",
            "crate::render::view view",
        ]
    );
}
