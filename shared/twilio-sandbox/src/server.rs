//! The accept loop: hyper HTTP/1 connections whose service applies latency and faults, counts
//! the request and then calls the axum router.
//!
//! Not `axum::serve`, because dropping a connection without a response needs the service to
//! return an error, which hyper answers by closing the connection.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use http::{HeaderValue, Method, Request, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::api::error_response;
use crate::error::ApiError;
use crate::knobs::{Fault, FaultPhase, LoggedRequest};
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
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
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
                    tracing::warn!(error = %e, "sandbox accept failed");
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

/// One request: admin calls go straight to the router; API calls are counted, delayed, maybe
/// faulted, handled, maybe faulted after, and logged.
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
    let started = Instant::now();
    lock(&shared.stats).count += 1;
    let latency = lock(&shared.knobs).latency;
    if let Some(latency) = latency {
        tokio::time::sleep(latency.sample()).await;
    }
    let before = lock(&shared.knobs).pick_fault(&method, &path, FaultPhase::BeforeHandling);
    if let Some(fault) = before {
        return inject(&shared, fault, method, path, started).await;
    }
    let response = call(router, req).await;
    let after = lock(&shared.knobs).pick_fault(&method, &path, FaultPhase::AfterHandling);
    if let Some(fault) = after {
        return inject(&shared, fault, method, path, started).await;
    }
    log(&shared, method, path, started, Some(response.status().as_u16()));
    Ok(response)
}

async fn call(router: Router, req: Request<Incoming>) -> Response<Body> {
    match router.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

fn log(shared: &Shared, method: Method, path: String, started: Instant, status: Option<u16>) {
    let entry = LoggedRequest {
        method,
        path,
        started,
        finished: Instant::now(),
        status,
    };
    lock(&shared.stats).record(entry);
}

/// The faulty outcome of a request.
async fn inject(
    shared: &Shared,
    fault: Fault,
    method: Method,
    path: String,
    started: Instant,
) -> Result<Response<Body>, Dropped> {
    match fault {
        Fault::ServerError => {
            log(shared, method, path, started, Some(500));
            Ok(error_response(&ApiError::internal()))
        }
        Fault::RateLimited => {
            log(shared, method, path, started, Some(429));
            let mut response = error_response(&ApiError::too_many_requests());
            response
                .headers_mut()
                .insert(http::header::RETRY_AFTER, HeaderValue::from_static("1"));
            Ok(response)
        }
        Fault::Timeout => {
            // Logged now: the client gives up long before the hold ends.
            log(shared, method, path, started, None);
            let mut shutdown = shared.shutdown.clone();
            tokio::select! {
                _ = tokio::time::sleep(TIMEOUT_HOLD) => {}
                () = stopped(&mut shutdown) => {}
            }
            Err(Dropped)
        }
        Fault::DropConnection => {
            log(shared, method, path, started, None);
            Err(Dropped)
        }
    }
}
