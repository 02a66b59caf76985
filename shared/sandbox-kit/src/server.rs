//! The server: hyper HTTP/1 connections whose service counts each API request, waits out the
//! latency, applies fault rules before and after handling, calls the sandbox's axum router and logs
//! the outcome. `/__sandbox/*` requests go straight to the router.
//!
//! Not `axum::serve`, because dropping a connection without a response needs the service to
//! return an error, which hyper answers by closing the connection.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::response::Response;
use http::{HeaderMap, HeaderValue, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::{Controls, Fault, FaultPhase, FaultRule, LoggedRequest};

/// How long a `Timeout` fault holds a request before closing the connection.
const TIMEOUT_HOLD: Duration = Duration::from_secs(120);
/// How long shutdown waits for open connections to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// The request header logged as the idempotency key, when the API has them.
const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The response header marking a replayed idempotent response, when the API has them.
const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// A bound port, not yet serving: its address is known, so the sandbox can build the state and
/// router that need it, then [`Listener::serve`].
#[derive(Debug)]
pub struct Listener {
    listener: TcpListener,
    base_url: String,
}

impl Listener {
    /// Binds `addr` (port 0: an ephemeral port).
    ///
    /// # Errors
    /// If the address cannot be bound.
    pub async fn bind(addr: SocketAddr) -> std::io::Result<Listener> {
        let listener = TcpListener::bind(addr).await?;
        let mut local = listener.local_addr()?;
        if local.ip().is_unspecified() {
            // Bound to every interface: clients reach it on loopback.
            local.set_ip(Ipv4Addr::LOCALHOST.into());
        }
        Ok(Listener {
            listener,
            base_url: format!("http://{local}"),
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Serves `router` behind the knobs of `controls`, on the calling tokio runtime, until the
    /// returned [`Server`] is shut down or dropped (or the runtime ends).
    pub fn serve(self, controls: Arc<Controls>, router: Router) -> Server {
        let task = tokio::spawn(accept_loop(self.listener, controls.clone(), router));
        Server {
            controls,
            base_url: self.base_url,
            task: Some(task),
        }
    }
}

/// A running server. It shuts down when dropped.
#[derive(Debug)]
pub struct Server {
    controls: Arc<Controls>,
    base_url: String,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The knobs and the request log.
    pub fn controls(&self) -> &Controls {
        &self.controls
    }

    /// Stops accepting, lets open connections finish (up to 5 s) and returns when the server has
    /// stopped. Held (timeout-fault) requests are released at once.
    pub async fn shutdown(mut self) {
        self.controls.shut_down();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The accept loop and every connection watch this; they stop on their own.
        self.controls.shut_down();
    }
}

/// The service's error: hyper closes the connection without a response.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections until shutdown, then waits (bounded) for open ones.
async fn accept_loop(listener: TcpListener, controls: Arc<Controls>, router: Router) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, controls.clone(), router.clone()));
                }
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "sandbox accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            () = controls.stopped() => break,
        }
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

async fn serve_connection(stream: TcpStream, controls: Arc<Controls>, router: Router) {
    let service = hyper::service::service_fn({
        let controls = controls.clone();
        move |req| handle(controls.clone(), router.clone(), req)
    });
    // No header-read timeout: an idle keep-alive connection stays open for the client's pool to
    // reuse, instead of being closed under it mid-benchmark (a spurious connection error).
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(None)
        .serve_connection(TokioIo::new(stream), service);
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = controls.stopped() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.as_mut().await;
        }
    }
}

/// The log entry of one API request, written when it is answered, or (with no status) when it
/// is dropped unanswered: the client went away while the sandbox was still working on it.
struct PendingLog {
    controls: Arc<Controls>,
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
            self.controls.record(entry);
        }
    }
}

impl Drop for PendingLog {
    fn drop(&mut self) {
        self.write(None, false);
    }
}

/// One request: admin calls go straight to the router; API calls are counted, delayed, maybe
/// faulted, handled, maybe faulted after, and logged.
async fn handle(
    controls: Arc<Controls>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response, Dropped> {
    let path = req.uri().path().to_owned();
    if path.starts_with("/__sandbox/") {
        return Ok(call(router, req).await);
    }
    let method = req.method().clone();
    let headers = req.headers().clone();
    let idempotency = controls.api().logs_idempotency();
    controls.count_request();
    let started = Instant::now();
    let log = PendingLog {
        controls: controls.clone(),
        entry: Some(LoggedRequest {
            method: method.clone(),
            path: path.clone(),
            idempotency_key: idempotency.then(|| header(&headers, IDEMPOTENCY_KEY)).flatten(),
            replayed: false,
            started,
            finished: started,
            status: None,
        }),
    };
    if !controls.api().waits_itself() {
        controls.wait_latency().await;
    }
    if let Some(rule) = controls.pick_fault(&method, &path, FaultPhase::BeforeHandling) {
        return inject(&controls, &rule, &headers, log).await;
    }
    let response = call(router, req).await;
    if let Some(rule) = controls.pick_fault(&method, &path, FaultPhase::AfterHandling) {
        return inject(&controls, &rule, &headers, log).await;
    }
    let replayed = idempotency && response.headers().contains_key(IDEMPOTENT_REPLAYED);
    log.finish(Some(response.status().as_u16()), replayed);
    Ok(response)
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

async fn call(router: Router, req: Request<Incoming>) -> Response {
    match router.oneshot(req).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The faulty outcome of a request.
async fn inject(
    controls: &Controls,
    rule: &FaultRule,
    headers: &HeaderMap,
    log: PendingLog,
) -> Result<Response, Dropped> {
    let response = match rule.fault {
        Fault::ServerError => controls.api().server_error(rule, headers),
        Fault::RateLimited => {
            let mut response = controls.api().rate_limited(rule, headers);
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                HeaderValue::from(rule.retry_after_secs),
            );
            response
        }
        Fault::Timeout => {
            // Logged now: the client gives up long before the hold ends.
            log.finish(None, false);
            tokio::select! {
                () = tokio::time::sleep(TIMEOUT_HOLD) => {}
                () = controls.stopped() => {}
            }
            return Err(Dropped);
        }
        Fault::DropConnection => {
            log.finish(None, false);
            return Err(Dropped);
        }
    };
    log.finish(Some(response.status().as_u16()), false);
    Ok(response)
}
