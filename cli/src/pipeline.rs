//! NDJSON in, NDJSON out on several threads. One thread reads the inputs in turn and cuts
//! their text into chunks of whole lines; `jobs` threads normalize chunks, of several inputs
//! at once; the calling thread writes the documents in input order. A fixed number of chunk
//! buffers goes round, so memory is bounded by `jobs` × the chunk size (plus the longest line),
//! whatever the input size. When an input pauses (a live pipe), what has been read is passed
//! on at once and written as soon as it is normalized.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, Sender, SyncSender, TryRecvError, channel, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use cloudflare_ecs::Normalizer;

use crate::input::{READ_BYTES, Text};
use crate::inputs::{Input, Source};
use crate::progress::Progress;
use crate::summary::Summary;

/// Input text per chunk (a chunk may exceed it by one line).
pub const DEFAULT_CHUNK_BYTES: usize = 128 * 1024;

/// Where documents go, in input order.
pub trait Output {
    /// Documents of `input`, each ending in `\n`.
    fn write(&mut self, input: &Input, documents: &[u8]) -> io::Result<()>;
    /// `input` has ended: every document of it was written if `complete`, else reading it failed.
    fn end(&mut self, input: &Input, complete: bool) -> io::Result<()>;
    /// Nothing more is ready for now: make what was written visible.
    fn flush(&mut self) -> io::Result<()>;
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Threads that normalize.
    pub jobs: usize,
    pub chunk_bytes: usize,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub summary: Summary,
    /// Inputs that could not be read to their end (each reported on stderr when met; the
    /// documents of the lines read before are written).
    pub unreadable: usize,
}

/// The buffers of one chunk, passed from the reader to a worker to the writer and back.
#[derive(Default)]
struct Slot {
    text: Vec<u8>,
    documents: Vec<u8>,
    summary: Summary,
}

struct Chunk {
    seq: u64,
    input: usize,
    slot: Slot,
    /// On an input's last chunk (possibly empty): how reading it ended.
    end: Option<io::Result<()>>,
}

/// Normalizes every input, in order, into `output`. `Err` when writing failed or a thread
/// of the pipeline died; a read error ends only its input (see [`Report::unreadable`]).
pub fn run(
    normalizer: &Normalizer,
    inputs: &[Input],
    config: &Config,
    output: &mut dyn Output,
    progress: &Progress,
) -> io::Result<Report> {
    let jobs = config.jobs.max(1);
    // One being filled, one per worker, and as many again finished and waiting for their turn.
    let slots = 2 * jobs + 1;
    let (pool_sender, pool) = sync_channel(slots);
    for _ in 0..slots {
        pool_sender.send(Slot::default()).map_err(io::Error::other)?;
    }
    let (work_sender, work) = channel();
    let (done_sender, done) = channel();
    let shared: Arc<[Input]> = inputs.into();
    let reader = {
        let chunk_bytes = config.chunk_bytes.max(1);
        let mut chunker = Chunker { seq: 0, pool, work: work_sender, chunk_bytes, read_buffer: Vec::new() };
        let progress = progress.clone();
        spawn("reader", move || {
            for (index, input) in shared.iter().enumerate() {
                if chunker.read(index, &input.source, &progress).is_err() {
                    return; // the writer has stopped
                }
            }
        })?
    };
    let work = Arc::new(Mutex::new(work));
    let workers = (0..jobs)
        .map(|_| {
            let (normalizer, work, done) = (normalizer.clone(), Arc::clone(&work), done_sender.clone());
            spawn("worker", move || normalize_chunks(&normalizer, &work, &done))
        })
        .collect::<io::Result<Vec<_>>>()?;
    drop(done_sender);

    let report = write_in_order(&done, &pool_sender, inputs, config, output, progress)?;
    for handle in workers.into_iter().chain([reader]) {
        handle.join().map_err(|_| io::Error::other("a thread of the pipeline failed"))?;
    }
    Ok(report)
}

fn spawn(name: &str, body: impl FnOnce() + Send + 'static) -> io::Result<JoinHandle<()>> {
    thread::Builder::new().name(name.to_owned()).spawn(body)
}

/// The writer: documents in input order, chunk buffers back to the reader.
fn write_in_order(
    done: &Receiver<Chunk>,
    pool: &SyncSender<Slot>,
    inputs: &[Input],
    config: &Config,
    output: &mut dyn Output,
    progress: &Progress,
) -> io::Result<Report> {
    let mut report = Report::default();
    let mut waiting = BTreeMap::new();
    let mut next = 0;
    loop {
        let chunk = match done.try_recv() {
            Ok(chunk) => chunk,
            Err(TryRecvError::Empty) => {
                output.flush()?;
                match done.recv() {
                    Ok(chunk) => chunk,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        waiting.insert(chunk.seq, chunk);
        while let Some(mut chunk) = waiting.remove(&next) {
            next += 1;
            let input = inputs.get(chunk.input).ok_or_else(|| io::Error::other("chunk of no input"))?;
            if !chunk.slot.documents.is_empty() {
                output.write(input, &chunk.slot.documents)?;
            }
            report.summary.add(&chunk.slot.summary);
            progress.written(report.summary.records);
            match chunk.end.take() {
                Some(Ok(())) => output.end(input, true)?,
                Some(Err(error)) => {
                    progress.report(&format!("cloudflare-ecs: {}: {error}", input.name()));
                    report.unreadable += 1;
                    output.end(input, false)?;
                }
                None => {}
            }
            // The reader may have finished: then nobody needs the buffers any more.
            let _ = pool.send(recycled(chunk.slot, config.chunk_bytes));
        }
    }
    if !waiting.is_empty() {
        return Err(io::Error::other("a worker of the pipeline failed"));
    }
    Ok(report)
}

/// `slot` emptied, keeping its buffers unless a long line made them unusually large.
fn recycled(mut slot: Slot, chunk_bytes: usize) -> Slot {
    for buffer in [&mut slot.text, &mut slot.documents] {
        buffer.clear();
        if buffer.capacity() > chunk_bytes.saturating_mul(8) {
            *buffer = Vec::new();
        }
    }
    slot.summary = Summary::default();
    slot
}

/// A worker: chunks in, documents and their tally out.
fn normalize_chunks(normalizer: &Normalizer, work: &Mutex<Receiver<Chunk>>, done: &Sender<Chunk>) {
    loop {
        let next = match work.lock() {
            Ok(work) => work.recv(),
            Err(_) => return,
        };
        let Ok(mut chunk) = next else {
            return; // every input has been read
        };
        // A chunk is whole lines: one batch, each document counted as the core writes it.
        let Slot { text, documents, summary } = &mut chunk.slot;
        normalizer.normalize_batch_with(text, documents, |outcome| summary.count(outcome));
        if done.send(chunk).is_err() {
            return; // the writer has stopped
        }
    }
}

/// The writer stopped: no one takes chunks any more.
struct Stopped;

enum Interrupted {
    Read(io::Error),
    Stopped,
}

impl From<Stopped> for Interrupted {
    fn from(_: Stopped) -> Self {
        Interrupted::Stopped
    }
}

/// The reader: cuts each input's text into chunks of whole lines.
struct Chunker {
    seq: u64,
    pool: Receiver<Slot>,
    work: Sender<Chunk>,
    chunk_bytes: usize,
    /// What each read goes into (zeroed once, not once per read).
    read_buffer: Vec<u8>,
}

impl Chunker {
    /// Sends the input's text in chunks; its last one (possibly empty) says how reading ended.
    /// A line cut short by a read error is dropped.
    fn read(&mut self, input: usize, source: &Source, progress: &Progress) -> Result<(), Stopped> {
        let mut slot = self.slot()?;
        let end = match self.fill(input, source, &mut slot, progress) {
            Ok(()) => Ok(()),
            Err(Interrupted::Read(error)) => {
                let whole_lines = memchr::memrchr(b'\n', &slot.text).map_or(0, |at| at + 1);
                slot.text.truncate(whole_lines);
                Err(error)
            }
            Err(Interrupted::Stopped) => return Err(Stopped),
        };
        self.send(input, slot, Some(end))
    }

    fn fill(&mut self, input: usize, source: &Source, slot: &mut Slot, progress: &Progress) -> Result<(), Interrupted> {
        let raw: Box<dyn Read> = match source {
            Source::Stdin => Box::new(io::stdin().lock()),
            Source::File(path) => Box::new(File::open(path).map_err(Interrupted::Read)?),
        };
        let mut text = Text::open(raw, |bytes| progress.read(bytes)).map_err(Interrupted::Read)?;
        let wanted = self.chunk_bytes.min(READ_BYTES);
        if self.read_buffer.len() < wanted {
            self.read_buffer.resize(wanted, 0);
        }
        loop {
            let buffer = self.read_buffer.get_mut(..wanted).unwrap_or_default();
            let read = match text.read(buffer) {
                Ok(0) => return Ok(()), // the end: what is left goes with the last chunk
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(Interrupted::Read(error)),
            };
            slot.text.extend_from_slice(buffer.get(..read).unwrap_or_default());
            if (slot.text.len() >= self.chunk_bytes || text.paused())
                && let Some(last_newline) = memchr::memrchr(b'\n', &slot.text)
            {
                let rest = slot.text.split_off(last_newline + 1);
                let full = std::mem::take(slot);
                self.send(input, full, None)?;
                *slot = self.slot()?;
                slot.text.extend_from_slice(&rest);
            }
        }
    }

    /// A free chunk buffer: waits while all are in use.
    fn slot(&mut self) -> Result<Slot, Stopped> {
        self.pool.recv().map_err(|_| Stopped)
    }

    fn send(&mut self, input: usize, slot: Slot, end: Option<io::Result<()>>) -> Result<(), Stopped> {
        let chunk = Chunk { seq: self.seq, input, slot, end };
        self.seq += 1;
        self.work.send(chunk).map_err(|_| Stopped)
    }
}
