//! Who may do what in a meeting. Checked here, in the domain, so chat and API enforce the
//! same rule and a refusal can say who may do it.

use super::participation::Role;
use super::DomainError;

/// A privileged duty and the roles that carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    /// Start, next agenda item, end.
    RunMeeting,
    /// Notes, decisions, action items, publishing the minutes.
    Record,
    /// Checking someone else in.
    CheckInOthers,
    /// Marking someone's action item done.
    CloseTask,
    /// Publishing, changing and cancelling a meeting.
    Prepare,
    /// Changing the agenda.
    EditAgenda,
    /// Taking and resolving help requests on site.
    Support,
    /// Seeing what a confidential record keeps from everyone else (who asked anonymously).
    Oversee,
    /// Decomposing decisions into an execution plan (milestones of action items).
    PlanExecution,
    /// What only the admin does (reopening minutes, answering for someone).
    Administer,
}

impl Duty {
    fn roles(self) -> &'static [Role] {
        match self {
            Duty::RunMeeting => &[Role::Host],
            Duty::Record => &[Role::Recorder, Role::Host],
            Duty::CheckInOthers => &[Role::Host, Role::Organizer],
            Duty::CloseTask => &[Role::Host],
            Duty::Prepare => &[Role::Host, Role::Organizer],
            Duty::EditAgenda => &[Role::Host, Role::Organizer, Role::AgendaOwner],
            Duty::Support => &[Role::ItSupport, Role::Organizer],
            Duty::Oversee => &[Role::ConfidentialityOfficer],
            Duty::PlanExecution => &[Role::FollowUpOwner, Role::Host, Role::Recorder],
            Duty::Administer => &[],
        }
    }

    /// The roles in words, for a refusal.
    pub fn holders_zh(self) -> &'static str {
        match self {
            Duty::RunMeeting => "主持人",
            Duty::Record => "记录员或主持人",
            Duty::CheckInOthers => "主持人或会务组",
            Duty::CloseTask => "任务负责人或会议主持人",
            Duty::Prepare => "主持人或会务组",
            Duty::EditAgenda => "主持人、会务组或议程组",
            Duty::Support => "信息技术支持或会务组",
            Duty::Oversee => "保密管理组",
            Duty::PlanExecution => "跟踪执行组、主持人或记录员",
            Duty::Administer => "管理员",
        }
    }
}

impl std::fmt::Display for Duty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.roles().is_empty() {
            return f.write_str("the admin");
        }
        let names: Vec<&str> = self.roles().iter().map(|r| r.as_str()).collect();
        f.write_str(&names.join(" or "))
    }
}

/// Passes when any of `held` carries `duty`.
pub fn require(duty: Duty, held: &[Role]) -> Result<(), DomainError> {
    if held.iter().any(|r| duty.roles().contains(r)) {
        Ok(())
    } else {
        Err(DomainError::NotAllowed(duty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_run_recorders_record_and_attendees_do_neither() {
        assert!(require(Duty::RunMeeting, &[Role::Attendee, Role::Host]).is_ok());
        assert!(require(Duty::Record, &[Role::Host]).is_ok());
        assert!(require(Duty::Record, &[Role::Recorder]).is_ok());
        assert_eq!(
            require(Duty::RunMeeting, &[Role::Recorder]),
            Err(DomainError::NotAllowed(Duty::RunMeeting))
        );
        assert!(require(Duty::CheckInOthers, &[Role::Organizer]).is_ok());
        assert!(require(Duty::Record, &[Role::Attendee, Role::Informed]).is_err());
        assert_eq!(
            DomainError::NotAllowed(Duty::Record).to_string(),
            "only recorder or host may do this"
        );
    }
}
