//! The accept loop: hyper HTTP/1 connections whose service counts the request, applies fault rules
//! before and after handling, calls the axum router and logs the outcome.
//!
//! Not `axum::serve`, because dropping a connection without a response needs the service to
//! return an error, which hyper answers by closing the connection.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, HeaderValue, Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::api::{Meta, error_response};
use crate::error::SandboxError;
use crate::knobs::{Fault, FaultPhase, FaultRule, LoggedRequest};
use crate::state::{Shared, lock};

/// How long a `Timeout` fault holds a request before closing the connection.
const TIMEOUT_HOLD: Duration = Duration::from_secs(120);
/// How long shutdown waits for open connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The service's error: hyper closes the connection without a response.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

/// Resolves once the sandbox is shutting down (or its handle is gone).
pub(crate) async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// Accepts connections until `shutdown` turns true, then waits (bounded) for open ones.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, router: Router) {
    let mut shutdown = shared.shutdown.clone();
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, shared.clone(), router.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "stripe sandbox accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            () = stopped(&mut shutdown) => break,
        }
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>, router: Router) {
    let mut shutdown = shared.shutdown.clone();
    let service = hyper::service::service_fn(move |req| handle(shared.clone(), router.clone(), req));
    // No header-read timeout: an idle keep-alive connection stays open for the client's pool to
    // reuse, instead of being closed under it mid-benchmark (a spurious connection error).
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(None)
        .serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = stopped(&mut shutdown) => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.as_mut().await;
        }
    }
}

/// The log entry of one API request, written when it is answered, or (with no status) when it
/// is dropped unanswered: the client went away while the sandbox was still working on it.
struct PendingLog {
    shared: Arc<Shared>,
    entry: Option<LoggedRequest>,
}

impl PendingLog {
    fn finish(mut self, status: Option<u16>, replayed: bool) {
        self.write(status, replayed);
    }

    fn write(&mut self, status: Option<u16>, replayed: bool) {
        if let Some(mut entry) = self.entry.take() {
            entry.status = status;
            entry.replayed = replayed;
            entry.finished = Instant::now();
            lock(&self.shared.stats).record(entry);
        }
    }
}

impl Drop for PendingLog {
    fn drop(&mut self) {
        self.write(None, false);
    }
}

/// One request: admin calls go straight to the router; API calls are counted, maybe faulted,
/// handled, maybe faulted after, and logged.
async fn handle(
    shared: Arc<Shared>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response<Body>, Dropped> {
    let path = req.uri().path().to_owned();
    if path.starts_with("/__sandbox/") {
        return Ok(call(router, req).await);
    }
    let method = req.method().clone();
    let headers = req.headers().clone();
    lock(&shared.stats).count += 1;
    let log = PendingLog {
        shared: shared.clone(),
        entry: Some(LoggedRequest {
            method: method.clone(),
            path: path.clone(),
            idempotency_key: header(&headers, "idempotency-key"),
            replayed: false,
            started: Instant::now(),
            finished: Instant::now(),
            status: None,
        }),
    };
    let before = lock(&shared.knobs).pick_fault(&method, &path, FaultPhase::BeforeHandling);
    if let Some(rule) = before {
        return inject(&shared, &rule, &headers, log).await;
    }
    let response = call(router, req).await;
    let after = lock(&shared.knobs).pick_fault(&method, &path, FaultPhase::AfterHandling);
    if let Some(rule) = after {
        return inject(&shared, &rule, &headers, log).await;
    }
    let replayed = response.headers().contains_key("idempotent-replayed");
    log.finish(Some(response.status().as_u16()), replayed);
    Ok(response)
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

async fn call(router: Router, req: Request<Incoming>) -> Response<Body> {
    match router.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The faulty outcome of a request.
async fn inject(
    shared: &Shared,
    rule: &FaultRule,
    headers: &HeaderMap,
    log: PendingLog,
) -> Result<Response<Body>, Dropped> {
    let error = match rule.fault {
        Fault::ServerError => SandboxError::internal(),
        Fault::RateLimited => SandboxError::rate_limited(),
        Fault::Timeout => {
            // Logged now: the client gives up long before the hold ends.
            log.finish(None, false);
            let mut shutdown = shared.shutdown.clone();
            tokio::select! {
                _ = tokio::time::sleep(TIMEOUT_HOLD) => {}
                () = stopped(&mut shutdown) => {}
            }
            return Err(Dropped);
        }
        Fault::DropConnection => {
            log.finish(None, false);
            return Err(Dropped);
        }
    };
    let mut response = error_response(&error, &Meta::new(headers));
    let response_headers = response.headers_mut();
    if let Some(should_retry) = rule.should_retry {
        response_headers.insert(
            "stripe-should-retry",
            HeaderValue::from_static(if should_retry { "true" } else { "false" }),
        );
    }
    if rule.fault == Fault::RateLimited {
        response_headers.insert(
            http::header::RETRY_AFTER,
            HeaderValue::from(rule.retry_after_secs),
        );
    }
    log.finish(Some(error.status), false);
    Ok(response)
}
