/**
 * The "did you mean" of a misspelt context key or flag: the closest known name, offered only
 * when it is close (two edits, or a quarter of a long name).
 */
import { closest } from '../../lib/config/did-you-mean';

const KEYS = ['learning_rate', 'epoch', 'instance_type', 'max_input_length'];

test('a misspelling gets the closest known name', () => {
  expect(closest('lerning_rate', KEYS)).toBe('learning_rate'); // a letter left out
  expect(closest('learning_rat', KEYS)).toBe('learning_rate'); // cut short
  expect(closest('epohc', KEYS)).toBe('epoch'); // two letters swapped: two edits
  expect(closest('instance-type', KEYS)).toBe('instance_type'); // a letter replaced
  expect(closest('max_input_lengthh', KEYS)).toBe('max_input_length'); // a letter added
  expect(closest('epoch', KEYS)).toBe('epoch');
});

test('of several near names, the nearest', () => {
  expect(closest('epochs', ['epoch', 'epochs_max', 'eval'])).toBe('epoch');
  expect(closest('abcd', ['abxy', 'abcx'])).toBe('abcx');
});

test('two edits are always near; a long name allows a quarter of its length, and no more', () => {
  expect(closest('ab', ['abcd'])).toBe('abcd');
  expect(closest('a', ['abcd'])).toBeUndefined();
  // 16 letters: four edits are near, five are not.
  expect(closest('max_input_le', ['max_input_length'])).toBe('max_input_length');
  expect(closest('max_input_l', ['max_input_length'])).toBeUndefined();
  expect(closest('xax_input_lengxx', ['max_input_length'])).toBe('max_input_length');
});

test('nothing known, or nothing near: no suggestion', () => {
  expect(closest('epoch', [])).toBeUndefined();
  expect(closest('completely_different', KEYS)).toBeUndefined();
});
