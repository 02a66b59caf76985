//! Transports derived from the tool definitions, and the wiring every binary shares.
//!
//! # Layout
//! - [`request`]: the transport-neutral HTTP call: body limits, JSON parsing, then the tool's invoke
//!   path. The Lambda handler and the local stack's REST router (`dewy-local`) both end here, so
//!   they answer identically.
//! - [`lambda`]: a tool's Lambda function (API Gateway HTTP API v2 events, JWT authorizer claims).
//! - [`adapter`]: the MCP-adapter Lambda (persona MCP servers, tools reached by Lambda Invoke).
//! - [`invoke`]: tool dispatch through Lambda Invoke (the MCP adapter in AWS).
//! - [`config`]: connector settings from the environment, credentials from Secrets Manager.
//! - [`notifier`]: the SMS outbox in AWS: the SQS queue tools put texts on, and the `sms_notifier`
//!   function that sends them.
//! - [`logging`]: tracing set-up for Lambda (JSON, as CloudWatch expects) and for local runs.

pub mod adapter;
pub mod config;
pub mod invoke;
pub mod lambda;
pub mod logging;
pub mod notifier;
pub mod request;
