//! When to try again: what an answer from the endpoint means ([`classify`]), exponential
//! backoff with jitter ([`backoff_ms`]) and the endpoint's own `Retry-After`
//! ([`retry_after_ms`]). Pure functions, tested natively.

/// How long one POST may take before it is abandoned (and retried).
pub const TIMEOUT_MS: u32 = 10_000;
/// The wait after the first failure; it doubles with each further failure.
pub const FIRST_DELAY_MS: u64 = 1_000;
/// The longest wait between two attempts (before jitter).
pub const MAX_DELAY_MS: u64 = 5 * 60_000;
/// The longest `Retry-After` honoured; a longer one is cut to this.
pub const MAX_RETRY_AFTER_MS: u64 = 24 * 60 * 60_000;

/// What an attempt's outcome means for the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The endpoint has it (2xx): remove it from the outbox.
    Delivered,
    /// A passing problem (network, timeout, 408, 429, 5xx): try again later.
    Retry,
    /// The endpoint refuses it (any other status): trying again would not help.
    Reject,
}

/// The verdict on an HTTP status; `None` is an attempt without an answer (network error,
/// timeout).
#[must_use]
pub fn classify(status: Option<u16>) -> Verdict {
    match status {
        Some(200..=299) => Verdict::Delivered,
        None | Some(408 | 429 | 500..=599) => Verdict::Retry,
        Some(_) => Verdict::Reject,
    }
}

/// The wait after the `failures`-th failed attempt (1 for the first): exponential
/// ([`FIRST_DELAY_MS`] doubling up to [`MAX_DELAY_MS`]) with "equal jitter" — half the
/// delay fixed, half random — so that many browsers recovering from the same outage do not
/// all come back at once. `random` is in `0.0..1.0`.
#[must_use]
pub fn backoff_ms(failures: u32, random: f64) -> u64 {
    let doublings = failures.saturating_sub(1).min(20);
    let delay = FIRST_DELAY_MS
        .saturating_mul(1 << doublings)
        .min(MAX_DELAY_MS);
    let half = delay / 2;
    // `random` is clamped to 0..1, so the product is within 0..=half and fits.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let jitter = (random.clamp(0.0, 1.0) * half as f64) as u64;
    half + jitter
}

/// The wait a `Retry-After` header asks for: delay-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`, read by `parse_date` into milliseconds since 1970),
/// relative to `now_ms`; at most [`MAX_RETRY_AFTER_MS`]. `None` when the value is neither.
#[must_use]
pub fn retry_after_ms(
    value: &str,
    now_ms: u64,
    parse_date: impl Fn(&str) -> Option<u64>,
) -> Option<u64> {
    let value = value.trim();
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value
            .parse::<u64>()
            .map_or(MAX_RETRY_AFTER_MS, |s| s.saturating_mul(1000))
    } else {
        parse_date(value)?.saturating_sub(now_ms)
    };
    Some(wait.min(MAX_RETRY_AFTER_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_passing_problems_are_retried() {
        assert_eq!(classify(Some(200)), Verdict::Delivered);
        assert_eq!(classify(Some(201)), Verdict::Delivered);
        assert_eq!(classify(Some(204)), Verdict::Delivered);
        for status in [None, Some(408), Some(429), Some(500), Some(502), Some(503)] {
            assert_eq!(classify(status), Verdict::Retry, "{status:?}");
        }
        for status in [400, 401, 403, 404, 409, 413, 422, 301, 0] {
            assert_eq!(classify(Some(status)), Verdict::Reject, "{status}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_half_of_it_random() {
        // Without jitter (random = 0) the wait is half the delay; with full jitter all of it.
        let low: Vec<u64> = (1..=6).map(|n| backoff_ms(n, 0.0)).collect();
        assert_eq!(low, [500, 1_000, 2_000, 4_000, 8_000, 16_000]);
        let high: Vec<u64> = (1..=6).map(|n| backoff_ms(n, 0.999_999)).collect();
        assert_eq!(high, [999, 1_999, 3_999, 7_999, 15_999, 31_999]);
        assert_eq!(backoff_ms(30, 0.0), MAX_DELAY_MS / 2);
        assert_eq!(backoff_ms(u32::MAX, 1.0), MAX_DELAY_MS);
        // Out-of-range randomness cannot push it past the bounds.
        assert_eq!(backoff_ms(1, -3.0), 500);
        assert_eq!(backoff_ms(1, 7.0), 1_000);
        // Zero failures is treated like the first.
        assert_eq!(backoff_ms(0, 0.0), 500);
    }

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        let never = |_: &str| None;
        assert_eq!(retry_after_ms("120", 0, never), Some(120_000));
        assert_eq!(retry_after_ms(" 0 ", 0, never), Some(0));
        assert_eq!(
            retry_after_ms("999999999", 0, never),
            Some(MAX_RETRY_AFTER_MS)
        );
        assert_eq!(
            retry_after_ms("99999999999999999999999", 0, never),
            Some(MAX_RETRY_AFTER_MS)
        );
        assert_eq!(retry_after_ms("soon", 0, never), None);
        assert_eq!(retry_after_ms("-5", 0, never), None);
        assert_eq!(retry_after_ms("", 0, never), None);
        let date = |_: &str| Some(10_000);
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2026 07:28:00 GMT", 4_000, date),
            Some(6_000)
        );
        // A date in the past means "now".
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 20_000, date),
            Some(0)
        );
    }
}
