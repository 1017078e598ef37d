//! The module structure: the top-level modules of `src/` depend on each
//! other in one direction only (a DAG: model and limits at the bottom, then
//! the classifiers and amounts, the readers, normalization, the checks, the
//! book model, the writers, batch). A circle between two layers is how a
//! codebase starts to need everything to change anything, so it fails here,
//! naming the circle and the files that make each arrow.
//!
//! The graph is read from the source text, not from the compiler: every
//! `crate::X` path (in `use` lines and in code, `crate::{X::…, Y}` groups
//! included) in a file under `src/X/` or `src/X.rs` is an arrow from that
//! file's top-level module to `X`. Names re-exported by the crate root
//! (`pub use write::{OutputFormat, …}` in `lib.rs`) count as arrows to the
//! module they come from. Not counted: comments (doc links are not
//! dependencies), string literals, test code (`#[cfg(test)]` items and the
//! files of `#[cfg(test)] mod x;`, which sit on top of everything like the
//! integration tests do), `main.rs` (a separate crate) and the functions
//! `lib.rs` defines itself (the crate root is the top).
//!
//! A `super::super::…` path that climbs out of its top-level module is a
//! cross-module dependency in disguise and fails too.
//!
//! And no process-global state: a `static` item under `src/` is bytes of
//! `include_bytes!` or one of a short named list, never a cache, a lazy
//! value, a lock or a counter (issue 17).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One arrow between top-level modules, with where it was seen.
#[derive(Debug, Clone)]
struct Seen {
    file: String,
    line: usize,
}

type Graph = BTreeMap<String, BTreeMap<String, Vec<Seen>>>;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The source with comments and the contents of string and char literals
/// replaced by spaces (newlines kept, so line numbers stay right).
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |ch: char| if ch == '\n' { '\n' } else { ' ' };
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < c.len() {
        let prev_ident = i > 0 && ident(c[i - 1]);
        if c[i] == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c[i] == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
        } else if c[i] == 'r' && !prev_ident && matches!(c.get(i + 1), Some('"') | Some('#')) && {
            let mut j = i + 1;
            while c.get(j) == Some(&'#') {
                j += 1;
            }
            c.get(j) == Some(&'"')
        } {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while c[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            out.push_str(&" ".repeat(j - i));
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                    out.push_str(&" ".repeat(hashes + 1));
                    j += hashes + 1;
                    break;
                }
                out.push(blank(c[j]));
                j += 1;
            }
            i = j;
        } else if c[i] == '"' {
            out.push(' ');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < c.len() {
                    out.push(blank(c[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c[i] == '\'' && !prev_ident {
            // A char literal ('x', '\n', '\u{7b}'), else a lifetime.
            let end = if c.get(i + 1) == Some(&'\\') {
                (i + 2..c.len().min(i + 12)).find(|&j| c[j] == '\'')
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(e) => {
                    out.push_str(&" ".repeat(e + 1 - i));
                    i = e + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// Where the item that starts at `from` ends: its `;`, or the `}` closing
/// its first `{`.
fn item_end(code: &[char], from: usize) -> usize {
    let mut depth = 0usize;
    let mut i = from;
    while i < code.len() {
        match code[i] {
            ';' if depth == 0 => return i + 1,
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    code.len()
}

fn word_at(code: &[char], i: usize) -> String {
    code[i..]
        .iter()
        .take_while(|c| c.is_alphanumeric() || **c == '_')
        .collect()
}

fn skip_space(code: &[char], mut i: usize) -> usize {
    while i < code.len() && code[i].is_whitespace() {
        i += 1;
    }
    i
}

/// The code with every `#[cfg(test)]` item blanked; the names of the
/// `#[cfg(test)] mod x;` files it declares are returned too.
fn without_tests(code: &str) -> (String, Vec<String>) {
    let mut c: Vec<char> = code.chars().collect();
    let mut test_files = Vec::new();
    let pattern: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i + pattern.len() <= c.len() {
        if c[i..i + pattern.len()] != pattern[..] {
            i += 1;
            continue;
        }
        let mut j = skip_space(&c, i + pattern.len());
        // Further attributes of the same item.
        while c.get(j) == Some(&'#') {
            j = skip_space(&c, item_end_attr(&c, j));
        }
        let mut k = j;
        if word_at(&c, k) == "pub" {
            k = skip_space(&c, k + 3);
            if c.get(k) == Some(&'(') {
                k = skip_space(
                    &c,
                    k + c[k..].iter().position(|&x| x == ')').unwrap_or(0) + 1,
                );
            }
        }
        let end = item_end(&c, j);
        if word_at(&c, k) == "mod" {
            let name_at = skip_space(&c, k + 3);
            let name = word_at(&c, name_at);
            if c[..end].last() == Some(&';') {
                test_files.push(name);
            }
        }
        for x in &mut c[i..end] {
            if *x != '\n' {
                *x = ' ';
            }
        }
        i = end;
    }
    (c.into_iter().collect(), test_files)
}

/// The end of the attribute `#[…]` at `i`.
fn item_end_attr(c: &[char], i: usize) -> usize {
    let mut depth = 0usize;
    for (j, &x) in c.iter().enumerate().skip(i) {
        match x {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
    }
    c.len()
}

/// The first path segment of each entry of the `{…}` group at `open`.
fn group_heads(c: &[char], open: usize) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut expect = true;
    let mut i = open;
    while i < c.len() {
        match c[i] {
            '{' => {
                depth += 1;
                if depth == 1 {
                    expect = true;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect = true,
            x if depth == 1 && expect && (x.is_alphanumeric() || x == '_') => {
                let w = word_at(c, i);
                i += w.len();
                heads.push(w);
                expect = false;
                continue;
            }
            x if depth == 1 && !x.is_whitespace() => expect = false,
            _ => {}
        }
        i += 1;
    }
    heads
}

/// The crate root's re-exports: name → the top-level module it comes from.
fn root_reexports(lib: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let code = code_only(lib);
    for stmt in code.split(';') {
        let s = stmt.trim();
        let Some(rest) = s.strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim().trim_start_matches("crate::");
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        if !modules.contains(module) {
            continue;
        }
        let names = names.trim().trim_start_matches('{').trim_end_matches('}');
        for n in names.split(',') {
            let n = n.trim();
            let n = n.rsplit("::").next().unwrap_or(n);
            let n = n.split(" as ").last().unwrap_or(n).trim();
            if !n.is_empty() {
                map.insert(n.to_string(), module.to_string());
            }
        }
    }
    map
}

struct Scan {
    graph: Graph,
    climbs: Vec<String>,
}

fn scan(src: &Path) -> Scan {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let rel = |p: &Path| p.strip_prefix(src).expect("under src").to_path_buf();
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|p| {
            let r = rel(p);
            let first = r
                .components()
                .next()?
                .as_os_str()
                .to_string_lossy()
                .into_owned();
            let m = first.strip_suffix(".rs").unwrap_or(&first).to_string();
            (m != "lib" && m != "main").then_some(m)
        })
        .collect();
    let lib = fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs");
    let reexports = root_reexports(&lib, &modules);

    // Files that are test code: declared by `#[cfg(test)] mod x;`.
    let mut test_files: BTreeSet<PathBuf> = BTreeSet::new();
    let mut cleaned: Vec<(PathBuf, String)> = Vec::new();
    for p in &files {
        let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let (code, tests) = without_tests(&code_only(&text));
        let dir = if p
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs")
        {
            p.parent().expect("a parent").to_path_buf()
        } else {
            p.with_extension("")
        };
        for t in tests {
            test_files.insert(dir.join(format!("{t}.rs")));
            test_files.insert(dir.join(&t).join("mod.rs"));
        }
        cleaned.push((p.clone(), code));
    }

    let mut graph = Graph::new();
    let mut climbs = Vec::new();
    for (p, code) in &cleaned {
        let r = rel(p);
        let first = r.components().next().expect("a component");
        let first = first.as_os_str().to_string_lossy();
        let from = first.strip_suffix(".rs").unwrap_or(&first).to_string();
        if from == "main" || from == "lib" || test_files.contains(p) {
            continue;
        }
        // The file's module depth below the crate root.
        let mut depth = r.components().count();
        if r.file_name().is_some_and(|n| n == "mod.rs") {
            depth -= 1;
        }
        let c: Vec<char> = code.chars().collect();
        let line_of = |i: usize| c[..i].iter().filter(|&&x| x == '\n').count() + 1;
        let shown = r.display().to_string();
        let add = |to: &str, at: usize, graph: &mut Graph| {
            let to = if modules.contains(to) {
                to.to_string()
            } else if let Some(m) = reexports.get(to) {
                m.clone()
            } else {
                return;
            };
            if to != from {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .push(Seen {
                        file: shown.clone(),
                        line: line_of(at),
                    });
            }
        };
        let mut inline_depth = 0usize;
        let mut braces: Vec<bool> = Vec::new();
        let mut i = 0;
        while i < c.len() {
            let boundary = i == 0 || !(c[i - 1].is_alphanumeric() || c[i - 1] == '_');
            if c[i] == '{' {
                // Is this the body of an inline `mod x {`?
                let before: String = c[..i]
                    .iter()
                    .rev()
                    .take(80)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let words: Vec<&str> = before.split_whitespace().collect();
                let is_mod = words.len() >= 2 && words[words.len() - 2] == "mod";
                if is_mod {
                    inline_depth += 1;
                }
                braces.push(is_mod);
            } else if c[i] == '}' {
                if braces.pop() == Some(true) {
                    inline_depth -= 1;
                }
            } else if boundary && c[i..].starts_with(&['c', 'r', 'a', 't', 'e', ':', ':']) {
                let j = skip_space(&c, i + 7);
                if c.get(j) == Some(&'{') {
                    for head in group_heads(&c, j) {
                        add(&head, i, &mut graph);
                    }
                } else {
                    add(&word_at(&c, j), i, &mut graph);
                }
                i += 7;
                continue;
            } else if boundary && c[i..].starts_with(&['s', 'u', 'p', 'e', 'r', ':', ':']) {
                let mut supers = 0;
                let mut j = i;
                while c[j..].starts_with(&['s', 'u', 'p', 'e', 'r', ':', ':']) {
                    supers += 1;
                    j = skip_space(&c, j + 7);
                }
                let module_depth = depth + inline_depth;
                if supers >= module_depth {
                    if supers == module_depth {
                        add(&word_at(&c, j), i, &mut graph);
                    }
                    climbs.push(format!(
                        "{shown}:{}: `{}` climbs out of `{from}`",
                        line_of(i),
                        "super::".repeat(supers)
                    ));
                }
                i = j;
                continue;
            }
            i += 1;
        }
    }
    Scan { graph, climbs }
}

/// A circle of the graph, if it has one: the modules in order, the first
/// repeated at the end.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &Graph,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for next in graph.get(n).into_iter().flat_map(|m| m.keys()) {
            match state.get(next.as_str()) {
                Some(1) => {
                    let start = stack.iter().position(|s| s == next).expect("on the stack");
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if !state.contains_key(n) {
            let mut stack = Vec::new();
            if let Some(c) = visit(n, graph, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

fn describe(graph: &Graph, cycle: &[String]) -> String {
    let mut s = format!("import circle: {}\n", cycle.join(" -> "));
    for w in cycle.windows(2) {
        let seen = &graph[&w[0]][&w[1]];
        let mut files: Vec<String> = seen
            .iter()
            .map(|x| format!("{}:{}", x.file, x.line))
            .collect();
        files.dedup();
        files.truncate(5);
        s += &format!("  {} -> {}: {}\n", w[0], w[1], files.join(", "));
    }
    s
}

#[test]
fn top_level_modules_form_a_dag() {
    let scan = scan(&src_dir());
    assert!(
        scan.graph.contains_key("write") && scan.graph.contains_key("read"),
        "the scan found the readers' and writers' imports: {:?}",
        scan.graph.keys().collect::<Vec<_>>()
    );
    if let Some(cycle) = find_cycle(&scan.graph) {
        panic!("{}", describe(&scan.graph, &cycle));
    }
}

#[test]
fn no_super_path_climbs_out_of_its_module() {
    let scan = scan(&src_dir());
    assert!(scan.climbs.is_empty(), "{}", scan.climbs.join("\n"));
}

/// The scanner itself: a circle written in a scratch tree is found and
/// named, with the file and line of each arrow; comments, strings and test
/// code are not arrows.
#[test]
fn the_scan_finds_a_circle_and_ignores_comments_strings_and_tests() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-structure-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("a")).expect("scratch dir");
    let write = |p: &str, t: &str| fs::write(dir.join(p), t).expect("scratch file");
    write(
        "lib.rs",
        "pub mod a;\npub mod b;\npub mod c;\npub use c::Thing;\n",
    );
    write(
        "a/mod.rs",
        "//! See [`crate::c`].\nuse crate::b::X;\nconst S: &str = \"crate::c::Y\";\n\
         #[cfg(test)]\nmod tests {\n    use crate::c::Z;\n}\n#[cfg(test)]\nmod more;\n",
    );
    write("a/more.rs", "use crate::c::W;\n");
    write(
        "b.rs",
        "pub struct X;\nfn f() { let _ = crate::{Thing}; }\n",
    );
    write("c.rs", "pub struct Thing;\n");
    let found = scan(&dir);
    assert!(find_cycle(&found.graph).is_none(), "{:?}", found.graph);
    assert_eq!(
        found
            .graph
            .get("a")
            .map(|m| m.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["b".to_string()]),
        "only the use line is an arrow of a"
    );
    assert!(found.graph["b"].contains_key("c"), "a re-export counts");
    write(
        "c.rs",
        "pub struct Thing;\nfn g() { super::a::f(); crate::a::h(); }\n",
    );
    let found = scan(&dir);
    let cycle = find_cycle(&found.graph).expect("a -> b -> c -> a");
    let text = describe(&found.graph, &cycle);
    assert!(text.contains("c -> a: c.rs:2"), "{text}");
    assert_eq!(found.climbs.len(), 1, "{:?}", found.climbs);
    let _ = fs::remove_dir_all(&dir);
}

/// Statics allowed besides byte slices of `include_bytes!`: (file under
/// `src/`, name). Nothing parsed, nothing mutable: the caller owns all
/// state (the fonts are a `FontStore` the caller makes and passes down).
const ALLOWED_STATICS: [(&str, &str); 1] = [
    // The thread-local mark the panic hook reads (see panics.rs).
    ("panics.rs", "CATCHING"),
];

/// Every `static` item under `dir` that is neither `&[u8]` from
/// `include_bytes!` nor in [`ALLOWED_STATICS`], as `file:line: item`; and
/// how many statics were seen.
fn global_state(dir: &Path) -> (Vec<String>, usize) {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let mut found = Vec::new();
    let mut seen = 0;
    for path in files {
        let rel = path
            .strip_prefix(dir)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let code = code_only(&text);
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        for (at, _) in code.match_indices("static") {
            let before = code[..at].chars().next_back();
            let after = code[at + "static".len()..].chars().next();
            // A word, not part of one and not the 'static lifetime.
            if word(before) || before == Some('\'') || word(after) {
                continue;
            }
            seen += 1;
            let item: String = code[at..]
                .split(';')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let (head, value) = item.split_once('=').unwrap_or((&item, ""));
            let (name, ty) = head["static".len()..]
                .trim()
                .trim_start_matches("mut ")
                .split_once(':')
                .unwrap_or(("", ""));
            let (name, ty, value) = (name.trim(), ty.trim(), value.trim());
            let bytes = ty == "&[u8]" && value.starts_with("include_bytes!");
            if !bytes && !ALLOWED_STATICS.contains(&(rel.as_str(), name)) {
                let line = code[..at].matches('\n').count() + 1;
                found.push(format!("{rel}:{line}: {item}"));
            }
        }
    }
    (found, seen)
}

/// Issue 17: no process-global state — no static holds parsed data
/// (fonts, caches) or anything mutable (counters, locks, lazy values).
#[test]
fn no_static_holds_parsed_or_mutable_state() {
    let (mut found, seen) = global_state(&src_dir());
    // The bundled faces' bytes are the gongkai-fonts crate's (fonts/).
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let (in_fonts, seen_fonts) = global_state(&fonts);
    found.extend(in_fonts);
    assert!(
        seen + seen_fonts >= 7,
        "the scan sees the bundled font and ICC bytes: {seen} + {seen_fonts}"
    );
    assert!(
        found.is_empty(),
        "statics holding state (make the caller own it and pass it down):\n{}",
        found.join("\n")
    );
}

/// The static scan itself: a lazy cache, a counter and a `static mut` are
/// found; bytes of `include_bytes!`, `'static` lifetimes and the word in
/// comments and strings are not.
#[test]
fn the_static_scan_finds_state_and_ignores_bytes_lifetimes_and_comments() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-statics-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    fs::write(
        dir.join("lib.rs"),
        "//! A static cache would be bad.\n\
         static FONT: &[u8] = include_bytes!(\"f.ttf\");\n\
         fn name() -> &'static str { \"static\" }\n\
         static CACHE: std::sync::LazyLock<Vec<u8>> =\n    std::sync::LazyLock::new(Vec::new);\n\
         pub(crate) static COUNTER: AtomicU64 = AtomicU64::new(0);\n\
         static mut LAST: u32 = 0;\n",
    )
    .expect("scratch file");
    let (found, seen) = global_state(&dir);
    assert_eq!(seen, 4, "{found:?}");
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].starts_with("lib.rs:4: static CACHE"), "{found:?}");
    assert!(
        found[1].starts_with("lib.rs:6: static COUNTER"),
        "{found:?}"
    );
    assert!(
        found[2].starts_with("lib.rs:7: static mut LAST"),
        "{found:?}"
    );
    let _ = fs::remove_dir_all(&dir);
}
