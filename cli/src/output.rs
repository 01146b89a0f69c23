//! Where the documents go: one stream (stdout), or one file per input (`--out-dir`).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::inputs::Input;
use crate::pipeline::Output;

/// Every input's documents into one stream, in input order.
pub struct Stream<W: Write>(pub W);

impl<W: Write> Output for Stream<W> {
    fn write(&mut self, _input: &Input, documents: &[u8]) -> io::Result<()> {
        self.0.write_all(documents)
    }

    fn end(&mut self, _input: &Input, _complete: bool) -> io::Result<()> {
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Each input's documents into its own file ([`Input::output`]), written whole: into a hidden
/// temporary file beside it, renamed once the input has been read to its end. An interrupted
/// run leaves no partial output under the final name, so a restart can skip what exists.
#[derive(Default)]
pub struct OutDir {
    open: Option<Partial>,
}

struct Partial {
    target: PathBuf,
    temporary: PathBuf,
    file: BufWriter<File>,
}

impl OutDir {
    /// The file being written for `input`, opened on first use.
    fn file_for(&mut self, input: &Input) -> io::Result<&mut Partial> {
        let target = input
            .output
            .as_deref()
            .ok_or_else(|| io::Error::other(format!("{}: no output file", input.name())))?;
        if self.open.as_ref().is_some_and(|open| open.target != target) {
            self.discard()?;
        }
        match &mut self.open {
            Some(open) => Ok(open),
            slot @ None => {
                let temporary = temporary_path(target);
                if let Some(dir) = target.parent() {
                    fs::create_dir_all(dir)?;
                }
                let file = BufWriter::with_capacity(1 << 20, File::create(&temporary)?);
                Ok(slot.insert(Partial { target: target.to_owned(), temporary, file }))
            }
        }
    }

    fn discard(&mut self) -> io::Result<()> {
        match self.open.take() {
            Some(open) => {
                drop(open.file);
                fs::remove_file(&open.temporary)
            }
            None => Ok(()),
        }
    }
}

impl Output for OutDir {
    fn write(&mut self, input: &Input, documents: &[u8]) -> io::Result<()> {
        self.file_for(input)?.file.write_all(documents)
    }

    fn end(&mut self, input: &Input, complete: bool) -> io::Result<()> {
        if !complete {
            return self.discard();
        }
        // An input without records still gets its (empty) file: it is done.
        self.file_for(input)?;
        match self.open.take() {
            Some(mut open) => {
                open.file.flush()?;
                drop(open.file);
                fs::rename(&open.temporary, &open.target)
            }
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.open {
            Some(open) => open.file.flush(),
            None => Ok(()),
        }
    }
}

/// `dir/.name.partial` for `dir/name`: hidden, so a directory walk does not take it as input.
fn temporary_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|name| name.to_string_lossy()).unwrap_or_default();
    target.with_file_name(format!(".{name}.partial"))
}
