use serde::{Deserialize, Serialize};

/// Where a policy is attached; decides which elements are required or forbidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    /// Attached to a user, group or role (managed or inline).
    Identity,
    /// Attached to a resource (bucket, key, queue, topic, secret, ...).
    Resource,
    /// A role's trust policy (a resource policy on the role, for `sts:AssumeRole*`).
    Trust,
    /// A permissions boundary (identity policy grammar).
    Boundary,
    /// A session policy passed to `AssumeRole*` or `GetFederationToken`.
    Session,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
    /// A VPC endpoint policy.
    VpcEndpoint,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 8] = [
        PolicyKind::Identity,
        PolicyKind::Resource,
        PolicyKind::Trust,
        PolicyKind::Boundary,
        PolicyKind::Session,
        PolicyKind::Scp,
        PolicyKind::Rcp,
        PolicyKind::VpcEndpoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::Trust => "trust",
            PolicyKind::Boundary => "boundary",
            PolicyKind::Session => "session",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::VpcEndpoint => "vpc-endpoint",
        }
    }

    /// Parses the names above, case-insensitively; `_` may stand for `-`.
    pub fn parse(s: &str) -> Option<PolicyKind> {
        let s = s.to_ascii_lowercase().replace('_', "-");
        PolicyKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s || (s == "vpce" && *k == PolicyKind::VpcEndpoint))
    }

    /// Identity-policy grammar: no Principal, Resource required.
    pub fn is_identity_like(self) -> bool {
        matches!(
            self,
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session
        )
    }

    /// Resource-policy grammar: Principal required.
    pub fn requires_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::Trust | PolicyKind::Rcp | PolicyKind::VpcEndpoint
        )
    }
}

impl std::fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
