//! Elastic's `network_session` pipeline pairs against `zero_trust_network_sessions` (see
//! `conformance`; its GeoIP-enriched `*.geo.*`/`*.as.*` pairs are not counted).

use cloudflare_ecs_fixtures::conformance;

#[test]
fn elastic_network_session_pairs() {
    conformance::check(
        "cloudflare_logpush.network_session",
        "zero_trust_network_sessions",
        &[
            ("network.transport", "ECS names transports in lower case (`tcp`); Elastic copies Cloudflare's `TCP`"),
            (
                "vlan.id",
                "not an ECS field (vlan.* is only nested, e.g. network.vlan.id), and a virtual network is no VLAN: kept as cloudflare.VirtualNetworkID",
            ),
        ],
    );
}
