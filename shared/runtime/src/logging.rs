//! Tracing set-up.

use tracing_subscriber::EnvFilter;

/// Levels appended to whatever the operator sets, which the operator cannot lower or raise:
/// - `rmcp::service` logs every MCP request and result in full at DEBUG: guests' emails, tool
///   arguments, and a 3-D Secure redirect URL carrying a PaymentIntent's client secret. It stays at
///   INFO even when an operator turns on DEBUG to chase a problem (`tests/tests/log_hygiene.rs`).
/// - `audit` events (see `dewy_tool::audit`) stay on at INFO when the rest is set to WARN.
pub const FIXED_LEVELS: &str = "rmcp::service=info,audit=info";

/// The filter for `level` (e.g. `info`, `debug`, or `RUST_LOG` directives) with [`FIXED_LEVELS`].
pub fn filter(level: &str) -> EnvFilter {
    EnvFilter::new(format!("{},{FIXED_LEVELS}", level.to_lowercase()))
}

/// Logging for a Lambda function: one JSON object per line on stdout, which is what the Lambda
/// runtime and CloudWatch read with the functions' `LogFormat: JSON`:
/// `{"timestamp","level","message",<the event's fields>,"target","span":{"requestId",..}}`.
/// The event's fields are top-level (flattened), so Logs Insights queries them by name, and the
/// level is the `level` key Lambda's application log level filter reads. The current span is the
/// runtime's per-invocation span, which carries the request id. The level comes from
/// `AWS_LAMBDA_LOG_LEVEL` (the function's `ApplicationLogLevel`), then `RUST_LOG`, then `info`.
///
/// Metrics are not log events: see `dewy_tool::metrics`, turned on here too.
pub fn init_lambda() {
    let level = std::env::var("AWS_LAMBDA_LOG_LEVEL").or_else(|_| std::env::var("RUST_LOG"));
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_env_filter(filter(&level.unwrap_or_else(|_| "info".to_owned())))
        .try_init();
    dewy_tool::metrics::write_to_stdout();
}

/// Logging for local runs: readable lines on stderr, level from `RUST_LOG` (default `info`).
pub fn init_local() {
    let level = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(&level))
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}
