//! The scenario a log capture is searched after: the local stack driven over its real transports
//! (the issuer's sign-ins, REST and MCP with bearer tokens), every act asserting its answer so
//! that a step that silently failed cannot make the capture look clean. It collects the secrets
//! it sees on the way (tokens issued, client secrets handed out).

use super::search::Secrets;
use dewy_e2e::mcp_wire::{McpWire, answer, input_required};
use dewy_local::{LocalOptions, LocalStack};
use dewy_salesforce_sandbox::{Fault, FaultRule};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The users the scenario signs in.
const USERS: [&str; 8] = [
    "kay@example.com",
    "guest1@hotel.com",
    "guest2@hotel.com",
    "guest3@hotel.com",
    "guest4@hotel.com",
    "staff1@hotel.com",
    "housekeeping1@hotel.com",
    "manager1@hotel.com",
];

/// One run: the stack, a client of its API, the secrets seen so far and the users' access tokens.
pub struct Scenario {
    pub stack: LocalStack,
    client: Client,
    pub secrets: Secrets,
    tokens: HashMap<&'static str, String>,
    /// The org id every Salesforce session id of the sandbox starts with (then `!`).
    pub salesforce_org: String,
}

impl Scenario {
    /// Starts the stack, takes a Salesforce session the way the connector does (for the shape of
    /// its ids) and signs the users in.
    pub async fn start() -> Scenario {
        let stack = LocalStack::start(LocalOptions::ephemeral()).await.unwrap();
        let client = Client {
            api: stack.api_url.clone(),
            http: reqwest::Client::new(),
        };
        let mut secrets = Secrets::of_stack(&stack);
        let session = dewy_e2e::salesforce_session(&stack.salesforce).await;
        let session_id = session["access_token"].as_str().unwrap().to_owned();
        let salesforce_org = session_id.split('!').next().unwrap().to_owned();
        secrets.add("a Salesforce session id", &session_id);
        secrets.add_from("Salesforce session", &session, "signature");
        let mut scenario = Scenario {
            stack,
            client,
            secrets,
            tokens: HashMap::new(),
            salesforce_org,
        };
        scenario.sign_in().await;
        scenario
    }

    fn token(&self, email: &str) -> &str {
        &self.tokens[email]
    }

    /// Signs the users in (the web app's `/auth/login`, and the OAuth password grant an MCP client
    /// uses), and one user with a wrong password; every token issued is a secret.
    async fn sign_in(&mut self) {
        for email in USERS {
            let (status, body) = self.client.login(email, dewy_local_issuer::DEMO_PASSWORD).await;
            assert_eq!(status, 200, "{email}: {body}");
            self.secrets.add_from(email, &body, "access_token");
            self.secrets.add_from(email, &body, "id_token");
            self.tokens
                .insert(email, body["access_token"].as_str().unwrap().to_owned());
        }
        let oauth = self
            .client
            .oauth_login("manager1@hotel.com", dewy_local_issuer::DEMO_PASSWORD)
            .await;
        self.secrets.add_from("OAuth sign-in", &oauth, "access_token");
        self.secrets.add_from("OAuth sign-in", &oauth, "id_token");
        let wrong = "Wrong-Password-42";
        self.secrets.add("a mistyped password", wrong);
        assert_eq!(self.client.login("kay@example.com", wrong).await.0, 401);
    }

    /// A booking (REST, staff); Kay's check-in (REST, as herself), texted to her through the
    /// outbox, the notifier and Twilio as she prefers SMS; her request for towels (MCP).
    pub async fn book_check_in_and_ask(&self) {
        let (client, kay) = (&self.client, self.token("kay@example.com"));
        let today = chrono::Utc::now().date_naive();
        let booking = json!({
            "guest_email": "first.timer@example.com", "guest_first_name": "First", "guest_last_name": "Timer",
            "guest_phone": "+15550300300", "room_number": "101",
            "check_in_date": (today + chrono::Days::new(20)).to_string(),
            "check_out_date": (today + chrono::Days::new(23)).to_string(), "booking_external_id": dewy_e2e::uuid_v4(),
        });
        let staff = Some(self.token("staff1@hotel.com"));
        let (status, booked) = client.rest(staff, "create_booking_orchestrator", &booking).await;
        assert_eq!(status, 201, "{booked}");

        let kays_contact = self.contact_id("kay@example.com");
        self.stack
            .salesforce
            .update(
                "Contact",
                &kays_contact,
                json!({ "Preferred_Contact_Method__c": "SMS", "MobilePhone": "+15550200142" }),
            )
            .unwrap();
        let (status, checked_in) = client.rest(Some(kay), "check_in_guest", &json!({})).await;
        assert_eq!(status, 200, "{checked_in}");
        assert_eq!(checked_in["notification"]["status"], "queued", "{checked_in}");
        wait_for(|| !self.stack.twilio.messages().is_empty()).await;
        assert_eq!(self.stack.twilio.messages().len(), 1, "the welcome text was sent");

        let (status, listed) = client.mcp("guest", kay, "tools/list", json!({})).await;
        assert_eq!(status, 200, "{listed}");
        let towels = json!({ "idempotency_token": dewy_e2e::uuid_v4(), "room_number": "105", "type": "Housekeeping",
                             "priority": "Low", "description": "Two extra towels, please" });
        let (is_error, request) = client
            .call_tool("guest", kay, "submit_guest_service_request", towels)
            .await;
        assert!(!is_error, "{request}");
    }

    /// Checkouts: a card (MCP); a 3-D Secure card started over MCP (whose server logs results at
    /// DEBUG: the answer holds the redirect URL) and completed over REST once the guest has
    /// authenticated; a declined card; the saga, refunded after Salesforce fails the write.
    /// Returns the first checkout's PaymentIntent id.
    pub async fn check_out(&self) -> String {
        let client = &self.client;
        let alice = checkout("guest1@hotel.com", "Alice Johnson", "pm_card_visa");
        let (is_error, paid) = client
            .call_confirmed(
                "guest",
                self.token("guest1@hotel.com"),
                "process_guest_checkout",
                alice,
            )
            .await;
        assert!(!is_error, "{paid}");

        let brian = self.token("guest2@hotel.com");
        let mut three_ds = checkout("guest2@hotel.com", "Brian Chen", "pm_card_authenticationRequired");
        three_ds["return_url"] = json!("https://hotel.example.com/checkout/done");
        let (is_error, waiting) = client
            .call_confirmed("guest", brian, "process_guest_checkout", three_ds)
            .await;
        assert!(!is_error && waiting["requires_action"] == true, "{waiting}");
        assert!(waiting["next_action_url"].is_string(), "{waiting}");
        let intent = waiting["payment_intent_id"].as_str().unwrap();
        self.stack.stripe.authenticate(intent, true).unwrap();
        let completion = json!({
            "guest_email": "guest2@hotel.com", "guest_name": "Brian Chen",
            "payment_intent_id": intent, "idempotency_token": dewy_e2e::uuid_v4(),
        });
        let (status, completed) = client
            .rest(Some(brian), "process_guest_checkout", &completion)
            .await;
        assert_eq!(status, 200, "{completed}");

        let carmen = self.token("guest3@hotel.com");
        let declined = checkout("guest3@hotel.com", "Carmen Rodriguez", "pm_card_chargeDeclined");
        let (status, refusal) = client
            .rest(Some(carmen), "process_guest_checkout", &declined)
            .await;
        assert_eq!(
            (status, refusal["error_code"].as_str()),
            (402, Some("PAYMENT_FAILED"))
        );

        let composite_fails = FaultRule::new(Fault::ServerError).rate(1.0).path("/composite");
        self.stack.salesforce.add_fault(composite_fails);
        let david = self.token("guest4@hotel.com");
        let saga = checkout("guest4@hotel.com", "David Okafor", "pm_card_visa");
        let (status, refunded) = client.rest(Some(david), "process_guest_checkout", &saga).await;
        self.stack.salesforce.clear_faults();
        assert_eq!(refunded["error_code"], "CHECKOUT_REFUNDED", "{status} {refunded}");
        paid["payment_intent_id"].as_str().unwrap().to_owned()
    }

    /// A manager's compensation of `paid` (MCP); the Stripe skills (REST): a customer, a
    /// PaymentIntent (its client secret is in the answer), its confirmation and a partial refund;
    /// a maintenance request texted to on-call; a lapsed Salesforce session, signed in again.
    pub async fn move_money(&mut self, paid: &str) {
        let manager_token = self.token("manager1@hotel.com").to_owned();
        let manager = Some(manager_token.as_str());
        let client = &self.client;
        let compensation = json!({ "payment_intent_id": paid, "guest_email": "guest1@hotel.com",
                                   "idempotency_token": dewy_e2e::uuid_v4() });
        let (is_error, compensated) = client
            .call_confirmed(
                "manager",
                &manager_token,
                "compensate_checkout_failure",
                compensation,
            )
            .await;
        assert!(!is_error, "{compensated}");

        let guest_id = self.contact_id("guest5@hotel.com");
        let customer = json!({ "email": "guest5@hotel.com", "name": "Emma Schulz", "guest_id": guest_id,
                               "phone": "+15550400400", "idempotency_token": dewy_e2e::uuid_v4() });
        let (status, customer) = client.rest(manager, "create_stripe_customer", &customer).await;
        assert!(status == 200 || status == 201, "{customer}");
        let intent = json!({ "amount": 12_000, "currency": "usd", "customer_id": customer["customer_id"],
                             "description": "Spa", "guest_id": guest_id, "idempotency_token": dewy_e2e::uuid_v4() });
        let (status, created) = client
            .rest(manager, "create_stripe_payment_intent", &intent)
            .await;
        assert!(status < 300, "{created}");
        self.secrets
            .add_from("create_stripe_payment_intent", &created, "client_secret");
        let intent_id = &created["payment_intent_id"];
        let confirmation = json!({ "payment_intent_id": intent_id, "payment_method_id": "pm_card_visa" });
        let (status, confirmed) = client
            .rest(manager, "confirm_stripe_payment", &confirmation)
            .await;
        assert_eq!(
            (status, confirmed["status"].as_str()),
            (200, Some("succeeded")),
            "{confirmed}"
        );
        let refund = json!({ "payment_intent_id": intent_id, "amount": 2_000,
                             "metadata_reason": "Spa closed early", "idempotency_token": dewy_e2e::uuid_v4() });
        let (status, refund) = client.rest(manager, "create_stripe_refund", &refund).await;
        assert_eq!(status, 201, "{refund}");

        let leak = json!({ "idempotency_token": dewy_e2e::uuid_v4(), "manager_email": "manager1@hotel.com",
                           "room_number": "107", "type": "Maintenance", "priority": "High",
                           "description": "Leaking tap" });
        let (status, maintenance) = client.rest(manager, "submit_maintenance_request", &leak).await;
        assert!(status < 300, "{maintenance}");
        wait_for(|| self.stack.twilio.messages().len() >= 2).await;
        assert_eq!(self.stack.twilio.messages().len(), 2, "on-call was texted");

        self.stack.salesforce.expire_sessions();
        let housekeeping = Some(self.token("housekeeping1@hotel.com"));
        let (status, rooms) = client
            .rest(housekeeping, "search_rooms", &json!({ "status": "Vacant" }))
            .await;
        assert_eq!(status, 200, "{rooms}");
    }

    /// Refused calls: no token, a forged token and garbage for a token (REST and MCP), the wrong
    /// persona, invalid input (REST and MCP).
    pub async fn refused_calls(&mut self) {
        let client = &self.client;
        let kay = self.token("kay@example.com").to_owned();
        let forged = format!("{}x", &kay[..kay.len() - 1]);
        assert_eq!(client.rest(None, "check_in_guest", &json!({})).await.0, 401);
        let (status, _) = client.rest(Some(&forged), "check_in_guest", &json!({})).await;
        assert_eq!(status, 401);
        assert_eq!(client.mcp("guest", &forged, "tools/list", json!({})).await.0, 401);
        let (status, _) = client.mcp("guest", "not-a-token", "tools/list", json!({})).await;
        assert_eq!(status, 401);

        let (status, _) = client
            .rest(Some(&kay), "compensate_checkout_failure", &json!({}))
            .await;
        assert_eq!(status, 403);
        let (status, _) = client.mcp("staff", &kay, "tools/list", json!({})).await;
        assert!(
            status == 403 || status == 401,
            "a guest on the staff endpoint: {status}"
        );
        let (status, invalid) = client
            .rest(Some(&kay), "check_in_guest", &json!({ "room": "105" }))
            .await;
        assert_eq!(
            (status, invalid["error_code"].as_str()),
            (400, Some("VALIDATION_ERROR"))
        );
        let bad_date = json!({ "check_in_date": "yesterday" });
        let (is_error, _) = client.call_tool("guest", &kay, "check_in_guest", bad_date).await;
        assert!(is_error);
        self.secrets.add("a forged token", forged);
    }

    /// Adds what only the run's end knows: the client secret of every PaymentIntent Stripe made.
    pub fn collect_client_secrets(&mut self) {
        for intent in self.stack.stripe.payment_intents() {
            self.secrets
                .add(format!("client secret of {}", intent.id), intent.client_secret);
        }
    }

    /// The id of the Contact with `email`, straight from the sandbox.
    fn contact_id(&self, email: &str) -> String {
        let soql = format!("SELECT Id FROM Contact WHERE Unique_Email__c = '{email}'");
        let rows = self.stack.salesforce.query(&soql).unwrap();
        rows[0]["Id"].as_str().unwrap().to_owned()
    }
}

/// The scenario's client: the stack's API over HTTP, as a browser or an MCP client reaches it.
struct Client {
    api: String,
    http: reqwest::Client,
}

impl Client {
    /// `POST /auth/login` (the web app's sign-in); the status and the body.
    async fn login(&self, email: &str, password: &str) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/auth/login", self.api))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    }

    /// The OAuth password grant at `/auth/oauth2/token` (how an MCP client signs in).
    async fn oauth_login(&self, email: &str, password: &str) -> Value {
        let response = self
            .http
            .post(format!("{}/auth/oauth2/token", self.api))
            .form(&[
                ("grant_type", "password"),
                ("username", email),
                ("password", password),
                ("client_id", dewy_local::LOCAL_CLIENT_ID),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// `POST /api/<tool>` with `token` as the bearer token, if any.
    async fn rest(&self, token: Option<&str>, tool: &str, arguments: &Value) -> (u16, Value) {
        let mut request = self
            .http
            .post(format!("{}/api/{}", self.api, tool.replace('_', "-")))
            .json(arguments);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A JSON-RPC request to the persona MCP server `endpoint` (stateless Streamable HTTP).
    async fn mcp(&self, endpoint: &str, token: &str, method: &str, params: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/mcp/{endpoint}", self.api))
            .bearer_auth(token)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// `tools/call` of a `tool` that moves money, at 2026-07-28 by a client whose person accepts
    /// the question it is asked first: whether the result is an error, and its structured content.
    async fn call_confirmed(
        &self,
        endpoint: &str,
        token: &str,
        tool: &str,
        arguments: Value,
    ) -> (bool, Value) {
        let url = format!("{}/mcp/{endpoint}", self.api);
        let wire = McpWire::new(url, token, json!({ "elicitation": {} }));
        let (_, first) = wire.call(tool, &arguments, Value::Null).await;
        let asked = input_required(&first).unwrap_or_else(|| panic!("{tool} asks first: {first}"));
        let (status, body) = wire.call(tool, &arguments, answer(asked, "accept")).await;
        assert_eq!(status, 200, "{tool}: {body}");
        let result = &body["result"];
        (
            result["isError"].as_bool().unwrap_or(false),
            result["structuredContent"].clone(),
        )
    }

    /// `tools/call` of `tool`: whether it is an error, and its structured content.
    async fn call_tool(&self, endpoint: &str, token: &str, tool: &str, arguments: Value) -> (bool, Value) {
        let (status, body) = self
            .mcp(
                endpoint,
                token,
                "tools/call",
                json!({ "name": tool, "arguments": arguments }),
            )
            .await;
        assert_eq!(status, 200, "{tool}: {body}");
        let result = &body["result"];
        (
            result["isError"].as_bool().unwrap_or(false),
            result["structuredContent"].clone(),
        )
    }
}

fn checkout(email: &str, name: &str, payment_method: &str) -> Value {
    json!({
        "guest_email": email, "guest_name": name,
        "payment_method_id": payment_method, "idempotency_token": dewy_e2e::uuid_v4(),
    })
}

/// Waits (up to 6 s) until `reached` holds.
async fn wait_for(reached: impl Fn() -> bool) {
    let start = Instant::now();
    while !reached() && start.elapsed() < Duration::from_secs(6) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
