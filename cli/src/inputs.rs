//! What to read: files, directories and glob patterns of Logpush archives, or stdin; and with
//! `--out-dir`, the output file each input is written to.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// One input, read whole and in turn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub source: Source,
    /// Where its documents go with `--out-dir`.
    pub output: Option<PathBuf>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn name(&self) -> String {
        match &self.source {
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(path) => path.display().to_string(),
        }
    }

    /// The size of a regular file, for progress; `None` for anything else.
    pub fn size(&self) -> Option<u64> {
        match &self.source {
            Source::File(path) => fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.len()),
            Source::Stdin => None,
        }
    }
}

/// The inputs that command-line arguments name, in order. `-` is stdin, and so is no argument.
/// A directory gives the files below it, in path order, which for Logpush's
/// `YYYYMMDD/<start>_<end>_<hash>.log.gz` layout is time order; a pattern (`logs/2025*/*.gz`)
/// that names no existing path gives its matches, in path order (none: it is reported as a
/// file that cannot be opened, in its turn). Hidden files (`.name`) in directories are left
/// out, and so is `out_dir` if it lies inside one.
///
/// With `out_dir`, each input gets an output file there: its path below the directory or the
/// pattern's fixed part (a file argument: its name), without `.gz`, with the extension
/// `.ecs.ndjson` (`20250101/…_abc.log.gz` → `DIR/20250101/…_abc.ecs.ndjson`).
pub fn expand(args: &[PathBuf], out_dir: Option<&Path>) -> Result<Vec<Input>, String> {
    let args: Vec<PathBuf> = if args.is_empty() { vec![PathBuf::from("-")] } else { args.to_vec() };
    let skip = out_dir.and_then(|dir| dir.canonicalize().ok());
    let mut inputs = Vec::new();
    for arg in &args {
        if arg.as_os_str() == "-" {
            if out_dir.is_some() {
                return Err("--out-dir needs FILE arguments: it cannot name an output for stdin".to_owned());
            }
            inputs.push(Input { source: Source::Stdin, output: None });
            continue;
        }
        let found: Vec<(PathBuf, PathBuf)> = if arg.is_dir() {
            if skip.is_some() && arg.canonicalize().ok() == skip {
                return Err(format!("--out-dir {} is an input directory: its outputs would be read as input", arg.display()));
            }
            let mut files = Vec::new();
            walk(arg, skip.as_deref(), &mut files).map_err(|e| format!("{}: {e}", arg.display()))?;
            files.sort();
            files.into_iter().map(|file| (relative(&file, arg), file)).collect()
        } else if let Some(found) = (!arg.exists() && is_pattern(arg)).then(|| matches(arg)).transpose()?
            && !found.is_empty()
        {
            found
        } else {
            // A file, or what cannot be opened: reported when it is read, in its turn.
            vec![(PathBuf::from(arg.file_name().unwrap_or(arg.as_os_str())), arg.clone())]
        };
        for (relative, file) in found {
            let output = out_dir.map(|dir| dir.join(output_name(&relative)));
            inputs.push(Input { source: Source::File(file), output });
        }
    }
    check_outputs_distinct(&inputs)?;
    Ok(inputs)
}

/// The files below `dir`, not in order.
fn walk(dir: &Path, skip: Option<&Path>, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            if skip.is_none() || path.canonicalize().ok().as_deref() != skip {
                walk(&path, skip, files)?;
            }
        } else {
            files.push(path);
        }
    }
    Ok(())
}

fn is_pattern(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// The files a glob pattern matches, in path order, each with its path below the pattern's
/// fixed leading directories.
fn matches(pattern: &Path) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let text = pattern.to_str().ok_or_else(|| format!("{}: a pattern must be UTF-8", pattern.display()))?;
    let paths = glob::glob(text).map_err(|e| format!("{text}: {e}"))?;
    let fixed: PathBuf = pattern
        .components()
        .take_while(|c| !is_pattern(Path::new(c.as_os_str())))
        .collect();
    let mut found = Vec::new();
    for path in paths {
        let path = path.map_err(|e| e.to_string())?;
        if path.is_file() {
            found.push((relative(&path, &fixed), path));
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(found)
}

/// `path` below `base`, without `.`/`..`/root components (an output stays in its directory).
fn relative(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect()
}

/// `a/b.log.gz` → `a/b.ecs.ndjson`.
fn output_name(relative: &Path) -> PathBuf {
    let name = relative.file_name().unwrap_or(OsStr::new("stdin")).to_string_lossy();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let stem = Path::new(name).file_stem().map_or_else(|| name.to_owned(), |s| s.to_string_lossy().into_owned());
    relative.with_file_name(format!("{stem}.ecs.ndjson"))
}

fn check_outputs_distinct(inputs: &[Input]) -> Result<(), String> {
    let mut seen: HashMap<&Path, &Input> = HashMap::new();
    for input in inputs {
        if let Some(output) = &input.output
            && let Some(other) = seen.insert(output, input)
        {
            return Err(format!("{} and {} would both be written to {}", other.name(), input.name(), output.display()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names() {
        for (input, output) in [
            ("20250101/20250101T000000Z_20250101T000100Z_abc.log.gz", "20250101/20250101T000000Z_20250101T000100Z_abc.ecs.ndjson"),
            ("batch.ndjson", "batch.ecs.ndjson"),
            ("batch", "batch.ecs.ndjson"),
            ("x.gz", "x.ecs.ndjson"),
        ] {
            assert_eq!(output_name(Path::new(input)), PathBuf::from(output), "{input}");
        }
    }

    #[test]
    fn relative_paths_stay_below() {
        assert_eq!(relative(Path::new("logs/a/b.gz"), Path::new("logs")), PathBuf::from("a/b.gz"));
        assert_eq!(relative(Path::new("../x/b.gz"), Path::new("y")), PathBuf::from("x/b.gz"));
    }

    #[test]
    fn out_dir_is_not_an_input_directory() {
        let dir = std::env::temp_dir();
        assert!(expand(std::slice::from_ref(&dir), Some(&dir)).unwrap_err().contains("is an input directory"));
    }

    #[test]
    fn stdin_and_out_dir_do_not_mix() {
        assert_eq!(expand(&[], None).unwrap(), vec![Input { source: Source::Stdin, output: None }]);
        assert!(expand(&[PathBuf::from("-")], Some(Path::new("out"))).is_err());
    }
}
