//! Secret calendar feed URLs: `/calendar/<person>-<tag>.ics`, the tag an HMAC over the person
//! and the feed's generation. Nothing secret is stored (the same URL can be shown again), and
//! revoking moves the generation on, so every URL handed out before stops working.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::ids::{MaterialId, PersonId};

/// 128 bits: not guessable, short enough to paste.
const TAG_BYTES: usize = 16;

/// The key that signs feed URLs. Never printed.
#[derive(Clone)]
pub struct FeedKey(Vec<u8>);

impl std::fmt::Debug for FeedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FeedKey(..)")
    }
}

/// A feed token as it arrives, parsed but not yet checked against the person's generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedToken {
    pub person_id: PersonId,
    tag: Vec<u8>,
}

impl FeedToken {
    /// `<person>-<tag>`; `None` for anything else.
    pub fn parse(token: &str) -> Option<Self> {
        let (person, tag) = token.split_once('-')?;
        let person_id = PersonId::new(person.parse().ok()?).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        (tag.len() == TAG_BYTES).then_some(Self { person_id, tag })
    }
}

impl FeedKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(secret.to_vec())
    }

    fn mac(&self, person_id: PersonId, generation: i32) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(format!("huiwu-calendar:{person_id}:{generation}").as_bytes());
        mac
    }

    /// The token of the person's feed at this generation.
    pub fn token(&self, person_id: PersonId, generation: i32) -> String {
        let tag = self.mac(person_id, generation).finalize().into_bytes();
        format!("{person_id}-{}", URL_SAFE_NO_PAD.encode(&tag[..TAG_BYTES]))
    }

    /// Whether `token` is the person's current one (compared in constant time).
    pub fn verify(&self, token: &FeedToken, generation: i32) -> bool {
        self.mac(token.person_id, generation)
            .verify_truncated_left(&token.tag)
            .is_ok()
    }
}

/// Where feed URLs point: the key and the service's public URL.
#[derive(Debug, Clone)]
pub struct FeedLinks {
    pub key: FeedKey,
    /// `server.public_url`, without a trailing slash.
    pub base: String,
}

/// How long a material link names its reader: a link forwarded to someone else stops
/// counting as the original reader's read after this; every notice and chat answer gives a
/// fresh one.
pub const MATERIAL_LINK_DAYS: i64 = 30;

/// What a material link says, once its signature is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaterialLink {
    Valid(MaterialId, PersonId),
    /// Genuine, but past its expiry.
    Expired,
}

impl FeedKey {
    fn material_mac(
        &self,
        material_id: MaterialId,
        person_id: PersonId,
        expires: i64,
    ) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(format!("huiwu-material:{material_id}:{person_id}:{expires}").as_bytes());
        mac
    }

    /// What `token` (`<material>-<person>-<expires>-<tag>`, the expiry in Unix seconds) says,
    /// if this key made it.
    pub fn material_reader(&self, token: &str, now: DateTime<Utc>) -> Option<MaterialLink> {
        let mut parts = token.splitn(4, '-');
        let material = MaterialId::new(parts.next()?.parse().ok()?).ok()?;
        let person = PersonId::new(parts.next()?.parse().ok()?).ok()?;
        let expires: i64 = parts.next()?.parse().ok()?;
        let tag = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        let genuine = tag.len() == TAG_BYTES
            && self
                .material_mac(material, person, expires)
                .verify_truncated_left(&tag)
                .is_ok();
        genuine.then_some(if expires > now.timestamp() {
            MaterialLink::Valid(material, person)
        } else {
            MaterialLink::Expired
        })
    }
}

impl FeedLinks {
    /// A material's link for one person, good for `MATERIAL_LINK_DAYS` from `now`: opening
    /// it goes through huiwu, which records the read (participants only) and sends them on to
    /// the material.
    pub fn material(
        &self,
        material_id: MaterialId,
        person_id: PersonId,
        now: DateTime<Utc>,
    ) -> String {
        let expires = (now + chrono::Duration::days(MATERIAL_LINK_DAYS)).timestamp();
        let tag = self
            .key
            .material_mac(material_id, person_id, expires)
            .finalize()
            .into_bytes();
        format!(
            "{}/materials/{material_id}-{person_id}-{expires}-{}",
            self.base,
            URL_SAFE_NO_PAD.encode(&tag[..TAG_BYTES])
        )
    }

    pub fn url(&self, person_id: PersonId, generation: i32) -> String {
        format!(
            "{}/calendar/{}.ics",
            self.base,
            self.key.token(person_id, generation)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i64) -> PersonId {
        PersonId::new(id).unwrap()
    }

    #[test]
    fn a_token_verifies_until_its_generation_moves_on() {
        let key = FeedKey::new(b"secret");
        let token = FeedToken::parse(&key.token(p(7), 0)).unwrap();
        assert_eq!(token.person_id, p(7));
        assert!(key.verify(&token, 0));
        assert!(!key.verify(&token, 1), "revoked");
        assert!(!FeedKey::new(b"other").verify(&token, 0));
    }

    #[test]
    fn another_persons_id_with_a_valid_tag_is_refused() {
        let key = FeedKey::new(b"secret");
        let mine = key.token(p(7), 0);
        let (_, tag) = mine.split_once('-').unwrap();
        let theirs = FeedToken::parse(&format!("8-{tag}")).unwrap();
        assert!(!key.verify(&theirs, 0));
    }

    #[test]
    fn a_material_link_names_its_reader_and_cannot_be_moved_to_another() {
        let links = FeedLinks {
            key: FeedKey::new(b"secret"),
            base: "https://h.example".into(),
        };
        let material = MaterialId::new(12).unwrap();
        let now = chrono::TimeZone::timestamp_opt(&Utc, 1_800_000_000, 0).unwrap();
        let url = links.material(material, p(7), now);
        let token = url.rsplit('/').next().unwrap();
        let valid = Some(MaterialLink::Valid(material, p(7)));
        assert_eq!(links.key.material_reader(token, now), valid);
        let late = now + chrono::Duration::days(MATERIAL_LINK_DAYS);
        assert_eq!(
            links.key.material_reader(token, late),
            Some(MaterialLink::Expired)
        );
        let parts: Vec<&str> = token.splitn(4, '-').collect();
        let (expires, tag) = (parts[2], parts[3]);
        assert_eq!(
            links
                .key
                .material_reader(&format!("12-8-{expires}-{tag}"), now),
            None
        );
        let longer = format!("12-7-{}-{tag}", late.timestamp() + 1);
        assert_eq!(
            links.key.material_reader(&longer, late),
            None,
            "the expiry is signed"
        );
        assert_eq!(links.key.material_reader("12-7-1-AAAA", now), None);
    }

    #[test]
    fn malformed_tokens_do_not_parse() {
        for bad in [
            "",
            "7",
            "7-",
            "x-abc",
            "0-AAAAAAAAAAAAAAAAAAAAAA",
            "7-AAAA",
            "-7-AAAA",
        ] {
            assert_eq!(FeedToken::parse(bad), None, "{bad}");
        }
    }
}
