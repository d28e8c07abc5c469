// Classes of disagreement between iamscope and the oracle, and the verdict for each, decided by
// the AWS documentation (../shared/reference). `classify` maps one disagreement to a class key,
// using the scenario and iamscope's trace (the statements that applied and their conditions).

const EL = 'reference_policies_evaluation-logic.md'

/** Statements that applied (matched) in iamscope's trace. */
function applied(mine) {
  return (mine.layers || []).flatMap((l) => l.statements.filter((s) => s.matched))
}

function appliedConditions(mine) {
  return applied(mine).flatMap((s) => s.conditions || [])
}

function isV4(s) {
  return /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(s)
}

export function classify(s, mine, theirs) {
  const labels = []
  const kind = mine.principal && mine.principal.kind
  const action = s.request.action.toLowerCase()
  const conds = appliedConditions(mine)
  const allConds = (mine.layers || []).flatMap((l) => l.statements.flatMap((st) => st.conditions || []))
  if (kind === 'root' && action.startsWith('sts:assumerole') && mine.decision === 'ImplicitDeny' && theirs === 'Allow') {
    labels.push('root-cannot-assume-role')
  }
  if (kind === 'root' && mine.decision === 'Allow' && theirs === 'ImplicitDeny') {
    labels.push('root-user-full-access')
  }
  if (kind === 'federatedUser' && mine.decision === 'ImplicitDeny' && mine.decidingLayer === 'session' && !(s.policies || {}).session && theirs === 'Allow') {
    labels.push('federated-user-without-session-policy')
  }
  const mixedDates = (c) => {
    const vals = [...(c.policyValues || []), ...(c.requestValues || [])].filter((v) => v !== null)
    return vals.some((v) => /^\d+$/.test(v)) && vals.some((v) => !/^\d+$/.test(v))
  }
  if (allConds.some((c) => c.operator.replace(/^For(All|Any)Values?:/, '').startsWith('Date') && mixedDates(c))) {
    labels.push('epoch-seconds')
  }
  if (mine.decision === 'ExplicitDeny' && mine.decidingLayer === 'resource' && theirs !== 'ExplicitDeny') {
    const resLayer = (mine.layers || []).find((l) => l.layer === 'resource')
    const denies = resLayer ? resLayer.statements.filter((st) => st.matched && st.effect === 'Deny') : []
    const stmts = [].concat(((s.policies || {}).resource || {}).Statement || [])
    if (denies.length && denies.every((d) => stmts[d.statementIndex] && stmts[d.statementIndex].NotPrincipal)) {
      labels.push('not-principal-identity-chain')
    }
  }
  if ((kind === 'roleSession' || kind === 'federatedUser' || kind === 'role') && mine.decision === 'Allow' && mine.decidingLayer === 'resource' && theirs === 'ImplicitDeny' && (s.policies || {}).session) {
    labels.push('direct-session-grant-not-limited-by-session-policy')
  }
  if (allConds.some((c) => c.operator.startsWith('Null') && c.requestValues && c.requestValues.length === 0)) {
    labels.push('null-operator-empty-list')
  }
  if (conds.some((c) => /^ForAnyValue:.*IfExists$/.test(c.operator) && c.missing && c.result)) {
    labels.push('for-any-value-if-exists-missing-key')
  }
  if (conds.some((c) => /NotIpAddress/.test(c.operator) && c.result && c.requestValues && c.requestValues.every((r) => c.policyValues.every((p) => p !== null && isV4(p) !== isV4(r))))) {
    labels.push('not-ip-address-other-family')
  }
  if (conds.some((c) => /Not/.test(c.operator) && c.result && c.policyValues.some((p) => p === null))) {
    labels.push('negated-operator-null-variable')
  }
  if (applied(mine).some((st) => (st.notes || []).some((n) => n.startsWith('NotResource') && n.includes('policy variable')))) {
    labels.push('not-resource-unresolved-variable')
  }
  if (labels.length) return labels.join('+')
  return `${mine.decision}->${theirs}@${mine.decidingLayer || 'none'}`
}

export const CLASSES = {
  'epoch-seconds': {
    title: 'Dates given as epoch numbers',
    verdict: 'iamscope is right',
    passage:
      'reference_policies_elements_condition_operators.md, "Date condition operators": "You must specify date/time values with one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time." UNIX time counts seconds; the oracle reads a bare number as milliseconds when the other side is an ISO 8601 date (JavaScript `new Date(number)`), so `1700000000` becomes a date in January 1970.'
  },
  'not-principal-identity-chain': {
    title: 'NotPrincipal with Deny that lists the principal but not every identity in its chain',
    verdict: 'documentation hedges ("might"); iamscope takes the conservative reading',
    passage:
      'reference_policies_elements_notprincipal.md, "NotPrincipal With Deny": "AWS might validate the account first and then the user. If an assumed-role user ... is being evaluated, AWS might validate the account first, then the role, and then the assumed-role user", and the examples list the session, the role and the account, warning that leaving the account (or role) out "might ... explicitly deny access to the AWS account and all entities in that account". iamscope excludes a principal from a NotPrincipal Deny only when its account, its role (for a session) and the principal itself are all listed, so it never reports Allow where AWS may deny; the oracle excludes the principal when any one of them is listed.'
  },
  'direct-session-grant-not-limited-by-session-policy': {
    title: 'A resource-based policy that names the role session itself (or *) while a session policy does not allow',
    verdict: 'iamscope is right',
    passage:
      `${EL}, "Determining whether a request is allowed or denied within an account", IAM role session: "resource-based policies that grant permissions to an IAM role session ARN grant permissions directly to the assumed role session. Permissions granted directly to a session are not limited by an implicit deny in an identity-based policy, a permissions boundary, or session policy." For Principal "*": reference_policies_elements_principal.md, "IAM role principals": "Identity-based policy types, such as permissions boundaries or session policies, do not limit permissions granted using the aws:PrincipalArn condition key with a wildcard(*) in the Principal element". The oracle lets the session policy limit every resource-based grant.`
  },
  'null-operator-empty-list': {
    title: 'Null on a multi-valued key given as an empty list',
    verdict: 'documentation ambiguous; iamscope treats an empty list as a null value',
    passage:
      'reference_policies_elements_condition.md, "The request context": a key "defined by the user, such as passing tags in a request" can be empty, and "In this case, the value in the request context is null"; reference_policies_multi-value-conditions.md calls an empty list "an empty data set". iamscope reads `[]` as null (Null:true holds, Null:false does not); the oracle reads it as a present key. A real request carries no empty tag-key list, so this only arises in simulations; iamscope says so in the trace.'
  },
  'root-user-full-access': {
    title: 'The account root user in its own account',
    verdict: 'iamscope is right',
    passage:
      `${EL}, "Determining whether a request is allowed or denied within an account": "By default, all requests are implicitly denied with the exception of the AWS account root user, which has full access." The oracle requires an identity-based policy (or treats a grant to the account as delegation to identity policies the root user does not have).`
  },
  'root-cannot-assume-role': {
    title: 'The account root user calling sts:AssumeRole',
    verdict: 'iamscope is right (fact from the STS API reference, outside ../shared/reference)',
    passage:
      'AWS STS API reference, AssumeRole: "You must use credentials for an IAM user or an IAM role to call AssumeRole. You cannot use AWS account root user credentials to call AssumeRole." The oracle allows it when the trust policy names the account.'
  },
  'federated-user-without-session-policy': {
    title: 'A federated user session without a session policy',
    verdict: 'iamscope is right',
    passage: `${EL}, "Determining whether a request is allowed or denied within an account", step "Session policies": "If there is no session policy, the code checks whether the principal is a role session. If the principal is a role session, then the request is Allowed. Otherwise, the request is implicitly denied". The oracle applies the federating user's identity-based policies alone.`
  },
  'for-any-value-if-exists-missing-key': {
    title: 'ForAnyValue:...IfExists on a key the request lacks',
    verdict: 'documentation ambiguous; iamscope follows the IfExists passage',
    passage:
      'reference_policies_elements_condition_operators.md, "...IfExists condition operators": "You can add IfExists to the end of any condition operator name except the Null condition ... If the key is not present, evaluate the condition element as true." The multi-value page says ForAnyValue "returns false" for no matching key, but does not address the IfExists suffix; the oracle lets the ForAnyValue rule win. iamscope reports the key in missingContextKeys either way.'
  },
  'not-ip-address-other-family': {
    title: 'NotIpAddress with an IPv6 request address against IPv4 ranges (or the other way round)',
    verdict: 'iamscope is right',
    passage:
      'reference_policies_elements_condition_operators.md, "IP address condition operators": NotIpAddress matches "All IP addresses except the specified IP address or range"; an IPv6 address is not inside an IPv4 range, so NotIpAddress is true. The oracle treats the comparison as false.'
  },
  'negated-operator-null-variable': {
    title: 'A negated operator whose policy value is a variable with no value',
    verdict: 'iamscope is right',
    passage:
      'reference_policies_variables.md, "Policy variables with no value": "Inverted condition operators like StringNotEquals or StringNotLike do match against a null value, as the value of the condition key they are testing against is not equal to or like the effectively null value." The oracle treats the condition as false.'
  },
  'not-resource-unresolved-variable': {
    title: 'NotResource entry with a policy variable the request does not carry',
    verdict: 'documentation silent on NotResource; iamscope follows the literal rule',
    passage:
      'reference_policies_variables.md, "Policy variables with no value": "If a variable that has no value in the authorization context is used as part of the Resource or NotResource element of a policy, the resource that includes a policy variable with no value will not match any resource." iamscope applies this to the entry: a NotResource entry that matches no resource excludes nothing, so the statement applies. The oracle makes the whole statement not apply.'
  }
}

/**
 * Counterfactual checks: for these classes, the oracle is run again on a modified simulation that
 * removes the one rule the class is about; the class is confirmed only if the oracle then gives
 * iamscope's decision (so nothing else differs in that scenario).
 */
export const CONFIRM = {
  // Give the root user the full access AWS gives it.
  'root-user-full-access': (sim) => ({
    ...sim,
    identityPolicies: [
      { name: 'root-full-access', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }
    ]
  }),
  // Without a session policy a federated user has no identity-based permissions.
  'federated-user-without-session-policy': (sim) => ({ ...sim, identityPolicies: [], permissionBoundaryPolicies: undefined })
}

/** The description of a class, also for combinations of several classes (`a+b`). */
export function describe(key) {
  if (CLASSES[key]) return CLASSES[key]
  const parts = key.split('+')
  if (parts.length < 2 || !parts.every((p) => CLASSES[p])) return null
  const cs = parts.map((p) => CLASSES[p])
  return {
    title: cs.map((c) => c.title).join('; and '),
    verdict: cs.every((c) => c.verdict === 'iamscope is right') ? 'iamscope is right' : cs.map((c) => c.verdict).join('; '),
    passage: cs.map((c) => c.passage).join(' -- ')
  }
}
