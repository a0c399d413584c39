import type { ModelSpec } from './model-spec';

/**
 * Whether a model is instruction-tuned, so that it reads conversations in the chat format; a
 * base model continues plain text. The catalogue's ids say it: JumpStart names every instruct
 * variant `...-instruct` (meta-textgeneration-llama-3-8b-instruct, ...-3-2-1b-instruct), as
 * Meta names them "Instruct".
 */
export function isInstructModel(model: ModelSpec): boolean {
  return /-instruct(-|$)/.test(model.modelId);
}
