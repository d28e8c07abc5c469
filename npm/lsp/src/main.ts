// Entry point of the bundled `iamscope-lsp` bin. The same file is the lint worker thread.
import { isLintWorker, runLintWorker } from "./linter.js";
import { main } from "./server.js";

if (isLintWorker()) runLintWorker();
else main();
