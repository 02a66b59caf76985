//! The search orchestrators for guests and staff, and the web app's search endpoints.
//!
//! Every search is read-only and makes one Salesforce round trip: related records (a booking's
//! room, a room's current guest, a case's contact) are read through relationship fields in the
//! same query. Each answers `200 {<items>, count, found}`; finding nothing is `count: 0, found:
//! false`, never an error. Filters are typed (picklists, emails, room numbers), so a bad value is
//! a `400 VALIDATION_ERROR` naming the field before Salesforce is asked.
//!
//! # Layout
//! - one module per tool;
//! - [`rooms`] and [`cases`]: the staff's room and case queries, each shared by an orchestrator and
//!   a web endpoint (one query builder, two input shapes) and, for cases, the guest's search;
//! - [`inputs`]: the bounded limit and floor, and the text of a "contains" search.

pub mod cases;
pub mod inputs;
pub mod rooms;
pub mod search_cases;
pub mod search_cases_on_behalf_of_guest;
pub mod search_cases_on_behalf_of_staff;
pub mod search_contacts;
pub mod search_rooms;
pub mod search_rooms_on_behalf_of_guest;
pub mod search_rooms_on_behalf_of_staff;

use dewy_domain::ToolError;
use dewy_tool::{Effect, GuestScope, ToolSpec};

/// The spec the guest searches (and the other guest-scoped reads, like `get_stay_folio`) share:
/// guests are scoped to the email in their token (`guest_email`, filled in when left out, 403 when
/// it names anyone else).
pub(crate) const GUEST_SEARCH: ToolSpec = ToolSpec {
    name: "",
    description: "",
    personas: &[],
    deployment: crate::deployment::ORCHESTRATOR,
    effect: Effect::ReadOnly,
    open_world: false,
    alias_of: None,
    guest_scope: Some(GuestScope {
        email_field: "guest_email",
    }),
};

/// The web app's searches list nothing unfiltered, as the original's did: a call
/// without any filter is `400 VALIDATION_ERROR` naming the filters it could have used.
fn require_a_filter(empty: bool, filters: &str) -> Result<(), ToolError> {
    if empty {
        return Err(ToolError::validation(format!(
            "At least one filter is required: give {filters}."
        )));
    }
    Ok(())
}

/// Declares a search's output: `{<items>, count, found}`.
macro_rules! listing {
    ($(#[$doc:meta])* $name:ident, $items:ident, $schema_name:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        // One schema name per record type, e.g. `Rooms_GuestRoom` (else `Rooms`, `Rooms2`).
        #[schemars(rename = $schema_name)]
        pub struct $name<T> {
            /// The records found, in the search's order.
            pub $items: Vec<T>,
            /// How many were found (at most the limit).
            pub count: usize,
            /// Whether any was found.
            pub found: bool,
        }

        impl<T> From<Vec<T>> for $name<T> {
            fn from($items: Vec<T>) -> Self {
                $name {
                    count: $items.len(),
                    found: !$items.is_empty(),
                    $items,
                }
            }
        }
    };
}

listing!(
    /// Rooms found by a search.
    Rooms,
    rooms,
    "Rooms_{T}"
);
listing!(
    /// Cases found by a search.
    Cases,
    cases,
    "Cases_{T}"
);
listing!(
    /// Contacts found by a search.
    Contacts,
    contacts,
    "Contacts_{T}"
);
