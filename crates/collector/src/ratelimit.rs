//! A per-client token bucket: each client may make `burst` requests at once and `rate` per
//! second on average; beyond that it is told how long to wait. A client is its IPv4 address,
//! or its IPv6 /64 network (one customer line gets a whole /64, and could otherwise take a new
//! address for every post).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// More clients than this and full buckets are forgotten.
const MAX_CLIENTS: usize = 100_000;

/// How often, at most, the buckets are swept for full ones when there are too many.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

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
    max_clients: usize,
    buckets: Mutex<Buckets>,
}

#[derive(Debug, Default)]
struct Buckets {
    by_client: HashMap<IpAddr, Bucket>,
    /// When the buckets were last swept for full ones.
    swept: Option<Instant>,
}

/// The client a bucket is for: the IPv4 address (also when written IPv4-mapped in IPv6), or
/// the /64 network of an IPv6 address.
fn client_of(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(
            u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
        )),
        v4 => v4,
    }
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests a minute on average and `burst` at once;
    /// `None` when `per_minute` is 0 (no limit).
    #[must_use]
    pub fn new(per_minute: u32, burst: u32) -> Option<Self> {
        (per_minute > 0).then(|| Self {
            per_second: f64::from(per_minute) / 60.0,
            burst: f64::from(burst.max(1)),
            max_clients: MAX_CLIENTS,
            buckets: Mutex::new(Buckets::default()),
        })
    }

    /// Takes one token for the client at `address`.
    ///
    /// # Errors
    /// How long the client should wait before its next request. With more clients than it
    /// keeps buckets for, none of them full, a new client is asked to wait a second: the
    /// buckets are swept for full ones at most once a second, and never grow past the limit.
    pub fn check(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let client = client_of(address);
        // A poisoned lock only means another request panicked mid-update; the map is fine.
        let mut guard = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Buckets { by_client, swept } = &mut *guard;
        if by_client.len() >= self.max_clients && !by_client.contains_key(&client) {
            if swept.is_none_or(|at| now.duration_since(at) >= SWEEP_EVERY) {
                *swept = Some(now);
                let (per_second, burst) = (self.per_second, self.burst);
                by_client.retain(|_, b| {
                    b.tokens + now.duration_since(b.updated).as_secs_f64() * per_second < burst
                });
            }
            if by_client.len() >= self.max_clients {
                return Err(SWEEP_EVERY);
            }
        }
        let bucket = by_client.entry(client).or_insert(Bucket {
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
        let limiter = limiter(60, 2);
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

    /// A limiter of the tests' own constants (never 0 a minute, so always a limit); the
    /// panic is a test's failed expectation, in `#[cfg(test)]` only.
    fn limiter(per_minute: u32, burst: u32) -> RateLimiter {
        match RateLimiter::new(per_minute, burst) {
            Some(limiter) => limiter,
            None => panic!("{per_minute} a minute is a limit"),
        }
    }

    #[test]
    fn an_ipv6_client_is_its_64_network_and_a_mapped_ipv4_its_address() {
        let limiter = limiter(60, 1);
        let now = Instant::now();
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap_or(IpAddr::from([0; 16]));
        let same_line: IpAddr = "2001:db8:1:2:ffff::9"
            .parse()
            .unwrap_or(IpAddr::from([0; 16]));
        let next_line: IpAddr = "2001:db8:1:3::1".parse().unwrap_or(IpAddr::from([0; 16]));
        assert_eq!(limiter.check(one, now), Ok(()));
        assert!(
            limiter.check(same_line, now).is_err(),
            "another address of the same /64"
        );
        assert_eq!(limiter.check(next_line, now), Ok(()));
        let v4: IpAddr = [192, 0, 2, 7].into();
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap_or(IpAddr::from([0; 16]));
        assert_eq!(limiter.check(v4, now), Ok(()));
        assert!(limiter.check(mapped, now).is_err(), "the same IPv4 client");
    }

    #[test]
    fn with_too_many_clients_a_new_one_waits_and_the_map_does_not_grow() {
        let limiter = RateLimiter {
            max_clients: 3,
            ..limiter(60, 2)
        };
        let start = Instant::now();
        let client = |i: u8| IpAddr::from([198, 51, 100, i]);
        for i in 0..3 {
            assert_eq!(limiter.check(client(i), start), Ok(()));
        }
        // None of the three buckets is full again yet: the fourth client waits a second.
        assert_eq!(limiter.check(client(3), start), Err(SWEEP_EVERY));
        assert_eq!(limiter.check(client(4), start), Err(SWEEP_EVERY));
        // The clients it knows still get their tokens.
        assert_eq!(limiter.check(client(0), start), Ok(()));
        // Later the buckets are full again, and are forgotten for the new client.
        assert_eq!(
            limiter.check(client(3), start + Duration::from_secs(2)),
            Ok(())
        );
        let kept = limiter
            .buckets
            .lock()
            .map(|b| b.by_client.len())
            .unwrap_or_default();
        assert!(kept <= 3, "{kept} buckets");
    }
}
