// The simulate scenario of the Node benchmarks (bench.mjs, decide-loop.mjs, simulate-loop.mjs):
// ReadOnlyAccess + AmazonS3FullAccess + a Deny, and six requests by one principal, from
// scenario.json (which the native examples read too), and the same scenario as an iam-simulate call.
import { readFileSync } from "node:fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";

const scenario = JSON.parse(readFileSync(new URL("./scenario.json", import.meta.url), "utf8"));
const corpusDir = new URL("../../tests/corpus/aws-managed-policies/", import.meta.url);
/** The text of a managed policy of the corpus. */
export const readManaged = (name) => readFileSync(new URL(name, corpusDir), "utf8");

export const [readOnlyAccess, s3FullAccess] = scenario.managed.map(readManaged);
export const deny = scenario.deny;
export const principal = scenario.principal;
/** [action, resource] pairs. */
export const requests = scenario.requests;

/**
 * One request of the scenario through @cloud-copilot/iam-simulate (AGPL; only run as a yardstick),
 * with the policies as text parsed each call, as iamscope's text simulate does. A promise.
 */
export const iamSimulate = ([action, resource]) =>
  runSimulation(
    {
      request: { principal, action, resource: { resource, accountId: "111122223333" }, contextVariables: {} },
      identityPolicies: [
        { name: "ReadOnlyAccess", policy: JSON.parse(readOnlyAccess) },
        { name: "AmazonS3FullAccess", policy: JSON.parse(s3FullAccess) },
        { name: "Deny", policy: JSON.parse(deny) },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );

// A second, raw instance of a build's module (`distUrl`: its dist/node.js as a URL) with the
// prepared set of `policies`, for scripts that call the bindings directly; `put(r)` writes the
// request's principal, action and resource into the set's request buffer, as the npm wrapper
// does, and returns their byte lengths.
export async function rawSet(distUrl, policies) {
  const glue = await import(new URL("wasm/iamscope.js?raw", distUrl).href);
  const wasm = glue.initSync({ module: readFileSync(new URL("wasm/iamscope_bg.wasm", distUrl)) });
  const raw = glue.prepare(new TextEncoder().encode(JSON.stringify(policies)));
  const enc = new TextEncoder();
  const put = (r) => {
    const bytes = [r.principal, r.action, r.resource].map((x) => enc.encode(x));
    let o = raw.requestBuffer(bytes.reduce((n, b) => n + b.length, 0));
    const mem = new Uint8Array(wasm.memory.buffer);
    for (const b of bytes) {
      mem.set(b, o);
      o += b.length;
    }
    return bytes.map((b) => b.length);
  };
  return { wasm, raw, put };
}
