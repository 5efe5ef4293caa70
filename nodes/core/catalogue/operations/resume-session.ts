import { transitionOperation } from './pause-resume';
import { runtimeText } from '../runtime-texts';

export const resumeSession = transitionOperation({
  id: 'resumeSession',
  displayName: 'Resume Session',
  summary: 'Resumes a paused session so it runs commands and tools again.',
  details: [
    'Calls ResumeSessionAsync, as the SDK’s `betaResumeAsync()` does (a beta feature of AgentBay). The session comes back with the files and state it had when paused.',
    'Only a PAUSED session can be resumed.',
  ],
  spec: { action: 'ResumeSessionAsync', verb: 'resume', gerund: runtimeText('resuming'), waitLabel: runtimeText('sessionResume'), transitional: 'RESUMING', target: 'RUNNING' },
});
