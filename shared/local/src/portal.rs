//! The web portal, served locally on the API's port as CloudFront serves it in AWS: the built files
//! of `web/dist`, every other page path answered with `index.html` (the single-page app routes
//! itself), and `/config.json`, which tells the portal where the API and the issuer are.
//!
//! Paths of the API (`/api`, `/auth`, `/mcp`, `/openapi.json`, `/.well-known`) and every request
//! that is not a GET or HEAD go to the API as before, so an unknown `/api/…` route keeps its JSON
//! `NOT_FOUND`.
//!
//! The portal has one origin, the issuer's (`http://127.0.0.1:3000` by default): a page asked for
//! under another name of this server (`http://localhost:3000/…`) is redirected there, so the
//! portal's calls to the issuer and the API stay same-origin, as the issuer sends no CORS headers.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use dewy_local_issuer::{LocalIssuer, escape_html as escape};
use std::path::PathBuf;
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};

/// What the portal asks the issuer for. `dewy-resort/mcp` is not among them: in AWS the API's JWT
/// authorizer checks the issuer and the web client, not a scope, and so does the local REST API.
pub const PORTAL_SCOPE: &str = "openid email";

/// Path prefixes that belong to the API, never to the portal.
const API_PREFIXES: [&str; 5] = ["/api", "/auth", "/mcp", "/openapi.json", "/.well-known"];

/// Where the portal's built files are, and why they may be missing.
#[derive(Debug, Clone)]
pub struct Portal {
    /// The build output: `index.html` and `assets/`.
    pub dist: PathBuf,
    /// Why it was not built, shown on the page served instead of it.
    pub build_problem: Option<String>,
    /// The build failed: the page is served even if `dist` holds an earlier build, which would
    /// be of other sources.
    pub build_failed: bool,
}

impl Portal {
    /// The portal built in `dist`.
    pub fn new(dist: impl Into<PathBuf>) -> Self {
        Portal {
            dist: dist.into(),
            build_problem: None,
            build_failed: false,
        }
    }
}

/// The portal's `/config.json` for the local stack: the API on the same origin, the local issuer
/// and its app client, and the issuer's Cognito-style sign-out endpoint.
pub fn config(issuer: &LocalIssuer) -> serde_json::Value {
    serde_json::json!({
        "apiUrl": "",
        "authority": issuer.issuer(),
        "clientId": issuer.client_id(),
        "scope": PORTAL_SCOPE,
        "logoutUrl": format!("{}/logout", issuer.issuer()),
    })
}

#[derive(Clone)]
struct Served {
    api: Router,
    portal: Portal,
    /// `http://host:port`: the issuer's origin, the portal's.
    origin: String,
}

/// `api` with the portal in front of it: `/config.json` (for `issuer`), the files of
/// `portal.dist` and the single-page app's fallback; everything else goes to `api`.
pub fn with_portal(api: Router, issuer: &LocalIssuer, portal: Portal) -> Router {
    let config = config(issuer);
    let origin = issuer.issuer().trim_end_matches("/auth").to_owned();
    Router::new()
        .route(
            "/config.json",
            get(move || async move { ([(header::CACHE_CONTROL, "no-store")], axum::Json(config)) }),
        )
        .fallback(dispatch)
        .with_state(Served { api, portal, origin })
}

async fn dispatch(State(served): State<Served>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let is_page = matches!(*request.method(), Method::GET | Method::HEAD)
        && !API_PREFIXES
            .iter()
            .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")));
    if !is_page {
        return served.api.oneshot(request).await.into_response();
    }
    let host = request.headers().get(header::HOST).and_then(|v| v.to_str().ok());
    if let Some(host) = host
        && served.origin.strip_prefix("http://") != Some(host)
    {
        let path_and_query = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let location = format!("{}{path_and_query}", served.origin);
        return (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, location)]).into_response();
    }
    let index = served.portal.dist.join("index.html");
    if served.portal.build_failed || !index.is_file() {
        return not_built(&served.portal);
    }
    let files = ServeDir::new(&served.portal.dist).fallback(ServeFile::new(index));
    let mut response = files.oneshot(request).await.into_response();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // Vite names what it puts in assets/ by content hash: a changed file is a new name.
    let cache = if path.starts_with("/assets/") && !is_html && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// 503 and how to build the portal, while `dist` has no `index.html` or its build failed.
fn not_built(portal: &Portal) -> Response {
    let problem = portal
        .build_problem
        .as_deref()
        .map(|p| format!("<p>Why: {}</p>", escape(p)))
        .unwrap_or_default();
    let web = escape(&portal.dist.parent().unwrap_or(&portal.dist).display().to_string());
    let how = if portal.build_failed {
        "Fix it and restart <code>cargo run -p dewy-local</code>, which builds it again.".to_owned()
    } else {
        format!(
            "Build it with <code>npm ci --prefix {web} &amp;&amp; npm run build --prefix {web}</code> \
             (Node.js 20 or later), then reload; or restart <code>cargo run -p dewy-local</code>, \
             which builds it when npm is installed."
        )
    };
    let page = format!(
        "<!doctype html><meta charset=\"utf-8\"><title>Dewy Resort portal: not built</title>\
         <h1>The web portal is not built</h1>{problem}<p>{how}</p>\
         <p>The API, the MCP servers and the issuer are running: <a href=\"/openapi.json\">/openapi.json</a>.</p>"
    );
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Html(page)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use axum::body::Body;
    use http_body_util::BodyExt as _;
    use std::net::SocketAddr;

    /// A dist directory of its own under the system's temp directory.
    fn dist(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dewy-portal-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn app(portal: Portal) -> Router {
        let addr = SocketAddr::from(([127, 0, 0, 1], 3000));
        let (api, issuer) = crate::api(
            addr,
            crate::tests::unreachable_backends(),
            crate::DEFAULT_TOKEN_TTL,
            dewy_mcp::Unconfirmable::Refuse,
        )
        .unwrap();
        with_portal(api, &issuer, portal)
    }

    struct Answer {
        status: StatusCode,
        content_type: String,
        cache: String,
        body: String,
    }

    async fn send(app: &Router, method: Method, path: &str) -> Answer {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &HeaderValue| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (content_type, cache) = (header(header::CONTENT_TYPE), header(header::CACHE_CONTROL));
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            content_type,
            cache,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    const INDEX: &str = "<!doctype html><div id=root></div>";

    fn built(name: &str) -> Router {
        app(Portal::new(dist(
            name,
            &[
                ("index.html", INDEX),
                ("assets/index-abc123.js", "console.log(1)"),
                ("favicon.svg", "<svg/>"),
            ],
        )))
    }

    #[tokio::test]
    async fn files_are_served_with_their_type_and_hashed_assets_cached_for_good() {
        let app = built("files");
        let asset = send(&app, Method::GET, "/assets/index-abc123.js").await;
        assert_eq!(asset.status, StatusCode::OK);
        assert_eq!(asset.body, "console.log(1)");
        assert!(
            asset.content_type.contains("javascript"),
            "{}",
            asset.content_type
        );
        assert_eq!(asset.cache, "public, max-age=31536000, immutable");

        let icon = send(&app, Method::GET, "/favicon.svg").await;
        assert_eq!(
            (icon.status, icon.content_type.as_str()),
            (StatusCode::OK, "image/svg+xml")
        );
        assert_eq!(icon.cache, "no-cache");

        for path in ["/", "/index.html"] {
            let index = send(&app, Method::GET, path).await;
            assert_eq!(
                (index.status, index.body.as_str()),
                (StatusCode::OK, INDEX),
                "{path}"
            );
            assert!(index.content_type.starts_with("text/html"));
            assert_eq!(index.cache, "no-cache");
        }
    }

    #[tokio::test]
    async fn a_page_path_that_is_no_file_answers_index_html() {
        let app = built("fallback");
        for path in ["/bookings", "/rooms/105?tab=devices", "/assets/gone-123.js"] {
            let page = send(&app, Method::GET, path).await;
            assert_eq!(
                (page.status, page.body.as_str()),
                (StatusCode::OK, INDEX),
                "{path}"
            );
            assert_eq!(page.cache, "no-cache", "{path}");
        }
        let head = send(&app, Method::HEAD, "/bookings").await;
        assert_eq!(head.status, StatusCode::OK);
    }

    #[tokio::test]
    async fn pages_are_served_from_the_issuers_origin_only() {
        let app = built("origin");
        let request = |host: &str| {
            Request::get("/rooms?floor=1")
                .header(header::HOST, host)
                .body(Body::empty())
                .unwrap()
        };
        let there = app.clone().oneshot(request("127.0.0.1:3000")).await.unwrap();
        assert_eq!(there.status(), StatusCode::OK);
        let elsewhere = app.clone().oneshot(request("localhost:3000")).await.unwrap();
        assert_eq!(elsewhere.status(), StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(
            elsewhere.headers()[header::LOCATION],
            "http://127.0.0.1:3000/rooms?floor=1"
        );
    }

    #[tokio::test]
    async fn the_api_keeps_its_paths_and_its_json_errors() {
        let app = built("api");
        let unknown = send(&app, Method::GET, "/api/nope").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let body: serde_json::Value = serde_json::from_str(&unknown.body).unwrap();
        assert_eq!(body["error_code"], "NOT_FOUND");

        let post = send(&app, Method::POST, "/bookings").await;
        assert_eq!(post.status, StatusCode::NOT_FOUND);
        assert!(post.content_type.starts_with("application/json"));

        let tool = send(&app, Method::POST, "/api/check-in-guest").await;
        assert_eq!(tool.status, StatusCode::UNAUTHORIZED);
        let openapi = send(&app, Method::GET, "/openapi.json").await;
        assert_eq!(openapi.status, StatusCode::OK);
        assert!(openapi.body.contains("\"openapi\""));
        let discovery = send(&app, Method::GET, "/auth/.well-known/openid-configuration").await;
        assert_eq!(discovery.status, StatusCode::OK);
        let nothing = send(&app, Method::GET, "/.well-known/nothing").await;
        assert_eq!(nothing.status, StatusCode::NOT_FOUND);
        assert!(!nothing.body.contains(INDEX));
    }

    #[tokio::test]
    async fn config_json_names_the_same_origin_api_and_the_local_issuer() {
        let app = built("config");
        let config = send(&app, Method::GET, "/config.json").await;
        assert_eq!(config.status, StatusCode::OK);
        assert_eq!(config.cache, "no-store");
        let body: serde_json::Value = serde_json::from_str(&config.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "apiUrl": "",
                "authority": "http://127.0.0.1:3000/auth",
                "clientId": crate::LOCAL_CLIENT_ID,
                "scope": "openid email",
                "logoutUrl": "http://127.0.0.1:3000/auth/logout",
            })
        );
    }

    #[tokio::test]
    async fn without_a_build_pages_say_how_to_build_and_the_api_still_answers() {
        let dir = dist("missing", &[]);
        let app = app(Portal {
            dist: dir.clone(),
            build_problem: Some("npm was not found <on PATH>".to_owned()),
            build_failed: false,
        });
        let page = send(&app, Method::GET, "/").await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.content_type.starts_with("text/html"));
        let web = dir.parent().unwrap().display();
        assert!(
            page.body.contains(&format!("npm run build --prefix {web}")),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("npm was not found &lt;on PATH&gt;"),
            "{}",
            page.body
        );
        assert_eq!(
            send(&app, Method::GET, "/config.json").await.status,
            StatusCode::OK
        );
        assert_eq!(
            send(&app, Method::GET, "/api/nope").await.status,
            StatusCode::NOT_FOUND
        );

        // Built while the stack runs: served from the next request on.
        std::fs::write(dir.join("index.html"), INDEX).unwrap();
        assert_eq!(send(&app, Method::GET, "/").await.body, INDEX);
    }

    #[tokio::test]
    async fn after_a_failed_build_an_earlier_one_is_not_served() {
        let app = app(Portal {
            dist: dist("failed", &[("index.html", INDEX)]),
            build_problem: Some("npm run build failed".to_owned()),
            build_failed: true,
        });
        let page = send(&app, Method::GET, "/").await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(page.body.contains("Why: npm run build failed"), "{}", page.body);
        assert!(page.body.contains("Fix it and restart"), "{}", page.body);
    }
}
