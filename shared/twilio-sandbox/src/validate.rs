//! The checks Twilio makes on a create-message request, with its error codes and wording.
//!
//! Plain functions over the decoded form and the configuration, so every rule is unit-tested
//! without a server.

use crate::config::TwilioSandboxConfig;
use crate::error::ApiError;

/// The longest body Twilio accepts, in characters.
pub(crate) const MAX_BODY_CHARS: usize = 1600;

/// The create-message form fields the sandbox reads (any others are ignored, as Twilio ignores
/// parameters it does not know).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SendForm {
    pub to: Option<String>,
    pub from: Option<String>,
    pub messaging_service_sid: Option<String>,
    pub body: Option<String>,
    pub status_callback: Option<String>,
}

impl SendForm {
    /// Decodes a form-encoded body; the first of repeated fields wins.
    pub fn parse(body: &[u8]) -> Self {
        let mut form = SendForm::default();
        for (name, value) in url::form_urlencoded::parse(body) {
            let slot = match name.as_ref() {
                "To" => &mut form.to,
                "From" => &mut form.from,
                "MessagingServiceSid" => &mut form.messaging_service_sid,
                "Body" => &mut form.body,
                "StatusCallback" => &mut form.status_callback,
                _ => continue,
            };
            slot.get_or_insert_with(|| value.into_owned());
        }
        form
    }
}

/// Who a message is sent from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sender {
    /// The account's number, given as `From`.
    Number(String),
    /// The account's Messaging Service, given as `MessagingServiceSid`.
    Service(String),
}

/// A request that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub to: String,
    pub sender: Sender,
    pub body: String,
    pub status_callback: Option<String>,
}

/// Twilio's magic test numbers (the ones its test credentials answer specially), as `To`.
const MAGIC_RECIPIENTS: &[(&str, u32)] = &[
    ("+15005550001", 21211),
    ("+15005550002", 21612),
    ("+15005550003", 21408),
    ("+15005550004", 21610),
    ("+15005550009", 21614),
];

/// Checks a create-message request, in roughly the order Twilio reports problems.
pub(crate) fn validate(form: &SendForm, config: &TwilioSandboxConfig) -> Result<Accepted, ApiError> {
    let to = given(&form.to).ok_or_else(|| ApiError::new(400, 21604, "A 'To' phone number is required."))?;
    let sender = sender(given(&form.from), given(&form.messaging_service_sid), config)?;
    let body = form.body.as_deref().filter(|b| !b.trim().is_empty());
    let body = body.ok_or_else(|| ApiError::new(400, 21602, "Message body is required."))?;
    if body.chars().count() > MAX_BODY_CHARS {
        let message = "The concatenated message body exceeds the 1600 character limit.";
        return Err(ApiError::new(400, 21617, message));
    }
    if !is_e164(to) {
        let message = format!("The 'To' number {to} is not a valid phone number.");
        return Err(ApiError::new(400, 21211, message));
    }
    if let Some(&(_, code)) = MAGIC_RECIPIENTS.iter().find(|(number, _)| *number == to) {
        return Err(magic_refusal(code, to, &sender));
    }
    let status_callback = given(&form.status_callback);
    if status_callback.is_some_and(|url| !is_http_url(url)) {
        return Err(ApiError::new(
            400,
            21609,
            "The StatusCallback URL is not a valid URL.",
        ));
    }
    Ok(Accepted {
        to: to.to_owned(),
        sender,
        body: body.to_owned(),
        status_callback: status_callback.map(str::to_owned),
    })
}

/// A field's value, trimmed, if it is there and not blank.
fn given(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The sender: the Messaging Service when given (Twilio then ignores `From`), else `From`; either
/// must be the account's own.
fn sender(
    from: Option<&str>,
    service: Option<&str>,
    config: &TwilioSandboxConfig,
) -> Result<Sender, ApiError> {
    match (service, from) {
        (Some(sid), _) if !is_sid(sid, "MG") => {
            Err(ApiError::new(400, 21705, "The Messaging Service Sid is invalid."))
        }
        (Some(sid), _) if sid != config.messaging_service_sid => Err(ApiError::new(
            400,
            21701,
            format!("The Messaging Service {sid} does not exist."),
        )),
        (Some(sid), _) => Ok(Sender::Service(sid.to_owned())),
        (None, Some(from)) if !is_e164(from) => Err(ApiError::new(
            400,
            21212,
            format!(
                "The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID."
            ),
        )),
        (None, Some(from)) if from != config.phone_number => Err(ApiError::new(
            400,
            21606,
            format!(
                "The From phone number {from} is not a valid, SMS-capable inbound phone number or short \
                 code for your account."
            ),
        )),
        (None, Some(from)) => Ok(Sender::Number(from.to_owned())),
        (None, None) => Err(ApiError::new(400, 21603, "A 'From' phone number is required.")),
    }
}

/// The refusal Twilio answers for one of its magic recipients.
fn magic_refusal(code: u32, to: &str, sender: &Sender) -> ApiError {
    let from = match sender {
        Sender::Number(number) => number.as_str(),
        Sender::Service(sid) => sid.as_str(),
    };
    let message = match code {
        21211 => format!("The 'To' number {to} is not a valid phone number."),
        21612 => format!(
            "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: \
             {from} via SMS."
        ),
        21408 => format!(
            "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}."
        ),
        21610 => "Attempt to send to unsubscribed recipient".to_owned(),
        _ => "'To' number is not a valid mobile number".to_owned(),
    };
    ApiError::new(400, code, message)
}

/// `+`, then 8 to 15 digits, the first not 0.
pub(crate) fn is_e164(number: &str) -> bool {
    number.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// `prefix` then 32 hex digits.
pub(crate) fn is_sid(value: &str, prefix: &str) -> bool {
    value
        .strip_prefix(prefix)
        .is_some_and(|digits| digits.len() == 32 && digits.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_http_url(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(to: &str, body: &str) -> SendForm {
        SendForm {
            to: Some(to.into()),
            from: Some(TwilioSandboxConfig::DEFAULT_PHONE_NUMBER.into()),
            body: Some(body.into()),
            ..SendForm::default()
        }
    }

    fn code(form: &SendForm) -> Option<u32> {
        validate(form, &TwilioSandboxConfig::default())
            .err()
            .map(|e| e.code)
    }

    #[test]
    fn a_good_request_is_accepted() {
        let accepted = validate(&form("+15558675310", "Hi"), &TwilioSandboxConfig::default());
        let accepted = accepted.expect("valid");
        assert_eq!(accepted.sender, Sender::Number("+15005550006".into()));
        assert_eq!(
            (accepted.to.as_str(), accepted.body.as_str()),
            ("+15558675310", "Hi")
        );
    }

    #[test]
    fn recipients_are_checked_including_twilios_magic_numbers() {
        assert_eq!(code(&form("+1555", "Hi")), Some(21211));
        assert_eq!(code(&form("15558675310", "Hi")), Some(21211));
        assert_eq!(code(&form("+15005550001", "Hi")), Some(21211));
        assert_eq!(code(&form("+15005550009", "Hi")), Some(21614));
        assert_eq!(code(&form("+15005550004", "Hi")), Some(21610));
        assert_eq!(code(&form("+15005550002", "Hi")), Some(21612));
        assert_eq!(code(&form("+15005550003", "Hi")), Some(21408));
        assert_eq!(
            code(&SendForm {
                to: None,
                ..form("", "Hi")
            }),
            Some(21604)
        );
    }

    #[test]
    fn bodies_are_required_and_bounded() {
        assert_eq!(code(&form("+15558675310", " ")), Some(21602));
        assert_eq!(
            code(&SendForm {
                body: None,
                ..form("+15558675310", "")
            }),
            Some(21602)
        );
        assert_eq!(code(&form("+15558675310", &"é".repeat(1600))), None);
        assert_eq!(code(&form("+15558675310", &"a".repeat(1601))), Some(21617));
    }

    #[test]
    fn the_sender_must_be_the_accounts_own() {
        let other_number = SendForm {
            from: Some("+15558675309".into()),
            ..form("+15558675310", "Hi")
        };
        assert_eq!(code(&other_number), Some(21606));
        let no_sender = SendForm {
            from: None,
            ..form("+15558675310", "Hi")
        };
        assert_eq!(code(&no_sender), Some(21603));
        let service = |sid: &str| SendForm {
            from: None,
            messaging_service_sid: Some(sid.into()),
            ..form("+15558675310", "Hi")
        };
        assert_eq!(
            code(&service(TwilioSandboxConfig::DEFAULT_MESSAGING_SERVICE_SID)),
            None
        );
        assert_eq!(code(&service("MG12")), Some(21705));
        assert_eq!(code(&service("MG0123456789abcdef0123456789abcdef")), Some(21701));
    }

    #[test]
    fn status_callbacks_must_be_http_urls() {
        let with_callback = |url: &str| SendForm {
            status_callback: Some(url.into()),
            ..form("+15558675310", "Hi")
        };
        assert_eq!(code(&with_callback("https://hotel.example/sms-status")), None);
        assert_eq!(code(&with_callback("not a url")), Some(21609));
    }

    #[test]
    fn forms_decode_with_the_first_value_winning() {
        let form = SendForm::parse(b"To=%2B15558675310&Body=Room+ready%21&Body=ignored&Extra=1");
        assert_eq!(form.to.as_deref(), Some("+15558675310"));
        assert_eq!(form.body.as_deref(), Some("Room ready!"));
        assert_eq!(form.from, None);
    }
}
