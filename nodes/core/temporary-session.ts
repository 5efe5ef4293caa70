/**
 * Runs an operation in a session made for that one run: create it (the catalogue's Create Session),
 * do the work, delete it (Delete Session, without waiting) — also when the work fails or the run is
 * cancelled. What the mode adds to a definition is `catalogue/temporary-session.ts`.
 */
import { createSession } from './catalogue/operations/create-session';
import type { SessionRef } from './catalogue/session';
import { TEMPORARY_IMAGE } from './catalogue/temporary-session';
import type { OperationContext, OperationDefinition, OperationInput, OperationOutput } from './catalogue/types';
import { prepareInput } from './catalogue/validation';
import { releaseSession } from './release-session';
import { runtimeText } from './catalogue/runtime-texts';

export async function runInTemporarySession(
  operation: OperationDefinition,
  context: OperationContext,
  input: OperationInput,
): Promise<OperationOutput> {
  context.progress(runtimeText('creatingTemporarySession'));
  // Create Session honours cancellation itself: a session made after the cancel is deleted again.
  const created = await createSession.execute(context, prepareInput(createSession, { imageId: input[TEMPORARY_IMAGE] }));
  const session = created.session as SessionRef;

  let output: OperationOutput;
  try {
    output = await operation.execute({ ...context, client: context.client, session }, input);
  } catch (error) {
    await releaseSession(context.client, session.sessionId, { clock: context.clock }).catch((releaseError: unknown) =>
      context.progress(runtimeText('temporarySessionNotDeleted', { sessionId: session.sessionId, reason: messageOf(releaseError) })),
    );
    throw error;
  }
  // The work is done, but a session left running would cost money: a failed delete fails the node.
  await releaseSession(context.client, session.sessionId, { clock: context.clock });
  // `session` stays as the operation left it (none of these operations set one), so the
  // deleted session is never carried on to the next node.
  return { ...output, json: { ...output.json, temporarySessionId: session.sessionId } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
