//! The sign-in page and the error page of the browser flow: plain HTML, no script.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::code_flow::Authorization;
use super::pkce;

/// The one message of a failed sign-in: it must not tell an unknown email from a wrong password.
pub(crate) const SIGN_IN_FAILED: &str = "Incorrect email or password.";

/// The sign-in form for `authorization`. The pending request travels in hidden fields and is
/// checked again when the form comes back, so the issuer keeps no state for an unfinished sign-in.
/// `failed` shows [`SIGN_IN_FAILED`] above the form, with the email typed kept.
pub(crate) fn sign_in(authorization: &Authorization, email: &str, failed: bool) -> Response {
    let hidden = [
        ("response_type", "code"),
        ("client_id", authorization.client_id.as_str()),
        ("redirect_uri", authorization.redirect_uri.as_str()),
        ("scope", authorization.scope.as_str()),
        ("state", authorization.state.as_deref().unwrap_or("")),
        ("nonce", authorization.nonce.as_deref().unwrap_or("")),
        ("code_challenge", authorization.code_challenge.as_str()),
        ("code_challenge_method", pkce::S256),
    ];
    let hidden: String = hidden
        .iter()
        .map(|(name, value)| {
            format!(
                r#"<input type="hidden" name="{name}" value="{}">"#,
                escape_html(value)
            )
        })
        .collect::<Vec<_>>()
        .join("\n      ");
    // The error is tied to the fields it is about (aria-describedby) and announced (role="alert").
    let (error, described) = if failed {
        (
            format!(r#"<p id="sign-in-error" class="error" role="alert">{SIGN_IN_FAILED}</p>"#),
            r#" aria-describedby="sign-in-error" aria-invalid="true""#,
        )
    } else {
        (String::new(), "")
    };
    let body = format!(
        r#"<main>
    <h1>Sign in to Dewy Resort</h1>
    {error}
    <form method="post">
      {hidden}
      <p><label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="{email}"{described}></p>
      <p><label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required{described}></p>
      <p><button type="submit">Sign in</button></p>
    </form>
    <p class="note">The local stand-in for the Amazon Cognito sign-in page.</p>
  </main>"#,
        email = escape_html(email),
    );
    page(StatusCode::OK, "Sign in", &body)
}

/// A refusal that must not redirect (unknown client or redirect URI): shown to the user.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<main>\n    <h1>Sign-in cannot continue</h1>\n    <p role=\"alert\">{}</p>\n  </main>",
        escape_html(message)
    );
    page(status, "Sign-in error", &body)
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} · Dewy Resort</title>
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; }}
    label {{ display: block; font-weight: 600; }}
    input {{ width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }}
    button {{ padding: .5rem 1.5rem; font-size: 1rem; }}
    .error {{ color: #a00000; border-left: 4px solid #a00000; padding-left: .5rem; }}
    .note {{ color: #555; font-size: .875rem; }}
  </style>
</head>
<body>
  {body}
</body>
</html>
"#
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // A page holding a password form: never cached, never framed (clickjacking), no script.
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response()
}

/// Escapes text for an HTML text node or a quoted attribute value (the issuer's pages, and the
/// local stack's page for a portal that is not built).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(
            escape_html(r#""><script>alert('x')</script>&"#),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
    }
}
