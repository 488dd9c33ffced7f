//! Names of domain values as they are stored. A name that no value has means the row was
//! written by something else or damaged: it is refused as corrupt, never guessed at.

/// A stored name no value of its kind has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored {kind} {name:?} is not one huiwu knows")]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
}

/// `TryFrom<String>` (what diesel's `deserialize_as` calls) from a type's `parse`.
macro_rules! stored_name {
    ($type:ty, $kind:literal) => {
        impl TryFrom<String> for $type {
            type Error = $crate::meetings::stored::UnknownName;

            fn try_from(name: String) -> Result<Self, Self::Error> {
                <$type>::parse(&name)
                    .ok_or($crate::meetings::stored::UnknownName { kind: $kind, name })
            }
        }
    };
}
pub(crate) use stored_name;
