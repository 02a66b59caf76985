//! Benchmark: `check_in_guest` against the original's sequential shape of the same workflow, on the
//! same Salesforce sandbox in the same run, with latency injected on every request.
//!
//! `cargo bench -p dewy-e2e --bench check_in` (optional: `-- <latency ms> <iterations>`, default 100 20).
//!
//! The original (Workato recipes) made six sequential calls: contact search, booking search, room
//! read, then booking, room and opportunity updates one after another. Ours reads in one parallel
//! round and writes once through Composite `allOrNone`.

use dewy_connector::{CallRecorder, Deadline};
use dewy_e2e::{World, staff};
use dewy_salesforce::Salesforce;
use dewy_salesforce::soql::{Cond, Soql};
use dewy_salesforce_sandbox::Latency;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// One measured run of a shape.
struct Sample {
    elapsed: Duration,
    calls: usize,
    round_trips: usize,
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let latency_ms: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let world = World::start().await;
    world
        .sandbox
        .set_latency(Some(Latency::fixed(Duration::from_millis(latency_ms))));

    let mut ours = Vec::new();
    let mut original = Vec::new();
    for i in 0..iterations {
        let email = arrival(&world, &format!("o{i}"));
        let invocation = world
            .call("check_in_guest", staff(), json!({ "guest_email": email }))
            .await;
        assert!(invocation.result.is_ok(), "{}", invocation.body());
        ours.push(Sample {
            elapsed: invocation.duration,
            calls: invocation.calls.total_calls,
            round_trips: invocation.calls.sequential_round_trips,
        });

        let email = arrival(&world, &format!("s{i}"));
        original.push(original_shape(&world.backends.salesforce, &email).await);
    }

    println!("check_in_guest, Salesforce sandbox at {latency_ms} ms per request, {iterations} runs each\n");
    println!("| shape | Salesforce calls | sequential round trips | p50 | p95 |");
    println!("|---|---|---|---|---|");
    let ours_p50 = report("check_in_guest (parallel reads + one composite)", &mut ours);
    let original_p50 = report("original sequential shape (3 reads + 3 updates)", &mut original);
    println!(
        "\nspeed-up at p50: {:.2}x",
        original_p50.as_secs_f64() / ours_p50.as_secs_f64()
    );
}

/// Adds a guest arriving today in a fresh vacant room (straight into the sandbox: not measured).
fn arrival(world: &World, tag: &str) -> String {
    let email = format!("bench-{tag}@example.com");
    let today = chrono::Utc::now().date_naive();
    let contact = world
        .sandbox
        .insert("Contact", json!({"FirstName": "Bench", "LastName": tag, "Email": email, "Unique_Email__c": email, "Contact_Type__c": "Guest"}))
        .unwrap();
    let room = world
        .sandbox
        .insert("Hotel_Room__c", json!({"Name": "Bench Room", "Room_Number__c": tag, "Status__c": "Vacant", "Room_Type__c": "Standard", "Floor__c": 9}))
        .unwrap();
    let opportunity = world
        .sandbox
        .insert("Opportunity", json!({"Name": format!("Booking for Bench {tag}"), "StageName": "Booking Confirmed", "CloseDate": today + chrono::Days::new(2), "ContactId": contact}))
        .unwrap();
    world
        .sandbox
        .insert("Booking__c", json!({"Opportunity__c": opportunity, "Primary_Guest__c": contact, "Room__c": room, "Check_In_Date__c": today, "Check_Out_Date__c": today + chrono::Days::new(2), "Status__c": "Reserved"}))
        .unwrap();
    email
}

/// The original recipe's check-in: every step waits for the one before.
async fn original_shape(salesforce: &Salesforce, email: &str) -> Sample {
    let recorder = CallRecorder::new();
    let sf = salesforce.scoped(recorder.clone(), Deadline::after(Duration::from_secs(30)));
    let started = Instant::now();
    let contact: Vec<Value> = sf
        .query(
            &Soql::select(&["Id", "FirstName", "LastName"])
                .from("Contact")
                .filter(Cond::eq("Unique_Email__c", email))
                .limit(1),
        )
        .await
        .unwrap();
    let contact_id = contact[0]["Id"].as_str().unwrap().to_owned();
    let bookings: Vec<Value> = sf
        .query(
            &Soql::select(&[
                "Id",
                "Name",
                "Room__c",
                "Opportunity__c",
                "Check_Out_Date__c",
                "Room__r.Room_Number__c",
                "Room__r.Status__c",
            ])
            .from("Booking__c")
            .filter(
                Cond::eq("Primary_Guest__c", contact_id.as_str())
                    .and(Cond::eq("Check_In_Date__c", chrono::Utc::now().date_naive()))
                    .and(Cond::eq("Status__c", "Reserved")),
            )
            .limit(2),
        )
        .await
        .unwrap();
    let booking = &bookings[0];
    let (booking_id, room_id, opportunity_id) = (
        booking["Id"].as_str().unwrap(),
        booking["Room__c"].as_str().unwrap(),
        booking["Opportunity__c"].as_str().unwrap(),
    );
    let _room: Value = sf
        .get("Hotel_Room__c", room_id, &["Id", "Status__c"])
        .await
        .unwrap();
    sf.update(
        "Booking__c",
        booking_id,
        &json!({"Status__c": "Checked In", "Check_Out_Date__c": booking["Check_Out_Date__c"]}),
    )
    .await
    .unwrap();
    sf.update(
        "Hotel_Room__c",
        room_id,
        &json!({"Status__c": "Occupied", "Current_Guest__c": contact_id}),
    )
    .await
    .unwrap();
    sf.update(
        "Opportunity",
        opportunity_id,
        &json!({"StageName": "Checked In", "Payment_ID__c": "PENDING_CHECKIN"}),
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();
    let summary = recorder.summary();
    Sample {
        elapsed,
        calls: summary.total_calls,
        round_trips: summary.sequential_round_trips,
    }
}

/// Prints one table row; returns the p50.
fn report(name: &str, samples: &mut [Sample]) -> Duration {
    samples.sort_by_key(|s| s.elapsed);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize].elapsed;
    let (p50, p95) = (at(0.5), at(0.95));
    let calls = samples.iter().map(|s| s.calls).max().unwrap_or(0);
    let trips = samples.iter().map(|s| s.round_trips).max().unwrap_or(0);
    println!(
        "| {name} | {calls} | {trips} | {:.0} ms | {:.0} ms |",
        p50.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
    p50
}
