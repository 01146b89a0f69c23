//! `device_posture_results`: Zero Trust client device posture check results.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "device_posture_results",
    variant: "",
    fields: &[
        field("ClientVersion", Str),
        field("DeviceID", Str),
        field("DeviceManufacturer", Str),
        field("DeviceModel", Str),
        field("DeviceName", Str),
        field("DeviceSerialNumber", Str),
        field("DeviceType", Str),
        field("Email", Str),
        field("OSVersion", Str),
        field("PolicyID", Str),
        field("PostureCheckName", Str),
        field("PostureCheckType", Str),
        field("PostureEvaluatedResult", Bool),
        field("PostureExpectedJSON", Object),
        field("PostureReceivedJSON", Object),
        field("RegistrationID", Str),
        field("Timestamp", Time),
        field("UserUID", Str),
    ],
    mapping: None,
};
