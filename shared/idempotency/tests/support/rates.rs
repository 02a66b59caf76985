//! The rate-limit contract every store meets: a window admits exactly its limit, even to a
//! concurrent burst through several handles on one store (two instances sharing one table); a
//! refused call counts nothing; keys and windows are apart.

use dewy_idempotency::{RateCall, RateDecision, RateStore};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const WINDOW: Duration = Duration::from_secs(60);

fn call(key: &str, limit: u32, now: SystemTime) -> RateCall<'_> {
    RateCall {
        key,
        limit,
        window: WINDOW,
        now,
    }
}

/// Runs the contract on `instances`, handles on one shared store (one, or one per "instance").
pub async fn run(instances: &[Arc<dyn RateStore>], prefix: &str) {
    // The middle of a window, so the test never straddles two.
    let now = SystemTime::now();
    let secs = now.duration_since(UNIX_EPOCH).expect("after 1970").as_secs();
    let now = UNIX_EPOCH + Duration::from_secs(secs - secs % 60 + 30);

    let first = &instances[0];
    let key = format!("writes#{prefix}-one");
    for _ in 0..3 {
        assert_eq!(first.admit(call(&key, 3, now)).await, Ok(RateDecision::Admitted));
    }
    assert_eq!(
        first.admit(call(&key, 3, now)).await,
        Ok(RateDecision::Limited {
            retry_after: Duration::from_secs(30)
        }),
        "the fourth call of three is refused until the window ends"
    );
    assert_eq!(
        first.admit(call(&key, 4, now)).await,
        Ok(RateDecision::Admitted),
        "a refused call counted nothing: three calls are counted, not four"
    );
    let next = now + WINDOW;
    assert_eq!(
        first.admit(call(&key, 3, next)).await,
        Ok(RateDecision::Admitted),
        "the next window starts from zero"
    );

    // A concurrent burst of 40 through every instance: exactly the limit gets through.
    let limit = 10;
    let burst = format!("payments#{prefix}-burst");
    let other = format!("payments#{prefix}-other");
    let calls = (0..40).map(|i| {
        let store = Arc::clone(&instances[i % instances.len()]);
        let key = burst.clone();
        tokio::spawn(async move { store.admit(call(&key, limit, now)).await })
    });
    let mut admitted = 0;
    for call in calls.collect::<Vec<_>>() {
        match call.await.expect("the call task ends") {
            Ok(RateDecision::Admitted) => admitted += 1,
            Ok(RateDecision::Limited { retry_after }) => assert!(retry_after <= WINDOW),
            Err(error) => panic!("store failed: {error}"),
        }
    }
    assert_eq!(admitted, limit, "exactly the limit is admitted per window");
    for store in instances {
        assert_eq!(
            store.admit(call(&other, limit, now)).await,
            Ok(RateDecision::Admitted),
            "another caller's window is untouched"
        );
    }
}
