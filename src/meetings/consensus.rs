//! Consensus on a decision (达成共识): those present agree or object (with a reason); a later
//! vote replaces an earlier one in the count, but an objection once raised stays on the record;
//! the host closes the decision as passed (通过) or tabled (搁置).

use super::ids::PersonId;

super::stored::named_enum! {
    pub enum Vote ("vote") {
        Agree = "agree",
        Object = "object",
    }
}

super::stored::named_enum! {
    pub enum Outcome ("decision outcome") {
        Passed = "passed",
        Tabled = "tabled",
    }
}

impl Outcome {
    pub fn label_zh(self) -> &'static str {
        match self {
            Outcome::Passed => "通过",
            Outcome::Tabled => "搁置",
        }
    }
}

/// One vote as cast, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cast {
    pub person: PersonId,
    pub vote: Vote,
    pub reason: Option<String>,
}

/// Where a decision stands among `present`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub agreed: Vec<PersonId>,
    /// Objecting now, with their reasons.
    pub objected: Vec<(PersonId, String)>,
    /// Present and not answered.
    pub silent: Vec<PersonId>,
    /// Objections raised and later replaced by agreement: kept on the record.
    pub withdrawn: Vec<(PersonId, String)>,
}

/// The count from every vote cast (oldest first) and who is present.
pub fn tally(casts: &[Cast], present: &[PersonId]) -> Tally {
    let mut t = Tally::default();
    let mut voters: Vec<PersonId> = Vec::new();
    for c in casts {
        if !voters.contains(&c.person) {
            voters.push(c.person);
        }
    }
    for person in voters {
        let mine: Vec<&Cast> = casts.iter().filter(|c| c.person == person).collect();
        let Some(last) = mine.last() else { continue };
        match last.vote {
            Vote::Agree => {
                t.agreed.push(person);
                if let Some(o) = mine.iter().rev().find(|c| c.vote == Vote::Object) {
                    t.withdrawn
                        .push((person, o.reason.clone().unwrap_or_default()));
                }
            }
            Vote::Object => t
                .objected
                .push((person, last.reason.clone().unwrap_or_default())),
        }
    }
    t.silent = present
        .iter()
        .copied()
        .filter(|p| !casts.iter().any(|c| c.person == *p))
        .collect();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cast(person: i64, vote: Vote, reason: Option<&str>) -> Cast {
        Cast {
            person: PersonId::new(person).unwrap(),
            vote,
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn the_later_vote_counts_and_an_objection_stays_on_the_record() {
        let casts = [
            cast(1, Vote::Agree, None),
            cast(2, Vote::Object, Some("预算不足")),
            cast(3, Vote::Object, Some("时间太紧")),
            cast(3, Vote::Agree, None),
        ];
        let p = |id| PersonId::new(id).unwrap();
        let t = tally(&casts, &[p(1), p(2), p(3), p(4)]);
        assert_eq!(t.agreed, [p(1), p(3)]);
        assert_eq!(t.objected, [(p(2), "预算不足".to_owned())]);
        assert_eq!(t.silent, [p(4)]);
        assert_eq!(t.withdrawn, [(p(3), "时间太紧".to_owned())]);
    }
}
