//! Property tests: the parser never panics, and what `Display` writes parses back.

use proptest::prelude::*;

use super::*;

fn path(s: &str) -> FieldPath {
    FieldPath(s.split('.').map(str::to_owned).collect())
}

/// Fragments that make random input look like SOQL, to reach deeper into the parser.
fn soqlish() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "SELECT ",
        "FROM ",
        "WHERE ",
        "AND ",
        "OR ",
        "NOT ",
        "IN ",
        "LIKE ",
        "ORDER BY ",
        "LIMIT ",
        "OFFSET ",
        "NULLS LAST ",
        "DESC ",
        "Id",
        "Name",
        "Room__r.",
        ", ",
        "(",
        ")",
        "= ",
        "!= ",
        "<> ",
        "<= ",
        "'a\\'b' ",
        "'%\\_' ",
        "'\\",
        "'",
        "2026-11-23 ",
        "2026-11-23T10:00:00Z ",
        "TODAY ",
        "LAST_N_DAYS:",
        "7 ",
        "-1.5 ",
        "NULL ",
        "TRUE ",
        ":",
        ".",
        "\\",
        "ü",
        "\n",
    ]);
    prop::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_input(input in any::<String>()) {
        let _ = parse(&input);
    }

    #[test]
    fn parse_never_panics_on_soql_like_input(input in soqlish()) {
        if let Ok(q) = parse(&input) {
            prop_assert_eq!(parse(&q.to_string()).ok(), Some(q));
        }
    }

    #[test]
    fn any_string_literal_round_trips(s in any::<String>()) {
        let q = Query {
            fields: vec![path("Id")],
            object: "Contact".into(),
            filter: Some(Condition::Compare { field: path("Name"), op: CompareOp::Eq, value: Literal::String(s) }),
            order_by: vec![],
            limit: None,
            offset: None,
        };
        prop_assert_eq!(parse(&q.to_string()), Ok(q));
    }

    #[test]
    fn any_like_pattern_round_trips(tokens in prop::collection::vec(
        prop_oneof![
            Just(LikeToken::AnyChars),
            Just(LikeToken::AnyChar),
            any::<char>().prop_map(LikeToken::Char),
        ],
        0..20,
    )) {
        let cond = Condition::Like { field: path("Name"), pattern: LikePattern(tokens) };
        let soql = format!("SELECT Id FROM Contact WHERE {cond}");
        prop_assert_eq!(parse(&soql).map(|q| q.filter), Ok(Some(cond)));
    }
}
