//! The request context: condition keys with their values. Key names are case-insensitive
//! (reference_policies_elements_condition.md); values keep their case.
//!
//! The keys AWS sets from the principal and the resource (`aws:PrincipalArn`, `aws:username`, ...)
//! are derived lazily: a request whose applicable statements read no context key (most requests
//! against managed policies) never builds them.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

use crate::compile::WordHasher;

use iamscope_policy::values::{Timestamp, parse_date};

use crate::principal::{PrincipalKind, RequestPrincipal};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// The key as given (or as AWS spells it, for derived keys).
    pub name: String,
    pub values: Vec<String>,
    pub derived: bool,
}

/// A key AWS sets: its name as AWS spells it, lower-cased for lookups, and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Derived {
    name: &'static str,
    lower: &'static str,
    values: Vec<String>,
}

/// Context keys, looked up case-insensitively: the keys the request gives, then (when derivation
/// is on) the keys AWS derives from the principal and the resource that the request does not give.
#[derive(Clone, Debug, Default)]
pub struct Context<'p> {
    map: HashMap<String, ContextEntry, BuildHasherDefault<WordHasher>>,
    /// The principal and resource account to derive keys from, when derivation is on.
    seed: Option<(&'p RequestPrincipal<'p>, Option<&'p str>)>,
    derived: OnceCell<Vec<Derived>>,
}

impl PartialEq for Context<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map && self.derived_keys() == other.derived_keys()
    }
}

impl Eq for Context<'_> {}

impl<'p> Context<'p> {
    pub fn new(given: &[(String, Vec<String>)]) -> Context<'p> {
        let mut c = Context::default();
        if given.is_empty() {
            // (most requests: the map stays without a table)
            return c;
        }
        c.map.reserve(given.len());
        for (k, v) in given {
            c.map.insert(
                k.to_ascii_lowercase(),
                ContextEntry {
                    name: k.clone(),
                    values: v.clone(),
                    derived: false,
                },
            );
        }
        c
    }

    /// The values of `key` (any case), or `None` when the request does not carry it.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        if key.bytes().any(|b| b.is_ascii_uppercase()) {
            self.get_lower(&key.to_ascii_lowercase())
        } else {
            self.get_lower(key)
        }
    }

    /// Looks up a key that is already lower case.
    pub fn get_lower(&self, key_lower: &str) -> Option<&[String]> {
        if let Some(e) = self.map.get(key_lower) {
            return Some(e.values.as_slice());
        }
        self.derived_keys()
            .iter()
            .find(|d| d.lower == key_lower)
            .map(|d| d.values.as_slice())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Turns on the keys AWS sets from the principal and the resource (see
    /// [`derive_defaults`](Self::derive_defaults)); they are built on the first lookup that needs
    /// them.
    pub fn derive_lazily(
        &mut self,
        p: &'p RequestPrincipal<'p>,
        resource_account: Option<&'p str>,
    ) {
        self.seed = Some((p, resource_account));
        self.derived = OnceCell::new();
    }

    /// The derived keys (empty when derivation is off), built on first use.
    fn derived_keys(&self) -> &[Derived] {
        match self.seed {
            None => &[],
            Some((p, ra)) => self.derived.get_or_init(|| derive_owned(&self.map, p, ra)),
        }
    }

    /// The derived keys (as AWS spells them), each with its one value, sorted by name; for the
    /// principal and resource account this context derives from (when derivation is on; empty
    /// otherwise), given again with the request's lifetime so that the values borrow from the
    /// request instead of being copied. The same function of the same inputs as the keys the
    /// conditions saw.
    pub fn derived_sorted<'r>(
        &self,
        p: &RequestPrincipal<'r>,
        resource_account: Option<&'r str>,
    ) -> Vec<(&'static str, Cow<'r, str>)> {
        let mut out = Vec::new();
        self.derived_sorted_into(p, resource_account, &mut out);
        out
    }

    /// [`derived_sorted`](Self::derived_sorted) appended to `out` (a list the caller reuses;
    /// given empty, it holds exactly what `derived_sorted` returns).
    pub fn derived_sorted_into<'r>(
        &self,
        p: &RequestPrincipal<'r>,
        resource_account: Option<&'r str>,
        out: &mut Vec<(&'static str, Cow<'r, str>)>,
    ) {
        if self.seed.is_some() {
            derive_into(&self.map, p, resource_account, out);
        }
    }

    /// The derived keys with their values (the keys the request gave are not among them).
    pub fn derived_map(&self) -> BTreeMap<String, Vec<String>> {
        self.derived_keys()
            .iter()
            .map(|d| (d.name.to_string(), d.values.clone()))
            .collect()
    }

    /// [`derived_map`](Self::derived_map) for a context that is done with: the values are moved
    /// out rather than copied (an evaluation's last use of its context), and the map is built by
    /// inserting the few keys rather than collecting and sorting them.
    pub fn take_derived_map(&mut self) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for (name, values) in self.take_derived() {
            out.insert(name.to_string(), values);
        }
        out
    }

    /// The derived keys (as AWS spells them) with their values, moved out of a context that is
    /// done with, in the order they were derived (not sorted).
    pub fn take_derived(&mut self) -> Vec<(&'static str, Vec<String>)> {
        let list = match self.seed {
            None => return Vec::new(),
            Some((p, ra)) => match self.derived.take() {
                Some(list) => list,
                None => derive_owned(&self.map, p, ra),
            },
        };
        list.into_iter().map(|d| (d.name, d.values)).collect()
    }

    /// Adds the keys AWS sets from the principal and the resource, and derives `aws:EpochTime`
    /// from `aws:CurrentTime` (and the other way round). The wall clock is never read.
    /// Returns the derived keys with their values.
    pub fn derive_defaults(
        &mut self,
        p: &RequestPrincipal<'_>,
        resource_account: Option<&str>,
    ) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        for d in derive_owned(&self.map, p, resource_account) {
            out.insert(d.name.to_string(), d.values.clone());
            self.map.insert(
                d.lower.to_string(),
                ContextEntry {
                    name: d.name.to_string(),
                    values: d.values,
                    derived: true,
                },
            );
        }
        self.derived = OnceCell::new();
        out
    }
}

/// [`derive`] with each value owned, as the list of one value that a lookup returns.
fn derive_owned(
    given: &HashMap<String, ContextEntry, BuildHasherDefault<WordHasher>>,
    p: &RequestPrincipal<'_>,
    resource_account: Option<&str>,
) -> Vec<Derived> {
    derive(given, p, resource_account)
        .into_iter()
        .map(|(name, v)| Derived {
            name,
            // every name comes from KEYS
            lower: KEYS.iter().find(|k| k.0 == name).map_or("", |k| k.1),
            values: vec![v.into_owned()],
        })
        .collect()
}

/// Every key AWS may set from the principal and the resource, as AWS spells it and in lower case,
/// in the byte order of the names (the order of a map of them): [`derive`] adds the keys in this
/// order, so that its list is sorted without sorting it.
const KEYS: [(&str, &str); 10] = [
    ("aws:CurrentTime", "aws:currenttime"),
    ("aws:EpochTime", "aws:epochtime"),
    ("aws:PrincipalAccount", "aws:principalaccount"),
    ("aws:PrincipalArn", "aws:principalarn"),
    ("aws:PrincipalIsAWSService", "aws:principalisawsservice"),
    ("aws:PrincipalServiceName", "aws:principalservicename"),
    ("aws:PrincipalType", "aws:principaltype"),
    ("aws:ResourceAccount", "aws:resourceaccount"),
    ("aws:userid", "aws:userid"),
    ("aws:username", "aws:username"),
];
const CURRENT_TIME: usize = 0;
const EPOCH_TIME: usize = 1;
const PRINCIPAL_ACCOUNT: usize = 2;
const PRINCIPAL_ARN: usize = 3;
const PRINCIPAL_IS_AWS_SERVICE: usize = 4;
const PRINCIPAL_SERVICE_NAME: usize = 5;
const PRINCIPAL_TYPE: usize = 6;
const RESOURCE_ACCOUNT: usize = 7;
const USER_ID: usize = 8;
const USER_NAME: usize = 9;

/// The keys AWS sets from the principal and the resource that `given` (lower-case keys) lacks,
/// sorted by name (the order of [`KEYS`], in which they are added: each key's value depends on
/// the principal, the resource account and `given` only, not on another key), each with its one
/// value, borrowed from the principal or the resource account where it can be.
fn derive<'r>(
    given: &HashMap<String, ContextEntry, BuildHasherDefault<WordHasher>>,
    p: &RequestPrincipal<'r>,
    resource_account: Option<&'r str>,
) -> Vec<(&'static str, Cow<'r, str>)> {
    let mut out = Vec::with_capacity(8);
    derive_into(given, p, resource_account, &mut out);
    out
}

/// [`derive`] appended to `out`.
fn derive_into<'r>(
    given: &HashMap<String, ContextEntry, BuildHasherDefault<WordHasher>>,
    p: &RequestPrincipal<'r>,
    resource_account: Option<&'r str>,
    out: &mut Vec<(&'static str, Cow<'r, str>)>,
) {
    // at most eight keys at once (an IAM user with a time key): one allocation at most, none
    // for a reused list
    out.reserve(8);
    // The values cost nothing to make but for the few that are formatted (the root user's ARN, a
    // federated user's id, the time keys), whose keys a request rarely gives itself. A macro
    // rather than a closure: each key is a few instructions in place instead of a call (a traced
    // answer lists every key: 40 instructions a key as a call, session 7), with the lookup in
    // what the request gave kept out of line (a copy at each key is 3.6 KB of wasm) and made only
    // when the request gave context keys.
    let check = !given.is_empty();
    macro_rules! add {
        ($key:expr, $value:expr) => {{
            let (name, lower) = KEYS[$key];
            if !check || !gave(given, lower) {
                out.push((name, $value));
            }
        }};
    }
    // One of the two time keys implies the other.
    let first = |k: &str| {
        given
            .get(k)
            .and_then(|e| e.values.first())
            .and_then(|v| parse_date(v))
    };
    match (first("aws:currenttime"), first("aws:epochtime")) {
        (None, Some(t)) => {
            if let Some(iso) = Timestamp::to_iso8601(&t) {
                add!(CURRENT_TIME, Cow::Owned(iso));
            }
        }
        (Some(t), None) => add!(EPOCH_TIME, Cow::Owned(t.epoch_seconds().to_string())),
        _ => {}
    }
    if let Some(acct) = p.account
        && p.kind.is_iam()
    {
        add!(PRINCIPAL_ACCOUNT, Cow::Borrowed(acct));
    }
    if let Some(arn) = p.principal_arn() {
        add!(PRINCIPAL_ARN, arn);
    }
    match p.kind {
        PrincipalKind::Service => {
            add!(PRINCIPAL_IS_AWS_SERVICE, Cow::Borrowed("true"));
            add!(PRINCIPAL_SERVICE_NAME, p.id.clone());
        }
        k if k.is_iam() => add!(PRINCIPAL_IS_AWS_SERVICE, Cow::Borrowed("false")),
        _ => {}
    }
    // aws:PrincipalType (reference_policies_variables.md, "Principal key values").
    let ptype = match p.kind {
        PrincipalKind::Root => Some("Account"),
        PrincipalKind::User => Some("User"),
        PrincipalKind::FederatedUser => Some("FederatedUser"),
        PrincipalKind::Role | PrincipalKind::RoleSession => Some("AssumedRole"),
        PrincipalKind::Anonymous => Some("Anonymous"),
        _ => None,
    };
    if let Some(t) = ptype {
        add!(PRINCIPAL_TYPE, Cow::Borrowed(t));
    }
    if let Some(ra) = resource_account {
        add!(RESOURCE_ACCOUNT, Cow::Borrowed(ra));
    }
    match p.kind {
        PrincipalKind::Root => {
            if let Some(a) = p.account {
                add!(USER_ID, Cow::Borrowed(a));
            }
        }
        PrincipalKind::FederatedUser => {
            if let (Some(a), Some(n)) = (p.account, p.name) {
                add!(USER_ID, Cow::Owned(format!("{a}:{n}")));
            }
        }
        PrincipalKind::User => {
            if let Some(n) = p.name {
                add!(USER_NAME, Cow::Borrowed(n));
            }
        }
        _ => {}
    }
}

/// Whether the request gave `lower` itself (out of line: see [`derive`]).
#[inline(never)]
fn gave(
    given: &HashMap<String, ContextEntry, BuildHasherDefault<WordHasher>>,
    lower: &str,
) -> bool {
    given.contains_key(lower)
}

#[cfg(test)]
mod tests {
    use super::{Context, KEYS, derive};
    use crate::principal::RequestPrincipal;

    #[test]
    fn keys_are_in_name_order_with_their_lower_case() {
        assert!(KEYS.windows(2).all(|w| w[0].0 < w[1].0), "{KEYS:?}");
        for (name, lower) in KEYS {
            assert_eq!(name.to_ascii_lowercase(), lower);
        }
    }

    #[test]
    fn derived_keys_come_sorted_for_every_kind_of_principal() {
        let time = |k: &str, v: &str| vec![(k.to_string(), vec![v.to_string()])];
        let cases = [
            (
                "arn:aws:iam::111122223333:user/alice",
                time("aws:CurrentTime", "2024-01-02T03:04:05Z"),
            ),
            ("111122223333", time("aws:EpochTime", "1704164645")),
            ("arn:aws:sts::111122223333:federated-user/bob", Vec::new()),
            (
                "arn:aws:sts::111122223333:assumed-role/r/s",
                time("aws:EpochTime", "1704164645"),
            ),
            (
                "lambda.amazonaws.com",
                time("aws:CurrentTime", "2024-01-02T03:04:05Z"),
            ),
            ("anonymous", Vec::new()),
        ];
        for (principal, given) in cases {
            let p = RequestPrincipal::parse(principal, None).expect("a principal");
            let ctx = Context::new(&given);
            let keys = derive(&ctx.map, &p, Some("444455556666"));
            assert!(keys.len() >= 2, "{principal}: {keys:?}");
            assert!(
                keys.windows(2).all(|w| w[0].0 < w[1].0),
                "{principal}: {keys:?}"
            );
            // the given key is not derived again, its counterpart is
            for (k, _) in &given {
                assert!(
                    !keys.iter().any(|(name, _)| name == k),
                    "{principal}: {keys:?}"
                );
                assert_eq!(
                    keys.iter()
                        .filter(|(name, _)| name.ends_with("Time"))
                        .count(),
                    1,
                    "{principal}: {keys:?}"
                );
            }
        }
    }
}
