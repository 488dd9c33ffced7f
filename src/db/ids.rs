//! Ids and instants are typed both ways: a column of ids deserialises straight into the
//! domain's id (`MeetingId`, `PersonId`, …), a non-positive value there being a corrupt row,
//! reported as such; and a query binds the id itself (`m::id.eq(id)`), never a bare number that
//! could be another kind of id. A column of milliseconds reads likewise into a `Stamp`, a value
//! no date can carry being a corrupt row.

use crate::meetings::ids::*;
use crate::meetings::stamp::Stamp;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{BigInt, SingleValue};

macro_rules! read_and_bound_as_bigint {
    ($($name:ident),* $(,)?) => {$(
        impl<DB> FromSql<BigInt, DB> for $name
        where
            DB: Backend,
            i64: FromSql<BigInt, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let raw = i64::from_sql(bytes)?;
                Ok($name::new(raw).map_err(|e| format!("corrupt row: {e}"))?)
            }
        }

        impl<DB> ToSql<BigInt, DB> for $name
        where
            DB: Backend,
            i64: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.raw().to_sql(out)
            }
        }

        impl<DB, ST> Queryable<ST, DB> for $name
        where
            DB: Backend,
            ST: SingleValue,
            Self: FromSql<ST, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }
    )*};
}

read_and_bound_as_bigint!(
    MeetingId,
    PersonId,
    RoomId,
    ActionItemId,
    EntryId,
    MaterialId,
    TopicId,
    SeriesId,
    MilestoneId,
    ChecklistItemId,
    QuestionId,
    HelpRequestId,
    JobId,
    OutboxId,
    DeferredReplyId,
    Stamp,
);

macro_rules! storage_id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[derive(diesel::expression::AsExpression)]
        #[diesel(sql_type = BigInt)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub fn new(raw: i64) -> Result<Self, String> {
                if raw > 0 {
                    Ok(Self(raw))
                } else {
                    Err(format!("bad id {raw}"))
                }
            }

            pub fn get(self) -> i64 {
                self.0
            }

            pub fn raw(&self) -> &i64 {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

storage_id!(
    /// A scheduler job.
    JobId,
    /// A message waiting in (or sent from) the outbox.
    OutboxId,
    /// A reply that missed the webhook's deadline, queued for delivery.
    DeferredReplyId,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{DbConn, DbError};
    use diesel::dsl::sql;
    use diesel::prelude::*;

    #[test]
    fn a_stored_id_that_cannot_be_one_is_a_corrupt_row() {
        let sqlite = diesel::SqliteConnection::establish(":memory:").unwrap();
        // Through the multi-backend connection, as most queries run.
        let mut c = DbConn::Sqlite(sqlite);
        let read = |c: &mut DbConn, raw: &str| {
            diesel::select(sql::<BigInt>(raw))
                .get_result::<MeetingId>(c)
                .map_err(DbError::from)
        };
        assert_eq!(read(&mut c, "12").unwrap().get(), 12);
        let err = read(&mut c, "0").unwrap_err();
        assert!(matches!(err, DbError::Corrupt(_)), "{err}");
        let nullable = diesel::select(sql::<diesel::sql_types::Nullable<BigInt>>("NULL"))
            .get_result::<Option<PersonId>>(&mut c)
            .unwrap();
        assert_eq!(nullable, None);
    }
}
