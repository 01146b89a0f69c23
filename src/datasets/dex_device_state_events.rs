//! `dex_device_state_events`: Digital Experience Monitoring snapshots of a WARP device's
//! health and connection, sent periodically by the client.
//!
//! A measurement: `event.kind` `metric`, `event.category` `host`, `event.type` `info`. The
//! device is `host.*`/`device.*` (see `warp_config_changes::device`), its private addresses
//! `host.ip`, the geolocation of its public (ISP) address `host.geo.*` (IPv4's, else IPv6's;
//! the other is kept), its Wi-Fi network `network.name`, and its CPU use, a fraction as ECS
//! wants it, `host.cpu.usage`. The other measurements stay under `cloudflare.*` in their own
//! units: ECS's `host.disk.*`/`host.network.*` count bytes since the last sample, Cloudflare's
//! `...BPS` are rates; battery, RAM, Wi-Fi strength, handshake latency and tunnel statistics
//! have no ECS field. The public addresses, the router's and the ISP's AS are kept too (the
//! public addresses are also `related.ip`).

use std::borrow::Cow;

use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use super::warp::device;
use crate::doc::Doc;
use crate::ecs::ip;
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "dex_device_state_events",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        kept("AlwaysOn", Bool),
        kept("AppFirewallEnabled", Bool),
        kept("BatteryCharging", Bool),
        kept("BatteryCycles", Int),
        kept("BatteryPercentage", Float),
        ecs("CPUPercentage", Float),
        kept("CPUPercentageByApp", Objects),
        ecs("ClientPlatform", Str),
        kept("ClientVersion", Str),
        kept("ConnectionType", Str),
        ecs("DeviceID", Str),
        ecs("DeviceIPv4Address", Str),
        kept("DeviceIPv4Netmask", Str),
        ecs("DeviceIPv6Address", Str),
        kept("DeviceIPv6Netmask", Str),
        kept("DeviceRegistrationID", Str),
        kept("DeviceRegistrationProfileID", Str),
        kept("DiskReadBPS", Int),
        kept("DiskUsagePercentage", Float),
        kept("DiskWriteBPS", Int),
        kept("DoHSubdomain", Str),
        kept("ExperimentalExtra", Object),
        kept("FirewallEnabled", Bool),
        kept("GatewayIPv4Address", Str),
        kept("GatewayIPv4Netmask", Str),
        kept("GatewayIPv6Address", Str),
        kept("GatewayIPv6Netmask", Str),
        kept("HandshakeLatencyMs", Int),
        kept("ISPIPv4ASN", Int),
        kept("ISPIPv4ASO", Str),
        kept("ISPIPv4Address", Str),
        ecs("ISPIPv4City", Str),
        ecs("ISPIPv4CountryISO", Str),
        kept("ISPIPv4Netmask", Str),
        kept("ISPIPv4StateISO", Str),
        ecs("ISPIPv4Zip", Str),
        kept("ISPIPv6ASN", Int),
        kept("ISPIPv6ASO", Str),
        kept("ISPIPv6Address", Str),
        ecs("ISPIPv6City", Str),
        ecs("ISPIPv6CountryISO", Str),
        kept("ISPIPv6Netmask", Str),
        kept("ISPIPv6StateISO", Str),
        ecs("ISPIPv6Zip", Str),
        kept("Mode", Str),
        kept("NetworkReceivedBPS", Int),
        ecs("NetworkSSID", Str),
        kept("NetworkSentBPS", Int),
        kept("RAMAvailableKB", Int),
        kept("RAMUsedPercentage", Float),
        kept("RAMUsedPercentageByApp", Objects),
        kept("Status", Str),
        kept("SwitchLocked", Bool),
        ecs("Timestamp", Time),
        kept("TunnelStatsDownstream", Object),
        kept("TunnelStatsUpstream", Object),
        kept("TunnelType", Str),
        kept("WarpColoCode", Str),
        kept("WiFiStrengthDBM", Int),
    ],
    mapping: Some(map),
};

/// The geolocation fields of the public address, IPv4's then IPv6's, and where they go.
const HOST_GEO: [(&str, &str, &str); 3] = [
    ("ISPIPv4City", "ISPIPv6City", "host.geo.city_name"),
    ("ISPIPv4CountryISO", "ISPIPv6CountryISO", "host.geo.country_iso_code"),
    ("ISPIPv4Zip", "ISPIPv6Zip", "host.geo.postal_code"),
];

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "metric");
    doc.put_list("event.category", &["host"]);
    doc.put_list("event.type", &["info"]);

    let mut host_ips: Vec<Cow<'a, str>> = Vec::new();
    let mut geo: [[Option<&Field<'a>>; 2]; 3] = Default::default();
    for field in fields {
        let key = field.key();
        match key {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "CPUPercentage" => fraction(doc, "host.cpu.usage", field),
            "NetworkSSID" => doc.keyword("network.name", field),
            "DeviceIPv4Address" | "DeviceIPv6Address" => match field.as_str() {
                Some(text) if text.is_empty() => {}
                Some(text) => match ip::normalize(&text).map(Cow::into_owned) {
                    Some(address) => {
                        doc.related_ip(Cow::Owned(address.clone()));
                        host_ips.push(Cow::Owned(address));
                    }
                    None => doc.bad_field(field, "not an IP address"),
                },
                None => doc.bad_field(field, "expected an IP address"),
            },
            "ISPIPv4Address" | "ISPIPv6Address" => {
                if let Some(address) = field.as_str().as_deref().and_then(ip::normalize) {
                    doc.related_ip(Cow::Owned(address.into_owned()));
                }
                doc.vendor(field);
            }
            _ => {
                let slot = HOST_GEO.iter().enumerate().find_map(|(i, (v4, v6, _))| {
                    (key == *v4).then_some((i, 0)).or_else(|| (key == *v6).then_some((i, 1)))
                });
                match slot.and_then(|(i, v)| geo.get_mut(i).and_then(|g| g.get_mut(v))) {
                    Some(slot) => *slot = Some(field),
                    None => {
                        if !device(doc, field) {
                            doc.vendor(field);
                        }
                    }
                }
            }
        }
    }
    match host_ips.as_slice() {
        [] => {}
        [one] => doc.put_str("host.ip", one.clone()),
        many => {
            if let Ok(json) = serde_json::to_string(many) {
                doc.put_json("host.ip", Cow::Owned(json));
            }
        }
    }
    for ([v4, v6], (_, _, path)) in geo.into_iter().zip(HOST_GEO) {
        let usable = |f: &Option<&Field<'a>>| f.is_some_and(|f| f.as_str().is_some_and(|s| !s.is_empty()));
        let used = if usable(&v4) { v4 } else { v6.filter(|_| usable(&v6)) };
        for field in [v4, v6].into_iter().flatten() {
            if used.is_some_and(|u| std::ptr::eq(u, field)) {
                doc.keyword(path, field);
            } else {
                doc.vendor(field);
            }
        }
    }
}

/// A number (a fraction such as `0.42`, as Cloudflare writes it) put as it is; anything but a
/// JSON number is a bad field.
pub(super) fn fraction<'a>(doc: &mut Doc<'a>, path: &'static str, field: &Field<'a>) {
    let raw = field.raw();
    if serde_json::from_str::<f64>(raw).is_ok_and(f64::is_finite) && !raw.starts_with('"') {
        doc.put_json(path, Cow::Borrowed(raw));
    } else if !crate::json::is_empty_value(raw) {
        doc.bad_field(field, "expected a number");
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    fn detected(json: &str) -> Option<String> {
        detect(&parse_fields(json).unwrap()).map(|s| s.name())
    }

    #[test]
    fn device_states_and_application_tests_are_told_apart() {
        let state = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","CPUPercentage":0.31,"ClientPlatform":"windows","DeviceID":"083a8354","HandshakeLatencyMs":23,"Status":"connected","Timestamp":"2024-05-01T10:00:00Z","WarpColoCode":"FRA"}"#;
        assert_eq!(detected(state).as_deref(), Some("dex_device_state_events"));
        let test = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","ClientPlatform":"windows","DeviceID":"083a8354","HTTPMethod":"GET","HTTPStatusCode":200,"HTTPURL":"https://example.com/","TestID":"t1","TestType":"http","Timestamp":"2024-05-01T10:00:00Z"}"#;
        assert_eq!(detected(test).as_deref(), Some("dex_application_tests"));
        // The keys every WARP client dataset shares say nothing.
        assert_eq!(detected(r#"{"AccountID":"a","ClientPlatform":"mac","DeviceID":"d","Timestamp":1}"#), None);
    }
}
