// The least-privilege summary in plain words: the code lens above each statement and the
// policy-wide table in the hover of the `Statement` key. The counts come from the engine's
// `summarize`; this file only phrases them.

import type { PolicySummary, StatementSummary } from "iamscope-engine";

const n = (x: number): string => x.toLocaleString("en-US");
const plural = (x: number, one: string, many = `${one}s`): string => `${n(x)} ${x === 1 ? one : many}`;

/** The most services a lens names before "and N more". */
const LENS_SERVICES = 3;

/**
 * One line for a statement, e.g. `Allows 312 actions: 280 Read, 30 List, 2 Write in 3 services
 * (ec2, s3, sqs) · all resources`. `undefined` for a statement without `Action`/`NotAction`.
 */
export function statementLensTitle(s: StatementSummary): string | undefined {
  if (s.noAction) return undefined;
  const verb = s.effect === "Allow" ? "Allows" : s.effect === "Deny" ? "Denies" : "Matches";
  const what = s.notAction ? `every action but these: ${plural(s.totalActions, "action")}` : plural(s.totalActions, "action");
  let title = `${verb} ${what}`;
  if (s.totalActions > 0) {
    title += `: ${s.levels.map((l) => `${n(l.matched)} ${l.level}`).join(", ")}`;
    const byCount = [...s.services].sort((a, b) => b.matched - a.matched || a.prefix.localeCompare(b.prefix));
    const shown = byCount.slice(0, LENS_SERVICES).map((x) => (x.matched === x.total ? `${x.prefix} (all)` : x.prefix));
    const more = byCount.length - shown.length;
    title += ` in ${plural(s.services.length, "service")} (${shown.join(", ")}${more > 0 ? `, ${n(more)} more` : ""})`;
  }
  const notes: string[] = [];
  if (s.onAllResources) notes.push("all resources");
  if (s.conditional) notes.push("with conditions");
  if (s.unknownActions.length) notes.push(`${plural(s.unknownActions.length, "unknown action")}`);
  return notes.length ? `${title} · ${notes.join(" · ")}` : title;
}

/** The most services the policy table lists. */
const TABLE_SERVICES = 30;

/** Markdown: what the whole policy allows, per service and access level, and its wildcards. */
export function policySummaryMarkdown(s: PolicySummary): string {
  const lines: string[] = [];
  lines.push(
    `**Least-privilege summary**: allows ${plural(s.totalActions, "action")} in ${plural(s.services.length, "service")} ` +
      `(Allow statements minus unconditional Deny on \`*\`; conditions and resource scopes not applied).`,
  );
  if (s.services.length) {
    lines.push("", "| service | allowed | by access level | |", "|---|---|---|---|");
    const byCount = [...s.services].sort((a, b) => b.allowed - a.allowed || a.prefix.localeCompare(b.prefix));
    for (const x of byCount.slice(0, TABLE_SERVICES)) {
      const levels = x.levels.map((l) => `${l.level} ${n(l.allowed)}/${n(l.total)}`).join(", ");
      const notes = [x.fullAccess ? "full access" : "", x.onAllResources ? "all resources" : ""].filter(Boolean).join(", ");
      lines.push(`| \`${x.prefix}\` | ${n(x.allowed)}/${n(x.total)} | ${levels} | ${notes} |`);
    }
    if (byCount.length > TABLE_SERVICES) lines.push(`| ... | ${plural(byCount.length - TABLE_SERVICES, "more service")} | | |`);
  }
  const risky = s.wildcards.filter((w) => w.writeOrPermissions > 0);
  if (s.wildcards.length) {
    lines.push(
      "",
      `Wildcards: ${s.wildcards
        .slice(0, 10)
        .map((w) => `\`${w.pattern}\` ${n(w.expandsTo)}${w.writeOrPermissions ? ` (${n(w.writeOrPermissions)} Write/Permissions)` : ""}`)
        .join(", ")}${s.wildcards.length > 10 ? `, ... ${n(s.wildcards.length - 10)} more` : ""}.`,
    );
  }
  if (risky.length === 0 && s.wildcards.length) lines.push("No wildcard grants Write or Permissions management actions.");
  if (s.unknownActions.length) lines.push("", `Unknown to the catalog: ${s.unknownActions.map((a) => `\`${a}\``).join(", ")}.`);
  lines.push("", `Catalog ${s.catalogVersion} (${s.catalogDataDate}).`);
  return lines.join("\n");
}
