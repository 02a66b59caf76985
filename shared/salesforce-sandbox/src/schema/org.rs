//! The objects of the hotel's org, with field names and picklists taken from `dewy-domain`.

use dewy_domain::Picklist;
use dewy_domain::objects::{account, booking, case, contact, opportunity, room};
use serde_json::json;

use super::{FieldDef, FieldType, Formula, ObjectDef, Schema, label_of};

/// A field with the default flags; the builder methods below set the rest.
fn field(name: &'static str, ty: FieldType) -> FieldDef {
    FieldDef {
        name,
        label: label_of(name),
        ty,
        required: false,
        unique: false,
        external_id: false,
        default: None,
        system: false,
    }
}

impl FieldDef {
    fn required(mut self) -> Self {
        self.required = true;
        self
    }
    fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
    fn external_id(mut self) -> Self {
        self.external_id = true;
        self
    }
    fn default(mut self, value: serde_json::Value) -> Self {
        self.default = Some(value);
        self
    }
    fn label(mut self, label: &str) -> Self {
        self.label = label.to_owned();
        self
    }
    fn system(mut self) -> Self {
        self.system = true;
        self
    }
}

fn text(name: &'static str, max_len: usize) -> FieldDef {
    field(name, FieldType::Text { max_len })
}
/// The field a status guard is written to (see `dewy_domain::guard`).
fn status_guard() -> FieldDef {
    text(dewy_domain::guard::FIELD, 80).label("Hub Status Guard")
}
fn picklist<P: Picklist>(name: &'static str) -> FieldDef {
    field(
        name,
        FieldType::Picklist {
            values: P::api_values(),
        },
    )
}
fn lookup(name: &'static str, target: &'static str, relationship: &'static str) -> FieldDef {
    field(
        name,
        FieldType::Reference {
            target,
            relationship,
            master_detail: false,
        },
    )
}
fn number(name: &'static str, scale: u32) -> FieldDef {
    field(name, FieldType::Number { scale })
}

/// An object with the system fields every record has.
fn object(
    name: &'static str,
    label: &'static str,
    key_prefix: &'static str,
    fields: Vec<FieldDef>,
) -> ObjectDef {
    let mut all = vec![field("Id", FieldType::Id).label(&format!("{label} ID")).system()];
    all.extend(fields);
    all.push(
        field("CreatedDate", FieldType::DateTime)
            .label("Created Date")
            .system(),
    );
    all.push(
        field("LastModifiedDate", FieldType::DateTime)
            .label("Last Modified Date")
            .system(),
    );
    ObjectDef {
        name,
        label,
        key_prefix,
        fields: all,
    }
}

fn account() -> ObjectDef {
    object(
        account::OBJECT,
        "Account",
        "001",
        vec![
            text(account::NAME, 255).label("Account Name").required(),
            // An open picklist in a real org; free text here since nothing validates it.
            text("Type", 255).label("Account Type"),
            field("Phone", FieldType::Phone).label("Account Phone"),
            text("BillingCity", 40).label("Billing City"),
        ],
    )
}

fn contact() -> ObjectDef {
    use contact::*;
    object(
        OBJECT,
        "Contact",
        "003",
        vec![
            field("Name", FieldType::Formula(Formula::FullName)).label("Full Name"),
            text(FIRST_NAME, 40).label("First Name"),
            text(LAST_NAME, 80).label("Last Name").required(),
            field(EMAIL, FieldType::Email),
            field(PHONE, FieldType::Phone).label("Business Phone"),
            field(MOBILE_PHONE, FieldType::Phone).label("Mobile Phone"),
            lookup(ACCOUNT, account::OBJECT, "Account").label("Account ID"),
            field(UNIQUE_EMAIL, FieldType::Email).unique().external_id(),
            picklist::<ContactType>(CONTACT_TYPE),
            picklist::<ContactMethod>(PREFERRED_CONTACT_METHOD),
            text(EMPLOYEE_ID, 20).label("Employee ID"),
            text(LOYALTY_NUMBER, 20),
        ],
    )
}

fn opportunity() -> ObjectDef {
    use opportunity::*;
    object(
        OBJECT,
        "Opportunity",
        "006",
        vec![
            text(NAME, 120).label("Name").required(),
            picklist::<OpportunityStage>(STAGE).label("Stage").required(),
            field(CLOSE_DATE, FieldType::Date).label("Close Date").required(),
            field(AMOUNT, FieldType::Currency),
            text(TYPE, 255).label("Opportunity Type"),
            lookup(CONTACT, contact::OBJECT, "Contact").label("Contact ID"),
            lookup(ACCOUNT, account::OBJECT, "Account").label("Account ID"),
            text(PAYMENT_ID, 255).label("Payment ID"),
            field(ARRIVAL_DATE, FieldType::Date),
            field(DEPARTURE_DATE, FieldType::Date),
            status_guard(),
        ],
    )
}

fn booking() -> ObjectDef {
    use booking::*;
    object(
        OBJECT,
        "Booking",
        "a01",
        vec![
            field(
                NAME,
                FieldType::AutoNumber {
                    prefix: "BK-",
                    digits: 4,
                    start: 1,
                },
            )
            .label("Booking Number"),
            field(
                OPPORTUNITY,
                FieldType::Reference {
                    target: opportunity::OBJECT,
                    relationship: OPPORTUNITY_REL,
                    master_detail: true,
                },
            )
            .required(),
            lookup(PRIMARY_GUEST, contact::OBJECT, PRIMARY_GUEST_REL),
            lookup(ROOM, room::OBJECT, ROOM_REL),
            field(CHECK_IN_DATE, FieldType::Date),
            field(CHECK_OUT_DATE, FieldType::Date),
            picklist::<BookingStatus>(STATUS).default(json!(BookingStatus::Reserved.api_value())),
            field(
                TOTAL_NIGHTS,
                FieldType::Formula(Formula::DaysBetween {
                    from: CHECK_IN_DATE,
                    to: CHECK_OUT_DATE,
                }),
            ),
            number(NUMBER_OF_GUESTS, 0).default(json!(1.0)),
            text(SPECIAL_REQUESTS, 32_768),
            text(EXTERNAL_ID, 255).label("External ID").external_id(),
            field(CHECKED_IN_AT, FieldType::DateTime),
            status_guard(),
        ],
    )
}

fn hotel_room() -> ObjectDef {
    use room::*;
    object(
        OBJECT,
        "Hotel Room",
        "a02",
        vec![
            text(NAME, 80).label("Room Name"),
            text(ROOM_NUMBER, 5).unique().external_id(),
            picklist::<RoomStatus>(STATUS).default(json!(RoomStatus::Vacant.api_value())),
            picklist::<RoomType>(ROOM_TYPE),
            text(VIEW_TYPE, 255),
            text(BED_CONFIGURATION, 255),
            number(FLOOR, 0),
            number(MAX_OCCUPANCY, 0),
            field(NIGHTLY_RATE, FieldType::Currency),
            number(SQUARE_FOOTAGE, 0),
            field(ACCESSIBLE, FieldType::Boolean).default(json!(false)),
            lookup(CURRENT_GUEST, contact::OBJECT, CURRENT_GUEST_REL),
            status_guard(),
        ],
    )
}

fn case() -> ObjectDef {
    use case::*;
    object(
        OBJECT,
        "Case",
        "500",
        vec![
            field(
                CASE_NUMBER,
                FieldType::AutoNumber {
                    prefix: "",
                    digits: 8,
                    start: 1001,
                },
            )
            .label("Case Number"),
            lookup(CONTACT, contact::OBJECT, "Contact").label("Contact ID"),
            text(SUBJECT, 255),
            text(DESCRIPTION, 32_000),
            picklist::<CaseType>(TYPE).label("Case Type"),
            // A real org defaults these two; the hotel's flows rely on new cases being New.
            picklist::<CasePriority>(PRIORITY).default(json!(CasePriority::Medium.api_value())),
            picklist::<CaseStatus>(STATUS).default(json!(CaseStatus::New.api_value())),
            picklist::<CaseOrigin>(ORIGIN).label("Case Origin"),
            text(COMMENTS, 4_000).label("Internal Comments"),
            text(EXTERNAL_ID, 255).label("External ID").unique().external_id(),
            lookup(ROOM, room::OBJECT, "Room__r"),
            lookup(BOOKING, booking::OBJECT, "Booking__r"),
            status_guard(),
        ],
    )
}

/// The whole org.
pub(super) fn build() -> Schema {
    Schema {
        objects: vec![
            account(),
            contact(),
            opportunity(),
            booking(),
            hotel_room(),
            case(),
        ],
    }
}
