import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { porterStem } from '../../lib/evaluation/porter-stemmer';
import { rougeL, rougeN, rougeScores, rougeTokens } from '../../lib/evaluation/rouge';

describe('ROUGE as rouge-score computes it with use_stemmer=True', () => {
  test("rouge-score's own README example", () => {
    // RougeScorer(['rouge1', 'rougeL'], use_stemmer=True).score('The quick brown fox jumps over the lazy dog',
    // 'The quick brown dog jumps on the log.'): rouge1 P 0.75 R 0.6667 F 0.7059; rougeL P 0.625 R 0.5556 F 0.5882.
    const reference = rougeTokens('The quick brown fox jumps over the lazy dog');
    const prediction = rougeTokens('The quick brown dog jumps on the log.');
    const r1 = rougeN(reference, prediction, 1);
    expect(r1.precision).toBeCloseTo(0.75, 10);
    expect(r1.recall).toBeCloseTo(0.6666666666666666, 10);
    expect(r1.fmeasure).toBeCloseTo(0.7058823529411765, 10);
    const rl = rougeL(reference, prediction);
    expect(rl.precision).toBeCloseTo(0.625, 10);
    expect(rl.recall).toBeCloseTo(0.5555555555555556, 10);
    expect(rl.fmeasure).toBeCloseTo(0.5882352941176471, 10);
  });

  test('punctuation splits tokens, short tokens are not stemmed, bigrams are clipped: worked by hand', () => {
    // ref: the cat s hat it s red (7); pred: the cat hat is red (5; "cats" is stemmed to "cat").
    expect(rougeTokens("The cat's hat, it's red!")).toEqual(['the', 'cat', 's', 'hat', 'it', 's', 'red']);
    expect(rougeTokens('the cats hat is red')).toEqual(['the', 'cat', 'hat', 'is', 'red']);
    const scores = rougeScores("The cat's hat, it's red!", 'the cats hat is red');
    // unigrams: 4 shared of 5 and 7; bigrams: "the cat" of 4 and 6; LCS "the cat hat red".
    expect(scores.rouge1).toBeCloseTo((2 * (4 / 5) * (4 / 7)) / (4 / 5 + 4 / 7), 12);
    expect(scores.rouge2).toBeCloseTo((2 * (1 / 4) * (1 / 6)) / (1 / 4 + 1 / 6), 12);
    expect(scores.rougeL).toBeCloseTo(scores.rouge1, 12);
  });

  test('only tokens longer than 3 characters are stemmed: "was" and "has" stay, "this" does not', () => {
    // NLTK's stemmer alone makes "wa" and "ha" of them; rouge-score's tokenizer stems len(token) > 3 only.
    expect(porterStem('was')).toBe('wa');
    expect(rougeTokens('This was, has been.')).toEqual(['thi', 'was', 'has', 'been']);
  });

  test('nothing in common, or an empty answer, scores 0; the same text scores 1', () => {
    expect(rougeScores('gravity attracts mass', 'completely different words')).toEqual({
      rouge1: 0,
      rouge2: 0,
      rougeL: 0,
    });
    expect(rougeScores('gravity attracts mass', '')).toEqual({ rouge1: 0, rouge2: 0, rougeL: 0 });
    expect(rougeScores('Gravity attracts mass.', 'gravity ATTRACTS mass')).toEqual({ rouge1: 1, rouge2: 1, rougeL: 1 });
  });
});

describe("the Porter stemmer, as NLTK's default PorterStemmer stems", () => {
  test.each([
    ['running', 'run'],
    ['jumps', 'jump'],
    ['lazy', 'lazi'],
    ['happy', 'happi'],
    ['caresses', 'caress'],
    ['motoring', 'motor'],
    ['hopping', 'hop'],
    ['hopeful', 'hope'],
    ['goodness', 'good'],
    ['adjustment', 'adjust'],
    ['effective', 'effect'],
    ['agreed', 'agre'],
    ['relational', 'relat'],
    ['summaries', 'summari'],
    ['improved', 'improv'],
    ['falling', 'fall'],
    ['hissing', 'hiss'],
    ['filing', 'file'],
    ['controlling', 'control'],
  ])('%s -> %s (the published algorithm)', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  test.each([
    ['flies', 'fli'],
    ['dies', 'die'],
    ['spied', 'spi'],
    ['died', 'die'],
    ['dying', 'die'],
    ['skies', 'sky'],
    ['enjoy', 'enjoy'],
    ['news', 'news'],
    ['by', 'by'],
  ])("%s -> %s (NLTK's extensions)", (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });
});

describe("the Porter stemmer against NLTK's own", () => {
  // scripts/porter-reference.py ran NLTK's PorterStemmer() over the examples of Porter's paper, NLTK's
  // comments on its extensions, words one rule alone decides, and every word of the example datasets.
  const stems: Record<string, string> = JSON.parse(
    readFileSync(join(__dirname, '..', 'fixtures', 'porter-nltk-stems.json'), 'utf8'),
  );

  test('every word stems as NLTK stems it', () => {
    expect(Object.keys(stems).length).toBeGreaterThan(400);
    const differ = Object.entries(stems)
      .filter(([word, stem]) => porterStem(word) !== stem)
      .map(([word, stem]) => `${word}: NLTK ${stem}, here ${porterStem(word)}`);
    expect(differ).toEqual([]);
  });
});
