//! Tracing set-up.

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Levels appended to whatever the operator sets, which the operator cannot lower or raise:
/// - `rmcp::service` logs every MCP request and result in full at DEBUG: guests' emails, tool
///   arguments, and a 3-D Secure redirect URL carrying a PaymentIntent's client secret. It stays at
///   INFO even when an operator turns on DEBUG to chase a problem (`tests/tests/log_hygiene/main.rs`).
/// - `audit` events (see `dewy_tool::audit`) stay on at INFO when the rest is set to WARN.
pub const FIXED_LEVELS: &str = "rmcp::service=info,audit=info";

/// The filter for `level` (e.g. `info`, `debug`, or `RUST_LOG` directives such as
/// `warn,dewy_tool=debug`) with [`FIXED_LEVELS`] after it, which win over the operator's for their
/// targets. Targets and levels only: `EnvFilter` also reads span and field directives, but its
/// regular-expression engine took 0.27 MB of the functions' binary (arm64, stripped). Directives
/// that are not targets and levels leave the default: INFO, with the fixed levels.
pub fn filter(level: &str) -> Targets {
    format!("{},{FIXED_LEVELS}", level.to_lowercase())
        .parse()
        .or_else(|_| format!("info,{FIXED_LEVELS}").parse())
        .unwrap_or_else(|_| Targets::new().with_default(LevelFilter::INFO))
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
        .with_max_level(LevelFilter::TRACE)
        .finish()
        .with(filter(&level.unwrap_or_else(|_| "info".to_owned())))
        .try_init();
    dewy_tool::metrics::write_to_stdout();
}

/// Logging for local runs: readable lines on stderr, level from `RUST_LOG` (default `info`).
pub fn init_local() {
    let level = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned());
    let _ = tracing_subscriber::fmt()
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_max_level(LevelFilter::TRACE)
        .finish()
        .with(filter(&level))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn the_fixed_levels_win_over_the_operators() {
        let debug = filter("DEBUG,rmcp::service=trace");
        assert!(debug.would_enable("dewy_tool::dispatch", &Level::DEBUG));
        assert!(!debug.would_enable("rmcp::service", &Level::DEBUG));
        assert!(debug.would_enable("rmcp::service::x", &Level::INFO));
        let warn = filter("warn");
        assert!(!warn.would_enable("dewy_tool", &Level::INFO));
        assert!(warn.would_enable("audit", &Level::INFO));
    }

    #[test]
    fn directives_it_cannot_read_leave_info() {
        let filter = filter("[span{field=1}]=debug");
        assert!(filter.would_enable("dewy_tool", &Level::INFO));
        assert!(!filter.would_enable("dewy_tool", &Level::DEBUG));
        assert!(!filter.would_enable("rmcp::service", &Level::DEBUG));
    }
}
