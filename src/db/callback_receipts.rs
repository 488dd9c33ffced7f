//! One row per callback delivery WeChat may retry. The first delivery claims the row, runs the
//! router and records the reply; a retry finds the row and reuses that reply.
//!
//! These run on every callback, so each is compiled per backend (`on_backend!`): diesel caches
//! prepared statements for concrete connections, not for queries through the multi-backend.

use super::schema::callback_receipts::dsl as r;
use super::{on_backend, DbConn, DbError};
use diesel::backend::Backend;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::DatabaseErrorKind;
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, HasSqlType, Nullable, Text};
use diesel::PgConnection;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This caller owns the delivery and must run the handler, then `complete`.
    Owned,
    /// Handled before: answer with the stored reply (`None` = `success`).
    Done { reply: Option<String> },
    /// Another caller is handling it right now.
    InFlight,
}

/// claim_token, claimed_at, completed_at, reply, replied_later
type ReceiptRow = (String, i64, Option<i64>, Option<String>, bool);

pub struct ClaimRequest<'a> {
    pub channel: &'a str,
    pub dedupe_key: &'a str,
    pub token: &'a str,
    pub now_ms: i64,
    /// A claim older than this is presumed dead (its instance crashed) and is taken over.
    pub lease_ms: i64,
}

pub fn claim(conn: &mut DbConn, req: &ClaimRequest<'_>) -> Result<Claim, DbError> {
    let open = Completion {
        channel: req.channel,
        dedupe_key: req.dedupe_key,
        token: req.token,
        reply: None,
        replied_later: false,
        now_ms: req.now_ms,
    };
    if insert_receipt(conn, &open, None)? {
        return Ok(Claim::Owned);
    }
    let row: Option<ReceiptRow> = on_backend!(conn, |c| r::callback_receipts
        .filter(r::channel.eq(req.channel))
        .filter(r::dedupe_key.eq(req.dedupe_key))
        .select((
            r::claim_token,
            r::claimed_at,
            r::completed_at,
            r::reply,
            r::replied_later,
        ))
        .first(c)
        .optional())?;
    let Some((old_token, claimed_at, completed_at, reply, replied_later)) = row else {
        // Pruned between our insert and select: the next poll inserts afresh.
        return Ok(Claim::InFlight);
    };
    if completed_at.is_some() {
        return Ok(Claim::Done {
            reply: reply.filter(|_| !replied_later),
        });
    }
    if req.now_ms - claimed_at > req.lease_ms {
        let taken = on_backend!(conn, |c| diesel::update(
            r::callback_receipts
                .filter(r::channel.eq(req.channel))
                .filter(r::dedupe_key.eq(req.dedupe_key))
                .filter(r::claim_token.eq(&old_token))
                .filter(r::completed_at.is_null()),
        )
        .set((r::claim_token.eq(req.token), r::claimed_at.eq(req.now_ms)))
        .execute(c))?;
        if taken == 1 {
            tracing::warn!(
                channel = req.channel,
                dedupe_key = req.dedupe_key,
                "took over a stale callback claim; its handler presumably died"
            );
            return Ok(Claim::Owned);
        }
    }
    Ok(Claim::InFlight)
}

/// The savepoint `begin_with_claim` leaves after the claim: a refused change is undone back to
/// it, so the claim stays and the refusal is recorded in the same transaction.
const CHANGE_SAVEPOINT: &str = "huiwu_change";

/// PostgreSQL: opens the callback's transaction, claims the delivery and sets the savepoint
/// the change runs after, in one round trip (sent together), where `claim` inside a
/// transaction costs two. Returns whether this caller owns the delivery inside the open
/// transaction, which it then ends with `complete_and_commit`, `commit` or `rollback`. `false` leaves no transaction open: the delivery was
/// claimed before (a concurrent retry's insert waits for the first one's commit and then
/// fails on the unique key), or a value would need quoting; either way the caller takes the
/// ordinary path (`claim` in a transaction), which reads the reply that stands.
pub fn begin_with_claim(pg: &mut PgConnection, req: &ClaimRequest<'_>) -> Result<bool, DbError> {
    let Some([channel, key, token]) = receipt_literals(req.channel, req.dedupe_key, req.token)
    else {
        return Ok(false);
    };
    // `callback_claim` (a function, so that its INSERT is planned once per connection) inserts
    // without `ON CONFLICT`: a duplicate fails on the unique key.
    let sql = format!(
        "BEGIN; SELECT callback_claim({channel}, {key}, {token}, {}); SAVEPOINT {CHANGE_SAVEPOINT}",
        req.now_ms
    );
    match AnsiTransactionManager::begin_transaction_sql(pg, &sql) {
        Ok(()) => Ok(true),
        Err(e) => {
            // The BEGIN went through even when the INSERT did not: end that transaction.
            pg.batch_execute("ROLLBACK")?;
            match e {
                diesel::result::Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                    Ok(false)
                }
                other => Err(other.into()),
            }
        }
    }
}

type Transactions = <DbConn as Connection>::TransactionManager;

/// Commits the transaction `begin_with_claim` opened.
pub fn commit(conn: &mut DbConn) -> Result<(), DbError> {
    Ok(Transactions::commit_transaction(conn)?)
}

/// Rolls back the transaction `begin_with_claim` opened (the claim goes with it, so WeChat's
/// next retry runs the command again).
pub fn rollback(conn: &mut DbConn) -> Result<(), DbError> {
    Ok(Transactions::rollback_transaction(conn)?)
}

/// In the transaction `begin_with_claim` opened: undoes the change's writes, keeping the claim
/// (what `complete_and_commit` does in the same round trip for a refused change).
pub fn undo_change(conn: &mut DbConn) -> Result<(), DbError> {
    Ok(conn.batch_execute(&format!("ROLLBACK TO SAVEPOINT {CHANGE_SAVEPOINT}"))?)
}

/// What a change that ran after `begin_with_claim` came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeEnd {
    /// Its writes stand.
    Kept,
    /// Refused: its writes are undone before the reply is recorded.
    Undone,
}

/// The receipt's key and token as literals. Statements sent together travel as text, so the
/// values go inside them: only those that need no quoting (a message id, our own token) do.
fn receipt_literals(channel: &str, dedupe_key: &str, token: &str) -> Option<[String; 3]> {
    Some([
        plain_literal(channel)?,
        plain_literal(dedupe_key)?,
        plain_literal(token)?,
    ])
}

/// `'value'` when the value needs no escaping inside a SQL string literal; `None` otherwise.
fn plain_literal(value: &str) -> Option<String> {
    value
        .chars()
        .all(|c| c.is_ascii_graphic() && c != '\'' && c != '\\')
        .then(|| format!("'{value}'"))
}

/// The outcome of an owned delivery, as recorded on its receipt.
#[derive(Debug, Clone, Copy)]
pub struct Completion<'a> {
    pub channel: &'a str,
    pub dedupe_key: &'a str,
    pub token: &'a str,
    /// The rendered reply; `None` for `success`.
    pub reply: Option<&'a str>,
    /// The webhook stopped waiting: the reply goes out later, as a message.
    pub replied_later: bool,
    pub now_ms: i64,
}

/// A delivery answered from reads alone, claimed and completed in one statement: on its own,
/// outside any transaction, that is one commit. Returns false when the delivery has a receipt
/// already (a retry; the insert first waits for a caller still holding it to commit or roll
/// back): the caller then takes the ordinary way, which answers from that receipt.
pub fn record_answered(conn: &mut DbConn, done: &Completion<'_>) -> Result<bool, DbError> {
    insert_receipt(conn, done, Some(done.now_ms))
}

/// A receipt claimed at `now_ms`, completed at `completed_at` if given, unless the delivery
/// has one already; returns whether it was inserted. One statement for both uses, so it is
/// prepared once per connection.
fn insert_receipt(
    conn: &mut DbConn,
    receipt: &Completion<'_>,
    completed_at: Option<i64>,
) -> Result<bool, DbError> {
    let inserted = on_backend!(conn, |c| diesel::insert_into(r::callback_receipts)
        .values((
            r::channel.eq(receipt.channel),
            r::dedupe_key.eq(receipt.dedupe_key),
            r::claim_token.eq(receipt.token),
            r::claimed_at.eq(receipt.now_ms),
            r::completed_at.eq(completed_at),
            r::reply.eq(receipt.reply),
            r::replied_later.eq(receipt.replied_later),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// Records the outcome of an owned delivery. Returns false when the claim was lost (taken over
/// after the lease ran out), in which case the other owner's outcome stands.
///
/// A fixed statement (`Completion` writes its own SQL): diesel never caches the UPDATEs it
/// builds (a changeset may leave fields out), and this one runs on every callback, so it would
/// be parsed and planned again each time. Written by hand, it is prepared once per connection.
pub fn complete(conn: &mut DbConn, done: &Completion<'_>) -> Result<bool, DbError> {
    let updated = on_backend!(conn, |c| done.execute(c))?;
    Ok(updated == 1)
}

/// PostgreSQL, in the transaction `begin_with_claim` opened: records the outcome and commits,
/// in one round trip (the update and `COMMIT` sent together, after undoing a refused change),
/// where `undo_change`, `complete` and `commit` cost up to three. Returns false, having sent
/// nothing, when a value cannot travel as a literal or the reply goes out later; the caller
/// then undoes, completes and commits the ordinary way. On an error the transaction did not
/// commit: the caller rolls back.
pub fn complete_and_commit(
    conn: &mut DbConn,
    change: ChangeEnd,
    done: &Completion<'_>,
) -> Result<bool, DbError> {
    let Some([channel, key, token]) = receipt_literals(done.channel, done.dedupe_key, done.token)
    else {
        return Ok(false);
    };
    let reply = match done.reply {
        None => "NULL".to_owned(),
        Some(text) => match dollar_quoted(text) {
            Some(quoted) => quoted,
            None => return Ok(false),
        },
    };
    if done.replied_later {
        return Ok(false);
    }
    let undo = match change {
        ChangeEnd::Kept => String::new(),
        ChangeEnd::Undone => format!("ROLLBACK TO SAVEPOINT {CHANGE_SAVEPOINT}; "),
    };
    let sql = format!(
        "{undo}SELECT callback_complete({channel}, {key}, {token}, {}, {reply}); COMMIT",
        done.now_ms
    );
    conn.batch_execute(&sql)?;
    Ok(true)
}

/// The text as a dollar-quoted literal, which takes any text verbatim except its own tag (and
/// NUL, which PostgreSQL's text cannot hold); `None` for such a text.
fn dollar_quoted(text: &str) -> Option<String> {
    const TAG: &str = "$huiwu_reply$";
    (!text.contains(TAG) && !text.contains('\0')).then(|| format!("{TAG}{text}{TAG}"))
}

impl QueryId for Completion<'_> {
    type QueryId = Completion<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for Completion<'_>
where
    DB: Backend + HasSqlType<Bool>,
    i64: ToSql<BigInt, DB>,
    str: ToSql<Text, DB>,
    for<'x> Option<&'x str>: ToSql<Nullable<Text>, DB>,
    bool: ToSql<Bool, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE callback_receipts SET completed_at = ");
        out.push_bind_param::<BigInt, _>(&self.now_ms)?;
        out.push_sql(", reply = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.reply)?;
        out.push_sql(", replied_later = ");
        out.push_bind_param::<Bool, _>(&self.replied_later)?;
        out.push_sql(" WHERE channel = ");
        out.push_bind_param::<Text, _>(self.channel)?;
        out.push_sql(" AND dedupe_key = ");
        out.push_bind_param::<Text, _>(self.dedupe_key)?;
        out.push_sql(" AND claim_token = ");
        out.push_bind_param::<Text, _>(self.token)?;
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for Completion<'_> {}

/// Deletes receipts claimed before `before_ms`; WeChat stops retrying within a minute.
pub fn prune(conn: &mut DbConn, before_ms: i64) -> Result<usize, DbError> {
    Ok(diesel::delete(r::callback_receipts.filter(r::claimed_at.lt(before_ms))).execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::{dollar_quoted, plain_literal};

    #[test]
    fn only_values_needing_no_escape_become_literals() {
        assert_eq!(plain_literal("msg:1234").as_deref(), Some("'msg:1234'"));
        assert_eq!(
            plain_literal("evt:oAbC_-9|1700000000|CLICK|MY_MEETINGS|").as_deref(),
            Some("'evt:oAbC_-9|1700000000|CLICK|MY_MEETINGS|'")
        );
        assert_eq!(plain_literal("evt:o1|1|CLICK|it's|"), None);
        assert_eq!(plain_literal("a\\b"), None);
        assert_eq!(plain_literal("会议"), None);
        assert_eq!(plain_literal("a b"), None);
        assert_eq!(plain_literal("a\0b"), None);
    }

    #[test]
    fn a_reply_travels_verbatim_unless_it_holds_the_tag() {
        let xml = "<xml><Content><![CDATA[it's 会议 \\ $1 $$]]></Content></xml>";
        assert_eq!(
            dollar_quoted(xml).unwrap(),
            format!("$huiwu_reply${xml}$huiwu_reply$")
        );
        assert_eq!(dollar_quoted("x $huiwu_reply$ y"), None);
        assert_eq!(dollar_quoted("a\0b"), None);
    }
}
