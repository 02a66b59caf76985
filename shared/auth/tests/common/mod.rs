//! A local issuer served on 127.0.0.1:0, with a JWKS route that counts its requests and whose
//! key set a test can swap (to simulate key rotation).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Json;
use axum::routing::get;
use dewy_auth::{Verifier, VerifierConfig};
use dewy_local_issuer::{DEMO_PASSWORD, DemoUser, LocalIssuer, demo_users};
use tokio::sync::Mutex;

pub const CLIENT_ID: &str = "local-client";

pub struct Stack {
    pub issuer: LocalIssuer,
    pub base: String,
    jwks_hits: Arc<AtomicUsize>,
    served_jwks: Arc<Mutex<serde_json::Value>>,
}

impl Stack {
    pub async fn start() -> Stack {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let issuer =
            LocalIssuer::new(base.clone(), CLIENT_ID.into(), demo_users(), DEMO_PASSWORD.into()).unwrap();
        let jwks_hits = Arc::new(AtomicUsize::new(0));
        let served_jwks = Arc::new(Mutex::new(issuer.jwks()));
        let (hits, served) = (jwks_hits.clone(), served_jwks.clone());
        let counted = get(move || {
            let (hits, served) = (hits.clone(), served.clone());
            async move {
                hits.fetch_add(1, Ordering::SeqCst);
                Json(served.lock().await.clone())
            }
        });
        let app = issuer.router().route("/test/jwks", counted);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Stack {
            issuer,
            base,
            jwks_hits,
            served_jwks,
        }
    }

    /// The issuer's own verifier config, but fetching keys from the counting route.
    pub fn config(&self) -> VerifierConfig {
        let mut config = self.issuer.verifier_config();
        config.jwks_url = url::Url::parse(&format!("{}/test/jwks", self.base)).unwrap();
        config
    }

    pub fn verifier(&self) -> Verifier {
        Verifier::new(self.config(), reqwest::Client::new())
    }

    pub fn jwks_hits(&self) -> usize {
        self.jwks_hits.load(Ordering::SeqCst)
    }

    pub async fn serve_jwks(&self, jwks: serde_json::Value) {
        *self.served_jwks.lock().await = jwks;
    }

    /// Another issuer at the same URL with its own key (a key the verifier must not trust).
    pub fn impostor(&self) -> LocalIssuer {
        LocalIssuer::new(
            self.base.clone(),
            CLIENT_ID.into(),
            demo_users(),
            DEMO_PASSWORD.into(),
        )
        .unwrap()
    }
}

pub fn user(email: &str) -> DemoUser {
    demo_users().into_iter().find(|u| u.email == email).unwrap()
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
