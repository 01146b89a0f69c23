//! Elastic's `spectrum_event` pipeline pairs against `spectrum_events` (see `conformance`).
//! Cases 4–6 are deliberately malformed lines (keys holding escaped records): they still give
//! documents, with the odd keys kept under `cloudflare.*`.

use cloudflare_ecs_fixtures::conformance;

#[test]
fn elastic_spectrum_event_pairs() {
    conformance::check(
        "cloudflare_logpush.spectrum_event",
        "spectrum_events",
        &[
            (
                "event.end",
                "DisconnectTimestamp 1970-01-01T00:00:00Z is Spectrum's unset time on a connect event: left out, not dated 1970",
            ),
            (
                "event.type",
                "connect is connection+start (disconnect connection+end, clientFiltered connection+denied) rather than a bare info",
            ),
            (
                "event.id",
                "Application is the Spectrum application, the same for every event of it, not an event ID: kept as cloudflare.Application",
            ),
            (
                "http.response.status_code",
                "Status is Spectrum's L4 close-reason code, not an HTTP status: kept as cloudflare.Status",
            ),
        ],
    );
}
