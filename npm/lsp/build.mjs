// Bundles the language server into one CommonJS file, ../dist/iamscope-lsp.cjs, beside the
// package's own ../dist/node.cjs (the engine), which it loads at run time: the bin ships inside the
// npm package without dependencies. `iamscope-engine` in the sources stands for that file.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const outfile = process.argv[2] ?? `${here}../dist/iamscope-lsp.cjs`;

await build({
  entryPoints: [`${here}src/main.ts`],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  outfile,
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
  banner: { js: "#!/usr/bin/env node" },
  plugins: [
    {
      name: "iamscope-engine",
      setup(b) {
        b.onResolve({ filter: /^iamscope-engine$/ }, () => ({ path: "./node.cjs", external: true }));
      },
    },
  ],
});
