//! Every log line of a test, captured as production writes them: tracing's JSON formatter with the
//! event's fields flattened into the line and the current span (and its parents) attached, into a
//! buffer the test reads back. Records of the `log` crate (which reqwest and rustls use) can be
//! bridged into the same buffer, so nothing a dependency logs escapes the capture.

use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// A shared buffer of log lines. Cheap to clone: every clone writes to the same buffer.
#[derive(Clone, Default)]
pub struct Capture {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl Capture {
    /// An empty capture.
    pub fn new() -> Self {
        Self::default()
    }

    /// A subscriber writing JSON lines into this capture, for the targets and levels `filter`
    /// (an `EnvFilter` directive such as `debug,dewy_tool=trace`) lets through.
    pub fn subscriber(&self, filter: &str) -> impl tracing::Subscriber + Send + Sync + 'static {
        tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(true)
            .with_target(true)
            .with_env_filter(EnvFilter::new(filter))
            .with_writer(self.clone())
            .finish()
    }

    /// Everything captured, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// Every captured line that is JSON (they all should be).
    pub fn lines(&self) -> Vec<Value> {
        self.text()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
            .collect()
    }

    /// The captured audit events (target `audit`).
    pub fn audit_events(&self) -> Vec<Value> {
        self.lines()
            .into_iter()
            .filter(|line| line["target"] == dewy_tool::audit::TARGET)
            .collect()
    }

    /// Forgets what was captured so far.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.buffer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends every `log` record (from crates that log through `log`, not `tracing`) into this
    /// capture as a JSON line, at every level. Once per process: the `log` crate takes one logger.
    pub fn capture_log_records(&self) {
        let bridge: &'static LogBridge = Box::leak(Box::new(LogBridge(self.clone())));
        log::set_logger(bridge).expect("no other logger is installed");
        log::set_max_level(log::LevelFilter::Trace);
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = CaptureWriter;

    fn make_writer(&'a self) -> CaptureWriter {
        CaptureWriter(self.clone())
    }
}

/// A writer appending to a [`Capture`]. The formatter writes each line in one call.
pub struct CaptureWriter(Capture);

impl Write for CaptureWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `log` records as JSON lines in the capture.
struct LogBridge(Capture);

impl log::Log for LogBridge {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = json!({
            "level": record.level().as_str(),
            "target": record.target(),
            "message": record.args().to_string(),
            "via": "log",
        });
        let mut buffer = self.0.lock();
        buffer.extend_from_slice(line.to_string().as_bytes());
        buffer.push(b'\n');
    }

    fn flush(&self) {}
}
