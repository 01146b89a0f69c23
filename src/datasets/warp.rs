//! The WARP client's device, user and account fields, shared by the WARP and DEX datasets
//! (`warp_config_changes`, `warp_toggle_changes`, `dex_device_state_events`,
//! `dex_application_tests`).

use crate::doc::Doc;
use crate::ecs::time::Unit;
use crate::record::Field;

/// The device, its user and account, as every WARP and DEX dataset names them: `DeviceID` →
/// `device.id` and `host.id` (as Elastic does), `Hostname` → `host.name`, both also
/// `related.hosts`; `SerialNumber` → `device.serial_number`; `ClientPlatform` →
/// `host.os.platform`; `UserEmail` → `user.email`, `UserID` → `user.id`, both `related.user`;
/// `AccountID`/`AccountName` → `cloud.account.*`. `false` for any other field.
pub(super) fn device<'a>(doc: &mut Doc<'a>, field: &Field<'a>) -> bool {
    match field.key() {
        "DeviceID" => {
            related(doc, field, Doc::related_host);
            doc.keyword_at(&["device.id", "host.id"], field);
        }
        "Hostname" => {
            related(doc, field, Doc::related_host);
            doc.keyword("host.name", field);
        }
        "SerialNumber" => doc.keyword("device.serial_number", field),
        "ClientPlatform" => doc.keyword("host.os.platform", field),
        "UserEmail" => {
            related(doc, field, Doc::related_user);
            doc.keyword("user.email", field);
        }
        "UserID" => {
            related(doc, field, Doc::related_user);
            doc.keyword("user.id", field);
        }
        "AccountID" => doc.keyword("cloud.account.id", field),
        "AccountName" => doc.keyword("cloud.account.name", field),
        _ => return false,
    }
    true
}

/// Adds a string field's value to a `related.*` list.
fn related<'a>(doc: &mut Doc<'a>, field: &Field<'a>, add: fn(&mut Doc<'a>, std::borrow::Cow<'a, str>)) {
    if let Some(value) = field.as_str().filter(|v| !v.is_empty()) {
        add(doc, value);
    }
}

/// A WARP client change (`warp_config_changes`, `warp_toggle_changes`): `event.action` says
/// which; the device, user and account as `device` maps them; the changed values stay under
/// `cloudflare.*`.
pub(super) fn change<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>, action: &'static str) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["configuration"]);
    doc.put_list("event.type", &["change"]);
    doc.put_const("event.action", action);
    for field in fields {
        match field.key() {
            "Timestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            _ => {
                if !device(doc, field) {
                    doc.vendor(field);
                }
            }
        }
    }
}
