//! The Fluent Bit configurations the README shows are `examples/fluent-bit/*`, byte for byte:
//! each file's block is the fenced block after a `<!-- examples/fluent-bit/<file> -->` line, in
//! the README or in `docs/`. And the files load as shown: the classic file has no inline notes
//! (a classic value runs to the end of its line, `#` included, so `Path /x/*.ndjson  # note`
//! watches a path that ends in the note) and one indentation, the two formats describe the
//! same pipeline, every key is one its plugin reads, and the sizes fit the filter's records.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cloudflare_ecs::Options;

const EXAMPLES: &str = "examples/fluent-bit";
const CLASSIC: &str = "fluent-bit.conf";
const YAML: &str = "fluent-bit.yaml";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The README, then `docs/*.md`, as (path, text).
fn documents() -> Vec<(String, String)> {
    let mut paths = vec!["README.md".to_owned()];
    let mut docs: Vec<String> = fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .map(|entry| {
            entry
                .expect("docs/ entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    docs.sort();
    paths.extend(docs);
    paths
        .into_iter()
        .map(|path| (path.clone(), read(&path)))
        .collect()
}

/// Every `<!-- examples/... -->` marker of `text` with the fenced block after it:
/// (marker path, line number, the block's content, each line with its `\n`).
fn marked_blocks(text: &str) -> Vec<(String, usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some(path) = line
            .trim()
            .strip_prefix("<!-- ")
            .and_then(|rest| rest.strip_suffix(" -->"))
            .filter(|path| path.starts_with("examples/"))
        else {
            continue;
        };
        let fence = at + 1;
        assert!(
            lines.get(fence).is_some_and(|l| l.starts_with("```")),
            "line {}: the marker for {path} is not followed by a fenced block",
            at + 1
        );
        let body: Vec<&str> = lines[fence + 1..]
            .iter()
            .take_while(|l| !l.starts_with("```"))
            .copied()
            .collect();
        assert!(
            lines.get(fence + 1 + body.len()).is_some(),
            "line {}: the block for {path} is not closed",
            fence + 1
        );
        let content: String = body.iter().map(|l| format!("{l}\n")).collect();
        blocks.push((path.to_owned(), at + 1, content));
    }
    blocks
}

#[test]
fn the_readme_blocks_are_the_example_files() {
    let mut shown_in_readme = Vec::new();
    for (document, text) in documents() {
        for (path, line, block) in marked_blocks(&text) {
            let file = read(&path);
            assert!(
                block == file,
                "{document}:{line}: the block differs from {path}; copy the file into the block \
                 (first differing line: {:?})",
                block
                    .lines()
                    .zip(file.lines())
                    .find(|(a, b)| a != b)
                    .map_or("one is longer", |(a, _)| a)
            );
            if document == "README.md" {
                shown_in_readme.push(path);
            }
        }
    }
    // Every example file is shown, and the README shows both formats.
    let mut examples: Vec<String> = fs::read_dir(repo().join(EXAMPLES))
        .expect("examples/fluent-bit/")
        .map(|entry| {
            let name = entry
                .expect("entry")
                .file_name()
                .into_string()
                .expect("UTF-8");
            format!("{EXAMPLES}/{name}")
        })
        .collect();
    examples.sort();
    assert_eq!(
        examples,
        [
            format!("{EXAMPLES}/{CLASSIC}"),
            format!("{EXAMPLES}/{YAML}")
        ]
    );
    for example in &examples {
        assert!(
            shown_in_readme.contains(example),
            "the README has no block marked <!-- {example} -->"
        );
    }
}

/// One section of a configuration: its name (lower case) and its keys (lower case) with their
/// values, in order.
#[derive(Debug, PartialEq)]
struct Section {
    name: String,
    entries: Vec<(String, String)>,
}

/// Reads a classic configuration as Fluent Bit's classic parser does, checking what it checks
/// (one indentation, a value for every key) and that no value carries a `#` note.
fn parse_classic(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut indent: Option<&str> = None;
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        assert!(!line.contains('\t'), "line {number}: a tab");
        assert_eq!(line, line.trim_end(), "line {number}: trailing blanks");
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            sections.push(Section {
                name: name.to_ascii_lowercase(),
                entries: Vec::new(),
            });
            continue;
        }
        let body = line.trim_start();
        let this_indent = &line[..line.len() - body.len()];
        let indent = *indent.get_or_insert(this_indent);
        assert!(
            !indent.is_empty() && this_indent == indent,
            "line {number}: indentation {:?}, not the file's {:?}",
            this_indent,
            indent
        );
        if body.starts_with('#') {
            continue;
        }
        assert!(
            !body.contains('#'),
            "line {number}: {line:?}: a `#` after a key is part of its value in the classic \
             format; put notes on lines of their own"
        );
        let (key, value) = body
            .split_once(' ')
            .unwrap_or_else(|| panic!("line {number}: {line:?} has no value"));
        let section = sections
            .last_mut()
            .unwrap_or_else(|| panic!("line {number}: a key outside a section"));
        section
            .entries
            .push((key.to_ascii_lowercase(), value.trim().to_owned()));
    }
    sections
}

/// Reads the YAML configuration's subset the example uses: `service:` with its keys, and
/// `pipeline:` with `inputs:`, `filters:`, `outputs:` lists of plugins whose values are plain
/// scalars; comments on lines of their own.
fn parse_yaml(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut list: Option<&str> = None;
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        assert!(!line.contains('\t'), "line {number}: a tab");
        assert_eq!(line, line.trim_end(), "line {number}: trailing blanks");
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        assert!(
            !body.contains(" #"),
            "line {number}: {line:?}: a note after a value"
        );
        let depth = line.len() - body.len();
        match (depth, body) {
            (0, "service:") => {
                list = None;
                sections.push(Section {
                    name: "service".to_owned(),
                    entries: Vec::new(),
                });
            }
            (0, "pipeline:") => list = None,
            (2, "inputs:") => list = Some("input"),
            (2, "filters:") => list = Some("filter"),
            (2, "outputs:") => list = Some("output"),
            _ => {
                let (depth, entry) = match body.strip_prefix("- ") {
                    Some(entry) => {
                        let name = list
                            .unwrap_or_else(|| panic!("line {number}: a list item outside a list"));
                        assert_eq!(depth, 4, "line {number}: list items are indented by 4");
                        sections.push(Section {
                            name: name.to_owned(),
                            entries: Vec::new(),
                        });
                        (depth + 2, entry)
                    }
                    None => (depth, body),
                };
                let expected = if list.is_some() { 6 } else { 2 };
                assert_eq!(
                    depth, expected,
                    "line {number}: {line:?} is indented by {depth}"
                );
                let (key, value) = entry
                    .split_once(": ")
                    .unwrap_or_else(|| panic!("line {number}: {line:?} is not `key: value`"));
                assert!(
                    !value.starts_with(['"', '\'', '[', '{', '&', '*', '!', '|', '>']),
                    "line {number}: only plain scalars are read here"
                );
                let section = sections.last_mut().expect("a section");
                section
                    .entries
                    .push((key.to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
    }
    sections
}

fn examples() -> (Vec<Section>, Vec<Section>) {
    let classic = parse_classic(&read(&format!("{EXAMPLES}/{CLASSIC}")));
    let yaml = parse_yaml(&read(&format!("{EXAMPLES}/{YAML}")));
    (classic, yaml)
}

#[test]
fn the_classic_and_yaml_files_describe_the_same_pipeline() {
    let (classic, yaml) = examples();
    assert!(classic.len() >= 4, "{classic:?}");
    let lower = |sections: &[Section]| -> Vec<Section> {
        sections
            .iter()
            .map(|s| Section {
                name: s.name.clone(),
                entries: s
                    .entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_ascii_lowercase()))
                    .collect(),
            })
            .collect()
    };
    assert_eq!(lower(&classic), lower(&yaml));
}

fn value<'a>(section: &'a Section, key: &str) -> Option<&'a str> {
    section
        .entries
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A size as Fluent Bit reads it (`flb_utils_size_to_bytes`: K, M, G are powers of 1000).
fn size(text: &str) -> u64 {
    let (digits, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: u64 = digits.parse().unwrap_or_else(|_| panic!("size {text:?}"));
    n * match unit.to_ascii_uppercase().as_str() {
        "" => 1,
        "K" | "KB" => 1_000,
        "M" | "MB" => 1_000_000,
        "G" | "GB" => 1_000_000_000,
        _ => panic!("size {text:?}"),
    }
}

#[test]
fn every_key_is_one_its_plugin_reads_and_the_sizes_fit() {
    // Keys of Fluent Bit 5.x: the service, and the plugins' configuration maps (tail, es, and
    // wasm, whose keys are all listed: there is no way to pass options to the filter).
    let known: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("service", &["flush", "log_level"][..]),
        (
            "tail",
            &[
                "name",
                "tag",
                "path",
                "db",
                "read_from_head",
                "buffer_max_size",
                "skip_long_lines",
            ][..],
        ),
        (
            "wasm",
            &[
                "name",
                "match",
                "wasm_path",
                "function_name",
                "event_format",
                "accessible_paths",
                "wasm_heap_size",
                "wasm_stack_size",
            ][..],
        ),
        (
            "es",
            &[
                "name",
                "match",
                "host",
                "port",
                "tls",
                "http_user",
                "http_passwd",
                "index",
                "write_operation",
                "generate_id",
                "suppress_type_name",
                "time_key",
            ][..],
        ),
    ]);
    let (classic, _) = examples();
    let mut tags = Vec::new();
    let mut largest_line = 0;
    for section in &classic {
        let plugin = match section.name.as_str() {
            "service" => "service",
            _ => value(section, "name").expect("a plugin section has a Name"),
        };
        let keys = known
            .get(plugin)
            .unwrap_or_else(|| panic!("plugin {plugin} is not expected here"));
        for (key, _) in &section.entries {
            assert!(keys.contains(&key.as_str()), "{plugin}: unknown key {key}");
        }
        match plugin {
            "tail" => {
                let tag = value(section, "tag").expect("tail Tag");
                let options = Options::default().for_tag(tag.as_bytes());
                let dataset = options.and_then(|o| o.dataset);
                assert_eq!(
                    tag.strip_prefix("cloudflare."),
                    dataset.as_deref(),
                    "a tail's tag is cloudflare.<dataset>"
                );
                assert!(
                    value(section, "path").is_some_and(
                        |p| p.contains(&format!("/{}/", dataset.as_deref().unwrap_or("")))
                    ),
                    "one directory per Logpush job: {tag}"
                );
                tags.push(tag.to_owned());
                let line = size(value(section, "buffer_max_size").expect("Buffer_Max_Size"));
                assert!(
                    line >= Options::default().max_record_bytes as u64,
                    "{tag}: tail skips lines the filter would take"
                );
                largest_line = largest_line.max(line);
            }
            "wasm" => {
                assert_eq!(value(section, "function_name"), Some("cfecs_fluentbit"));
                assert_eq!(value(section, "event_format"), Some("json"));
                let heap = size(value(section, "wasm_heap_size").expect("WASM_Heap_Size"));
                // Fluent Bit copies the record into the heap, the line escaped inside `log`.
                assert!(
                    heap >= 2 * largest_line,
                    "WASM_Heap_Size {heap} for lines up to {largest_line} bytes"
                );
            }
            "es" => {
                let tag = value(section, "match").expect("es Match");
                assert!(
                    tags.iter().any(|t| t == tag),
                    "es output for {tag}, no input"
                );
                let dataset = tag
                    .strip_prefix("cloudflare.")
                    .expect("cloudflare.<dataset>");
                assert_eq!(
                    value(section, "index"),
                    Some(format!("logs-cloudflare.{dataset}-default").as_str())
                );
                assert_eq!(value(section, "write_operation"), Some("create"));
                assert_eq!(value(section, "generate_id"), Some("On"));
                // es adds its own time field to each document: not a second @timestamp.
                assert!(value(section, "time_key").is_some_and(|k| k != "@timestamp"));
            }
            _ => {}
        }
    }
    assert!(
        tags.len() >= 2,
        "one tail per Logpush job directory: {tags:?}"
    );
    assert!(largest_line > 0, "the wasm filter comes after the inputs");
}

#[test]
fn the_classic_file_has_no_inline_notes_and_one_indentation() {
    let sections = parse_classic(&read(&format!("{EXAMPLES}/{CLASSIC}")));
    let names: Vec<&str> = sections.iter().map(|s| s.name.as_str()).collect();
    assert!(
        names
            .iter()
            .all(|n| ["service", "input", "filter", "output"].contains(n)),
        "{names:?}"
    );
}

#[test]
fn an_inline_note_in_a_classic_file_is_caught() {
    let text = "[INPUT]\n    Name tail\n    Path /var/log/cloudflare/*.ndjson  # gunzipped\n";
    let caught = std::panic::catch_unwind(|| parse_classic(text));
    assert!(caught.is_err(), "the inline note was not caught");
    let mixed = "[INPUT]\n    Name tail\n  Tag x\n";
    assert!(std::panic::catch_unwind(|| parse_classic(mixed)).is_err());
    let fine = "# a note\n[INPUT]\n    # another\n    Name tail\n";
    assert_eq!(
        parse_classic(fine),
        [Section {
            name: "input".into(),
            entries: vec![("name".into(), "tail".into())]
        }]
    );
}
