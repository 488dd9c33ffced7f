//! Reading the audit log back for the confidentiality officer (保密管理组): repeated reads
//! folded into one line. What each action is and its words: `audit_action`.

use super::audit_action::{AuditAction, AuditActor};

/// Entries (newest first) with repeated reads folded: the same person reading the same
/// meeting the same way within a minute is one line, with how many times. `key` gives each
/// entry's (actor, action, meeting, at in ms). Changes are never folded.
pub fn fold_repeated_reads<T>(
    entries: &[T],
    key: impl Fn(&T) -> (&AuditActor, &AuditAction, Option<i64>, i64),
) -> Vec<(&T, usize)> {
    let mut folded: Vec<(&T, usize)> = Vec::new();
    for e in entries {
        let (actor, action, meeting, at) = key(e);
        if let Some((first, times)) = folded.last_mut() {
            let (f_actor, f_action, f_meeting, f_at) = key(first);
            if action.is_read()
                && (actor, action, meeting) == (f_actor, f_action, f_meeting)
                && (f_at - at).abs() < 60_000
            {
                *times += 1;
                continue;
            }
        }
        folded.push((e, 1));
    }
    folded
}

#[cfg(test)]
mod folding {
    use super::fold_repeated_reads;
    use crate::meetings::audit_action::{Audit, AuditAction, AuditActor};

    #[test]
    fn repeated_reads_within_a_minute_are_one_line_and_changes_never_fold() {
        let board = AuditAction::from(Audit::PageBoard);
        let update = AuditAction::from(Audit::UpdateMeeting);
        let one = AuditActor::parse("person:1");
        let two = AuditActor::parse("person:2");
        let entries = [
            (&one, &board, Some(7), 100_000),
            (&one, &board, Some(7), 85_000),
            (&one, &board, Some(7), 70_000),
            (&one, &board, Some(7), 10_000),
            (&two, &board, Some(7), 9_000),
            (&two, &update, Some(7), 8_000),
            (&two, &update, Some(7), 7_000),
        ];
        let folded = fold_repeated_reads(&entries, |e| (e.0, e.1, e.2, e.3));
        let shown: Vec<(i64, usize)> = folded.iter().map(|(e, n)| (e.3, *n)).collect();
        assert_eq!(
            shown,
            [
                (100_000, 3),
                (10_000, 1),
                (9_000, 1),
                (8_000, 1),
                (7_000, 1)
            ]
        );
    }
}
