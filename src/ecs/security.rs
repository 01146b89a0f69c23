//! Cloudflare security actions and what they did to the request, for `event.type` and
//! `event.outcome`.
//!
//! One table serves `firewall_events.Action` (lower case, `connectionclose`),
//! `http_requests.SecurityAction` (camelCase, `connectionClose`) and the legacy Logpull
//! `WAFAction`: names are compared case-insensitively, ignoring `_`.

/// The effect of a security action on the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Let through: `allow`, `bypass`, `skip`, a solved or bypassed challenge.
    Allow,
    /// Stopped: `block`, `connectionClose`, a failed challenge.
    Deny,
    /// A challenge was issued; its result comes in a later event.
    Challenge,
    /// Logged or simulated only.
    Log,
    /// `unknown`, `rewrite` and values this table does not know.
    Other,
}

impl Effect {
    /// `event.type` of a `firewall_events` record.
    pub fn event_types(self) -> &'static [&'static str] {
        match self {
            Effect::Allow => &["allowed"],
            Effect::Deny => &["denied"],
            Effect::Challenge | Effect::Log | Effect::Other => &["info"],
        }
    }

    /// `event.outcome`: the request succeeded when let through, failed when stopped; a
    /// challenge or a log entry says neither.
    pub fn outcome(self) -> Option<&'static str> {
        match self {
            Effect::Allow => Some("success"),
            Effect::Deny => Some("failure"),
            Effect::Challenge | Effect::Log | Effect::Other => None,
        }
    }
}

/// Longest action name in the table, so longer input is not copied to be compared.
const MAX_ACTION: usize = 48;

pub fn effect(action: &str) -> Effect {
    let mut buf = [0u8; MAX_ACTION];
    let mut len = 0;
    for b in action.bytes().filter(|&b| b != b'_') {
        let Some(slot) = buf.get_mut(len) else {
            return Effect::Other;
        };
        *slot = b.to_ascii_lowercase();
        len += 1;
    }
    match buf.get(..len).unwrap_or_default() {
        b"allow"
        | b"bypass"
        | b"skip"
        | b"challengesolved"
        | b"challengebypassed"
        | b"jschallengesolved"
        | b"jschallengebypassed"
        | b"managedchallengenoninteractivesolved"
        | b"managedchallengeinteractivesolved"
        | b"managedchallengebypassed"
        | b"managedchallengeskipped"
        | b"precursorinterstitialpagebypassed"
        | b"precursorinterstitialpagesolved" => Effect::Allow,
        b"block"
        | b"ban"
        | b"drop"
        | b"connectionclose"
        | b"forceconnectionclose"
        | b"challengefailed"
        | b"jschallengefailed"
        | b"managedchallengefailed" => Effect::Deny,
        b"challenge" | b"jschallenge" | b"managedchallenge" | b"precursorinterstitialpageissued" => {
            Effect::Challenge
        }
        b"log" | b"simulate" => Effect::Log,
        _ => Effect::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings() {
        assert_eq!(effect("connectionclose"), Effect::Deny);
        assert_eq!(effect("connectionClose"), Effect::Deny);
        assert_eq!(effect("managedChallengeInteractiveSolved"), Effect::Allow);
        assert_eq!(effect("managed_challenge"), Effect::Challenge);
        assert_eq!(effect("jschallenge"), Effect::Challenge);
        assert_eq!(effect("BLOCK"), Effect::Deny);
        assert_eq!(effect("log"), Effect::Log);
    }

    #[test]
    fn unknown_and_odd_values() {
        assert_eq!(effect("unknown"), Effect::Other);
        assert_eq!(effect("rewrite"), Effect::Other);
        assert_eq!(effect(""), Effect::Other);
        assert_eq!(effect(&"block".repeat(20)), Effect::Other);
        assert_eq!(effect("blöck"), Effect::Other);
    }

    #[test]
    fn types_and_outcomes() {
        assert_eq!(Effect::Deny.event_types(), &["denied"]);
        assert_eq!(Effect::Deny.outcome(), Some("failure"));
        assert_eq!(Effect::Allow.event_types(), &["allowed"]);
        assert_eq!(Effect::Allow.outcome(), Some("success"));
        assert_eq!(Effect::Challenge.event_types(), &["info"]);
        assert_eq!(Effect::Challenge.outcome(), None);
    }
}
