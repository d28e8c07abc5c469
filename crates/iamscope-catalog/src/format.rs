//! The binary catalog format and its decoder.
//!
//! Written by `tools/catalog/generate.mjs`; the two must change together (bump
//! [`FORMAT_VERSION`] in both). All integers are little-endian; `varint` is unsigned LEB128 of at
//! most 5 bytes (a `u32`); `str` is `varint length` + UTF-8 bytes; `sid` is a `varint` index into
//! the string table.
//!
//! ```text
//! header (16 bytes)
//!   magic          8 bytes  "IAMSCAT\0"
//!   format version u16      FORMAT_VERSION
//!   reserved       u16      0
//!   body length    u32      bytes after the header; must equal the rest of the file
//! body
//!   meta       str package version, str data date (YYYY-MM-DD)
//!   strings    varint N, then N x (varint shared, varint suffix length, suffix bytes): each string
//!              is the first `shared` bytes of the previous one plus the suffix (front coding;
//!              sorted by bytes, so ARN formats of one service share their long prefix)
//!   words      varint W, then W x str: the camel-case words of action names, most frequent first
//!   levels     varint n, then n x sid: the distinct raw access level values
//!   keys       varint K, then K x (sid name, u8 type, u8 flags): every distinct condition key
//!              (case-insensitively), sorted by ASCII-lowercase name; type: scalar 1..=9 (String,
//!              ARN, Numeric, Date, Bool, IPAddress, Binary, Long, Integer) | 0x10 for ArrayOf;
//!              flags bit 0: global key (from the package's global condition key list)
//!   key lists  varint L, then L x (varint len, len x varint delta): interned sets of key
//!              indexes, ascending, delta-coded; list 0 is the empty list
//!   services   varint S, then S x service, sorted by ASCII-lowercase prefix
//!     sid prefix, sid name, u8 flags (bit 0: supports RCPs)
//!     varint R, R x (sid name, sid ARN format, varint key list): resource types sorted by
//!              lowercase name
//!     varint C, C x (varint key delta, u8 type): the service's condition keys, ascending key
//!              index, with the type this service gives the key
//!     varint A, A x action, sorted by lowercase name:
//!       varint n, n x varint word index   the name is the concatenation of the words
//!       u8 level index, varint key list (action-level keys)
//!       varint m, m x (varint ref, varint key list): the resource types in AWS's order;
//!              ref = local resource type index * 2 + required; a local index equal to R names a
//!              resource type the service does not define, and is followed by its sid name
//! ```
//!
//! Why this shape (measured on iam-data 0.21.202609261: 456 services, 22,091 actions): plain
//! strings alone were 650 KB. Front-coding the string table and spelling action names as word
//! indexes brings the whole file to about 430 KB raw and 197 KB gzip. Decoding everything up
//! front into flat arrays takes about a millisecond, after which lookups are binary searches
//! over fixed-width records, so there is no lazy decoding to get wrong.
//!
//! The decoder checks every length, index and ordering and returns [`CatalogError`] on any
//! inconsistency; it never panics on bad bytes.

use crate::types::{AccessLevel, KeyType};
use std::cmp::Ordering;

/// Current format version, written in the header.
pub const FORMAT_VERSION: u16 = 1;
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

    #[inline(always)]
    pub fn key_list(&self, id: u32) -> &[u32] {
        let (a, b) = self.key_list_spans[id as usize];
        &self.key_lists[a as usize..b as usize]
    }
}

/// Compares two strings by their ASCII-lowercase bytes (the catalog's sort order).
#[inline]
pub(crate) fn cmp_fold(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len().min(b.len());
    for i in 0..n {
        let (x, y) = (a[i].to_ascii_lowercase(), b[i].to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
}

/// The first eight bytes of a name, ASCII-lowercased, big-endian, zero-padded: comparing these
/// orders names as [`cmp_fold`] does (names hold no NUL), so binary searches compare integers and
/// look at the text only on a tie.
#[inline]
pub(crate) fn sort_key(name: &[u8]) -> u64 {
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
    let mut r = Reader { buf: body, pos: 0 };

    let version = r.str()?.to_owned();
    let data_date = r.str()?.to_owned();

    // Strings, front-coded. The arena is built as bytes and validated once at the end.
    let n_strings = r.count(2)?;
    let mut arena: Vec<u8> = Vec::with_capacity(body.len() * 2);
    let mut spans: Vec<(u32, u32)> = Vec::with_capacity(n_strings + 24_000);
    let mut prev = (0usize, 0usize);
    for _ in 0..n_strings {
        let shared = r.varint()? as usize;
        let suffix_len = r.varint()? as usize;
        if shared > prev.1 - prev.0 {
            return Err(CatalogError::Malformed(
                "front-coded prefix longer than the previous string",
            ));
        }
        let suffix = r.bytes(suffix_len)?;
        let start = arena.len();
        arena.extend_from_within(prev.0..prev.0 + shared);
        arena.extend_from_slice(suffix);
        prev = (start, arena.len());
        spans.push((to_u32(start)?, to_u32(arena.len())?));
    }

    // Words of action names (appended to the arena as strings too).
    let n_words = r.count(1)?;
    // All words in one buffer with 16 bytes of padding, so that a short word is copied as one
    // fixed 16-byte move (then the arena is cut back), not a memcpy call per word.
    let mut word_buf: Vec<u8> = Vec::new();
    let mut words: Vec<(u32, u32)> = Vec::with_capacity(n_words);
    for _ in 0..n_words {
        let w = r.str()?.as_bytes();
        words.push((to_u32(word_buf.len())?, to_u32(w.len())?));
        word_buf.extend_from_slice(w);
    }
    word_buf.extend_from_slice(&[0; 16]);

    // Access levels (their strings are validated below with the arena).
    let n_levels = r.count(1)?;
    if n_levels > 256 {
        return Err(CatalogError::Malformed("more than 256 access levels"));
    }
    let mut level_sids = Vec::with_capacity(n_levels);
    for _ in 0..n_levels {
        level_sids.push(r.index(n_strings, "access level string index")?);
    }

    // Condition keys.
    let n_keys = r.count(3)?;
    let mut keys = Vec::with_capacity(n_keys);
    for _ in 0..n_keys {
        let name = r.index(n_strings, "condition key string index")?;
        let ktype = KeyType::from_code(r.u8()?)
            .ok_or(CatalogError::Malformed("unknown condition key type"))?;
        let flags = r.u8()?;
        keys.push(KeyRec {
            name,
            sort: span_key(&arena, &spans, name),
            ktype,
            global: flags & 1 != 0,
            templated: false,
        });
    }

    // Key lists.
    let n_lists = r.count(1)?;
    let mut key_lists = Vec::new();
    let mut key_list_spans = Vec::with_capacity(n_lists);
    for i in 0..n_lists {
        let len = r.count(1)?;
        if i == 0 && len != 0 {
            return Err(CatalogError::Malformed("key list 0 is not empty"));
        }
        let start = key_lists.len();
        let mut last = 0u32;
        for j in 0..len {
            let d = r.varint()?;
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
    let n_services = r.count(6)?;
    let mut services = Vec::with_capacity(n_services);
    let mut rts = Vec::new();
    let mut svc_keys = Vec::new();
    let mut actions = Vec::with_capacity(24_000);
    let mut action_res = Vec::with_capacity(24_000);
    for si in 0..n_services {
        let si = to_u32(si)?;
        let prefix = r.index(n_strings, "service prefix string index")?;
        let name = r.index(n_strings, "service name string index")?;
        let rcp = r.u8()? & 1 != 0;

        let n_rt = r.count(3)?;
        let rt_start = rts.len();
        for _ in 0..n_rt {
            let name = r.index(n_strings, "resource type name string index")?;
            let arn = r.index(n_strings, "resource type ARN string index")?;
            let keys = r.index(n_lists, "resource type key list index")?;
            rts.push(RtRec {
                service: si,
                name,
                sort: span_key(&arena, &spans, name),
                arn,
                keys,
            });
        }

        let n_ck = r.count(2)?;
        let ck_start = svc_keys.len();
        let mut last = 0u32;
        for j in 0..n_ck {
            let d = r.varint()?;
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
            let ktype = KeyType::from_code(r.u8()?)
                .ok_or(CatalogError::Malformed("unknown condition key type"))?;
            svc_keys.push(SvcKeyRec { key: last, ktype });
        }

        let n_actions = r.count(4)?;
        let action_start = actions.len();
        for _ in 0..n_actions {
            let n_w = r.count(1)?;
            if n_w == 0 {
                return Err(CatalogError::Malformed("action with an empty name"));
            }
            let start = arena.len();
            for _ in 0..n_w {
                let (at, len) = words[r.index(words.len(), "action name word index")? as usize];
                let (at, len) = (at as usize, len as usize);
                if len <= 16 {
                    let end = arena.len() + len;
                    arena.extend_from_slice(&word_buf[at..at + 16]);
                    arena.truncate(end);
                } else {
                    arena.extend_from_slice(&word_buf[at..at + len]);
                }
            }
            let name = to_u32(spans.len())?;
            spans.push((to_u32(start)?, to_u32(arena.len())?));
            let sort = sort_key(&arena[start..]);
            let level = r.u8()?;
            if usize::from(level) >= n_levels {
                return Err(CatalogError::Malformed("access level index out of range"));
            }
            let keys = r.index(n_lists, "action key list index")?;
            let n_res = r.count(2)?;
            let res_start = action_res.len();
            for _ in 0..n_res {
                let rref = r.varint()?;
                let local = (rref >> 1) as usize;
                let required = rref & 1 != 0;
                let (rt, name) = match local.cmp(&n_rt) {
                    Ordering::Less => (to_u32(rt_start + local)?, rts[rt_start + local].name),
                    Ordering::Equal => (
                        NO_RT,
                        r.index(n_strings, "undefined resource type name index")?,
                    ),
                    Ordering::Greater => {
                        return Err(CatalogError::Malformed("resource type index out of range"));
                    }
                };
                let keys = r.index(n_lists, "action resource key list index")?;
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
    if r.remaining() != 0 {
        return Err(CatalogError::Malformed("trailing bytes after the services"));
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
