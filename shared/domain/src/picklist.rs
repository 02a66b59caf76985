//! Salesforce picklists as Rust enums.
//!
//! Each enum serialises to and from its Salesforce API value (`"Checked In"`), lists every value in
//! `ALL` (the sandbox's org schema and the Salesforce metadata are built from it), and derives a JSON
//! Schema `enum` so agents see the allowed values.

/// A Salesforce picklist: a closed set of API values.
pub trait Picklist: Sized + Copy + 'static {
    /// Every value, in the org's order.
    const ALL: &'static [Self];
    /// The value as Salesforce stores it.
    fn api_value(self) -> &'static str;
    /// The value for an API string, if it is one.
    fn from_api_value(value: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.api_value() == value)
    }
    /// All API values, for schemas and error messages.
    fn api_values() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.api_value()).collect()
    }
}

/// Declares a picklist enum with its API values.
macro_rules! picklist {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $value)] $variant),+
        }

        impl $crate::picklist::Picklist for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn api_value(self) -> &'static str {
                match self { $($name::$variant => $value),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::picklist::Picklist::api_value(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ToolError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::picklist::Picklist>::from_api_value(s).ok_or_else(|| {
                    $crate::error::ToolError::validation(format!(
                        "'{s}' is not a valid {}; expected one of: {}",
                        stringify!($name),
                        <Self as $crate::picklist::Picklist>::api_values().join(", ")
                    ))
                })
            }
        }
    };
}
pub(crate) use picklist;
