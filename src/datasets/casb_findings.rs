//! `casb_findings`: security-posture findings of Cloudflare CASB on the SaaS applications an
//! account integrates (a file shared publicly, a user without two-factor authentication).
//!
//! A finding is raised when CASB's scan first detects it (`DetectedTimestamp`), by the
//! finding type acting as a detection rule outside the SIEM: `event.kind` `alert` (not
//! `state`, which ECS keeps for periodic snapshots of an entity), in the `configuration`
//! category as Elastic's own posture findings are. The finding type is `rule.*` (ID, name),
//! this finding `event.id` (as Elastic's integration maps `InstanceID`). The severity name
//! stays as `cloudflare.FindingTypeSeverity` and gives `event.severity` on Elastic's scale
//! (low 21, medium 47, high 73, critical 99).
//!
//! ECS 9.4 has `entity.*` for the affected asset: `AssetExternalID` → `entity.id`,
//! `AssetDisplayName` → `entity.name`, `AssetLink` → `entity.reference` and, as Elastic
//! maps it, `url.*`. The asset's vendor metadata and the integration (the SaaS app connected
//! to CASB: `Integration*`) have no ECS home and stay under `cloudflare.*`.

use super::zero_trust::url_field;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::{Doc, Value};
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "casb_findings",
    variant: "",
    fields: &[
        ecs("AssetDisplayName", Str),
        ecs("AssetExternalID", Str),
        ecs("AssetLink", Str),
        kept("AssetMetadata", Object),
        ecs("DetectedTimestamp", Time),
        ecs("FindingTypeDisplayName", Str),
        ecs("FindingTypeID", Str),
        kept("FindingTypeSeverity", Str),
        ecs("InstanceID", Str),
        kept("IntegrationDisplayName", Str),
        kept("IntegrationID", Str),
        kept("IntegrationPolicyVendor", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "alert");
    doc.put_list("event.category", &["configuration"]);
    doc.put_list("event.type", &["info"]);

    for field in fields {
        match field.key() {
            "DetectedTimestamp" => doc.timestamp("@timestamp", field, Unit::Auto),
            "InstanceID" => doc.keyword("event.id", field),
            "FindingTypeID" => doc.keyword("rule.id", field),
            "FindingTypeDisplayName" => doc.keyword("rule.name", field),
            "FindingTypeSeverity" => {
                if let Some(severity) = field.as_str().as_deref().and_then(severity) {
                    doc.put("event.severity", Value::Int(severity));
                }
                doc.vendor(field);
            }
            "AssetExternalID" => doc.keyword("entity.id", field),
            "AssetDisplayName" => doc.keyword("entity.name", field),
            "AssetLink" => {
                doc.keyword("entity.reference", field);
                url_field(doc, field);
            }
            _ => doc.vendor(field),
        }
    }
}

/// `event.severity` of a severity name, on the scale of Elastic's integration (and of its
/// detection rules' risk scores).
fn severity(name: &str) -> Option<i64> {
    let known = [("low", 21), ("medium", 47), ("high", 73), ("critical", 99)];
    known.into_iter().find(|(known, _)| known.eq_ignore_ascii_case(name.trim())).map(|(_, severity)| severity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"AssetDisplayName":"Q3 forecast.xlsx","AssetExternalID":"1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789","DetectedTimestamp":"2024-03-14T09:26:53Z","FindingTypeDisplayName":"Google Drive File Publicly Accessible with Link","FindingTypeID":"a2790c4f-03f5-449f-b209-5f4447f417aa","FindingTypeSeverity":"High","InstanceID":"6b187be4-2dd5-42c5-a37b-1a2b3c4d5e6f","IntegrationDisplayName":"Google Workspace","IntegrationID":"c772678d-5cf1-4c73-bf3f-0a1b2c3d4e5f"}"#;
        let fields = parse_fields(record).expect("an object");
        assert_eq!(detect(&fields).map(|s| s.name()).as_deref(), Some("casb_findings"));
    }

    #[test]
    fn severities() {
        assert_eq!(severity("Critical"), Some(99));
        assert_eq!(severity("HIGH"), Some(73));
        assert_eq!(severity("medium"), Some(47));
        assert_eq!(severity("Low"), Some(21));
        assert_eq!(severity("Unknown"), None);
    }
}
