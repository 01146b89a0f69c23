//! Which dataset a record belongs to, from its keys.
//!
//! Logpush records do not name their dataset. A key that only one schema declares (see
//! `datasets::schema`) votes for that schema; the schema with the most votes wins. No vote,
//! or a tie, means the record is not recognized: an error document, never a guess. The table
//! of those keys is derived from the declarations when the crate is compiled.

use crate::datasets::{SCHEMAS, Schema};
use crate::record::Field;

pub fn detect(fields: &[Field]) -> Option<&'static Schema> {
    let mut votes = [0u32; SCHEMAS.len()];
    // The schema with the most votes so far, and whether another has as many. Kept as votes
    // come in, rather than found by scanning all schemas' votes afterwards.
    let (mut best, mut leader, mut tied) = (0, None, false);
    for field in fields {
        let Some(schema) = unique_to(field.key()) else {
            continue;
        };
        let Some(vote) = votes.get_mut(schema) else {
            continue;
        };
        *vote += 1;
        if *vote > best {
            (best, leader, tied) = (*vote, Some(schema), false);
        } else if *vote == best {
            tied = true; // another schema, since the leader's count is now above `best`
        }
    }
    SCHEMAS.get(leader.filter(|_| !tied)?).copied()
}

/// The index in `SCHEMAS` of the one schema that declares `key`, if only one does: a hash
/// table lookup, since every key of every record is looked up (a binary search of the ~800
/// keys was a fifth of `http_requests` time).
fn unique_to(key: &str) -> Option<usize> {
    let mut slot = hash(key.as_bytes());
    loop {
        let index = usize::from(*UNIQUE.table.get(slot & (TABLE_SLOTS - 1))?);
        let &(name, owner) = UNIQUE.keys.get(index)?; // an empty slot: not found
        if same_key(name, key) {
            return Some(usize::from(owner));
        }
        slot += 1;
    }
}

/// `a == b`, for keys of 8 to 16 bytes (most) as two 8-byte words, longer ones eight bytes at
/// a time: in WebAssembly, `==` on strings calls a `memcmp` that compares byte by byte.
fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match (a.first_chunk::<8>(), a.last_chunk::<8>(), b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(a_first), Some(a_last), Some(b_first), Some(b_last)) if a.len() == b.len() && a.len() <= 16 => {
            a_first == b_first && a_last == b_last
        }
        _ => a.len() == b.len() && crate::json::compare(a, b).is_eq(),
    }
}

/// A cheap hash of a key: its length and its first and last 8 bytes, mixed by a multiply.
/// Keys differ in those often enough; a collision costs a probe, never a wrong answer.
const fn hash(key: &[u8]) -> usize {
    let (first, last) = match (key.first_chunk::<8>(), key.last_chunk::<8>()) {
        (Some(first), Some(last)) => (u64::from_le_bytes(*first), u64::from_le_bytes(*last)),
        _ => {
            // Shorter keys: all their bytes.
            let mut word = 0u64;
            let mut rest = key;
            while let [byte, tail @ ..] = rest {
                word = (word << 8) | *byte as u64;
                rest = tail;
            }
            (word, 0)
        }
    };
    let mixed = (first ^ last.rotate_left(29) ^ key.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> 40) as usize
}

const EMPTY: u16 = u16::MAX;
/// The owner of a key that several schemas declare.
const SHARED: u8 = u8::MAX;
const TABLE_SLOTS: usize = 2048;
/// Declared fields of all schemas: an upper bound of the distinct keys.
const DECLARED: usize = declared_fields();

/// Keys, each with the index in `SCHEMAS` of the schema that declares it (`SHARED` while
/// building, for one that several declare), and an open-addressing table over them (indices,
/// `EMPTY` for none).
struct Keys {
    keys: [(&'static str, u8); DECLARED],
    table: [u16; TABLE_SLOTS],
}

/// The keys only one schema declares: the table is about a third full, so a lookup, found or
/// not, mostly reads one or two slots and one entry.
static UNIQUE: Keys = unique(&distinct());

#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: out of bounds fails the build")]
const fn declared_fields() -> usize {
    let (mut count, mut s) = (0, 0);
    while s < SCHEMAS.len() {
        count += SCHEMAS[s].fields.len();
        s += 1;
    }
    count
}

/// Puts `key` into `keys` unless it is there, and returns where it is.
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: out of bounds fails the build")]
const fn put(keys: &mut Keys, len: &mut usize, key: &'static str, owner: u8) -> usize {
    let mut slot = hash(key.as_bytes()) % TABLE_SLOTS;
    loop {
        let index = keys.table[slot];
        if index == EMPTY {
            assert!(*len < TABLE_SLOTS / 2, "the table would be too full for short probes");
            keys.table[slot] = *len as u16;
            keys.keys[*len] = (key, owner);
            *len += 1;
            return *len - 1;
        }
        if const_eq(keys.keys[index as usize].0, key) {
            return index as usize;
        }
        slot = (slot + 1) % TABLE_SLOTS;
    }
}

/// Every declared key once, with its schema, or `SHARED`.
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: out of bounds fails the build")]
const fn distinct() -> (Keys, usize) {
    assert!(SCHEMAS.len() < SHARED as usize && DECLARED < EMPTY as usize);
    let mut keys = Keys { keys: [("", SHARED); DECLARED], table: [EMPTY; TABLE_SLOTS] };
    let mut len = 0;
    let mut s = 0;
    while s < SCHEMAS.len() {
        let fields = SCHEMAS[s].fields;
        let mut f = 0;
        while f < fields.len() {
            let at = put(&mut keys, &mut len, fields[f].name, s as u8);
            if keys.keys[at].1 != s as u8 {
                keys.keys[at].1 = SHARED;
            }
            f += 1;
        }
        s += 1;
    }
    (keys, len)
}

/// The keys of `distinct` that one schema alone declares.
#[allow(clippy::indexing_slicing, reason = "evaluated at compile time: out of bounds fails the build")]
const fn unique(distinct: &(Keys, usize)) -> Keys {
    let mut unique = Keys { keys: [("", SHARED); DECLARED], table: [EMPTY; TABLE_SLOTS] };
    let mut len = 0;
    let mut i = 0;
    while i < distinct.1 {
        let (key, owner) = distinct.0.keys[i];
        if owner != SHARED {
            put(&mut unique, &mut len, key, owner);
        }
        i += 1;
    }
    unique
}

#[allow(clippy::indexing_slicing, reason = "evaluated at compile time")]
const fn const_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        detect(&parse_fields(json).unwrap()).map(Schema::name)
    }

    #[test]
    fn keys_declared_by_one_schema_vote_for_it() {
        for (index, schema) in SCHEMAS.iter().enumerate() {
            let mut unique = 0;
            for field in schema.fields {
                let declared_by = SCHEMAS.iter().filter(|other| other.declares(field.name)).count();
                let expected = (declared_by == 1).then_some(index);
                assert_eq!(unique_to(field.name), expected, "{} of {}", field.name, schema.name());
                unique += usize::from(declared_by == 1);
            }
            // Every schema can be recognized.
            assert!(unique > 0, "{} has no key of its own", schema.name());
        }
        for other in ["", "clientip", "ClientRequestHostX", "a", "Timestamp", "ClientIP", "RayID"] {
            assert_eq!(unique_to(other), None, "{other}");
        }
    }

    #[test]
    fn look_alike_pairs() {
        assert_eq!(
            detected(r#"{"QueryName":"a.","QueryType":1,"ResponseCode":0,"Timestamp":1}"#).as_deref(),
            Some("dns_logs")
        );
        assert_eq!(
            detected(r#"{"QueryName":"a.","QueryType":1,"ClientResponseCode":0,"ClusterID":"x"}"#).as_deref(),
            Some("dns_firewall_logs")
        );
        assert_eq!(
            detected(r#"{"When":"2023-02-24T16:32:38Z","ActorIP":"1.2.3.4","ActionType":"x"}"#).as_deref(),
            Some("audit_logs")
        );
        assert_eq!(
            detected(r#"{"ActionTimestamp":"2023-02-24T16:32:38Z","ActorIPAddress":"1.2.3.4","ActionType":"x"}"#)
                .as_deref(),
            Some("audit_logs_v2")
        );
        assert_eq!(
            detected(r#"{"ConnectionID":"1","BytesSentOrigin":2}"#).as_deref(),
            Some("websocket_analytics/zone")
        );
        assert_eq!(detected(r#"{"connectionId":"1","rayId":"2"}"#).as_deref(), Some("websocket_analytics/account"));
    }

    #[test]
    fn request_datasets_apart() {
        // Logpull's default field set, and a Logpush line.
        let logpull = r#"{"ClientIP":"192.0.2.1","ClientRequestHost":"a.com","ClientRequestMethod":"GET","ClientRequestURI":"/","EdgeEndTimestamp":1,"EdgeResponseBytes":2,"EdgeResponseStatus":200,"EdgeStartTimestamp":1,"RayID":"1"}"#;
        assert_eq!(detected(logpull).as_deref(), Some("http_requests"));
        assert_eq!(
            detected(
                r#"{"ClientIP":"192.0.2.1","EdgeStartTimestamp":1,"CacheCacheStatus":"hit","EdgePathingOp":"wl"}"#
            )
            .as_deref(),
            Some("http_requests")
        );
        // Legacy Logpull-only keys.
        assert_eq!(
            detected(r#"{"RayID":"1","WAFAction":"drop","FirewallMatchesActions":[],"ZoneID":1}"#).as_deref(),
            Some("http_requests")
        );
        // firewall_events, zone and account scope: one schema.
        let zone = r#"{"Action":"block","ClientIP":"192.0.2.1","ClientRequestHost":"a.com","Datetime":1,"Kind":"firewall","MatchIndex":0,"RayID":"1","RuleID":"x","Source":"waf"}"#;
        assert_eq!(detected(zone).as_deref(), Some("firewall_events"));
        let account = r#"{"Action":"log","ClientIP":"192.0.2.1","Datetime":1,"Source":"firewallCustom","ZoneName":"a.com","AISecurityCustomTopicCategories":{}}"#;
        assert_eq!(detected(account).as_deref(), Some("firewall_events"));
        // The two audit formats.
        let api = r#"{"action":{"type":"login"},"actor":{"id":"1"},"id":"2","owner":{"id":"1"},"resource":{},"when":"2024-01-01T00:00:00Z"}"#;
        assert_eq!(detected(api).as_deref(), Some("audit_logs/api"));
        assert_eq!(
            detected(r#"{"When":"2024-01-01T00:00:00Z","ActorIP":"1.2.3.4","ActionType":"login","OwnerID":"1"}"#)
                .as_deref(),
            Some("audit_logs")
        );
        assert_eq!(
            detected(r#"{"EdgeStartTimestamp":1,"ConnectionID":"1","BytesSentOrigin":2}"#).as_deref(),
            Some("websocket_analytics/zone")
        );
        assert_eq!(
            detected(r#"{"connectionId":"1","rayId":"2","clientIP":"192.0.2.1"}"#).as_deref(),
            Some("websocket_analytics/account")
        );
    }

    #[test]
    fn unrecognized_records() {
        assert_eq!(detected(r#"{"RayID":"1","ClientIP":"1.2.3.4"}"#), None);
        assert_eq!(detected(r#"{}"#), None);
        // One key of each of two datasets: a tie is not a guess.
        assert_eq!(detected(r#"{"ResponseCode":0,"ClusterID":"x"}"#), None);
    }
}
