// The iamscope extension: a thin client. It starts the bundled language server (the `iamscope-lsp`
// bin of the npm package, in dist/ beside the engine's .wasm), passes the `iamscope` settings, and
// adds the "iamscope: Simulate request" command, whose answer comes from the server.

import * as path from "node:path";
import {
  commands,
  window,
  workspace,
  Uri,
  type ExtensionContext,
  type OutputChannel,
  type QuickPickItem,
} from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";

const SERVER_SIMULATE = "iamscope.server.simulate";

let client: LanguageClient | undefined;
let output: OutputChannel | undefined;

interface SimulateAnswer {
  text: string;
  decision: string | null;
  error?: string;
}

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join("dist", "iamscope-lsp.cjs"));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6019"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
      { scheme: "file", language: "yaml" },
      { scheme: "untitled", language: "json" },
      { scheme: "untitled", language: "yaml" },
    ],
    synchronize: {
      configurationSection: "iamscope",
      fileEvents: workspace.createFileSystemWatcher("**/{iamscope.json,package.json}"),
    },
    initializationOptions: { settings: workspace.getConfiguration("iamscope") },
  };
  client = new LanguageClient("iamscope", "iamscope", serverOptions, clientOptions);
  output = window.createOutputChannel("iamscope simulation");
  context.subscriptions.push(output);
  context.subscriptions.push(commands.registerCommand("iamscope.simulate", (scenario?: Uri) => simulate(scenario)));
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Asks for a scenario file: the workspace's `*.scenario.json` files, or any file. */
async function pickScenario(): Promise<Uri | undefined> {
  const found = await workspace.findFiles("**/*.scenario.json", "**/node_modules/**", 500);
  const browse: QuickPickItem = { label: "Browse...", description: "any JSON file with a request" };
  const items: (QuickPickItem & { uri?: Uri })[] = found
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
    .map((uri) => ({ label: path.basename(uri.fsPath), description: workspace.asRelativePath(uri), uri }));
  items.push(browse);
  const picked = await window.showQuickPick(items, {
    title: "iamscope: Simulate request",
    placeHolder: "The scenario (a request, and the policies of the other layers)",
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await window.showOpenDialog({ canSelectMany: false, filters: { JSON: ["json"] } });
  return chosen?.[0];
}

async function simulate(scenario?: Uri): Promise<void> {
  const editor = window.activeTextEditor;
  if (!client || !editor) {
    void window.showErrorMessage("iamscope: open the policy to simulate first");
    return;
  }
  const scenarioUri = scenario instanceof Uri ? scenario : await pickScenario();
  if (!scenarioUri) return;
  const answer = (await client.sendRequest(ExecuteCommandRequest.type, {
    command: SERVER_SIMULATE,
    arguments: [
      {
        uri: editor.document.uri.toString(),
        position: { line: editor.selection.active.line, character: editor.selection.active.character },
        scenarioUri: scenarioUri.toString(),
      },
    ],
  })) as SimulateAnswer | null;
  if (!answer) return;
  output?.clear();
  output?.appendLine(`Scenario: ${workspace.asRelativePath(scenarioUri)}`);
  output?.appendLine(answer.text);
  // The channel scrolls to its end: repeat the answer there.
  output?.appendLine(`=> ${answer.decision ?? "no decision"}`);
  output?.show(true);
  if (answer.error) void window.showErrorMessage(answer.error);
  else void window.showInformationMessage(`iamscope: ${answer.decision ?? "no decision"} (details in the output)`);
}
