//! `database.url`: a SQLite file or a PostgreSQL server.

use std::path::PathBuf;

/// Where the data lives. Parsed from `database.url`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DatabaseUrlError {
    #[error("must start with sqlite:// or postgres://")]
    Scheme,
    #[error("sqlite URL names no file")]
    EmptyPath,
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, DatabaseUrlError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_owned()));
        }
        let path = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
            .ok_or(DatabaseUrlError::Scheme)?;
        if path.is_empty() {
            return Err(DatabaseUrlError::EmptyPath);
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    /// The URL with any password replaced, for logs and errors.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(raw) => match ::url::Url::parse(raw) {
                Ok(mut url) if url.password().is_some() => {
                    let _ = url.set_password(Some("redacted"));
                    url.to_string()
                }
                Ok(url) => url.to_string(),
                Err(_) => "postgres://(unparsable)".to_owned(),
            },
        }
    }
}

impl DatabaseUrl {
    /// For the startup line: a SQLite file by its absolute path (so nobody wonders which
    /// folder's `data/` is in use), PostgreSQL with its password hidden.
    pub fn described(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => std::path::absolute(path)
                .map(|p| format!("sqlite://{}", p.display()))
                .unwrap_or_else(|_| self.redacted()),
            DatabaseUrl::Postgres(_) => self.redacted(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_kinds() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/huiwu.db"),
            Ok(DatabaseUrl::Sqlite("data/huiwu.db".into()))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db"),
            Ok(DatabaseUrl::Postgres(_))
        ));
        assert_eq!(
            DatabaseUrl::parse("mysql://x"),
            Err(DatabaseUrlError::Scheme)
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://"),
            Err(DatabaseUrlError::EmptyPath)
        );
    }

    #[test]
    fn password_never_shows() {
        let url = DatabaseUrl::parse("postgres://u:hunter2@h:5432/db").unwrap();
        assert!(!format!("{url:?}").contains("hunter2"));
    }
}
