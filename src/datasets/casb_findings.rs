//! `casb_findings`: CASB SaaS security-posture findings.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "casb_findings",
    variant: "",
    fields: &[
        field("AssetDisplayName", Str),
        field("AssetExternalID", Str),
        field("AssetLink", Str),
        field("AssetMetadata", Object),
        field("DetectedTimestamp", Time),
        field("FindingTypeDisplayName", Str),
        field("FindingTypeID", Str),
        field("FindingTypeSeverity", Str),
        field("InstanceID", Str),
        field("IntegrationDisplayName", Str),
        field("IntegrationID", Str),
        field("IntegrationPolicyVendor", Str),
    ],
    mapping: None,
};
