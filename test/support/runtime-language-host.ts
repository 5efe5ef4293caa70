/**
 * Child process for the runtime-language test: the local server plus a real Node-RED (no editor)
 * whose `lang` setting is argv[3], running the flow file given as argv[2]. Prints one JSON line per
 * warning a node logs (`{ id, msg }`), which is how the test's flow reports the status texts and
 * errors it sees; stops everything on SIGTERM. A separate process because Node-RED reads its language
 * once per process, and the Node-RED test helper in the mocha process translates nothing.
 */
import { startNodeRed } from '../../scripts/node-red-host';
import { runChild, setUpChild, stopOnSigterm } from './node-red-child';

const WARN_LEVEL = 30;

async function main(): Promise<void> {
  const setUp = await setUpChild('language');
  const { flows, credentials, userDir } = setUp;
  const host = await startNodeRed({
    userDir,
    flows,
    credentials,
    editor: false,
    port: 0,
    lang: process.argv[3],
    onLog: (entry) => {
      if (entry.level === WARN_LEVEL && entry.id) process.stdout.write(`${JSON.stringify({ id: entry.id, msg: entry.msg })}\n`);
    },
  });
  stopOnSigterm(host, setUp);
}

runChild(main);
