// A static file server for the built playground (www/dist): 127.0.0.1 only, correct MIME types
// (application/wasm for the engine), gzip when the browser accepts it, and the same
// Content-Security-Policy as the page's <meta> (plus what only a header can say).
//
//   node scripts/server.mjs [--port 8080] [--root dist]      (port 0 picks a free port)
//
// Also imported by the end-to-end tests and the benchmark: startServer({root, port}).

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".map"]);

export async function startServer({ root, port = 8080, host = "127.0.0.1", quiet = true } = {}) {
  const base = resolve(root);
  const gz = new Map();
  const server = createServer(async (req, res) => {
    const headers = {
      "Content-Security-Policy": CSP,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Resource-Policy": "same-origin",
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { ...headers, Allow: "GET, HEAD" }).end();
        return;
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      let path = decodeURIComponent(url.pathname);
      if (path.endsWith("/")) path += "index.html";
      const file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403, headers).end("forbidden");
        return;
      }
      const st = await stat(file).catch(() => null);
      if (!st || !st.isFile()) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain; charset=utf-8" }).end("not found");
        return;
      }
      const ext = extname(file).toLowerCase();
      let body = await readFile(file);
      headers["Content-Type"] = TYPES[ext] ?? "application/octet-stream";
      // Hashed assets never change; the page and the favicon are revalidated.
      headers["Cache-Control"] = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
      if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) {
        const key = `${file}:${st.mtimeMs}`;
        let z = gz.get(key);
        if (!z) {
          z = gzipSync(body, { level: 9 });
          gz.set(key, z);
        }
        body = z;
        headers["Content-Encoding"] = "gzip";
        headers["Vary"] = "Accept-Encoding";
      }
      headers["Content-Length"] = String(body.length);
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
      if (!quiet) console.log(`${req.method} ${url.pathname} 200 ${body.length}`);
    } catch (e) {
      res.writeHead(500, headers).end(String(e));
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, ok);
  });
  const addr = server.address();
  return {
    url: `http://${host}:${addr.port}/`,
    port: addr.port,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
  };
  const here = fileURLToPath(new URL("..", import.meta.url));
  const root = opt("root", join(here, "dist"));
  const port = Number(opt("port", process.env.PORT ?? "8080"));
  const s = await startServer({ root, port, quiet: !args.includes("--verbose") });
  console.log(`iamscope playground: ${s.url}`);
  console.log("(serving www/dist on 127.0.0.1 only; Ctrl+C stops)");
  const stop = () => s.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
