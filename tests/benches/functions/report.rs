//! The figures of one function over its cold starts, and the table and summary printed.

use dewy_e2e::runtime_api::{Answer, Memory};
use serde_json::Value;
use std::time::Duration;

/// The memory goal for each function after its first invocation, in KiB (Lambda's MB are MiB).
pub const GOAL_KIB: u64 = 32 * 1024;

/// One cold start: a fresh process answering its first event.
pub struct Sample {
    /// Spawn to the first `GET /next`: the function's init.
    pub init: Duration,
    /// Spawn to the first answer: the cold-start proxy.
    pub first_response: Duration,
    /// Read right after the first answer arrived.
    pub memory: Memory,
    /// What the function answered, e.g. `200` or `404 PAYMENT_NOT_FOUND`.
    pub status: String,
}

/// A function's figures over its samples: median times, largest memory.
pub struct Row {
    pub name: String,
    pub init: Duration,
    pub first_response: Duration,
    pub rss_kib: u64,
    pub peak_rss_kib: u64,
    pub statuses: Vec<String>,
}

impl Row {
    pub fn of(name: &str, samples: &[Sample]) -> Row {
        let mut statuses: Vec<String> = samples.iter().map(|s| s.status.clone()).collect();
        statuses.dedup();
        Row {
            name: name.to_owned(),
            init: median(samples.iter().map(|s| s.init).collect()),
            first_response: median(samples.iter().map(|s| s.first_response).collect()),
            rss_kib: samples.iter().map(|s| s.memory.rss_kib).max().unwrap_or(0),
            peak_rss_kib: samples.iter().map(|s| s.memory.peak_rss_kib).max().unwrap_or(0),
            statuses,
        }
    }

    /// Over the goal: the peak, which is at least the memory held after the invocation and is
    /// what Lambda's `Max Memory Used` reports.
    pub fn over_goal(&self) -> bool {
        self.peak_rss_kib > GOAL_KIB
    }
}

/// What an answer says, for the table: an API Gateway response's status and error code, the SQS
/// batch response's failures.
pub fn describe(answer: &Answer) -> String {
    let Ok(json) = answer.json() else {
        return format!("{} bytes, not JSON", answer.body.len());
    };
    if let Some(status) = json["statusCode"].as_u64() {
        let body: Value = json["body"]
            .as_str()
            .and_then(|b| serde_json::from_str(b).ok())
            .unwrap_or(Value::Null);
        return match body["error_code"].as_str() {
            Some(code) => format!("{status} {code}"),
            None => status.to_string(),
        };
    }
    if let Some(failures) = json["batchItemFailures"].as_array() {
        return format!("SQS batch, {} failed", failures.len());
    }
    "response".to_owned()
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    match values.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

pub fn print_table(rows: &[Row]) {
    println!("| function | init | first response | RSS | peak RSS | answer status |");
    println!("|---|---:|---:|---:|---:|---|");
    for row in rows {
        let mark = if row.over_goal() { " **over 32 MiB**" } else { "" };
        println!(
            "| {} | {} | {} | {} | {}{mark} | {} |",
            row.name,
            ms(row.init),
            ms(row.first_response),
            mib(row.rss_kib),
            mib(row.peak_rss_kib),
            row.statuses.join(", ")
        );
    }
}

pub fn print_summary(rows: &[Row]) {
    if rows.is_empty() {
        return;
    }
    println!();
    println!("| over {} functions | min | median | max |", rows.len());
    println!("|---|---:|---:|---:|");
    let spread = |label: &str, values: Vec<Duration>| {
        let (min, max) = (values.iter().min().copied(), values.iter().max().copied());
        let median = median(values);
        println!(
            "| {label} | {} | {} | {} |",
            ms(min.unwrap_or_default()),
            ms(median),
            ms(max.unwrap_or_default())
        );
    };
    spread("init", rows.iter().map(|r| r.init).collect());
    spread("first response", rows.iter().map(|r| r.first_response).collect());
    let memory = |label: &str, mut values: Vec<u64>| {
        values.sort_unstable();
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2
        };
        println!(
            "| {label} | {} | {} | {} |",
            mib(values[0]),
            mib(median),
            mib(values[n - 1])
        );
    };
    memory("RSS", rows.iter().map(|r| r.rss_kib).collect());
    memory("peak RSS", rows.iter().map(|r| r.peak_rss_kib).collect());
    println!();
    let over: Vec<&str> = rows
        .iter()
        .filter(|r| r.over_goal())
        .map(|r| r.name.as_str())
        .collect();
    if over.is_empty() {
        println!("Goal met: every function's peak RSS through its first invocation is at most 32 MiB.");
    } else {
        println!(
            "Goal missed: peak RSS over 32 MiB in {} function(s): {}",
            over.len(),
            over.join(", ")
        );
    }
}
