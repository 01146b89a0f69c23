//! Shared ECS helpers: each a small pure module with its tests beside it.

use std::borrow::Cow;

pub mod community_id;
pub mod dns;
pub mod domain;
pub mod ip;
pub mod protocol;
pub mod security;
pub mod time;
pub mod url;
pub mod user_agent;

/// Where `part` starts in `whole`, when it is a slice of it (parsers return slices of their
/// input; their callers borrow them again with the input's lifetime, or remember the span).
pub fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    whole.get(start..start.checked_add(part.len())?).map(|_| start)
}

/// `text` in ASCII lower case (ECS keywords such as `network.transport`, `event.action`),
/// borrowed when it already is.
pub fn lowercase(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(text.to_ascii_lowercase()) } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_only_when_needed() {
        assert!(matches!(lowercase(Cow::Borrowed("rotate_api_key")), Cow::Borrowed(_)));
        assert_eq!(lowercase(Cow::Borrowed("rotate_API_key")), "rotate_api_key");
    }

    #[test]
    fn offsets_of_slices_only() {
        let whole = "Mozilla/5.0 (X11)";
        assert_eq!(offset_in(whole, &whole[8..11]), Some(8));
        assert_eq!(offset_in(whole, &whole[17..]), Some(17));
        assert_eq!(offset_in(&whole[8..], whole), None);
        assert_eq!(offset_in(whole, "5.0"), None);
    }
}
