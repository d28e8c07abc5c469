//! Helpers shared by rules: condition lookups, safe text edits, action matching without the
//! catalog. Nothing here allocates per item unless it builds a diagnostic.

use iamscope_policy::model::{
    ConditionBlock, ConditionElement, ConditionEntry, ConditionValue, ItemStr, PrincipalType,
    Spanned, Statement, ValueList,
};
use iamscope_policy::wildcard::wildcard_match;
use iamscope_policy::{BaseOperator, OperatorFamily, SetQualifier};
use iamscope_syntax::{Diagnostic, FindingType, Fix, TextEdit, TextRange};

/// Condition key names compare without case.
pub fn key_is(key: &str, wanted: &str) -> bool {
    key.eq_ignore_ascii_case(wanted)
}

/// True when `s` may contain a policy variable (the value then cannot be checked statically).
pub fn has_variable(s: &str) -> bool {
    crate::bytes::has_dollar_brace(s)
}

/// Every (block, entry) of a statement's condition.
pub fn entries(st: &Statement) -> impl Iterator<Item = (&ConditionBlock, &ConditionEntry)> {
    st.condition.iter().flat_map(ConditionElement::entries)
}

/// True when the statement's condition names `key` (any operator).
pub fn has_key(st: &Statement, key: &str) -> bool {
    entries(st).any(|(_, e)| key_is(&e.key.value, key))
}

/// True when the statement's condition names a key starting with `prefix` (case-insensitive).
pub fn has_key_prefix(st: &Statement, prefix: &str) -> bool {
    entries(st).any(|(_, e)| {
        e.key
            .value
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    })
}

/// The operator family of a block, if the operator is known.
pub fn family(b: &ConditionBlock) -> Option<OperatorFamily> {
    b.op.map(|o| o.base.family())
}

pub fn base(b: &ConditionBlock) -> Option<BaseOperator> {
    b.op.map(|o| o.base)
}

pub fn qualifier(b: &ConditionBlock) -> Option<SetQualifier> {
    b.op.and_then(|o| o.qualifier)
}

/// The text of a condition value.
pub fn text(v: &Spanned<ConditionValue>) -> &str {
    v.value.as_text()
}

/// Does an `Action` list (or `NotAction`) grant `action` (a full `service:Name`)? Exact names are
/// compared case-insensitively with `*` and `?` wildcards, as AWS matches actions.
pub fn list_grants_action(list: &ValueList, action: &str) -> bool {
    let any = list.items.iter().any(|i| action_matches(&i.value, action));
    any != list.not
}

/// Does the `Action` item `pattern` match the action name? (Case-insensitive wildcards, with a
/// fast path for literal items and for items of another service.)
pub fn action_matches(pattern: &str, action: &str) -> bool {
    if !has_wildcard(pattern) {
        return pattern.eq_ignore_ascii_case(action);
    }
    if let (Some((ps, _)), Some((asvc, _))) = (pattern.split_once(':'), action.split_once(':'))
        && !has_wildcard(ps)
        && !ps.eq_ignore_ascii_case(asvc)
    {
        return false;
    }
    wildcard_match(pattern, action, true)
}

/// The first item of an `Action` list that matches `action` (None for NotAction).
pub fn matching_action_item<'a>(list: &'a ValueList, action: &str) -> Option<&'a Spanned<ItemStr>> {
    if list.not {
        return None;
    }
    list.items.iter().find(|i| action_matches(&i.value, action))
}

/// True when the resource list covers every resource (`"*"` in `Resource`).
pub fn resource_is_star(list: &ValueList) -> bool {
    !list.not && list.items.iter().any(|i| i.value == "*")
}

/// True for the `Principal` types in a statement.
pub fn principal_has_type(st: &Statement, t: PrincipalType) -> bool {
    st.principal
        .as_ref()
        .is_some_and(|p| p.values().any(|(e, _)| e.kind == Some(t)))
}

/// An edit that removes item `i` of a JSON array whose item ranges are `items` (in order), with
/// the comma that separates it from its neighbour. `None` when it would leave the array empty or
/// the text between items is not just a comma and whitespace.
pub fn remove_array_item(text: &str, items: &[TextRange], i: usize) -> Option<TextEdit> {
    if items.len() < 2 || i >= items.len() {
        return None;
    }
    let sep_ok = |a: TextRange, b: TextRange| {
        text.get(a.end as usize..b.start as usize)
            .is_some_and(|s| s.trim() == ",")
    };
    let range = if i + 1 < items.len() {
        if !sep_ok(items[i], items[i + 1]) {
            return None;
        }
        TextRange::new(items[i].start, items[i + 1].start)
    } else {
        if !sep_ok(items[i - 1], items[i]) {
            return None;
        }
        TextRange::new(items[i - 1].end, items[i].end)
    };
    Some(TextEdit {
        range,
        new_text: String::new(),
    })
}

/// A safe fix that removes item `i` of an `Action`/`Resource` list (only for arrays whose items
/// were all strings, so the item ranges are contiguous in the source).
pub fn remove_list_item_fix(text: &str, list: &ValueList, i: usize, title: String) -> Option<Fix> {
    if !list.is_array || list.source_index.iter().enumerate().any(|(k, s)| k != *s) {
        return None;
    }
    let ranges: Vec<TextRange> = list.items.iter().map(|s| s.range).collect();
    remove_array_item(text, &ranges, i).map(|e| Fix {
        title,
        edits: vec![e],
        safe: true,
    })
}

/// Shorthand for a diagnostic at `range` with a pointer.
pub fn diag(
    code: &str,
    ft: FindingType,
    message: impl Into<String>,
    range: TextRange,
    pointer: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(code, ft, message, range, pointer)
}

/// The statement's range for findings about the whole statement: its Sid when it has one, else
/// its `Effect` element, else the statement object's first character.
pub fn statement_anchor(st: &Statement) -> TextRange {
    if let Some(s) = &st.sid_element {
        return s.full();
    }
    if let Some(e) = &st.effect_element {
        return e.full();
    }
    TextRange::new(
        st.range.start,
        st.range.start.saturating_add(1).min(st.range.end),
    )
}

/// The `Action` element's key range, or the statement anchor.
pub fn action_anchor(st: &Statement) -> TextRange {
    st.action
        .as_ref()
        .map(|a| a.span.key)
        .unwrap_or_else(|| statement_anchor(st))
}

/// The `Principal` element's key range, or the statement anchor.
pub fn principal_anchor(st: &Statement) -> TextRange {
    st.principal
        .as_ref()
        .map(|p| p.span.key)
        .unwrap_or_else(|| statement_anchor(st))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_middle_and_last_items() {
        let t = r#"["a", "b", "c"]"#;
        let items = [
            TextRange::new(1, 4),
            TextRange::new(6, 9),
            TextRange::new(11, 14),
        ];
        let e = remove_array_item(t, &items, 1).unwrap();
        let mut s = t.to_string();
        s.replace_range(e.range.start as usize..e.range.end as usize, "");
        assert_eq!(s, r#"["a", "c"]"#);
        let e = remove_array_item(t, &items, 2).unwrap();
        let mut s = t.to_string();
        s.replace_range(e.range.start as usize..e.range.end as usize, "");
        assert_eq!(s, r#"["a", "b"]"#);
        assert!(remove_array_item(t, &items[..1], 0).is_none());
    }
}

/// The AWS Regions (commercial, China, GovCloud, ISO and sovereign partitions) as published in
/// the AWS General Reference, "AWS Regions" (2026).
pub const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-south-1",
    "eu-south-2",
    "eu-north-1",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
    "sa-east-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-south-1",
    "us-isof-east-1",
    "eu-isoe-west-1",
    "eusc-de-east-1",
];

/// True for a known Region name (exact, lowercase).
pub fn is_region(s: &str) -> bool {
    REGIONS.contains(&s)
}

/// True when `s` contains `*` or `?`.
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

/// IP range helpers on top of `iamscope_policy::values::IpRange`.
pub mod ip {
    use iamscope_policy::values::{IpRange, parse_ip_range};
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    fn bits(r: &IpRange) -> (u128, u32) {
        match r.addr {
            IpAddr::V4(a) => (u32::from(a) as u128, 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        }
    }

    fn mask(r: &IpRange) -> u128 {
        let (_, width) = bits(r);
        let prefix = u32::from(r.prefix).min(width);
        if prefix == 0 {
            return 0;
        }
        let all: u128 = if width == 128 {
            u128::MAX
        } else {
            (1u128 << width) - 1
        };
        let host = width - prefix;
        if host == 0 {
            all
        } else {
            all & !((1u128 << host) - 1)
        }
    }

    /// The range with its host bits cleared.
    pub fn network(r: &IpRange) -> IpRange {
        let (b, _) = bits(r);
        let net = b & mask(r);
        let addr = match r.addr {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(net as u32)),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(net)),
        };
        IpRange { addr, ..*r }
    }

    /// True when bits after the prefix are set (`10.0.0.1/8`).
    pub fn has_host_bits(r: &IpRange) -> bool {
        let (b, _) = bits(r);
        b & !mask(r) != 0
    }

    /// True when every address of `inner` is in `outer`.
    pub fn contains(outer: &IpRange, inner: &IpRange) -> bool {
        outer.addr.is_ipv4() == inner.addr.is_ipv4()
            && inner.prefix >= outer.prefix
            && outer.contains(&inner.addr)
    }

    const PRIVATE: &[&str] = &[
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    ];

    /// True when the whole range is private, loopback, link-local or shared address space
    /// (RFC 1918, RFC 6598, RFC 4193): addresses `aws:SourceIp` never carries.
    pub fn is_private(r: &IpRange) -> bool {
        let net = network(r);
        PRIVATE
            .iter()
            .filter_map(|p| parse_ip_range(p))
            .any(|p| contains(&p, &net))
    }

    /// `addr/prefix`.
    pub fn canonical(r: &IpRange) -> String {
        format!("{}/{}", r.addr, r.prefix)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn ranges() {
            let r = parse_ip_range("10.0.0.1/8").unwrap();
            assert!(has_host_bits(&r));
            assert_eq!(canonical(&network(&r)), "10.0.0.0/8");
            assert!(is_private(&r));
            assert!(!is_private(&parse_ip_range("203.0.113.0/24").unwrap()));
            assert!(!is_private(&parse_ip_range("0.0.0.0/0").unwrap()));
            let v6 = parse_ip_range("2001:DB8:1234:5678::1/64").unwrap();
            assert!(has_host_bits(&v6));
            assert_eq!(canonical(&network(&v6)), "2001:db8:1234:5678::/64");
            assert!(is_private(&parse_ip_range("fd00::/8").unwrap()));
            assert!(!has_host_bits(&parse_ip_range("::/0").unwrap()));
            assert!(!has_host_bits(&parse_ip_range("1.2.3.4").unwrap()));
        }
    }
}

/// True for a value written as epoch seconds (what `INVALID_DATE_VALUE` reports).
pub fn is_epoch_date(s: &str) -> bool {
    let t = s.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && iamscope_policy::values::parse_date(t).is_some()
}

/// Data derived from the policy once per lint run and shared by the rules that need it.
#[derive(Default)]
pub struct Derived<'a> {
    /// What every `Action`/`NotAction` item and statement applies to in the catalog.
    actions: std::sync::OnceLock<ActionFacts>,
    /// Per service: the ARN formats of its resource types, split into fields.
    formats: std::sync::Mutex<
        std::collections::HashMap<iamscope_catalog::Service<'a>, std::sync::Arc<Vec<[&'a str; 5]>>>,
    >,
    /// The text has a `$` or a `\u` escape (so it may spell a policy variable).
    dollar_or_escape: std::sync::OnceLock<bool>,
    /// The parser's count of white space between tokens, when the caller passed it.
    white_space: std::sync::OnceLock<usize>,
    /// The text is ASCII.
    ascii: std::sync::OnceLock<bool>,
    /// Condition keys already looked up in the catalog (several rules ask for each key).
    keys: std::sync::Mutex<
        std::collections::HashMap<String, Option<iamscope_catalog::ConditionKeyInfo<'a>>>,
    >,
}

impl Derived<'_> {
    /// Records the parser's count of white space between the text's tokens
    /// ([`iamscope_policy::ParsedPolicy::white_space`]), from which [`crate::Context::policy_size`]
    /// answers without scanning the text again.
    pub fn set_white_space(&self, bytes: usize) {
        let _ = self.white_space.set(bytes);
    }

    /// Records whether the text has a `$` or a `\u` escape, from the parse
    /// ([`iamscope_policy::ParsedPolicy::dollar_or_unicode_escape`]), so that
    /// [`crate::Context::text_may_have_variables`] answers without scanning the text.
    pub fn set_dollar_or_escape(&self, yes: bool) {
        let _ = self.dollar_or_escape.set(yes);
    }

    /// Records whether the text is ASCII, from the parse
    /// ([`iamscope_policy::ParsedPolicy::text_is_ascii`]), so that [`crate::Context::text_is_ascii`]
    /// answers without a pass over the text (in wasm32 the standard library's check reads four
    /// bytes at a time: two passes were 8% of linting the largest policy in the module).
    pub fn set_ascii(&self, yes: bool) {
        let _ = self.ascii.set(yes);
    }

    /// Computes every lazily derived fact now (for timing them apart from the rules).
    pub fn prepare(&self, cx: &crate::Context<'_>) {
        let _ = cx.statement_actions(0);
    }
}

/// The catalog actions of every `Action`/`NotAction` list, computed once per policy: each item's
/// expansion and each statement's union (or complement, for `NotAction`).
struct ActionFacts {
    statements: Vec<StatementActions>,
    /// Per item (all statements, in order): its range in `ids`.
    items: Vec<(u32, u32)>,
    /// The item expansions, concatenated; each sorted.
    ids: Vec<u32>,
}

struct StatementActions {
    /// The statement's items: a range of `ActionFacts::items`.
    items: (u32, u32),
    /// The catalog indexes the statement's `Action`/`NotAction` applies to, sorted.
    applies: Vec<u32>,
    /// Some catalog action is matched by two or more items of the list.
    overlap: bool,
    /// Every item of the list is the name of a catalog action (so none holds a `*` or `?`).
    named: bool,
}

impl ActionFacts {
    fn new(catalog: &iamscope_catalog::Catalog, policy: &iamscope_policy::model::Policy) -> Self {
        let mut facts = ActionFacts {
            statements: Vec::with_capacity(policy.statements.len()),
            items: Vec::new(),
            ids: Vec::new(),
        };
        let mut scratch: Vec<u32> = Vec::new();
        let mut bits: Vec<u64> = Vec::new();
        let mut expander = catalog.expander();
        for st in &policy.statements {
            let first_item = facts.items.len() as u32;
            let first_id = facts.ids.len();
            let mut named = true;
            if let Some(list) = &st.action {
                for item in &list.items {
                    let lo = facts.ids.len() as u32;
                    named &= expander.expand_into(&item.value, &mut facts.ids);
                    facts.items.push((lo, facts.ids.len() as u32));
                }
            }
            // The union of the items' expansions: already sorted and distinct when the items
            // name actions in catalog order (as long lists usually do).
            let all = &facts.ids[first_id..];
            let (union_len, union) = if all.windows(2).all(|w| w[0] < w[1]) {
                (all.len(), None)
            } else {
                sorted_union(all, catalog.actions().len(), &mut scratch, &mut bits);
                (scratch.len(), Some(&scratch))
            };
            let overlap = union_len < all.len();
            let applies = match &st.action {
                None => Vec::new(),
                Some(list) if list.not => {
                    // What no item matches: the complement of the items' union, which the
                    // expansions above already hold (equal to `Catalog::expand_not`, without
                    // matching every catalog action against every item again).
                    complement(union.map_or(all, |u| u.as_slice()), catalog.actions().len())
                }
                Some(_) => union.map_or_else(|| all.to_vec(), |u| u.clone()),
            };
            facts.statements.push(StatementActions {
                items: (first_item, facts.items.len() as u32),
                applies,
                overlap,
                named,
            });
        }
        facts
    }
}

impl<'a> crate::Context<'a> {
    /// The ARN formats (split into fields) of the resource types of `service`, cached per policy.
    pub fn service_arn_formats(
        &self,
        service: &iamscope_catalog::Service<'a>,
    ) -> std::sync::Arc<Vec<[&'a str; 5]>> {
        fn split<'c>(s: &iamscope_catalog::Service<'c>) -> Vec<[&'c str; 5]> {
            s.resource_types()
                .filter_map(|rt| arn_fields(rt.arn_format()))
                .collect()
        }
        let embedded = iamscope_catalog::Catalog::embedded();
        if std::ptr::eq(self.catalog, embedded) {
            // They depend on the catalog alone: for the embedded one (which lives as long as the
            // program), kept for every later lint instead of split again per policy.
            type Formats = std::sync::Arc<Vec<[&'static str; 5]>>;
            static EMBEDDED: std::sync::OnceLock<
                std::sync::Mutex<std::collections::HashMap<&'static str, Formats>>,
            > = std::sync::OnceLock::new();
            let Some(own) = embedded.service(service.prefix()) else {
                return std::sync::Arc::default();
            };
            let mut map = match EMBEDDED.get_or_init(Default::default).lock() {
                Ok(m) => m,
                Err(p) => p.into_inner(),
            };
            return map
                .entry(own.prefix())
                .or_insert_with(|| std::sync::Arc::new(split(&own)))
                .clone();
        }
        let mut map = match self.derived.formats.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        map.entry(*service)
            .or_insert_with(|| std::sync::Arc::new(split(service)))
            .clone()
    }

    /// `text.is_ascii()`, once per lint (the parser's answer when the caller passed it).
    pub fn text_is_ascii(&self) -> bool {
        *self.derived.ascii.get_or_init(|| self.text.is_ascii())
    }

    /// True when the text has a `$` or a `\u` escape, so it may hold a policy variable (one scan of
    /// the text per lint, shared by the variable rules).
    pub fn text_may_have_variables(&self) -> bool {
        *self
            .derived
            .dollar_or_escape
            .get_or_init(|| crate::bytes::has_dollar_or_unicode_escape(self.text))
    }

    /// The policy's size as IAM counts it: characters without the white space between tokens
    /// ([`crate::rules::grammar::policy_size`]). For an ASCII text whose white space the parser
    /// counted, the text's length less that white space (the only characters outside strings
    /// that the count leaves out), without another pass over the text's structure.
    pub fn policy_size(&self) -> usize {
        match self.derived.white_space.get() {
            Some(&ws) if ws <= self.text.len() && self.text_is_ascii() => self.text.len() - ws,
            _ => crate::rules::grammar::policy_size(self.text),
        }
    }

    /// [`iamscope_catalog::Catalog::condition_key`], remembered per policy: the rules on
    /// condition keys each look up every key of the policy, and a look-up of a templated key
    /// (`aws:ResourceTag/Team`) tries the catalog's templates.
    pub fn condition_key(&self, key: &str) -> Option<iamscope_catalog::ConditionKeyInfo<'a>> {
        let mut map = match self.derived.keys.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        if let Some(info) = map.get(key) {
            return *info;
        }
        let info = self.catalog.condition_key(key);
        map.insert(key.to_owned(), info);
        info
    }

    /// [`condition_key_known`] through [`crate::Context::condition_key`].
    pub fn condition_key_known(&self, key: &str) -> bool {
        key_known_by(key, |k| self.condition_key(k).is_some())
    }

    fn action_facts(&self) -> &ActionFacts {
        self.derived
            .actions
            .get_or_init(|| ActionFacts::new(self.catalog, self.policy))
    }

    /// The catalog indexes of the actions statement `pos` (its position in `policy.statements`)
    /// applies to, sorted: the union of its `Action` items, or the complement of its `NotAction`
    /// items. Empty when it has no action element.
    pub fn statement_actions(&self, pos: usize) -> &[u32] {
        self.action_facts()
            .statements
            .get(pos)
            .map(|s| s.applies.as_slice())
            .unwrap_or(&[])
    }

    /// The catalog indexes item `i` of statement `pos`'s `Action`/`NotAction` list matches
    /// ([`iamscope_catalog::Catalog::expand`] of the item), sorted.
    pub fn item_actions(&self, pos: usize, i: usize) -> &[u32] {
        let f = self.action_facts();
        let Some(st) = f.statements.get(pos) else {
            return &[];
        };
        let k = st.items.0 as usize + i;
        if k >= st.items.1 as usize {
            return &[];
        }
        let (lo, hi) = f.items[k];
        &f.ids[lo as usize..hi as usize]
    }

    /// True when some catalog action is matched by two or more items of statement `pos`'s
    /// `Action`/`NotAction` list (else no item can be redundant).
    pub fn action_items_overlap(&self, pos: usize) -> bool {
        self.action_facts()
            .statements
            .get(pos)
            .is_some_and(|s| s.overlap)
    }

    /// True when every item of statement `pos`'s `Action`/`NotAction` list names a catalog action
    /// (so every item matches one, and none holds a `*` or `?`), as the expansion found.
    pub fn action_items_named(&self, pos: usize) -> bool {
        self.action_facts()
            .statements
            .get(pos)
            .is_some_and(|s| s.named)
    }

    /// [`crate::Context::action_items_named`] when some rule has already expanded the policy's
    /// actions, else false: for a rule that only skips work the expansion has done, and that
    /// would be slower than its own scan if it expanded them when run alone.
    pub fn action_items_named_if_expanded(&self, pos: usize) -> bool {
        self.derived
            .actions
            .get()
            .and_then(|f| f.statements.get(pos))
            .is_some_and(|s| s.named)
    }

    /// True when statement `pos`'s `Action`/`NotAction` applies to the catalog action `id`.
    pub fn statement_applies_to(&self, pos: usize, id: u32) -> bool {
        self.statement_actions(pos).binary_search(&id).is_ok()
    }
}

/// `ids` sorted without duplicates, into `out`. A long list (an expanded `Action` list whose
/// items are out of catalog order) goes through a bit set of the `n` catalog actions, read back in
/// order, instead of a comparison sort; a short one is sorted.
fn sorted_union(ids: &[u32], n: usize, out: &mut Vec<u32>, bits: &mut Vec<u64>) {
    out.clear();
    if ids.len() < 256 || ids.iter().any(|&id| id as usize >= n) {
        out.extend_from_slice(ids);
        out.sort_unstable();
        out.dedup();
        return;
    }
    bits.clear();
    bits.resize(n.div_ceil(64), 0);
    for &id in ids {
        bits[id as usize / 64] |= 1 << (id % 64);
    }
    for (w, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            out.push(w as u32 * 64 + word.trailing_zeros());
            word &= word - 1;
        }
    }
}

/// The indexes `0..n` missing from `sorted` (ascending, distinct).
fn complement(sorted: &[u32], n: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(n.saturating_sub(sorted.len()));
    let mut next = 0u32;
    for &id in sorted {
        out.extend(next..id.min(n as u32));
        next = next.max(id.saturating_add(1));
    }
    out.extend(next..n as u32);
    out
}

/// The sorted catalog indexes an `Action`/`NotAction` list applies to.
pub fn expand_list(catalog: &iamscope_catalog::Catalog, list: Option<&ValueList>) -> Vec<u32> {
    let Some(list) = list else {
        return Vec::new();
    };
    let mut ids: Vec<u32> = Vec::with_capacity(list.items.len());
    let mut expander = catalog.expander();
    for item in &list.items {
        expander.expand_into(&item.value, &mut ids);
    }
    ids.sort_unstable();
    ids.dedup();
    if list.not {
        return complement(&ids, catalog.actions().len());
    }
    ids
}

#[cfg(test)]
mod not_action_tests {
    use iamscope_catalog::Catalog;

    /// An identity-policy context for `policy`, as the tests below read its facts.
    fn identity_context<'a>(
        text: &'a str,
        policy: &'a iamscope_policy::model::Policy,
        cat: &'a Catalog,
    ) -> crate::Context<'a> {
        crate::Context::new(
            text,
            policy,
            iamscope_policy::PolicyKind::Identity,
            false,
            cat,
        )
    }

    fn not_list(items: &[&str]) -> iamscope_policy::model::Policy {
        let text = serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "NotAction": items, "Resource": "*"}]})
        .to_string();
        iamscope_policy::parse_policy(&text).policy.unwrap()
    }

    /// The complement of the item expansions is what `Catalog::expand_not` (every action
    /// matched against every item) answers, for literal names in any case, unknown names,
    /// `service:Prefix*`, wildcards anywhere, `?`, empty and odd items.
    #[test]
    fn complement_equals_expand_not() {
        let cat = Catalog::embedded();
        let lists: &[&[&str]] = &[
            &[],
            &["*"],
            &["*:*"],
            &["iam:*"],
            &["IAM:*", "organizations:*", "account:*"],
            &["s3:GetObject", "S3:getobject", "s3:nosuch", "nosuch:Get*"],
            &["s3:Get*", "s3:*Object*", "ec2:Describe?nstances", "*:List*"],
            &["iam:?*", "kms:*", "", ":", "s3:", "iam", "*:", "é:*"],
            &["sts:AssumeRole", "zzz:*", "a*:*", "?3:*", "s3:Get*Acl"],
        ];
        for items in lists {
            let policy = not_list(items);
            let list = policy.statements[0].action.as_ref().unwrap();
            let want: Vec<u32> = cat
                .expand_not(items)
                .iter()
                .map(|a| a.index() as u32)
                .collect();
            assert_eq!(super::expand_list(cat, Some(list)), want, "{items:?}");
            let text = "";
            let cx = identity_context(text, &policy, cat);
            assert_eq!(cx.statement_actions(0), want.as_slice(), "{items:?}");
        }
    }

    /// The same for every `NotAction` statement of the managed-policy corpus.
    #[test]
    fn corpus_not_actions_equal_expand_not() {
        let cat = Catalog::embedded();
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/corpus/aws-managed-policies"
        );
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let Some(policy) = iamscope_policy::parse_policy(&text).policy else {
                continue;
            };
            let cx = identity_context(&text, &policy, cat);
            for (pos, st) in policy.statements.iter().enumerate() {
                let Some(list) = st.action.as_ref().filter(|l| l.not) else {
                    continue;
                };
                let pats: Vec<&str> = list.strs().collect();
                let want: Vec<u32> = cat
                    .expand_not(&pats)
                    .iter()
                    .map(|a| a.index() as u32)
                    .collect();
                assert_eq!(cx.statement_actions(pos), want.as_slice(), "{pats:?}");
                seen += 1;
            }
        }
        assert!(seen >= 10, "only {seen} NotAction statements in the corpus");
    }

    /// `action_items_named` is true exactly for the `Action`/`NotAction` lists whose items all
    /// name catalog actions (each expands to one action and holds no wildcard), over every
    /// policy of the corpus and fixtures; `action_items_named_if_expanded` agrees once the
    /// actions are expanded and is false before.
    #[test]
    fn named_lists_are_lists_of_catalog_names() {
        let cat = Catalog::embedded();
        let (mut named, mut not_named) = (0, 0);
        for (_, text) in crate::bytes::json_texts_under("tests") {
            let Some(policy) = iamscope_policy::parse_policy(&text).policy else {
                continue;
            };
            let cx = identity_context(&text, &policy, cat);
            for pos in 0..policy.statements.len() {
                assert!(!cx.action_items_named_if_expanded(pos));
            }
            for (pos, st) in policy.statements.iter().enumerate() {
                let Some(list) = &st.action else { continue };
                let want = list.items.iter().enumerate().all(|(i, item)| {
                    let v = item.value.as_str();
                    !v.contains(['*', '?'])
                        && cat.action(v).is_some()
                        && cx.item_actions(pos, i).len() == 1
                });
                assert_eq!(
                    cx.action_items_named(pos),
                    want,
                    "{:?}",
                    list.strs().collect::<Vec<_>>()
                );
                assert_eq!(cx.action_items_named_if_expanded(pos), want);
                if want { named += 1 } else { not_named += 1 }
            }
        }
        assert!(named > 1000 && not_named > 500, "{named} {not_named}");
    }

    /// The bit-set union equals sort and dedup, for short and long lists, with duplicates,
    /// in and out of order, and with ids beyond the catalog (sorted instead).
    #[test]
    fn sorted_union_equals_sort_and_dedup() {
        let (mut out, mut bits) = (Vec::new(), Vec::new());
        let mut x = 12345u32;
        for len in [0usize, 1, 5, 255, 256, 300, 4000] {
            for n in [1usize, 64, 65, 1000, 22000] {
                let ids: Vec<u32> = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        (x >> 8) % n as u32
                    })
                    .collect();
                let mut want = ids.clone();
                want.sort_unstable();
                want.dedup();
                super::sorted_union(&ids, n, &mut out, &mut bits);
                assert_eq!(out, want, "{len} {n}");
                super::sorted_union(&ids, n / 2, &mut out, &mut bits);
                assert_eq!(out, want, "{len} {n} beyond");
            }
        }
    }

    #[test]
    fn complement_of_sorted_ids() {
        assert_eq!(super::complement(&[], 3), vec![0, 1, 2]);
        assert_eq!(super::complement(&[0, 2], 4), vec![1, 3]);
        assert_eq!(super::complement(&[0, 1, 2], 3), Vec::<u32>::new());
        assert_eq!(super::complement(&[1, 7], 3), vec![0, 2]);
    }
}

/// True when `a` and `b` differ (ignoring ASCII case) by at most `k` single-character
/// insertions, deletions or substitutions: "a typo of".
pub fn within_edits(a: &str, b: &str, k: usize) -> bool {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            row_min = row_min.min(cur[j]);
        }
        if row_min > k {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] <= k
}

/// The typo tolerance for a name: one edit for short names, two from eight characters on.
pub fn typo_budget(name: &str) -> usize {
    if name.len() >= 8 { 2 } else { 1 }
}

/// Services AWS has retired; their actions and keys were removed from the service reference,
/// but older policies (including some AWS managed policies) still name them.
pub const RETIRED_SERVICES: &[&str] = &[
    "deepcomposer",
    "deeplens",
    "deepracer",
    "elastic-inference",
    "iot1click",
    "zocalo",
    "a4b",
    "nimble",
    "honeycode",
    "lookoutmetrics",
    "lookoutvision",
    "lookoutequipment",
    "qldb",
    "robomaker",
    "worklink",
    "sumerian",
];

/// True when the catalog knows the condition key, also for tag keys it lists with a `tag-key`
/// placeholder (`secretsmanager:ResourceTag/tag-key`) instead of a template.
pub fn condition_key_known(cat: &iamscope_catalog::Catalog, key: &str) -> bool {
    key_known_by(key, |k| cat.condition_key(k).is_some())
}

/// [`condition_key_known`] with `known` as the catalog's answer for one key, so that the
/// per-policy memo of [`crate::Context::condition_key`] answers the same way.
fn key_known_by(key: &str, known: impl Fn(&str) -> bool) -> bool {
    if known(key) {
        return true;
    }
    match key.split_once('/') {
        Some((head, tail)) if !tail.is_empty() => {
            known(&format!("{head}/tag-key")) || known(&format!("{head}/${{TagKey}}"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod edit_tests {
    #[test]
    fn edits() {
        assert!(super::within_edits("GetObjekt", "GetObject", 1));
        assert!(super::within_edits("s4", "s3", 1));
        assert!(!super::within_edits(
            "DescribeBudget",
            "DescribeBudgetAction",
            2
        ));
        assert!(super::within_edits("abc", "ABC", 0));
    }
}

/// The six colon-separated fields of an ARN or ARN format after `arn:`: partition, service,
/// region, account, resource.
/// (The pieces of `splitn(5, ':')`, found by a byte loop: ARNs are short, and the string
/// searcher's set-up cost more than the scan on the corpus.)
pub fn arn_fields(s: &str) -> Option<[&str; 5]> {
    let rest = s.strip_prefix("arn:")?;
    let b = rest.as_bytes();
    let mut out = [""; 5];
    let mut start = 0;
    for slot in out.iter_mut().take(4) {
        let end = start + b[start..].iter().position(|&c| c == b':')?;
        // `:` is ASCII, so both ends are character boundaries.
        *slot = rest.get(start..end)?;
        start = end + 1;
    }
    out[4] = rest.get(start..)?;
    Some(out)
}

fn is_placeholder(f: &str) -> bool {
    has_variable(f)
}

/// Could the policy `Resource` value (fields of an ARN, with `*`, `?` and `${...}`) name a
/// resource of the ARN format (fields with `${...}` placeholders)? Conservative: `false` only
/// when certainly not. Region and account must be present exactly when the format has them.
pub fn arn_fits_format(value: &[&str; 5], format: &[&str; 5]) -> bool {
    ArnValue::new(*value).fits(format)
}

/// A policy `Resource` value split into ARN fields, with what [`arn_fits_format`] asks of the
/// value (its wildcards and variables) found once for the many formats it is compared with.
#[derive(Clone, Copy)]
pub struct ArnValue<'v> {
    fields: [&'v str; 5],
    /// The service field has a wildcard.
    service_wild: bool,
    /// The region and account fields have a wildcard or a variable.
    flexible: [bool; 2],
    /// Where the first wildcard or variable of the resource part starts.
    cut: Option<usize>,
    /// The resource part's first byte, ASCII-lowercased, when the part compared with a format
    /// (all of it, or what precedes `cut`) is not empty; else 0.
    first: u8,
}

impl<'v> ArnValue<'v> {
    pub fn new(fields: [&'v str; 5]) -> ArnValue<'v> {
        let flex = |v: &str| has_wildcard(v) || has_variable(v);
        let vb = fields[4].as_bytes();
        let cut = vb.iter().enumerate().position(|(i, &c)| {
            c == b'*' || c == b'?' || (c == b'$' && vb.get(i + 1) == Some(&b'{'))
        });
        ArnValue {
            fields,
            service_wild: has_wildcard(fields[1]),
            flexible: [flex(fields[2]), flex(fields[3])],
            cut,
            first: match (cut, vb.first()) {
                (Some(0), _) | (_, None) => 0,
                (_, Some(c)) => c.to_ascii_lowercase(),
            },
        }
    }

    /// [`arn_fits_format`] of this value.
    ///
    /// A value is compared with every format of its service (dozens for some), and most formats
    /// differ from it in the resource part's first byte: when that byte of the format is a literal
    /// (neither `*` nor the `$` of a placeholder) and the value's is another, the full comparison
    /// below would answer false as well, so the answer comes first. The tests hold the two equal.
    pub fn fits(&self, format: &[&str; 5]) -> bool {
        if let Some(&f) = format[4].as_bytes().first()
            && self.first != 0
            && f != b'*'
            && f != b'$'
            && f.to_ascii_lowercase() != self.first
        {
            return false;
        }
        // The resource parts first: the formats a value is compared with are its service's, so
        // most agree with it in the fields before and differ in the resource part, which most
        // often tells within its first bytes (the same conjunction as `fits_in_full`).
        self.resource_part_fits(format) && self.fields_fit(format)
    }

    /// [`ArnValue::fits`] without its first-byte check, in the order of the definition (the
    /// tests' oracle).
    #[cfg(test)]
    fn fits_in_full(&self, format: &[&str; 5]) -> bool {
        self.fields_fit(format) && self.resource_part_fits(format)
    }

    /// The service, region and account fields of the value fit the format's.
    fn fields_fit(&self, format: &[&str; 5]) -> bool {
        let value = &self.fields;
        if !self.service_wild && !value[1].eq_ignore_ascii_case(format[1]) {
            return false;
        }
        for (k, idx) in [2, 3].into_iter().enumerate() {
            let (v, f) = (value[idx], format[idx]);
            if self.flexible[k] {
                // `*` may also stand for an empty field.
                if v != "*" && f.is_empty() {
                    return false;
                }
                continue;
            }
            let ok = if is_placeholder(f) {
                !v.is_empty()
            } else {
                v.eq_ignore_ascii_case(f)
            };
            if !ok {
                return false;
            }
        }
        true
    }

    /// The resource part of the value fits the format's.
    fn resource_part_fits(&self, format: &[&str; 5]) -> bool {
        // Wildcards and policy variables in the value match anything from there on.
        let v = self.fields[4].as_bytes();
        match self.cut {
            None => format_match(format[4].as_bytes(), v),
            Some(c) => format_prefix_match(format[4].as_bytes(), &v[..c]),
        }
    }
}

fn placeholders_as_stars(f: &str) -> Vec<u8> {
    let mut pat = Vec::with_capacity(f.len());
    let fb = f.as_bytes();
    let mut i = 0;
    while i < fb.len() {
        if fb[i] == b'$'
            && fb.get(i + 1) == Some(&b'{')
            && let Some(end) = f[i..].find('}')
        {
            pat.push(b'*');
            i += end + 1;
            continue;
        }
        pat.push(fb[i]);
        i += 1;
    }
    pat
}

/// Matches a literal text against an ARN format part whose `${...}` placeholders (and `*`) stand
/// for any run of characters; ASCII case is ignored. No allocation; backtracks only to the last
/// placeholder.
fn format_match(fmt: &[u8], text: &[u8]) -> bool {
    let star_end = |p: usize| -> Option<usize> {
        match fmt.get(p) {
            Some(b'*') => Some(p + 1),
            Some(b'$') if fmt.get(p + 1) == Some(&b'{') => {
                fmt[p..].iter().position(|&c| c == b'}').map(|e| p + e + 1)
            }
            _ => None,
        }
    };
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if let Some(after) = star_end(p) {
            star = Some((after, t));
            p = after;
        } else if p < fmt.len() && fmt[p].eq_ignore_ascii_case(&text[t]) {
            p += 1;
            t += 1;
        } else if let Some((after, mark)) = star {
            star = Some((after, mark + 1));
            p = after;
            t = mark + 1;
        } else {
            return false;
        }
    }
    while let Some(after) = star_end(p) {
        p = after;
    }
    p == fmt.len()
}

/// True when some text that starts with `prefix` matches the format part: the literal start of
/// the format must agree with the prefix up to the first placeholder, which can absorb the rest
/// (and whatever the format still needs can follow). No allocation.
fn format_prefix_match(fmt: &[u8], prefix: &[u8]) -> bool {
    for (i, &c) in prefix.iter().enumerate() {
        match fmt.get(i) {
            None => return false,
            Some(b'*') => return true,
            Some(b'$') if fmt.get(i + 1) == Some(&b'{') => return true,
            Some(f) if f.eq_ignore_ascii_case(&c) => {}
            Some(_) => return false,
        }
    }
    true
}

/// `s` with every policy variable `${...}` replaced by `*` (variables may contain colons, which
/// would break the split into ARN fields).
pub fn variables_as_stars(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_variable(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(String::from_utf8_lossy(&placeholders_as_stars(s)).into_owned())
}

#[cfg(test)]
mod arn_fit_tests {
    use super::*;

    /// `arn_fields` before its byte loop (session 7), the oracle.
    fn arn_fields_reference(s: &str) -> Option<[&str; 5]> {
        let rest = s.strip_prefix("arn:")?;
        let mut it = rest.splitn(5, ':');
        Some([it.next()?, it.next()?, it.next()?, it.next()?, it.next()?])
    }

    fn corpus_resources() -> Vec<String> {
        let mut out = Vec::new();
        for (_, text) in crate::bytes::json_texts_under("tests") {
            let Some(policy) = iamscope_policy::parse_policy(&text).policy else {
                continue;
            };
            for st in &policy.statements {
                for list in [&st.resource, &st.action].into_iter().flatten() {
                    out.extend(list.items.iter().map(|i| i.value.to_string()));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The byte loop splits every resource value of the corpus and fixtures, every ARN format of
    /// the catalog and some edge cases as `splitn(5, ':')` did.
    #[test]
    fn arn_fields_equals_splitn() {
        let cat = iamscope_catalog::Catalog::embedded();
        let mut texts = corpus_resources();
        for s in cat.services() {
            texts.extend(s.resource_types().map(|rt| rt.arn_format().to_owned()));
        }
        for edge in [
            "",
            "arn",
            "arn:",
            "arn:::",
            "arn::::",
            "arn:::::",
            "arn:a:b:c:d",
            "arn:a:b:c:d:e:f",
            "arn:é:ü:::x",
            "ARN:a:b:c:d:e",
            "arn:a:b:c:d:",
        ] {
            texts.push(edge.to_owned());
        }
        assert!(texts.len() > 5000, "{}", texts.len());
        for t in &texts {
            assert_eq!(arn_fields(t), arn_fields_reference(t), "{t:?}");
        }
    }

    /// `fits` (with its first-byte check) answers as the full comparison for every resource value
    /// of the corpus and fixtures (variables as stars) against every ARN format of its service and
    /// of a few services with many formats, and for generated values against those formats.
    #[test]
    fn fits_equals_the_full_comparison() {
        let cat = iamscope_catalog::Catalog::embedded();
        let formats_of = |svc: &str| -> Vec<[&'static str; 5]> {
            cat.service(svc).map_or_else(Vec::new, |s| {
                s.resource_types()
                    .filter_map(|rt| arn_fields(rt.arn_format()))
                    .collect()
            })
        };
        let common: Vec<[&str; 5]> = ["s3", "ec2", "iam", "ssm", "sagemaker", "logs"]
            .iter()
            .flat_map(|s| formats_of(s))
            .collect();
        let (mut compared, mut fitting) = (0usize, 0usize);
        let mut check = |value: &str| {
            let Some(fields) = arn_fields(value) else {
                return;
            };
            let v = ArnValue::new(fields);
            for f in formats_of(fields[1]).iter().chain(&common) {
                let fits = v.fits(f);
                assert_eq!(fits, v.fits_in_full(f), "{value:?} against {f:?}");
                compared += 1;
                fitting += usize::from(fits);
            }
        };
        for r in corpus_resources() {
            check(&variables_as_stars(&r));
        }
        // Generated resource parts: first bytes that agree, differ, differ only in case, are
        // wildcards or variables, or are empty.
        for head in [
            "arn:aws:s3:::",
            "arn:aws:ec2:us-east-1:1:",
            "arn:aws:iam::1:",
            "arn:aws:logs:*:*:",
        ] {
            for tail in [
                "",
                "*",
                "?",
                "${aws:username}",
                "b",
                "B",
                "bucket/x",
                "instance/i-1",
                "Instance/*",
                "role/x",
                "rolex",
                "r*",
                "log-group:x",
                "$x",
                "{",
                ":",
                "*/x",
                "é",
            ] {
                check(&format!("{head}{tail}"));
            }
        }
        assert!(
            compared > 100_000 && fitting > 1_000,
            "{compared} {fitting}"
        );
    }

    #[test]
    fn fits() {
        let bucket = arn_fields("arn:${Partition}:s3:::${BucketName}").unwrap();
        let object = arn_fields("arn:${Partition}:s3:::${BucketName}/${ObjectName}").unwrap();
        let role = arn_fields("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}").unwrap();
        let v = |s| arn_fields(s).unwrap();
        assert!(arn_fits_format(&v("arn:aws:s3:::b"), &bucket));
        assert!(arn_fits_format(&v("arn:aws:s3:::b/*"), &object));
        assert!(!arn_fits_format(&v("arn:aws:s3::123:b"), &bucket));
        assert!(arn_fits_format(&v("arn:aws:iam::*:role/x"), &role));
        assert!(!arn_fits_format(
            &v("arn:aws:iam::1:group-of-roles/x"),
            &role
        ));
        assert!(arn_fits_format(&v("arn:aws:iam::1:ro*"), &role));
        assert!(!arn_fits_format(
            &v("arn:aws:iam:us-east-1:1:role/x"),
            &role
        ));
        let with_var = variables_as_stars("arn:aws:iam::${aws:userid}:role/${aws:username}");
        assert!(arn_fits_format(&v(&with_var), &role));
        assert!(format_match(b"role/${Name}", b"ROLE/x"));
        assert!(!format_match(b"role/${Name}", b"user/x"));
        assert!(format_match(b"${A}/${B}", b"a/b/c"));
        assert!(!format_match(b"${A}/${B}", b"abc"));
    }
}
