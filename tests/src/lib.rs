//! Shared set-up for the end-to-end tests and benchmarks: a seeded sandbox with the production
//! connectors pointed at it, and helpers to call tools as a given caller.

pub mod invariants;
pub mod lambda_watch;
pub mod log_capture;
pub mod mcp_wire;
pub mod runtime_api;

use dewy_connector::Deadline;
use dewy_homeassistant_sandbox::HomeAssistantSandbox;
use dewy_idempotency::{DynamoStore, IdempotencyStore};
use dewy_local::Sandboxes;
use dewy_salesforce::soql::Soql;
use dewy_salesforce_sandbox::Sandbox;
use dewy_stripe_sandbox::StripeSandbox;
use dewy_tool::dispatch::{Invocation, invoke};
use dewy_tool::{Backends, Caller, Tool};
use dewy_twilio_sandbox::TwilioSandbox;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Calls the tool `name` as `caller` with `arguments` on `backends` (one instance of the system),
/// through the invoke path every transport uses.
pub async fn call_on(backends: &Backends, name: &str, caller: Caller, arguments: Value) -> Invocation {
    call_within(backends, name, caller, arguments, Duration::from_secs(10)).await
}

/// [`call_on`] with the invocation's deadline `within` from now.
pub async fn call_within(
    backends: &Backends,
    name: &str,
    caller: Caller,
    arguments: Value,
    within: Duration,
) -> Invocation {
    let tool = dewy_tools::find(name).expect("the tool is registered");
    invoke(tool, backends, caller, Deadline::after(within), arguments).await
}

/// A successful call: the tool's output as its own type, and the invocation it came from.
pub struct Ran<O> {
    /// The output, read back into the tool's output type: a test that names a field the output
    /// does not have does not compile.
    pub output: O,
    /// The invocation (round trips, status, whether it replayed).
    pub invocation: Invocation,
}

/// Calls the tool `T` as `caller` with `arguments` on `backends`, expecting a success: for happy
/// paths. Fails the test with the error when the call fails, or when the output does not read back
/// as `T::Output` (what the tool answered is not what its type says).
pub async fn run_on<T: Tool>(backends: &Backends, caller: Caller, arguments: Value) -> Ran<T::Output> {
    let invocation = call_on(backends, T::SPEC.name, caller, arguments).await;
    let value = match &invocation.result {
        Ok(value) => value.clone(),
        Err(error) => panic!("{} failed: {:?} {}", T::SPEC.name, error.code, error.message),
    };
    let output = serde_json::from_value(value)
        .unwrap_or_else(|e| panic!("{}'s output is not its output type: {e}", T::SPEC.name));
    Ran { output, invocation }
}

/// Waits out the leases' clock-skew margin ([`dewy_idempotency::lease::CLOCK_SKEW`]), so that the
/// next call about the same guest is not taken for one that raced the previous call (such a call
/// reads again, one more round trip), as a person's next step would not be.
pub async fn after_lease_margin() {
    tokio::time::sleep(dewy_idempotency::lease::CLOCK_SKEW + Duration::from_millis(50)).await;
}

/// A fresh random UUID v4, for idempotency tokens, external ids and request ids.
pub fn uuid_v4() -> String {
    uuid_v4_from(rand::random())
}

/// The UUID v4 made of `bits` (version and variant set), for runs that draw them from a seed.
pub fn uuid_v4_from(bits: u128) -> String {
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A Salesforce session from the sandbox's OAuth client-credentials grant, as a connector gets
/// one: `access_token`, `instance_url`, `signature`...
pub async fn salesforce_session(sandbox: &Sandbox) -> Value {
    let config = sandbox.config();
    reqwest::Client::new()
        .post(format!("{}/services/oauth2/token", sandbox.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", config.client_id.as_str()),
            ("client_secret", config.client_secret.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The API of [`World::serve_api`]: its base URL, and the issuer of its tokens.
pub struct Api {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The local token issuer the API trusts.
    pub issuer: dewy_local_issuer::LocalIssuer,
}

impl Api {
    /// An access token for a demo user (see `dewy_local_issuer::demo_users`).
    pub fn token(&self, email: &str) -> String {
        self.issuer
            .login(email, dewy_local_issuer::DEMO_PASSWORD)
            .expect("a demo user")
            .access_token
    }
}

/// The seeded Salesforce sandbox, the Stripe and Twilio sandboxes, on ephemeral ports, and the
/// backends that use them.
pub struct World {
    /// The Salesforce sandbox, for knobs and state inspection.
    pub sandbox: Sandbox,
    /// The Stripe sandbox.
    pub stripe: StripeSandbox,
    /// The Twilio sandbox.
    pub twilio: TwilioSandbox,
    /// The Home Assistant sandbox: the rooms' devices.
    pub home_assistant: HomeAssistantSandbox,
    /// The production connectors pointed at it.
    pub backends: Backends,
}

impl World {
    /// Starts a freshly seeded sandbox.
    pub async fn start() -> World {
        let Sandboxes {
            salesforce: sandbox,
            stripe,
            twilio,
            home_assistant,
        } = Sandboxes::ephemeral().await.expect("the sandboxes start");
        let backends = Sandboxes::backends_of(&sandbox, &stripe, &twilio, &home_assistant);
        // Authenticate once, as a warm container would have, so tests count only the tool's calls.
        let warm_up = Soql::select(&["Id"]).from("Account").limit(1);
        backends
            .salesforce
            .query::<Value>(&warm_up)
            .await
            .expect("the sandbox accepts its credentials");
        World {
            sandbox,
            stripe,
            twilio,
            home_assistant,
            backends,
        }
    }

    /// The environment a function needs to reach this sandbox (`cargo lambda watch --env-var`).
    pub fn function_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SALESFORCE_LOGIN_URL", self.sandbox.base_url()),
            ("SALESFORCE_CLIENT_ID", self.sandbox.config().client_id.clone()),
            (
                "SALESFORCE_CLIENT_SECRET",
                self.sandbox.config().client_secret.clone(),
            ),
        ]
    }

    /// What `email`'s checkout charges: their checked-in stay's booking number and bill, as the
    /// folio tool gives them.
    pub async fn bill(&self, email: &str) -> (String, u64) {
        let folio = self.call("get_stay_folio", guest(email), json!({})).await;
        let folio = folio.result.expect("a checked-in stay");
        let booking = folio["booking_number"].as_str().unwrap().to_owned();
        (booking, folio["total_due"].as_u64().unwrap())
    }

    /// The PaymentIntents Stripe holds for `booking` (their metadata names it), as
    /// `(status, amount)`.
    pub fn payments_for(&self, booking: &str) -> Vec<(dewy_stripe_sandbox::PaymentIntentStatus, u64)> {
        self.stripe
            .payment_intents()
            .into_iter()
            .filter(|intent| intent.metadata.get("booking_number").map(String::as_str) == Some(booking))
            .map(|intent| (intent.status, intent.amount))
            .collect()
    }

    /// Serves the REST API and the persona MCP servers over this world's backends on an ephemeral
    /// port, with the local issuer for tokens: the local stack's API on these sandboxes, refusing
    /// money moves from MCP clients that cannot ask their person, as by default.
    pub async fn serve_api(&self) -> Api {
        self.serve_api_with(dewy_mcp::Unconfirmable::Refuse).await
    }

    /// [`World::serve_api`], with `unconfirmable` for money moves from MCP clients that cannot ask
    /// their person.
    pub async fn serve_api_with(&self, unconfirmable: dewy_mcp::Unconfirmable) -> Api {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let ttl = dewy_local_issuer::DEFAULT_TOKEN_TTL;
        let (app, issuer) = dewy_local::api(addr, self.backends.clone(), ttl, unconfirmable).unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Api {
            url: format!("http://{addr}"),
            issuer,
        }
    }

    /// Another "Lambda instance" on this world's sandboxes: connectors of its own (HTTP pool,
    /// Salesforce session), with `store` for idempotency records and leases, as instances share
    /// the DynamoDB table in AWS.
    pub fn instance(&self, store: Arc<dyn IdempotencyStore>) -> Backends {
        let mut backends =
            Sandboxes::backends_of(&self.sandbox, &self.stripe, &self.twilio, &self.home_assistant);
        backends.idempotency = store;
        backends
    }

    /// Calls the tool `name` as `caller` with `arguments`, through the invoke path every transport uses.
    pub async fn call(&self, name: &str, caller: Caller, arguments: Value) -> Invocation {
        call_on(&self.backends, name, caller, arguments).await
    }

    /// Calls the tool `T` as `caller` with `arguments`, expecting a success, and returns its typed
    /// output (see [`run_on`]).
    pub async fn run<T: Tool>(&self, caller: Caller, arguments: Value) -> Ran<T::Output> {
        run_on::<T>(&self.backends, caller, arguments).await
    }

    /// Adds `n` guests, each with a reservation due today in a vacant room of their own (rooms 900
    /// and up), for runs that need many check-ins. Returns the guests' emails.
    pub fn add_reservations(&self, n: usize) -> Vec<String> {
        let today = chrono::Utc::now().date_naive();
        let leave = today + chrono::Days::new(2);
        (0..n)
            .map(|i| {
                let email = format!("traveller{i}@example.com");
                let insert = |object: &str, fields: Value| self.insert(object, fields);
                let contact = self.add_guest(&email, "Traveller", &format!("No. {i}"));
                let room = insert(
                    "Hotel_Room__c",
                    json!({"Name": format!("Annex {i}"), "Room_Number__c": (900 + i).to_string(),
                           "Status__c": "Vacant", "Room_Type__c": "Standard", "Floor__c": 9,
                           "Nightly_Rate__c": 180.0}),
                );
                let opportunity = insert(
                    "Opportunity",
                    json!({"Name": format!("Booking for Traveller {i} - {today}"),
                           "StageName": "Booking Confirmed", "CloseDate": leave.to_string(),
                           "ContactId": contact, "Amount": 360.0}),
                );
                insert(
                    "Booking__c",
                    json!({"Opportunity__c": opportunity, "Primary_Guest__c": contact, "Room__c": room,
                           "Check_In_Date__c": today.to_string(), "Check_Out_Date__c": leave.to_string(),
                           "Status__c": "Reserved", "Number_of_Guests__c": 1,
                           "External_ID__c": format!("traveller-{i}")}),
                );
                email
            })
            .collect()
    }

    /// Adds `n` guests already checked in, each in an Occupied room of their own (rooms 2000 and
    /// up, booking "staying-<i>", opportunity at "Checked In"), for runs that need many checkouts.
    /// Returns the guests' emails.
    pub fn add_checked_in_stays(&self, n: usize) -> Vec<String> {
        let today = chrono::Utc::now().date_naive();
        let arrived = today - chrono::Days::new(2);
        let checked_in_at = format!("{arrived}T15:00:00.000+0000");
        (0..n)
            .map(|i| {
                let email = format!("staying{i}@example.com");
                let insert = |object: &str, fields: Value| self.insert(object, fields);
                let contact = self.add_guest(&email, "Staying", &format!("No. {i}"));
                let room = insert(
                    "Hotel_Room__c",
                    json!({"Name": format!("Tower {i}"), "Room_Number__c": (2000 + i).to_string(),
                           "Status__c": "Occupied", "Current_Guest__c": contact, "Room_Type__c": "Standard",
                           "Floor__c": 20, "Nightly_Rate__c": 200.0}),
                );
                let opportunity = insert(
                    "Opportunity",
                    json!({"Name": format!("Booking for Staying {i} - {arrived}"),
                           "StageName": "Checked In", "CloseDate": today.to_string(),
                           "ContactId": contact, "Amount": 400.0}),
                );
                insert(
                    "Booking__c",
                    json!({"Opportunity__c": opportunity, "Primary_Guest__c": contact, "Room__c": room,
                           "Check_In_Date__c": arrived.to_string(), "Check_Out_Date__c": today.to_string(),
                           "Status__c": "Checked In", "Checked_In_At__c": checked_in_at,
                           "Number_of_Guests__c": 1, "External_ID__c": format!("staying-{i}")}),
                );
                email
            })
            .collect()
    }

    /// Inserts a record straight into the sandbox (a fixture: not counted, no faults); its id.
    fn insert(&self, object: &str, fields: Value) -> String {
        self.sandbox
            .insert(object, fields)
            .unwrap_or_else(|e| panic!("{object} rejected: {e}"))
    }

    /// Inserts a guest's Contact; its id.
    fn add_guest(&self, email: &str, first_name: &str, last_name: &str) -> String {
        self.insert(
            "Contact",
            json!({"FirstName": first_name, "LastName": last_name, "Email": email,
                   "Unique_Email__c": email, "Contact_Type__c": "Guest",
                   "Preferred_Contact_Method__c": "Email"}),
        )
    }

    /// Empties the idempotency store, as if the replay window of every earlier call had passed.
    pub fn forget_idempotency_records(&mut self) {
        self.backends.idempotency = Arc::new(dewy_idempotency::MemoryStore::new());
    }

    /// The first record of a SOQL query run directly on the sandbox (not counted, no latency).
    pub fn one(&self, soql: &str) -> Value {
        let mut rows = self.sandbox.query(soql).expect("the query runs");
        assert_eq!(rows.len(), 1, "expected one record for {soql}, got {rows:?}");
        rows.remove(0)
    }

    /// Makes the contact with `email` prefer SMS, with `mobile` as their mobile and no other phone.
    pub fn prefers_sms(&self, email: &str, mobile: Option<&str>) {
        let contact = self.one(&format!(
            "SELECT Id FROM Contact WHERE Unique_Email__c = '{email}'"
        ));
        self.sandbox
            .update(
                "Contact",
                contact["Id"].as_str().expect("an id"),
                json!({ "Preferred_Contact_Method__c": "SMS", "MobilePhone": mobile, "Phone": null }),
            )
            .expect("the contact is updated");
    }
}

/// A hotel staff member.
pub fn staff() -> Caller {
    Caller::from_claims("staff-1", Some("manager1@hotel.com"), ["staff"])
}

/// A member of housekeeping.
pub fn housekeeping() -> Caller {
    Caller::from_claims(
        "housekeeping-1",
        Some("housekeeping1@hotel.com"),
        ["housekeeping"],
    )
}

/// A member of maintenance.
pub fn maintenance() -> Caller {
    Caller::from_claims("maintenance-1", Some("maintenance1@hotel.com"), ["maintenance"])
}

/// A hotel manager: every staff job, plus the money-moving tools.
pub fn manager() -> Caller {
    Caller::from_claims("manager-1", Some("manager@dewyhotel.com"), ["manager"])
}

/// A guest signed in with `email`.
pub fn guest(email: &str) -> Caller {
    Caller::from_claims(&format!("sub-{email}"), Some(email), ["guest"])
}

/// An idempotency table on moto (a fresh one per test) for functions run as separate processes, and
/// the environment that points a function at it. `None` when `MOTO_URL` is unset (and
/// `DEWY_REQUIRE_MOTO` is not: then it fails the test).
pub async fn moto_idempotency(test: &str) -> Option<(DynamoStore, Vec<(&'static str, String)>)> {
    let store = dewy_idempotency::moto::store(test).await?;
    let url = std::env::var("MOTO_URL").unwrap_or_default();
    let env = vec![
        ("IDEMPOTENCY_TABLE", store.table.clone()),
        ("AWS_ENDPOINT_URL_DYNAMODB", url),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ACCESS_KEY_ID", "test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
    ];
    Some((store, env))
}

/// The statuses of every record in a DynamoDB idempotency table, e.g. `["COMPLETED"]`.
pub async fn record_statuses(store: &DynamoStore) -> Vec<String> {
    let items = store
        .client
        .scan()
        .table_name(&store.table)
        .send()
        .await
        .expect("the table scans")
        .items
        .unwrap_or_default();
    items
        .iter()
        .filter_map(|item| item.get("status")?.as_s().ok().cloned())
        .collect()
}
