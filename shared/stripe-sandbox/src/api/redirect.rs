//! The 3-D Secure page a `redirect_to_url` next action sends the customer's browser to, standing
//! in for the card issuer's challenge that Stripe hosts (`hooks.stripe.com`).
//!
//! `GET /redirect/authenticate/{id}?client_secret=…` shows the payment and two buttons; posting one
//! completes or fails the authentication and sends the browser back to the PaymentIntent's
//! `return_url` with the query Stripe adds there: `payment_intent`, `payment_intent_client_secret`
//! and `redirect_status` (`succeeded` or `failed`). Like Stripe's page it needs no API key: the
//! client secret in the address is what lets the customer in.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use http::StatusCode;
use serde::Deserialize;

use crate::records::{NextActionRecord, PaymentIntentRecord, PaymentIntentStatus};
use crate::state::{Shared, lock};

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/redirect/authenticate/{id}", get(show).post(answer))
}

#[derive(Deserialize)]
struct Secret {
    client_secret: String,
}

#[derive(Deserialize)]
struct Answer {
    client_secret: String,
    /// `complete` or `fail`.
    outcome: String,
}

async fn show(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(query): Query<Secret>,
) -> Response {
    let store = lock(&shared.store);
    match waiting(store.payment_intent(&id), &query.client_secret) {
        Ok((intent, _)) => Html(challenge_page(intent, &query.client_secret)).into_response(),
        Err((status, message)) => page(status, message),
    }
}

async fn answer(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Form(form): Form<Answer>,
) -> Response {
    let approve = match form.outcome.as_str() {
        "complete" => true,
        "fail" => false,
        _ => {
            return page(
                StatusCode::BAD_REQUEST,
                "Choose to complete or to fail the authentication.",
            );
        }
    };
    let mut store = lock(&shared.store);
    let return_url = match waiting(store.payment_intent(&id), &form.client_secret) {
        Ok((_, return_url)) => return_url,
        Err((status, message)) => return page(status, message),
    };
    if let Err(error) = store.authenticate(&id, approve) {
        return page(StatusCode::CONFLICT, &error.to_string());
    }
    let separator = if return_url.contains('?') { '&' } else { '?' };
    let status = if approve { "succeeded" } else { "failed" };
    Redirect::to(&format!(
        "{return_url}{separator}payment_intent={id}&payment_intent_client_secret={secret}&redirect_status={status}",
        secret = form.client_secret
    ))
    .into_response()
}

/// The PaymentIntent and its return URL, when it waits for this customer's authentication.
fn waiting<'a>(
    intent: Option<&'a PaymentIntentRecord>,
    client_secret: &str,
) -> Result<(&'a PaymentIntentRecord, String), (StatusCode, &'static str)> {
    let Some(intent) = intent.filter(|intent| intent.client_secret == client_secret) else {
        return Err((StatusCode::NOT_FOUND, "No payment waits for authentication here."));
    };
    match (&intent.status, &intent.next_action) {
        (PaymentIntentStatus::RequiresAction, Some(NextActionRecord::RedirectToUrl { return_url, .. })) => {
            Ok((intent, return_url.clone()))
        }
        _ => Err((
            StatusCode::CONFLICT,
            "This payment is not waiting for authentication (it was completed or failed already).",
        )),
    }
}

fn challenge_page(intent: &PaymentIntentRecord, client_secret: &str) -> String {
    let amount = format!(
        "{}.{:02} {}",
        intent.amount / 100,
        intent.amount % 100,
        intent.currency.to_uppercase()
    );
    let body = format!(
        r#"<h1>Authenticate your payment</h1>
    <p>Your bank asks you to confirm a payment of <strong>{amount}</strong> ({id}).</p>
    <p>This is the Stripe sandbox's test page: choose what the bank answers.</p>
    <form method="post">
      <input type="hidden" name="client_secret" value="{secret}">
      <button type="submit" name="outcome" value="complete">Complete authentication</button>
      <button type="submit" name="outcome" value="fail">Fail authentication</button>
    </form>"#,
        id = intent.id,
        secret = escape(client_secret),
    );
    document("Authenticate your payment", &body)
}

fn page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<h1>3-D Secure</h1>\n    <p role=\"alert\">{}</p>",
        escape(message)
    );
    (status, Html(document("3-D Secure", &body))).into_response()
}

fn document(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>{title} · Stripe sandbox</title>
    <meta name="viewport" content="width=device-width, initial-scale=1"></head>
  <body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">
    <main>
    {body}
    </main>
  </body>
</html>"#
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
