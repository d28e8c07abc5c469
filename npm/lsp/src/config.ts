// Settings of the language server and the project's iamscope.json: which rules, which severities,
// which files are policies and of which kind.

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep, basename } from "node:path";
import type { FindingType, LintOptions, PolicyKind } from "iamscope-engine";

export type LspSeverityName = "error" | "warning" | "information" | "hint";

/** The `iamscope` settings section (VS Code settings, or `initializationOptions` / `workspace/configuration` of any client). */
export interface Settings {
  /** When non-empty, only these codes (or finding types, or `PREFIX*`) are reported. */
  select: string[];
  /** Codes (or finding types, or `PREFIX*`) never reported. */
  ignore: string[];
  /** Finding-type overrides per code, as in iamscope.json. */
  severity: Record<string, FindingType>;
  /** How each finding type is shown in the editor. */
  findingTypeSeverity: Record<FindingType, LspSeverityName>;
  /** Glob (relative to the workspace folder) -> policy kind. */
  kinds: Record<string, PolicyKind>;
  /** Globs (relative to the workspace folder) of files that are always policies. */
  policyGlobs: string[];
  /** Check policies embedded in CloudFormation templates. */
  cloudFormation: boolean;
  /** Read iamscope.json (or the `iamscope` section of package.json) from the file's folder upwards. */
  configFile: boolean;
  /** Show the least-privilege summary of each statement as a code lens. */
  codeLens: boolean;
}

export const FINDING_TYPES: FindingType[] = ["ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"];
export const KINDS: PolicyKind[] = ["identity", "resource", "trust", "boundary", "session", "scp", "rcp", "vpc-endpoint"];
const LSP_SEVERITIES: LspSeverityName[] = ["error", "warning", "information", "hint"];

export function defaultSettings(): Settings {
  return {
    select: [],
    ignore: [],
    severity: {},
    findingTypeSeverity: {
      ERROR: "error",
      SECURITY_WARNING: "warning",
      WARNING: "warning",
      SUGGESTION: "information",
    },
    kinds: {},
    policyGlobs: [],
    cloudFormation: true,
    configFile: true,
    codeLens: true,
  };
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a settings object as sent by a client, keeping defaults for what is missing or malformed. */
export function readSettings(raw: unknown, problems: string[] = []): Settings {
  const s = defaultSettings();
  if (!isObject(raw)) return s;
  s.select = stringList(raw.select) ?? s.select;
  s.ignore = stringList(raw.ignore) ?? s.ignore;
  if (isObject(raw.severity)) {
    for (const [code, t] of Object.entries(raw.severity)) {
      if (typeof t === "string" && (FINDING_TYPES as string[]).includes(t)) s.severity[code] = t as FindingType;
      else problems.push(`iamscope.severity: "${code}" must map to one of ${FINDING_TYPES.join(", ")}`);
    }
  }
  if (isObject(raw.findingTypeSeverity)) {
    for (const [t, sev] of Object.entries(raw.findingTypeSeverity)) {
      if ((FINDING_TYPES as string[]).includes(t) && typeof sev === "string" && (LSP_SEVERITIES as string[]).includes(sev)) {
        s.findingTypeSeverity[t as FindingType] = sev as LspSeverityName;
      } else {
        problems.push(`iamscope.findingTypeSeverity: "${t}" must map to one of ${LSP_SEVERITIES.join(", ")}`);
      }
    }
  }
  if (isObject(raw.kinds)) {
    for (const [glob, k] of Object.entries(raw.kinds)) {
      if (typeof k === "string" && (KINDS as string[]).includes(k)) s.kinds[glob] = k as PolicyKind;
      else problems.push(`iamscope.kinds: "${glob}" must map to one of ${KINDS.join(", ")}`);
    }
  }
  s.policyGlobs = stringList(raw.policyGlobs) ?? s.policyGlobs;
  if (typeof raw.cloudFormation === "boolean") s.cloudFormation = raw.cloudFormation;
  if (typeof raw.configFile === "boolean") s.configFile = raw.configFile;
  if (typeof raw.codeLens === "boolean") s.codeLens = raw.codeLens;
  return s;
}

/**
 * A glob as iamscope.json's `kinds` reads it (the same as the CLI): `**` matches across folders
 * (`**\/` also matches no folder), `*` within one path segment, `?` one character but `/`.
 */
export function globToRegExp(glob: string): RegExp {
  let re = "^";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      if (glob[i + 2] === "/") {
        re += "(?:.*/)?";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") {
      re += "[^/]*";
    } else if (c === "?") {
      re += "[^/]";
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`${re}$`);
}

const globCache = new Map<string, RegExp>();
export function globMatch(glob: string, path: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    re = globToRegExp(glob);
    globCache.set(glob, re);
  }
  return re.test(path.replace(/\\/g, "/"));
}

/** The project's configuration file, as the CLI reads it. */
export interface ConfigFile {
  path: string;
  select: string[];
  ignore: string[];
  severity: Record<string, FindingType>;
  kinds: Record<string, PolicyKind>;
  /** What is wrong with the file, if anything (its settings are then not used). */
  error?: string;
}

function parseConfig(path: string, raw: unknown): ConfigFile {
  const cfg: ConfigFile = { path, select: [], ignore: [], severity: {}, kinds: {} };
  if (!isObject(raw)) return { ...cfg, error: `${path}: the configuration must be a JSON object` };
  const known = new Set(["select", "ignore", "severity", "kinds"]);
  for (const k of Object.keys(raw)) {
    if (!known.has(k)) return { ...cfg, error: `${path}: unknown field "${k}" (expected select, ignore, severity, kinds)` };
  }
  const problems: string[] = [];
  const s = readSettings(raw, problems);
  if (problems.length) return { ...cfg, error: `${path}: ${problems.join("; ")}` };
  return { path, select: s.select, ignore: s.ignore, severity: s.severity, kinds: s.kinds };
}

/** Finds and reads iamscope.json (or package.json's `iamscope` section) from `dir` upwards; cached until `clear()`. */
export class ConfigFiles {
  private cache = new Map<string, ConfigFile | null>();

  clear(): void {
    this.cache.clear();
  }

  /** The configuration that applies to a file in `dir`, or `null`. */
  forDir(dir: string): ConfigFile | null {
    const seen: string[] = [];
    let d = dir;
    let found: ConfigFile | null = null;
    for (;;) {
      const cached = this.cache.get(d);
      if (cached !== undefined) {
        found = cached;
        break;
      }
      seen.push(d);
      const file = join(d, "iamscope.json");
      if (isFile(file)) {
        found = this.read(file, false);
        break;
      }
      const pkg = join(d, "package.json");
      if (isFile(pkg)) {
        const cfg = this.read(pkg, true);
        if (cfg) {
          found = cfg;
          break;
        }
      }
      const up = dirname(d);
      if (up === d) break;
      d = up;
    }
    for (const s of seen) this.cache.set(s, found);
    return found;
  }

  private read(path: string, section: boolean): ConfigFile | null {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      return section ? null : { path, select: [], ignore: [], severity: {}, kinds: {}, error: `${path}: ${String(e)}` };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return section ? null : { path, select: [], ignore: [], severity: {}, kinds: {}, error: `${path}: not valid JSON (${(e as Error).message})` };
    }
    if (section) {
      if (!isObject(raw) || !("iamscope" in raw)) return null;
      return parseConfig(`${path}#iamscope`, raw.iamscope);
    }
    return parseConfig(path, raw);
  }
}

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The kind a file name states: a name part (split at `.`, `-`, `_`) that is a kind
 * (`trust-policy.json`, `deny-all.scp.json`, `vpce-policy.json`).
 */
export function kindFromFileName(path: string): PolicyKind | undefined {
  const name = basename(path).toLowerCase().replace(/\.(json|ya?ml|template)$/, "");
  const parts = name.split(/[.\-_]+/);
  if (name.includes("vpc-endpoint") || parts.includes("vpce")) return "vpc-endpoint";
  for (const k of KINDS) {
    if (parts.includes(k)) return k;
  }
  return undefined;
}

/** What the server needs to lint one file. */
export interface FileConfig {
  options: LintOptions;
  /** Where the kind came from, when not inferred by the engine. */
  kindSource?: string;
  /** The file matches `policyGlobs` or a `kinds` glob: lint it even when it does not look like a policy yet. */
  forced: boolean;
  configFile: ConfigFile | null;
}

/** Combines the settings, the config file and the file name for the file at `path`. */
export function fileConfig(
  settings: Settings,
  files: ConfigFiles,
  path: string | undefined,
  workspaceFolders: string[],
): FileConfig {
  const cfg = path && settings.configFile ? files.forDir(dirname(path)) : null;
  const usable = cfg && !cfg.error ? cfg : null;
  const folder = path ? workspaceFolders.filter((f) => path === f || path.startsWith(f + sep)).sort((a, b) => b.length - a.length)[0] : undefined;
  const relToFolder = path ? toPosix(folder ? relative(folder, path) : path) : undefined;
  let kind: PolicyKind | undefined;
  let kindSource: string | undefined;
  let forced = false;
  if (relToFolder !== undefined) {
    for (const [g, k] of Object.entries(settings.kinds)) {
      if (globMatch(g, relToFolder) || (!folder && globMatch(`**/${g}`, relToFolder))) {
        kind = k;
        kindSource = `setting iamscope.kinds "${g}"`;
        forced = true;
        break;
      }
    }
    if (!forced) forced = settings.policyGlobs.some((g) => globMatch(g, relToFolder) || (!folder && globMatch(`**/${g}`, relToFolder)));
  }
  if (!kind && usable && path) {
    const rel = toPosix(relative(dirname(usable.path.replace(/#iamscope$/, "")), path));
    for (const [g, k] of Object.entries(usable.kinds)) {
      if (globMatch(g, rel)) {
        kind = k;
        kindSource = `${basename(usable.path)} kinds "${g}"`;
        forced = true;
        break;
      }
    }
  }
  if (!kind && path) {
    const k = kindFromFileName(path);
    if (k) {
      kind = k;
      kindSource = `the file name ${basename(path)}`;
    }
  }
  // The config file is the project's base; the editor's settings add to it (select replaces it
  // when set).
  const options: LintOptions = {
    select: settings.select.length ? settings.select : usable?.select ?? [],
    ignore: [...(usable?.ignore ?? []), ...settings.ignore],
    severity: { ...(usable?.severity ?? {}), ...settings.severity },
  };
  if (kind) options.kind = kind;
  return { options, kindSource, forced, configFile: cfg };
}

function toPosix(p: string): string {
  return p.split(sep).join("/");
}
