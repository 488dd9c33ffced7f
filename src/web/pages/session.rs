//! Who is reading: a signed cookie naming the person, set after web authorisation, and the
//! CSRF token every form carries, derived from that cookie (nothing stored server-side).

use super::error::PageError;
use super::Pages;
use crate::meetings::PersonId;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::future::{ready, Ready};
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "huiwu_session";
/// A working day in WeChat's browser; after that the silent authorisation runs again.
pub const LIFETIME_MS: i64 = 12 * 3600 * 1000;

/// The key that signs sessions, CSRF tokens and login states. Never printed.
#[derive(Clone)]
pub struct PageKey(Vec<u8>);

impl std::fmt::Debug for PageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageKey(..)")
    }
}

impl PageKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.to_vec())
    }

    fn mac(&self, what: &str) -> [u8; 16] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(what.as_bytes());
        let mut tag = [0u8; 16];
        tag.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        tag
    }

    /// 128 bits of HMAC-SHA256 over `what`, URL-safe.
    pub fn tag(&self, what: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(what))
    }

    /// 64 bits of it in hex: for the OAuth `state`, which WeChat wants as letters and digits.
    pub fn hex_tag(&self, what: &str) -> String {
        hex::encode(&self.mac(what)[..8])
    }

    /// Whether `tag` is ours for `what` (compared in constant time).
    pub fn verify(&self, what: &str, tag: &str) -> bool {
        bool::from(self.tag(what).as_bytes().ct_eq(tag.as_bytes()))
    }
}

/// A signed-in reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub person_id: PersonId,
    pub expires_ms: i64,
}

impl Session {
    fn payload(&self) -> String {
        format!("{}.{}", self.person_id, self.expires_ms)
    }

    pub fn cookie_value(&self, key: &PageKey) -> String {
        let payload = self.payload();
        format!("{payload}.{}", key.tag(&format!("session:{payload}")))
    }

    pub fn parse(value: &str, key: &PageKey, now_ms: i64) -> Option<Session> {
        let mut parts = value.splitn(3, '.');
        let person_id = PersonId::new(parts.next()?.parse().ok()?).ok()?;
        let expires_ms: i64 = parts.next()?.parse().ok()?;
        let tag = parts.next()?;
        let session = Session {
            person_id,
            expires_ms,
        };
        (key.verify(&format!("session:{}", session.payload()), tag) && expires_ms > now_ms)
            .then_some(session)
    }

    pub fn cookie(&self, key: &PageKey, secure: bool) -> Cookie<'static> {
        Cookie::build(COOKIE, self.cookie_value(key))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .max_age(actix_web::cookie::time::Duration::milliseconds(LIFETIME_MS))
            .finish()
    }

    /// The token forms carry: bound to this session, so a page of another reader's (or a
    /// forged form elsewhere) cannot post as this one.
    pub fn csrf(&self, key: &PageKey) -> String {
        key.tag(&format!("csrf:{}", self.payload()))
    }

    pub fn check_csrf(&self, key: &PageKey, token: &str) -> Result<(), PageError> {
        if key.verify(&format!("csrf:{}", self.payload()), token) {
            Ok(())
        } else {
            Err(PageError::Csrf)
        }
    }
}

/// The reader's session, if the request carries a valid one.
pub struct Reader(pub Option<Session>);

impl Session {
    /// The session, while the person it names is still active: a deactivated person is out at
    /// once, as in chat, not when the cookie expires.
    pub async fn still_active(self, db: &crate::db::Db) -> Result<Session, PageError> {
        let id = self.person_id;
        let active = db
            .run(move |c| Ok(crate::db::people::get(c, id)?.is_some_and(|p| p.active)))
            .await?;
        if active {
            Ok(self)
        } else {
            Err(PageError::SignedOut)
        }
    }
}

impl Reader {
    /// The session behind a posted form whose CSRF token is this session's, while its person
    /// is active.
    pub async fn posting(
        self,
        key: &PageKey,
        db: &crate::db::Db,
        token: &str,
    ) -> Result<Session, PageError> {
        let session = self.0.ok_or(PageError::Csrf)?;
        session.check_csrf(key, token)?;
        session.still_active(db).await
    }
}

impl FromRequest for Reader {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = req.app_data::<web::Data<Pages>>().and_then(|pages| {
            let cookie = req.cookie(COOKIE)?;
            Session::parse(cookie.value(), &pages.key, pages.now_ms())
        });
        ready(Ok(Reader(session)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_what_we_signed_and_only_until_it_expires() {
        let key = PageKey::new(b"k");
        let s = Session {
            person_id: PersonId::new(7).unwrap(),
            expires_ms: 1_000,
        };
        let value = s.cookie_value(&key);
        assert_eq!(Session::parse(&value, &key, 999), Some(s));
        assert_eq!(Session::parse(&value, &key, 1_000), None, "expired");
        assert_eq!(
            Session::parse(&value.replacen('7', "8", 1), &key, 0),
            None,
            "another person"
        );
        assert_eq!(Session::parse(&value, &PageKey::new(b"other"), 0), None);
        assert!(s.check_csrf(&key, &s.csrf(&key)).is_ok());
        let other = Session {
            person_id: PersonId::new(8).unwrap(),
            expires_ms: 1_000,
        };
        assert!(other.check_csrf(&key, &s.csrf(&key)).is_err());
    }
}
