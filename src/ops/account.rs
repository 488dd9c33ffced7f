//! Who a follower or a browser is. An Official Account follower (an openid) becomes a person
//! only with a one-time bind code an admin or organizer issued for that person, or with an
//! admin's approval of their request (never for an admin or organizer); WeCom members are
//! known by their userid and never bind. Sessions are kept server-side so that they can end.

use super::{Actor, OpsError};
use crate::db::binding::{self, BindRequest};
use crate::db::people::{self, Person};
use crate::db::sessions::{self, Holder, SessionToken};
use crate::db::{audit, DbConn};
use crate::meetings::audit_action::Audit;
use crate::meetings::audit_action::AuditActor;
use crate::meetings::permissions::Duty;
use crate::meetings::{DomainError, PersonId};

/// How long an issued bind code holds.
pub const BIND_CODE_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
/// Wrong codes counted over this window…
const FAILURE_WINDOW_MS: i64 = 3600 * 1000;
/// …at most this many from one follower…
const FAILURES_PER_OPENID: i64 = 5;
/// …and this many for one person (from anyone).
const FAILURES_PER_PERSON: i64 = 10;

/// Letters and digits that cannot be misread for one another (no 0/O, 1/I): 32 of them, so
/// a random byte picks one without bias.
const CODE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn fresh_code() -> String {
    rand::random::<[u8; 8]>()
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(b % 32)]))
        .collect()
}

/// A code as typed: case and spaces do not matter.
fn normalized_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase()
}

fn follower(openid: &str) -> AuditActor {
    AuditActor::Follower(openid.to_owned())
}

/// What became of a follower's `绑定`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindOutcome {
    /// Bound now (with a valid code).
    Bound(Person),
    /// Recorded as a request: it needs the person's code, or an admin's approval.
    Pending(Person),
    /// The code was wrong or expired. An outcome, not an error: the attempt is counted and
    /// audited, and those writes must stay when the door answers with a refusal.
    WrongCode,
}

/// The active, unbound person with `employee_no`, as a follower may ask to become.
fn bindable(c: &mut DbConn, openid: &str, employee_no: &str) -> Result<Person, OpsError> {
    let person = people::by_employee_no(c, employee_no)?
        .filter(|p| p.active)
        .ok_or(OpsError::PersonNotFound)?;
    match person.openid.as_deref() {
        Some(bound) if bound == openid => Err(OpsError::AlreadyBound(person.name)),
        Some(_) => Err(OpsError::EmployeeNoTaken),
        None if people::by_openid(c, openid)?.is_some() => Err(OpsError::EmployeeNoTaken),
        None => Ok(person),
    }
}

/// Links `openid` to `person` (unbound until now); the request is settled, the person's code
/// is used up, and any session of theirs ends, since who they are changed.
fn link(
    c: &mut DbConn,
    now_ms: i64,
    actor: &AuditActor,
    openid: &str,
    person: &Person,
) -> Result<(), OpsError> {
    // The openid may be a deactivated person's (the checks before look at active people):
    // the unique index answers, as a refusal rather than a storage failure.
    match people::bind_openid(c, person.id, openid, now_ms) {
        Ok(true) => {}
        Ok(false) => return Err(OpsError::EmployeeNoTaken),
        Err(e) if super::directory::taken(&e).is_some() => return Err(OpsError::EmployeeNoTaken),
        Err(e) => return Err(e.into()),
    }
    binding::settle_requests(c, openid, person.id)?;
    binding::drop_code(c, person.id)?;
    sessions::end_all_of(c, person.id)?;
    audit::append(c, actor, Audit::Bind.about(person.id.get()), None, now_ms)?;
    tracing::info!(person_id = %person.id, "openid bound");
    Ok(())
}

/// A follower's `绑定 <工号> [绑定码]` (chat or the bind form). Without a code it becomes a
/// pending request; with the person's code it binds. Wrong codes count against the follower
/// and the person, and past the limit nothing is tried (not even a right code): refused with
/// `TooManyBindAttempts`, which writes nothing.
pub fn bind(
    c: &mut DbConn,
    now_ms: i64,
    openid: &str,
    employee_no: &str,
    code: Option<&str>,
) -> Result<BindOutcome, OpsError> {
    let person = bindable(c, openid, employee_no)?;
    let Some(code) = code.map(normalized_code).filter(|c| !c.is_empty()) else {
        binding::put_request(c, openid, person.id, now_ms)?;
        audit::append(
            c,
            &follower(openid),
            Audit::BindRequest.about(person.id.get()),
            None,
            now_ms,
        )?;
        return Ok(BindOutcome::Pending(person));
    };
    let (by_openid, for_person) =
        binding::failures_since(c, openid, person.id, now_ms - FAILURE_WINDOW_MS)?;
    if by_openid >= FAILURES_PER_OPENID || for_person >= FAILURES_PER_PERSON {
        return Err(OpsError::TooManyBindAttempts);
    }
    if !binding::take_code(c, person.id, &code, now_ms)? {
        binding::record_failure(c, openid, person.id, now_ms)?;
        audit::append(
            c,
            &follower(openid),
            Audit::BindCodeWrong.about(person.id.get()),
            None,
            now_ms,
        )?;
        tracing::warn!(person_id = %person.id, "a wrong or expired bind code");
        return Ok(BindOutcome::WrongCode);
    }
    link(c, now_ms, &follower(openid), openid, &person)?;
    Ok(BindOutcome::Bound(person))
}

/// Whether `person` carries the admin or organizer flag: their account runs the console, so it
/// is bound only with the person's own code (never by approving a request), only an admin
/// issues that code, and only an admin changes their record.
pub fn flagged(person: &Person) -> bool {
    person.is_admin || person.is_organizer
}

/// Whether `actor` may hand out `person`'s bind code: admins for anyone; organizers only for
/// staff who carry no flag (a code for an admin would be the admin's account).
fn may_issue_for(actor: Actor, person: &Person) -> bool {
    actor.is_admin() || (matches!(actor, Actor::Staff { .. }) && !flagged(person))
}

/// Whether `actor` may hand out a code for `person` now (what the console offers): an active
/// person not bound yet, whom the actor may issue for.
pub fn may_issue_code(actor: Actor, person: &Person) -> bool {
    person.active && person.openid.is_none() && may_issue_for(actor, person)
}

/// A fresh bind code for `person` (replacing an unused one), shown once.
pub fn issue_bind_code(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    person_id: PersonId,
) -> Result<(Person, String, i64), OpsError> {
    let person = people::get(c, person_id)?
        .filter(|p| p.active)
        .ok_or(OpsError::PersonNotFound)?;
    if !may_issue_for(actor, &person) {
        return Err(DomainError::NotAllowed(Duty::Administer).into());
    }
    if person.openid.is_some() {
        return Err(OpsError::EmployeeNoTaken);
    }
    issue_for(c, now_ms, actor, person)
}

/// A fresh code for `person`, whom `actor` may issue for and who is not bound yet.
fn issue_for(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    person: Person,
) -> Result<(Person, String, i64), OpsError> {
    let code = fresh_code();
    let expires = now_ms + BIND_CODE_LIFETIME_MS;
    binding::put_code(
        c,
        person.id,
        &code,
        &actor.audit_name().to_string(),
        now_ms,
        expires,
    )?;
    audit::append(
        c,
        &actor.audit_name(),
        Audit::IssueBindCode.about(person.id.get()),
        None,
        now_ms,
    )?;
    Ok((person, code, expires))
}

/// Fresh codes for every active person not bound to WeChat yet whom `actor` may issue for:
/// the roll-out export. Earlier unused codes of theirs stop working.
pub fn issue_bind_codes(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
) -> Result<Vec<(Person, String, i64)>, OpsError> {
    if !matches!(actor, Actor::Admin | Actor::Staff { .. }) {
        return Err(DomainError::NotAllowed(Duty::Administer).into());
    }
    let mut issued = Vec::new();
    for person in people::list(c, Some(true))? {
        if person.openid.is_none() && may_issue_for(actor, &person) {
            issued.push(issue_for(c, now_ms, actor, person)?);
        }
    }
    Ok(issued)
}

/// Until when `person`'s issued, unused code holds.
pub fn bind_code_expiry(c: &mut DbConn, person: PersonId) -> Result<Option<i64>, OpsError> {
    Ok(binding::code_expiry(c, person)?)
}

/// The pending requests with the person each asks to be (admins only).
pub fn bind_requests(c: &mut DbConn, actor: Actor) -> Result<Vec<(BindRequest, Person)>, OpsError> {
    actor.administers()?;
    let requests = binding::requests(c)?;
    let ids: Vec<PersonId> = requests.iter().map(|r| r.person_id).collect();
    let named = people::by_ids(c, &ids)?;
    Ok(requests
        .into_iter()
        .filter_map(|r| {
            let person = named.get(&r.person_id)?.clone();
            Some((r, person))
        })
        .collect())
}

/// An admin approves a follower's request. Never for an admin or organizer: they bind with
/// their code only.
pub fn approve_bind(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    openid: &str,
) -> Result<Person, OpsError> {
    actor.administers()?;
    let request = binding::request(c, openid)?.ok_or(OpsError::BindRequestNotFound)?;
    let person = people::get(c, request.person_id)?
        .filter(|p| p.active)
        .ok_or(OpsError::PersonNotFound)?;
    if flagged(&person) {
        return Err(OpsError::BindNeedsCode);
    }
    if person.openid.is_some() || people::by_openid(c, openid)?.is_some() {
        return Err(OpsError::EmployeeNoTaken);
    }
    link(c, now_ms, &actor.audit_name(), openid, &person)?;
    Ok(person)
}

pub fn reject_bind(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    openid: &str,
) -> Result<(), OpsError> {
    actor.administers()?;
    let request = binding::request(c, openid)?.ok_or(OpsError::BindRequestNotFound)?;
    binding::drop_request(c, openid)?;
    audit::append(
        c,
        &actor.audit_name(),
        Audit::RejectBind.about(request.person_id.get()),
        None,
        now_ms,
    )?;
    Ok(())
}

/// Whether `person` works in the organizer console: an active admin or organizer.
pub fn is_staff(person: &Person) -> bool {
    person.active && flagged(person)
}

/// The console actor for a signed-in person, as the directory says now (`is_staff`). Asked on
/// every console request, so a flag taken away takes effect at once.
pub fn staff(c: &mut DbConn, person_id: PersonId) -> Result<(Person, Actor), OpsError> {
    let person = people::get(c, person_id)?
        .filter(is_staff)
        .ok_or(OpsError::NotStaff)?;
    let actor = Actor::Staff {
        person: person.id,
        admin: person.is_admin,
    };
    Ok((person, actor))
}

/// The session lifetime settings: absolute, and since the last request.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub lifetime_ms: i64,
    pub idle_ms: i64,
}

/// Starts a session for `holder` behind a fresh random token (the cookie's value).
pub fn sign_in(
    c: &mut DbConn,
    now_ms: i64,
    rules: SessionRules,
    holder: Holder,
) -> Result<SessionToken, OpsError> {
    let token = SessionToken::fresh();
    sessions::insert(c, &token, holder, now_ms, now_ms + rules.lifetime_ms)?;
    Ok(token)
}

/// Who the session behind `token` signs in, while it holds and, for a person, while they are
/// active.
pub fn session(
    c: &mut DbConn,
    now_ms: i64,
    rules: SessionRules,
    token: &SessionToken,
) -> Result<Option<Holder>, OpsError> {
    let Some(holder) = sessions::holder(c, token, now_ms, rules.idle_ms)? else {
        return Ok(None);
    };
    if let Holder::Person(id) = holder {
        if !people::get(c, id)?.is_some_and(|p| p.active) {
            return Ok(None);
        }
    }
    Ok(Some(holder))
}

pub fn sign_out(c: &mut DbConn, token: &SessionToken) -> Result<(), OpsError> {
    Ok(sessions::end(c, token)?)
}
