//! Early answers on kept-alive connections.
//!
//! Some answers come before the request body is read: 401 (the caller is checked first, so an
//! anonymous client cannot make the server buffer anything), 413 (the reading stops at the limit),
//! 404 and 405. hyper cannot reuse a connection whose request body was left unread, so it closes it
//! after the answer, but the answer did not say so: a pooled client sends its next request on that
//! connection and sees it drop ("Server disconnected"). Such answers therefore carry
//! `Connection: close`, which tells the client to open a new connection for the next request.
//!
//! Draining the rest of the body instead would keep the connection, but it would make the server
//! read whatever an unauthenticated or oversized request sends, which the early answer exists to
//! avoid.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Version, header};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Middleware: adds `Connection: close` to the answer of an HTTP/1 request whose body the handler
/// did not read to its end.
pub(crate) async fn close_if_body_unread(request: Request, next: Next) -> Response {
    // HTTP/2 has no `Connection` header (its streams end independently), and a request without a
    // body leaves nothing unread.
    if request.version() >= Version::HTTP_2 || axum::body::HttpBody::is_end_stream(request.body()) {
        return next.run(request).await;
    }
    let read = Arc::new(AtomicBool::new(false));
    let seen = read.clone();
    // The trailers future is polled only once the body has yielded its last frame, so it marks the
    // body as read to its end; it adds no trailers.
    let request = request.map(|body| {
        Body::new(body.with_trailers(async move {
            seen.store(true, Ordering::Release);
            None
        }))
    });
    let mut response = next.run(request).await;
    if !read.load(Ordering::Acquire) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
