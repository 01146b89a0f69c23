//! `event.category` and `event.type` of an audit-log action, shared by the audit formats that
//! name the action (`audit_logs` from the API, `audit_logs_v2`).

/// `event.category` and `event.type`.
pub type Categories = (&'static [&'static str], &'static [&'static str]);

const IAM: &[&str] = &["iam"];
const CONFIGURATION: &[&str] = &["configuration"];

/// `event.category` and `event.type` of an audit action (lower case): the reference
/// integration's table, then the verb in the action's name (`gateway_create`,
/// `job_update`), else a configuration `info` event.
pub fn categorize(action: &str) -> Categories {
    match action {
        "login" => return (&["authentication"], &["info"]),
        "logout" => return (&["authentication"], &["end"]),
        "token_create" | "api_key_created" => return (IAM, &["creation"]),
        "token_revoke" => return (IAM, &["deletion"]),
        "token_roll" | "rotate_api_key" => return (IAM, &["change"]),
        "api_key_view" => return (IAM, &["info"]),
        "add_enforce_twofactor" => return (&["iam", "configuration"], &["admin", "info"]),
        "purge" | "delete" | "rec_del" => return (CONFIGURATION, &["deletion"]),
        "add" | "rec_add" => return (CONFIGURATION, &["creation"]),
        "change_setting" => return (CONFIGURATION, &["change"]),
        "tls_settings_deployed" | "pending" => return (CONFIGURATION, &["info"]),
        _ => {}
    }
    for word in action.split(['_', '.', '-', ' ']) {
        let event_type: &'static [&'static str] = match word {
            "create" | "created" | "add" | "added" => &["creation"],
            "delete" | "deleted" | "del" | "remove" | "removed" | "revoke" | "revoked" | "purge" => &["deletion"],
            "update" | "updated" | "change" | "changed" | "edit" | "set" | "modify" | "toggle" | "roll" | "rotate" => {
                &["change"]
            }
            "view" | "read" | "get" | "list" => &["access"],
            _ => continue,
        };
        return (CONFIGURATION, event_type);
    }
    (CONFIGURATION, &["info"])
}

/// A configuration change made to an identity (a member, a token, a role): the same change
/// as an `iam` event. `iam` has no `access` type; reading an identity is `info`.
pub fn as_iam(categories: Categories) -> Categories {
    match categories {
        (category, event_type) if category != CONFIGURATION => (category, event_type),
        (_, &["access"]) => (IAM, &["info"]),
        (_, event_type) => (IAM, event_type),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories() {
        assert_eq!(categorize("rotate_api_key"), (&["iam"][..], &["change"][..]));
        assert_eq!(categorize("token_create"), (&["iam"][..], &["creation"][..]));
        assert_eq!(categorize("gateway_create"), (&["configuration"][..], &["creation"][..]));
        assert_eq!(categorize("job_update"), (&["configuration"][..], &["change"][..]));
        assert_eq!(categorize("rec_set"), (&["configuration"][..], &["change"][..]));
        assert_eq!(categorize("member_remove"), (&["configuration"][..], &["deletion"][..]));
        assert_eq!(categorize("something"), (&["configuration"][..], &["info"][..]));
        assert_eq!(categorize("login"), (&["authentication"][..], &["info"][..]));
    }

    #[test]
    fn identity_changes_are_iam() {
        assert_eq!(as_iam(categorize("create")), (&["iam"][..], &["creation"][..]));
        assert_eq!(as_iam(categorize("view")), (&["iam"][..], &["info"][..]));
        assert_eq!(as_iam(categorize("login")), (&["authentication"][..], &["info"][..]));
        assert_eq!(
            as_iam(categorize("add_enforce_twofactor")),
            (&["iam", "configuration"][..], &["admin", "info"][..])
        );
    }
}
