//! CPU time spent by each part of the process, read from Linux's per-thread scheduler statistics
//! (`/proc/self/task/<tid>/schedstat`: nanoseconds on a CPU, user and kernel time alike), grouped by
//! thread name. Each part runs on its own named runtime (see `stack`), so the load generator's and
//! the sandbox's share of the cores can be told apart from the adapter's.

use crate::stack::{ADAPTER, LOAD, SANDBOX};
use std::time::Duration;

/// CPU time so far of the adapter's, the sandbox's and the load generator's threads, and of the
/// rest (the main thread, which only waits).
#[derive(Clone, Copy, Default)]
pub struct Usage {
    pub adapter: Duration,
    pub sandbox: Duration,
    pub load: Duration,
    pub other: Duration,
}

impl Usage {
    /// Now. All zero where `/proc` cannot be read (not Linux): the columns then read 0.
    pub fn now() -> Usage {
        let mut usage = Usage::default();
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return usage;
        };
        for task in tasks.flatten() {
            let path = task.path();
            let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
            let on_cpu = std::fs::read_to_string(path.join("schedstat"))
                .ok()
                .and_then(|text| text.split_whitespace().next()?.parse().ok())
                .map_or(Duration::ZERO, Duration::from_nanos);
            let part = match name.trim_end() {
                ADAPTER => &mut usage.adapter,
                SANDBOX => &mut usage.sandbox,
                LOAD => &mut usage.load,
                _ => &mut usage.other,
            };
            *part += on_cpu;
        }
        usage
    }

    /// What was spent between `earlier` and `self`. Threads that ended in between (Tokio's blocking
    /// pool lets idle ones go) take their time with them, hence the saturation.
    pub fn since(self, earlier: Usage) -> Usage {
        Usage {
            adapter: self.adapter.saturating_sub(earlier.adapter),
            sandbox: self.sandbox.saturating_sub(earlier.sandbox),
            load: self.load.saturating_sub(earlier.load),
            other: self.other.saturating_sub(earlier.other),
        }
    }
}
