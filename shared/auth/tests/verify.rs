//! The verifier against the local issuer served over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{CLIENT_ID, Stack, now, user};
use dewy_auth::{Audience, AuthError, Verifier};
use dewy_tool::caller::Persona;

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn valid_tokens_verify_and_map_to_callers() {
    let stack = Stack::start().await;
    let v = stack.verifier();
    let guest = stack.issuer.issue(&user("guest1@hotel.com"), HOUR).unwrap();
    let token = v.verify_header(Some(&format!("bEaReR {guest}"))).await.unwrap();
    assert_eq!(token.subject, user("guest1@hotel.com").subject());
    assert_eq!(token.email.as_deref(), Some("guest1@hotel.com"));
    assert_eq!(token.groups, ["guest"]);
    assert_eq!(token.scopes, ["dewy-resort/mcp"]);
    assert_eq!(token.client_id.as_deref(), Some(CLIENT_ID));
    assert!((token.expires_at - now() - 3600).abs() < 5);
    let caller = token.caller();
    assert_eq!(caller.personas, [Persona::Guest]);
    assert!(caller.is_guest_only());
    assert_eq!(caller.email.unwrap().as_str(), "guest1@hotel.com");

    let manager = stack.issuer.issue(&user("manager1@hotel.com"), HOUR).unwrap();
    let caller = v.verify(&manager).await.unwrap().caller();
    assert_eq!(
        caller.personas,
        [
            Persona::Staff,
            Persona::Housekeeping,
            Persona::Maintenance,
            Persona::Manager
        ]
    );
    let staff = stack.issuer.issue(&user("staff1@hotel.com"), HOUR).unwrap();
    assert_eq!(
        v.verify(&staff).await.unwrap().caller().personas,
        [Persona::Staff]
    );
    assert_eq!(stack.jwks_hits(), 1, "keys are fetched once and cached");
}

#[tokio::test]
async fn tampering_and_foreign_keys_are_bad_signatures() {
    let stack = Stack::start().await;
    let v = stack.verifier();
    let token = stack.issuer.issue(&user("guest1@hotel.com"), HOUR).unwrap();
    let parts: Vec<&str> = token.split('.').collect();

    let mut claims = stack.issuer.access_claims(&user("guest1@hotel.com"), HOUR);
    claims["cognito:groups"] = serde_json::json!(["manager"]);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
    assert_eq!(v.verify(&tampered).await, Err(AuthError::BadSignature));

    let mut sig = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    sig[10] ^= 0x01;
    let tampered = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(sig));
    assert_eq!(v.verify(&tampered).await, Err(AuthError::BadSignature));

    // Another key claiming our kid.
    let claims = stack.issuer.access_claims(&user("guest1@hotel.com"), HOUR);
    let forged = stack
        .impostor()
        .sign_with_kid(&claims, stack.issuer.kid())
        .unwrap();
    assert_eq!(v.verify(&forged).await, Err(AuthError::BadSignature));
}

#[tokio::test]
async fn unknown_kids_refetch_at_a_bounded_rate() {
    let stack = Stack::start().await;
    let claims = stack.issuer.access_claims(&user("guest1@hotel.com"), HOUR);
    let unknown = stack.issuer.sign_with_kid(&claims, "garbage").unwrap();
    let valid = stack.issuer.sign(&claims).unwrap();

    // Default interval (30 s): the cold fetch happens, then garbage kids cause no more requests.
    let v = stack.verifier();
    for _ in 0..5 {
        assert_eq!(v.verify(&unknown).await, Err(AuthError::UnknownKey));
    }
    assert_eq!(stack.jwks_hits(), 1);
    assert!(v.verify(&valid).await.is_ok());
    assert_eq!(stack.jwks_hits(), 1);

    // A short interval: one refetch per interval, not per request.
    let v = v.with_min_refetch_interval(Duration::from_millis(300));
    assert!(v.verify(&valid).await.is_ok());
    assert_eq!(stack.jwks_hits(), 2);
    assert_eq!(v.verify(&unknown).await, Err(AuthError::UnknownKey));
    assert_eq!(stack.jwks_hits(), 2, "rate-limited right after a fetch");
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(v.verify(&unknown).await, Err(AuthError::UnknownKey));
    assert_eq!(v.verify(&unknown).await, Err(AuthError::UnknownKey));
    assert_eq!(stack.jwks_hits(), 3, "refetched once after the interval");
}

#[tokio::test]
async fn a_rotated_key_is_picked_up_by_refetching() {
    let stack = Stack::start().await;
    let v = stack.verifier().with_min_refetch_interval(Duration::ZERO);
    let old = stack.issuer.issue(&user("guest2@hotel.com"), HOUR).unwrap();
    assert!(v.verify(&old).await.is_ok());
    let rotated = stack.impostor();
    stack.serve_jwks(rotated.jwks()).await;
    let new = rotated.issue(&user("guest2@hotel.com"), HOUR).unwrap();
    assert!(v.verify(&new).await.is_ok());
    assert_eq!(stack.jwks_hits(), 2);
    // The old key was rotated out.
    assert_eq!(v.verify(&old).await, Err(AuthError::UnknownKey));
}

#[tokio::test]
async fn concurrent_callers_share_one_fetch() {
    let stack = Stack::start().await;
    let v = stack.verifier();
    let token = stack.issuer.issue(&user("guest3@hotel.com"), HOUR).unwrap();
    let calls = (0..8).map(|_| {
        let (v, token) = (v.clone(), token.clone());
        tokio::spawn(async move { v.verify(&token).await })
    });
    for call in calls.collect::<Vec<_>>() {
        assert!(call.await.unwrap().is_ok());
    }
    assert_eq!(stack.jwks_hits(), 1);
}

/// Signs guest1's access claims after `change` alters them, and verifies the result.
async fn verify_with(
    stack: &Stack,
    v: &Verifier,
    change: impl FnOnce(&mut serde_json::Value),
) -> Result<(), AuthError> {
    let mut claims = stack.issuer.access_claims(&user("guest1@hotel.com"), HOUR);
    change(&mut claims);
    v.verify(&stack.issuer.sign(&claims).unwrap()).await.map(|_| ())
}

#[tokio::test]
async fn time_issuer_audience_use_and_scope_are_enforced() {
    let stack = Stack::start().await;
    let v = stack.verifier();
    let s = &stack;
    assert_eq!(
        verify_with(s, &v, |c| c["exp"] = (now() - 120).into()).await,
        Err(AuthError::Expired)
    );
    assert_eq!(
        verify_with(s, &v, |c| c["exp"] = (now() - 30).into()).await,
        Ok(()),
        "within leeway"
    );
    assert_eq!(
        verify_with(s, &v, |c| c["nbf"] = (now() + 300).into()).await,
        Err(AuthError::NotYetValid)
    );
    assert_eq!(
        verify_with(s, &v, |c| c["nbf"] = (now() + 30).into()).await,
        Ok(()),
        "within leeway"
    );
    let no_exp = |c: &mut serde_json::Value| {
        c.as_object_mut().unwrap().remove("exp");
    };
    assert_eq!(verify_with(s, &v, no_exp).await, Err(AuthError::Malformed));
    assert_eq!(
        verify_with(s, &v, |c| c["iss"] = "https://evil.example".into()).await,
        Err(AuthError::WrongIssuer)
    );
    let no_iss = |c: &mut serde_json::Value| {
        c.as_object_mut().unwrap().remove("iss");
    };
    assert_eq!(verify_with(s, &v, no_iss).await, Err(AuthError::WrongIssuer));
    assert_eq!(
        verify_with(s, &v, |c| c["client_id"] = "other-client".into()).await,
        Err(AuthError::WrongAudience)
    );
    assert_eq!(
        verify_with(s, &v, |c| c["token_use"] = "id".into()).await,
        Err(AuthError::WrongTokenUse)
    );
    let scope = verify_with(s, &v, |c| c["scope"] = "openid email".into())
        .await
        .unwrap_err();
    assert_eq!(
        scope,
        AuthError::InsufficientScope {
            required: "dewy-resort/mcp".into()
        }
    );
    assert_eq!(scope.status(), 403);
    assert_eq!(
        verify_with(s, &v, |c| c["scope"] = "openid dewy-resort/mcp".into()).await,
        Ok(())
    );
    assert_eq!(
        verify_with(s, &v, |c| c["cognito:groups"] = "guest".into()).await,
        Err(AuthError::Malformed)
    );
    assert_eq!(
        verify_with(s, &v, |c| c["sub"] = "".into()).await,
        Err(AuthError::Malformed)
    );

    // An id token where an access token is required.
    let id = stack
        .issuer
        .sign(&stack.issuer.id_claims(&user("guest1@hotel.com"), HOUR))
        .unwrap();
    assert_eq!(v.verify(&id).await, Err(AuthError::WrongTokenUse));
}

#[tokio::test]
async fn aud_mode_requires_a_matching_aud() {
    let stack = Stack::start().await;
    let mut config = stack.config();
    config.audience = Audience::Aud(vec![CLIENT_ID.into()]);
    config.token_use = None;
    config.required_scope = None;
    let v = Verifier::new(config, reqwest::Client::new());
    let s = &stack;
    // An access token has no `aud`.
    assert_eq!(verify_with(s, &v, |_| {}).await, Err(AuthError::WrongAudience));
    assert_eq!(verify_with(s, &v, |c| c["aud"] = CLIENT_ID.into()).await, Ok(()));
    assert_eq!(
        verify_with(s, &v, |c| c["aud"] = serde_json::json!(["x", CLIENT_ID])).await,
        Ok(())
    );
    assert_eq!(
        verify_with(s, &v, |c| c["aud"] = "someone-else".into()).await,
        Err(AuthError::WrongAudience)
    );
    let id = stack
        .issuer
        .sign(&stack.issuer.id_claims(&user("guest1@hotel.com"), HOUR))
        .unwrap();
    assert!(v.verify(&id).await.is_ok());
}

#[tokio::test]
async fn other_algorithms_are_rejected() {
    let stack = Stack::start().await;
    let v = stack.verifier();
    let claims = stack.issuer.access_claims(&user("guest1@hotel.com"), HOUR);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let header = |alg: &str| {
        URL_SAFE_NO_PAD.encode(serde_json::json!({"alg": alg, "kid": stack.issuer.kid()}).to_string())
    };
    assert_eq!(
        v.verify(&format!("{}.{payload}.", header("none"))).await,
        Err(AuthError::BadSignature)
    );
    // HS256 keyed with the public modulus: the classic algorithm-confusion attack.
    let mut hs = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs.kid = Some(stack.issuer.kid().to_owned());
    let n = stack.issuer.jwks()["keys"][0]["n"].as_str().unwrap().to_owned();
    let key = jsonwebtoken::EncodingKey::from_secret(n.as_bytes());
    let forged = jsonwebtoken::encode(&hs, &claims, &key).unwrap();
    assert_eq!(v.verify(&forged).await, Err(AuthError::BadSignature));
    assert_eq!(
        v.verify(&format!("{}.{payload}.c2ln", header("RS512"))).await,
        Err(AuthError::BadSignature)
    );
}

#[tokio::test]
async fn unreachable_keys_are_unavailable_not_invalid() {
    let stack = Stack::start().await;
    let mut config = stack.config();
    // A bound-then-dropped port: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    config.jwks_url = url::Url::parse(&format!("http://{closed}/jwks.json")).unwrap();
    let v = Verifier::new(config, reqwest::Client::new());
    let token = stack.issuer.issue(&user("guest1@hotel.com"), HOUR).unwrap();
    let err = v.verify(&token).await.unwrap_err();
    assert_eq!(err, AuthError::KeysUnavailable);
    assert_eq!(err.status(), 503);
    assert_eq!(v.verify_header(None).await, Err(AuthError::MissingToken));
    assert_eq!(
        v.verify_header(Some("Bearer garbage")).await,
        Err(AuthError::Malformed)
    );
}
