//! Reading NDJSON input that may be gzip-compressed (Logpush delivers `.gz` batches), and
//! telling when a live input has paused.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

use flate2::bufread::MultiGzDecoder;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Bytes to ask for per read (for gzip input, the decoder asks for these): more than a pipe
/// holds (64 KiB), so that a read from a pipe comes back short once the pipe is drained,
/// which is how a pause is seen (see [`Text::paused`]).
pub const READ_BYTES: usize = 256 * 1024;

/// The text of an input: decompressed when it starts with the gzip magic bytes. The content
/// decides, not a file name, so stdin and misnamed files work too. Concatenated gzip members
/// are read as one stream, as `gunzip` does.
pub struct Text<'a> {
    reader: Box<dyn Read + 'a>,
    drained: Rc<Cell<bool>>,
}

impl<'a> Text<'a> {
    /// `on_read` is told how many bytes of `input` (compressed, when it is) each read took.
    pub fn open(input: impl Read + 'a, on_read: impl FnMut(usize) + 'a) -> io::Result<Self> {
        let drained = Rc::new(Cell::new(false));
        let mut input = Watched { inner: input, drained: Rc::clone(&drained), on_read };
        let mut magic = [0u8; GZIP_MAGIC.len()];
        let filled = read_up_to(&mut input, &mut magic)?;
        let start = io::Cursor::new(magic.get(..filled).unwrap_or_default().to_vec());
        let whole = start.chain(input);
        let reader: Box<dyn Read + 'a> = if magic == GZIP_MAGIC {
            Box::new(MultiGzDecoder::new(BufReader::with_capacity(READ_BYTES, whole)))
        } else {
            Box::new(whole)
        };
        // The bytes read so far may hold a whole line: let them be passed on.
        drained.set(true);
        Ok(Text { reader, drained })
    }

    /// Whether the input was drained by the last read: a read from a pipe that came back
    /// with less than asked for. What has been read should then be processed at once rather
    /// than held while the next read waits. A file is drained only at its end.
    pub fn paused(&self) -> bool {
        self.drained.get()
    }
}

impl Read for Text<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buffer)
    }
}

/// The lines of `input`, plain or gzip (for programs that want a `BufRead`, e.g. the bench).
pub fn open_ndjson<'a>(input: impl Read + 'a) -> io::Result<impl BufRead + 'a> {
    Ok(BufReader::new(Text::open(input, |_| {})?))
}

/// The raw input, telling whether each read drained it and how much it read.
struct Watched<R, F> {
    inner: R,
    drained: Rc<Cell<bool>>,
    on_read: F,
}

impl<R: Read, F: FnMut(usize)> Read for Watched<R, F> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.drained.set(read < buffer.len());
        (self.on_read)(read);
        Ok(read)
    }
}

/// Fills `buffer` unless the input ends first (a pipe may deliver one byte at a time).
fn read_up_to(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buffer.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match input.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn text_of(input: &[u8]) -> (Vec<u8>, usize) {
        let mut read = 0;
        let mut text = Vec::new();
        Text::open(input, |n| read += n).unwrap().read_to_end(&mut text).unwrap();
        (text, read)
    }

    #[test]
    fn plain_gzip_and_concatenated_gzip_members() {
        assert_eq!(text_of(b"{\"a\":1}\n"), (b"{\"a\":1}\n".to_vec(), 8));
        assert_eq!(text_of(b"x"), (b"x".to_vec(), 1));
        assert_eq!(text_of(b""), (Vec::new(), 0));
        let mut members = gzip(b"one\n");
        members.extend(gzip(b"two\n"));
        assert_eq!(text_of(&members), (b"one\ntwo\n".to_vec(), members.len()));
    }

    #[test]
    fn a_short_read_is_a_pause() {
        // A reader that delivers 3 bytes per read, as a pipe written slowly does.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(3).min(buffer.len());
                let (now, later) = self.0.split_at(n);
                buffer[..n].copy_from_slice(now);
                self.0 = later;
                Ok(n)
            }
        }
        let mut text = Text::open(Trickle(b"abcdefgh"), |_| {}).unwrap();
        let mut buffer = [0u8; 16];
        assert_eq!(text.read(&mut buffer).unwrap(), 2, "the magic bytes first");
        assert!(text.paused());
        assert_eq!(text.read(&mut buffer).unwrap(), 3);
        assert!(text.paused());
        assert_eq!(text.read(&mut buffer[..2]).unwrap(), 2);
        assert!(!text.paused(), "all that was asked for came: more may be waiting");
    }
}
