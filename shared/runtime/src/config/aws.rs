//! The AWS clients of a function, configured from the environment Lambda gives it: the region
//! (`AWS_REGION`, else `AWS_DEFAULT_REGION`) and the execution role's credentials
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`). `AWS_ENDPOINT_URL`, or a
//! service's own `AWS_ENDPOINT_URL_<SERVICE>` (`DYNAMODB`, `SQS`, `SECRETS_MANAGER`, `LAMBDA`),
//! points a client at an emulator (moto, `cargo lambda watch`).
//!
//! Not aws-config's default chain: a function never reads profile files, SSO or instance metadata,
//! and the chain's code (the STS client among it) was 10 % of the binary every function loads.

use super::optional;
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_types::SdkConfig;
use aws_types::region::Region;
use aws_types::sdk_config::SharedCredentialsProvider;
use std::sync::OnceLock;

/// The settings every client shares, read once per container.
fn shared() -> &'static SdkConfig {
    static AWS: OnceLock<SdkConfig> = OnceLock::new();
    AWS.get_or_init(|| {
        let region = optional("AWS_REGION").or_else(|| optional("AWS_DEFAULT_REGION"));
        let credentials = Credentials::new(
            optional("AWS_ACCESS_KEY_ID").unwrap_or_default(),
            optional("AWS_SECRET_ACCESS_KEY").unwrap_or_default(),
            optional("AWS_SESSION_TOKEN"),
            None,
            "environment",
        );
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(region.map(Region::new))
            .credentials_provider(SharedCredentialsProvider::new(credentials))
            .build()
    })
}

/// Where `service`'s API is reached when an emulator stands in for AWS.
fn endpoint(service: &str) -> Option<String> {
    optional(&format!("AWS_ENDPOINT_URL_{service}")).or_else(|| optional("AWS_ENDPOINT_URL"))
}

/// A client of the SDK crate `$sdk` on the shared settings, at `$service`'s emulator if one is set.
macro_rules! client {
    ($sdk:ident, $service:literal) => {{
        let mut config = $sdk::config::Builder::from(shared());
        config.set_endpoint_url(endpoint($service));
        $sdk::Client::from_conf(config.build())
    }};
}

/// A DynamoDB client.
pub(crate) fn dynamodb() -> aws_sdk_dynamodb::Client {
    client!(aws_sdk_dynamodb, "DYNAMODB")
}

/// A Secrets Manager client.
pub(crate) fn secrets_manager() -> aws_sdk_secretsmanager::Client {
    client!(aws_sdk_secretsmanager, "SECRETS_MANAGER")
}

/// An SQS client.
pub(crate) fn sqs() -> aws_sdk_sqs::Client {
    client!(aws_sdk_sqs, "SQS")
}

/// A Lambda client (the MCP adapter's, invoking the tool functions).
pub fn lambda() -> aws_sdk_lambda::Client {
    client!(aws_sdk_lambda, "LAMBDA")
}
