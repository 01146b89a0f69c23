//! What the Gateway datasets (`gateway_dns`, `gateway_http`, `gateway_network`) share: the
//! decision tables of the reference (§5.7) and the user, device, policy and account fields
//! every Gateway record carries.
//!
//! Decisions: the raw value is `event.action`; a value the tables know adds `allowed` or
//! `denied` to `event.type` (`info` always, as both peers write it) and sets `event.outcome`
//! (`success` when the traffic was let through, `failure` when it was stopped). A value the
//! tables do not know categorizes nothing: `event.type` stays `["info"]`, no outcome.
//!
//! Who and where: `Email` → `user.email`, `UserID` → `user.id` (both `related.user`),
//! `DeviceID` → `device.id` and `host.id`, `DeviceName` → `host.name` and `host.hostname`
//! (both `related.hosts`): the WARP device is the host the traffic came from, and `host.*` is
//! where a SIEM joins it with endpoint data. `PolicyID`/`PolicyName` → `rule.id`/`rule.name`,
//! `AccountID` → `cloud.account.id`, `ColoCode` → `observer.geo.name`.

use std::borrow::Cow;

use super::request::string;
use super::zero_trust::{device_id, device_name, user};
use crate::doc::{Doc, Endpoint, Value};
use crate::ecs::ip;
use crate::record::Field;

/// What a Gateway decision did to the traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::datasets) enum Verdict {
    /// Let through, possibly rewritten (`override*`, `isolate`).
    Allowed,
    /// Stopped (`blocked*`, `block`, `quarantine`).
    Denied,
}

/// `gateway_dns.ResolverDecision` names, by their GraphQL code (§5.7), and what they did.
const RESOLVER_DECISIONS: &[(&str, Option<Verdict>)] = &[
    ("unknown", None),
    ("allowedByQueryName", Some(Verdict::Allowed)),
    ("blockedByQueryName", Some(Verdict::Denied)),
    ("blockedByCategory", Some(Verdict::Denied)),
    ("allowedOnNoLocation", Some(Verdict::Allowed)),
    ("allowedOnNoPolicyMatch", Some(Verdict::Allowed)),
    ("blockedAlwaysCategory", Some(Verdict::Denied)),
    ("overrideForSafeSearch", Some(Verdict::Allowed)),
    ("overrideApplied", Some(Verdict::Allowed)),
    ("blockedRule", Some(Verdict::Denied)),
    ("allowedRule", Some(Verdict::Allowed)),
    // Seen in third-party code, without a code.
    ("allowedOnNoRule", Some(Verdict::Allowed)),
    ("overrideRule", Some(Verdict::Allowed)),
    ("blockedOnBlockPolicy", Some(Verdict::Denied)),
    ("allowedOnAllowPolicy", Some(Verdict::Allowed)),
];

/// `gateway_http.Action` / `gateway_network.Action` values (§5.7, and
/// `allowedOnNoRuleMatch` of both peers' network samples).
const ACTIONS: &[(&str, Verdict)] = &[
    ("allow", Verdict::Allowed),
    ("bypass", Verdict::Allowed),
    ("isolate", Verdict::Allowed),
    ("override", Verdict::Allowed),
    ("allowedOnNoRuleMatch", Verdict::Allowed),
    ("block", Verdict::Denied),
    ("quarantine", Verdict::Denied),
];

/// `ResolverDecision` → `event.action` (a GraphQL code as its name); returns what it did.
pub(in crate::datasets) fn resolver_decision<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<Verdict> {
    if let Some(code) = field.as_u64().or_else(|| field.as_str().and_then(|s| crate::json::parse_u64(&s))) {
        // Codes past 10 have no known name: kept as they are.
        let Some(&(name, verdict)) =
            usize::try_from(code).ok().filter(|&i| i <= 10).and_then(|i| RESOLVER_DECISIONS.get(i))
        else {
            doc.vendor(field);
            return None;
        };
        doc.put_str("event.action", name);
        return verdict;
    }
    let value = string(doc, field)?;
    let verdict =
        RESOLVER_DECISIONS.iter().find(|(name, _)| name.eq_ignore_ascii_case(&value)).and_then(|&(_, verdict)| verdict);
    doc.put_str("event.action", value);
    verdict
}

/// `Action` → `event.action`; returns what it did.
pub(in crate::datasets) fn action<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> Option<Verdict> {
    let value = string(doc, field)?;
    let verdict = ACTIONS.iter().find(|(name, _)| name.eq_ignore_ascii_case(&value)).map(|&(_, verdict)| verdict);
    doc.put_str("event.action", value);
    verdict
}

/// `event.type` and `event.outcome` of a decision.
pub(in crate::datasets) fn categorize(doc: &mut Doc<'_>, verdict: Option<Verdict>) {
    match verdict {
        Some(Verdict::Allowed) => {
            doc.put_list("event.type", &["info", "allowed"]);
            doc.put_const("event.outcome", "success");
        }
        Some(Verdict::Denied) => {
            doc.put_list("event.type", &["info", "denied"]);
            doc.put_const("event.outcome", "failure");
        }
        None => doc.put_list("event.type", &["info"]),
    }
}

/// The user, device, policy, account and colo fields every Gateway dataset has; `false`
/// for other fields.
pub(in crate::datasets) fn common<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> bool {
    match field.key() {
        "AccountID" => doc.keyword("cloud.account.id", field),
        "Email" => user(doc, "user.email", field),
        "UserID" => user(doc, "user.id", field),
        "DeviceID" => device_id(doc, field),
        "DeviceName" => device_name(doc, field),
        "PolicyID" => doc.keyword("rule.id", field),
        "PolicyName" => doc.keyword("rule.name", field),
        "ColoCode" => doc.keyword("observer.geo.name", field),
        _ => return false,
    }
    true
}

/// A user identifier, also one of `related.user`.
/// The endpoints of a proxied connection, as `gateway_http` and `gateway_network` name them:
/// client → `source.*` (its internal address as `source.nat.ip`), server →
/// `destination.*`, with their countries and continents; `false` for other fields.
pub(in crate::datasets) fn endpoints<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> bool {
    match field.key() {
        "SourceIP" => doc.endpoint_ip(Endpoint::Source, field),
        "SourcePort" => port(doc, "source.port", field),
        "SourceInternalIP" => doc.ip("source.nat.ip", field),
        "SourceIPCountryCode" => doc.keyword("source.geo.country_iso_code", field),
        "SourceIPContinentCode" => doc.keyword("source.geo.continent_code", field),
        "DestinationIP" => doc.endpoint_ip(Endpoint::Destination, field),
        "DestinationPort" => port(doc, "destination.port", field),
        "DestinationIPCountryCode" => doc.keyword("destination.geo.country_iso_code", field),
        "DestinationIPContinentCode" => doc.keyword("destination.geo.continent_code", field),
        _ => return false,
    }
    true
}

/// An integer field that must be a port (`source.port`, `destination.port`).
pub(in crate::datasets) fn port<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    match field.as_integer() {
        Some(port @ 0..=65_535) => doc.put(path, Value::Int(port)),
        _ if crate::json::is_empty_value(field.raw()) => {}
        _ => doc.bad_field(field, "expected a port number"),
    }
}

/// A list of IP addresses (`ResolvedIPs`) as an ECS `ip` array, each one of `related.ip`.
/// A list holding anything but IP addresses is kept as it is, with a note.
pub(in crate::datasets) fn ip_list<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    let Ok(items) = serde_json::from_str::<Vec<Cow<'_, str>>>(field.raw()) else {
        if !crate::json::is_empty_value(field.raw()) {
            doc.bad_field(field, "expected a list of IP addresses");
        }
        return;
    };
    let mut ips = Vec::with_capacity(items.len());
    for item in &items {
        match ip::normalize(item) {
            Some(ip) => ips.push(ip.into_owned()),
            None => return doc.bad_field(field, "not a list of IP addresses"),
        }
    }
    if ips.is_empty() {
        return;
    }
    for ip in &ips {
        doc.related_ip(Cow::Owned(ip.clone()));
    }
    doc.put_json(path, Cow::Owned(json_strings(ips.iter().map(String::as_str))));
}

/// `["a","b"]`.
pub(in crate::datasets) fn json_strings<'s>(items: impl Iterator<Item = &'s str>) -> String {
    let mut out = Vec::new();
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        crate::json::write_str(&mut out, item);
    }
    out.push(b']');
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_fields;

    fn verdicts(record: &str, decide: for<'a> fn(&mut Doc<'a>, &Field<'a>) -> Option<Verdict>) -> Vec<Option<Verdict>> {
        let fields = parse_fields(record).expect("object");
        let mut doc = Doc::new("x");
        fields.iter().map(|f| decide(&mut doc, f)).collect()
    }

    #[test]
    fn decisions_in_the_tables_and_not() {
        use Verdict::*;
        let dns = r#"{"a":"blockedByCategory","b":"allowedOnNoPolicyMatch","c":"OVERRIDEFORSAFESEARCH","d":"blockedSomehow","e":"unknown","f":3,"g":"5","h":11,"i":""}"#;
        assert_eq!(
            verdicts(dns, resolver_decision),
            [Some(Denied), Some(Allowed), Some(Allowed), None, None, Some(Denied), Some(Allowed), None, None]
        );
        let actions =
            r#"{"a":"block","b":"allow","c":"Quarantine","d":"isolate","e":"off","f":"allowedOnNoRuleMatch"}"#;
        assert_eq!(
            verdicts(actions, action),
            [Some(Denied), Some(Allowed), Some(Denied), Some(Allowed), None, Some(Allowed)]
        );
    }
}
