//! What each scenario sends and how its answers are checked.
//!
//! `list`, `read` and `write` act as one signed-in guest, Brian (`guest2@hotel.com`, checked in to
//! room 101 in the seed data), on `/mcp/guest`: he lists his tools, looks up his rooms, and asks for
//! towels. `staff-list` is a manager listing the front desk's endpoint's tools (its longest list).

use dewy_mcp::REPLAY_META_KEY;
use serde_json::{Value, json};

/// The guest every request acts as, and the room he is staying in.
pub const GUEST: &str = "guest2@hotel.com";
const ROOM: &str = "101";

/// The manager the `staff-list` scenario acts as.
pub const MANAGER: &str = "manager1@hotel.com";

/// A tool only the front desk's job lists: never listed to a guest, listed to a manager there.
const STAFF_ONLY_TOOL: &str = "upsert_booking";
/// A tool only the manager's endpoint lists: not on the front desk's, even to a manager.
const MANAGER_ONLY_TOOL: &str = "create_stripe_refund";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// `tools/list`: no backend call; the adapter's own cost (auth, rmcp, the tool list).
    ToolsList,
    /// `tools/list` on `/mcp/staff` as a manager: the longest tool list of any endpoint.
    StaffToolsList,
    /// `tools/call search_rooms_on_behalf_of_guest` (annotated read-only): one SOQL query.
    ReadOnlyCall,
    /// `tools/call submit_guest_service_request` with a fresh idempotency token every time: each
    /// call files a new case (four parallel reads, an upsert, a read of the case number).
    WriteCall,
}

impl Scenario {
    /// Every scenario; what runs when none is named.
    pub const ALL: [Scenario; 4] = [
        Scenario::ToolsList,
        Scenario::StaffToolsList,
        Scenario::ReadOnlyCall,
        Scenario::WriteCall,
    ];

    /// The endpoint and the user the scenario's requests go to and act as.
    pub fn endpoint_and_user(self) -> (&'static str, &'static str) {
        match self {
            Scenario::StaffToolsList => ("staff", MANAGER),
            _ => ("guest", GUEST),
        }
    }

    /// The short name used on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Scenario::ToolsList => "list",
            Scenario::StaffToolsList => "staff-list",
            Scenario::ReadOnlyCall => "read",
            Scenario::WriteCall => "write",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Scenario::ToolsList => "tools/list",
            Scenario::StaffToolsList => "tools/list on /mcp/staff as a manager",
            Scenario::ReadOnlyCall => "tools/call search_rooms_on_behalf_of_guest (read-only)",
            Scenario::WriteCall => "tools/call submit_guest_service_request (write, new case each)",
        }
    }

    /// The JSON-RPC request number `n`. Reads are the same every time, so their
    /// answers can be compared byte for byte with the reference answer; each write carries its own
    /// id (echoed in the answer) and its own idempotency token, so it is a new request that files a
    /// new case, never an idempotent replay.
    pub fn body(self, n: u64) -> Vec<u8> {
        let message = match self {
            Scenario::ToolsList | Scenario::StaffToolsList => {
                json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}})
            }
            Scenario::ReadOnlyCall => json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": "search_rooms_on_behalf_of_guest", "arguments": {}}}),
            Scenario::WriteCall => json!({"jsonrpc": "2.0", "id": n, "method": "tools/call",
            "params": {"name": "submit_guest_service_request", "arguments": {
                "idempotency_token": format!("bench-{n}"),
                "room_number": ROOM,
                "type": "Housekeeping",
                "priority": "Low",
                "description": "Two extra bath towels, please.",
            }}}),
        };
        serde_json::to_vec(&message).unwrap()
    }

    /// `None` when `body` (answering request `n`) is what this scenario must return, else why not.
    /// `reference` is a read's first answer, already checked: an identical answer needs no parsing,
    /// which keeps the load generator's share of the cores small (a guest's tool list is tens of
    /// kilobytes of JSON); any other answer is parsed and checked in full.
    pub fn problem(self, n: u64, status: u16, body: &[u8], reference: Option<&[u8]>) -> Option<String> {
        if status != 200 {
            return Some(format!("HTTP {status}: {}", String::from_utf8_lossy(body)));
        }
        if reference == Some(body) {
            return None;
        }
        let Ok(answer) = serde_json::from_slice::<Value>(body) else {
            return Some(format!("not JSON: {}", String::from_utf8_lossy(body)));
        };
        let id = if self == Scenario::WriteCall {
            json!(n)
        } else {
            json!(1)
        };
        let result = &answer["result"];
        let fits = answer["id"] == id
            && match self {
                Scenario::ToolsList => lists_the_guest_tools(result),
                Scenario::StaffToolsList => lists_the_managers_tools(result),
                Scenario::ReadOnlyCall => {
                    let found = &result["structuredContent"];
                    result["isError"] == false
                        && found["found"] == true
                        && found["rooms"]
                            .as_array()
                            .is_some_and(|rooms| rooms.iter().any(|r| r["room_number"] == ROOM))
                }
                Scenario::WriteCall => {
                    let filed = &result["structuredContent"];
                    result["isError"] == false
                        && result["_meta"][REPLAY_META_KEY] != true
                        && filed["created"] == true
                        && filed["status"] == "New"
                        && filed["room_number"] == ROOM
                        && filed["case_number"].as_str().is_some_and(|n| !n.is_empty())
                }
            };
        (!fits).then(|| format!("unexpected answer: {answer}"))
    }
}

/// The guest's tools, each with an input schema, and no staff tool among them.
fn lists_the_guest_tools(result: &Value) -> bool {
    let Some(tools) = result["tools"].as_array() else {
        return false;
    };
    let listed = |name: &str| tools.iter().any(|t| t["name"] == name);
    tools.iter().all(|t| t["inputSchema"]["type"] == "object")
        && listed("search_rooms_on_behalf_of_guest")
        && listed("submit_guest_service_request")
        && !listed(STAFF_ONLY_TOOL)
}

/// The front desk's endpoint's tools for a manager: the front desk's, and none of another job's.
fn lists_the_managers_tools(result: &Value) -> bool {
    let Some(tools) = result["tools"].as_array() else {
        return false;
    };
    let listed = |name: &str| tools.iter().any(|t| t["name"] == name);
    tools.iter().all(|t| t["inputSchema"]["type"] == "object")
        && listed(STAFF_ONLY_TOOL)
        && !listed(MANAGER_ONLY_TOOL)
}
