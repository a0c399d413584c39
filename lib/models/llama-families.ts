/**
 * Facts about Llama families that JumpStart's model documents do not carry, for the catalogue
 * importer: the context length (Meta's model cards: 128K tokens for Llama 3.1 and 3.2, the
 * `max_position_embeddings` of 131072 in their configs) and the licence's name where a
 * document names none (hub documents link the licence text only).
 */
export interface LlamaFamily {
  /** JumpStart model ids of the family start with this. */
  readonly idPrefix: string;
  readonly name: string;
  readonly contextLength: number;
  readonly licenceName: string;
}

export const LLAMA_FAMILIES: readonly LlamaFamily[] = [
  {
    idPrefix: 'meta-textgeneration-llama-3-1-',
    name: 'Llama 3.1',
    contextLength: 131072,
    licenceName: 'Llama 3.1 Community License Agreement',
  },
  {
    idPrefix: 'meta-textgeneration-llama-3-2-',
    name: 'Llama 3.2',
    contextLength: 131072,
    licenceName: 'Llama 3.2 Community License Agreement',
  },
];
