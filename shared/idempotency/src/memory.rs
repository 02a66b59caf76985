//! An in-process store: for tests, local runs and single-instance deployments.

use crate::lease::{Granted, LeaseError, LeaseStore, PreviousLease};
use crate::rate::{RateCall, RateDecision, RateError, RateStore};
use crate::store::{STATUS_COMPLETED, STATUS_INPROGRESS, decide, epoch_millis, epoch_secs, from_millis};
use crate::{Begin, BoxFuture, IdempotencyError, IdempotencyStore, StoredResponse};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

/// One record, in the same units as the DynamoDB item so both stores decide identically.
#[derive(Debug, Clone)]
struct Record {
    status: &'static str,
    validation: Option<String>,
    data: Option<StoredResponse>,
    /// Epoch seconds.
    expiration: u64,
    /// Epoch milliseconds.
    in_progress_expiration: u64,
}

/// A `Mutex<HashMap>` store. Each operation holds the lock for its whole check-and-set, which is
/// what makes `begin` atomic. Records are never swept: expired ones are overwritten on the next
/// `begin` for the same key, which is enough for its intended uses.
#[derive(Debug, Default)]
pub struct MemoryStore {
    records: Mutex<HashMap<String, Record>>,
    leases: Mutex<HashMap<String, LeaseRecord>>,
    /// Rate-limit windows: the count, and when the window ends.
    windows: Mutex<HashMap<String, (u32, SystemTime)>>,
}

/// One lease, in the same units as the DynamoDB item.
#[derive(Debug, Clone)]
struct LeaseRecord {
    holder: String,
    /// Epoch milliseconds.
    until: u64,
    /// Epoch milliseconds; `None` while held (or when it lapsed).
    released_at: Option<u64>,
    state: Option<Value>,
    /// Epoch seconds.
    expiration: u64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of records held, expired ones included.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the store holds no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Record>> {
        // No code path panics while holding the lock, so a poisoned map is still consistent;
        // recovering beats failing every later call.
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn leases(&self) -> MutexGuard<'_, HashMap<String, LeaseRecord>> {
        self.leases
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn acquire_sync(
        &self,
        id: &str,
        holder: &str,
        until: SystemTime,
        record_expiry: SystemTime,
    ) -> Result<Granted, LeaseError> {
        let now = SystemTime::now();
        let mut leases = self.leases();
        let old = leases.get(id).filter(|old| old.expiration >= epoch_secs(now));
        // The same condition as DynamoStore's, negated.
        if let Some(old) = old
            && old.released_at.is_none()
            && old.until >= epoch_millis(now)
        {
            return Err(LeaseError::Held {
                until: from_millis(old.until),
            });
        }
        let previous = old.map(|old| PreviousLease {
            released_at: old.released_at.map(from_millis),
            until: from_millis(old.until),
            state: old.state.clone(),
        });
        leases.insert(
            id.to_owned(),
            LeaseRecord {
                holder: holder.to_owned(),
                until: epoch_millis(until),
                released_at: None,
                state: None,
                expiration: epoch_secs(record_expiry),
            },
        );
        Ok(Granted { previous })
    }

    fn release_sync(
        &self,
        id: &str,
        holder: &str,
        state: Option<&Value>,
        record_expiry: SystemTime,
    ) -> Result<(), LeaseError> {
        let now = epoch_millis(SystemTime::now());
        let mut leases = self.leases();
        let Some(lease) = leases.get_mut(id).filter(|lease| lease.holder == holder) else {
            return Err(LeaseError::Lost);
        };
        lease.until = now;
        lease.released_at = Some(now);
        lease.state = state.cloned();
        lease.expiration = epoch_secs(record_expiry);
        Ok(())
    }

    fn begin_sync(
        &self,
        id: &str,
        payload_hash: &str,
        in_progress_expiry: SystemTime,
        record_expiry: SystemTime,
    ) -> Result<Begin, IdempotencyError> {
        let now = SystemTime::now();
        let (now_s, now_ms) = (epoch_secs(now), epoch_millis(now));
        let mut records = self.lock();
        if let Some(old) = records.get(id) {
            // The same condition as DynamoStore's ConditionExpression, negated.
            let lockable = old.expiration < now_s
                || (old.status == STATUS_INPROGRESS && old.in_progress_expiration < now_ms);
            if !lockable {
                return decide(old.status, old.validation.as_deref(), payload_hash, || {
                    Ok(old.data.clone())
                });
            }
        }
        records.insert(
            id.to_owned(),
            Record {
                status: STATUS_INPROGRESS,
                validation: Some(payload_hash.to_owned()),
                data: None,
                expiration: epoch_secs(record_expiry),
                in_progress_expiration: epoch_millis(in_progress_expiry),
            },
        );
        Ok(Begin::Started)
    }
}

impl RateStore for MemoryStore {
    fn admit<'a>(&'a self, call: RateCall<'a>) -> BoxFuture<'a, Result<RateDecision, RateError>> {
        let (id, end) = call.window();
        let now = call.now;
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !windows.contains_key(&id) {
            // A new window: forget the ended ones (TTL's job in DynamoDB), so memory stays bounded.
            windows.retain(|_, (_, ends)| *ends > now);
        }
        let (count, _) = windows.entry(id).or_insert((0, end));
        // The same condition as DynamoStore's: count only while under the limit.
        let decision = if *count < call.limit {
            *count += 1;
            RateDecision::Admitted
        } else {
            call.limited(end)
        };
        Box::pin(std::future::ready(Ok(decision)))
    }
}

impl LeaseStore for MemoryStore {
    fn acquire<'a>(
        &'a self,
        id: &'a str,
        holder: &'a str,
        until: SystemTime,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<Granted, LeaseError>> {
        Box::pin(std::future::ready(self.acquire_sync(
            id,
            holder,
            until,
            record_expiry,
        )))
    }

    fn release<'a>(
        &'a self,
        id: &'a str,
        holder: &'a str,
        state: Option<&'a Value>,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<(), LeaseError>> {
        Box::pin(std::future::ready(self.release_sync(
            id,
            holder,
            state,
            record_expiry,
        )))
    }
}

impl IdempotencyStore for MemoryStore {
    fn begin<'a>(
        &'a self,
        id: &'a str,
        payload_hash: &'a str,
        in_progress_expiry: SystemTime,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<Begin, IdempotencyError>> {
        let result = self.begin_sync(id, payload_hash, in_progress_expiry, record_expiry);
        Box::pin(std::future::ready(result))
    }

    fn complete<'a>(
        &'a self,
        id: &'a str,
        response: &'a StoredResponse,
        record_expiry: SystemTime,
    ) -> BoxFuture<'a, Result<(), IdempotencyError>> {
        let mut records = self.lock();
        // Like DynamoDB's UpdateItem, a missing record is created (without a validation hash, so
        // a later begin reports KeyReused rather than replaying an unverified response).
        let record = records.entry(id.to_owned()).or_insert_with(|| Record {
            status: STATUS_COMPLETED,
            validation: None,
            data: None,
            expiration: 0,
            in_progress_expiration: 0,
        });
        record.status = STATUS_COMPLETED;
        record.data = Some(response.clone());
        record.expiration = epoch_secs(record_expiry);
        drop(records);
        Box::pin(std::future::ready(Ok(())))
    }

    fn abandon<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), IdempotencyError>> {
        self.lock().remove(id);
        Box::pin(std::future::ready(Ok(())))
    }
}
