//! A Lambda Runtime API emulator: the HTTP API a custom runtime (`lambda_runtime`, under
//! `lambda_http`) polls for events and answers on, and a function binary run against it as Lambda
//! runs it in an execution environment.
//!
//! It serves exactly the four calls `lambda_runtime` 1.5 makes (`requests.rs` of that crate), on
//! `AWS_LAMBDA_RUNTIME_API=127.0.0.1:<port>`:
//!
//! | call | answer |
//! |---|---|
//! | `GET /2018-06-01/runtime/invocation/next` | waits for a queued event; `200` with the event as the body and the headers `Lambda-Runtime-Aws-Request-Id`, `Lambda-Runtime-Deadline-Ms` (epoch ms: now + the function's timeout), `Lambda-Runtime-Invoked-Function-Arn`, `Lambda-Runtime-Trace-Id` |
//! | `POST /2018-06-01/runtime/invocation/{id}/response` | `202`; the invocation's answer. `400 InvalidRequestID` for an id not waiting for one, `413` over Lambda's 6 MB |
//! | `POST /2018-06-01/runtime/invocation/{id}/error` | `202`; the invocation's answer, an error (`Lambda-Runtime-Function-Error-Type`) |
//! | `POST /2018-06-01/runtime/init/error` | `202`; recorded: every invocation waiting fails with it |
//!
//! Nothing is faked to make a start look faster: the process is spawned when asked, events are
//! handed out only through `/next`, and timings are taken when the requests arrive here.
//!
//! ```no_run
//! # async fn example() {
//! use dewy_e2e::runtime_api::{Emulator, FunctionSettings};
//! let emulator = Emulator::start(FunctionSettings::new("search_rooms")).await.unwrap();
//! // Queued before the process starts, as Lambda holds the event that causes a cold start.
//! let invocation = emulator.enqueue(std::fs::read("events/search_rooms.json").unwrap());
//! let function = emulator
//!     .spawn("target/release/dewy".as_ref(), &[("RUST_LOG", "info".to_owned())])
//!     .unwrap();
//! let answer = invocation.answer().await.unwrap();
//! let cold_start = answer.at - function.started();
//! let memory = function.memory().unwrap();
//! let logs = function.stdout();
//! # }
//! ```

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::BufRead;
use std::net::SocketAddr;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, oneshot, watch};

/// Lambda's limit on a synchronous invocation's response.
const MAX_RESPONSE_BYTES: usize = 6 * 1024 * 1024;

/// How long Lambda lets an on-demand function's init phase run; an invocation that starts an
/// environment waits this long on top of the function's timeout.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// The function as Lambda knows it: what its environment variables and the `/next` headers say.
#[derive(Debug, Clone)]
pub struct FunctionSettings {
    /// The function's name (`AWS_LAMBDA_FUNCTION_NAME`, the ARN's last part).
    pub name: String,
    /// The function's `Handler` (`_HANDLER`): what the artifact serves (`dewy_functions`).
    pub handler: String,
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MB. Informational: nothing here limits memory.
    pub memory_mb: u32,
    /// The invocation timeout: each event's deadline is this long after `/next` hands it out.
    pub timeout: Duration,
    /// `AWS_REGION`, and the ARN's region.
    pub region: String,
    /// The ARN's account.
    pub account: String,
}

impl FunctionSettings {
    /// `name` with Lambda's defaults (128 MB, a 3 s timeout, in us-east-1) and, as each function of
    /// template.yaml has, its name as its `Handler`.
    pub fn new(name: impl Into<String>) -> FunctionSettings {
        let name = name.into();
        FunctionSettings {
            handler: name.clone(),
            name,
            memory_mb: 128,
            timeout: Duration::from_secs(3),
            region: "us-east-1".to_owned(),
            account: "123456789012".to_owned(),
        }
    }

    /// The function's ARN (`Lambda-Runtime-Invoked-Function-Arn`).
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:lambda:{}:{}:function:{}",
            self.region, self.account, self.name
        )
    }
}

/// How an invocation was answered: which of the Runtime API's two endpoints the runtime posted
/// to. (Not the notifier's `Outcome`, which is what became of one text message.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerKind {
    /// `POST .../invocation/{id}/response`.
    Response,
    /// `POST .../invocation/{id}/error`, with its `Lambda-Runtime-Function-Error-Type`.
    Error {
        /// The header's value, if sent.
        error_type: Option<String>,
    },
}

/// The answer of one invocation.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The invocation's `Lambda-Runtime-Aws-Request-Id`.
    pub request_id: String,
    /// Response or error.
    pub kind: AnswerKind,
    /// The body as posted (for an error, the runtime's `{"errorType", "errorMessage"}`).
    pub body: Bytes,
    /// When `/next` handed the event to the runtime.
    pub delivered_at: Instant,
    /// When the answer arrived here, whole.
    pub at: Instant,
}

impl Answer {
    /// Whether the function answered with a response (not an error).
    pub fn is_response(&self) -> bool {
        self.kind == AnswerKind::Response
    }

    /// The body as JSON.
    pub fn json(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// A `POST /2018-06-01/runtime/init/error`: the runtime could not start.
#[derive(Debug, Clone)]
pub struct InitError {
    /// Its `Lambda-Runtime-Function-Error-Type`.
    pub error_type: Option<String>,
    /// Its body (`{"errorType", "errorMessage"}`).
    pub body: Bytes,
    /// When it arrived.
    pub at: Instant,
}

/// Why an invocation got no answer.
#[derive(Debug, Clone)]
pub enum InvokeError {
    /// The runtime reported an init error.
    Init(InitError),
    /// The function's process ended first (a crash, or `main` returning an error).
    Exited(ExitStatus),
    /// No answer within the function's timeout plus [`INIT_TIMEOUT`].
    TimedOut(Duration),
}

impl std::fmt::Display for InvokeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvokeError::Init(error) => write!(
                f,
                "init error {}: {}",
                error.error_type.as_deref().unwrap_or("(no type)"),
                String::from_utf8_lossy(&error.body)
            ),
            InvokeError::Exited(status) => write!(f, "the function exited before answering: {status}"),
            InvokeError::TimedOut(after) => write!(f, "no answer within {after:?}"),
        }
    }
}

impl std::error::Error for InvokeError {}

/// An event waiting to be handed out by `/next`.
struct Queued {
    request_id: String,
    body: Bytes,
}

/// An invocation waiting for its answer.
struct Waiter {
    answer: oneshot::Sender<Answer>,
    delivered_at: Option<Instant>,
}

struct Shared {
    settings: FunctionSettings,
    queue: mpsc::UnboundedSender<Queued>,
    /// One `/next` takes events at a time (a runtime polls once; a second poller waits its turn).
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Queued>>,
    waiting: Mutex<HashMap<String, Waiter>>,
    polls: watch::Sender<Vec<Instant>>,
    init_errors: watch::Sender<Vec<InitError>>,
    /// The exit of the process spawned last, so waiting invocations fail when it ends.
    process_exit: Mutex<Option<watch::Receiver<Option<ExitStatus>>>>,
}

impl Shared {
    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<String, Waiter>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running Runtime API for one function: one execution environment. Stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Emulator {
    /// Serves the Runtime API for `settings` on an ephemeral loopback port.
    pub async fn start(settings: FunctionSettings) -> std::io::Result<Emulator> {
        let (queue, events) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            settings,
            queue,
            events: tokio::sync::Mutex::new(events),
            waiting: Mutex::new(HashMap::new()),
            polls: watch::Sender::new(Vec::new()),
            init_errors: watch::Sender::new(Vec::new()),
            process_exit: Mutex::new(None),
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            // The 6 MB limit is checked in the handler, to answer as Lambda does.
            .layer(DefaultBodyLimit::disable())
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("the Runtime API emulator stopped: {error}");
            }
        });
        Ok(Emulator { addr, shared, server })
    }

    /// The value of `AWS_LAMBDA_RUNTIME_API` for a runtime to reach this emulator (`host:port`).
    pub fn runtime_api(&self) -> String {
        self.addr.to_string()
    }

    /// The function's settings.
    pub fn settings(&self) -> &FunctionSettings {
        &self.shared.settings
    }

    /// Queues `event` for `/next`; its [`Invocation`] waits for the answer.
    pub fn enqueue(&self, event: impl Into<Bytes>) -> Invocation {
        let request_id = crate::uuid_v4();
        let (answer, receiver) = oneshot::channel();
        self.shared.waiting().insert(
            request_id.clone(),
            Waiter {
                answer,
                delivered_at: None,
            },
        );
        let queued = Queued {
            request_id: request_id.clone(),
            body: event.into(),
        };
        // The receiver lives in `shared`, as long as the sender: sending cannot fail.
        let _ = self.shared.queue.send(queued);
        Invocation {
            request_id,
            shared: Arc::clone(&self.shared),
            receiver,
            init_errors_before: self.shared.init_errors.borrow().len(),
        }
    }

    /// Queues `event` and waits for its answer.
    pub async fn invoke(&self, event: impl Into<Bytes>) -> Result<Answer, InvokeError> {
        self.enqueue(event).answer().await
    }

    /// When each `GET /next` arrived, in order.
    pub fn polls(&self) -> Vec<Instant> {
        self.shared.polls.borrow().clone()
    }

    /// When the `n`th `GET /next` (from 1) arrived, waiting up to `timeout` for it.
    pub async fn wait_for_poll(&self, n: usize, timeout: Duration) -> Option<Instant> {
        let mut polls = self.shared.polls.subscribe();
        let arrived = tokio::time::timeout(timeout, polls.wait_for(|p| p.len() >= n)).await;
        arrived.ok()?.ok().and_then(|p| p.get(n.checked_sub(1)?).copied())
    }

    /// The init errors reported so far.
    pub fn init_errors(&self) -> Vec<InitError> {
        self.shared.init_errors.borrow().clone()
    }

    /// Starts `binary` as this function's runtime: a clean environment holding what Lambda sets
    /// (see [`lambda_environment`]), then `env` (which may override those), then
    /// `AWS_LAMBDA_RUNTIME_API` pointing here. Its stdout and stderr are kept line by line; it
    /// runs in a process group of its own, killed when the [`RuntimeProcess`] is dropped.
    /// Invocations waiting here fail if it exits.
    pub fn spawn(&self, binary: &std::path::Path, env: &[(&str, String)]) -> std::io::Result<RuntimeProcess> {
        let mut command = Command::new(binary);
        command
            .env_clear()
            .envs(lambda_environment(&self.shared.settings))
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env("AWS_LAMBDA_RUNTIME_API", self.runtime_api())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let process = RuntimeProcess::spawn(command)?;
        *self
            .shared
            .process_exit
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(process.exit.clone());
        Ok(process)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The variables Lambda sets in a function's environment (`provided.al2023`), for `settings`.
pub fn lambda_environment(settings: &FunctionSettings) -> Vec<(&'static str, String)> {
    let day = chrono::Utc::now().format("%Y/%m/%d");
    vec![
        ("PATH", "/usr/local/bin:/usr/bin:/bin".to_owned()),
        ("LANG", "en_US.UTF-8".to_owned()),
        ("TZ", ":UTC".to_owned()),
        ("AWS_LAMBDA_FUNCTION_NAME", settings.name.clone()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", settings.memory_mb.to_string()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME",
            format!("/aws/lambda/{}", settings.name),
        ),
        (
            "AWS_LAMBDA_LOG_STREAM_NAME",
            format!("{day}/[$LATEST]{:032x}", rand::random::<u128>()),
        ),
        ("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand".to_owned()),
        ("AWS_REGION", settings.region.clone()),
        ("AWS_DEFAULT_REGION", settings.region.clone()),
        ("_HANDLER", settings.handler.clone()),
    ]
}

/// A queued event, waiting for its answer. Dropping it withdraws the event if `/next` has not
/// handed it out yet.
pub struct Invocation {
    request_id: String,
    shared: Arc<Shared>,
    receiver: oneshot::Receiver<Answer>,
    init_errors_before: usize,
}

impl Invocation {
    /// The invocation's `Lambda-Runtime-Aws-Request-Id`.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// Waits for the answer. Fails as soon as the runtime reports an init error or the process
    /// spawned last exits without answering, and after the function's timeout plus
    /// [`INIT_TIMEOUT`].
    pub async fn answer(mut self) -> Result<Answer, InvokeError> {
        let limit = self.shared.settings.timeout + INIT_TIMEOUT;
        let mut init_errors = self.shared.init_errors.subscribe();
        let before = self.init_errors_before;
        let process_exit = self
            .shared
            .process_exit
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let exited = async move {
            match process_exit {
                Some(mut exit) => match exit.wait_for(Option::is_some).await {
                    Ok(status) => *status,
                    // The process's waiter is gone without a status: nothing more to learn.
                    Err(_) => std::future::pending().await,
                },
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            biased;
            answer = &mut self.receiver => match answer {
                Ok(answer) => Ok(answer),
                // The sender is only dropped with the emulator, which this invocation holds.
                Err(_) => Err(InvokeError::TimedOut(limit)),
            },
            errors = init_errors.wait_for(|e| e.len() > before) => match errors {
                Ok(errors) => Err(InvokeError::Init(errors[before].clone())),
                Err(_) => Err(InvokeError::TimedOut(limit)),
            },
            status = exited => match status {
                Some(status) => Err(InvokeError::Exited(status)),
                None => Err(InvokeError::TimedOut(limit)),
            },
            () = tokio::time::sleep(limit) => Err(InvokeError::TimedOut(limit)),
        }
    }
}

impl Drop for Invocation {
    fn drop(&mut self) {
        self.shared.waiting().remove(&self.request_id);
    }
}

/// `GET /next`: the next event whose invocation still waits, held until there is one.
async fn next(State(shared): State<Arc<Shared>>) -> Response {
    shared.polls.send_modify(|polls| polls.push(Instant::now()));
    let mut events = shared.events.lock().await;
    loop {
        let Some(event) = events.recv().await else {
            return lambda_error(StatusCode::INTERNAL_SERVER_ERROR, "ServiceException", "stopped");
        };
        let delivered = match shared.waiting().get_mut(&event.request_id) {
            Some(waiter) => {
                waiter.delivered_at = Some(Instant::now());
                true
            }
            None => false,
        };
        if delivered {
            return event_response(&shared.settings, event);
        }
    }
}

fn event_response(settings: &FunctionSettings, event: Queued) -> Response {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let deadline_ms = now_ms + settings.timeout.as_millis();
    let trace_id = format!(
        "Root=1-{:08x}-{:024x};Parent={:016x};Sampled=0",
        now_ms / 1000,
        rand::random::<u128>() >> 32,
        rand::random::<u64>()
    );
    let headers = [
        ("lambda-runtime-aws-request-id", event.request_id),
        ("lambda-runtime-deadline-ms", deadline_ms.to_string()),
        ("lambda-runtime-invoked-function-arn", settings.arn()),
        ("lambda-runtime-trace-id", trace_id),
    ];
    let mut response = (StatusCode::OK, event.body).into_response();
    let map = response.headers_mut();
    map.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            map.insert(name, value);
        }
    }
    response
}

/// `POST /invocation/{id}/response`.
async fn response(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    answer(&shared, id, AnswerKind::Response, body)
}

/// `POST /invocation/{id}/error`.
async fn error(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let kind = AnswerKind::Error {
        error_type: error_type(&headers),
    };
    answer(&shared, id, kind, body)
}

fn answer(shared: &Shared, request_id: String, kind: AnswerKind, body: Bytes) -> Response {
    let at = Instant::now();
    if body.len() > MAX_RESPONSE_BYTES {
        let message = format!(
            "Response payload size ({} bytes) exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).",
            body.len()
        );
        return lambda_error(StatusCode::PAYLOAD_TOO_LARGE, "RequestEntityTooLarge", &message);
    }
    let waiter = {
        let mut waiting = shared.waiting();
        match waiting.get(&request_id) {
            // Only an event handed out by `/next` can be answered.
            Some(waiter) if waiter.delivered_at.is_some() => waiting.remove(&request_id),
            _ => None,
        }
    };
    let Some(Waiter {
        answer,
        delivered_at: Some(delivered_at),
    }) = waiter
    else {
        return lambda_error(StatusCode::BAD_REQUEST, "InvalidRequestID", "Invalid request ID");
    };
    let _ = answer.send(Answer {
        request_id,
        kind,
        body,
        delivered_at,
        at,
    });
    accepted()
}

/// `POST /init/error`.
async fn init_error(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let error = InitError {
        error_type: error_type(&headers),
        body,
        at: Instant::now(),
    };
    shared.init_errors.send_modify(|errors| errors.push(error));
    accepted()
}

fn error_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get("lambda-runtime-function-error-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn accepted() -> Response {
    (StatusCode::ACCEPTED, Json(json!({ "status": "OK" }))).into_response()
}

fn lambda_error(status: StatusCode, error_type: &str, message: &str) -> Response {
    let body = json!({ "errorMessage": message, "errorType": error_type });
    (status, Json(body)).into_response()
}

/// Resident memory of a process, from `/proc/<pid>/status`, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// `VmRSS`: resident now.
    pub rss_kib: u64,
    /// `VmHWM`: the most it has been resident.
    pub peak_rss_kib: u64,
}

impl Memory {
    /// Reads the process `pid`'s. Fails once it has exited (a zombie has no `Vm` lines).
    pub fn of(pid: u32) -> std::io::Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("/proc/{pid}/status has no {name} (has the process exited?)"),
                    )
                })
        };
        Ok(Memory {
            rss_kib: field("VmRSS:")?,
            peak_rss_kib: field("VmHWM:")?,
        })
    }
}

/// A function's process, started by [`Emulator::spawn`]. Its process group is killed on drop.
pub struct RuntimeProcess {
    pid: u32,
    started: Instant,
    stdout: Arc<watch::Sender<Vec<String>>>,
    stderr: Arc<watch::Sender<Vec<String>>>,
    exit: watch::Receiver<Option<ExitStatus>>,
}

impl RuntimeProcess {
    fn spawn(mut command: Command) -> std::io::Result<RuntimeProcess> {
        // Taken just before the fork: process creation is part of a cold start.
        let started = Instant::now();
        let mut child = command.spawn()?;
        let pid = child.id();
        let stdout = Arc::new(watch::Sender::new(Vec::new()));
        let stderr = Arc::new(watch::Sender::new(Vec::new()));
        if let Some(pipe) = child.stdout.take() {
            keep_lines(pipe, Arc::clone(&stdout));
        }
        if let Some(pipe) = child.stderr.take() {
            keep_lines(pipe, Arc::clone(&stderr));
        }
        let (exit_sender, exit) = watch::channel(None);
        std::thread::spawn(move || {
            if let Ok(status) = child.wait() {
                exit_sender.send_replace(Some(status));
            }
        });
        Ok(RuntimeProcess {
            pid,
            started,
            stdout,
            stderr,
            exit,
        })
    }

    /// The process id (also its process group's).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// When it was spawned.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Its stdout so far, one entry per line, without the line ends.
    pub fn stdout(&self) -> Vec<String> {
        self.stdout.borrow().clone()
    }

    /// Its stderr so far, one entry per line.
    pub fn stderr(&self) -> Vec<String> {
        self.stderr.borrow().clone()
    }

    /// The first stdout line matching `wanted`, waiting up to `timeout` for one (log lines written
    /// after the answer may still be on their way).
    pub async fn wait_for_stdout(
        &self,
        wanted: impl FnMut(&str) -> bool,
        timeout: Duration,
    ) -> Option<String> {
        wait_for_line(&self.stdout, wanted, timeout).await
    }

    /// The same for stderr.
    pub async fn wait_for_stderr(
        &self,
        wanted: impl FnMut(&str) -> bool,
        timeout: Duration,
    ) -> Option<String> {
        wait_for_line(&self.stderr, wanted, timeout).await
    }

    /// Its resident memory now.
    pub fn memory(&self) -> std::io::Result<Memory> {
        Memory::of(self.pid)
    }

    /// How it ended, if it has.
    pub fn exit_status(&self) -> Option<ExitStatus> {
        *self.exit.borrow()
    }

    /// Waits up to `timeout` for it to end.
    pub async fn exited(&self, timeout: Duration) -> Option<ExitStatus> {
        let mut exit = self.exit.clone();
        let ended = tokio::time::timeout(timeout, exit.wait_for(Option::is_some)).await;
        ended.ok()?.ok().and_then(|status| *status)
    }

    /// Kills its process group (SIGKILL, as Lambda ends an environment), unless it has ended.
    pub fn kill(&self) {
        if self.exit_status().is_some() {
            return;
        }
        // `--` matters: without it util-linux's kill misreads a negative pid (see lambda_watch).
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.pid)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for RuntimeProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Reads `pipe` on a thread of its own, appending each line to `lines` (lossy UTF-8).
fn keep_lines(pipe: impl std::io::Read + Send + 'static, lines: Arc<watch::Sender<Vec<String>>>) {
    std::thread::spawn(move || {
        let mut reader = std::io::BufReader::new(pipe);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
            let text = String::from_utf8_lossy(&line);
            let text = text.strip_suffix('\n').unwrap_or(&text);
            let text = text.strip_suffix('\r').unwrap_or(text).to_owned();
            lines.send_modify(|lines| lines.push(text));
            line.clear();
        }
    });
}

async fn wait_for_line(
    lines: &watch::Sender<Vec<String>>,
    mut wanted: impl FnMut(&str) -> bool,
    timeout: Duration,
) -> Option<String> {
    let mut receiver = lines.subscribe();
    let mut found = None;
    let search = receiver.wait_for(|lines| {
        found = lines.iter().find(|line| wanted(line)).cloned();
        found.is_some()
    });
    let _ = tokio::time::timeout(timeout, search).await;
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A runtime's calls, made with a plain HTTP client as `lambda_runtime` makes them.
    struct Runtime {
        http: reqwest::Client,
        base: String,
    }

    impl Runtime {
        fn of(emulator: &Emulator) -> Runtime {
            Runtime {
                http: reqwest::Client::new(),
                base: format!("http://{}/2018-06-01/runtime", emulator.runtime_api()),
            }
        }

        async fn next(&self) -> reqwest::Response {
            let url = format!("{}/invocation/next", self.base);
            self.http.get(url).send().await.unwrap()
        }

        async fn post(&self, path: &str, error_type: Option<&str>, body: &str) -> u16 {
            let mut request = self.http.post(format!("{}/{path}", self.base));
            if let Some(error_type) = error_type {
                request = request.header("lambda-runtime-function-error-type", error_type);
            }
            let response = request.body(body.to_owned()).send().await.unwrap();
            response.status().as_u16()
        }
    }

    fn header(response: &reqwest::Response, name: &str) -> String {
        response.headers()[name].to_str().unwrap().to_owned()
    }

    #[tokio::test]
    async fn next_hands_out_the_event_with_its_headers_and_the_response_answers_it() {
        let mut settings = FunctionSettings::new("search_rooms");
        settings.timeout = Duration::from_secs(25);
        let emulator = Emulator::start(settings).await.unwrap();
        let runtime = Runtime::of(&emulator);
        let invocation = emulator.enqueue(r#"{"hello":"world"}"#);
        let request_id = invocation.request_id().to_owned();

        let event = runtime.next().await;
        assert_eq!(event.status(), 200);
        assert_eq!(header(&event, "lambda-runtime-aws-request-id"), request_id);
        assert_eq!(
            header(&event, "lambda-runtime-invoked-function-arn"),
            "arn:aws:lambda:us-east-1:123456789012:function:search_rooms"
        );
        assert!(header(&event, "lambda-runtime-trace-id").starts_with("Root=1-"));
        let deadline: u128 = header(&event, "lambda-runtime-deadline-ms").parse().unwrap();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis();
        assert!(
            (now + 24_000..=now + 25_000).contains(&deadline),
            "{deadline} vs {now}"
        );
        assert_eq!(event.text().await.unwrap(), r#"{"hello":"world"}"#);
        assert_eq!(emulator.polls().len(), 1);

        let path = format!("invocation/{request_id}/response");
        assert_eq!(runtime.post(&path, None, r#"{"statusCode":200}"#).await, 202);
        let answer = invocation.answer().await.unwrap();
        assert!(answer.is_response());
        assert_eq!(answer.json().unwrap()["statusCode"], 200);
        assert!(answer.delivered_at <= answer.at);
        assert_eq!(runtime.post(&path, None, "{}").await, 400, "answered once only");
    }

    #[tokio::test]
    async fn an_unknown_or_undelivered_request_id_is_refused() {
        let emulator = Emulator::start(FunctionSettings::new("f")).await.unwrap();
        let runtime = Runtime::of(&emulator);
        let invocation = emulator.enqueue("{}");
        let path = format!("invocation/{}/response", invocation.request_id());
        assert_eq!(runtime.post(&path, None, "{}").await, 400, "not handed out yet");
        assert_eq!(runtime.post("invocation/nope/response", None, "{}").await, 400);
    }

    #[tokio::test]
    async fn an_error_answer_carries_its_type() {
        let emulator = Emulator::start(FunctionSettings::new("f")).await.unwrap();
        let runtime = Runtime::of(&emulator);
        let invocation = emulator.enqueue("{}");
        let id = header(&runtime.next().await, "lambda-runtime-aws-request-id");
        let body = r#"{"errorType":"Boom","errorMessage":"it broke"}"#;
        let path = format!("invocation/{id}/error");
        assert_eq!(runtime.post(&path, Some("unhandled"), body).await, 202);
        let answer = invocation.answer().await.unwrap();
        assert_eq!(
            answer.kind,
            AnswerKind::Error {
                error_type: Some("unhandled".to_owned())
            }
        );
        assert_eq!(answer.json().unwrap()["errorType"], "Boom");
    }

    #[tokio::test]
    async fn an_init_error_fails_the_waiting_invocation() {
        let emulator = Emulator::start(FunctionSettings::new("f")).await.unwrap();
        let runtime = Runtime::of(&emulator);
        let invocation = emulator.enqueue("{}");
        let body = r#"{"errorType":"Runtime.InitError","errorMessage":"no config"}"#;
        let status = runtime.post("init/error", Some("Runtime.InitError"), body).await;
        assert_eq!(status, 202);
        match invocation.answer().await {
            Err(InvokeError::Init(error)) => {
                assert_eq!(error.error_type.as_deref(), Some("Runtime.InitError"));
            }
            other => panic!("{other:?}"),
        }
    }

    /// An executable shell script holding `body`, as a stand-in for a function binary.
    fn script(name: &str, body: &str) -> std::path::PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("runtime-api-{name}-{}", crate::uuid_v4()));
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[tokio::test]
    async fn a_process_that_exits_without_answering_fails_the_invocation_and_its_output_is_kept() {
        let emulator = Emulator::start(FunctionSettings::new("f")).await.unwrap();
        let invocation = emulator.enqueue("{}");
        let binary = script(
            "exits",
            "echo \"$AWS_LAMBDA_FUNCTION_NAME $AWS_LAMBDA_RUNTIME_API $EXTRA $HOME\"\necho oops >&2\nexit 3",
        );
        let env = [("EXTRA", "given".to_owned())];
        let process = emulator.spawn(&binary, &env).unwrap();
        match invocation.answer().await {
            Err(InvokeError::Exited(status)) => assert_eq!(status.code(), Some(3)),
            other => panic!("{other:?}"),
        }
        let stdout = process
            .wait_for_stdout(|l| l.starts_with("f "), Duration::from_secs(5))
            .await;
        // A clean environment: Lambda's variables and the given ones, nothing inherited ($HOME).
        let expected = format!("f {} given ", emulator.runtime_api());
        assert_eq!(stdout, Some(expected));
        let stderr = process
            .wait_for_stderr(|l| l == "oops", Duration::from_secs(5))
            .await;
        assert!(stderr.is_some(), "{:?}", process.stderr());
        assert!(process.memory().is_err(), "an exited process has no memory");
        std::fs::remove_file(binary).unwrap();
    }

    #[tokio::test]
    async fn a_live_process_has_its_memory_read_and_is_killed_on_drop() {
        let emulator = Emulator::start(FunctionSettings::new("f")).await.unwrap();
        let binary = script("lives", "echo started\nexec sleep 60");
        let process = emulator.spawn(&binary, &[]).unwrap();
        process
            .wait_for_stdout(|l| l == "started", Duration::from_secs(5))
            .await
            .expect("the script starts");
        let memory = process.memory().unwrap();
        assert!(
            memory.rss_kib > 0 && memory.peak_rss_kib >= memory.rss_kib,
            "{memory:?}"
        );
        let mut exit = process.exit.clone();
        drop(process);
        let ended = tokio::time::timeout(Duration::from_secs(5), exit.wait_for(Option::is_some));
        assert!(ended.await.is_ok(), "killed with its group");
        std::fs::remove_file(binary).unwrap();
    }
}
