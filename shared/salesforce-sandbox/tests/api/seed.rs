//! The demo data as the API serves it.

use dewy_salesforce_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;

use crate::common::start;

#[tokio::test]
async fn twenty_two_rooms_with_their_statuses_and_types() {
    let env = start().await;
    let reply = env.query("SELECT Room_Number__c, Room_Type__c, Nightly_Rate__c, Status__c FROM Hotel_Room__c ORDER BY Room_Number__c").await;
    assert_eq!(reply.body["totalSize"], json!(22));
    for room in reply.body["records"].as_array().unwrap() {
        let number: u32 = room["Room_Number__c"].as_str().unwrap().parse().unwrap();
        let position = number % 100;
        let (kind, rate) = match position {
            0..=6 => ("Standard", 149.99),
            7..=9 => ("Deluxe", 199.99),
            _ => ("Suite", 299.99),
        };
        let status = match position {
            0..=4 => "Occupied",
            6 => "Cleaning",
            7 => "Maintenance",
            _ => "Vacant",
        };
        assert_eq!(room["Room_Type__c"], json!(kind), "{number}");
        assert_eq!(room["Nightly_Rate__c"], json!(rate), "{number}");
        assert_eq!(room["Status__c"], json!(status), "{number}");
    }
}

#[tokio::test]
async fn the_check_in_demo_is_due_today_on_any_day() {
    // The default config's "today" is the real date: the seed moves with it.
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let today = sandbox.config().today.to_string();
    let rows = sandbox
        .query(
            "SELECT Status__c, Check_In_Date__c, Room__r.Room_Number__c, Room__r.Status__c FROM Booking__c \
             WHERE Primary_Guest__r.Email = 'kay@example.com' AND Check_In_Date__c = TODAY",
        )
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["Status__c"], json!("Reserved"));
    assert_eq!(rows[0]["Check_In_Date__c"], json!(today));
    assert_eq!(rows[0]["Room__r"]["Room_Number__c"], json!("105"));
    assert_eq!(rows[0]["Room__r"]["Status__c"], json!("Vacant"));
    let unseeded = Sandbox::start(SandboxConfig {
        seed: false,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    assert!(unseeded.query("SELECT Id FROM Contact").unwrap().is_empty());
}

#[tokio::test]
async fn demo_logins_map_to_contacts() {
    let env = start().await;
    let reply = env
        .query("SELECT Email, Contact_Type__c, Employee_ID__c FROM Contact WHERE Email LIKE '%@hotel.com' ORDER BY Email")
        .await;
    assert_eq!(reply.body["totalSize"], json!(12));
    let managers: Vec<_> = reply.body["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["Contact_Type__c"] == json!("Manager"))
        .map(|c| c["Employee_ID__c"].clone())
        .collect();
    assert_eq!(managers, vec![json!("EMP-1001"), json!("EMP-1002")]);
    let guest1 = env
        .query(
            "SELECT Preferred_Contact_Method__c, MobilePhone FROM Contact WHERE Email = 'guest1@hotel.com'",
        )
        .await;
    assert_eq!(
        guest1.body["records"][0]["Preferred_Contact_Method__c"],
        json!("SMS")
    );
    assert!(guest1.body["records"][0]["MobilePhone"].is_string());
    let kay = env
        .query("SELECT Id FROM Contact WHERE Unique_Email__c = 'kay@example.com'")
        .await;
    assert_eq!(kay.body["totalSize"], json!(1));
}
