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

/// An enum whose variants each have one stored name, declared once: the enum, `ALL`,
/// `as_str`, `parse`, `Display` and the `TryFrom<String>` of a stored name.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($kind:literal) {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            pub fn parse(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::meetings::stored::stored_name!($name, $kind);
    };
}
pub(crate) use named_enum;
