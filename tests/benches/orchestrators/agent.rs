//! An agent composing atomic skills through the MCP endpoint (the original's "traditional
//! approach"), and our orchestrator called through the same endpoint, both timed as the agent sees
//! them.
//!
//! The agent follows the original's list for a check-in (search the guest, search the booking and
//! check its status, search the room and check its status, then update booking, room and
//! opportunity), and the original checkout recipe's steps for a checkout, each step the atomic
//! skill that does it. Like an agent without parallel tool calls, it makes one `tools/call` at a
//! time and reads each result before the next: that is how a model learns the ids and statuses the
//! next call needs.
//!
//! Between two tool calls a real agent sends the result to its model and waits for the next call.
//! That costs at least one request to the model's API plus inference. The agent here waits
//! `model_turn` there, one request at the injected latency by default: no inference time at all, a
//! floor. With `model_turn` zero it is pure I/O, the figure no agent can beat. Both are measured; the
//! turn before the first call and the one after the last are the same for both shapes and are left
//! out of both.
//!
//! Each `tools/call` is a stateless Streamable HTTP POST (protocol 2025-11-25, JSON responses) with
//! the user's bearer token, verified on every request, to the local API served over the same
//! sandboxes. Backend calls and round trips come from the sandboxes' request logs.

use crate::Sample;
use crate::plans::Plan;
use dewy_connector::{Backend, CallRecord, CallRecorder};
use dewy_e2e::{Api, World};
use dewy_mcp::Endpoint;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The demo users the agent acts for: check-in is the front desk's work; composing either workflow
/// from atomic skills takes skills of several jobs (rooms are housekeeping's, the Stripe skills and
/// opportunity stages a manager's), which only a manager holds.
const STAFF: &str = "staff1@hotel.com";
const MANAGER: &str = "manager1@hotel.com";

/// One user's MCP client: each tool is called on the staff endpoint of the job that lists it, with
/// the user's token, over one keep-alive connection.
pub struct McpClient {
    http: reqwest::Client,
    base_url: String,
    token: String,
}

impl McpClient {
    /// The staff MCP servers of `api`, as `email`.
    fn staff_servers(api: &Api, email: &str) -> McpClient {
        McpClient {
            http: reqwest::Client::new(),
            base_url: api.url.clone(),
            token: api.token(email),
        }
    }

    /// The URL of the first staff endpoint that lists `tool`.
    fn url_of(&self, tool: &str) -> String {
        let spec = dewy_tools::find(tool)
            .unwrap_or_else(|| panic!("no tool {tool}"))
            .spec();
        let endpoint = Endpoint::ALL
            .into_iter()
            .filter(|endpoint| *endpoint != Endpoint::Guest)
            .find(|endpoint| endpoint.offers(spec))
            .unwrap_or_else(|| panic!("no staff endpoint lists {tool}"));
        format!("{}{}", self.base_url, endpoint.path())
    }

    /// `tools/call`; the tool's structured result. Anything but a successful result stops the
    /// benchmark: its timing would mean nothing.
    async fn call(&self, tool: &str, arguments: Value) -> Value {
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                             "params": {"name": tool, "arguments": arguments}});
        let response = self
            .http
            .post(self.url_of(tool))
            .bearer_auth(&self.token)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .json(&request)
            .send()
            .await
            .unwrap();
        let answer: Value = response.json().await.unwrap();
        let result = &answer["result"];
        assert!(result["isError"] == false, "{tool}({arguments}): {answer}");
        result["structuredContent"].clone()
    }
}

/// Who calls what through MCP, and how long the agent thinks between calls.
pub struct Mcp {
    staff: McpClient,
    manager: McpClient,
}

impl Mcp {
    pub fn new(api: &Api) -> Mcp {
        Mcp {
            staff: McpClient::staff_servers(api, STAFF),
            manager: McpClient::staff_servers(api, MANAGER),
        }
    }

    /// The client our orchestrator runs as: a manager for checkout, the front desk for the rest.
    fn client_for(&self, orchestrator: &str) -> &McpClient {
        if orchestrator == "process_guest_checkout" {
            &self.manager
        } else {
            &self.staff
        }
    }

    /// One call of each client outside the measurement, so that the verifier has fetched the
    /// issuer's keys and the connections are open.
    pub async fn warm_up(&self) {
        for client in [&self.staff, &self.manager] {
            client
                .call("search_contact_by_email", json!({"email": "kay@example.com"}))
                .await;
        }
    }

    /// Our orchestrator: one `tools/call`.
    pub async fn ours(&self, world: &World, name: &str, plan: Plan) -> Sample {
        let client = self.client_for(name);
        measured(world, || async {
            client.call(name, plan.arguments).await;
        })
        .await
    }

    /// The agent's composition of atomic skills for the same workflow.
    pub async fn agent(&self, world: &World, name: &str, plan: Plan, model_turn: Duration) -> Sample {
        let mut agent = Agent {
            mcp: &self.manager,
            model_turn,
            calls: 0,
        };
        measured(world, || async {
            match name {
                "check_in_guest" => agent.check_in(&plan.arguments).await,
                "process_guest_checkout" => agent.checkout(&plan.arguments).await,
                other => panic!("no agent composition for {other}"),
            }
        })
        .await
    }
}

/// Runs `work`, timing it and reading its backend calls from the sandboxes' request logs.
async fn measured<F, Fut>(world: &World, work: F) -> Sample
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ()>,
{
    let started = Instant::now();
    work().await;
    let elapsed = started.elapsed();
    Sample {
        elapsed,
        calls: requests_since(world, started).summary(),
    }
}

/// The sandboxes' API requests that arrived since `since`, as call records.
fn requests_since(world: &World, since: Instant) -> CallRecorder {
    let recorder = CallRecorder::new();
    let logs = [
        (Backend::Salesforce, world.sandbox.request_log()),
        (Backend::Stripe, world.stripe.request_log()),
        (Backend::Twilio, world.twilio.request_log()),
    ];
    for (backend, log) in logs {
        for request in log.into_iter().filter(|r| r.started >= since) {
            recorder.record(CallRecord {
                backend,
                operation: format!("{} {}", request.method, request.path),
                started: request.started,
                finished: request.finished,
                ok: true,
            });
        }
    }
    recorder
}

/// An agent working through one workflow, one tool call per model turn.
struct Agent<'a> {
    mcp: &'a McpClient,
    model_turn: Duration,
    calls: usize,
}

impl Agent<'_> {
    /// One step: the model's turn (after the first call), then the tool call.
    async fn step(&mut self, tool: &str, arguments: Value) -> Value {
        if self.calls > 0 && !self.model_turn.is_zero() {
            tokio::time::sleep(self.model_turn).await;
        }
        self.calls += 1;
        self.mcp.call(tool, arguments).await
    }

    /// The first two steps of both workflows: the guest's contact, then their one booking of today
    /// in `status`, each checked.
    async fn guest_and_stay(&mut self, input: &Value, status: &str) -> (Value, Value) {
        let contact = self
            .step("search_contact_by_email", json!({"email": input["guest_email"]}))
            .await;
        assert_eq!(contact["found"], true, "{contact}");
        let mut bookings = self
            .step(
                "search_booking_by_contact_and_date",
                json!({"contact_id": contact["id"], "check_in_date": today(), "status": status}),
            )
            .await;
        assert_eq!(bookings["count"], 1, "{bookings}");
        let booking = bookings["bookings"][0].take();
        (contact, booking)
    }

    /// Check-in by an agent, as the original's documentation lists it: 3 searches, each result
    /// checked, then 3 updates.
    async fn check_in(&mut self, input: &Value) {
        let (contact, booking) = self.guest_and_stay(input, "Reserved").await;
        let room = self
            .step(
                "search_room_by_number",
                json!({"room_number": booking["room_number"]}),
            )
            .await;
        assert_eq!(room["status"], "Vacant", "{room}");
        self.step(
            "update_booking_status",
            json!({"booking_id": booking["booking_id"], "status": "Checked In",
                   "checkout_date": booking["check_out_date"]}),
        )
        .await;
        self.step(
            "update_room_status",
            json!({"room_id": room["id"], "status": "Occupied", "current_guest_id": contact["id"]}),
        )
        .await;
        self.step(
            "update_opportunity_stage",
            json!({"opportunity_id": booking["opportunity_id"], "stage_name": "Checked In",
                   "close_date": booking["check_out_date"], "payment_id": "PENDING_CHECKIN"}),
        )
        .await;
    }

    /// The original checkout's steps by an agent: guest and stay, Stripe customer, payment created
    /// then confirmed, then booking, room and opportunity.
    async fn checkout(&mut self, input: &Value) {
        let today = today();
        let token = input["idempotency_token"].as_str().unwrap();
        let (contact, booking) = self.guest_and_stay(input, "Checked In").await;
        let name = format!(
            "{} {}",
            contact["first_name"].as_str().unwrap_or_default(),
            contact["last_name"].as_str().unwrap_or_default()
        );
        let customer = self
            .step(
                "create_stripe_customer",
                json!({"email": input["guest_email"], "name": name, "guest_id": contact["id"],
                       "idempotency_token": token}),
            )
            .await;
        let intent = self
            .step(
                "create_stripe_payment_intent",
                json!({"amount": input["amount"], "currency": "usd", "customer_id": customer["customer_id"],
                       "description": "Hotel checkout payment", "guest_id": contact["id"],
                       "booking_number": booking["booking_number"], "idempotency_token": token}),
            )
            .await;
        let payment = self
            .step(
                "confirm_stripe_payment",
                json!({"payment_intent_id": intent["payment_intent_id"],
                       "payment_method_id": input["payment_method_id"]}),
            )
            .await;
        assert_eq!(payment["status"], "succeeded", "{payment}");
        self.step(
            "update_booking_status",
            json!({"booking_id": booking["booking_id"], "status": "Checked Out", "checkout_date": today}),
        )
        .await;
        self.step(
            "update_room_status",
            json!({"room_id": booking["room_id"], "status": "Cleaning"}),
        )
        .await;
        self.step(
            "update_opportunity_stage",
            json!({"opportunity_id": booking["opportunity_id"], "stage_name": "Closed Won",
                   "close_date": today, "payment_id": payment["charge_id"]}),
        )
        .await;
    }
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}
