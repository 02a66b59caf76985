//! The SOQL builder against the sandbox's SOQL parser: no string can change a query's structure.

use dewy_salesforce::soql::{Cond, Soql, Value};
use dewy_salesforce_sandbox::soql::{
    CompareOp, Condition, FieldPath, LikePattern, LikeToken, Literal, Query, RelativeDate, parse,
};
use proptest::prelude::*;

fn field(name: &str) -> FieldPath {
    FieldPath(name.split('.').map(str::to_owned).collect())
}

fn text(s: &str) -> Literal {
    Literal::String(s.to_owned())
}

/// `[AnyChars, Char(c)…, AnyChars]`: what `like_contains(s)` must mean.
fn contains_pattern(s: &str) -> LikePattern {
    let mut tokens = vec![LikeToken::AnyChars];
    tokens.extend(s.chars().map(LikeToken::Char));
    tokens.push(LikeToken::AnyChars);
    LikePattern(tokens)
}

/// Strings built mostly from the characters that matter to SOQL, plus anything at all.
fn nasty_string() -> impl Strategy<Value = String> {
    let nasty_char = prop_oneof![
        3 => prop::sample::select(vec!['\'', '"', '\\', '%', '_', '\n', '\r', '\t', '\u{8}', '\u{c}', '\0',
                                        '(', ')', ',', ' ', 'O', 'R', '=', '!', '@', '{', '}', 'é', '☕', '\u{202e}']),
        2 => any::<char>(),
    ];
    prop_oneof![
        prop::collection::vec(nasty_char, 0..40).prop_map(String::from_iter),
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..20).prop_map(String::from_iter),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Whatever `s` is, the query parses back to exactly the intended structure, and `s` comes back
    /// byte for byte in every literal and, character by character, in the LIKE pattern.
    #[test]
    fn no_string_changes_the_structure_of_a_query(s in nasty_string()) {
        // GIVEN a query with s in an =, a != inside an OR, a LIKE and a NOT IN list
        let soql = Soql::select(&["Id"]).from("Contact").filter(
            Cond::eq("LastName", s.as_str())
                .and(Cond::ne("Email", s.as_str()).or(Cond::like_contains("FirstName", &s)))
                .and(Cond::not_in("Id", [s.as_str(), "x"])),
        );
        // WHEN the sandbox's parser reads it
        let parsed = parse(soql.as_str());
        // THEN it is exactly the intended AST
        let expected = Query {
            fields: vec![field("Id")],
            object: "Contact".into(),
            filter: Some(Condition::And(vec![
                Condition::Compare { field: field("LastName"), op: CompareOp::Eq, value: text(&s) },
                Condition::Or(vec![
                    Condition::Compare { field: field("Email"), op: CompareOp::Ne, value: text(&s) },
                    Condition::Like { field: field("FirstName"), pattern: contains_pattern(&s) },
                ]),
                Condition::In { field: field("Id"), negated: true, values: vec![text(&s), text("x")] },
            ])),
            order_by: vec![],
            limit: None,
            offset: None,
        };
        prop_assert_eq!(parsed, Ok(expected), "query: {}", soql);
    }

    /// Prefix and suffix patterns and NOT keep their meaning too.
    #[test]
    fn like_prefixes_suffixes_and_not_keep_their_meaning(s in nasty_string()) {
        let soql = Soql::select(&["Id", "Account.Name"]).from("Contact").filter(
            Cond::not(Cond::like_starts_with("Email", &s)).or(Cond::like_ends_with("LastName", &s)),
        );
        let chars = || s.chars().map(LikeToken::Char);
        let starts = LikePattern(chars().chain([LikeToken::AnyChars]).collect());
        let ends = LikePattern([LikeToken::AnyChars].into_iter().chain(chars()).collect());
        let filter = Condition::Or(vec![
            Condition::Not(Box::new(Condition::Like { field: field("Email"), pattern: starts })),
            Condition::Like { field: field("LastName"), pattern: ends },
        ]);
        let parsed = parse(soql.as_str()).map(|q| (q.fields, q.filter));
        prop_assert_eq!(parsed, Ok((vec![field("Id"), field("Account.Name")], Some(filter))), "query: {}", soql);
    }
}

/// Every kind of value renders as a literal the parser reads back as the same value.
#[test]
fn every_value_kind_parses_back() {
    // GIVEN one comparison per kind of value
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date");
    let at = date.and_hms_opt(10, 0, 0).expect("valid time").and_utc();
    let values: Vec<(Value, Literal)> = vec![
        (Value::from("it's"), text("it's")),
        (Value::from(-42_i64), Literal::Number("-42".into())),
        (
            Value::try_from(149.99).expect("finite"),
            Literal::Number("149.99".into()),
        ),
        (Value::from(true), Literal::Boolean(true)),
        (Value::Null, Literal::Null),
        (Value::from(date), Literal::Date(date)),
        (Value::from(at), Literal::DateTime(at)),
        (Value::Today, Literal::Relative(RelativeDate::Today)),
        (Value::Yesterday, Literal::Relative(RelativeDate::Yesterday)),
        (Value::Tomorrow, Literal::Relative(RelativeDate::Tomorrow)),
        (Value::LastNDays(7), Literal::Relative(RelativeDate::LastNDays(7))),
        (Value::NextNDays(3), Literal::Relative(RelativeDate::NextNDays(3))),
    ];
    for (value, literal) in values {
        // WHEN it is rendered and parsed
        let soql = Soql::select(&["Id"])
            .from("Booking__c")
            .filter(Cond::ge("Check_In_Date__c", value));
        let parsed = parse(soql.as_str()).map(|q| q.filter);
        // THEN the literal is the same value
        let expected = Condition::Compare {
            field: field("Check_In_Date__c"),
            op: CompareOp::Ge,
            value: literal,
        };
        assert_eq!(parsed, Ok(Some(expected)), "query: {soql}");
    }
}

/// The renderings of empty lists are valid SOQL with the documented meaning.
#[test]
fn empty_lists_parse_as_match_nothing_and_match_everything() {
    let none = Soql::select(&["Id"])
        .from("Contact")
        .filter(Cond::is_in("Email", Vec::<String>::new()));
    let all = Soql::select(&["Id"])
        .from("Contact")
        .filter(Cond::not_in("Email", Vec::<String>::new()));
    let id_vs_null = |op| {
        Some(Condition::Compare {
            field: field("Id"),
            op,
            value: Literal::Null,
        })
    };
    assert_eq!(
        parse(none.as_str()).map(|q| q.filter),
        Ok(id_vs_null(CompareOp::Eq))
    );
    assert_eq!(
        parse(all.as_str()).map(|q| q.filter),
        Ok(id_vs_null(CompareOp::Ne))
    );
}
