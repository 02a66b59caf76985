//! Renders template.yaml's generated block: each tool's function, log group and REST route from
//! the registry: each spec's name, REST path, read-only flag and deployment (memory, timeout,
//! Stripe, texts, Home Assistant), then the adapter's permission to invoke exactly those functions. Every function is the
//! binary `dewy` with the same build metadata (so `sam build` builds it once), its `Handler` the
//! tool's name, which is what the binary serves (`functions/src/lib.rs`).
//!
//! What a function may reach follows from what its tool does:
//! - every tool: the Salesforce secret, and the rate-limit windows (`RateLimitAccess`: one
//!   conditional update on `rate#` items of the idempotency table) with its class's limit;
//! - a tool that changes something: the idempotency table (read-only tools bypass the store, see
//!   `dewy_tool::dispatch`), through `IdempotencyStoreAccess`;
//! - a tool that takes payments: the Stripe secret;
//! - a room-control tool: Home Assistant's URL and the secret holding its token;
//! - a tool that texts: the SMS queue (`SmsQueueSend`) and the on-call number, never Twilio's secret.

use dewy_tool::Deployment;
use dewy_tool::DynTool;
use std::fmt::Write;

/// The block for `tools`, each line indented as a member of `Resources`.
pub fn block(tools: &[&dyn DynTool]) -> String {
    let mut out = String::new();
    for tool in tools {
        tool_resources(&mut out, *tool, tool.spec().deployment);
    }
    invoke_policy(&mut out, tools);
    out
}

/// `check_in_guest` → `CheckInGuest`: the stem of the tool's logical resource ids.
pub fn logical_id(name: &str) -> String {
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn tool_resources(out: &mut String, tool: &dyn DynTool, deployment: Deployment) {
    let spec = tool.spec();
    let (name, id) = (spec.name, logical_id(spec.name));
    let writes = !spec.effect.is_read_only();
    let (limit_variable, limit_parameter) = rate_limit(spec.rate_class());
    let mut variables = vec![
        ("SALESFORCE_LOGIN_URL", "!Ref SalesforceLoginUrl"),
        ("SALESFORCE_SECRET_ID", "!Ref SalesforceSecret"),
        ("RATE_LIMIT_TABLE", "!Ref IdempotencyTable"),
        (limit_variable, limit_parameter),
    ];
    let mut policies = vec![
        "AWSSecretsManagerGetSecretValuePolicy: { SecretArn: !Ref SalesforceSecret }",
        "!Ref RateLimitAccess",
    ];
    if deployment.stripe {
        variables.push(("STRIPE_SECRET_ID", "!Ref StripeSecret"));
        policies.push("AWSSecretsManagerGetSecretValuePolicy: { SecretArn: !Ref StripeSecret }");
    }
    if deployment.home_assistant {
        variables.push(("HOME_ASSISTANT_URL", "!Ref HomeAssistantUrl"));
        variables.push(("HOME_ASSISTANT_SECRET_ID", "!Ref HomeAssistantSecret"));
        policies.push("AWSSecretsManagerGetSecretValuePolicy: { SecretArn: !Ref HomeAssistantSecret }");
    }
    if writes {
        variables.push(("IDEMPOTENCY_TABLE", "!Ref IdempotencyTable"));
        policies.push("!Ref IdempotencyStoreAccess");
    }
    if deployment.texts {
        variables.push(("SMS_QUEUE_URL", "!Ref SmsQueue"));
        variables.push(("SMS_ON_CALL_NUMBER", "!Ref SmsOnCallNumber"));
        policies.push("!Ref SmsQueueSend");
    }
    let _ = write!(
        out,
        "  {id}Function:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: rust-cargolambda
      BuildProperties:
        Binary: dewy
    Properties:
      FunctionName: !Sub dewy-${{Stage}}-{name}
      Handler: {name}
      CodeUri: .
      MemorySize: {memory}
      Timeout: {timeout}
      LoggingConfig:
        LogGroup: !Ref {id}Logs
      Environment:
        Variables:
",
        memory = deployment.memory_mb,
        timeout = deployment.timeout_secs,
    );
    for (variable, value) in variables {
        let _ = writeln!(out, "          {variable}: {value}");
    }
    out.push_str("      Policies:\n");
    for policy in policies {
        let _ = writeln!(out, "        - {policy}");
    }
    let _ = write!(
        out,
        "      Events:
        Api:
          Type: HttpApi
          Properties: {{ ApiId: !Ref HttpApi, Method: POST, Path: {path} }}
  {id}Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/dewy-${{Stage}}-{name}
      RetentionInDays: !Ref LogRetentionDays
",
        path = spec.rest_path(),
    );
}

/// The variable and the template parameter holding the limit of `class`.
pub fn rate_limit(class: dewy_tool::RateClass) -> (&'static str, &'static str) {
    match class {
        dewy_tool::RateClass::Reads => ("RATE_LIMIT_READS", "!Ref RateLimitReads"),
        dewy_tool::RateClass::Writes => ("RATE_LIMIT_WRITES", "!Ref RateLimitWrites"),
        dewy_tool::RateClass::Payments => ("RATE_LIMIT_PAYMENTS", "!Ref RateLimitPayments"),
    }
}

fn invoke_policy(out: &mut String, tools: &[&dyn DynTool]) {
    out.push_str(
        "  # The MCP adapter may invoke the tool functions and nothing else: not itself, not the notifier.
  ToolFunctionsInvoke:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Description: The MCP adapter's Lambda Invoke of the tool functions.
      PolicyDocument:
        Version: \"2012-10-17\"
        Statement:
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource:
",
    );
    for tool in tools {
        let _ = writeln!(
            out,
            "              - !GetAtt {}Function.Arn",
            logical_id(tool.spec().name)
        );
    }
}
