//! No answer carries anything of an earlier request: the traced answers share fixed sentences,
//! statement fields (`sid`, `pointer`, policy name) and borrowed derived values with the prepared
//! set or the request, so requests by different principals on different resources are evaluated
//! in alternation on one prepared set, and each answer must be byte for byte (serde JSON) the
//! answer a freshly prepared set gives to that request alone.

use std::borrow::Cow;

use iamscope_eval::{AnswerLists, EvalResult, PolicySet, PolicySource, PreparedPolicySet, Request};

const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"OwnPrefix","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/${aws:username}/*"},
  {"Sid":"SameAccount","Effect":"Allow","Action":["dynamodb:GetItem","s3:GetObject"],"Resource":"*",
   "Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}},
  {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#;

const RESOURCE: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/partner"},
   "Action":"dynamodb:GetItem","Resource":"*"},
  {"Sid":"Lambda","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},
   "Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#;

const SCP: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},
  {"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*",
   "Condition":{"StringNotEquals":{"aws:PrincipalType":"Account"}}}]}"#;

/// Different kinds of principals, accounts and resources, so that the answers differ in every
/// request-dependent field (principal summary, action, resource, resource account, derived keys,
/// warnings, reasons, statement traces).
fn requests() -> Vec<Request> {
    let mut with_account = Request::new(
        "arn:aws:iam::111122223333:user/carol",
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:111122223333:table/carol",
    );
    with_account.resource_account = Some("444455556666".into());
    vec![
        Request::new(
            "arn:aws:iam::111122223333:user/alice",
            "s3:GetObject",
            "arn:aws:s3:::shared/alice/q1.csv",
        ),
        Request::new(
            "arn:aws:sts::444455556666:assumed-role/partner/session-7",
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
        ),
        Request::new(
            "111122223333",
            "iam:CreateUser",
            "arn:aws:iam::111122223333:user/bob",
        ),
        Request::new(
            "lambda.amazonaws.com",
            "s3:GetObject",
            "arn:aws:s3:::shared/x",
        ),
        Request::new(
            "arn:aws:sts::111122223333:federated-user/dave",
            "s3:DeleteBucket",
            "arn:aws:s3:::shared",
        ),
        Request::new("anonymous", "s3:GetObject", "*"),
        with_account,
        // another account in the warning that the resource ARN names none
        Request::new(
            "arn:aws:sts::444455556666:assumed-role/partner/session-8",
            "s3:GetObject",
            "arn:aws:s3:::shared/partner/p.csv",
        ),
    ]
}

fn policies() -> PolicySet {
    PolicySet {
        identity: vec![PolicySource::named("team", IDENTITY)],
        resource: Some(PolicySource::named("bucket", RESOURCE)),
        scp: vec![vec![PolicySource::named("guard", SCP)]],
        rcp: vec![Vec::new()],
        ..PolicySet::default()
    }
}

fn json(r: &EvalResult<'_>) -> String {
    serde_json::to_string(r).expect("an answer serialises")
}

/// `evaluate_fields_derived_apart`'s answer with its derived keys put back into the map.
fn apart(set: &PreparedPolicySet, r: &Request) -> String {
    let (mut result, derived) = set
        .evaluate_fields_derived_apart(
            &r.principal,
            &r.action,
            &r.resource,
            r.resource_account.as_deref(),
        )
        .expect("a valid request");
    assert!(result.derived_context.is_empty());
    result.derived_context = derived
        .into_iter()
        .map(|(k, v): (&str, Cow<'_, str>)| (k.to_string(), vec![v.into_owned()]))
        .collect();
    json(&result)
}

#[test]
fn alternating_requests_get_the_answers_they_get_alone() {
    let set = policies();
    let reqs = requests();
    // Each request alone, on a set prepared for it only.
    let alone: Vec<String> = reqs
        .iter()
        .map(|r| json(&PreparedPolicySet::new(&set).unwrap().evaluate(r).unwrap()))
        .collect();
    // The requests differ in what they are asked: so must their answers.
    for (i, a) in alone.iter().enumerate() {
        for b in &alone[i + 1..] {
            assert_ne!(a, b);
        }
    }
    // The derived keys take values from the principal and the resource account (a borrowed value
    // would show another request's principal if it leaked).
    assert!(
        alone[0].contains(r#""aws:username":["alice"]"#),
        "{}",
        alone[0]
    );
    assert!(
        alone[6].contains(r#""aws:username":["carol"]"#),
        "{}",
        alone[6]
    );
    assert!(alone[0].contains("assuming the principal's account 111122223333"));
    assert!(alone[6].contains("differs from the account in the resource ARN (111122223333)"));

    let shared = PreparedPolicySet::new(&set).unwrap();
    let order: Vec<usize> = (0..reqs.len())
        .chain((0..reqs.len()).rev())
        .chain((0..reqs.len()).map(|i| (i * 3) % reqs.len()))
        .collect();
    for round in 0..2 {
        for &i in &order {
            let r = &reqs[i];
            let whole = json(&shared.evaluate(r).unwrap());
            assert_eq!(whole, alone[i], "round {round}, request {i}: evaluate");
            assert_eq!(
                apart(&shared, r),
                alone[i],
                "round {round}, request {i}: apart"
            );
            // The fields-only call reads the same request.
            let fields = shared
                .evaluate_fields(
                    &r.principal,
                    &r.action,
                    &r.resource,
                    r.resource_account.as_deref(),
                )
                .unwrap();
            assert_eq!(
                json(&fields),
                alone[i],
                "round {round}, request {i}: fields"
            );
        }
    }
}

#[test]
fn answers_do_not_share_request_data_once_taken() {
    // Answers kept across later requests stay what they were (nothing is overwritten in place).
    let set = policies();
    let reqs = requests();
    let shared = PreparedPolicySet::new(&set).unwrap();
    let kept: Vec<EvalResult<'_>> = reqs.iter().map(|r| shared.evaluate(r).unwrap()).collect();
    let first: Vec<String> = kept.iter().map(json).collect();
    for r in reqs.iter().rev() {
        let _ = apart(&shared, r);
        let _ = shared.evaluate(r).unwrap();
    }
    let again: Vec<String> = kept.iter().map(json).collect();
    assert_eq!(first, again);
}

/// Whether `s` lies inside one of `within` (same memory, not just equal text).
fn inside(s: &str, within: &[&str]) -> bool {
    let (a, b) = (s.as_ptr() as usize, s.as_ptr() as usize + s.len());
    within.iter().any(|w| {
        let (c, d) = (w.as_ptr() as usize, w.as_ptr() as usize + w.len());
        c <= a && b <= d
    })
}

#[test]
fn borrowed_fields_of_an_answer_point_into_its_own_request() {
    // The fields that repeat the request (principal id and account, action, resource, resource
    // account) and the derived values borrow: each borrowed one must be a piece of the request
    // it answers, never of another request's memory or of something the set keeps.
    let set = policies();
    let reqs = requests();
    let shared = PreparedPolicySet::new(&set).unwrap();
    let every: Vec<&str> = reqs
        .iter()
        .flat_map(|r| {
            [&r.principal, &r.action, &r.resource]
                .into_iter()
                .chain(&r.resource_account)
        })
        .map(String::as_str)
        .collect();
    let mut borrowed = 0;
    for (i, r) in reqs.iter().enumerate().chain(reqs.iter().enumerate().rev()) {
        let own: Vec<&str> = [&r.principal, &r.action, &r.resource]
            .into_iter()
            .map(String::as_str)
            .chain(r.resource_account.as_deref())
            .collect();
        let (result, derived) = shared
            .evaluate_fields_derived_apart(
                &r.principal,
                &r.action,
                &r.resource,
                r.resource_account.as_deref(),
            )
            .unwrap();
        let mut fields: Vec<(&str, &Cow<'_, str>)> = vec![
            ("principal.id", &result.principal.id),
            ("action", &result.action),
            ("resource", &result.resource),
        ];
        fields.extend(
            result
                .principal
                .account
                .iter()
                .map(|a| ("principal.account", a)),
        );
        fields.extend(
            result
                .resource_account
                .iter()
                .map(|a| ("resourceAccount", a)),
        );
        fields.extend(derived.iter().map(|(k, v)| (*k, v)));
        for (name, value) in fields {
            // A borrowed value is a piece of this request, or a fixed word (`anonymous`, `true`,
            // `User`, ...): never a piece of another request.
            if let Cow::Borrowed(s) = value {
                if inside(s, &own) {
                    borrowed += 1;
                } else {
                    assert!(
                        !inside(s, &every),
                        "request {i}: {name} {s:?} is another request's"
                    );
                }
            }
        }
        // The answer kept past its request (owned) is the same answer.
        let text = json(&result);
        assert_eq!(json(&result.into_owned()), text, "request {i}");
    }
    // Each answer borrows its action and resource from its request at least.
    assert!(borrowed >= 4 * reqs.len(), "{borrowed}");
}

/// `r`'s fields written over `buffer` one after the other, as the wasm facade writes a request
/// over its reused buffer, and cut out again: principal, action, resource, resource account.
fn written_over<'b>(
    buffer: &'b mut String,
    r: &Request,
) -> (&'b str, &'b str, &'b str, Option<&'b str>) {
    buffer.clear();
    for f in [&r.principal, &r.action, &r.resource] {
        buffer.push_str(f);
    }
    buffer.push_str(r.resource_account.as_deref().unwrap_or(""));
    let (p, rest) = buffer.split_at(r.principal.len());
    let (a, rest) = rest.split_at(r.action.len());
    let (res, ra) = rest.split_at(r.resource.len());
    (p, a, res, r.resource_account.as_ref().map(|_| ra))
}

#[test]
fn requests_written_over_one_buffer_get_their_own_answers() {
    // The wasm facade writes every request into one buffer of the set and reads the fields from
    // there: an answer is taken (written out) before the next request overwrites the buffer, and
    // must be what that request alone gets.
    let set = policies();
    let reqs = requests();
    let shared = PreparedPolicySet::new(&set).unwrap();
    let alone: Vec<String> = reqs
        .iter()
        .map(|r| json(&PreparedPolicySet::new(&set).unwrap().evaluate(r).unwrap()))
        .collect();
    let mut buffer = String::new();
    for round in 0..2 {
        for (i, r) in reqs.iter().enumerate() {
            let (p, a, res, ra) = written_over(&mut buffer, r);
            let whole = json(&shared.evaluate_fields(p, a, res, ra).unwrap());
            assert_eq!(whole, alone[i], "round {round}, request {i}");
        }
    }
}

/// Requests the evaluation refuses, one per check of the request (an answer must never be built
/// from what an earlier refused request left).
fn refused() -> Vec<Request> {
    let mut bad_account = Request::new(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::shared/alice/q1.csv",
    );
    bad_account.resource_account = Some("12345".into());
    vec![
        Request::new(
            "arn:aws:iam::111122223333:user/alice",
            "s3:Get*",
            "arn:aws:s3:::shared/alice/q1.csv",
        ),
        Request::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", ""),
        Request::new("arn:aws:iam::bad:user/", "s3:GetObject", "*"),
        bad_account,
    ]
}

/// `read_fields_traced`'s answer, read as `apart` reads `evaluate_fields_derived_apart`'s (JSON
/// with the derived keys in the map), or its errors' JSON; fields taken from `buffer`, written
/// over for each request as the wasm facade does.
fn read_reusing(
    set: &PreparedPolicySet,
    lists: &mut AnswerLists,
    buffer: &mut String,
    r: &Request,
) -> String {
    let (p, a, res, ra) = written_over(buffer, r);
    let mut read = 0;
    let out = set.read_fields_traced(p, a, res, ra, lists, |result, derived| {
        read += 1;
        assert!(result.derived_context.is_empty());
        let mut whole = result.clone().into_owned();
        whole.derived_context = derived
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect();
        json(&whole)
    });
    assert!(lists.is_empty(), "the lists kept an element of an answer");
    match out {
        Ok(text) => {
            assert_eq!(read, 1);
            text
        }
        Err(errors) => {
            assert_eq!(read, 0, "an answer was read for a refused request");
            serde_json::to_string(&errors).unwrap()
        }
    }
}

#[test]
fn answers_built_in_reused_lists_are_the_answers_alone() {
    // `read_fields_traced` builds each answer in the lists of the earlier ones: every ordered
    // pair of requests (refused ones among them, and answers that stop early: an explicit deny, a
    // service principal, a cross-account request) runs back to back on one set and one set of
    // lists, and each answer must be byte for byte what the request gets alone.
    let set = policies();
    let reqs: Vec<Request> = requests().into_iter().chain(refused()).collect();
    let alone: Vec<String> = reqs
        .iter()
        .map(
            |r| match PreparedPolicySet::new(&set).unwrap().evaluate(r) {
                Ok(a) => json(&a),
                Err(e) => serde_json::to_string(&e).unwrap(),
            },
        )
        .collect();
    let refused_from = requests().len();
    assert!(
        alone[refused_from..]
            .iter()
            .all(|a| a.contains("INVALID_REQUEST"))
    );
    assert!(
        alone[..refused_from]
            .iter()
            .any(|a| a.contains("ExplicitDeny"))
    );
    let shared = PreparedPolicySet::new(&set).unwrap();
    let mut lists = AnswerLists::default();
    let mut buffer = String::new();
    for i in 0..reqs.len() {
        for j in 0..reqs.len() {
            for k in [i, j] {
                assert_eq!(
                    read_reusing(&shared, &mut lists, &mut buffer, &reqs[k]),
                    alone[k],
                    "request {k} after {i}, {j}"
                );
            }
        }
    }
    // Lists given back by one set build another set's answers as well.
    let other = PolicySet {
        scp: vec![Vec::new(), vec![PolicySource::named("guard", SCP)]],
        ..policies()
    };
    let other_shared = PreparedPolicySet::new(&other).unwrap();
    for (i, r) in reqs.iter().enumerate() {
        let want = match PreparedPolicySet::new(&other).unwrap().evaluate(r) {
            Ok(a) => json(&a),
            Err(e) => serde_json::to_string(&e).unwrap(),
        };
        assert_eq!(
            read_reusing(&other_shared, &mut lists, &mut buffer, r),
            want,
            "request {i}, other set"
        );
        assert_eq!(
            read_reusing(&shared, &mut lists, &mut buffer, r),
            alone[i],
            "request {i}"
        );
    }
}

#[test]
fn reused_lists_keep_their_room() {
    // The point of `read_fields_traced`: a second answer is built in the first one's lists (the
    // same memory), not in new ones.
    let set = policies();
    let shared = PreparedPolicySet::new(&set).unwrap();
    let r = &requests()[0];
    let mut lists = AnswerLists::default();
    let at = |lists: &mut AnswerLists| {
        shared
            .read_fields_traced(
                &r.principal,
                &r.action,
                &r.resource,
                None,
                lists,
                |result, derived| {
                    assert!(!result.reasons.is_empty() && !derived.is_empty());
                    assert_eq!(result.warnings.len(), 1, "{:?}", result.warnings);
                    let mut at = vec![
                        result.reasons.as_ptr() as usize,
                        result.layers.as_ptr() as usize,
                        derived.as_ptr() as usize,
                        result.warnings.as_ptr() as usize,
                        result.warnings[0].as_ptr() as usize,
                    ];
                    // every layer's statement list that has room (all four layers here)
                    let lists: Vec<usize> = result
                        .layers
                        .iter()
                        .filter(|l| !l.statements.is_empty())
                        .map(|l| l.statements.as_ptr() as usize)
                        .collect();
                    assert_eq!(lists.len(), 4);
                    at.extend(lists);
                    at
                },
            )
            .unwrap()
    };
    let first = at(&mut lists);
    assert_eq!(at(&mut lists), first);
    assert_eq!(at(&mut lists), first);
}
