use chrono::{NaiveDate, TimeZone, Utc};

use super::*;

fn path(s: &str) -> FieldPath {
    FieldPath(s.split('.').map(str::to_owned).collect())
}

fn cmp(field: &str, op: CompareOp, value: Literal) -> Condition {
    Condition::Compare {
        field: path(field),
        op,
        value,
    }
}

fn filter(soql: &str) -> Condition {
    parse(soql).unwrap().filter.unwrap()
}

fn where_(cond: &str) -> Condition {
    filter(&format!("SELECT Id FROM Contact WHERE {cond}"))
}

fn err(soql: &str) -> String {
    parse(soql).unwrap_err().message
}

fn string_literal(cond: &str) -> String {
    match where_(cond) {
        Condition::Compare {
            value: Literal::String(s),
            ..
        } => s,
        other => panic!("not a string comparison: {other:?}"),
    }
}

#[test]
fn parses_the_full_grammar() {
    let q = parse(
        "select Id, Name, Room__r.Status__c, Room__r.Current_Guest__r.Email from Booking__c \
         where Status__c = 'Reserved' order by Check_In_Date__c desc nulls last, Name limit 10 offset 5",
    )
    .unwrap();
    assert_eq!(q.object, "Booking__c");
    assert_eq!(
        q.fields,
        vec![
            path("Id"),
            path("Name"),
            path("Room__r.Status__c"),
            path("Room__r.Current_Guest__r.Email")
        ]
    );
    assert_eq!(
        q.filter,
        Some(cmp(
            "Status__c",
            CompareOp::Eq,
            Literal::String("Reserved".into())
        ))
    );
    assert_eq!(
        q.order_by,
        vec![
            OrderBy {
                field: path("Check_In_Date__c"),
                descending: true,
                nulls_last: true
            },
            OrderBy {
                field: path("Name"),
                descending: false,
                nulls_last: false
            },
        ]
    );
    assert_eq!((q.limit, q.offset), (Some(10), Some(5)));
}

#[test]
fn every_comparison_operator() {
    let cases = [
        ("=", CompareOp::Eq),
        ("!=", CompareOp::Ne),
        ("<>", CompareOp::Ne),
        ("<", CompareOp::Lt),
        ("<=", CompareOp::Le),
        (">", CompareOp::Gt),
        (">=", CompareOp::Ge),
    ];
    for (text, op) in cases {
        assert_eq!(
            where_(&format!("Floor__c {text} 2")),
            cmp("Floor__c", op, Literal::Number("2".into()))
        );
        // Without spaces too.
        assert_eq!(
            where_(&format!("Floor__c{text}-1.5")),
            cmp("Floor__c", op, Literal::Number("-1.5".into()))
        );
    }
}

#[test]
fn in_not_in_and_like() {
    assert_eq!(
        where_("Status__c IN ('Vacant', 'Cleaning')"),
        Condition::In {
            field: path("Status__c"),
            negated: false,
            values: vec![
                Literal::String("Vacant".into()),
                Literal::String("Cleaning".into())
            ]
        }
    );
    assert_eq!(
        where_("Status__c NOT IN ('Vacant')"),
        Condition::In {
            field: path("Status__c"),
            negated: true,
            values: vec![Literal::String("Vacant".into())]
        }
    );
    assert_eq!(
        where_(r"Name LIKE 'a%b_\%\_\''"),
        Condition::Like {
            field: path("Name"),
            pattern: LikePattern(vec![
                LikeToken::Char('a'),
                LikeToken::AnyChars,
                LikeToken::Char('b'),
                LikeToken::AnyChar,
                LikeToken::Char('%'),
                LikeToken::Char('_'),
                LikeToken::Char('\''),
            ])
        }
    );
}

#[test]
fn and_or_not_follow_soql_rules() {
    let (a, b, c) = (
        cmp("A", CompareOp::Eq, Literal::Number("1".into())),
        cmp("B", CompareOp::Eq, Literal::Number("2".into())),
        cmp("C", CompareOp::Eq, Literal::Number("3".into())),
    );
    assert_eq!(
        where_("A = 1 AND B = 2 and C = 3"),
        Condition::And(vec![a.clone(), b.clone(), c.clone()])
    );
    assert_eq!(
        where_("A = 1 OR B = 2"),
        Condition::Or(vec![a.clone(), b.clone()])
    );
    assert_eq!(
        where_("(A = 1 AND B = 2) OR C = 3"),
        Condition::Or(vec![Condition::And(vec![a.clone(), b.clone()]), c.clone()])
    );
    assert_eq!(
        where_("A = 1 AND (B = 2 OR C = 3)"),
        Condition::And(vec![a.clone(), Condition::Or(vec![b.clone(), c.clone()])])
    );
    // NOT binds to the term after it.
    assert_eq!(
        where_("NOT A = 1 AND B = 2"),
        Condition::And(vec![Condition::Not(Box::new(a.clone())), b.clone()])
    );
    assert_eq!(
        where_("A = 1 AND (NOT B = 2)"),
        Condition::And(vec![a.clone(), Condition::Not(Box::new(b.clone()))])
    );
    assert_eq!(
        where_("NOT (A = 1 OR B = 2)"),
        Condition::Not(Box::new(Condition::Or(vec![a.clone(), b.clone()])))
    );
    // Mixing connectives without parentheses, and NOT mid-condition, are errors as in Salesforce.
    assert_eq!(
        err("SELECT Id FROM Contact WHERE A = 1 AND B = 2 OR C = 3"),
        "unexpected token: 'OR'"
    );
    assert_eq!(
        err("SELECT Id FROM Contact WHERE A = 1 OR B = 2 AND C = 3"),
        "unexpected token: 'AND'"
    );
    assert_eq!(
        err("SELECT Id FROM Contact WHERE A = 1 AND NOT B = 2"),
        "unexpected token: 'NOT'"
    );
}

#[test]
fn string_escapes() {
    assert_eq!(string_literal(r"Name = 'O\'Brien'"), "O'Brien");
    assert_eq!(
        string_literal(r#"Name = 'a\"b\\c\nd\re\tf\bg\fh'"#),
        "a\"b\\c\nd\re\tf\u{8}g\u{c}h"
    );
    // Raw characters, control characters and any unicode are literal.
    assert_eq!(
        string_literal("Name = 'tab\there\u{1}ünï😀 %_'"),
        "tab\there\u{1}ünï😀 %_"
    );
    assert!(err(r"SELECT Id FROM Contact WHERE Name = 'a\x'").contains("invalid escape sequence"));
    assert!(err(r"SELECT Id FROM Contact WHERE Name = 'a\%'").contains("only allowed in a LIKE pattern"));
    assert!(err(r"SELECT Id FROM Contact WHERE Name = 'a\_'").contains("only allowed in a LIKE pattern"));
    assert!(err(r"SELECT Id FROM Contact WHERE Name = 'abc").contains("unterminated"));
    assert!(err(r"SELECT Id FROM Contact WHERE Name = 'abc\").contains("unterminated"));
}

#[test]
fn date_and_datetime_literals() {
    let lit = |cond: &str| match where_(cond) {
        Condition::Compare { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        lit("D = 2026-11-23"),
        Literal::Date(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
    );
    let ten = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
    assert_eq!(lit("D = 2026-11-23T10:00:00Z"), Literal::DateTime(ten));
    assert_eq!(lit("D = 2026-11-23T10:00:00.000Z"), Literal::DateTime(ten));
    assert_eq!(lit("D = 2026-11-23T11:30:00+01:30"), Literal::DateTime(ten));
    assert_eq!(lit("D = 2026-11-23T05:00:00-05:00"), Literal::DateTime(ten));
    assert_eq!(lit("D = today"), Literal::Relative(RelativeDate::Today));
    assert_eq!(lit("D = YESTERDAY"), Literal::Relative(RelativeDate::Yesterday));
    assert_eq!(lit("D = Tomorrow"), Literal::Relative(RelativeDate::Tomorrow));
    assert_eq!(
        lit("D = LAST_N_DAYS:30"),
        Literal::Relative(RelativeDate::LastNDays(30))
    );
    assert_eq!(
        lit("D = next_n_days : 7"),
        Literal::Relative(RelativeDate::NextNDays(7))
    );
    assert_eq!(lit("B = true"), Literal::Boolean(true));
    assert_eq!(lit("B = FALSE"), Literal::Boolean(false));
    assert_eq!(lit("B = null"), Literal::Null);
    assert!(err("SELECT Id FROM Contact WHERE D = 2026-13-01").contains("invalid date"));
    assert!(err("SELECT Id FROM Contact WHERE D = 2026-11-23T25:00:00Z").contains("invalid datetime"));
    assert!(err("SELECT Id FROM Contact WHERE D = 2026-11-23T10:00:00").contains("invalid datetime"));
    assert!(err("SELECT Id FROM Contact WHERE D = LAST_N_DAYS:-1").contains("invalid number"));
    assert!(err("SELECT Id FROM Contact WHERE D = LAST_N_DAYS:99999999999").contains("invalid number"));
}

#[test]
fn relative_date_ranges() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let d = |day: u32| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    assert_eq!(RelativeDate::Today.range(today), (d(23), d(23)));
    assert_eq!(RelativeDate::Yesterday.range(today), (d(22), d(22)));
    assert_eq!(RelativeDate::Tomorrow.range(today), (d(24), d(24)));
    assert_eq!(RelativeDate::LastNDays(3).range(today), (d(20), d(23)));
    assert_eq!(RelativeDate::NextNDays(3).range(today), (d(24), d(26)));
    // Huge values clamp rather than overflow.
    assert_eq!(RelativeDate::NextNDays(u32::MAX).range(today).1, NaiveDate::MAX);
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for soql in [
        "",
        "SELECT",
        "SELECT FROM Contact",
        "SELECT Id",
        "SELECT Id FROM",
        "SELECT Id, FROM Contact",
        "SELECT Id FROM Contact WHERE",
        "SELECT Id FROM Contact WHERE Name",
        "SELECT Id FROM Contact WHERE Name =",
        "SELECT Id FROM Contact WHERE (Name = 'a'",
        "SELECT Id FROM Contact WHERE Name = 'a')",
        "SELECT Id FROM Contact LIMIT",
        "SELECT Id FROM Contact LIMIT -1",
        "SELECT Id FROM Contact LIMIT 99999999999999999999999",
        "SELECT Id FROM Contact ORDER BY",
        "SELECT Id FROM Contact ORDER Name",
        "SELECT Id FROM Contact ORDER BY Name NULLS",
        "SELECT Id FROM Contact OFFSET 1 LIMIT 1",
        "SELECT Id FROM Contact extra",
        "SELECT Id FROM Contact WHERE Name LIKE 5",
        "SELECT Id FROM Contact WHERE Name IN ()",
        "SELECT Id FROM Contact WHERE Name = 'a' !",
        "SELECT Id FROM Contact WHERE Name = 'ä' ä",
        "SELECT COUNT() FROM Contact",
        "SELECT Id, (SELECT Id FROM Cases) FROM Contact",
        "SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)",
        "SELECT Room__r. FROM Booking__c",
        "SELECT Id FROM Contact WHERE Name = -",
    ] {
        assert!(parse(soql).is_err(), "{soql:?} should not parse");
    }
    let deep = format!(
        "SELECT Id FROM Contact WHERE {}A = 1{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(err(&deep), "query is nested too deeply");
}

#[test]
fn errors_carry_their_position() {
    let e = parse("SELECT Id\nFROM Contact WHERE Name = 1 OR").unwrap_err();
    assert_eq!((e.row, e.column), (2, 31));
    assert_eq!(e.message, "unexpected end of query");
    let e = parse("SELECT Id FRM Contact").unwrap_err();
    assert_eq!(
        (e.row, e.column, e.message.as_str()),
        (1, 11, "unexpected token: 'FRM'")
    );
}

#[test]
fn display_round_trips() {
    for soql in [
        "SELECT Id, Room__r.Status__c FROM Booking__c WHERE (A = 1 AND B != 'x') OR (NOT C IN (1, 2)) \
         ORDER BY Name DESC NULLS LAST LIMIT 5 OFFSET 2",
        r"SELECT Id FROM Contact WHERE Name LIKE 'O\'B%\_x' AND D >= LAST_N_DAYS:3 AND T < 2026-01-02T03:04:05.5Z",
        "SELECT Id FROM Contact WHERE NOT (A = NULL OR B = TRUE) AND E NOT IN ('a\\nb', 2026-01-01)",
    ] {
        let q = parse(soql).unwrap();
        assert_eq!(parse(&q.to_string()).unwrap(), q, "{q}");
    }
}
