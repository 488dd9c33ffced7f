//! Check-in codes: a meeting id signed by the server, shown as a QR code in the room. Only a
//! code we signed checks anyone in, and only within the check-in window.

use super::ids::MeetingId;
use super::schedule::TimeRange;
use super::DomainError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PREFIX: &str = "ci-";
/// 128 bits of the HMAC keeps the code short enough for a QR_STR_SCENE (64 characters).
const TAG_BYTES: usize = 16;

/// Check-in opens this long before the start and closes at the end.
pub fn opens_before() -> Duration {
    Duration::minutes(30)
}

/// The key that signs check-in codes. Never printed.
#[derive(Clone)]
pub struct CheckinKey(Vec<u8>);

impl std::fmt::Debug for CheckinKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CheckinKey(..)")
    }
}

impl CheckinKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.to_vec())
    }

    fn mac(&self, meeting: MeetingId) -> Hmac<Sha256> {
        // new_from_slice accepts keys of any length for HMAC.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(format!("huiwu-checkin:{meeting}").as_bytes());
        mac
    }

    /// `ci-<meeting id>-<tag>`, e.g. `ci-12-3q2+7w…` (URL-safe base64).
    pub fn code(&self, meeting: MeetingId) -> String {
        let tag = self.mac(meeting).finalize().into_bytes();
        format!(
            "{PREFIX}{meeting}-{}",
            URL_SAFE_NO_PAD.encode(&tag[..TAG_BYTES])
        )
    }

    /// The meeting a code names, if we signed it.
    pub fn verify(&self, code: &str) -> Result<VerifiedCode, DomainError> {
        let forged = || DomainError::ForgedCheckinCode;
        let rest = code.trim().strip_prefix(PREFIX).ok_or_else(forged)?;
        let (id, tag) = rest.split_once('-').ok_or_else(forged)?;
        let meeting: MeetingId = id.parse().map_err(|_| forged())?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| forged())?;
        if tag.len() != TAG_BYTES {
            return Err(forged());
        }
        self.mac(meeting)
            .verify_truncated_left(&tag)
            .map_err(|_| forged())?;
        Ok(VerifiedCode(meeting))
    }
}

/// A check-in code whose signature (and, for a screen's code, age) was checked: only this
/// module makes one, so a check-in "by code" cannot be claimed without a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedCode(MeetingId);

impl VerifiedCode {
    /// The meeting the code names.
    pub fn meeting(self) -> MeetingId {
        self.0
    }
}

/// A room screen shows a new code every `ROTATE_SECS`; a code is good for `ROTATING_LIFETIME`
/// after it was shown, so a photo of the screen sent to a group chat soon stops working.
pub const ROTATE_SECS: i64 = 30;
const ROTATING_LIFETIME_SECS: i64 = 60;
const ROTATING_PREFIX: &str = "r";

impl CheckinKey {
    fn rotating_mac(&self, meeting: MeetingId, shown_at: i64) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(format!("huiwu-rotating:{meeting}:{shown_at}").as_bytes());
        mac
    }

    /// The screen's code at `now`: `r<meeting>-<shown at, unix s>-<tag>`, the time on a
    /// `ROTATE_SECS` step so every screen of a room shows the same code.
    pub fn rotating(&self, meeting: MeetingId, now: DateTime<Utc>) -> String {
        let shown_at = now.timestamp() - now.timestamp().rem_euclid(ROTATE_SECS);
        let tag = self.rotating_mac(meeting, shown_at).finalize().into_bytes();
        format!(
            "{ROTATING_PREFIX}{meeting}-{shown_at}-{}",
            URL_SAFE_NO_PAD.encode(&tag[..TAG_BYTES])
        )
    }

    /// The meeting a screen's code names, if we signed it and it is still good at `now`.
    pub fn verify_rotating(
        &self,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<VerifiedCode, DomainError> {
        let forged = || DomainError::ForgedCheckinCode;
        let rest = code.strip_prefix(ROTATING_PREFIX).ok_or_else(forged)?;
        let mut parts = rest.splitn(3, '-');
        let meeting: MeetingId = parts
            .next()
            .and_then(|m| m.parse().ok())
            .ok_or_else(forged)?;
        let shown_at: i64 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(forged)?;
        let tag = parts
            .next()
            .and_then(|t| URL_SAFE_NO_PAD.decode(t).ok())
            .filter(|t| t.len() == TAG_BYTES)
            .ok_or_else(forged)?;
        self.rotating_mac(meeting, shown_at)
            .verify_truncated_left(&tag)
            .map_err(|_| forged())?;
        let age = now.timestamp() - shown_at;
        if !(0..=ROTATING_LIFETIME_SECS).contains(&age) {
            return Err(DomainError::CheckinCodeExpired);
        }
        Ok(VerifiedCode(meeting))
    }
}

/// Whether check-in is open at `now` for a meeting over `span`.
pub fn check_window(span: &TimeRange, now: DateTime<Utc>) -> Result<(), DomainError> {
    let opens = span.start() - opens_before();
    if now < opens {
        return Err(DomainError::CheckinNotOpen(opens));
    }
    if now >= span.end() {
        return Err(DomainError::CheckinClosed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn id(n: i64) -> MeetingId {
        MeetingId::new(n).unwrap()
    }

    #[test]
    fn codes_verify_only_with_our_key_and_for_their_meeting() {
        let key = CheckinKey::new(b"secret");
        let code = key.code(id(12));
        assert!(code.starts_with("ci-12-") && code.len() <= 64, "{code}");
        assert_eq!(key.verify(&code).map(VerifiedCode::meeting), Ok(id(12)));
        let other = CheckinKey::new(b"other secret");
        assert_eq!(other.verify(&code), Err(DomainError::ForgedCheckinCode));
        let moved = code.replacen("ci-12-", "ci-13-", 1);
        assert_eq!(key.verify(&moved), Err(DomainError::ForgedCheckinCode));
        let short = &code[..code.len() - 4];
        assert_eq!(key.verify(short), Err(DomainError::ForgedCheckinCode));
        for junk in ["", "ci-", "ci-12", "ci-x-abc", "hello", "ci-12-!!!"] {
            assert_eq!(key.verify(junk), Err(DomainError::ForgedCheckinCode));
        }
    }

    #[test]
    fn the_window_runs_from_half_an_hour_before_until_the_end() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 1, 30, 0).unwrap();
        let span = TimeRange::new(start, start + Duration::hours(1)).unwrap();
        assert_eq!(
            check_window(&span, start - Duration::minutes(31)),
            Err(DomainError::CheckinNotOpen(start - Duration::minutes(30)))
        );
        assert!(check_window(&span, start - Duration::minutes(30)).is_ok());
        assert!(check_window(&span, start + Duration::minutes(59)).is_ok());
        assert_eq!(
            check_window(&span, start + Duration::hours(1)),
            Err(DomainError::CheckinClosed)
        );
    }

    #[test]
    fn a_screen_code_is_good_for_a_minute_after_it_was_shown() {
        let key = CheckinKey::new(b"secret");
        let shown = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 10).unwrap();
        let code = key.rotating(id(12), shown);
        assert!(code.starts_with("r12-"), "{code}");
        assert_eq!(
            code,
            key.rotating(id(12), shown + Duration::seconds(15)),
            "same step"
        );
        assert_ne!(
            code,
            key.rotating(id(12), shown + Duration::seconds(25)),
            "next step"
        );
        assert_eq!(
            key.verify_rotating(&code, shown + Duration::seconds(50))
                .map(VerifiedCode::meeting),
            Ok(id(12))
        );
        assert_eq!(
            key.verify_rotating(&code, shown + Duration::seconds(61)),
            Err(DomainError::CheckinCodeExpired)
        );
        let other = code.replacen("r12-", "r13-", 1);
        assert_eq!(
            key.verify_rotating(&other, shown),
            Err(DomainError::ForgedCheckinCode)
        );
        assert_eq!(
            CheckinKey::new(b"other").verify_rotating(&code, shown),
            Err(DomainError::ForgedCheckinCode)
        );
    }
}
