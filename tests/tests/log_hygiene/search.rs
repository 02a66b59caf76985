//! The search of the captured logs: the secrets a run used, and the shapes of secrets (JWTs,
//! client secrets, Salesforce session ids, `Authorization` values, card numbers).

use dewy_local::LocalStack;
use serde_json::Value;

/// Every value that must never be logged, named for the failure message.
#[derive(Default)]
pub struct Secrets(Vec<(String, String)>);

impl Secrets {
    pub fn add(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let value = value.into();
        assert!(value.len() >= 8, "a secret too short to search for safely");
        self.0.push((name.into(), value));
    }

    pub fn add_from(&mut self, name: &str, body: &Value, field: &str) {
        if let Some(value) = body[field].as_str() {
            self.add(format!("{name} {field}"), value);
        }
    }

    /// The secrets of the stack's configuration: the backends' credentials and the demo password.
    pub fn of_stack(stack: &LocalStack) -> Secrets {
        let mut secrets = Secrets::default();
        let salesforce = stack.salesforce.config();
        secrets.add("Salesforce client secret", &salesforce.client_secret);
        secrets.add("Salesforce refresh token", &salesforce.refresh_token);
        secrets.add("Stripe API key", stack.stripe.api_key());
        let twilio = stack.twilio.config();
        secrets.add("Twilio auth token", &twilio.auth_token);
        secrets.add("Twilio API key secret", &twilio.api_key_secret);
        let basic = base64(format!("{}:{}", twilio.account_sid, twilio.auth_token).as_bytes());
        secrets.add("Twilio Authorization value", basic);
        secrets.add("demo password", dewy_local_issuer::DEMO_PASSWORD);
        secrets
    }

    /// Where each secret, and each secret-shaped string, appears in `text`: one line per finding,
    /// with the secret itself masked.
    pub fn findings(&self, text: &str, salesforce_org: &str) -> Vec<String> {
        let mut found = Vec::new();
        for line in text.lines() {
            let mut masked = line.to_owned();
            let mut names = Vec::new();
            for (name, value) in &self.0 {
                if masked.contains(value.as_str()) {
                    masked = masked.replace(value.as_str(), &format!("<{name}>"));
                    names.push(name.clone());
                }
            }
            for (name, shape) in [
                ("a JWT", has_jwt(&masked)),
                ("a PaymentIntent client secret", masked.contains("_secret_")),
                (
                    "a Salesforce session id",
                    masked.contains(&format!("{salesforce_org}!")),
                ),
                ("an Authorization header", has_authorization(&masked)),
                ("a card number", has_card_number(&masked)),
            ] {
                if shape {
                    names.push(name.to_owned());
                }
            }
            if !names.is_empty() {
                let shown: String = masked.chars().take(400).collect();
                found.push(format!("{}: {shown}", names.join(", ")));
            }
        }
        found
    }
}

/// Whether `text` holds something shaped like a JWT: two base64url JSON objects and a dot.
pub fn has_jwt(text: &str) -> bool {
    text.match_indices("eyJ").any(|(at, _)| {
        let rest = &text[at..];
        let header_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        header_len >= 10 && rest[header_len..].starts_with(".eyJ")
    })
}

/// Whether `text` holds a standalone card number: 15 or 16 digits, together or grouped by spaces or
/// dashes as cards print them (4-4-4-4, or 4-6-5 for American Express), not part of a longer word,
/// starting 3 to 6 (the card networks' ranges) and passing the Luhn check. Other groupings are
/// other numbers: Salesforce's ErrorId `3376967760-67760` is 15 digits that pass the check. Card data reaches the hub only as Stripe PaymentMethod ids (`pm_card_visa`), so
/// none should ever appear.
pub fn has_card_number(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    while at < chars.len() {
        // Digits after a letter, a digit or a decimal point are part of a word or a number.
        let joined = at > 0 && (chars[at - 1].is_ascii_alphanumeric() || chars[at - 1] == '.');
        if !chars[at].is_ascii_digit() || joined {
            at += 1;
            continue;
        }
        // The longest stretch of digits, spaces and dashes from here that ends on a digit.
        let mut end = at;
        let mut last_digit = at;
        while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == ' ' || chars[end] == '-') {
            if chars[end].is_ascii_digit() {
                last_digit = end;
            }
            end += 1;
        }
        let next = |n: usize| chars.get(last_digit + n).copied();
        let standalone = next(1).is_none_or(|c| !c.is_ascii_alphanumeric())
            && !(next(1) == Some('.') && next(2).is_some_and(|c| c.is_ascii_digit()));
        let digits: String = chars[at..=last_digit]
            .iter()
            .filter(|c| c.is_ascii_digit())
            .collect();
        let stretch: String = chars[at..=last_digit].iter().collect();
        let groups: Vec<usize> = stretch
            .split([' ', '-'])
            .filter(|group| !group.is_empty())
            .map(str::len)
            .collect();
        let card_grouping = matches!(groups.as_slice(), [_] | [4, 4, 4, 4] | [4, 6, 5]);
        if standalone
            && card_grouping
            && matches!(digits.len(), 15 | 16)
            && matches!(digits.as_bytes()[0], b'3'..=b'6')
            && luhn(&digits)
        {
            return true;
        }
        at = end.max(at + 1);
    }
    false
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether a line carries an `Authorization` header's value: a JSON key named so, or the header
/// printed as text with a credential after it.
pub fn has_authorization(line: &str) -> bool {
    fn key_named_authorization(value: &Value) -> bool {
        match value {
            Value::Object(fields) => fields
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("authorization") || key_named_authorization(v)),
            Value::Array(items) => items.iter().any(key_named_authorization),
            _ => false,
        }
    }
    let lower = line.to_ascii_lowercase();
    let printed = [
        "authorization: bearer ",
        "authorization: basic ",
        "\"authorization\": \"",
    ]
    .iter()
    .any(|shape| lower.contains(shape));
    printed
        || serde_json::from_str::<Value>(line)
            .map(|v| key_named_authorization(&v))
            .unwrap_or(false)
}

/// Standard base64 with padding, as HTTP basic authentication encodes `user:password`.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
