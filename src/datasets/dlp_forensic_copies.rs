//! `dlp_forensic_copies`: copies of HTTP request or response bodies that a Gateway DLP rule
//! captured, with a selection of their headers.
//!
//! A `network`/`info` event, as Elastic's integration has it, in the account
//! (`cloud.account.id`). The Gateway rule that triggered the capture is `rule.id`; the
//! request is `http.request.id` (`GatewayRequestID`, the `RequestID` of `gateway_http`,
//! where the user, the URL and the DLP profiles of the request are). The copy's own ID
//! (`ForensicCopyID`), the phase (`request`/`response`) and the base64 payload have no ECS
//! home and stay under `cloudflare.*`.
//!
//! The headers stay whole as `cloudflare.Headers`; what ECS has a place for is also read from
//! them: the file a `Content-Disposition` names (`file.name`, `file.extension`) and the
//! `User-Agent` (`user_agent.*`). `Content-Type` is left there: ECS fills `*.mime_type` from
//! the body, not from the header.

use super::request;
use super::schema::Kind::*;
use super::schema::{Schema, ecs, kept};
use crate::doc::Doc;
use crate::ecs::time::Unit;
use crate::ecs::url;
use crate::record::Field;

pub const SCHEMA: Schema = Schema {
    dataset: "dlp_forensic_copies",
    variant: "",
    fields: &[
        ecs("AccountID", Str),
        ecs("Datetime", Time),
        kept("ForensicCopyID", Str),
        ecs("GatewayRequestID", Str),
        kept("Headers", Object),
        kept("Payload", Str),
        kept("Phase", Str),
        ecs("TriggeredRuleID", Str),
    ],
    mapping: Some(map),
};

pub fn map<'a>(fields: &[Field<'a>], doc: &mut Doc<'a>) {
    doc.put_const("event.kind", "event");
    doc.put_list("event.category", &["network"]);
    doc.put_list("event.type", &["info"]);

    for field in fields {
        match field.key() {
            "Datetime" => doc.timestamp("@timestamp", field, Unit::Auto),
            "AccountID" => doc.keyword("cloud.account.id", field),
            "GatewayRequestID" => doc.keyword("http.request.id", field),
            "TriggeredRuleID" => doc.keyword("rule.id", field),
            "Headers" => {
                headers(doc, field);
                doc.vendor(field);
            }
            _ => doc.vendor(field),
        }
    }
}

/// The file a `Content-Disposition` header names, and the `User-Agent`.
fn headers<'a>(doc: &mut Doc<'a>, field: &Field<'a>) {
    for header in field.as_object().unwrap_or_default() {
        let name = header.key();
        if name.eq_ignore_ascii_case("content-disposition") {
            if let Some(file) = header.as_str().and_then(|value| disposition_file_name(&value)) {
                if let Some(extension) = url::extension(&file) {
                    doc.put_str("file.extension", extension.to_owned());
                }
                doc.put_str("file.name", file);
            }
        } else if name.eq_ignore_ascii_case("user-agent") && header.as_str().is_some() {
            request::user_agent(doc, &header);
        }
    }
}

/// The file name of a `Content-Disposition` value: `filename*` (RFC 6266, percent-encoded
/// UTF-8) when it decodes, else `filename`, unquoted; without any directory part.
fn disposition_file_name(value: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for parameter in value.split(';').skip(1) {
        let Some((key, raw)) = parameter.split_once('=') else {
            continue;
        };
        let raw = raw.trim();
        match key.trim().to_ascii_lowercase().as_str() {
            "filename" => plain = Some(unquote(raw)),
            "filename*" => {
                extended = raw
                    .split_once('\'')
                    .and_then(|(_, rest)| rest.split_once('\''))
                    .and_then(|(_, encoded)| percent_decode(encoded))
            }
            _ => {}
        }
    }
    let name = extended.or(plain)?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    (!base.is_empty()).then(|| base.to_owned())
}

/// A quoted-string's content (`"a \"b\".pdf"` → `a "b".pdf`), or a token as it is.
fn unquote(raw: &str) -> String {
    let Some(inner) = raw.strip_prefix('"') else {
        return raw.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// `%C3%A9t%C3%A9.pdf` → `été.pdf`; `None` when it is not valid UTF-8 once decoded.
fn percent_decode(encoded: &str) -> Option<String> {
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::detect;
    use crate::record::parse_fields;

    #[test]
    fn detected() {
        let record = r#"{"AccountID":"023e105f4ecef8ad9ca31a8372d0c353","Datetime":"2024-03-14T09:26:53Z","ForensicCopyID":"fc-1","GatewayRequestID":"1884fe9d3e00000b9a8c2f0400000001","Headers":{"Content-Type":"text/plain"},"Payload":"SGVsbG8=","Phase":"request","TriggeredRuleID":"5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"}"#;
        let fields = parse_fields(record).expect("an object");
        assert_eq!(detect(&fields).map(|s| s.name()).as_deref(), Some("dlp_forensic_copies"));
    }

    #[test]
    fn file_names() {
        assert_eq!(disposition_file_name(r#"attachment; filename="Q3 report.pdf""#).as_deref(), Some("Q3 report.pdf"));
        assert_eq!(disposition_file_name("attachment; filename=report.csv").as_deref(), Some("report.csv"));
        assert_eq!(
            disposition_file_name(r#"attachment; filename="ete.pdf"; filename*=UTF-8''%C3%A9t%C3%A9.pdf"#).as_deref(),
            Some("été.pdf")
        );
        assert_eq!(
            disposition_file_name(r#"form-data; name="file"; filename="C:\\Users\\bob\\a.txt""#).as_deref(),
            Some("a.txt")
        );
        assert_eq!(disposition_file_name("inline"), None);
        assert_eq!(disposition_file_name(r#"attachment; filename="""#), None);
        assert_eq!(disposition_file_name("attachment; filename*=UTF-8''%FF%FE"), None);
        assert_eq!(percent_decode("100%"), Some("100%".to_owned()));
    }
}
