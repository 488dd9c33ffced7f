//! Rows a worker claimed or picked up (due jobs, queued messages, late replies), read so that
//! one damaged row holds up only itself: the queue behind it still runs.

use super::{DbConn, DbError};

/// What a claim hands on: the rows to work on, and those set aside because they cannot be
/// read, each with why (for the log; the row records it too).
#[derive(Debug)]
pub struct Claimed<Row, Id> {
    pub rows: Vec<Row>,
    pub set_aside: Vec<(Id, String)>,
}

impl<Row, Id> Default for Claimed<Row, Id> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            set_aside: Vec::new(),
        }
    }
}

/// Reads the claimed `ids` together; when a damaged row spoils that, reads each alone and
/// marks each unreadable one with `set_aside` (in the claim's transaction), so it is never
/// claimed again. Without this, the oldest damaged row would be claimed first on every round
/// and fail the whole batch each time.
pub(super) fn read<Row, Id: Copy>(
    conn: &mut DbConn,
    ids: &[Id],
    mut load: impl FnMut(&mut DbConn, &[Id]) -> Result<Vec<Row>, DbError>,
    mut set_aside: impl FnMut(&mut DbConn, Id, &str) -> Result<(), DbError>,
) -> Result<Claimed<Row, Id>, DbError> {
    match load(conn, ids) {
        Err(DbError::Corrupt(_)) => {}
        read => {
            return read.map(|rows| Claimed {
                rows,
                set_aside: Vec::new(),
            })
        }
    }
    let mut claimed = Claimed::default();
    for &id in ids {
        match load(conn, &[id]) {
            Ok(rows) => claimed.rows.extend(rows),
            Err(DbError::Corrupt(why)) => {
                set_aside(conn, id, &why)?;
                claimed.set_aside.push((id, why));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(claimed)
}
