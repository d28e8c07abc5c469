//! The prepared set's traced answer as numbers: the writer of `simulateTrace`'s answer (the
//! WebAssembly facade's `Prepared::trace_fields`), which npm/src/api.ts (`readTrace`) reads.
//!
//! A crate of its own only so that the module can compile it at opt-level 3 while the rest of the
//! facade stays at "s" (the root Cargo.toml's `[profile.wasm-release.package.iamscope-trace]`):
//! the writer runs once per traced answer, the facade's other code once per set or per text
//! request. No analysis logic: it copies an [`EvalResult`] into the layout below.

use std::borrow::Cow;

use iamscope_eval::{
    AnswerLists, Decision, EvalResult, Grant, Layer, LayerOutcome, PreparedPolicySet,
    StatementTrace,
};
use iamscope_syntax::TextRange;
use iamscope_syntax::bytes::{same, word8};

// The layout. `simulate_trace` writes the same answer as `simulate_fields`, not as JSON text but
// as a list of numbers and one UTF-8 text holding the strings of the answer that the wrapper does not hold
// yet, one after the other. A statement is a number: its place in the set's table of statements
// (`statement_table`, read by the wrapper once per set), whose entries hold the fields that do not
// depend on the request. The wrapper (npm/src/api.ts, `readTrace`) builds the objects from these;
// the layout below is the one it reads, field by field in the order of `JsResult`.
//
// header:    text address, text length in bytes, count of numbers, reset (1: forget every string
//            held before this answer, then read it)
// answer:    decision, decidingLayer?, decidingLevel?, [reasons], principal (kind, id, account?),
//            action, resource, resourceAccount?, crossAccount, resourcePolicyRequired?,
//            #layers x layer, [missingContextKeys], #derived x (key, value), [warnings]
//            (a derived key has one value, which the wrapper makes a list of one)
// layer:     layer, level?, outcome, grant?, note?, #statements x statement
// statement: table index, flags, #conditions x condition, [notes]
// condition: operator, key, #policyValues x value?, requestValues ([values] or NONE), flags,
//            range (6 numbers), [notes]
// [list]:    count, then each string; `x?`: NONE (absent) or the value.
// a string:  one number (see [`Strings`]): below [`REQUEST`], the index of a string the wrapper
//            holds (sent by an earlier answer of this set); [`REQUEST`] + k, the request's own
//            field k, byte for byte (tried for the principal's id, the action, the resource, the
//            resource account and the derived context's values only); [`NEW`] | n, the next n bytes of the text,
//            which the wrapper decodes and then holds as its next index; [`FRESH`] | n, the next
//            n bytes, not held (too long, or the set's strings are at their bound). Each string is
//            decoded on its own, so that a string the wrapper holds keeps no larger text alive.
// flags:     statement: 1 resourceMatched, 2|4 principalMatched (2: present, 4: true),
//            8 conditionsMatched, 16 matched, grant code << 5 (0: none); condition: 1 result,
//            2 missing.
// Codes: decisions, layers, outcomes and grants are indexes into `verdict_names`' lists.
//
// Sharing strings is not caching answers: every answer is written from its own evaluation, and
// the wrapper builds new objects for it; only the strings, which JavaScript cannot change, are
// the same values from one answer to the next (as the statement table's are).

/// The decisions in the order of their codes.
pub const DECISIONS: [Decision; 3] = [
    Decision::Allow,
    Decision::ExplicitDeny,
    Decision::ImplicitDeny,
];

/// The layers in the order of their codes (minus one).
pub const LAYERS: [Layer; 7] = [
    Layer::Scp,
    Layer::Rcp,
    Layer::VpcEndpoint,
    Layer::Resource,
    Layer::Identity,
    Layer::Boundary,
    Layer::Session,
];

/// The length that stands for an absent `resourceAccount` in the facade's request buffer.
pub const ABSENT: u32 = u32::MAX;

/// The fields of a request buffer (the facade's `Prepared::request_buffer`): `principal`,
/// `action`, `resource` and `resourceAccount` ([`ABSENT`]: none) of `lens` bytes, one after the
/// other; `None` when they do not fit or are not UTF-8. Here so that the UTF-8 check (the
/// standard library's, inlined where it is called) is compiled at this crate's opt-level for the
/// traced answer and `decide` alike.
pub fn fields(buf: &[u8], lens: [u32; 4]) -> Option<([&str; 3], Option<&str>)> {
    let mut rest = buf;
    let mut field = |len: u32| -> Option<&str> {
        let (text, tail) = rest.split_at_checked(len as usize)?;
        rest = tail;
        std::str::from_utf8(text).ok()
    };
    let (principal, action, resource) = (field(lens[0])?, field(lens[1])?, field(lens[2])?);
    let resource_account = match lens[3] {
        ABSENT => None,
        len => Some(field(len)?),
    };
    Some(([principal, action, resource], resource_account))
}

/// A string's number: the request's own field `k` (0 principal, 1 action, 2 resource, 3
/// resourceAccount), byte for byte (`REQUEST + k`), which the wrapper holds already: above every
/// index of a held string ([`MAX_HELD`]), below [`NEW`].
pub const REQUEST: u32 = 0x7FFF_FFF0;
/// A string's number: the text's next `n` bytes, to be held by the wrapper (`NEW | n`).
pub const NEW: u32 = 0x8000_0000;
/// A string's number: the text's next `n` bytes, not held (`FRESH | n`).
pub const FRESH: u32 = 0xC000_0000;
/// The most bytes a string of a trace answer may have (longer: no answer, the JSON path serves
/// the request). `FRESH | MAX_LEN` stays below [`NONE`].
const MAX_LEN: usize = 0x3FFF_FFFE;
/// At most this many strings held per set, of at most [`MAX_HELD_BYTES`] bytes in all, each of at
/// most [`MAX_STRING_BYTES`] bytes; when full, the next answer starts over (reset).
const MAX_HELD: usize = 4096;
const MAX_HELD_BYTES: usize = 128 * 1024;
pub const MAX_STRING_BYTES: usize = 1024;
/// The hash table's largest size: a power of two, twice [`MAX_HELD`], so that a probe always ends.
const SLOTS: usize = 2 * MAX_HELD;

/// The strings the wrapper holds for a prepared set, in the order it received them: an answer
/// sends each string it holds as its index instead of its text, so that the strings that recur
/// from answer to answer (reasons, principal fields, context keys and values, warnings, the
/// request's action and resource) cost neither bytes nor a `TextDecoder` call nor a new string in
/// JavaScript. Bounded by [`MAX_HELD`] and [`MAX_HELD_BYTES`].
#[derive(Debug, Default)]
struct Strings {
    /// The bytes of every string held, one after the other.
    bytes: Vec<u8>,
    /// Each string's end in `bytes`.
    ends: Vec<u32>,
    /// Open addressing by [`hash`]: 1 + a string's index, 0 for an empty slot (a power of two
    /// long, at most [`SLOTS`], grown as strings are added: see [`Strings::grow`]).
    slots: Vec<u32>,
    /// A string was not held for want of room (the next answer starts over).
    full: bool,
}

/// FxHash-like, 8 bytes at a time (WebAssembly has 64-bit arithmetic), the high half.
fn hash(s: &[u8]) -> u32 {
    const K: u64 = 0x517C_C1B7_2722_0A95;
    let mut h = s.len() as u64;
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        h = (h.rotate_left(5) ^ word8(w, 0)).wrapping_mul(K);
    }
    for &b in words.remainder() {
        h = (h.rotate_left(5) ^ b as u64).wrapping_mul(K);
    }
    (h >> 32) as u32
}

/// What [`Strings::intern`] found.
enum Interned {
    /// Held at this index.
    Held(u32),
    /// Not held before; now held as the next index.
    Added,
    /// Not held, and no room for it.
    NoRoom,
}

/// No hint (see [`TraceOut::hints`]).
const NO_HINT: u32 = u32::MAX;

/// What the n-th string of the last answer was (see [`TraceOut::hints`]): the index it was held
/// at ([`NO_HINT`]: none) and, when it was a `&'static str`, its address and length (`addr` 0:
/// not static).
#[derive(Clone, Copy, Debug)]
struct Hint {
    index: u32,
    addr: usize,
    len: usize,
}

const NO_HINT_AT_ALL: Hint = Hint {
    index: NO_HINT,
    addr: 0,
    len: 0,
};

impl Strings {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn full(&self) -> bool {
        self.full
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
        self.slots.fill(0);
        self.full = false;
    }

    #[inline]
    fn get(&self, k: usize) -> Option<&[u8]> {
        let start = match k.checked_sub(1) {
            Some(j) => *self.ends.get(j)? as usize,
            None => 0,
        };
        self.bytes.get(start..*self.ends.get(k)? as usize)
    }

    fn intern(&mut self, s: &[u8]) -> Interned {
        if 2 * (self.ends.len() + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = hash(s) as usize;
        loop {
            i &= mask;
            let Some(&slot) = self.slots.get(i) else {
                return Interned::NoRoom;
            };
            if slot == 0 {
                break;
            }
            if self.get(slot as usize - 1).is_some_and(|h| same(h, s)) {
                return Interned::Held(slot - 1);
            }
            i += 1;
        }
        if s.len() > MAX_STRING_BYTES {
            return Interned::NoRoom;
        }
        if self.ends.len() >= MAX_HELD || self.bytes.len() + s.len() > MAX_HELD_BYTES {
            self.full = true;
            return Interned::NoRoom;
        }
        self.bytes.extend_from_slice(s);
        self.ends.push(self.bytes.len() as u32);
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = self.ends.len() as u32;
        }
        Interned::Added
    }

    /// Doubles the hash table (64 slots at first, at most [`SLOTS`]), so that a set whose answers
    /// have few strings keeps a small table; at most half of the slots are ever taken.
    fn grow(&mut self) {
        let size = (self.slots.len() * 2).clamp(64, SLOTS);
        if size == self.slots.len() {
            return;
        }
        let mut slots = vec![0; size];
        for k in 0..self.ends.len() {
            let Some(s) = self.get(k) else { continue };
            let mut i = hash(s) as usize;
            loop {
                i &= size - 1;
                match slots.get_mut(i) {
                    Some(x) if *x == 0 => {
                        *x = k as u32 + 1;
                        break;
                    }
                    Some(_) => i += 1,
                    None => break,
                }
            }
        }
        self.slots = slots;
    }
}

/// An absent optional field in a trace answer.
pub const NONE: u32 = u32::MAX;

/// The outcomes in the order of their codes.
pub const OUTCOMES: [LayerOutcome; 4] = [
    LayerOutcome::Allow,
    LayerOutcome::ExplicitDeny,
    LayerOutcome::ImplicitDeny,
    LayerOutcome::NotApplicable,
];

/// The grants in the order of their codes.
pub const GRANTS: [Grant; 3] = [Grant::Account, Grant::Issuer, Grant::Direct];

fn code<T: PartialEq>(list: &[T], v: &T) -> u32 {
    list.iter().position(|x| x == v).unwrap_or(0) as u32
}

/// The statements of a prepared set: where each policy's statements start in the set's table of
/// statements (the facade's `statement_table`, in the order of
/// `PreparedPolicySet::statement_sites`), so that a statement's trace is written as its table
/// index.
#[derive(Debug, Default)]
pub struct Sites {
    policies: Vec<SitePolicy>,
    /// The statements added so far.
    count: u32,
}

/// A policy of [`Sites`]: its place, the table index of its first statement, and its statements'
/// indexes in table order.
#[derive(Debug)]
struct SitePolicy {
    layer: Layer,
    level: Option<usize>,
    index: usize,
    first: u32,
    statements: Vec<usize>,
}

impl Sites {
    /// Adds the next statement of the table (index `n`): statement `statement_index` of the policy
    /// at `index` in layer `layer` (level `level`).
    pub fn push(
        &mut self,
        layer: Layer,
        level: Option<usize>,
        index: usize,
        statement_index: usize,
    ) {
        let n = self.count;
        self.count += 1;
        match self.policies.last_mut() {
            Some(p) if (p.layer, p.level, p.index) == (layer, level, index) => {
                p.statements.push(statement_index)
            }
            _ => self.policies.push(SitePolicy {
                layer,
                level,
                index,
                first: n,
                statements: vec![statement_index],
            }),
        }
    }

    /// The table index of the statement a trace of layer `layer` (level `level`) names: the
    /// policy as the facade's `Sources::find` finds it, then the statement by its index.
    pub fn find(&self, layer: Layer, level: Option<usize>, st: &StatementTrace) -> Option<u32> {
        let levels = matches!(layer, Layer::Scp | Layer::Rcp);
        let p = self.policies.iter().find(|p| {
            p.layer == layer && p.index == st.policy_index && (!levels || p.level == level)
        })?;
        let at = match p.statements.get(st.statement_index) {
            Some(&i) if i == st.statement_index => st.statement_index,
            _ => p.statements.iter().position(|&i| i == st.statement_index)?,
        };
        Some(p.first + at as u32)
    }
}

/// A trace answer being written (see the layout above); its buffers are reused.
#[derive(Debug, Default)]
pub struct TraceOut {
    words: Vec<u32>,
    text: Vec<u8>,
    /// The strings the wrapper holds (see [`Strings`]).
    strings: Strings,
    /// For the n-th string of the last answer, the index it was held at: answers of a set tend to
    /// have the same strings in the same places (reasons, principal, context keys), so the n-th
    /// string is first compared with that one, and hashed only when it differs. A hint is only a
    /// guess: it is checked against the bytes held, except for a `&'static str` (a fixed sentence,
    /// a context key's name) at the very address and length the hint recorded, whose bytes cannot
    /// have changed (static memory is never freed or written), so that the fixed strings of an
    /// answer cost no comparison. Emptied whenever the strings held start over, so that an index
    /// is always one of the current list.
    hints: Vec<Hint>,
    /// The number of strings written so far in this answer.
    written: usize,
    /// A string was too long for the layout: no answer.
    too_long: bool,
}

impl TraceOut {
    /// Evaluates the request of `fields` (principal, action, resource) and `resource_account` with
    /// `set` (its answer lists in `lists`) and writes its traced answer (see
    /// [`write`](Self::write)); the address of its numbers, `None` when the request has problems
    /// or the answer cannot be written. Here rather than in the facade so that the engine's
    /// generic `read_fields_traced` is instantiated in this crate, at its opt-level.
    #[allow(clippy::too_many_arguments)]
    pub fn evaluate(
        &mut self,
        set: &PreparedPolicySet,
        lists: &mut AnswerLists,
        fields: [&str; 3],
        resource_account: Option<&str>,
        warnings: &[String],
        sites: &Sites,
        range: &dyn Fn(Layer, Option<usize>, usize, TextRange) -> [u32; 6],
        known: u32,
    ) -> Option<usize> {
        let [principal, action, resource] = fields;
        let request = [
            Some(principal),
            Some(action),
            Some(resource),
            resource_account,
        ];
        set.read_fields_traced(
            principal,
            action,
            resource,
            resource_account,
            lists,
            |result, derived| self.write(result, derived, warnings, &request, sites, range, known),
        )
        .ok()??;
        Some(self.words.as_ptr() as usize)
    }

    /// The numbers of the last answer written (the header first).
    pub fn words(&self) -> &[u32] {
        &self.words
    }

    /// The text of the last answer written (its new strings' bytes, one after the other).
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// How many strings a wrapper that read every answer holds (see [`Strings`]).
    pub fn held(&self) -> usize {
        self.strings.len()
    }

    fn num(&mut self, n: usize) {
        self.words.push(u32::try_from(n).unwrap_or(NONE - 1));
    }

    /// A string that lives as long as the program (a fixed sentence, a key's name): at the address
    /// its position's hint recorded, its held index without looking at its bytes.
    #[inline]
    fn static_str(&mut self, s: &'static str) {
        let n = self.written;
        if let Some(h) = self.hints.get(n)
            && h.index != NO_HINT
            && h.addr == s.as_ptr() as usize
            && h.len == s.len()
        {
            self.written += 1;
            self.words.push(h.index);
            return;
        }
        self.str(s);
        if let Some(h) = self.hints.get_mut(n)
            && h.index != NO_HINT
        {
            h.addr = s.as_ptr() as usize;
            h.len = s.len();
        }
    }

    /// A string that may be one of the request's own fields, byte for byte (the principal's id,
    /// the action, ...): then its [`REQUEST`] number, neither held nor sent, so that answers for
    /// ever new resources neither fill the strings held nor make the wrapper decode them.
    ///
    /// The string held at its hint first (as [`str`](Self::str): a derived context value that
    /// is not a field, such as the principal's account, costs one comparison instead of four),
    /// then the four fields, then the lookup in the strings held.
    fn request_str(&mut self, s: &str, request: &[Option<&str>; 4]) {
        let n = self.written;
        if let Some(h) = self.hints.get(n)
            && self
                .strings
                .get(h.index as usize)
                .is_some_and(|x| same(x, s.as_bytes()))
        {
            self.written = n + 1;
            self.words.push(h.index);
            return;
        }
        for (k, f) in request.iter().enumerate() {
            if let Some(f) = f
                && f.len() == s.len()
                && (f.as_ptr() == s.as_ptr() || same(f.as_bytes(), s.as_bytes()))
            {
                self.written = n + 1;
                self.words.push(REQUEST + k as u32);
                return;
            }
        }
        self.str_apart(s);
    }

    // (the variant is what matters here: a `&str` would lose that the borrowed one is static)
    #[allow(clippy::ptr_arg)]
    fn cow_str(&mut self, s: &Cow<'static, str>) {
        match s {
            Cow::Borrowed(s) => self.static_str(s),
            Cow::Owned(s) => self.str(s),
        }
    }

    /// A string: its hint's index when the held string there has its bytes (the usual case, in
    /// line), else [`str_apart`](Self::str_apart).
    #[inline]
    fn str(&mut self, s: &str) {
        let n = self.written;
        if let Some(h) = self.hints.get_mut(n)
            && h.index != NO_HINT
            && self
                .strings
                .get(h.index as usize)
                .is_some_and(|x| same(x, s.as_bytes()))
        {
            h.addr = 0;
            self.written = n + 1;
            self.words.push(h.index);
            return;
        }
        self.str_apart(s);
    }

    /// [`str`](Self::str) for a string its hint does not give: looked up in the strings held.
    #[inline(never)]
    fn str_apart(&mut self, s: &str) {
        let n = self.written;
        self.written += 1;
        if n >= self.hints.len() {
            self.hints.resize(n + 1, NO_HINT_AT_ALL);
        }
        let (tag, held) = match self.strings.intern(s.as_bytes()) {
            Interned::Held(k) => {
                self.words.push(k);
                (None, k)
            }
            Interned::Added => (Some(NEW), self.strings.len() as u32 - 1),
            Interned::NoRoom => (Some(FRESH), NO_HINT),
        };
        if let Some(h) = self.hints.get_mut(n) {
            *h = Hint {
                index: held,
                addr: 0,
                len: 0,
            };
        }
        let Some(tag) = tag else { return };
        if s.len() > MAX_LEN {
            self.too_long = true;
        }
        self.words.push(tag | s.len().min(MAX_LEN) as u32);
        self.text.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.words.push(NONE),
        }
    }

    fn opt_num(&mut self, n: Option<usize>) {
        match n {
            Some(n) => self.num(n),
            None => self.words.push(NONE),
        }
    }

    fn list<'s>(&mut self, items: impl ExactSizeIterator<Item = &'s String>) {
        self.num(items.len());
        for s in items {
            self.str(s);
        }
    }

    /// Writes `result` (with `derived` as its derived context, `warnings` before its own; the
    /// fields of the request it answers in `request`; `range` gives a condition's range as the
    /// six numbers of the layout, from its statement's layer, level and policy index and its byte
    /// range) for a wrapper that holds `known` strings of this set; `None` when a statement is not
    /// in the
    /// table (cannot happen for a result of the set the table was built from) or a string is too
    /// long. The strings held stay in step with the wrapper's: when the wrapper holds another
    /// count (it did not read an answer to its end, or this one is `None`), or when they are at
    /// their bound, both start over (the header's reset).
    // (each argument is a different part of the answer; a struct would only rename them)
    #[allow(clippy::too_many_arguments)]
    pub fn write(
        &mut self,
        result: &EvalResult,
        derived: &[(&'static str, Cow<'_, str>)],
        warnings: &[String],
        request: &[Option<&str>; 4],
        sites: &Sites,
        range: &dyn Fn(Layer, Option<usize>, usize, TextRange) -> [u32; 6],
        known: u32,
    ) -> Option<()> {
        self.words.clear();
        self.text.clear();
        self.too_long = false;
        self.written = 0;
        let reset = known as usize != self.strings.len() || self.strings.full();
        if reset {
            self.strings.clear();
            self.hints.clear();
        }
        // the header: the text's address and length, the number of words (filled in last), reset
        self.words.extend([0, 0, 0, reset as u32]);
        self.words.push(code(&DECISIONS, &result.decision));
        self.words.push(match result.deciding_layer {
            Some(l) => code(&LAYERS, &l),
            None => NONE,
        });
        self.opt_num(result.deciding_level);
        self.num(result.reasons.len());
        for r in &result.reasons {
            self.cow_str(r);
        }
        let p = &result.principal;
        self.cow_str(&p.kind);
        self.request_str(&p.id, request);
        self.opt_str(p.account.as_deref());
        self.request_str(&result.action, request);
        self.request_str(&result.resource, request);
        match result.resource_account.as_deref() {
            Some(a) => self.request_str(a, request),
            None => self.words.push(NONE),
        }
        self.words.push(result.cross_account as u32);
        self.opt_str(result.resource_policy_required.as_deref());
        self.num(result.layers.len());
        for l in &result.layers {
            self.words.push(code(&LAYERS, &l.layer));
            self.opt_num(l.level);
            self.words.push(code(&OUTCOMES, &l.outcome));
            self.words.push(match l.grant {
                Some(g) => code(&GRANTS, &g),
                None => NONE,
            });
            self.opt_str(l.note.as_deref());
            self.num(l.statements.len());
            for st in &l.statements {
                self.words.push(sites.find(l.layer, l.level, st)?);
                let principal = match st.principal_matched {
                    None => 0,
                    Some(false) => 2,
                    Some(true) => 6,
                };
                let grant = st.grant.map_or(0, |g| 1 + code(&GRANTS, &g));
                self.words.push(
                    st.resource_matched as u32
                        | principal
                        | (st.conditions_matched as u32) << 3
                        | (st.matched as u32) << 4
                        | grant << 5,
                );
                self.num(st.conditions.len());
                if !st.conditions.is_empty() {
                    for c in &st.conditions {
                        self.str(&c.operator);
                        self.str(&c.key);
                        self.num(c.policy_values.len());
                        for v in &c.policy_values {
                            self.opt_str(v.as_deref());
                        }
                        match &c.request_values {
                            Some(v) => self.list(v.iter()),
                            None => self.words.push(NONE),
                        }
                        self.words.push(c.result as u32 | (c.missing as u32) << 1);
                        self.words
                            .extend(range(l.layer, l.level, st.policy_index, c.range));
                        self.list(c.notes.iter());
                    }
                }
                self.list(st.notes.iter());
            }
        }
        self.list(result.missing_context_keys.iter());
        self.num(derived.len());
        for (k, v) in derived {
            // a derived key has one value: the value alone, no list
            self.static_str(k);
            self.request_str(v, request);
        }
        self.num(warnings.len() + result.warnings.len());
        for w in warnings.iter().chain(&result.warnings) {
            self.str(w);
        }
        if self.too_long {
            return None;
        }
        let len = self.words.len();
        self.words[0] = self.text.as_ptr() as usize as u32;
        self.words[1] = self.text.len() as u32;
        self.words[2] = len as u32;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_held_by_index_within_their_bounds() {
        let mut held = Strings::default();
        assert!(matches!(held.intern(b"first"), Interned::Added));
        assert_eq!(held.slots.len(), 64, "a small table at first");
        held.clear();
        let name = |i: usize| format!("s{i}\u{1F600}");
        for i in 0..MAX_HELD {
            assert!(
                matches!(held.intern(name(i).as_bytes()), Interned::Added),
                "{i}"
            );
        }
        // every string is found at its index, and its bytes are its own
        for i in (0..MAX_HELD).step_by(7) {
            match held.intern(name(i).as_bytes()) {
                Interned::Held(k) => assert_eq!(k as usize, i),
                _ => panic!("{i} not held"),
            }
            assert_eq!(held.get(i), Some(name(i).as_bytes()));
        }
        assert_eq!(held.slots.len(), SLOTS, "grown to its bound, no further");
        assert!(!held.full(), "full once a string finds no room");
        assert!(matches!(held.intern(b"another"), Interned::NoRoom));
        assert!(held.full());
        assert!(matches!(held.intern(b""), Interned::NoRoom));
        held.clear();
        assert_eq!(held.len(), 0);
        assert!(matches!(held.intern(name(5).as_bytes()), Interned::Added));
        assert!(matches!(held.intern(name(5).as_bytes()), Interned::Held(0)));
        // the empty string is a string like the others
        assert!(matches!(held.intern(b""), Interned::Added));
        assert!(matches!(held.intern(b""), Interned::Held(1)));
        // too long to be held, and the byte bound
        let long = vec![b'a'; MAX_STRING_BYTES + 1];
        assert!(matches!(held.intern(&long), Interned::NoRoom));
        assert!(
            !held.full(),
            "a string too long to be held does not fill the list"
        );
        let mut added = 0;
        for i in 0..MAX_HELD_BYTES / 1000 + 1 {
            match held.intern(format!("{i:0>1000}").as_bytes()) {
                Interned::Added => added += 1,
                Interned::NoRoom => break,
                Interned::Held(_) => panic!("{i} held before"),
            }
        }
        assert_eq!(added, (MAX_HELD_BYTES - held.get(0).unwrap().len()) / 1000);
        assert!(held.full());
        assert!(held.bytes.len() <= MAX_HELD_BYTES);
        assert!(matches!(held.intern(name(5).as_bytes()), Interned::Held(0)));
    }
}
