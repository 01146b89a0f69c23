//! `device_posture_results`: the result of one Zero Trust posture check (disk encryption, OS
//! version, firewall, ...) evaluated on what a WARP client uploaded from its device.
//!
//! A host event (`host`/`info`) whose `event.outcome` is the check's result. The device is
//! both `host.*` (ID, name and host name, OS) and `device.*` (ID, manufacturer, model,
//! serial number: ECS puts hardware there), its ID and name as the Gateway datasets map them
//! (`gateway::common`); the user who registered it is `user.*`; the check is `rule.*`
//! (`PolicyID` → `rule.id`, `PostureCheckName` → `rule.name`, `PostureCheckType` →
//! `rule.category`), as Elastic's integration maps it. `DeviceType` is Cloudflare's OS name
//! (`windows`, `mac`, `linux`, `ios`, `android`, `chromeos`): `host.os.type` where ECS has the
//! family, and `host.os.name`. Elastic puts `ClientVersion` in `user_agent.version`, but the
//! WARP client is no user agent of an HTTP request: it stays as `cloudflare.ClientVersion`,
//! with the registration ID and what the check expected and received.

use super::zero_trust::user;
use super::gateway::common;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "device_posture_results",
    variant: "",
    fields: &[
        kept("ClientVersion", Str),
        ecs("DeviceID", Str),
        ecs("DeviceManufacturer", Str),
        ecs("DeviceModel", Str),
        ecs("DeviceName", Str),
        ecs("DeviceSerialNumber", Str),
        kept("DeviceType", Str),
        ecs("Email", Str),
        ecs("OSVersion", Str),
        ecs("PolicyID", Str),
        ecs("PostureCheckName", Str),
        ecs("PostureCheckType", Str),
        ecs("PostureEvaluatedResult", Bool),
        kept("PostureExpectedJSON", Object),
        kept("PostureReceivedJSON", Object),
        kept("RegistrationID", Str),
        ecs("Timestamp", Time),
        ecs("UserUID", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["host"]);
    doc.put_list("event.type", &["info"]);

    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "PostureEvaluatedResult" => match field.as_bool() {
                Some(passed) => doc.put_const("event.outcome", if passed { "success" } else { "failure" }),
                None if crate::json::is_empty_value(field.raw()) => {}
                None => doc.bad_field(field, "expected a boolean"),
            },
            "PostureCheckName" => doc.keyword("rule.name", field),
            "PostureCheckType" => doc.keyword("rule.category", field),
            "DeviceManufacturer" => doc.keyword("device.manufacturer", field),
            "DeviceModel" => doc.keyword("device.model.name", field),
            "DeviceSerialNumber" => doc.keyword("device.serial_number", field),
            "DeviceType" => os(doc, field),
            "OSVersion" => doc.keyword("host.os.version", field),
            "UserUID" => user(doc, "user.id", field),
            // `DeviceID`, `DeviceName`, `Email`, `PolicyID`: as in the Gateway datasets.
            _ if common(doc, field) => {}
            _ => doc.vendor(field),
        }
    }
}

/// `DeviceType` → `host.os.name`, and `host.os.type` where ECS has the family; another
/// value stays as `cloudflare.DeviceType`.
fn os<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    const SYSTEMS: [(&str, &str, &str); 7] = [
        ("windows", "Windows", "windows"),
        ("mac", "macOS", "macos"),
        ("macos", "macOS", "macos"),
        ("linux", "Linux", "linux"),
        ("ios", "iOS", "ios"),
        ("android", "Android", "android"),
        ("chromeos", "ChromeOS", ""),
    ];
    let text = field.as_str().unwrap_or_default();
    match SYSTEMS.iter().find(|(device_type, _, _)| device_type.eq_ignore_ascii_case(&text)) {
        Some(&(_, name, os_type)) => {
            doc.put_const("host.os.name", name);
            doc.put_const("host.os.type", os_type);
        }
        None => doc.vendor(field),
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"ClientVersion":"2024.3.409.0","DeviceID":"083a8354-d56c-11ed-9771-6a0bd2b1cb8e","DeviceName":"LAPTOP-7QK2","DeviceType":"windows","Email":"alice@example.com","OSVersion":"10.0.22631","PolicyID":"0d2f4b7e-5c1a-4e8f-9b3d-6a7c8e9f0a1b","PostureCheckName":"Disk encryption","PostureCheckType":"disk_encryption","PostureEvaluatedResult":true,"Timestamp":"2024-03-14T09:26:53Z","UserUID":"9b1f6f1c-3f2a-4b8e-a1d2-7c5e4f3a2b10"}"#;
        let fields = parse_fields(record).expect("an object");
        assert_eq!(detect(&fields).map(|s| s.name()).as_deref(), Some("device_posture_results"));
    }
}
