//! Action items: what a meeting decided someone must do, by when, and how it is going.

use super::DomainError;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    InProgress,
    Done,
    Cancelled,
}

super::stored::stored_name!(TaskStatus, "action item status");

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Open,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];

    /// Still to be done: what lists of someone's tasks and the carried-over items show.
    pub const UNFINISHED: [TaskStatus; 2] = [TaskStatus::Open, TaskStatus::InProgress];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            TaskStatus::Open => "未开始",
            TaskStatus::InProgress => "进行中",
            TaskStatus::Done => "已完成",
            TaskStatus::Cancelled => "已取消",
        }
    }

    pub fn finished(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::Cancelled)
    }

    /// A progress report moves an open item to in progress; finished items take none.
    pub fn after_progress(self) -> Result<TaskStatus, DomainError> {
        if self.finished() {
            return Err(DomainError::TaskFinished(self.as_str()));
        }
        Ok(TaskStatus::InProgress)
    }

    /// An admin setting the status by hand: forward only (open → in progress → done, or
    /// cancelled from either); a finished item stays as it is, and the same status is no change.
    pub fn change_to(self, to: TaskStatus) -> Result<TaskStatus, DomainError> {
        use TaskStatus::*;
        match (self, to) {
            (Open, _) | (InProgress, InProgress | Done | Cancelled) => Ok(to),
            (from, to) if from == to => Ok(to),
            (Done | Cancelled, _) => Err(DomainError::TaskFinished(self.as_str())),
            (InProgress, Open) => Err(DomainError::TaskStatusBack {
                from: self.as_str(),
                to: to.as_str(),
            }),
        }
    }

    pub fn complete(self) -> Result<TaskStatus, DomainError> {
        if self.finished() {
            return Err(DomainError::TaskFinished(self.as_str()));
        }
        Ok(TaskStatus::Done)
    }
}

#[cfg(test)]
mod status_tests {
    use super::TaskStatus::*;

    #[test]
    fn unfinished_is_every_status_not_finished() {
        let unfinished: Vec<_> = super::TaskStatus::ALL
            .into_iter()
            .filter(|s| !s.finished())
            .collect();
        assert_eq!(unfinished, super::TaskStatus::UNFINISHED);
    }

    #[test]
    fn a_status_set_by_hand_only_moves_forward() {
        assert_eq!(Open.change_to(Done), Ok(Done));
        assert_eq!(InProgress.change_to(Cancelled), Ok(Cancelled));
        assert_eq!(Done.change_to(Done), Ok(Done), "no change");
        assert!(Done.change_to(Open).is_err());
        assert!(Cancelled.change_to(InProgress).is_err());
        assert!(InProgress.change_to(Open).is_err());
    }
}

/// A new item's due date: today or later.
pub fn check_due(due: NaiveDate, today: NaiveDate) -> Result<NaiveDate, DomainError> {
    if due < today {
        return Err(DomainError::DueInThePast);
    }
    Ok(due)
}

/// Days past due (0 or less: not overdue); finished items are never overdue.
pub fn days_overdue(due: NaiveDate, status: TaskStatus, today: NaiveDate) -> i64 {
    if status.finished() {
        return 0;
    }
    (today - due).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn progress_and_completion_stop_at_finished_items() {
        assert_eq!(
            TaskStatus::Open.after_progress(),
            Ok(TaskStatus::InProgress)
        );
        assert_eq!(TaskStatus::InProgress.complete(), Ok(TaskStatus::Done));
        assert_eq!(
            TaskStatus::Done.after_progress(),
            Err(DomainError::TaskFinished("done"))
        );
        assert_eq!(
            TaskStatus::Cancelled.complete(),
            Err(DomainError::TaskFinished("cancelled"))
        );
    }

    #[test]
    fn overdue_counts_days_for_unfinished_items_only() {
        assert_eq!(days_overdue(d(12, 1), TaskStatus::Open, d(12, 3)), 2);
        assert_eq!(days_overdue(d(12, 1), TaskStatus::Done, d(12, 3)), 0);
        assert!(days_overdue(d(12, 5), TaskStatus::Open, d(12, 3)) < 0);
        assert_eq!(
            check_due(d(12, 1), d(12, 2)),
            Err(DomainError::DueInThePast)
        );
        assert_eq!(check_due(d(12, 2), d(12, 2)), Ok(d(12, 2)));
    }
}
