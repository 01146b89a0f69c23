//! Opening NDJSON input that may be gzip-compressed (Logpush delivers `.gz` batches).

use std::io::{self, BufRead, BufReader, Read};

use flate2::read::MultiGzDecoder;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A line reader over `input`, decompressed when it starts with the gzip magic bytes. The
/// content decides, not a file name, so stdin and misnamed files work too. Concatenated gzip
/// members are read as one stream, as `gunzip` does.
pub fn open_ndjson<'a>(mut input: impl Read + 'a) -> io::Result<Box<dyn BufRead + 'a>> {
    let mut magic = [0u8; GZIP_MAGIC.len()];
    let filled = read_up_to(&mut input, &mut magic)?;
    let whole = io::Cursor::new(magic[..filled].to_vec()).chain(input);
    Ok(if magic[..filled] == GZIP_MAGIC {
        Box::new(BufReader::new(MultiGzDecoder::new(whole)))
    } else {
        Box::new(BufReader::new(whole))
    })
}

/// Fills `buffer` unless the input ends first (a pipe may deliver one byte at a time).
fn read_up_to(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}
