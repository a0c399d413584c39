import { StopSequenceCutter } from '../../lib/client/stop-sequences';

test('text that may begin a stop sequence waits for the next piece; the stop sequence and all after it are dropped', () => {
  const cutter = new StopSequenceCutter(['<|eot_id|>']);
  expect(cutter.push('Paris<|e')).toBe('Paris');
  expect(cutter.stopped).toBe(false);
  expect(cutter.push('ot_id|>assistant')).toBe('');
  expect(cutter.stopped).toBe(true);
  expect(cutter.push('more')).toBe('');
  expect(cutter.flush()).toBe('');
});

test('held-back text that turns out not to be a stop sequence is shown', () => {
  const cutter = new StopSequenceCutter(['<|eot_id|>']);
  expect(cutter.push('a <')).toBe('a ');
  expect(cutter.push('b')).toBe('<b');
  expect(cutter.push('<|')).toBe('');
  expect(cutter.flush()).toBe('<|');
});

test('the earliest of several stop sequences wins', () => {
  const cutter = new StopSequenceCutter(['\n\n', 'END']);
  expect(cutter.push('one END two\n\nthree')).toBe('one ');
});

test('no stop sequences: everything passes at once', () => {
  const cutter = new StopSequenceCutter([]);
  expect(cutter.push('<|eot')).toBe('<|eot');
});
