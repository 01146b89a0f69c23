//! `mcp_portal_logs`: Requests through MCP server portals.
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "mcp_portal_logs",
    variant: "",
    fields: &[
        field("ClientCountry", Str),
        field("ClientIP", Str),
        field("ColoCode", Str),
        field("Datetime", Time),
        field("Error", Str),
        field("Method", Str),
        field("PortalAUD", Str),
        field("PortalID", Str),
        field("PromptGetName", Str),
        field("ResourceReadURI", Str),
        field("ServerAUD", Str),
        field("ServerID", Str),
        field("ServerResponseDurationMs", Int),
        field("ServerURL", Str),
        field("SessionID", Str),
        field("Success", Bool),
        field("ToolCallName", Str),
        field("UserEmail", Str),
        field("UserID", Str),
    ],
    mapping: None,
};
