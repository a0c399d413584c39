import { createHash } from 'node:crypto';

/**
 * Which wait condition a training job signals. The training handler tags each job it
 * starts or reuses with the owner value of its wait; the signal handler acts on a job's
 * end only when the job's tag names its own wait, so no other stack, construct or
 * superseded attempt can complete, fail or reuse it.
 */
export const WAIT_OWNER_TAG = 'cdk-llama3-finetuning:wait-owner';

/** The tag value jobs of an abandoned attempt get, so their late events signal nothing. */
export const SUPERSEDED = 'superseded';

/**
 * A wait is identified by its stack's id and its handle's logical id (unique in the
 * stack, and new with every change of training input); hashed to fit a tag value.
 */
export function waitOwner(waitId: string): string {
  return createHash('sha256').update(waitId).digest('hex').slice(0, 40);
}

/** The value of the owner tag; the last one wins, as when a tag is overwritten. */
export function ownerFromTags(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): string | undefined {
  return (tags ?? [])
    .filter((t) => t.Key === WAIT_OWNER_TAG)
    .map((t) => t.Value)
    .pop();
}
