/**
 * Child process for the editor test: the local server plus a real Node-RED with its editor,
 * on free ports, loading the flow file given as argv[2]. Prints one JSON line
 * `{ editorUrl, serverUrl }` when ready; stops everything on SIGTERM. argv[3], when given, is the password
 * of an `admin` user with every permission (Node-RED's adminAuth); without it the editor is open. A separate process because
 * the Node-RED test helper in the mocha process owns that process's Node-RED runtime.
 */
import { startNodeRed } from '../../scripts/node-red-host';
import { runChild, setUpChild, stopOnSigterm } from './node-red-child';

async function main(): Promise<void> {
  const setUp = await setUpChild('editor');
  const { server, flows, credentials, userDir } = setUp;
  const password = process.argv[3];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hash = password ? (require('bcryptjs') as { hashSync(text: string, rounds: number): string }).hashSync(password, 8) : '';
  const adminAuth = password ? { type: 'credentials', users: [{ username: 'admin', password: hash, permissions: '*' }] } : undefined;
  const host = await startNodeRed({ userDir, flows, credentials, editor: true, port: 0, onLog: () => undefined, adminAuth });
  process.stdout.write(`${JSON.stringify({ editorUrl: host.url, serverUrl: server.url, apiKey: server.apiKey })}\n`);
  stopOnSigterm(host, setUp);
}

runChild(main);
