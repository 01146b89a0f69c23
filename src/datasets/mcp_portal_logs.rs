//! `mcp_portal_logs`: Model Context Protocol requests made through a Cloudflare MCP server
//! portal, which authenticates the user and forwards each JSON-RPC call to an upstream MCP
//! server.
//!
//! An `api`/`access` event (ECS's category for calls over RPC protocols), through a proxy:
//! the JSON-RPC method (`tools/call`, `prompts/get`, `resources/read`) is `event.action`,
//! `Success` `event.outcome`; the tool called is `gen_ai.tool.name` (ECS 9.4's field for the
//! tool an agent uses). The user is `user.*`, the client `source.*`/`client.*` with its
//! country, the data center `observer.geo.name`, the upstream server's URL `url.*`. The
//! prompt name and resource URI, the portal and server IDs and audience tags, the MCP
//! session, the upstream response time (in its unit) and the error text have no ECS home
//! and stay under `cloudflare.*` (`error.message` carries the normalizer's own notes).

use super::zero_trust::{url_field, user};
use super::request::client_ip;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::ecs::time::Unit;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "mcp_portal_logs",
    variant: "",
    fields: &[
        ecs("ClientCountry", Str),
        ecs("ClientIP", Str),
        ecs("ColoCode", Str),
        ecs("Datetime", Time),
        kept("Error", Str),
        ecs("Method", Str),
        kept("PortalAUD", Str),
        kept("PortalID", Str),
        kept("PromptGetName", Str),
        kept("ResourceReadURI", Str),
        kept("ServerAUD", Str),
        kept("ServerID", Str),
        kept("ServerResponseDurationMs", Int),
        ecs("ServerURL", Str),
        kept("SessionID", Str),
        ecs("Success", Bool),
        ecs("ToolCallName", Str),
        ecs("UserEmail", Str),
        ecs("UserID", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["api"]);
    doc.put_list("event.type", &["access"]);
    doc.put_const("observer.type", "proxy");

    let mut failed = false;
    for field in fields {
        match field.key() {
            "Datetime" => doc.timestamp("@timestamp", field, Unit::Auto),
            "Method" => doc.keyword("event.action", field),
            "ToolCallName" => doc.keyword("gen_ai.tool.name", field),
            "Success" => match field.as_bool() {
                Some(success) => doc.put_const("event.outcome", if success { "success" } else { "failure" }),
                None if crate::json::is_empty_value(field.raw()) => {}
                None => doc.bad_field(field, "expected a boolean"),
            },
            "Error" => {
                failed |= field.as_str().is_some_and(|error| !error.is_empty());
                doc.vendor(field);
            }
            "UserEmail" => user(doc, "user.email", field),
            "UserID" => user(doc, "user.id", field),
            "ClientIP" => client_ip(doc, field),
            "ClientCountry" => doc.keyword_at(&["source.geo.country_iso_code", "client.geo.country_iso_code"], field),
            "ColoCode" => doc.keyword("observer.geo.name", field),
            "ServerURL" => url_field(doc, field),
            _ => doc.vendor(field),
        }
    }
    if failed {
        // After `Success`, which wins when the record has it.
        doc.put_const("event.outcome", "failure");
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"ClientIP":"198.51.100.7","Datetime":"2024-03-14T09:26:53Z","Method":"tools/call","PortalAUD":"aud-1","PortalID":"portal-1","ServerID":"server-1","ServerURL":"https://mcp.example.com/mcp","Success":true,"ToolCallName":"search_issues","UserEmail":"alice@example.com"}"#;
        let fields = parse_fields(record).expect("an object");
        assert_eq!(detect(&fields).map(|s| s.name()).as_deref(), Some("mcp_portal_logs"));
    }
}
