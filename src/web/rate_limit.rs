//! How often one client address may try a secret: the admin token at the console's sign-in
//! and a room screen's key. Kept in memory per instance (an attacker spreading guesses over
//! instances still meets each one's limit); the address is the TCP peer's, since a forwarded
//! header is the client's to choose.

use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// What is being tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// `POST /console/sign-in`: 5 at once, then one a second.
    AdminToken,
    /// `GET /rooms/{id}/display?key=`: 10 at once, then three a second (a screen reloads every
    /// 10 s, so many screens can share an address).
    ScreenKey,
}

pub struct Limits {
    admin_token: DefaultKeyedRateLimiter<IpAddr>,
    screen_key: DefaultKeyedRateLimiter<IpAddr>,
}

/// Forget addresses idle long enough to have their whole burst back, once this many are kept.
const KEEP_AT_MOST: usize = 10_000;

fn quota(burst: u32, per_second: u32) -> Quota {
    let n = |v: u32| NonZeroU32::new(v).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(n(per_second)).allow_burst(n(burst))
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            admin_token: DefaultKeyedRateLimiter::hashmap(quota(5, 1)),
            screen_key: DefaultKeyedRateLimiter::hashmap(quota(10, 3)),
        }
    }
}

impl Limits {
    /// Whether `client` may try `secret` now (the try is counted).
    pub fn allow(&self, secret: Secret, client: Option<IpAddr>) -> bool {
        let Some(client) = client else {
            return true;
        };
        let limiter = match secret {
            Secret::AdminToken => &self.admin_token,
            Secret::ScreenKey => &self.screen_key,
        };
        if limiter.len() > KEEP_AT_MOST {
            limiter.retain_recent();
        }
        let allowed = limiter.check_key(&client).is_ok();
        if !allowed {
            tracing::warn!(?secret, %client, "too many tries from one address");
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_refused_and_other_addresses_are_not_affected() {
        let limits = Limits::default();
        let (a, b) = (
            Some(IpAddr::from([10, 0, 0, 1])),
            Some(IpAddr::from([10, 0, 0, 2])),
        );
        let allowed = (0..50)
            .filter(|_| limits.allow(Secret::AdminToken, a))
            .count();
        assert!((5..=6).contains(&allowed), "{allowed}");
        assert!(limits.allow(Secret::AdminToken, b));
        assert!(
            limits.allow(Secret::ScreenKey, a),
            "each secret counts apart"
        );
    }
}
