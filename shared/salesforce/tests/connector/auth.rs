//! OAuth: both flows, bad credentials, transparent and single-flight re-authentication.

use crate::common::{self, operations, rooms_query, scoped, token_requests};
use dewy_connector::Secret;
use dewy_salesforce::{Credentials, Salesforce, SalesforceError};
use dewy_salesforce_sandbox::Latency;
use serde_json::Value;
use std::time::Duration;

/// The client credentials flow gets a token on the first call, not before, and reuses it.
#[tokio::test]
async fn client_credentials_flow_authenticates_lazily_and_once() {
    // GIVEN a new connector
    let env = common::start().await;
    assert_eq!(
        env.sandbox.request_count(),
        0,
        "building the client sends nothing"
    );
    let (salesforce, recorder) = scoped(&env.salesforce);
    // WHEN it runs two queries
    let first: Vec<Value> = salesforce.query(&rooms_query()).await.expect("first query");
    let second: Vec<Value> = salesforce.query(&rooms_query()).await.expect("second query");
    // THEN one token request preceded them, recorded like any call
    assert_eq!((first.len(), second.len()), (1, 1));
    assert_eq!(token_requests(&env.sandbox), 1);
    let ops = operations(&recorder);
    let expected = [
        ("token", true),
        ("query Hotel_Room__c", true),
        ("query Hotel_Room__c", true),
    ];
    assert_eq!(ops, expected.map(|(op, ok)| (op.to_owned(), ok)));
}

/// The refresh token flow works too, and clones share its token.
#[tokio::test]
async fn refresh_token_flow_authenticates() {
    // GIVEN a connector configured with a refresh token
    let sandbox = common::sandbox().await;
    let credentials = Credentials::RefreshToken {
        client_id: sandbox.config().client_id.clone(),
        client_secret: Secret::new(sandbox.config().client_secret.clone()),
        refresh_token: Secret::new(sandbox.config().refresh_token.clone()),
    };
    let salesforce = Salesforce::new(
        common::config(&sandbox, credentials),
        dewy_connector::http_client(),
    );
    // WHEN it and a clone query
    let rooms: Vec<Value> = salesforce.query(&rooms_query()).await.expect("query");
    let again: Vec<Value> = salesforce
        .clone()
        .query(&rooms_query())
        .await
        .expect("query from a clone");
    // THEN both succeed with one token
    assert_eq!((rooms.len(), again.len()), (1, 1));
    assert_eq!(token_requests(&sandbox), 1);
}

/// Bad credentials are an Auth error carrying the OAuth error, and the secret never appears in it.
#[tokio::test]
async fn bad_credentials_are_an_auth_error_without_the_secret() {
    // GIVEN a wrong client secret, and separately a wrong refresh token
    let sandbox = common::sandbox().await;
    let wrong_secret = Credentials::ClientCredentials {
        client_id: sandbox.config().client_id.clone(),
        client_secret: Secret::new("wrong-secret-value"),
    };
    let wrong_refresh = Credentials::RefreshToken {
        client_id: sandbox.config().client_id.clone(),
        client_secret: Secret::new(sandbox.config().client_secret.clone()),
        refresh_token: Secret::new("stale-refresh-value"),
    };
    for (credentials, expected) in [(wrong_secret, "invalid_client"), (wrong_refresh, "invalid_grant")] {
        let salesforce = Salesforce::new(
            common::config(&sandbox, credentials),
            dewy_connector::http_client(),
        );
        // WHEN a call needs a token
        let error = salesforce
            .query::<Value>(&rooms_query())
            .await
            .expect_err("credentials are refused");
        // THEN it is an Auth error naming the OAuth error, with no secret in its text
        assert!(
            matches!(&error, SalesforceError::Auth { error, .. } if error == expected),
            "{error:?}"
        );
        assert_eq!(error.error_code(), Some(expected));
        let text = format!("{error} {error:?}");
        assert!(
            !text.contains("wrong-secret-value") && !text.contains("stale-refresh-value"),
            "{text}"
        );
        assert!(!text.contains(&sandbox.config().client_secret), "{text}");
    }
    // AND no data call was attempted without a token
    assert!(
        sandbox
            .request_log()
            .iter()
            .all(|r| r.path == "/services/oauth2/token")
    );
}

/// An expired session is renewed inside the failing call: the caller sees success, and it costs
/// exactly one extra token request (401, token, retry).
#[tokio::test]
async fn an_expired_session_is_renewed_transparently_with_one_token_call() {
    // GIVEN a connector holding a token that Salesforce then revokes
    let env = common::start().await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox.reset_stats();
    env.sandbox.expire_sessions();
    let (salesforce, recorder) = scoped(&env.salesforce);
    // WHEN it queries
    let rooms: Vec<Value> = salesforce
        .query(&rooms_query())
        .await
        .expect("the query succeeds after renewal");
    // THEN the call was rejected once, a token was fetched once, and the call repeated once
    assert_eq!(rooms.len(), 1);
    let expected = [
        ("query Hotel_Room__c", false),
        ("token", true),
        ("query Hotel_Room__c", true),
    ];
    assert_eq!(
        operations(&recorder),
        expected.map(|(op, ok)| (op.to_owned(), ok))
    );
    let statuses: Vec<Option<u16>> = env.sandbox.request_log().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(401), Some(200), Some(200)]);
    assert_eq!(token_requests(&env.sandbox), 1);
}

/// Concurrent callers needing a token, first or renewed, trigger a single token request.
#[tokio::test]
async fn concurrent_callers_share_one_token_request() {
    // GIVEN a new connector
    let env = common::start().await;
    let sf = &env.salesforce;
    let q = rooms_query();
    // WHEN three queries start together
    let (a, b, c) = tokio::join!(
        sf.query::<Value>(&q),
        sf.query::<Value>(&q),
        sf.query::<Value>(&q)
    );
    // THEN all succeed on one token
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    assert_eq!(token_requests(&env.sandbox), 1);
    // AND WHEN the session expires and three more start together
    env.sandbox.expire_sessions();
    let (a, b, c) = tokio::join!(
        sf.query::<Value>(&q),
        sf.query::<Value>(&q),
        sf.query::<Value>(&q)
    );
    // THEN they share one renewal
    assert!(a.is_ok() && b.is_ok() && c.is_ok());
    assert_eq!(token_requests(&env.sandbox), 2);
}

/// Re-authentication happens once per call: if the renewed session is refused too, the 401 is
/// returned as an error rather than retried again.
#[tokio::test]
async fn a_second_401_is_an_error() {
    // GIVEN a connector whose session has expired, and 200 ms latency so there is time to act
    let env = common::start().await;
    let _: Vec<Value> = env.salesforce.query(&rooms_query()).await.expect("warm-up query");
    env.sandbox.expire_sessions();
    env.sandbox.reset_stats();
    env.sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(200))));
    // WHEN it queries, and the new session is revoked as soon as it is issued
    let revoke_after_renewal = async {
        while token_requests(&env.sandbox) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        env.sandbox.expire_sessions();
    };
    let query = rooms_query();
    let (result, ()) = tokio::join!(env.salesforce.query::<Value>(&query), revoke_after_renewal);
    // THEN the second 401 is the caller's error, after exactly one renewal
    let error = result.expect_err("the renewed session was refused too");
    assert_eq!(
        (error.status(), error.error_code()),
        (Some(401), Some("INVALID_SESSION_ID"))
    );
    let statuses: Vec<Option<u16>> = env.sandbox.request_log().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(401), Some(200), Some(401)]);
}
