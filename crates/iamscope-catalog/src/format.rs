//! The binary catalog format and its decoder.
//!
//! Written by `tools/catalog/generate.mjs`; the two must change together (bump
//! [`FORMAT_VERSION`] in both). All integers are little-endian; `varint` is unsigned LEB128 of at
//! most 5 bytes (a `u32`); `str` is `varint length` + UTF-8 bytes; `sid` is a `varint` index into
//! the string table; a zigzag varint holds `2n` for `n >= 0` and `-2n - 1` for `n < 0`.
//!
//! ```text
//! header (16 bytes)
//!   magic          8 bytes  "IAMSCAT\0"
//!   format version u16      FORMAT_VERSION
//!   reserved       u16      0
//!   body length    u32      bytes after the header; must equal the rest of the file
//! body: 23 streams in this order, each as varint length + bytes; each stream must be consumed
//! exactly. A record's fields are spread over several streams (columns), read in step.
//!   meta          str package version, str data date (YYYY-MM-DD), varint n, n x sid: the
//!                 distinct raw access level values
//!   strShared     varint N, then N x varint shared     the string table, front-coded: string i
//!   strLen        N x varint suffix length             is the first `shared` bytes of string
//!   strText       the suffix bytes, concatenated       i-1 plus its suffix (sorted by bytes, so
//!                                                      ARN formats of a service share a prefix)
//!   words         varint W, then W x str: the camel-case words of action names, most frequent
//!                 first
//!   keyNames      varint K, then K x zigzag varint: every distinct condition key
//!                 (case-insensitively), sorted by ASCII-lowercase name; its sid as a delta from
//!                 the previous key's sid
//!   keyTypes      K x (u8 type, u8 flags); type: scalar 1..=9 (String, ARN, Numeric, Date, Bool,
//!                 IPAddress, Binary, Long, Integer) | 0x10 for ArrayOf; flags bit 0: global key
//!   keyLists      varint L, then the key indexes of every list, ascending, delta-coded
//!   keyListLen    L x varint len: interned sets of key indexes; list 0 is the empty list
//!   services      varint S, then S x (sid prefix, sid name, u8 flags (bit 0: supports RCPs),
//!                 varint R, varint C, varint A), sorted by ASCII-lowercase prefix
//!   rtNames       per service, R x sid name        its resource types, sorted by lowercase name
//!   rtArns        R x sid ARN format
//!   rtKeys        R x varint key list
//!   svcKeys       per service, C x varint key delta   its condition keys, ascending key index,
//!   svcKeyTypes   C x u8 type                         with the type this service gives the key
//!   actWordCount  per service, A x varint (shared * 16 + min(rest, 15)) [, varint rest - 15]:
//!                 its actions sorted by lowercase name; the name is the first `shared` words of
//!                 the previous action's name (in the same service) and `rest` further words
//!   actWords      the further words, as varint word indexes
//!   actLevel      A x u8 level index
//!   actKeys       A x varint key list (action-level keys)
//!   actResCount   A x varint m: the action's resource types in AWS's order
//!   actRes        m x varint ref: local resource type index * 2 + required; a local index equal
//!                 to R names a resource type the service does not define, whose sid name is
//!   actResNames   the next sid here
//!   actResKeys    m x varint key list
//! ```
//!
//! Why this shape (measured on iam-data 0.21.202609261: 456 services, 22,091 actions): plain
//! strings alone were 650 KB. Front-coding the string table and spelling action names as word
//! indexes brought the file to 430 KB raw and 197 KB gzip (format 1, records interleaved).
//! Writing each field to its own stream (columns: like values side by side) and front-coding
//! action names by words within a service bring it to 400 KB raw and 166 KB gzip (format 2);
//! gzip of the whole WebAssembly module is what the npm package ships. Decoding everything up
//! front into flat arrays takes about a millisecond or two, after which lookups are binary
//! searches over fixed-width records, so there is no lazy decoding to get wrong.
//!
//! The decoder checks every length, index and ordering and returns [`CatalogError`] on any
//! inconsistency; it never panics on bad bytes.

use crate::types::{AccessLevel, KeyType};
use std::cmp::Ordering;

/// Current format version, written in the header.
pub const FORMAT_VERSION: u16 = 2;
/// The 8 magic bytes at the start of a catalog file.
pub const MAGIC: &[u8; 8] = b"IAMSCAT\0";
const HEADER_LEN: usize = 16;

/// Why bytes are not a catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogError {
    /// The bytes do not start with the catalog magic.
    BadMagic,
    /// The file has a format version this build does not read.
    UnsupportedVersion(u16),
    /// The bytes end before the structure does.
    Truncated,
    /// The structure is inconsistent; the payload says where.
    Malformed(&'static str),
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CatalogError::BadMagic => f.write_str("not an iamscope catalog (bad magic bytes)"),
            CatalogError::UnsupportedVersion(v) => {
                write!(
                    f,
                    "catalog format version {v} is not supported (this build reads {FORMAT_VERSION})"
                )
            }
            CatalogError::Truncated => f.write_str("the catalog is truncated"),
            CatalogError::Malformed(what) => write!(f, "the catalog is malformed: {what}"),
        }
    }
}

impl std::error::Error for CatalogError {}

type Result<T> = std::result::Result<T, CatalogError>;

/// Sentinel for an action resource whose type the service does not define.
pub(crate) const NO_RT: u32 = u32::MAX;

#[derive(Clone, Copy, Debug)]
pub(crate) struct KeyRec {
    pub name: u32,
    pub sort: u64,
    pub ktype: KeyType,
    pub global: bool,
    pub templated: bool,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ServiceRec {
    pub prefix: u32,
    pub sort: u64,
    pub name: u32,
    pub rcp: bool,
    pub rts: (u32, u32),
    pub keys: (u32, u32),
    pub actions: (u32, u32),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct RtRec {
    pub service: u32,
    pub name: u32,
    pub sort: u64,
    pub arn: u32,
    pub keys: u32,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct SvcKeyRec {
    pub key: u32,
    pub ktype: KeyType,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionRec {
    pub service: u32,
    pub name: u32,
    pub sort: u64,
    pub level: u8,
    pub keys: u32,
    pub res: (u32, u32),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ActionResRec {
    /// Global resource type index, or [`NO_RT`].
    pub rt: u32,
    pub name: u32,
    pub required: bool,
    pub keys: u32,
}

/// The decoded catalog: flat arrays indexed by `u32`, all strings in one arena.
#[derive(Debug)]
pub(crate) struct Data {
    pub version: String,
    pub data_date: String,
    pub arena: String,
    pub spans: Vec<(u32, u32)>,
    pub levels: Vec<(AccessLevel, u32)>,
    pub keys: Vec<KeyRec>,
    pub key_lists: Vec<u32>,
    pub key_list_spans: Vec<(u32, u32)>,
    pub services: Vec<ServiceRec>,
    pub rts: Vec<RtRec>,
    pub svc_keys: Vec<SvcKeyRec>,
    pub actions: Vec<ActionRec>,
    pub action_res: Vec<ActionResRec>,
}

impl Data {
    #[inline(always)]
    pub fn s(&self, id: u32) -> &str {
        let (a, b) = self.spans[id as usize];
        &self.arena[a as usize..b as usize]
    }

    /// The bytes of string `id` ([`Data::s`] without its character-boundary checks).
    #[inline(always)]
    pub fn b(&self, id: u32) -> &[u8] {
        let (a, b) = self.spans[id as usize];
        self.arena
            .as_bytes()
            .get(a as usize..b as usize)
            .unwrap_or_default()
    }

    /// The length in bytes of string `id`, from its span alone.
    #[inline(always)]
    pub fn str_len(&self, id: u32) -> usize {
        let (a, b) = self.spans[id as usize];
        b.saturating_sub(a) as usize
    }

    #[inline(always)]
    pub fn key_list(&self, id: u32) -> &[u32] {
        let (a, b) = self.key_list_spans[id as usize];
        &self.key_lists[a as usize..b as usize]
    }
}

/// Compares two strings by their ASCII-lowercase bytes (the catalog's sort order).
#[inline]
pub(crate) fn cmp_fold(a: &str, b: &str) -> Ordering {
    cmp_fold_bytes(a.as_bytes(), b.as_bytes())
}

/// [`cmp_fold`] on bytes, eight at a time: binary searches and the expander's look-ahead compare
/// names that share long heads (`DescribeInstance...`), and a byte loop is slow in WebAssembly.
/// Little-endian words, whose first differing byte is found with a trailing-zero count
/// (WebAssembly has no byte swap for big-endian loads); the last few bytes as the word that ends
/// with them (its other bytes are equal by then).
#[inline]
pub(crate) fn cmp_fold_bytes(a: &[u8], b: &[u8]) -> Ordering {
    let n = a.len().min(b.len());
    let order = |x: u64, y: u64| {
        // the lowest differing byte of the lowered words decides
        let diff = lower8(x) ^ lower8(y);
        if diff == 0 {
            return Ordering::Equal;
        }
        let shift = diff.trailing_zeros() & !7;
        ((lower8(x) >> shift) & 0xff).cmp(&((lower8(y) >> shift) & 0xff))
    };
    if n < 8 {
        for (x, y) in a[..n].iter().zip(&b[..n]) {
            let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
            if x != y {
                return x.cmp(&y);
            }
        }
        return a.len().cmp(&b.len());
    }
    let mut i = 0;
    loop {
        let at = i.min(n - 8);
        let (x, y) = (word8(a, at), word8(b, at));
        if x != y {
            let o = order(x, y);
            if o.is_ne() {
                return o;
            }
        }
        if at + 8 >= n {
            return a.len().cmp(&b.len());
        }
        i += 8;
    }
}

pub(crate) use iamscope_syntax::bytes::word8;

/// Eight bytes with `A-Z` turned into `a-z` and every other byte unchanged (as
/// `u8::to_ascii_lowercase` does each byte), in either byte order. Bytes from 0x80 up keep their
/// high bit and are left alone; for the others, adding 0x3f (0x25) sets the high bit exactly from
/// `A` (`[`) on, with no carry into the next byte.
#[inline(always)]
pub(crate) fn lower8(w: u64) -> u64 {
    const HI: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w & LOW7;
    let from_a = x.wrapping_add(0x3f3f_3f3f_3f3f_3f3f);
    let past_z = x.wrapping_add(0x2525_2525_2525_2525);
    let upper = from_a & !past_z & !w & HI;
    w | (upper >> 2)
}

/// The first eight bytes of a name, ASCII-lowercased, big-endian, zero-padded: comparing these
/// orders names as [`cmp_fold`] does (names hold no NUL), so binary searches compare integers and
/// look at the text only on a tie.
#[inline]
pub(crate) fn sort_key(name: &[u8]) -> u64 {
    if name.len() >= 8 {
        return lower8(word8(name, 0)).swap_bytes();
    }
    let mut k = [0u8; 8];
    for (slot, c) in k.iter_mut().zip(name) {
        *slot = c.to_ascii_lowercase();
    }
    u64::from_be_bytes(k)
}

/// Compares a record (its sort key and name) with a query.
#[inline]
pub(crate) fn cmp_sorted(key: u64, name: &str, qkey: u64, q: &str) -> Ordering {
    key.cmp(&qkey).then_with(|| cmp_fold(name, q))
}

/// True when the name has a template part: `${TagKey}` or `<key>`.
pub(crate) fn is_templated(name: &str) -> bool {
    (name.contains("${") && name.contains('}')) || (name.contains('<') && name.contains('>'))
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    #[inline(always)]
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    #[inline(always)]
    fn u8(&mut self) -> Result<u8> {
        let b = *self.buf.get(self.pos).ok_or(CatalogError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    #[inline(always)]
    fn varint(&mut self) -> Result<u32> {
        match self.buf.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(u32::from(b))
            }
            _ => self.varint_slow(),
        }
    }

    fn varint_slow(&mut self) -> Result<u32> {
        let mut v: u64 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(v)
                    .map_err(|_| CatalogError::Malformed("varint overflows u32"));
            }
        }
        Err(CatalogError::Malformed("varint longer than 5 bytes"))
    }

    /// A count of items each taking at least `min_bytes`: bounded by what is left, so that a
    /// corrupt count cannot make us allocate gigabytes.
    #[inline(always)]
    fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let n = self.varint()? as usize;
        if n.saturating_mul(min_bytes) > self.remaining() {
            return Err(CatalogError::Truncated);
        }
        Ok(n)
    }

    #[inline(always)]
    fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(CatalogError::Truncated);
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn str(&mut self) -> Result<&'a str> {
        let n = self.varint()? as usize;
        std::str::from_utf8(self.bytes(n)?)
            .map_err(|_| CatalogError::Malformed("string is not UTF-8"))
    }

    #[inline(always)]
    fn index(&mut self, len: usize, what: &'static str) -> Result<u32> {
        let i = self.varint()?;
        if (i as usize) < len {
            Ok(i)
        } else {
            Err(CatalogError::Malformed(what))
        }
    }
}

fn span_key(arena: &[u8], spans: &[(u32, u32)], id: u32) -> u64 {
    let (a, b) = spans[id as usize];
    sort_key(&arena[a as usize..b as usize])
}

fn to_u32(n: usize) -> Result<u32> {
    u32::try_from(n).map_err(|_| CatalogError::Malformed("too many items"))
}

/// The streams of the body, in file order.
const N_STREAMS: usize = 23;
const META: usize = 0;
const STR_SHARED: usize = 1;
const STR_LEN: usize = 2;
const STR_TEXT: usize = 3;
const WORDS: usize = 4;
const KEY_NAMES: usize = 5;
const KEY_TYPES: usize = 6;
const KEY_LISTS: usize = 7;
const KEY_LIST_LEN: usize = 8;
const SERVICES: usize = 9;
const RT_NAMES: usize = 10;
const RT_ARNS: usize = 11;
const RT_KEYS: usize = 12;
const SVC_KEYS: usize = 13;
const SVC_KEY_TYPES: usize = 14;
const ACT_WORD_COUNT: usize = 15;
const ACT_WORDS: usize = 16;
const ACT_LEVEL: usize = 17;
const ACT_KEYS: usize = 18;
const ACT_RES_COUNT: usize = 19;
const ACT_RES: usize = 20;
const ACT_RES_NAMES: usize = 21;
const ACT_RES_KEYS: usize = 22;

/// Decodes and validates a whole catalog.
///
/// `check_sorted`: verify the orderings the lookups rely on (skipped for the embedded catalog,
/// which the tests verify).
pub(crate) fn decode(buf: &[u8], check_sorted: bool) -> Result<Data> {
    if buf.len() < HEADER_LEN {
        return if MAGIC.starts_with(buf) || buf.starts_with(MAGIC) {
            Err(CatalogError::Truncated)
        } else {
            Err(CatalogError::BadMagic)
        };
    }
    if &buf[..8] != MAGIC {
        return Err(CatalogError::BadMagic);
    }
    let version = u16::from_le_bytes([buf[8], buf[9]]);
    if version != FORMAT_VERSION {
        return Err(CatalogError::UnsupportedVersion(version));
    }
    let body_len = u32::from_le_bytes([buf[12], buf[13], buf[14], buf[15]]) as usize;
    let body = &buf[HEADER_LEN..];
    match body.len().cmp(&body_len) {
        Ordering::Less => return Err(CatalogError::Truncated),
        Ordering::Greater => return Err(CatalogError::Malformed("trailing bytes after the body")),
        Ordering::Equal => {}
    }
    let mut body = Reader { buf: body, pos: 0 };
    let mut st: [Reader<'_>; N_STREAMS] = std::array::from_fn(|_| Reader { buf: &[], pos: 0 });
    for s in &mut st {
        let n = body.varint()? as usize;
        s.buf = body.bytes(n)?;
    }
    if body.remaining() != 0 {
        return Err(CatalogError::Malformed("trailing bytes after the streams"));
    }

    let version = st[META].str()?.to_owned();
    let data_date = st[META].str()?.to_owned();

    // Strings, front-coded. The arena is built as bytes and validated once at the end.
    let n_strings = st[STR_SHARED].count(1)?;
    if n_strings > st[STR_LEN].remaining() {
        return Err(CatalogError::Truncated);
    }
    let mut arena: Vec<u8> = Vec::with_capacity(body_len * 2);
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(n_strings + 24_000);
    let mut prev = (0usize, 0usize);
    for _ in 0..n_strings {
        let shared = st[STR_SHARED].varint()? as usize;
        let suffix_len = st[STR_LEN].varint()? as usize;
        if shared > prev.1 - prev.0 {
            return Err(CatalogError::Malformed(
                "front-coded prefix longer than the previous string",
            ));
        }
        let suffix = st[STR_TEXT].bytes(suffix_len)?;
        let start = arena.len();
        arena.extend_from_within(prev.0..prev.0 + shared);
        arena.extend_from_slice(suffix);
        prev = (start, arena.len());
        spans.push((to_u32(start)?, to_u32(arena.len())?));
    }

    // Words of action names (appended to the arena as strings too).
    let n_words = st[WORDS].count(1)?;
    // All words in one buffer with 16 bytes of padding, so that a short word is copied as one
    // fixed 16-byte move (then the arena is cut back), not a memcpy call per word.
    let mut word_buf: Vec<u8> = Vec::new();
    let mut words: Vec<(u32, u32)> = Vec::with_capacity(n_words);
    for _ in 0..n_words {
        let w = st[WORDS].str()?.as_bytes();
        words.push((to_u32(word_buf.len())?, to_u32(w.len())?));
        word_buf.extend_from_slice(w);
    }
    word_buf.extend_from_slice(&[0; 16]);

    // Access levels (their strings are validated below with the arena).
    let n_levels = st[META].count(1)?;
    if n_levels > 256 {
        return Err(CatalogError::Malformed("more than 256 access levels"));
    }
    let mut level_sids = Vec::with_capacity(n_levels);
    for _ in 0..n_levels {
        level_sids.push(st[META].index(n_strings, "access level string index")?);
    }

    // Condition keys: names delta-coded (zigzag) against the previous key's string index.
    let n_keys = st[KEY_NAMES].count(1)?;
    if n_keys.saturating_mul(2) > st[KEY_TYPES].remaining() {
        return Err(CatalogError::Truncated);
    }
    let mut keys = Vec::with_capacity(n_keys);
    let mut last_name = 0i64;
    for _ in 0..n_keys {
        let z = i64::from(st[KEY_NAMES].varint()?);
        last_name += if z & 1 == 0 { z >> 1 } else { -((z + 1) >> 1) };
        let name = u32::try_from(last_name)
            .ok()
            .filter(|&n| (n as usize) < n_strings)
            .ok_or(CatalogError::Malformed("condition key string index"))?;
        let ktype = KeyType::from_code(st[KEY_TYPES].u8()?)
            .ok_or(CatalogError::Malformed("unknown condition key type"))?;
        let flags = st[KEY_TYPES].u8()?;
        keys.push(KeyRec {
            name,
            sort: span_key(&arena, &spans, name),
            ktype,
            global: flags & 1 != 0,
            templated: false,
        });
    }

    // Key lists.
    let n_lists = st[KEY_LISTS].count(0)?;
    if n_lists > st[KEY_LIST_LEN].remaining() {
        return Err(CatalogError::Truncated);
    }
    let mut key_lists = Vec::new();
    let mut key_list_spans = Vec::with_capacity(n_lists);
    for i in 0..n_lists {
        let len = st[KEY_LIST_LEN].varint()? as usize;
        if i == 0 && len != 0 {
            return Err(CatalogError::Malformed("key list 0 is not empty"));
        }
        if len > st[KEY_LISTS].remaining() {
            return Err(CatalogError::Truncated);
        }
        let start = key_lists.len();
        let mut last = 0u32;
        for j in 0..len {
            let d = st[KEY_LISTS].varint()?;
            if j > 0 && d == 0 {
                return Err(CatalogError::Malformed(
                    "key list is not strictly ascending",
                ));
            }
            last = last
                .checked_add(d)
                .ok_or(CatalogError::Malformed("key index overflows"))?;
            if last as usize >= n_keys {
                return Err(CatalogError::Malformed("key list names an unknown key"));
            }
            key_lists.push(last);
        }
        key_list_spans.push((to_u32(start)?, to_u32(key_lists.len())?));
    }

    // Services.
    let n_services = st[SERVICES].count(6)?;
    let mut services = Vec::with_capacity(n_services);
    let mut rts = Vec::new();
    let mut svc_keys = Vec::new();
    let mut actions = Vec::with_capacity(24_000);
    let mut action_res = Vec::with_capacity(24_000);
    // The word indexes of the previous action's name (front coding by words).
    let mut prev_words: Vec<u32> = Vec::new();
    let mut cur_words: Vec<u32> = Vec::new();
    for si in 0..n_services {
        let si = to_u32(si)?;
        let s = &mut st[SERVICES];
        let prefix = s.index(n_strings, "service prefix string index")?;
        let name = s.index(n_strings, "service name string index")?;
        let rcp = s.u8()? & 1 != 0;
        let n_rt = s.varint()? as usize;
        let n_ck = s.varint()? as usize;
        let n_actions = s.varint()? as usize;
        if n_rt > st[RT_NAMES].remaining()
            || n_ck > st[SVC_KEY_TYPES].remaining()
            || n_actions > st[ACT_LEVEL].remaining()
        {
            return Err(CatalogError::Truncated);
        }

        let rt_start = rts.len();
        for _ in 0..n_rt {
            let name = st[RT_NAMES].index(n_strings, "resource type name string index")?;
            let arn = st[RT_ARNS].index(n_strings, "resource type ARN string index")?;
            let keys = st[RT_KEYS].index(n_lists, "resource type key list index")?;
            rts.push(RtRec {
                service: si,
                name,
                sort: span_key(&arena, &spans, name),
                arn,
                keys,
            });
        }

        let ck_start = svc_keys.len();
        let mut last = 0u32;
        for j in 0..n_ck {
            let d = st[SVC_KEYS].varint()?;
            if j > 0 && d == 0 {
                return Err(CatalogError::Malformed(
                    "service keys are not strictly ascending",
                ));
            }
            last = last
                .checked_add(d)
                .ok_or(CatalogError::Malformed("key index overflows"))?;
            if last as usize >= n_keys {
                return Err(CatalogError::Malformed("service names an unknown key"));
            }
            let ktype = KeyType::from_code(st[SVC_KEY_TYPES].u8()?)
                .ok_or(CatalogError::Malformed("unknown condition key type"))?;
            svc_keys.push(SvcKeyRec { key: last, ktype });
        }

        let action_start = actions.len();
        prev_words.clear();
        for _ in 0..n_actions {
            // (words shared with the previous name) * 16 + (further words, 15: more follow)
            let head = st[ACT_WORD_COUNT].varint()? as usize;
            let shared = head >> 4;
            let mut rest = head & 15;
            if rest == 15 {
                rest += st[ACT_WORD_COUNT].varint()? as usize;
            }
            if shared > prev_words.len() {
                return Err(CatalogError::Malformed(
                    "action name shares more words than the previous one has",
                ));
            }
            if shared + rest == 0 {
                return Err(CatalogError::Malformed("action with an empty name"));
            }
            if rest > st[ACT_WORDS].remaining() {
                return Err(CatalogError::Truncated);
            }
            cur_words.clear();
            cur_words.extend_from_slice(&prev_words[..shared]);
            for _ in 0..rest {
                cur_words.push(st[ACT_WORDS].index(words.len(), "action name word index")?);
            }
            let start = arena.len();
            for &w in &cur_words {
                let (at, len) = words[w as usize];
                let (at, len) = (at as usize, len as usize);
                if len <= 16 {
                    let end = arena.len() + len;
                    arena.extend_from_slice(&word_buf[at..at + 16]);
                    arena.truncate(end);
                } else {
                    arena.extend_from_slice(&word_buf[at..at + len]);
                }
            }
            std::mem::swap(&mut prev_words, &mut cur_words);
            let name = to_u32(spans.len())?;
            spans.push((to_u32(start)?, to_u32(arena.len())?));
            let sort = sort_key(&arena[start..]);
            let level = st[ACT_LEVEL].u8()?;
            if usize::from(level) >= n_levels {
                return Err(CatalogError::Malformed("access level index out of range"));
            }
            let keys = st[ACT_KEYS].index(n_lists, "action key list index")?;
            let n_res = st[ACT_RES_COUNT].varint()? as usize;
            if n_res > st[ACT_RES].remaining() {
                return Err(CatalogError::Truncated);
            }
            let res_start = action_res.len();
            for _ in 0..n_res {
                let rref = st[ACT_RES].varint()?;
                let local = (rref >> 1) as usize;
                let required = rref & 1 != 0;
                let (rt, name) = match local.cmp(&n_rt) {
                    Ordering::Less => (to_u32(rt_start + local)?, rts[rt_start + local].name),
                    Ordering::Equal => (
                        NO_RT,
                        st[ACT_RES_NAMES].index(n_strings, "undefined resource type name index")?,
                    ),
                    Ordering::Greater => {
                        return Err(CatalogError::Malformed("resource type index out of range"));
                    }
                };
                let keys = st[ACT_RES_KEYS].index(n_lists, "action resource key list index")?;
                action_res.push(ActionResRec {
                    rt,
                    name,
                    required,
                    keys,
                });
            }
            actions.push(ActionRec {
                service: si,
                name,
                sort,
                level,
                keys,
                res: (to_u32(res_start)?, to_u32(action_res.len())?),
            });
        }
        services.push(ServiceRec {
            prefix,
            sort: span_key(&arena, &spans, prefix),
            name,
            rcp,
            rts: (to_u32(rt_start)?, to_u32(rts.len())?),
            keys: (to_u32(ck_start)?, to_u32(svc_keys.len())?),
            actions: (to_u32(action_start)?, to_u32(actions.len())?),
        });
    }
    if st.iter().any(|s| s.remaining() != 0) {
        return Err(CatalogError::Malformed("trailing bytes in a stream"));
    }

    // One UTF-8 check for the whole arena, then every span must start and end on a character
    // boundary (a front-coded prefix could otherwise cut a character in two).
    let arena =
        String::from_utf8(arena).map_err(|_| CatalogError::Malformed("string is not UTF-8"))?;
    for &(a, b) in &spans {
        if !arena.is_char_boundary(a as usize) || !arena.is_char_boundary(b as usize) {
            return Err(CatalogError::Malformed("string splits a UTF-8 character"));
        }
    }
    let mut data = Data {
        version,
        data_date,
        arena,
        spans,
        levels: Vec::new(),
        keys,
        key_lists,
        key_list_spans,
        services,
        rts,
        svc_keys,
        actions,
        action_res,
    };
    for sid in level_sids {
        let level = AccessLevel::parse(data.s(sid))
            .ok_or(CatalogError::Malformed("unknown access level"))?;
        data.levels.push((level, sid));
    }
    for k in &mut data.keys {
        k.templated = is_templated(
            &data.arena
                [data.spans[k.name as usize].0 as usize..data.spans[k.name as usize].1 as usize],
        );
    }
    if check_sorted {
        check_order(&data)?;
    }
    Ok(data)
}

/// The lookups binary-search services, actions, resource types and keys by lowercase name: check
/// that each is strictly ascending so that a bad file cannot give wrong answers silently.
fn check_order(d: &Data) -> Result<()> {
    fn ascending<'a>(
        mut items: impl Iterator<Item = (u64, &'a str)>,
        what: &'static str,
    ) -> Result<()> {
        let Some(mut prev) = items.next() else {
            return Ok(());
        };
        for cur in items {
            if cmp_sorted(prev.0, prev.1, cur.0, cur.1) != Ordering::Less {
                return Err(CatalogError::Malformed(what));
            }
            prev = cur;
        }
        Ok(())
    }
    ascending(
        d.services.iter().map(|s| (s.sort, d.s(s.prefix))),
        "services are not sorted",
    )?;
    ascending(
        d.keys.iter().map(|k| (k.sort, d.s(k.name))),
        "condition keys are not sorted",
    )?;
    for s in &d.services {
        let acts = &d.actions[s.actions.0 as usize..s.actions.1 as usize];
        ascending(
            acts.iter().map(|a| (a.sort, d.s(a.name))),
            "actions are not sorted",
        )?;
        let rts = &d.rts[s.rts.0 as usize..s.rts.1 as usize];
        ascending(
            rts.iter().map(|r| (r.sort, d.s(r.name))),
            "resource types are not sorted",
        )?;
    }
    Ok(())
}
