//! `mnm_flow_logs`: Magic Network Monitoring flow records (NetFlow/IPFIX/sFlow/VPC).
//!
//! No ECS mapping yet: records give `unsupported_dataset` error documents.

use super::schema::Kind::*;
use super::schema::{Schema, field};

pub const SCHEMA: Schema = Schema {
    dataset: "mnm_flow_logs",
    variant: "",
    fields: &[
        field("AWSVPCFlowJSON", Str),
        field("Bits", Int),
        field("DestinationAS", Int),
        field("DestinationAddress", Str),
        field("DestinationPort", Int),
        field("DeviceID", Str),
        field("EgressBits", Int),
        field("EgressPackets", Int),
        field("Ethertype", Int),
        field("FlowProtocol", Str),
        field("FlowTimestamp", Time),
        field("NumFlows", Int),
        field("PacketID", Str),
        field("Packets", Int),
        field("Protocol", Int),
        field("RuleIDs", Str),
        field("SampleRate", Int),
        field("SampleRateType", Str),
        field("SamplerAddress", Str),
        field("SourceAS", Int),
        field("SourceAddress", Str),
        field("SourcePort", Int),
        field("TcpFlags", Int),
        field("Timestamp", Time),
    ],
    mapping: None,
};
