//! Importing people from a directory export: each row creates the person or, when the
//! employee number is known, updates them; a dry run reports the same without keeping it.
//! Admins import anyone; organizers import people but grant no admin or organizer flag.

use super::{Actor, Env, OpsError};
use crate::db::people::{self, Person};
use crate::db::{audit, DbConn, DbError};
use crate::meetings::audit_action::Audit;
use crate::meetings::directory::{FieldError, NewPerson, PersonChange, PersonFields};
use crate::meetings::people_csv::CsvPerson;
use crate::meetings::permissions::Duty;
use crate::meetings::DomainError;
use crate::meetings::PersonId;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::Connection;

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// `id` is `None` in a dry run.
    Created {
        row: u64,
        id: Option<PersonId>,
    },
    /// The fields that changed, by their API names.
    Updated {
        row: u64,
        id: PersonId,
        changed: Vec<&'static str>,
    },
    Unchanged {
        row: u64,
        id: PersonId,
    },
    Invalid {
        row: u64,
        errors: Vec<FieldError>,
    },
    /// Another person already has this openid or WeCom account.
    Conflict {
        row: u64,
        message: String,
    },
}

impl RowOutcome {
    pub fn row(&self) -> u64 {
        match self {
            RowOutcome::Created { row, .. }
            | RowOutcome::Updated { row, .. }
            | RowOutcome::Unchanged { row, .. }
            | RowOutcome::Invalid { row, .. }
            | RowOutcome::Conflict { row, .. } => *row,
        }
    }
}

/// The fields of `change` that differ from `person`.
fn differences(person: &Person, change: &PersonChange) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut differs = |field, yes: bool| {
        if yes {
            changed.push(field);
        }
    };
    differs(
        "name",
        change.name.as_ref().is_some_and(|n| *n != person.name),
    );
    differs(
        "department",
        change
            .department
            .as_ref()
            .is_some_and(|d| *d != person.department),
    );
    differs(
        "openid",
        change.openid.as_ref().is_some_and(|o| *o != person.openid),
    );
    differs(
        "wecom_userid",
        change
            .wecom_userid
            .as_ref()
            .is_some_and(|w| *w != person.wecom_userid),
    );
    differs(
        "is_admin",
        change.is_admin.is_some_and(|a| a != person.is_admin),
    );
    differs(
        "is_organizer",
        change
            .is_organizer
            .is_some_and(|o| o != person.is_organizer),
    );
    changed
}

/// Why an organizer's row may not be imported: only admins touch bindings and flags (an
/// openid is who someone is in chat), and an admin's or organizer's record at all.
fn refused_to_organizer(fields: &PersonFields, known: Option<&Person>) -> Vec<FieldError> {
    let mut refused = Vec::new();
    let mut refuse = |field: &'static str, message: &str| {
        refused.push(FieldError {
            field,
            message: message.to_owned(),
        })
    };
    if fields.is_admin.is_some() || fields.is_organizer.is_some() {
        refuse(
            "is_admin",
            "only an admin grants the admin or organizer flag",
        );
    }
    if fields.openid.as_deref().is_some_and(|o| !o.is_empty()) {
        refuse("openid", "only an admin changes a WeChat binding");
    }
    if fields
        .wecom_userid
        .as_deref()
        .is_some_and(|w| !w.is_empty())
    {
        refuse("wecom_userid", "only an admin changes a WeCom binding");
    }
    if known.is_some_and(super::account::flagged) {
        refuse(
            "employee_no",
            "this is an admin or organizer: only an admin changes their record",
        );
    }
    refused
}

/// Whether `changed` touches who the person is or what they may do: their sessions end and
/// the change is audited on its own.
pub(super) fn touches_identity(changed: &[&'static str]) -> bool {
    changed
        .iter()
        .any(|f| matches!(*f, "openid" | "wecom_userid" | "is_admin" | "is_organizer"))
}

/// A unique column another person holds already, in words; `None` for other errors.
pub fn taken(e: &DbError) -> Option<String> {
    let DbError::Query(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)) = e
    else {
        return None;
    };
    let text = format!(
        "{} {}",
        info.message(),
        info.constraint_name().unwrap_or_default()
    );
    let column = ["employee_no", "openid", "wecom_userid"]
        .into_iter()
        .find(|c| text.contains(c))
        .unwrap_or("a unique field");
    Some(format!("another person already has this {column}"))
}

/// What one row asks for: someone new, or a change to a person the directory has.
enum Write<'a> {
    Add(NewPerson),
    Change(&'a Person, PersonChange),
}

fn one_row(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    person: CsvPerson,
) -> Result<RowOutcome, OpsError> {
    let row = person.row;
    let mut errors = person.errors;
    let fields: PersonFields = person.fields;
    let known = match fields.employee_no.as_deref() {
        Some(no) => people::by_employee_no(c, no)?,
        None => None,
    };
    if !actor.is_admin() {
        errors.extend(refused_to_organizer(&fields, known.as_ref()));
    }
    let write = match &known {
        None => NewPerson::parse(fields).map(Write::Add),
        Some(person) => PersonChange::for_update(PersonFields {
            employee_no: None,
            ..fields
        })
        .map(|change| Write::Change(person, change)),
    };
    let write = match write {
        Ok(write) if errors.is_empty() => write,
        Ok(_) => return Ok(RowOutcome::Invalid { row, errors }),
        Err(more) => {
            errors.extend(more);
            return Ok(RowOutcome::Invalid { row, errors });
        }
    };
    let now = env.now_ms();
    // Each row in its own (nested) transaction: a conflict undoes only that row.
    let written = c.transaction(|c| match &write {
        Write::Add(new) => people::insert(c, new, now).map(|p| RowOutcome::Created {
            row,
            id: Some(p.id),
        }),
        Write::Change(person, change) => {
            let changed = differences(person, change);
            if changed.is_empty() {
                return Ok(RowOutcome::Unchanged { row, id: person.id });
            }
            people::update(c, person.id, change, now)?;
            if touches_identity(&changed) {
                rebound(c, now, actor, person.id)?;
            }
            Ok(RowOutcome::Updated {
                row,
                id: person.id,
                changed,
            })
        }
    });
    match written {
        Ok(outcome) => Ok(outcome),
        Err(e) => match taken(&e) {
            Some(message) => Ok(RowOutcome::Conflict { row, message }),
            None => Err(e.into()),
        },
    }
}

/// A person's binding or flags changed: audited with who did it, and every session of theirs
/// ends (who they are, or what they may do, is no longer what the session was for).
pub(super) fn rebound(
    c: &mut DbConn,
    now_ms: i64,
    actor: Actor,
    person: PersonId,
) -> Result<(), DbError> {
    crate::db::sessions::end_all_of(c, person)?;
    crate::db::binding::drop_code(c, person)?;
    audit::append(
        c,
        &actor.audit_name(),
        Audit::ChangeBinding.about(person.get()),
        None,
        now_ms,
    )?;
    tracing::info!(actor = %actor.audit_name(), person_id = %person, "binding or flags changed");
    Ok(())
}

/// A dry run's outcomes, carried out of the transaction that is rolled back.
enum Undo {
    DryRun(Vec<RowOutcome>),
    Failed(OpsError),
}

impl From<DieselError> for Undo {
    fn from(e: DieselError) -> Self {
        Undo::Failed(e.into())
    }
}

/// Imports `rows` in file order (a later row sees an earlier one's person). In a dry run
/// everything is done and then undone, so the report is what a real import would say.
pub fn import(
    c: &mut DbConn,
    env: &Env,
    actor: Actor,
    rows: Vec<CsvPerson>,
    dry_run: bool,
) -> Result<Vec<RowOutcome>, OpsError> {
    if matches!(actor, Actor::Person(_)) {
        return Err(DomainError::NotAllowed(Duty::Administer).into());
    }
    let attempt = c.transaction(|c| {
        let mut outcomes = Vec::new();
        for person in rows {
            outcomes.push(one_row(c, env, actor, person).map_err(Undo::Failed)?);
        }
        if dry_run {
            return Err(Undo::DryRun(outcomes));
        }
        Ok(outcomes)
    });
    let outcomes = match attempt {
        Ok(outcomes) => outcomes,
        Err(Undo::DryRun(outcomes)) => {
            return Ok(outcomes
                .into_iter()
                .map(|o| match o {
                    RowOutcome::Created { row, .. } => RowOutcome::Created { row, id: None },
                    other => other,
                })
                .collect())
        }
        Err(Undo::Failed(e)) => return Err(e),
    };
    let written = outcomes
        .iter()
        .filter(|o| matches!(o, RowOutcome::Created { .. } | RowOutcome::Updated { .. }))
        .count();
    tracing::info!(actor = %actor.audit_name(), rows = outcomes.len(), written, "people imported");
    if written > 0 {
        audit::append(
            c,
            &actor.audit_name(),
            Audit::ImportPeople,
            None,
            env.now_ms(),
        )?;
    }
    Ok(outcomes)
}

/// The active person someone named: by employee number, or by a name only one active person
/// has. The one rule every door uses to find a colleague (a delegate, a task's owner, a role
/// on the form); when nobody fits, the nearest names are offered.
pub fn find_person(c: &mut DbConn, said: &str) -> Result<Person, OpsError> {
    let said = said.trim();
    if let Some(p) = people::by_employee_no(c, said)?.filter(|p| p.active) {
        return Ok(p);
    }
    let mut named = people::by_name(c, said)?;
    match named.len() {
        1 => return Ok(named.remove(0)),
        0 => {}
        _ => return Err(OpsError::PersonAmbiguous(said.to_owned())),
    }
    let mut near: Vec<(f64, Person)> = people::list(c, Some(true))?
        .into_iter()
        .map(|p| {
            let by_name = strsim::normalized_levenshtein(said, &p.name);
            let by_no = strsim::normalized_levenshtein(
                &said.to_ascii_uppercase(),
                &p.employee_no.to_ascii_uppercase(),
            );
            (by_name.max(by_no), p)
        })
        .filter(|(score, _)| *score >= 0.5)
        .collect();
    near.sort_by(|a, b| b.0.total_cmp(&a.0));
    Err(OpsError::PersonUnknown {
        said: said.to_owned(),
        did_you_mean: near
            .into_iter()
            .take(3)
            .map(|(_, p)| format!("{}（{}）", p.name, p.employee_no))
            .collect(),
    })
}
