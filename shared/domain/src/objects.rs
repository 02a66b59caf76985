//! The Salesforce objects the tools use, with their API names and picklists (the org's metadata is
//! `infra/salesforce`).
//!
//! Field names are constants so SOQL, record types and the sandbox's org schema name each field once.

use crate::picklist::picklist;

/// `Booking__c`: one stay of one guest in one room.
pub mod booking {
    use super::picklist;
    pub const OBJECT: &str = "Booking__c";
    /// AutoNumber `BK-{0000}`: the booking number guests quote.
    pub const NAME: &str = "Name";
    pub const OPPORTUNITY: &str = "Opportunity__c";
    pub const OPPORTUNITY_REL: &str = "Opportunity__r";
    pub const PRIMARY_GUEST: &str = "Primary_Guest__c";
    pub const PRIMARY_GUEST_REL: &str = "Primary_Guest__r";
    pub const ROOM: &str = "Room__c";
    pub const ROOM_REL: &str = "Room__r";
    pub const CHECK_IN_DATE: &str = "Check_In_Date__c";
    pub const CHECK_OUT_DATE: &str = "Check_Out_Date__c";
    pub const STATUS: &str = "Status__c";
    /// Formula: check-out date minus check-in date.
    pub const TOTAL_NIGHTS: &str = "Total_Nights__c";
    pub const NUMBER_OF_GUESTS: &str = "Number_of_Guests__c";
    pub const SPECIAL_REQUESTS: &str = "Special_Requests__c";
    /// External id (not unique): the upsert key of `upsert_booking`.
    pub const EXTERNAL_ID: &str = "External_ID__c";
    /// DateTime of the check-in, so a repeated check-in can return the original result. Our addition.
    pub const CHECKED_IN_AT: &str = "Checked_In_At__c";

    picklist! {
        /// `Booking__c.Status__c`.
        BookingStatus {
            Reserved = "Reserved",
            CheckedIn = "Checked In",
            CheckedOut = "Checked Out",
            Cancelled = "Cancelled",
            NoShow = "No Show",
        }
    }
}

/// `Hotel_Room__c`: a room. `Name` is a descriptive label; `Room_Number__c` is what guests see.
pub mod room {
    use super::picklist;
    pub const OBJECT: &str = "Hotel_Room__c";
    pub const NAME: &str = "Name";
    /// Text(5), unique, external id.
    pub const ROOM_NUMBER: &str = "Room_Number__c";
    pub const STATUS: &str = "Status__c";
    pub const ROOM_TYPE: &str = "Room_Type__c";
    pub const VIEW_TYPE: &str = "View_Type__c";
    pub const BED_CONFIGURATION: &str = "Bed_Configuration__c";
    pub const FLOOR: &str = "Floor__c";
    pub const MAX_OCCUPANCY: &str = "Max_Occupancy__c";
    pub const NIGHTLY_RATE: &str = "Nightly_Rate__c";
    pub const SQUARE_FOOTAGE: &str = "Square_Footage__c";
    pub const ACCESSIBLE: &str = "Accessible__c";
    pub const CURRENT_GUEST: &str = "Current_Guest__c";
    pub const CURRENT_GUEST_REL: &str = "Current_Guest__r";

    picklist! {
        /// `Hotel_Room__c.Status__c`.
        RoomStatus {
            Vacant = "Vacant",
            Occupied = "Occupied",
            Cleaning = "Cleaning",
            Maintenance = "Maintenance",
            OutOfService = "Out of Service",
        }
    }

    picklist! {
        /// `Hotel_Room__c.Room_Type__c`.
        RoomType {
            Standard = "Standard",
            Deluxe = "Deluxe",
            Suite = "Suite",
            Penthouse = "Penthouse",
        }
    }
}

/// `Contact`: guests, managers and vendors.
pub mod contact {
    use super::picklist;
    pub const OBJECT: &str = "Contact";
    pub const FIRST_NAME: &str = "FirstName";
    pub const LAST_NAME: &str = "LastName";
    pub const EMAIL: &str = "Email";
    pub const PHONE: &str = "Phone";
    pub const MOBILE_PHONE: &str = "MobilePhone";
    pub const ACCOUNT: &str = "AccountId";
    /// The upsert key: unique, external id.
    pub const UNIQUE_EMAIL: &str = "Unique_Email__c";
    pub const CONTACT_TYPE: &str = "Contact_Type__c";
    pub const PREFERRED_CONTACT_METHOD: &str = "Preferred_Contact_Method__c";
    pub const EMPLOYEE_ID: &str = "Employee_ID__c";
    pub const LOYALTY_NUMBER: &str = "Loyalty_Number__c";

    picklist! {
        /// `Contact.Contact_Type__c`.
        ContactType {
            Guest = "Guest",
            Manager = "Manager",
            Vendor = "Vendor",
        }
    }

    picklist! {
        /// `Contact.Preferred_Contact_Method__c`.
        ContactMethod {
            Sms = "SMS",
            Email = "Email",
            Phone = "Phone",
        }
    }
}

/// `Opportunity`: the revenue side of a booking.
pub mod opportunity {
    use super::picklist;
    pub const OBJECT: &str = "Opportunity";
    pub const NAME: &str = "Name";
    pub const STAGE: &str = "StageName";
    pub const CLOSE_DATE: &str = "CloseDate";
    pub const AMOUNT: &str = "Amount";
    pub const TYPE: &str = "Type";
    pub const CONTACT: &str = "ContactId";
    pub const ACCOUNT: &str = "AccountId";
    /// The Stripe charge id once paid, `PENDING_CHECKIN` (or a given id) at check-in.
    pub const PAYMENT_ID: &str = "Payment_ID__c";
    pub const ARRIVAL_DATE: &str = "Arrival_Date__c";
    pub const DEPARTURE_DATE: &str = "Departure_Date__c";

    picklist! {
        /// `Opportunity.StageName`: Salesforce's standard stages plus the hotel's own.
        OpportunityStage {
            Prospecting = "Prospecting",
            Qualification = "Qualification",
            NeedsAnalysis = "Needs Analysis",
            ValueProposition = "Value Proposition",
            PerceptionAnalysis = "Perception Analysis",
            ProposalPriceQuote = "Proposal/Price Quote",
            NegotiationReview = "Negotiation/Review",
            BookingConfirmed = "Booking Confirmed",
            CheckedIn = "Checked In",
            ClosedWon = "Closed Won",
            ClosedLost = "Closed Lost",
        }
    }
}

/// `Case`: service and maintenance requests.
pub mod case {
    use super::picklist;
    pub const OBJECT: &str = "Case";
    pub const CASE_NUMBER: &str = "CaseNumber";
    pub const CONTACT: &str = "ContactId";
    pub const SUBJECT: &str = "Subject";
    pub const DESCRIPTION: &str = "Description";
    pub const TYPE: &str = "Type";
    pub const PRIORITY: &str = "Priority";
    pub const STATUS: &str = "Status";
    pub const ORIGIN: &str = "Origin";
    pub const COMMENTS: &str = "Comments";
    /// Unique external id: the idempotency token of the request that made the case.
    pub const EXTERNAL_ID: &str = "External_ID__c";
    pub const ROOM: &str = "Room__c";
    pub const BOOKING: &str = "Booking__c";

    picklist! {
        /// `Case.Type`.
        CaseType {
            Housekeeping = "Housekeeping",
            Maintenance = "Maintenance",
            Facilities = "Facilities",
            ServiceRequest = "Service Request",
            RoomService = "Room Service",
            Concierge = "Concierge",
        }
    }

    picklist! {
        /// `Case.Priority`.
        CasePriority {
            Low = "Low",
            Medium = "Medium",
            High = "High",
            Urgent = "Urgent",
        }
    }

    picklist! {
        /// `Case.Status`.
        CaseStatus {
            New = "New",
            Working = "Working",
            Escalated = "Escalated",
            Closed = "Closed",
        }
    }

    picklist! {
        /// `Case.Origin`.
        CaseOrigin {
            Web = "Web",
            Internal = "Internal",
            Phone = "Phone",
            Email = "Email",
        }
    }
}

/// `Account`: the seed's accounts (contacts belong to them).
pub mod account {
    pub const OBJECT: &str = "Account";
    pub const NAME: &str = "Name";
}
