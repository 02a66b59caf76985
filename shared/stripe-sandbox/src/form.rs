//! Decoding `application/x-www-form-urlencoded` bodies and query strings with Stripe's bracket
//! notation: `metadata[guest_id]=g1` is a map, `expand[]=latest_charge` (or `expand[0]=...`) a list,
//! and `automatic_payment_methods[enabled]=true` a nested field.
//!
//! Percent-decoding is the `percent-encoding` crate's; the bracket tree is built here because its
//! refusals (a name used both as a value and as a hash, a malformed bracket) must be Stripe's,
//! which a general nested-query parser does not promise.

use std::collections::BTreeMap;

/// One decoded parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormValue {
    /// A plain value: `amount=5000`.
    Text(String),
    /// Named children: `metadata[a]=1&metadata[b]=2`. Numeric names (`expand[0]`) land here too and
    /// are read back as a list by [`FormValue::items`].
    Map(BTreeMap<String, FormValue>),
    /// Appended children: `expand[]=a&expand[]=b`.
    List(Vec<FormValue>),
}

impl FormValue {
    /// The elements of a list, whether written `x[]=..` or `x[0]=..` (ordered by index), or a single
    /// plain value as a one-element list.
    pub(crate) fn items(&self) -> Option<Vec<&FormValue>> {
        match self {
            FormValue::List(items) => Some(items.iter().collect()),
            FormValue::Text(_) => Some(vec![self]),
            FormValue::Map(map) => {
                let mut indexed: Vec<(u64, &FormValue)> = map
                    .iter()
                    .map(|(k, v)| k.parse::<u64>().ok().map(|n| (n, v)))
                    .collect::<Option<_>>()?;
                indexed.sort_by_key(|(n, _)| *n);
                Some(indexed.into_iter().map(|(_, v)| v).collect())
            }
        }
    }
}

/// A form, both as the raw pairs (what idempotency compares) and as a tree (what handlers read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Form {
    /// The decoded `(name, value)` pairs in the order sent.
    pub pairs: Vec<(String, String)>,
    /// The parameters by top-level name.
    pub root: BTreeMap<String, FormValue>,
}

/// A form that cannot be decoded; the message is shown to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct FormError(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Push,
}

/// Decodes `input` (a body or a query string, without the `?`).
pub(crate) fn decode(input: &str) -> Result<Form, FormError> {
    let mut form = Form::default();
    for part in input.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = part.split_once('=').unwrap_or((part, ""));
        let name = percent_decode(raw_name)?;
        let value = percent_decode(raw_value)?;
        let segments = parse_name(&name)?;
        insert_path(&mut form.root, &name, &segments, value.clone())?;
        form.pairs.push((name, value));
    }
    Ok(form)
}

/// `a[b][]` → `[Key(a), Key(b), Push]`.
fn parse_name(name: &str) -> Result<Vec<Segment>, FormError> {
    let malformed = || FormError(format!("Invalid parameter name: {name}"));
    let (head, mut rest) = match name.find('[') {
        Some(i) => (&name[..i], &name[i..]),
        None => (name, ""),
    };
    if head.is_empty() {
        return Err(malformed());
    }
    let mut segments = vec![Segment::Key(head.to_owned())];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or_else(malformed)?;
        let close = inner.find(']').ok_or_else(malformed)?;
        let key = &inner[..close];
        if key.contains('[') {
            return Err(malformed());
        }
        segments.push(if key.is_empty() {
            Segment::Push
        } else {
            Segment::Key(key.to_owned())
        });
        rest = &inner[close + 1..];
    }
    Ok(segments)
}

fn empty_container(next: &Segment) -> FormValue {
    match next {
        Segment::Key(_) => FormValue::Map(BTreeMap::new()),
        Segment::Push => FormValue::List(Vec::new()),
    }
}

fn insert_path(
    root: &mut BTreeMap<String, FormValue>,
    name: &str,
    segments: &[Segment],
    value: String,
) -> Result<(), FormError> {
    let Some((Segment::Key(head), rest)) = segments.split_first() else {
        return Err(FormError(format!("Invalid parameter name: {name}")));
    };
    insert_into_map(root, name, head, rest, value)
}

fn insert_into_map(
    map: &mut BTreeMap<String, FormValue>,
    name: &str,
    key: &str,
    rest: &[Segment],
    value: String,
) -> Result<(), FormError> {
    let Some(next) = rest.first() else {
        // A plain value; a repeated one replaces the earlier (as Stripe's parser does).
        return match map.get(key) {
            Some(FormValue::Map(_) | FormValue::List(_)) => Err(conflict(name)),
            _ => {
                map.insert(key.to_owned(), FormValue::Text(value));
                Ok(())
            }
        };
    };
    let child = map.entry(key.to_owned()).or_insert_with(|| empty_container(next));
    insert_into(child, name, rest, value)
}

fn insert_into(
    node: &mut FormValue,
    name: &str,
    segments: &[Segment],
    value: String,
) -> Result<(), FormError> {
    let Some((first, rest)) = segments.split_first() else {
        return Err(conflict(name));
    };
    match (node, first) {
        (FormValue::Map(map), Segment::Key(key)) => insert_into_map(map, name, key, rest, value),
        (FormValue::List(list), Segment::Push) => {
            match rest.first() {
                None => list.push(FormValue::Text(value)),
                Some(next) => {
                    // `a[][b]=1`: every such pair starts a new element.
                    let mut child = empty_container(next);
                    insert_into(&mut child, name, rest, value)?;
                    list.push(child);
                }
            }
            Ok(())
        }
        _ => Err(conflict(name)),
    }
}

fn conflict(name: &str) -> FormError {
    FormError(format!(
        "Invalid parameter {name}: it is used both as a value and as a hash or array"
    ))
}

/// `+` is a space and `%XX` a byte; a `%` not followed by two hex digits is kept as it is (as
/// browsers and most servers do). The bytes must be UTF-8.
fn percent_decode(input: &str) -> Result<String, FormError> {
    let spaced = input.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| FormError("Invalid request: the form is not UTF-8".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> FormValue {
        FormValue::Text(s.into())
    }

    /// Nested maps, appended lists and percent-encoded brackets decode into one tree.
    #[test]
    fn bracket_notation_builds_maps_and_lists() {
        let form = decode(
            "amount=5000&metadata%5Bguest_id%5D=g+1&metadata[booking_number]=BK-0001\
             &automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never\
             &expand[]=latest_charge&expand[]=customer",
        )
        .unwrap();
        assert_eq!(form.root["amount"], text("5000"));
        let FormValue::Map(metadata) = &form.root["metadata"] else {
            panic!("metadata is a map: {:?}", form.root["metadata"]);
        };
        assert_eq!(metadata["guest_id"], text("g 1"));
        assert_eq!(metadata["booking_number"], text("BK-0001"));
        let FormValue::Map(apm) = &form.root["automatic_payment_methods"] else {
            panic!("a map");
        };
        assert_eq!(apm["allow_redirects"], text("never"));
        let expand = form.root["expand"].items().unwrap();
        assert_eq!(expand, [&text("latest_charge"), &text("customer")]);
        assert_eq!(form.pairs[1], ("metadata[guest_id]".into(), "g 1".into()));
    }

    /// Indexed lists read back in index order; a lone value reads as a one-element list.
    #[test]
    fn indexed_lists_and_single_values() {
        let form = decode("expand[1]=b&expand[0]=a&one=x").unwrap();
        assert_eq!(form.root["expand"].items().unwrap(), [&text("a"), &text("b")]);
        assert_eq!(form.root["one"].items().unwrap(), [&text("x")]);
        let not_a_list = decode("metadata[k]=v").unwrap();
        assert!(not_a_list.root["metadata"].items().is_none());
    }

    /// Percent escapes decode to UTF-8; a stray `%` is kept; invalid UTF-8 is refused.
    #[test]
    fn percent_decoding() {
        let form = decode("email=ana%40example.com&name=Jos%C3%A9&odd=100%&q=%zz&empty=").unwrap();
        assert_eq!(form.root["email"], text("ana@example.com"));
        assert_eq!(form.root["name"], text("José"));
        assert_eq!(form.root["odd"], text("100%"));
        assert_eq!(form.root["q"], text("%zz"));
        assert_eq!(form.root["empty"], text(""));
        assert!(decode("name=%FF").is_err());
    }

    /// Malformed names and a name used both as a value and a map are errors, not guesses.
    #[test]
    fn malformed_and_conflicting_names_are_refused() {
        for bad in ["[x]=1", "a[b=1", "a]b[=1", "a[b[c]]=1"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        assert!(decode("metadata=x&metadata[k]=v").is_err());
        assert!(decode("metadata[k]=v&metadata=x").is_err());
        // A repeated plain value: the last one wins.
        assert_eq!(decode("a=1&a=2").unwrap().root["a"], text("2"));
        assert_eq!(decode("").unwrap(), Form::default());
    }
}
