use super::DomainError;
use serde::{Deserialize, Serialize};

/// A feedback rating from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl TryFrom<u8> for Rating {
    type Error = DomainError;

    fn try_from(value: u8) -> Result<Self, DomainError> {
        if (1..=5).contains(&value) {
            Ok(Self(value))
        } else {
            Err(DomainError::RatingOutOfRange)
        }
    }
}

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

impl std::str::FromStr for Rating {
    type Err = DomainError;

    /// Accepts `4` and the full-width `４` phones type.
    fn from_str(s: &str) -> Result<Self, DomainError> {
        let mut chars = s.trim().chars();
        let digit = match (chars.next(), chars.next()) {
            (Some(c @ '0'..='9'), None) => c as u32 - '0' as u32,
            (Some(c @ '０'..='９'), None) => c as u32 - '０' as u32,
            _ => return Err(DomainError::RatingOutOfRange),
        };
        Rating::try_from(digit as u8)
    }
}

/// Count, average and distribution of ratings, for the feedback report.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub average: Option<f64>,
    /// `distribution[0]` counts ratings of 1, … `distribution[4]` ratings of 5.
    pub distribution: [usize; 5],
}

impl Summary {
    /// The distribution for people, highest rating first, e.g. "5分 3人，4分 1人".
    pub fn distribution_zh(&self) -> String {
        let parts: Vec<String> = (1..=5)
            .rev()
            .filter_map(|stars| {
                let n = self.distribution[stars - 1];
                (n > 0).then(|| format!("{stars}分 {n}人"))
            })
            .collect();
        if parts.is_empty() {
            "无".to_owned()
        } else {
            parts.join("，")
        }
    }
}

pub fn summarise(ratings: &[Rating]) -> Summary {
    let mut distribution = [0; 5];
    for r in ratings {
        distribution[usize::from(r.0 - 1)] += 1;
    }
    let total: u32 = ratings.iter().map(|r| u32::from(r.0)).sum();
    Summary {
        count: ratings.len(),
        average: (!ratings.is_empty()).then(|| f64::from(total) / ratings.len() as f64),
        distribution,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_one_to_five() {
        assert_eq!("4".parse::<Rating>().map(u8::from), Ok(4));
        assert_eq!("５".parse::<Rating>().map(u8::from), Ok(5));
        for bad in ["0", "6", "45", "", "x"] {
            assert!(bad.parse::<Rating>().is_err(), "{bad}");
        }
    }

    #[test]
    fn summary_counts_averages_and_distributes() {
        let r = |v| Rating::try_from(v).unwrap();
        let s = summarise(&[r(5), r(4), r(5), r(1)]);
        assert_eq!(s.count, 4);
        assert_eq!(s.average, Some(3.75));
        assert_eq!(s.distribution, [1, 0, 0, 1, 2]);
        assert_eq!(s.distribution_zh(), "5分 2人，4分 1人，1分 1人");
        assert_eq!(summarise(&[]).distribution_zh(), "无");
        assert_eq!(summarise(&[]).average, None);
    }
}
