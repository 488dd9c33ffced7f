//! Stored instants are typed both ways, as ids are (`ids.rs`): a column of milliseconds reads
//! straight into the domain's `Stamp`, a value no date can carry being a corrupt row, and a
//! query binds the `Stamp` itself.

use crate::meetings::stamp::Stamp;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{BigInt, SingleValue};

impl<DB> FromSql<BigInt, DB> for Stamp
where
    DB: Backend,
    i64: FromSql<BigInt, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        let raw = i64::from_sql(bytes)?;
        Ok(Stamp::try_from(raw).map_err(|e| format!("corrupt row: {e}"))?)
    }
}

impl<DB> ToSql<BigInt, DB> for Stamp
where
    DB: Backend,
    i64: ToSql<BigInt, DB>,
{
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
        self.stored().to_sql(out)
    }
}

impl<DB, ST> Queryable<ST, DB> for Stamp
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
