//! The deploy scripts that talk to AWS, run against moto: a user pool, secrets, a bucket and a
//! CloudFront distribution, and a stack whose outputs name them, made by the test as the template would, and the script reading the outputs
//! with `aws cloudformation describe-stacks` like in AWS.

use super::support::{infra, moto_and_aws_cli};
use dewy_local_issuer::{DEMO_PASSWORD, demo_users};
use dewy_tool::Persona;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::{Command, Output, Stdio};

/// The aws CLI (or a script using it) pointed at moto with fake credentials, away from any real
/// account's configuration.
fn with_moto(command: &mut Command, moto: &str) -> Output {
    let nowhere = std::env::temp_dir().join("dewy-no-aws-config");
    command
        .env("AWS_ENDPOINT_URL", moto)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", &nowhere)
        .env("AWS_SHARED_CREDENTIALS_FILE", &nowhere)
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `aws COMMAND --output json`, which must succeed. The command is split on whitespace: none of
/// the test's arguments has a space.
fn aws(moto: &str, command: &str) -> Value {
    let args = command.split_whitespace();
    let out = with_moto(Command::new("aws").args(args).args(["--output", "json"]), moto);
    assert!(
        out.status.success(),
        "aws {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{name}-{}-{nanos}", std::process::id())
}

/// A stack whose only outputs are `outputs`: moto cannot make Cognito resources through
/// CloudFormation, so the test makes them itself and the stack just names them.
fn stack_naming(moto: &str, outputs: &[(&str, &str)]) -> String {
    let outputs: serde_json::Map<String, Value> = outputs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), json!({ "Value": value })))
        .collect();
    let template = json!({
        "Resources": { "Nothing": { "Type": "AWS::CloudFormation::WaitConditionHandle" } },
        "Outputs": outputs,
    });
    let name = unique("dewy-infra");
    aws(
        moto,
        &format!("cloudformation create-stack --stack-name {name} --template-body {template}"),
    );
    name
}

/// The variables put-secrets.sh reads.
const SECRET_VARS: [&str; 7] = [
    "SALESFORCE_CLIENT_ID",
    "SALESFORCE_CLIENT_SECRET",
    "SALESFORCE_REFRESH_TOKEN",
    "STRIPE_API_KEY",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_FROM",
];

fn script(moto: &str, name: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new("bash");
    command.arg(infra().join("scripts").join(name)).args(args);
    // Only the values the test gives: none of the runner's own.
    for var in SECRET_VARS {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    with_moto(&mut command, moto)
}

/// What a run showed (stdout, then stderr); it must have succeeded.
fn ok(out: &Output) -> String {
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{shown}");
    shown
}

#[test]
fn create_demo_users_makes_every_demo_user_once_with_its_groups_and_password() {
    let Some(moto) = moto_and_aws_cli("create_demo_users") else {
        return;
    };
    let name = unique("dewy");
    let pool = aws(
        &moto,
        &format!("cognito-idp create-user-pool --pool-name {name} --username-attributes email"),
    );
    let pool = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    for group in Persona::ALL.map(Persona::group) {
        aws(
            &moto,
            &format!("cognito-idp create-group --user-pool-id {pool} --group-name {group}"),
        );
    }
    let stack = stack_naming(&moto, &[("UserPoolId", &pool)]);
    let users = demo_users();

    let first = script(&moto, "create-demo-users.sh", &["--stack", &stack], &[]);
    let shown = ok(&first);
    assert!(
        shown.contains(&format!("{} created, 0 already there", users.len())),
        "{shown}"
    );
    // Run again: nothing is created twice, nothing fails.
    let second = script(&moto, "create-demo-users.sh", &["--stack", &stack], &[]);
    let shown = ok(&second);
    assert!(
        shown.contains(&format!("0 created, {} already there", users.len())),
        "{shown}"
    );

    // What the pool holds, read back in a few calls (the aws CLI takes a second per call).
    let email = |user: &Value| -> String {
        let attributes = user["Attributes"].as_array().unwrap();
        let email = attributes.iter().find(|a| a["Name"] == "email").unwrap();
        email["Value"].as_str().unwrap().to_owned()
    };
    let listed = aws(&moto, &format!("cognito-idp list-users --user-pool-id {pool}"));
    let listed = listed["Users"].as_array().unwrap();
    assert_eq!(listed.len(), users.len());
    for user in listed {
        assert_eq!(user["UserStatus"], "CONFIRMED", "{}", email(user));
    }
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for group in Persona::ALL.map(Persona::group) {
        let members = aws(
            &moto,
            &format!("cognito-idp list-users-in-group --user-pool-id {pool} --group-name {group}"),
        );
        for member in members["Users"].as_array().unwrap() {
            groups.entry(email(member)).or_default().push(group.to_owned());
        }
    }
    let expected: BTreeMap<String, Vec<String>> = users
        .iter()
        .map(|u| (u.email.clone(), u.groups.clone()))
        .collect();
    assert_eq!(groups, expected);

    // The demo password signs a user in.
    let client = aws(
        &moto,
        &format!(
            "cognito-idp create-user-pool-client --user-pool-id {pool} --client-name test \
             --explicit-auth-flows ALLOW_ADMIN_USER_PASSWORD_AUTH ALLOW_REFRESH_TOKEN_AUTH"
        ),
    );
    let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
    let signed_in = aws(
        &moto,
        &format!(
            "cognito-idp admin-initiate-auth --user-pool-id {pool} --client-id {client} \
             --auth-flow ADMIN_USER_PASSWORD_AUTH --auth-parameters USERNAME={},PASSWORD={DEMO_PASSWORD}",
            users[0].email
        ),
    );
    assert!(
        signed_in["AuthenticationResult"]["AccessToken"].is_string(),
        "{signed_in}"
    );

    aws(
        &moto,
        &format!("cloudformation delete-stack --stack-name {stack}"),
    );
    aws(
        &moto,
        &format!("cognito-idp delete-user-pool --user-pool-id {pool}"),
    );
}

#[test]
fn put_secrets_stores_each_secret_as_the_functions_read_it_without_showing_it() {
    let Some(moto) = moto_and_aws_cli("put_secrets") else {
        return;
    };
    let secret = |name: &str| -> String {
        let created = aws(
            &moto,
            &format!("secretsmanager create-secret --name {}", unique(name)),
        );
        created["ARN"].as_str().unwrap().to_owned()
    };
    let (salesforce, stripe, twilio) = (secret("salesforce"), secret("stripe"), secret("twilio"));
    let stack = stack_naming(
        &moto,
        &[
            ("SalesforceSecretArn", &salesforce),
            ("StripeSecretArn", &stripe),
            ("TwilioSecretArn", &twilio),
        ],
    );
    let values = [
        ("SALESFORCE_CLIENT_ID", "3MVG9-client-id"),
        ("SALESFORCE_CLIENT_SECRET", "sf-secret-\"quoted\"-value"),
        ("SALESFORCE_REFRESH_TOKEN", ""),
        ("STRIPE_API_KEY", "sk_test_51abcdef"),
        ("TWILIO_ACCOUNT_SID", "AC0123456789"),
        ("TWILIO_AUTH_TOKEN", "twilio-token-value"),
        ("TWILIO_FROM", "+15550100999"),
    ];
    let shown = ok(&script(&moto, "put-secrets.sh", &["--stack", &stack], &values));
    for (_, value) in values.iter().filter(|(_, v)| !v.is_empty()) {
        assert!(
            !shown.contains(value),
            "the script showed a secret value: {shown}"
        );
    }
    let stored = |arn: &str| -> Value {
        let secret = aws(
            &moto,
            &format!("secretsmanager get-secret-value --secret-id {arn}"),
        );
        serde_json::from_str(secret["SecretString"].as_str().unwrap()).unwrap()
    };
    // The shapes the functions read (shared/runtime/src/config): an empty refresh token is left out,
    // so the connector uses the client-credentials flow.
    assert_eq!(
        stored(&salesforce),
        json!({"client_id": "3MVG9-client-id", "client_secret": "sf-secret-\"quoted\"-value"})
    );
    assert_eq!(stored(&stripe), json!({"api_key": "sk_test_51abcdef"}));
    assert_eq!(
        stored(&twilio),
        json!({"account_sid": "AC0123456789", "auth_token": "twilio-token-value", "from": "+15550100999"})
    );

    // A value neither set nor askable (no terminal) stops the script before anything is stored.
    let unset = script(&moto, "put-secrets.sh", &["--stack", &stack, "stripe"], &[]);
    assert!(!unset.status.success());
    assert!(String::from_utf8_lossy(&unset.stderr).contains("STRIPE_API_KEY is not set"));
    aws(
        &moto,
        &format!("cloudformation delete-stack --stack-name {stack}"),
    );
}

/// A build as Vite makes one, in a directory of its own: `(path, content)` of each file.
fn portal_build(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(unique(name));
    for (path, content) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Every object of `bucket`: key → (Cache-Control, Content-Type, content).
fn bucket_objects(moto: &str, bucket: &str) -> BTreeMap<String, (String, String, String)> {
    let listed = aws(moto, &format!("s3api list-objects-v2 --bucket {bucket}"));
    let out = std::env::temp_dir().join(unique("dewy-portal-object"));
    let mut objects = BTreeMap::new();
    for object in listed["Contents"].as_array().into_iter().flatten() {
        let key = object["Key"].as_str().unwrap();
        let got = aws(
            moto,
            &format!("s3api get-object --bucket {bucket} --key {key} {}", out.display()),
        );
        let field = |name: &str| got[name].as_str().unwrap_or_default().to_owned();
        let content = std::fs::read_to_string(&out).unwrap();
        objects.insert(
            key.to_owned(),
            (field("CacheControl"), field("ContentType"), content),
        );
    }
    objects
}

#[test]
fn deploy_portal_uploads_the_build_with_its_caching_and_config_and_invalidates_the_cdn() {
    let Some(moto) = moto_and_aws_cli("deploy_portal") else {
        return;
    };
    let bucket = unique("dewy-portal");
    aws(&moto, &format!("s3api create-bucket --bucket {bucket}"));
    let distribution = aws(
        &moto,
        &format!(
            "cloudfront create-distribution --origin-domain-name {bucket}.s3.us-east-1.amazonaws.com \
             --default-root-object index.html"
        ),
    );
    let distribution = distribution["Distribution"]["Id"].as_str().unwrap().to_owned();
    // The outputs as template.yaml writes them: no trailing slashes.
    let stack = stack_naming(
        &moto,
        &[
            ("ApiUrl", "https://a1b2c3.execute-api.us-east-1.amazonaws.com"),
            ("UserPoolId", "us-east-1_AbCdEf123"),
            ("WebClientId", "4webclient"),
            ("AuthDomain", "https://dewy-test.auth.us-east-1.amazoncognito.com"),
            ("PortalUrl", "https://d111111abcdef8.cloudfront.net"),
            ("PortalBucketName", &bucket),
            ("PortalDistributionId", &distribution),
        ],
    );
    let first = portal_build(
        "dewy-portal-dist",
        &[
            (
                "index.html",
                "<!doctype html><script src=/assets/index-AAAA1111.js></script>",
            ),
            ("assets/index-AAAA1111.js", "console.log(1)"),
            ("assets/index-AAAA1111.css", "body{}"),
            ("favicon.svg", "<svg/>"),
        ],
    );
    let deploy = |dist: &std::path::Path| {
        let dist = dist.to_str().unwrap();
        ok(&script(
            &moto,
            "deploy-portal.sh",
            &["--stack", &stack, "--dist", dist],
            &[],
        ))
    };
    let shown = deploy(&first);
    assert!(shown.contains("https://d111111abcdef8.cloudfront.net"), "{shown}");

    let immutable = "public, max-age=31536000, immutable";
    let objects = bucket_objects(&moto, &bucket);
    let keys: Vec<&str> = objects.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "assets/index-AAAA1111.css",
            "assets/index-AAAA1111.js",
            "config.json",
            "favicon.svg",
            "index.html"
        ]
    );
    let meta = |key: &str| (objects[key].0.as_str(), objects[key].1.as_str());
    assert_eq!(meta("assets/index-AAAA1111.css"), (immutable, "text/css"));
    assert_eq!(meta("assets/index-AAAA1111.js").0, immutable);
    assert!(meta("assets/index-AAAA1111.js").1.ends_with("javascript"));
    assert_eq!(meta("index.html"), ("no-cache", "text/html; charset=utf-8"));
    assert_eq!(meta("config.json"), ("no-cache", "application/json"));
    assert_eq!(meta("favicon.svg"), ("no-cache", "image/svg+xml"));
    let config: Value = serde_json::from_str(&objects["config.json"].2).unwrap();
    assert_eq!(
        config,
        json!({
            "apiUrl": "https://a1b2c3.execute-api.us-east-1.amazonaws.com",
            "authority": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123",
            "clientId": "4webclient",
            "scope": "openid email",
            "logoutUrl": "https://dewy-test.auth.us-east-1.amazoncognito.com/logout",
        })
    );

    // The next build: new asset names, no favicon. What left the build leaves the bucket.
    let second = portal_build(
        "dewy-portal-dist",
        &[
            (
                "index.html",
                "<!doctype html><script src=/assets/index-BBBB2222.js></script>",
            ),
            ("assets/index-BBBB2222.js", "console.log(2)"),
        ],
    );
    deploy(&second);
    let objects = bucket_objects(&moto, &bucket);
    let keys: Vec<&str> = objects.keys().map(String::as_str).collect();
    assert_eq!(keys, ["assets/index-BBBB2222.js", "config.json", "index.html"]);
    assert!(objects["index.html"].2.contains("index-BBBB2222.js"));

    let invalidations = aws(
        &moto,
        &format!("cloudfront list-invalidations --distribution-id {distribution}"),
    );
    let invalidations = invalidations["InvalidationList"]["Items"].as_array().unwrap();
    assert_eq!(invalidations.len(), 2, "one per deployment: {invalidations:?}");
    let id = invalidations[0]["Id"].as_str().unwrap();
    let invalidation = aws(
        &moto,
        &format!("cloudfront get-invalidation --distribution-id {distribution} --id {id}"),
    );
    assert_eq!(
        invalidation["Invalidation"]["InvalidationBatch"]["Paths"]["Items"],
        json!(["/*"])
    );

    aws(
        &moto,
        &format!("cloudformation delete-stack --stack-name {stack}"),
    );
}
