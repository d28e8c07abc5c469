//! The requesting principal, and how a `Principal` / `NotPrincipal` element names it
//! (reference_policies_elements_principal.md).

use std::borrow::Cow;

use iamscope_policy::arn::{Arn, is_account_id};
use iamscope_policy::{PrincipalElement, PrincipalType, PrincipalValue};

use crate::result::{EvalError, Grant, PrincipalSummary};
use iamscope_syntax::bytes::same;

/// The kinds of principal a request can come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// The AWS account root user.
    Root,
    /// An IAM user.
    User,
    /// A role given by its role ARN: treated as a session of that role whose session name is
    /// unknown.
    Role,
    /// An assumed-role session (`arn:aws:sts::...:assumed-role/role/session`).
    RoleSession,
    /// An AWS STS federated user session (`GetFederationToken`).
    FederatedUser,
    /// An AWS service principal (`lambda.amazonaws.com`).
    Service,
    /// A web identity or SAML identity provider (for `AssumeRoleWithWebIdentity` / `...SAML`).
    IdentityProvider,
    /// An unsigned request.
    Anonymous,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Root => "root",
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
            PrincipalKind::RoleSession => "roleSession",
            PrincipalKind::FederatedUser => "federatedUser",
            PrincipalKind::Service => "service",
            PrincipalKind::IdentityProvider => "identityProvider",
            PrincipalKind::Anonymous => "anonymous",
        }
    }

    /// Principals that belong to an account and have IAM permissions (identity-based policies,
    /// boundaries, SCPs).
    pub fn is_iam(self) -> bool {
        matches!(
            self,
            PrincipalKind::Root
                | PrincipalKind::User
                | PrincipalKind::Role
                | PrincipalKind::RoleSession
                | PrincipalKind::FederatedUser
        )
    }

    pub fn is_session(self) -> bool {
        matches!(
            self,
            PrincipalKind::Role | PrincipalKind::RoleSession | PrincipalKind::FederatedUser
        )
    }
}

/// The parsed requesting principal. Its strings borrow from the request (the principal and the
/// session issuer) wherever they are pieces of it, so that parsing one allocates nothing for the
/// common kinds; only the root user given as an account id (its root ARN) and a role session
/// without `sessionIssuer` (its role ARN) build a string, and a role path is built only for a role
/// ARN with a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestPrincipal<'a> {
    pub kind: PrincipalKind,
    /// The principal as given (ARN, service name, provider, `anonymous`); for the root user given
    /// as an account id, the root ARN.
    pub id: Cow<'a, str>,
    pub partition: &'a str,
    pub account: Option<&'a str>,
    /// User name, role name, or federated user name.
    pub name: Option<&'a str>,
    /// Role session name.
    pub session_name: Option<&'a str>,
    /// The role ARN of a session (or of a role), or the IAM user ARN behind a federated user.
    pub issuer: Option<Cow<'a, str>>,
    /// Role path (from `sessionIssuer` or a role ARN), for the service-linked role check.
    pub role_path: Option<Cow<'a, str>>,
}

const WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
    "cognito-identity.amazonaws.com",
];

impl<'a> RequestPrincipal<'a> {
    pub fn parse(
        s: &'a str,
        session_issuer: Option<&'a str>,
    ) -> Result<RequestPrincipal<'a>, Box<EvalError>> {
        let bad = |why: &str| {
            Box::new(EvalError::request(
                format!(
                    "request.principal \"{s}\" is not understood: {why}. Use an ARN (user, role, assumed-role, federated-user, :root), a 12-digit account id, a service principal such as \"lambda.amazonaws.com\", an identity provider, or \"anonymous\""
                ),
                "/request/principal",
            ))
        };
        let mut p = RequestPrincipal {
            kind: PrincipalKind::Anonymous,
            id: Cow::Borrowed(s),
            partition: "aws",
            account: None,
            name: None,
            session_name: None,
            issuer: None,
            role_path: None,
        };
        if s.eq_ignore_ascii_case("anonymous") || s == "*" {
            p.id = Cow::Borrowed("anonymous");
            return Ok(p);
        }
        if is_account_id(s) {
            p.kind = PrincipalKind::Root;
            p.account = Some(s);
            p.id = Cow::Owned(format!("arn:aws:iam::{s}:root"));
            return Ok(p);
        }
        if s.starts_with("arn:") {
            let arn = Arn::parse(s).map_err(|e| bad(&e.to_string()))?;
            p.partition = arn.partition;
            if arn.service == "iam"
                && matches!(arn.resource, s if s.starts_with("saml-provider/") || s.starts_with("oidc-provider/"))
            {
                p.kind = PrincipalKind::IdentityProvider;
                p.account = Some(arn.account).filter(|a| !a.is_empty());
                return Ok(p);
            }
            if !is_account_id(arn.account) {
                return Err(bad("the account field is not a 12-digit account id"));
            }
            p.account = Some(arn.account);
            // (`split_once('/')` and `rsplit('/')`, by bytes: `/` is ASCII.)
            let (rtype, rest) = match arn.resource.bytes().position(|b| b == b'/') {
                Some(i) => (&arn.resource[..i], &arn.resource[i + 1..]),
                None => (arn.resource, ""),
            };
            let last = match rest.bytes().rposition(|b| b == b'/') {
                Some(i) => &rest[i + 1..],
                None => rest,
            };
            match (arn.service, rtype) {
                ("iam", "root") if rest.is_empty() => p.kind = PrincipalKind::Root,
                ("iam", "user") if !last.is_empty() => {
                    p.kind = PrincipalKind::User;
                    p.name = Some(last);
                }
                ("iam", "role") if !last.is_empty() => {
                    p.kind = PrincipalKind::Role;
                    p.name = Some(last);
                    p.issuer = Some(Cow::Borrowed(s));
                    p.role_path = Some(role_path(rest));
                }
                ("sts", "assumed-role") => {
                    let Some((role, session)) = rest.split_once('/') else {
                        return Err(bad(
                            "an assumed-role ARN needs a role name and a session name",
                        ));
                    };
                    if role.is_empty() || session.is_empty() {
                        return Err(bad(
                            "an assumed-role ARN needs a role name and a session name",
                        ));
                    }
                    p.kind = PrincipalKind::RoleSession;
                    p.name = Some(role);
                    p.session_name = Some(session);
                    p.issuer = Some(Cow::Owned(format!(
                        "arn:{}:iam::{}:role/{role}",
                        arn.partition, arn.account
                    )));
                }
                ("sts", "federated-user") if !rest.is_empty() => {
                    p.kind = PrincipalKind::FederatedUser;
                    p.name = Some(rest);
                }
                _ => {
                    return Err(bad(
                        "only iam root/user/role, sts assumed-role/federated-user and identity provider ARNs can make requests",
                    ));
                }
            }
            if let Some(issuer) = session_issuer {
                match p.kind {
                    PrincipalKind::RoleSession | PrincipalKind::FederatedUser => {
                        let ia = Arn::parse(issuer).map_err(|e| {
                            Box::new(EvalError::request(
                                format!("request.sessionIssuer \"{issuer}\" is not an ARN: {e}"),
                                "/request/sessionIssuer",
                            ))
                        })?;
                        let want = if p.kind == PrincipalKind::RoleSession {
                            "role/"
                        } else {
                            "user/"
                        };
                        if ia.service != "iam" || !ia.resource.starts_with(want) {
                            return Err(Box::new(EvalError::request(
                                format!(
                                    "request.sessionIssuer must be an IAM {} ARN for this principal",
                                    &want[..want.len() - 1]
                                ),
                                "/request/sessionIssuer",
                            )));
                        }
                        if p.kind == PrincipalKind::RoleSession {
                            let name = ia.resource.rsplit('/').next().unwrap_or("");
                            if Some(name) != p.name || Some(ia.account) != p.account {
                                return Err(Box::new(EvalError::request(
                                    format!(
                                        "request.sessionIssuer \"{issuer}\" is not the role of session \"{s}\""
                                    ),
                                    "/request/sessionIssuer",
                                )));
                            }
                            p.role_path = Some(role_path(&ia.resource["role/".len()..]));
                        }
                        p.issuer = Some(Cow::Borrowed(issuer));
                    }
                    _ => {}
                }
            }
            return Ok(p);
        }
        if s.contains('.') && !s.contains(':') && !s.contains(char::is_whitespace) {
            let lower = s.to_ascii_lowercase();
            if WEB_IDENTITY_PROVIDERS.contains(&lower.as_str())
                || !(lower.ends_with(".amazonaws.com") || lower.ends_with(".amazonaws.com.cn"))
            {
                p.kind = PrincipalKind::IdentityProvider;
            } else {
                p.kind = PrincipalKind::Service;
            }
            return Ok(p);
        }
        Err(bad(
            "it is neither an ARN, an account id, a service nor a provider",
        ))
    }

    /// The principal's ARN as `aws:PrincipalArn` reports it (the role ARN for a role session),
    /// borrowed from the request where it can be.
    pub fn principal_arn(&self) -> Option<Cow<'a, str>> {
        match self.kind {
            PrincipalKind::Root => Some(Cow::Owned(format!(
                "arn:{}:iam::{}:root",
                self.partition,
                self.account.unwrap_or("")
            ))),
            PrincipalKind::User | PrincipalKind::FederatedUser => Some(self.id.clone()),
            PrincipalKind::Role | PrincipalKind::RoleSession => self.issuer.clone(),
            _ => None,
        }
    }

    /// The summary of an answer: `id` and `account` borrow from the request where the principal
    /// does (a root user given as an account id has its ARN built, and owned).
    pub fn summary(&self) -> PrincipalSummary<'a> {
        PrincipalSummary {
            kind: Cow::Borrowed(self.kind.as_str()),
            id: self.id.clone(),
            account: self.account.map(Cow::Borrowed),
        }
    }

    pub fn is_service_linked_role(&self) -> bool {
        matches!(self.kind, PrincipalKind::Role | PrincipalKind::RoleSession)
            && (self
                .role_path
                .as_deref()
                .is_some_and(|p| p.starts_with("/aws-service-role/"))
                || self
                    .name
                    .is_some_and(|n| n.starts_with("AWSServiceRoleFor")))
    }
}

/// One string of a parsed principal, apart from the text it was parsed from: a range of that text,
/// one of the fixed words [`RequestPrincipal::parse`] may give, or a string it built.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    At(usize, usize),
    Word(&'static str),
    Built(String),
}

/// The words `parse` gives that are not pieces of the principal (`partition` without an ARN, the
/// id of the anonymous principal, the role path of a role without a path).
const WORDS: [&str; 3] = ["aws", "anonymous", "/"];

impl Piece {
    fn of(x: &str, text: &str) -> Piece {
        let (start, base) = (x.as_ptr() as usize, text.as_ptr() as usize);
        if start >= base && start + x.len() <= base + text.len() {
            return Piece::At(start - base, start - base + x.len());
        }
        match WORDS.iter().find(|w| **w == x) {
            Some(w) => Piece::Word(w),
            None => Piece::Built(x.to_string()),
        }
    }

    // (a `Cow`, not a `str`: whether it is owned matters)
    #[allow(clippy::ptr_arg)]
    fn of_cow(x: &Cow<'_, str>, text: &str) -> Piece {
        match x {
            Cow::Borrowed(b) => Piece::of(b, text),
            Cow::Owned(o) => Piece::Built(o.clone()),
        }
    }

    /// The piece as a slice of `text`, or a fixed word (`None` for a built string).
    fn str<'r>(&self, text: &'r str) -> Option<&'r str> {
        match self {
            Piece::At(a, b) => text.get(*a..*b),
            Piece::Word(w) => Some(w),
            Piece::Built(_) => None,
        }
    }

    fn cow<'r>(&self, text: &'r str) -> Cow<'r, str> {
        match self {
            Piece::Built(b) => Cow::Owned(b.clone()),
            _ => Cow::Borrowed(self.str(text).unwrap_or_default()),
        }
    }
}

/// A parsed principal with its strings as [`Piece`]s of the text it was parsed from: the same
/// principal again for any text with the same bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shape {
    kind: PrincipalKind,
    id: Piece,
    partition: Piece,
    account: Option<Piece>,
    name: Option<Piece>,
    session_name: Option<Piece>,
    issuer: Option<Piece>,
    role_path: Option<Piece>,
}

impl Shape {
    /// The shape of `p`, parsed from `text`; `None` when a field that borrows is not a piece of
    /// `text` nor a fixed word (not so for any principal `parse` gives without a session issuer;
    /// such a principal is then simply not kept).
    fn of(p: &RequestPrincipal<'_>, text: &str) -> Option<Shape> {
        let borrowed = |x: &str| match Piece::of(x, text) {
            Piece::Built(_) => None,
            piece => Some(piece),
        };
        let opt = |x: Option<&str>| match x {
            None => Some(None),
            Some(x) => borrowed(x).map(Some),
        };
        Some(Shape {
            kind: p.kind,
            id: Piece::of_cow(&p.id, text),
            partition: borrowed(p.partition)?,
            account: opt(p.account)?,
            name: opt(p.name)?,
            session_name: opt(p.session_name)?,
            issuer: p.issuer.as_ref().map(|x| Piece::of_cow(x, text)),
            role_path: p.role_path.as_ref().map(|x| Piece::of_cow(x, text)),
        })
    }

    /// The principal again, borrowing from `text` (the bytes it was parsed from).
    fn get<'r>(&self, text: &'r str) -> RequestPrincipal<'r> {
        let opt = |x: &Option<Piece>| x.as_ref().and_then(|x| x.str(text));
        RequestPrincipal {
            kind: self.kind,
            id: self.id.cow(text),
            partition: self.partition.str(text).unwrap_or_default(),
            account: opt(&self.account),
            name: opt(&self.name),
            session_name: opt(&self.session_name),
            issuer: self.issuer.as_ref().map(|x| x.cow(text)),
            role_path: self.role_path.as_ref().map(|x| x.cow(text)),
        }
    }
}

/// The last principal parsed without a session issuer, with the text it was parsed from: a request
/// whose principal field has the same bytes (the usual case: one principal, many actions and
/// resources) takes the parse from here instead of parsing again. It depends on that one input
/// field only, never on a policy set or an answer.
#[derive(Debug, Default)]
pub(crate) struct PrincipalMemo {
    text: String,
    shape: Option<Shape>,
}

/// Principals longer than this are parsed every time (the memo's text stays small).
const MEMO_MAX: usize = 256;

impl PrincipalMemo {
    /// The principal held, for tests.
    #[cfg(test)]
    pub(crate) fn held(&self) -> &str {
        &self.text
    }

    /// `RequestPrincipal::parse(s, session_issuer)`, taken from the memo when `s` has the bytes of
    /// the text it holds (and no session issuer is given); a principal parsed here replaces it.
    pub(crate) fn parse<'r>(
        &mut self,
        s: &'r str,
        session_issuer: Option<&'r str>,
    ) -> Result<RequestPrincipal<'r>, Box<EvalError>> {
        if session_issuer.is_some() || s.len() > MEMO_MAX {
            return RequestPrincipal::parse(s, session_issuer);
        }
        if let Some(shape) = &self.shape
            && same(self.text.as_bytes(), s.as_bytes())
        {
            return Ok(shape.get(s));
        }
        let p = RequestPrincipal::parse(s, None)?;
        self.shape = Shape::of(&p, s);
        self.text.clear();
        self.text.push_str(s);
        Ok(p)
    }
}

/// `path/to/name` -> `/path/to/` (`/` for a name without a path, without building a string).
fn role_path(rest: &str) -> Cow<'static, str> {
    match rest.rsplit_once('/') {
        Some((path, _)) => Cow::Owned(format!("/{path}/")),
        None => Cow::Borrowed("/"),
    }
}

/// How one principal value (`AWS`, `Service`, `Federated` entry) relates to the request principal.
fn value_grant(
    kind: Option<PrincipalType>,
    value: &str,
    p: &RequestPrincipal<'_>,
) -> Option<Grant> {
    match kind? {
        PrincipalType::Aws => {
            if value == "*" {
                return Some(Grant::Direct);
            }
            if !p.kind.is_iam() {
                return None;
            }
            let account = p.account?;
            if is_account_id(value) {
                return (value == account).then(|| account_grant(p));
            }
            let arn = Arn::parse(value).ok()?;
            if arn.partition != p.partition || arn.account != account {
                return None;
            }
            match (arn.service, arn.resource) {
                ("iam", "root") => Some(account_grant(p)),
                ("iam", r) if r.starts_with("user/") => match p.kind {
                    PrincipalKind::User => (value == p.id).then_some(Grant::Direct),
                    PrincipalKind::FederatedUser => {
                        (p.issuer.as_deref() == Some(value)).then_some(Grant::Issuer)
                    }
                    _ => None,
                },
                ("iam", r) if r.starts_with("role/") => match p.kind {
                    // Role names are unique in an account whatever the path; the session ARN does
                    // not carry the path, so roles are compared by name.
                    PrincipalKind::Role | PrincipalKind::RoleSession => {
                        let name = r.rsplit('/').next().unwrap_or("");
                        (Some(name) == p.name).then_some(Grant::Issuer)
                    }
                    _ => None,
                },
                ("sts", r)
                    if r.starts_with("assumed-role/") || r.starts_with("federated-user/") =>
                {
                    (value == p.id
                        && matches!(
                            p.kind,
                            PrincipalKind::RoleSession | PrincipalKind::FederatedUser
                        ))
                    .then_some(Grant::Direct)
                }
                _ => None,
            }
        }
        PrincipalType::Service => (p.kind == PrincipalKind::Service
            && value.eq_ignore_ascii_case(&p.id))
        .then_some(Grant::Direct),
        PrincipalType::Federated => {
            (p.kind == PrincipalKind::IdentityProvider && value == p.id).then_some(Grant::Direct)
        }
        PrincipalType::CanonicalUser => None,
    }
}

fn account_grant(p: &RequestPrincipal<'_>) -> Grant {
    if p.kind == PrincipalKind::Root {
        Grant::Direct
    } else {
        Grant::Account
    }
}

/// The strongest grant with which a `Principal` element names the request principal, or `None`.
pub fn principal_grant(el: &PrincipalElement, p: &RequestPrincipal<'_>) -> Option<Grant> {
    match &el.value {
        PrincipalValue::Wildcard(_) => Some(Grant::Direct),
        PrincipalValue::Map(entries) => entries
            .iter()
            .flat_map(|e| e.values.iter().map(move |v| (e.kind, v.value.as_str())))
            .filter_map(|(k, v)| value_grant(k, v, p))
            .max(),
    }
}

/// True when a `NotPrincipal` element lists the principal. AWS may check the account first, then
/// the role, then the session, so a principal counts as listed only when every identity in its
/// chain is listed: the account (always), the role (for a role session), and the principal itself
/// (reference_policies_elements_notprincipal.md, "NotPrincipal With Deny").
pub fn not_principal_lists(el: &PrincipalElement, p: &RequestPrincipal<'_>) -> bool {
    // The grants found, as a set of bits (no list per statement and request).
    let bit = |g: Grant| match g {
        Grant::Direct => 1u8,
        Grant::Issuer => 2,
        Grant::Account => 4,
    };
    let grants: u8 = match &el.value {
        PrincipalValue::Wildcard(_) => return true,
        PrincipalValue::Map(entries) => entries
            .iter()
            .flat_map(|e| e.values.iter().map(move |v| (e.kind, v.value.as_str())))
            .filter_map(|(k, v)| value_grant(k, v, p))
            .fold(0, |set, g| set | bit(g)),
    };
    let has = |g: Grant| grants & bit(g) != 0;
    match p.kind {
        PrincipalKind::Root | PrincipalKind::Service | PrincipalKind::IdentityProvider => {
            has(Grant::Direct)
        }
        PrincipalKind::Anonymous => has(Grant::Direct),
        PrincipalKind::User | PrincipalKind::FederatedUser => {
            has(Grant::Account) && has(Grant::Direct)
        }
        PrincipalKind::RoleSession => {
            has(Grant::Account) && has(Grant::Issuer) && has(Grant::Direct)
        }
        PrincipalKind::Role => has(Grant::Account) && has(Grant::Issuer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo gives what `parse` gives, for every kind of principal, whether it parses or takes
    /// the last one again: read from a new copy of the text each time (the memo keeps ranges, not
    /// addresses), after the same principal, after another one of the same length, and after
    /// one that does not parse.
    #[test]
    fn the_memo_gives_what_parse_gives() {
        let principals = [
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/carol",
            "arn:aws:iam::111122223334:user/alice",
            "arn:aws:iam::111122223333:user/path/alice",
            "arn:aws:iam::111122223333:root",
            "111122223333",
            "444455556666",
            "arn:aws:iam::111122223333:role/app",
            "arn:aws:iam::111122223333:role/aws-service-role/x/AWSServiceRoleForX",
            "arn:aws:iam::111122223333:role/p/q/app",
            "arn:aws:sts::111122223333:assumed-role/app/s1",
            "arn:aws:sts::111122223333:assumed-role/app/s2",
            "arn:aws-cn:sts::111122223333:assumed-role/app/s2",
            "arn:aws:sts::111122223333:federated-user/bob",
            "arn:aws:iam::111122223333:saml-provider/idp",
            "lambda.amazonaws.com",
            "accounts.google.com",
            "anonymous",
            "ANONYMOUS",
            "*",
            "arn:aws:iam::11112222333:user/alice",
            "not a principal",
        ];
        let mut memo = PrincipalMemo::default();
        let mut order: Vec<&str> = Vec::new();
        for p in principals {
            order.extend([p, p, "arn:aws:iam::111122223333:user/alice", p]);
        }
        for (i, p) in order.iter().enumerate() {
            let copy = p.to_string();
            assert_eq!(
                memo.parse(&copy, None),
                RequestPrincipal::parse(p, None),
                "{i}: {p}"
            );
        }
        // with a session issuer, or too long to keep, it parses (and keeps nothing)
        let session = "arn:aws:sts::111122223333:assumed-role/app/s1";
        let issuer = Some("arn:aws:iam::111122223333:role/app");
        assert_eq!(
            memo.parse(session, issuer),
            RequestPrincipal::parse(session, issuer)
        );
        let long = format!("arn:aws:iam::111122223333:user/{}", "a".repeat(MEMO_MAX));
        assert_eq!(
            memo.parse(&long, None),
            RequestPrincipal::parse(&long, None)
        );
        assert!(memo.text.len() <= MEMO_MAX);
    }

    #[test]
    fn parses_kinds() {
        let k = |s: &str| RequestPrincipal::parse(s, None).unwrap().kind;
        assert_eq!(k("anonymous"), PrincipalKind::Anonymous);
        assert_eq!(k("111122223333"), PrincipalKind::Root);
        assert_eq!(k("arn:aws:iam::111122223333:root"), PrincipalKind::Root);
        assert_eq!(k("arn:aws:iam::111122223333:user/a/b"), PrincipalKind::User);
        assert_eq!(k("arn:aws:iam::111122223333:role/r"), PrincipalKind::Role);
        assert_eq!(
            k("arn:aws:sts::111122223333:assumed-role/r/s"),
            PrincipalKind::RoleSession
        );
        assert_eq!(
            k("arn:aws:sts::111122223333:federated-user/f"),
            PrincipalKind::FederatedUser
        );
        assert_eq!(k("lambda.amazonaws.com"), PrincipalKind::Service);
        assert_eq!(
            k("cognito-identity.amazonaws.com"),
            PrincipalKind::IdentityProvider
        );
        assert_eq!(
            k("token.actions.githubusercontent.com"),
            PrincipalKind::IdentityProvider
        );
        assert_eq!(
            k("arn:aws:iam::111122223333:saml-provider/x"),
            PrincipalKind::IdentityProvider
        );
        assert!(RequestPrincipal::parse("bob", None).is_err());
        assert!(RequestPrincipal::parse("arn:aws:s3:::b", None).is_err());
        assert!(RequestPrincipal::parse("arn:aws:sts::111122223333:assumed-role/r", None).is_err());
        let p = RequestPrincipal::parse(
            "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForX/s",
            None,
        )
        .unwrap();
        assert!(p.is_service_linked_role());
    }
}
