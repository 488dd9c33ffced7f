//! Which series the upkeep could not extend, so that each is reported once when it becomes
//! damaged (and once when it no longer is), not on every tick until someone repairs it: a series
//! has no status to set it aside with, so the upkeep tries it again each round.

use crate::meetings::SeriesId;
use std::collections::HashSet;

#[derive(Debug, Default)]
pub(super) struct DamagedSeries {
    reported: HashSet<SeriesId>,
}

/// What changed since the last round.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct News<'a> {
    /// Damaged now, not reported before: with the error.
    pub damaged: Vec<(SeriesId, &'a str)>,
    /// Reported before, not damaged now (repaired, or no longer active).
    pub recovered: Vec<SeriesId>,
}

impl DamagedSeries {
    /// Takes this round's damaged series and says what is new.
    pub(super) fn after_round<'a>(&mut self, now: &'a [(SeriesId, String)]) -> News<'a> {
        let current: HashSet<SeriesId> = now.iter().map(|(id, _)| *id).collect();
        let mut recovered: Vec<SeriesId> = self.reported.difference(&current).copied().collect();
        recovered.sort_unstable();
        let damaged = now
            .iter()
            .filter(|(id, _)| !self.reported.contains(id))
            .map(|(id, error)| (*id, error.as_str()))
            .collect();
        self.reported = current;
        News { damaged, recovered }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: i64) -> SeriesId {
        SeriesId::try_from(n).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_damaged_series_is_news_once_and_again_when_it_recovers() {
        let mut seen = DamagedSeries::default();
        let round = [(id(1), "bad rule".to_owned())];
        let news = seen.after_round(&round);
        assert_eq!(news.damaged, [(id(1), "bad rule")]);
        assert!(news.recovered.is_empty());
        let news = seen.after_round(&round);
        assert!(news.damaged.is_empty(), "not news on the next tick");
        let other = [(id(2), "bad date".to_owned())];
        let news = seen.after_round(&other);
        assert_eq!(news.damaged, [(id(2), "bad date")]);
        assert_eq!(news.recovered, [id(1)]);
        let news = seen.after_round(&[]);
        assert_eq!(news.recovered, [id(2)]);
        let news = seen.after_round(&round);
        assert_eq!(
            news.damaged,
            [(id(1), "bad rule")],
            "damaged again: news again"
        );
    }
}
