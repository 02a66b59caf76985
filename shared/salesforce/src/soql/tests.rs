//! Unit tests of the SOQL builder's rendering.

use super::*;

/// Repeated filters are ANDed, ORDER BY items accumulate, LIMIT and OFFSET come last.
#[test]
fn clauses_render_in_soql_order() {
    let q = Soql::select(&["Id"])
        .from("Hotel_Room__c")
        .filter(Cond::eq("Status__c", "Vacant"))
        .filter(Cond::ge("Floor__c", 2))
        .order_by("Floor__c", Order::Desc)
        .order_by("Room_Number__c", Order::Asc)
        .limit(10)
        .offset(20);
    assert_eq!(
        q.to_string(),
        "SELECT Id FROM Hotel_Room__c WHERE Status__c = 'Vacant' AND Floor__c >= 2 \
             ORDER BY Floor__c DESC, Room_Number__c ASC LIMIT 10 OFFSET 20"
    );
    assert_eq!(q.object(), "Hotel_Room__c");
}

/// Names are checked to be plain API names (the debug assertions rely on this).
#[test]
fn names_and_paths_are_recognised() {
    assert!(is_field_path("Room__r.Status__c"));
    assert!(is_name("Booking__c"));
    assert!(!is_field_path("Name'"));
    assert!(!is_field_path("Room__r..Status__c"));
    assert!(!is_name("1abc"));
    assert!(!is_name(""));
}

/// Mixed AND/OR/NOT get exactly the parentheses that preserve the grouping.
#[test]
fn nesting_is_parenthesised() {
    // GIVEN a AND (b OR c) AND NOT d
    let cond = Cond::eq("A", 1)
        .and(Cond::eq("B", 2).or(Cond::eq("C", 3)))
        .and(Cond::not(Cond::eq("D", 4)));
    // THEN the OR and the NOT are grouped, the ANDs stay flat
    assert_eq!(cond.to_string(), "A = 1 AND (B = 2 OR C = 3) AND (NOT (D = 4))");
    // AND inside OR is grouped as well
    let cond = Cond::eq("A", 1).or(Cond::eq("B", 2).and(Cond::eq("C", 3)));
    assert_eq!(cond.to_string(), "A = 1 OR (B = 2 AND C = 3)");
    assert_eq!((!Cond::eq("A", true)).to_string(), "NOT (A = true)");
}

/// Empty lists render valid SOQL with the documented meaning instead of `IN ()`.
#[test]
fn empty_lists_render_valid_soql() {
    assert_eq!(
        Cond::is_in("Status__c", Vec::<&str>::new()).to_string(),
        "Id = null"
    );
    assert_eq!(
        Cond::not_in("Status__c", Vec::<&str>::new()).to_string(),
        "Id != null"
    );
    assert_eq!(Cond::all([]).to_string(), "Id != null");
    assert_eq!(Cond::any([]).to_string(), "Id = null");
    assert_eq!(Cond::all([Cond::eq("A", 1)]).to_string(), "A = 1");
}

/// IN lists and LIKE patterns escape each value.
#[test]
fn lists_and_patterns_escape_their_values() {
    let cond = Cond::is_in("Status__c", ["Reserved", "Checked In", "it's"]);
    assert_eq!(
        cond.to_string(),
        r"Status__c IN ('Reserved', 'Checked In', 'it\'s')"
    );
    assert_eq!(
        Cond::like_contains("Name", "50%_").to_string(),
        r"Name LIKE '%50\%\_%'"
    );
    assert_eq!(
        Cond::like_starts_with("Name", "O'B").to_string(),
        r"Name LIKE 'O\'B%'"
    );
    assert_eq!(Cond::like_ends_with("Name", r"\").to_string(), r"Name LIKE '%\\'");
}
