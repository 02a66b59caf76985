//! How a sandbox is started: the account, its credentials, its senders, whether messages get delivered.

/// The sandbox's configuration. The defaults are fixed, so a local stack can hard-code them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwilioSandboxConfig {
    /// The one account: requests must name it in their path and (with the token) authenticate as it.
    pub account_sid: String,
    /// The account's auth token (basic-auth password with `account_sid` as the user).
    pub auth_token: String,
    /// An API key SID accepted as basic-auth user, with `api_key_secret`.
    pub api_key_sid: String,
    /// The API key's secret.
    pub api_key_secret: String,
    /// The account's one phone number: the only `From` accepted.
    pub phone_number: String,
    /// The account's one Messaging Service: the only `MessagingServiceSid` accepted.
    pub messaging_service_sid: String,
    /// Whether an accepted message is marked `delivered` right after the create answer (which says
    /// `queued`, or `accepted` through the Messaging Service, as Twilio's does). Reads then see
    /// `delivered`. When `false` messages stay as created, for tests of pending deliveries.
    pub deliver: bool,
}

impl TwilioSandboxConfig {
    /// The default account SID (`AC` and 32 hex digits, like every SID).
    pub const DEFAULT_ACCOUNT_SID: &'static str = "ACdec0de00000000000000000000c0ffee";
    /// The default auth token.
    pub const DEFAULT_AUTH_TOKEN: &'static str = "dewy_sandbox_token";
    /// The default API key SID.
    pub const DEFAULT_API_KEY_SID: &'static str = "SKdec0de00000000000000000000c0ffee";
    /// The default API key secret.
    pub const DEFAULT_API_KEY_SECRET: &'static str = "dewy_sandbox_key_secret";
    /// The default sender: Twilio's own magic "valid From" test number.
    pub const DEFAULT_PHONE_NUMBER: &'static str = "+15005550006";
    /// The default Messaging Service SID.
    pub const DEFAULT_MESSAGING_SERVICE_SID: &'static str = "MGdec0de00000000000000000000c0ffee";
}

impl Default for TwilioSandboxConfig {
    fn default() -> Self {
        Self {
            account_sid: Self::DEFAULT_ACCOUNT_SID.into(),
            auth_token: Self::DEFAULT_AUTH_TOKEN.into(),
            api_key_sid: Self::DEFAULT_API_KEY_SID.into(),
            api_key_secret: Self::DEFAULT_API_KEY_SECRET.into(),
            phone_number: Self::DEFAULT_PHONE_NUMBER.into(),
            messaging_service_sid: Self::DEFAULT_MESSAGING_SERVICE_SID.into(),
            deliver: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default SIDs have Twilio's shape, so the connector's SID parsing accepts them.
    #[test]
    fn default_sids_are_well_formed() {
        let config = TwilioSandboxConfig::default();
        for (sid, prefix) in [
            (&config.account_sid, "AC"),
            (&config.api_key_sid, "SK"),
            (&config.messaging_service_sid, "MG"),
        ] {
            let digits = sid.strip_prefix(prefix).unwrap_or_default();
            assert_eq!(digits.len(), 32, "{sid}");
            assert!(digits.bytes().all(|b| b.is_ascii_hexdigit()), "{sid}");
        }
    }
}
