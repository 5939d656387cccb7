//! A per-client token bucket: each client may make `burst` requests at once and `rate` per
//! second on average; beyond that it is told how long to wait.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// More clients than this and full buckets are forgotten.
const MAX_CLIENTS: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Token buckets by client address.
#[derive(Debug)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests a minute on average and `burst` at once;
    /// `None` when `per_minute` is 0 (no limit).
    #[must_use]
    pub fn new(per_minute: u32, burst: u32) -> Option<Self> {
        (per_minute > 0).then(|| Self {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        })
    }

    /// Takes one token for `client`.
    ///
    /// # Errors
    /// How long the client should wait before its next request.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        // A poisoned lock only means another request panicked mid-update; the map is fine.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&client) {
            let (per_second, burst) = (self.per_second, self.burst);
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * per_second < burst
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let refill = now.duration_since(bucket.updated).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_burst_then_asks_to_wait_then_refills() {
        let limiter = RateLimiter::new(60, 2).into_iter().next();
        let Some(limiter) = limiter else {
            panic!("a limit of 60 a minute is a limit");
        };
        let client: IpAddr = [127, 0, 0, 1].into();
        let start = Instant::now();
        assert_eq!(limiter.check(client, start), Ok(()));
        assert_eq!(limiter.check(client, start), Ok(()));
        let wait = limiter.check(client, start).err().unwrap_or_default();
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1));
        assert_eq!(
            limiter.check(client, start + Duration::from_secs(1)),
            Ok(())
        );
        let other: IpAddr = [127, 0, 0, 2].into();
        assert_eq!(limiter.check(other, start), Ok(()));
        assert!(RateLimiter::new(0, 10).is_none());
    }
}
