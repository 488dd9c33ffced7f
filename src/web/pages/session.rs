//! Who is reading: a cookie holding a random session token, set after web authorisation and
//! kept server-side (`ops::account`), so that signing out, a binding or flag change and
//! deactivation end it at once; and the CSRF token every form carries, derived from it.

use super::error::PageError;
use super::Pages;
use crate::db::sessions::SessionToken;
use crate::meetings::PersonId;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
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

/// A signed-in reader: the person, and the session's token, from which the CSRF token that
/// every form carries is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub person_id: PersonId,
    token: SessionToken,
}

impl Session {
    /// The token forms carry: bound to this session, so a page of another reader's (or a
    /// forged form elsewhere) cannot post as this one.
    pub fn csrf(&self, key: &PageKey) -> String {
        csrf_of(key, &self.token)
    }

    pub fn check_csrf(&self, key: &PageKey, token: &str) -> Result<(), PageError> {
        check_csrf_of(key, &self.token, token)
    }

    pub fn token(&self) -> &SessionToken {
        &self.token
    }

    /// A session the store has just vouched for.
    pub(super) fn restore(person_id: PersonId, token: SessionToken) -> Session {
        Session { person_id, token }
    }
}

pub fn csrf_of(key: &PageKey, session_token: &SessionToken) -> String {
    key.tag(&format!("csrf:{session_token}"))
}

pub fn check_csrf_of(
    key: &PageKey,
    session_token: &SessionToken,
    token: &str,
) -> Result<(), PageError> {
    if key.verify(&format!("csrf:{session_token}"), token) {
        Ok(())
    } else {
        Err(PageError::Csrf)
    }
}

/// A cookie that holds a session token (`name` on `path`); Lax so that a link from a chat
/// message arrives signed in, Strict for the built-in administrator's.
pub fn cookie(
    name: &'static str,
    path: &'static str,
    token: SessionToken,
    same_site: SameSite,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build(name, token.to_string())
        .path(path)
        .http_only(true)
        .same_site(same_site)
        .secure(secure)
        .max_age(actix_web::cookie::time::Duration::milliseconds(LIFETIME_MS))
        .finish()
}

/// The cookie that tells the browser to forget `name`.
pub fn removal(name: &'static str, path: &'static str) -> Cookie<'static> {
    let mut gone = Cookie::build(name, "")
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    gone.make_removal();
    gone
}

/// Starts a session for `holder`: its cookie's token.
pub async fn start(
    pages: &Pages,
    db: &crate::db::Db,
    holder: crate::db::sessions::Holder,
) -> Result<SessionToken, PageError> {
    let (now, rules) = (pages.now_ms(), pages.session_rules);
    Ok(crate::ops::run(db, move |c| {
        crate::ops::account::sign_in(c, now, rules, holder)
    })
    .await?)
}

/// The session cookie a request carries, not checked yet (that takes the database).
pub struct Reader(Option<SessionToken>);

impl Reader {
    /// The reader's session, if the cookie names one that holds and its person is active.
    pub async fn session(
        self,
        pages: &Pages,
        db: &crate::db::Db,
    ) -> Result<Option<Session>, PageError> {
        let Some(token) = self.0 else {
            return Ok(None);
        };
        let (now, rules) = (pages.now_ms(), pages.session_rules);
        let holder = crate::ops::run(db, move |c| {
            crate::ops::account::session(c, now, rules, &token)
        })
        .await?;
        Ok(match holder {
            Some(crate::db::sessions::Holder::Person(person_id)) => {
                Some(Session { person_id, token })
            }
            _ => None,
        })
    }

    /// The session behind a posted form whose CSRF token is this session's (checked before the
    /// database is asked).
    pub async fn posting(
        self,
        pages: &Pages,
        db: &crate::db::Db,
        csrf: &str,
    ) -> Result<Session, PageError> {
        let token = self.0.ok_or(PageError::Csrf)?;
        check_csrf_of(&pages.key, &token, csrf)?;
        self.session(pages, db).await?.ok_or(PageError::SignedOut)
    }
}

impl FromRequest for Reader {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Reader(
            req.cookie(COOKIE)
                .and_then(|c| SessionToken::parse(c.value())),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csrf_token_is_bound_to_its_session() {
        let key = PageKey::new(b"k");
        let (a, b) = (SessionToken::fresh(), SessionToken::fresh());
        let token = csrf_of(&key, &a);
        assert!(check_csrf_of(&key, &a, &token).is_ok());
        assert!(check_csrf_of(&key, &b, &token).is_err());
        assert!(check_csrf_of(&PageKey::new(b"other"), &a, &token).is_err());
        assert_eq!(SessionToken::parse(&a.to_string()), Some(a));
        assert_eq!(SessionToken::parse("short"), None);
    }
}
