import { transitionOperation } from './pause-resume';
import { runtimeText } from '../runtime-texts';

export const pauseSession = transitionOperation({
  id: 'pauseSession',
  displayName: 'Pause Session',
  summary: 'Pauses a session: it keeps its state but costs less until it is resumed.',
  details: [
    'Calls PauseSessionAsync, as the SDK’s `betaPauseAsync()` does (a beta feature of AgentBay). A paused session keeps its files and state, but runs no commands or tools until **Resume Session**.',
    'Only a RUNNING session can be paused.',
  ],
  spec: { action: 'PauseSessionAsync', verb: 'pause', gerund: runtimeText('pausing'), waitLabel: runtimeText('sessionPause'), transitional: 'PAUSING', target: 'PAUSED' },
});
