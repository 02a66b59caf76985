//! template.yaml against the code: the tool functions are generated from the tool specs, never
//! kept in sync by hand, and every function, route and event the template and the code name match
//! up. The generated block is rewritten by the one regenerate command (see `generated`).
//! cfn-lint and `sam validate --lint` check the rest of the template (tests/template-lint.sh, run by
//! tests/run's "template" step).

use dewy_e2e::lambda_watch::workspace_root;
use dewy_functions::{MCP_ADAPTER, SMS_NOTIFIER};
use serde_norway::{Mapping, Value};
use std::collections::BTreeSet;

mod render;

const BEGIN: &str = "  # BEGIN GENERATED TOOL FUNCTIONS\n";
const END: &str = "  # END GENERATED TOOL FUNCTIONS\n";

/// The longest `Stage` the template's parameter allows (its `AllowedPattern`).
const MAX_STAGE_LEN: usize = 20;

/// The binary every Rust function is deployed from.
const ARTIFACT: &str = "dewy";

/// The functions that serve the tools rather than being one.
const SERVING: [&str; 2] = [MCP_ADAPTER, SMS_NOTIFIER];

/// Functions of the template that are not Rust binaries, each with why: the pre-token-generation
/// trigger is a few lines of inline Python that only copies the email into access tokens.
const INLINE: [&str; 1] = ["AccessTokenEmailFunction"];

fn template_text() -> String {
    std::fs::read_to_string(workspace_root().join("template.yaml")).unwrap()
}

fn template() -> Value {
    serde_norway::from_str(&template_text()).expect("template.yaml is not valid YAML")
}

fn tool_names() -> BTreeSet<String> {
    dewy_tools::TOOLS
        .iter()
        .map(|t| t.spec().name.to_owned())
        .collect()
}

/// The functions the artifact can serve (each one's role and `Handler`).
fn roles() -> BTreeSet<String> {
    dewy_functions::functions()
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The template's resources of type `kind`, by logical id.
fn resources<'a>(template: &'a Value, kind: &str) -> Vec<(&'a str, &'a Value)> {
    let all: &Mapping = template["Resources"].as_mapping().expect("Resources");
    all.iter()
        .filter(|(_, resource)| resource["Type"].as_str() == Some(kind))
        .map(|(id, resource)| (id.as_str().expect("a logical id"), resource))
        .collect()
}

/// The logical id a `!Ref` names, if `value` is one.
fn reference(value: &Value) -> Option<&str> {
    match value {
        Value::Tagged(tagged) if tagged.tag == "Ref" => tagged.value.as_str(),
        _ => None,
    }
}

/// The string of a `!Sub`, if `value` is one.
fn sub(value: &Value) -> Option<&str> {
    match value {
        Value::Tagged(tagged) if tagged.tag == "Sub" => tagged.value.as_str(),
        _ => None,
    }
}

/// The Rust binary a function is built from (`Metadata.BuildProperties.Binary`).
fn binary(function: &Value) -> Option<&str> {
    (function["Metadata"]["BuildMethod"].as_str() == Some("rust-cargolambda"))
        .then(|| function["Metadata"]["BuildProperties"]["Binary"].as_str())
        .flatten()
}

/// What a function built from the artifact serves: its `Handler`.
fn role(function: &Value) -> Option<&str> {
    binary(function).and(function["Properties"]["Handler"].as_str())
}

/// The (method, path) of each HttpApi event of `function`.
fn routes(function: &Value) -> Vec<(String, String)> {
    let Some(events) = function["Properties"]["Events"].as_mapping() else {
        return Vec::new();
    };
    events
        .values()
        .filter(|event| event["Type"].as_str() == Some("HttpApi"))
        .map(|event| {
            let properties = &event["Properties"];
            let text = |key: &str| properties[key].as_str().unwrap_or_default().to_owned();
            (text("Method"), text("Path"))
        })
        .collect()
}

/// The block between the markers is what the tool specs render.
#[test]
fn the_generated_tool_functions_are_up_to_date() {
    let rendered = render::block(dewy_tools::TOOLS);
    crate::generated::check(
        "template.yaml",
        BEGIN,
        END,
        &rendered,
        "the generated tool functions",
    );
}

/// Every registered tool has its function in the template (its binary for `cargo lambda watch` and
/// its sample event are generated and checked in `watch_binaries` and `events`).
#[test]
fn every_tool_has_its_function() {
    let template = template();
    let served: BTreeSet<&str> = resources(&template, "AWS::Serverless::Function")
        .into_iter()
        .filter_map(|(_, function)| role(function))
        .collect();
    for name in tool_names() {
        assert!(
            served.contains(name.as_str()),
            "{name} has no function in template.yaml"
        );
    }
}

/// Every function in the template is the artifact `dewy`, built the same way (one CodeUri and one
/// Metadata, which `sam build` takes for one build), serving a role of it (a tool, the adapter or
/// the notifier) named by its `Handler`; each role is deployed once, named after the role, with its
/// sample event.
#[test]
fn every_function_of_the_template_is_a_role_of_the_artifact() {
    let template = template();
    let roles = roles();
    let serving: BTreeSet<String> = SERVING.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        roles,
        &tool_names() | &serving,
        "the artifact serves the tools, the adapter and the notifier"
    );
    assert_eq!(
        template["Parameters"]["Stage"]["AllowedPattern"].as_str(),
        Some("^[a-z0-9][a-z0-9-]{0,19}$"),
        "Stage allows MAX_STAGE_LEN characters"
    );
    let mut deployed = BTreeSet::new();
    let mut builds = Vec::new();
    for (id, function) in resources(&template, "AWS::Serverless::Function") {
        let Some(binary) = binary(function) else {
            assert!(
                INLINE.contains(&id) && function["Properties"]["InlineCode"].is_string(),
                "{id} is built from no binary of functions/"
            );
            continue;
        };
        assert_eq!(binary, ARTIFACT, "{id}: every function is the one artifact");
        let role = role(function).unwrap_or_else(|| panic!("{id} has no Handler"));
        assert!(
            roles.contains(role),
            "{id}'s Handler is {role}, which is no role of {ARTIFACT}"
        );
        assert!(deployed.insert(role), "{role} is deployed twice");
        assert_eq!(
            sub(&function["Properties"]["FunctionName"]),
            Some(format!("dewy-${{Stage}}-{role}").as_str()),
            "{id}: the adapter invokes tools by the name dewy-<stage>-<tool>"
        );
        assert_eq!(
            function["Properties"]["CodeUri"].as_str(),
            Some("."),
            "{id}: cargo-lambda builds from the workspace root"
        );
        // What SAM CLI compares to share a build between functions (FunctionBuildDefinition): the
        // runtime and architecture come from Globals, which no function overrides.
        for property in ["Runtime", "Architectures"] {
            assert!(
                function["Properties"].get(property).is_none(),
                "{id} sets its own {property}: it would be built on its own"
            );
        }
        builds.push((
            function["Properties"]["CodeUri"].clone(),
            function["Metadata"].clone(),
        ));
        let longest = format!("dewy-{}-{role}", "s".repeat(MAX_STAGE_LEN));
        assert!(
            longest.len() <= 64,
            "{longest} is longer than Lambda's 64 characters"
        );
        let event = workspace_root().join(format!("events/{role}.json"));
        assert!(event.is_file(), "{role} has no sample event {}", event.display());
    }
    assert_eq!(deployed.len(), roles.len(), "every role is deployed");
    builds.dedup();
    assert_eq!(builds.len(), 1, "one build for every function: {builds:?}");
}

/// Every REST route in the template is a tool's own `POST /api/<kebab-name>` on its function, and
/// nothing else is routed to the functions by event: the adapter's routes are in the API's
/// definition, the only paths there.
#[test]
fn every_api_route_is_a_tools() {
    let template = template();
    let mut routed = BTreeSet::new();
    for (id, function) in resources(&template, "AWS::Serverless::Function") {
        for (method, path) in routes(function) {
            let tool = role(function)
                .and_then(dewy_tools::find)
                .unwrap_or_else(|| panic!("{id} serves {method} {path} but is no tool"));
            assert_eq!(
                (method.as_str(), path.clone()),
                ("POST", tool.spec().rest_path()),
                "{id}'s route"
            );
            assert!(routed.insert(path), "{id}'s route is served twice");
        }
    }
    assert_eq!(routed.len(), dewy_tools::TOOLS.len(), "every tool has its route");
    let (_, api) = resources(&template, "AWS::Serverless::HttpApi")
        .into_iter()
        .next()
        .expect("an HttpApi");
    let defined: Vec<&str> = api["Properties"]["DefinitionBody"]["paths"]
        .as_mapping()
        .expect("the adapter's paths")
        .keys()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(defined, ["/mcp/{persona}", "/.well-known/{proxy+}"]);
}

/// Every persona is a Cognito group of the pool, and every MCP endpoint's URL is an output (the
/// adapter's one `/mcp/{persona}` route serves them all).
#[test]
fn every_persona_is_a_group_and_every_endpoint_an_output() {
    let template = template();
    let groups: BTreeSet<&str> = resources(&template, "AWS::Cognito::UserPoolGroup")
        .into_iter()
        .filter_map(|(_, group)| group["Properties"]["GroupName"].as_str())
        .collect();
    let personas: BTreeSet<&str> = dewy_tool::Persona::ALL.map(|p| p.group()).into_iter().collect();
    assert_eq!(groups, personas);
    let outputs: Vec<&str> = template["Outputs"]
        .as_mapping()
        .expect("outputs")
        .values()
        .filter_map(|output| sub(&output["Value"]))
        .collect();
    for endpoint in dewy_mcp::Endpoint::ALL {
        assert!(
            outputs.iter().any(|url| url.ends_with(&endpoint.path())),
            "no output gives {}'s URL",
            endpoint.path()
        );
    }
}

/// Every function logs to its own log group, `/aws/lambda/<function name>`, kept for
/// `LogRetentionDays`; and every function sets its memory and timeout.
#[test]
fn every_function_has_its_log_group_memory_and_timeout() {
    let template = template();
    let groups = resources(&template, "AWS::Logs::LogGroup");
    for (id, function) in resources(&template, "AWS::Serverless::Function") {
        let properties = &function["Properties"];
        let group_id = reference(&properties["LoggingConfig"]["LogGroup"])
            .unwrap_or_else(|| panic!("{id} names no log group (LoggingConfig.LogGroup)"));
        let (_, group) = groups
            .iter()
            .find(|(gid, _)| *gid == group_id)
            .unwrap_or_else(|| panic!("{id}'s log group {group_id} is not a LogGroup"));
        let function_name = sub(&properties["FunctionName"]).expect("a FunctionName");
        assert_eq!(
            sub(&group["Properties"]["LogGroupName"]),
            Some(format!("/aws/lambda/{function_name}").as_str()),
            "{group_id}"
        );
        assert_eq!(
            reference(&group["Properties"]["RetentionInDays"]),
            Some("LogRetentionDays"),
            "{group_id}"
        );
        assert!(properties["MemorySize"].is_u64(), "{id} sets no MemorySize");
        assert!(properties["Timeout"].is_u64(), "{id} sets no Timeout");
    }
    assert_eq!(
        groups.len(),
        resources(&template, "AWS::Serverless::Function").len(),
        "one log group per function"
    );
}

/// The portal's hosting: a private bucket read only by the portal's distribution, HTTPS only, with
/// security headers and the single-page fallback; the API's CORS and the web client's sign-in
/// return URL name that distribution and nothing else.
#[test]
fn the_portal_is_private_behind_cloudfront_and_the_only_cors_origin() {
    let template = template();
    let resources = &template["Resources"];
    let text = |value: &Value| serde_norway::to_string(value).unwrap();

    let block = &resources["PortalBucket"]["Properties"]["PublicAccessBlockConfiguration"];
    for setting in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(block[setting], Value::Bool(true), "{setting}");
    }
    let statements = resources["PortalBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        .as_sequence()
        .unwrap();
    let allows: Vec<&Value> = statements.iter().filter(|s| s["Effect"] == "Allow").collect();
    assert_eq!(allows.len(), 1, "one reader");
    assert_eq!(allows[0]["Principal"]["Service"], "cloudfront.amazonaws.com");
    assert_eq!(allows[0]["Action"], "s3:GetObject");
    assert!(
        text(&allows[0]["Condition"]).contains("distribution/${PortalDistribution}"),
        "only this distribution reads the bucket"
    );

    let config = &resources["PortalDistribution"]["Properties"]["DistributionConfig"];
    let behaviour = &config["DefaultCacheBehavior"];
    assert_eq!(behaviour["ViewerProtocolPolicy"], "redirect-to-https");
    assert!(text(&behaviour["ResponseHeadersPolicyId"]).contains("PortalHeaders"));
    assert!(text(&config["Origins"][0]["OriginAccessControlId"]).contains("PortalOriginAccess"));
    let fallbacks: Vec<(u64, &str)> = config["CustomErrorResponses"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ErrorCode"].as_u64().unwrap(),
                r["ResponsePagePath"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(fallbacks, [(403, "/index.html"), (404, "/index.html")]);
    let headers =
        &resources["PortalHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"];
    for header in [
        "StrictTransportSecurity",
        "ContentTypeOptions",
        "FrameOptions",
        "ContentSecurityPolicy",
    ] {
        assert!(headers[header].is_mapping(), "{header}");
    }
    // The page may reach exactly what its sign-in and its calls need: the user pool's discovery
    // document, the hosted sign-in's token endpoint, and the API.
    let csp = text(&headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]);
    let connect = csp
        .split(';')
        .find_map(|directive| directive.trim().strip_prefix("connect-src "))
        .unwrap_or_else(|| panic!("no connect-src in {csp}"));
    assert_eq!(
        connect.split_whitespace().collect::<Vec<_>>(),
        [
            "'self'",
            "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}",
            "https://*.execute-api.${AWS::Region}.${AWS::URLSuffix}",
            "https://*.auth.${AWS::Region}.amazoncognito.com",
        ]
    );

    let portal = "https://${PortalDistribution.DomainName}";
    let cors = &resources["HttpApi"]["Properties"]["CorsConfiguration"]["AllowOrigins"];
    assert_eq!(cors.as_sequence().map(Vec::len), Some(1), "one origin");
    assert!(text(cors).contains(portal), "{}", text(cors));
    let client = &resources["WebClient"]["Properties"];
    assert_eq!(client["GenerateSecret"], Value::Bool(false));
    assert!(text(&client["AllowedOAuthFlows"]).contains("code"));
    assert!(text(&client["CallbackURLs"]).contains(portal));
}
