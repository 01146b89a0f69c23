//! NDJSON in, NDJSON out through the module, in chunks of whole lines so memory stays bounded
//! (by the chunk size plus the longest line) whatever the input size.

use std::fmt;
use std::io::{self, Read, Write};

use crate::input::open_ndjson;
use crate::summary::Summary;
use crate::wasm::WasmNormalizer;

/// Input bytes sent to `cfecs_transform_batch` per call (a chunk may exceed it by one line).
pub const DEFAULT_CHUNK_BYTES: usize = 4 << 20;

#[derive(Debug)]
pub enum PipelineError {
    /// Reading an input failed; what was read before is still processed.
    Input(io::Error),
    /// Writing the output failed.
    Output(io::Error),
    /// The module trapped, or broke the ABI contract.
    Module(String),
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Input(error) => write!(f, "read error: {error}"),
            Self::Output(error) => write!(f, "write error: {error}"),
            Self::Module(message) => write!(f, "module error: {message}"),
        }
    }
}

impl std::error::Error for PipelineError {}

/// Writes one document per record to `output`, in input order, and tallies them.
pub struct Pipeline<W: Write> {
    normalizer: WasmNormalizer,
    output: W,
    chunk: Vec<u8>,
    chunk_records: usize,
    chunk_limit: usize,
    summary: Summary,
}

impl<W: Write> Pipeline<W> {
    /// `normalizer` should already be configured.
    pub fn new(normalizer: WasmNormalizer, output: W) -> Self {
        Self::with_chunk_bytes(normalizer, output, DEFAULT_CHUNK_BYTES)
    }

    pub fn with_chunk_bytes(normalizer: WasmNormalizer, output: W, chunk_bytes: usize) -> Self {
        Self {
            normalizer,
            output,
            chunk: Vec::new(),
            chunk_records: 0,
            chunk_limit: chunk_bytes,
            summary: Summary::default(),
        }
    }

    /// Reads every line of `input` (plain or gzip NDJSON).
    pub fn read_from(&mut self, input: impl Read) -> Result<(), PipelineError> {
        let mut reader = open_ndjson(input).map_err(PipelineError::Input)?;
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader
                .read_until(b'\n', &mut line)
                .map_err(PipelineError::Input)?
                == 0
            {
                return Ok(());
            }
            self.push_line(&line)?;
        }
    }

    /// Queues one line (with or without its `\n` / `\r\n`). Blank lines are not records.
    pub fn push_line(&mut self, line: &[u8]) -> Result<(), PipelineError> {
        let line = strip_line_terminator(line);
        if line.trim_ascii().is_empty() {
            return Ok(());
        }
        self.chunk.extend_from_slice(line);
        // Terminate every line here, so that a file without a final newline does not run into
        // the next file's first line.
        self.chunk.push(b'\n');
        self.chunk_records += 1;
        if self.chunk.len() >= self.chunk_limit {
            self.flush_chunk()?;
        }
        Ok(())
    }

    /// Processes what is queued, flushes the output and returns the tally.
    pub fn finish(mut self) -> Result<(Summary, W), PipelineError> {
        self.flush_chunk()?;
        self.output.flush().map_err(PipelineError::Output)?;
        Ok((self.summary, self.output))
    }

    fn flush_chunk(&mut self) -> Result<(), PipelineError> {
        if self.chunk_records == 0 {
            return Ok(());
        }
        let documents = self
            .normalizer
            .transform_batch(&self.chunk)
            .map_err(|error| PipelineError::Module(error.to_string()))?;
        if !documents.ends_with(b"\n") {
            return Err(PipelineError::Module(
                "cfecs_transform_batch output does not end with a newline".to_owned(),
            ));
        }
        let mut returned = 0;
        for document in documents
            .split(|&byte| byte == b'\n')
            .filter(|line| !line.is_empty())
        {
            self.summary
                .count(document)
                .map_err(PipelineError::Module)?;
            returned += 1;
        }
        if returned != self.chunk_records {
            return Err(PipelineError::Module(format!(
                "cfecs_transform_batch returned {returned} documents for {} records",
                self.chunk_records
            )));
        }
        self.output
            .write_all(&documents)
            .map_err(PipelineError::Output)?;
        self.chunk.clear();
        self.chunk_records = 0;
        Ok(())
    }
}

fn strip_line_terminator(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}
