//! The Cloudflare datasets: one file each, registered in the table below.
//!
//! A mapping reads a record's top-level fields once, in input order, and puts ECS values into
//! the document; a field it does not claim goes to `cloudflare.<Name>`.

use crate::doc::Doc;
use crate::record::Field;

mod access_requests;
mod audit_api;
mod audit_logs;
mod dns_logs;
mod firewall_events;
mod http_requests;

/// Maps one record's fields into the document.
pub type Mapping = for<'a> fn(&[Field<'a>], &mut Doc<'a>);

macro_rules! schemas {
    ($($schema:ident => $dataset:literal, $mapping:expr;)*) => {
        /// A Logpush field schema. Two schemas share a dataset name where Cloudflare's zone and
        /// account variants differ (`websocket_analytics`), and where the same data comes in
        /// another format (`audit_logs` from Logpush and from the audit-log API).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Schema { $($schema),* }

        impl Schema {
            pub const ALL: [Schema; [$($dataset),*].len()] = [$(Schema::$schema),*];

            /// The Logpush dataset name (`event.dataset`).
            pub fn dataset(self) -> &'static str {
                match self { $(Schema::$schema => $dataset),* }
            }

            /// The ECS mapping, if this dataset has one yet.
            pub fn mapping(self) -> Option<Mapping> {
                match self { $(Schema::$schema => $mapping),* }
            }
        }
    };
}

schemas! {
    AccessRequests => "access_requests", Some(access_requests::map);
    AccountAbuseProtectionEvents => "account_abuse_protection_events", None;
    AuditLogs => "audit_logs", Some(audit_logs::map);
    AuditLogsApi => "audit_logs", Some(audit_api::map);
    AuditLogsV2 => "audit_logs_v2", None;
    BisoUserActions => "biso_user_actions", None;
    CasbFindings => "casb_findings", None;
    DevicePostureResults => "device_posture_results", None;
    DexApplicationTests => "dex_application_tests", None;
    DexDeviceStateEvents => "dex_device_state_events", None;
    DlpForensicCopies => "dlp_forensic_copies", None;
    DnsFirewallLogs => "dns_firewall_logs", None;
    DnsLogs => "dns_logs", Some(dns_logs::map);
    EmailSecurityAlerts => "email_security_alerts", None;
    EmailSecurityPostDeliveryEvents => "email_security_post_delivery_events", None;
    FirewallEvents => "firewall_events", Some(firewall_events::map);
    GatewayDns => "gateway_dns", None;
    GatewayHttp => "gateway_http", None;
    GatewayNetwork => "gateway_network", None;
    HttpRequests => "http_requests", Some(http_requests::map);
    IpsecLogs => "ipsec_logs", None;
    MagicBgpLogs => "magic_bgp_logs", None;
    MagicIdsDetections => "magic_ids_detections", None;
    McpPortalLogs => "mcp_portal_logs", None;
    MnmFlowLogs => "mnm_flow_logs", None;
    NelReports => "nel_reports", None;
    NetworkAnalyticsLogs => "network_analytics_logs", None;
    PageShieldEvents => "page_shield_events", None;
    SinkholeHttpLogs => "sinkhole_http_logs", None;
    SpectrumEvents => "spectrum_events", None;
    SshLogs => "ssh_logs", None;
    TurnstileEvents => "turnstile_events", None;
    WarpConfigChanges => "warp_config_changes", None;
    WarpToggleChanges => "warp_toggle_changes", None;
    WebsocketAnalytics => "websocket_analytics", None;
    WebsocketAnalyticsAccount => "websocket_analytics", None;
    WorkersTraceEvents => "workers_trace_events", None;
    ZarazEvents => "zaraz_events", None;
    ZeroTrustNetworkSessions => "zero_trust_network_sessions", None;
}

impl Schema {
    /// Whether `name` is a Logpush dataset name.
    pub fn is_dataset(name: &str) -> bool {
        Schema::ALL.iter().any(|s| s.dataset() == name)
    }

    /// The schema of a record whose dataset is given by name (the `dataset` option).
    pub fn for_dataset(name: &str, fields: &[Field]) -> Option<Schema> {
        if name == "websocket_analytics" {
            // The account schema is the only camelCase one.
            let camel = fields.iter().any(|f| f.key().starts_with(|c: char| c.is_ascii_lowercase()));
            return Some(if camel { Schema::WebsocketAnalyticsAccount } else { Schema::WebsocketAnalytics });
        }
        if name == "audit_logs" {
            // The API format nests camelCase objects (`actor`, `action`); Logpush is PascalCase.
            let api = fields.iter().any(|f| matches!(f.key(), "actor" | "action" | "when" | "owner" | "resource"));
            return Some(if api { Schema::AuditLogsApi } else { Schema::AuditLogs });
        }
        Schema::ALL.into_iter().find(|s| s.dataset() == name)
    }
}
