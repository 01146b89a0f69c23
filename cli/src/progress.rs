//! Progress on a terminal: records, bytes read, rate and, when the input sizes are known,
//! ETA. Hidden when stderr is not a terminal.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Cheap to clone; every clone updates the same display.
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Progress {
    /// Shows nothing; messages go straight to stderr.
    pub fn hidden() -> Self {
        Progress { bar: None, start: Instant::now() }
    }

    /// A progress line on stderr. `total_bytes` is the inputs' size when all are files.
    pub fn on_stderr(total_bytes: Option<u64>) -> Self {
        let (bar, template) = match total_bytes {
            Some(total) => (
                ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
                "{elapsed} {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            ),
            None => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                "{spinner} {elapsed} {binary_bytes} {binary_bytes_per_sec} {msg}",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar: Some(bar), start: Instant::now() }
    }

    /// Input bytes read (compressed, when they are).
    pub fn read(&self, bytes: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes as u64);
        }
    }

    /// Records written so far.
    pub fn written(&self, records: u64) {
        if let Some(bar) = &self.bar {
            let seconds = self.start.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{records} records, {:.0} records/s", records as f64 / seconds));
        }
    }

    /// A line on stderr, above the progress line.
    pub fn report(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the progress line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
