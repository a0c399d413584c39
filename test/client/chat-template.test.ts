/**
 * The chat format checked token for token against what Meta documents, and against the
 * payloads AWS's own hub document for Llama 3.2 Instruct sends.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatMessage, chatMessageProblems, llama3ChatPrompt, renderTurns } from '../../lib/client/chat-template';

/**
 * Meta's "Model Cards & Prompt formats — Llama 3" page
 * (https://www.llama.com/docs/model-cards-and-prompt-formats/meta-llama-3/), quoted:
 *
 * > Newlines (0x0A) are part of the prompt format, for clarity in the examples, they have been
 * > represented as actual new lines. The model expects the assistant header at the end of the
 * > prompt to start completing it.
 * > Decomposing an example instruct prompt with a system message:
 *
 * and, after the example below, "A prompt can optionally contain a single system message, or
 * multiple alternating user and assistant messages, but always ends with the last user message
 * followed by the assistant header." Meta's reference code (meta-llama/llama3,
 * llama/tokenizer.py, ChatFormat.encode_message) strips each message's content.
 */
const META_EXAMPLE = `<|begin_of_text|><|start_header_id|>system<|end_header_id|>

You are a helpful AI assistant for travel tips and recommendations<|eot_id|><|start_header_id|>user<|end_header_id|>

What can you help me with?<|eot_id|><|start_header_id|>assistant<|end_header_id|>

`;

/** The page's "Example prompt with a single user message". */
const META_SINGLE_USER = `<|begin_of_text|><|start_header_id|>user<|end_header_id|>

What is France's capital?<|eot_id|><|start_header_id|>assistant<|end_header_id|>

`;

/** Special tokens one by one, and the text between them, so a difference names the token that differs. */
const tokens = (prompt: string) => prompt.split(/(<\|[a-z_]+\|>)/).filter((t) => t !== '');

test("Meta's system + user example, token for token", () => {
  const prompt = llama3ChatPrompt([
    { role: 'system', content: 'You are a helpful AI assistant for travel tips and recommendations' },
    { role: 'user', content: 'What can you help me with?' },
  ]);
  expect(tokens(prompt)).toEqual([
    '<|begin_of_text|>',
    '<|start_header_id|>',
    'system',
    '<|end_header_id|>',
    '\n\nYou are a helpful AI assistant for travel tips and recommendations',
    '<|eot_id|>',
    '<|start_header_id|>',
    'user',
    '<|end_header_id|>',
    '\n\nWhat can you help me with?',
    '<|eot_id|>',
    '<|start_header_id|>',
    'assistant',
    '<|end_header_id|>',
    '\n\n',
  ]);
  expect(prompt).toBe(META_EXAMPLE);
});

test("Meta's single user message example", () => {
  expect(llama3ChatPrompt([{ role: 'user', content: "What is France's capital?" }])).toBe(META_SINGLE_USER);
});

test('a multi-turn conversation: each earlier answer closed by <|eot_id|>, the assistant header last; contents stripped', () => {
  const prompt = llama3ChatPrompt([
    { role: 'system', content: 'Always answer with Haiku' },
    { role: 'user', content: '  I am going to Paris, what should I see?\n' },
    { role: 'assistant', content: 'Eiffel Tower stands' },
    { role: 'user', content: 'What is so great about #1?' },
  ]);
  expect(tokens(prompt)).toEqual([
    '<|begin_of_text|>',
    ...['<|start_header_id|>', 'system', '<|end_header_id|>', '\n\nAlways answer with Haiku', '<|eot_id|>'],
    ...[
      '<|start_header_id|>',
      'user',
      '<|end_header_id|>',
      '\n\nI am going to Paris, what should I see?',
      '<|eot_id|>',
    ],
    ...['<|start_header_id|>', 'assistant', '<|end_header_id|>', '\n\nEiffel Tower stands', '<|eot_id|>'],
    ...['<|start_header_id|>', 'user', '<|end_header_id|>', '\n\nWhat is so great about #1?', '<|eot_id|>'],
    ...['<|start_header_id|>', 'assistant', '<|end_header_id|>', '\n\n'],
  ]);
});

test("the Llama 3.2 Instruct hub document's own example payloads are what the template renders", () => {
  const document = JSON.parse(
    readFileSync(
      join(__dirname, '../../lib/models/imported/meta-textgeneration-llama-3-2-1b-instruct.source.json'),
      'utf8',
    ),
  );
  const { emojisBeijing, parisHaiku } = document.DefaultPayloads;
  expect(
    llama3ChatPrompt([
      { role: 'system', content: 'Always answer with emojis' },
      { role: 'user', content: 'How to go from Beijing to NY?' },
    ]),
  ).toBe(emojisBeijing.Body.inputs);
  expect(
    llama3ChatPrompt([
      { role: 'system', content: 'Always answer with Haiku' },
      { role: 'user', content: 'I am going to Paris, what should I see?' },
    ]),
  ).toBe(parisHaiku.Body.inputs);
});

test.each([
  [[], 'messages is empty'],
  [[{ role: 'bot', content: 'x' }], 'messages[0].role is "bot"; allowed: system, user, assistant.'],
  [
    [
      { role: 'user', content: 'a' },
      { role: 'system', content: 'b' },
    ],
    'messages[1] is a system message; allowed: one system message, first.',
  ],
  [
    [
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ],
    'messages[1].role is "user"; allowed: "assistant"',
  ],
  [
    [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
    ],
    'the last message is not a user message',
  ],
  [[{ role: 'system', content: 'a' }], 'the last message is not a user message'],
  // From plain JavaScript: a message that is no object, a role or content that is not a string.
  [[null], 'messages[0].role is undefined; allowed: system, user, assistant.'],
  [[{ role: 3, content: 'x' }], 'messages[0].role is 3; allowed'],
  [[{ role: 'user', content: 42 }], 'messages[0].content is not text.'],
  [[{ role: 'user' }], 'messages[0].content is not text.'],
])('%j is refused: %s', (given, words) => {
  const messages = given as ChatMessage[];
  expect(chatMessageProblems(messages).join('\n')).toContain(words);
  expect(() => llama3ChatPrompt(messages)).toThrow(words);
});

test('every problem of every message is listed, and the turn order only once each message is well formed', () => {
  expect(
    chatMessageProblems([
      { role: 'bot', content: 'a' },
      { role: 'user', content: 7 },
    ] as never),
  ).toEqual(['messages[0].role is "bot"; allowed: system, user, assistant.', 'messages[1].content is not text.']);
});

test('evaluation renders dataset dialogues with the same template, unchecked (they end before the reference)', () => {
  expect(renderTurns([{ role: 'user', content: "What is France's capital?" }])).toBe(META_SINGLE_USER);
});
