//! When to try a failed send again: exponential, capped, with jitter so a burst of failures
//! does not come back as a burst.

use std::time::Duration;

/// -1 (system busy) usually clears within a second: the first retries come quickly.
const FIRST: Duration = Duration::from_millis(100);
const CAP: Duration = Duration::from_secs(15 * 60);

/// The wait after the `attempts`-th failed attempt; `unit` in [0, 1) picks the jitter
/// (the wait is between half and all of the exponential step).
pub fn delay(attempts: i32, unit: f64) -> Duration {
    let exp = attempts.clamp(1, 20) as u32 - 1;
    let step = FIRST.saturating_mul(1 << exp.min(16)).min(CAP);
    step.mul_f64(0.5 + unit.clamp(0.0, 1.0) * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_with_jitter_below_the_step() {
        assert_eq!(delay(1, 1.0), Duration::from_millis(100));
        assert_eq!(delay(1, 0.0), Duration::from_millis(50));
        assert_eq!(delay(3, 1.0), Duration::from_millis(400));
        assert_eq!(delay(14, 1.0), Duration::from_millis(819_200));
        assert_eq!(delay(30, 1.0), CAP);
        assert!(delay(4, 0.3) < delay(4, 0.9));
    }
}
