//! Building URL paths from names, ids and external id values, so that no value can alter a path.

use crate::SalesforceError;
use std::fmt::Write;

/// Checks a record id: 15 or 18 ASCII letters and digits, the only shapes Salesforce ids take.
///
/// Checked before anything is sent, so an id taken from user input cannot add segments, a query
/// string or a fragment to a URL, nor reach a different endpoint.
pub fn validate_id(id: &str) -> Result<&str, SalesforceError> {
    if matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(id)
    } else {
        Err(SalesforceError::InvalidId(format!(
            "{} is not a 15- or 18-character Salesforce id",
            quoted(id)
        )))
    }
}

/// An external id value as one percent-encoded path segment.
///
/// Empty, `.` and `..` are refused: URL normalisation would drop or fold them, turning the request into
/// one on a different resource.
pub(crate) fn external_id_segment(value: &str) -> Result<String, SalesforceError> {
    if matches!(value, "" | "." | "..") {
        return Err(SalesforceError::InvalidId(format!(
            "{} cannot be an external id value",
            quoted(value)
        )));
    }
    Ok(encode_segment(value))
}

/// Checks an sObject or field API name used in a path (`Booking__c`, `Unique_Email__c`).
pub(crate) fn validate_name<'a>(name: &'a str, what: &str) -> Result<&'a str, SalesforceError> {
    if crate::soql::is_name(name) {
        Ok(name)
    } else {
        Err(SalesforceError::InvalidRequest(format!(
            "{} is not a valid {what} name",
            quoted(name)
        )))
    }
}

/// Checks the field list of a `get` (`?fields=A,B`).
pub(crate) fn validate_fields(fields: &[&str]) -> Result<String, SalesforceError> {
    for field in fields {
        validate_name(field, "field")?;
    }
    Ok(fields.join(","))
}

/// Percent-encodes everything except RFC 3986's unreserved characters, so the value stays one segment.
pub(crate) fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A value for an error message: debug-quoted and cut short, since it may be user input.
fn quoted(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() > MAX {
        format!("{:?}…", value.chars().take(MAX).collect::<String>())
    } else {
        format!("{value:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only 15/18 alphanumeric ids pass; anything that could reshape a path is refused.
    #[test]
    fn ids_are_checked_before_use() {
        assert!(validate_id("001000000000001").is_ok());
        assert!(validate_id("001000000000001AAA").is_ok());
        for bad in [
            "",
            "001",
            "00100000000000/",
            "../../../../limit",
            "001000000000001?a",
            "0010000000000é",
        ] {
            assert!(
                matches!(validate_id(bad), Err(SalesforceError::InvalidId(_))),
                "{bad:?}"
            );
        }
    }

    /// External id values are encoded into exactly one segment; dot segments are refused.
    #[test]
    fn external_ids_become_one_segment() {
        assert_eq!(
            external_id_segment("kay@example.com").ok(),
            Some("kay%40example.com".into())
        );
        assert_eq!(
            external_id_segment("a/b?c#d %").ok(),
            Some("a%2Fb%3Fc%23d%20%25".into())
        );
        assert_eq!(external_id_segment("ü").ok(), Some("%C3%BC".into()));
        for bad in ["", ".", ".."] {
            assert!(matches!(
                external_id_segment(bad),
                Err(SalesforceError::InvalidId(_))
            ));
        }
        assert!(validate_name("Booking__c", "sObject").is_ok());
        assert!(validate_name("Booking__c/x", "sObject").is_err());
        assert!(validate_fields(&["Id", "Name"]).is_ok_and(|f| f == "Id,Name"));
    }
}
