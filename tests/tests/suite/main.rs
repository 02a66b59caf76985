//! The end-to-end tests as one test binary (one link, not one per file): each module is the suite
//! of one part of the system, named after it. `log_hygiene` is a binary of its own, because it
//! captures every log line of its process.

mod skills_support;

mod adapter_invoke;
mod audit;
mod bola;
mod bookings;
mod cases;
mod check_in_guest;
mod checkout;
mod confirmations;
mod conformance;
mod contention;
mod events;
mod fault_injection;
mod function_logs;
mod functions;
mod generated;
mod idempotency;
mod infra;
mod lambda;
mod mcp_clients;
mod next_steps;
mod notifications;
mod openapi;
mod portal;
mod rate_limits;
mod rest;
mod room_controls;
mod scenarios;
mod searches;
mod secrets;
mod skills_search;
mod skills_stripe;
mod skills_update;
mod skills_write;
mod sms_queue;
mod template;
mod tools_table;
mod trace_context;
mod watch_binaries;
mod web_tools;
