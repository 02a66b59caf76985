//! Each connector's credentials from Secrets Manager, as a deployed function reads them: the
//! secrets on moto (a real HTTP AWS emulator), named by `SALESFORCE_SECRET_ID`, `STRIPE_SECRET_ID`,
//! `TWILIO_SECRET_ID` and `HOME_ASSISTANT_SECRET_ID`, the connectors pointed at the sandboxes, and start-up through
//! `backends_from_env` (every tool function) and `notifier_from_env` (the `sms_notifier`).
//!
//! The configuration is process-wide (environment variables, and the AWS SDK's configuration, which
//! the runtime resolves once per process as a container does), and this crate may not change the
//! environment of its own process (`std::env::set_var` is `unsafe` in edition 2024; `unsafe_code`
//! is forbidden). So one test runs the steps in order, each in a process of its own: this test
//! binary again, running only [`step`] with that step's environment, like a cold start.
//!
//! The same way, `events/local.env` (the environment of `cargo lambda watch` in the README) is shown
//! to start every kind of function: a tool with Stripe and SMS, the MCP adapter and the notifier.

use dewy_homeassistant::{EntityId, HomeAssistantError};
use dewy_local::Sandboxes;
use dewy_notifier::{Outcome, OutgoingSms};
use dewy_runtime::config::{ConfigError, backends_from_env};
use dewy_runtime::notifier::notifier_from_env;
use dewy_salesforce::soql::Soql;
use dewy_twilio::E164;
use serde_json::{Value, json};
use std::process::Command;

/// Selects the step a child process runs; unset in the parent.
const STEP: &str = "DEWY_SECRETS_STEP";
/// The text the notifier sends with the Twilio secret, and where to.
const TEXT: &str = "Your room is ready (sent with the Twilio secret's credentials).";
const MOBILE: &str = "+15550200177";
/// Secrets that are not the expected JSON; their values must never show in an error.
const SALESFORCE_TRUNCATED: &str =
    r#"{"client_id": "dewy-client", "client_secret": "s3cr3t-in-a-broken-secret"#;
const STRIPE_MISNAMED: &str = r#"{"apiKey": "sk_test_misnamed_field_value"}"#;
const TWILIO_INCOMPLETE: &str =
    r#"{"account_sid": "AC00000000000000000000000000000001", "auth_token": "tok-incomplete-secret"}"#;

/// Variables that would give a connector credentials without a secret, or point the AWS SDK
/// elsewhere: a child starts without them.
const INHERITED: [&str; 13] = [
    "SALESFORCE_CLIENT_ID",
    "SALESFORCE_CLIENT_SECRET",
    "SALESFORCE_REFRESH_TOKEN",
    "STRIPE_API_KEY",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
    "SMS_QUEUE_URL",
    "IDEMPOTENCY_TABLE",
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    "AWS_DEFAULT_REGION",
];

/// Creates a secret holding `value` on moto; its ARN (what the template's `!Ref` gives a function).
///
/// A plain JSON-protocol request: this crate does not depend on the Secrets Manager SDK, and the
/// code under test reads the secret with it anyway. moto takes the service from the credential
/// scope of the (unchecked) signature.
async fn create_secret(moto: &str, name: &str, value: &str) -> String {
    let response = reqwest::Client::new()
        .post(moto)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "secretsmanager.CreateSecret")
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request, \
             SignedHeaders=host, Signature=0",
        )
        .json(&json!({ "Name": name, "SecretString": value }))
        .send()
        .await
        .expect("moto answers");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or_default();
    assert!(status.is_success(), "CreateSecret {name}: {status} {body}");
    body["ARN"].as_str().expect("an ARN").to_owned()
}

/// Runs `step` in a child process with `env`, and fails with its output unless it passed. The wait
/// is off the runtime's thread: the sandboxes the child talks to are served on it.
async fn run_step(step: &str, env: &[(&str, String)]) {
    let mut child = Command::new(std::env::current_exe().unwrap());
    // The step's name in this test binary: its module path without the binary's own name.
    let step_test = format!("{}::step", module_path!().split_once("::").map_or("", |(_, m)| m));
    child.args([
        step_test.as_str(),
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for name in INHERITED {
        child.env_remove(name);
    }
    child.env(STEP, step).envs(env.iter().map(|(k, v)| (k, v)));
    let output = tokio::task::spawn_blocking(move || child.output())
        .await
        .unwrap()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprint!("step {step}:\n{stderr}");
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "step {step} failed:\n{stdout}\n{stderr}"
    );
}

#[tokio::test]
async fn connectors_take_their_credentials_from_secrets_manager() {
    let Some(moto) = std::env::var("MOTO_URL").ok().filter(|u| !u.is_empty()) else {
        assert!(
            std::env::var_os("DEWY_REQUIRE_MOTO").is_none(),
            "DEWY_REQUIRE_MOTO is set but MOTO_URL is not: start moto and set MOTO_URL"
        );
        eprintln!("SKIPPED secrets: set MOTO_URL (e.g. http://127.0.0.1:5055) to run against moto");
        return;
    };
    let sandboxes = Sandboxes::ephemeral().await.unwrap();
    let salesforce = sandboxes.salesforce.config();
    let twilio = sandboxes.twilio.config();
    let name = |what: &str| dewy_idempotency::moto::unique_name(&format!("dewy-resort/test/{what}"));
    let secret = |what: &str, value: &str| {
        let (name, moto, value) = (name(what), moto.clone(), value.to_owned());
        async move { create_secret(&moto, &name, &value).await }
    };
    let salesforce_ok = secret(
        "salesforce",
        &json!({ "client_id": salesforce.client_id, "client_secret": salesforce.client_secret }).to_string(),
    )
    .await;
    let stripe_ok = secret(
        "stripe",
        &json!({ "api_key": sandboxes.stripe.api_key() }).to_string(),
    )
    .await;
    let twilio_ok = secret(
        "twilio",
        &json!({ "account_sid": twilio.account_sid, "auth_token": twilio.auth_token,
                "from": twilio.phone_number })
        .to_string(),
    )
    .await;
    let salesforce_wrong = secret(
        "salesforce-wrong",
        &json!({ "client_id": salesforce.client_id, "client_secret": "not-the-secret" }).to_string(),
    )
    .await;
    let stripe_wrong = secret(
        "stripe-wrong",
        &json!({ "api_key": "sk_test_not_the_key" }).to_string(),
    )
    .await;
    let twilio_wrong = secret(
        "twilio-wrong",
        &json!({ "account_sid": twilio.account_sid, "auth_token": "not-the-token",
                "from": twilio.phone_number })
        .to_string(),
    )
    .await;
    let home_assistant_ok = secret(
        "home-assistant",
        &json!({ "token": sandboxes.home_assistant.token() }).to_string(),
    )
    .await;
    let home_assistant_wrong = secret(
        "home-assistant-wrong",
        &json!({ "token": "not-the-token" }).to_string(),
    )
    .await;
    let salesforce_malformed = secret("salesforce-malformed", SALESFORCE_TRUNCATED).await;
    let stripe_malformed = secret("stripe-malformed", STRIPE_MISNAMED).await;
    let twilio_malformed = secret("twilio-malformed", TWILIO_INCOMPLETE).await;
    let never_created = name("never-created");

    let common = [
        ("AWS_ENDPOINT_URL", moto.clone()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("SALESFORCE_LOGIN_URL", sandboxes.salesforce.base_url()),
        ("STRIPE_API_BASE", sandboxes.stripe.base_url()),
        ("TWILIO_API_BASE", sandboxes.twilio.base_url()),
    ];
    let with = |secrets: [(&'static str, &String); 3]| {
        let mut env = common.to_vec();
        env.extend(secrets.map(|(var, id)| (var, id.clone())));
        env
    };
    // A room-control function's environment: the same, and Home Assistant's URL and token secret.
    let with_home_assistant = |secrets: [(&'static str, &String); 3], token: &String| {
        let mut env = with(secrets);
        env.push(("HOME_ASSISTANT_URL", sandboxes.home_assistant.base_url()));
        env.push(("HOME_ASSISTANT_SECRET_ID", token.clone()));
        env
    };

    // The right values: each connector is let in.
    run_step(
        "authenticated",
        &with_home_assistant(
            [
                ("SALESFORCE_SECRET_ID", &salesforce_ok),
                ("STRIPE_SECRET_ID", &stripe_ok),
                ("TWILIO_SECRET_ID", &twilio_ok),
            ],
            &home_assistant_ok,
        ),
    )
    .await;
    let sent = sandboxes.twilio.messages();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!((sent[0].to.as_str(), sent[0].body.as_str()), (MOBILE, TEXT));

    // Wrong values in the same places: each is refused, so the values above are what let them in.
    run_step(
        "refused",
        &with_home_assistant(
            [
                ("SALESFORCE_SECRET_ID", &salesforce_wrong),
                ("STRIPE_SECRET_ID", &stripe_wrong),
                ("TWILIO_SECRET_ID", &twilio_wrong),
            ],
            &home_assistant_wrong,
        ),
    )
    .await;
    assert_eq!(sandboxes.twilio.messages().len(), 1, "nothing more was sent");

    // A secret that does not exist, and secrets that are not the expected JSON: start-up fails.
    run_step(
        "missing",
        &with([
            ("SALESFORCE_SECRET_ID", &never_created),
            ("STRIPE_SECRET_ID", &stripe_ok),
            ("TWILIO_SECRET_ID", &never_created),
        ]),
    )
    .await;
    run_step(
        "malformed",
        &with([
            ("SALESFORCE_SECRET_ID", &salesforce_malformed),
            ("STRIPE_SECRET_ID", &stripe_ok),
            ("TWILIO_SECRET_ID", &twilio_malformed),
        ]),
    )
    .await;
    run_step(
        "malformed_stripe",
        &with([
            ("SALESFORCE_SECRET_ID", &salesforce_ok),
            ("STRIPE_SECRET_ID", &stripe_malformed),
            ("TWILIO_SECRET_ID", &twilio_ok),
        ]),
    )
    .await;
}

/// `events/local.env`, parsed as cargo-lambda reads an env file (KEY=VALUE lines, `#` comments).
fn local_env() -> Vec<(String, String)> {
    let path = dewy_e2e::lambda_watch::workspace_root().join("events/local.env");
    let text = std::fs::read_to_string(path).expect("events/local.env is readable");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (key, value) = line.split_once('=').expect("KEY=VALUE");
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn the_local_env_file_starts_every_kind_of_function() {
    let env = local_env();
    let env: Vec<(&str, String)> = env.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    run_step("local_env", &env).await;
}

/// Start-up with `events/local.env` only (no network needed: connectors connect on first use).
async fn local_env_step() {
    let backends = backends_from_env().await.expect("the tool functions start");
    assert!(backends.stripe.is_some(), "checkout needs Stripe locally too");
    assert!(
        backends.home_assistant.is_some(),
        "the room controls need Home Assistant locally too"
    );
    let sms = backends.sms.expect("texts are configured");
    assert!(sms.on_call.is_some());
    let config = aws_sdk_lambda::Config::builder()
        .behavior_version(aws_sdk_lambda::config::BehaviorVersion::latest())
        .region(aws_sdk_lambda::config::Region::new("us-east-1"))
        .build();
    let lambda = aws_sdk_lambda::Client::from_conf(config);
    dewy_runtime::adapter::config_from_env(lambda, dewy_tools::TOOLS).expect("the adapter starts");
    notifier_from_env().await.expect("the notifier starts");
}

/// One step of the tests above, in a process of its own; it does nothing elsewhere.
#[tokio::test]
#[ignore = "a step of connectors_take_their_credentials_from_secrets_manager, run in its own process"]
async fn step() {
    let Ok(step) = std::env::var(STEP) else {
        eprintln!("nothing to do: {STEP} is set by connectors_take_their_credentials_from_secrets_manager");
        return;
    };
    match step.as_str() {
        "local_env" => local_env_step().await,
        "authenticated" => authenticated().await,
        "refused" => refused().await,
        "missing" => {
            let not_found = "ResourceNotFoundException: Secrets Manager can't find the specified secret.";
            let error = start_up_error().await;
            assert_eq!(error, failure("SALESFORCE_SECRET_ID", not_found));
            let error = notifier_error().await;
            assert_eq!(error, failure("TWILIO_SECRET_ID", not_found));
        }
        "malformed" => {
            let error = start_up_error().await;
            let expected = "expected JSON {client_id, client_secret, refresh_token?}";
            assert!(
                error.starts_with(&failure("SALESFORCE_SECRET_ID", expected)),
                "{error}"
            );
            assert_quotes_none_of(&error, &["dewy-client", "s3cr3t-in-a-broken-secret"]);
            let error = notifier_error().await;
            let expected = "expected JSON {account_sid, auth_token, from}";
            assert!(
                error.starts_with(&failure("TWILIO_SECRET_ID", expected)),
                "{error}"
            );
            assert_quotes_none_of(
                &error,
                &["AC00000000000000000000000000000001", "tok-incomplete-secret"],
            );
        }
        "malformed_stripe" => {
            let error = start_up_error().await;
            let expected = "expected JSON {api_key}";
            assert!(
                error.starts_with(&failure("STRIPE_SECRET_ID", expected)),
                "{error}"
            );
            assert_quotes_none_of(&error, &["sk_test_misnamed_field_value"]);
        }
        other => panic!("no step {other}"),
    }
}

fn a_query() -> Soql {
    Soql::select(&["Id", "Name"]).from("Hotel_Room__c").limit(1)
}

fn a_text() -> OutgoingSms {
    OutgoingSms::new("secrets-test#1:sms", E164::parse(MOBILE).unwrap(), TEXT)
}

async fn authenticated() {
    let backends = backends_from_env().await.expect("the function starts");
    let rooms = backends
        .salesforce
        .query::<Value>(&a_query())
        .await
        .expect("Salesforce accepts the secret's client credentials");
    assert_eq!(rooms.len(), 1);
    let stripe = backends.stripe.as_ref().expect("Stripe is configured");
    stripe
        .search_customers_by_email("kay@example.com")
        .await
        .expect("Stripe accepts the secret's key");
    let home_assistant = backends
        .home_assistant
        .as_ref()
        .expect("Home Assistant is configured");
    home_assistant
        .state(&EntityId::parse("light.room_101_main").unwrap())
        .await
        .expect("Home Assistant accepts the secret's token");
    let notifier = notifier_from_env().await.expect("the notifier starts");
    let delivery = notifier.deliver(&a_text()).await;
    assert_eq!(delivery.outcome, Outcome::Sent, "{delivery:?}");
}

async fn refused() {
    let backends = backends_from_env().await.expect("the secrets are well formed");
    let error = backends
        .salesforce
        .query::<Value>(&a_query())
        .await
        .expect_err("Salesforce refuses a wrong client secret");
    eprintln!("Salesforce: {error}");
    let stripe = backends.stripe.as_ref().expect("Stripe is configured");
    let error = stripe
        .search_customers_by_email("kay@example.com")
        .await
        .expect_err("Stripe refuses a wrong key");
    eprintln!("Stripe: {error}");
    let home_assistant = backends
        .home_assistant
        .as_ref()
        .expect("Home Assistant is configured");
    let error = home_assistant
        .state(&EntityId::parse("light.room_101_main").unwrap())
        .await
        .expect_err("Home Assistant refuses a wrong token");
    assert!(matches!(error, HomeAssistantError::Unauthorized), "{error}");
    let notifier = notifier_from_env().await.expect("the notifier starts");
    let delivery = notifier.deliver(&a_text()).await;
    assert_eq!(delivery.outcome, Outcome::Retry, "{delivery:?}");
    let reason = delivery.reason.unwrap_or_default();
    assert!(reason.contains("credentials"), "{reason}");
}

/// The message `backends_from_env` fails with (a secret's).
async fn start_up_error() -> String {
    let Err(error) = backends_from_env().await else {
        panic!("the function started");
    };
    described(error)
}

/// The message `notifier_from_env` fails with.
async fn notifier_error() -> String {
    let Err(error) = notifier_from_env().await else {
        panic!("the notifier started");
    };
    described(error)
}

fn described(error: ConfigError) -> String {
    assert!(matches!(error, ConfigError::Secret(_)), "{error:?}");
    eprintln!("start-up fails: {error}");
    error.to_string()
}

/// The message of a failure to read the secret `variable` names, beginning with `why`.
fn failure(variable: &str, why: &str) -> String {
    let secret_id = std::env::var(variable).unwrap();
    format!("a secret could not be read: {variable} ({secret_id}): {why}")
}

/// Fails if `error` shows any of a secret's `values`.
fn assert_quotes_none_of(error: &str, values: &[&str]) {
    for value in values {
        assert!(!error.contains(value), "the error quotes {value:?}: {error}");
    }
}
