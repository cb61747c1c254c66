import { GLUE_TASKS, glueTask, loadGlueFile } from '../../src/data/glue';
import { MaxPoolBertError } from '../../src/errors';

const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';

describe('glueTask lookup', () => {
  it('finds tasks ignoring case and punctuation', () => {
    expect(glueTask('sst2').name).toBe('SST-2');
    expect(glueTask('SST-2').name).toBe('SST-2');
    expect(glueTask('sts-b').name).toBe('STS-B');
    expect(glueTask('STSB').name).toBe('STS-B');
    expect(glueTask('cola').name).toBe('CoLA');
    expect(glueTask('Mnli').name).toBe('MNLI');
  });

  it('an unknown task is an error listing the tasks', () => {
    expect(() => glueTask('squad')).toThrow(MaxPoolBertError);
    expect(() => glueTask('squad')).toThrow(/unknown GLUE task "squad" \(use one of CoLA, SST-2, MRPC, QQP, STS-B, MNLI, QNLI, RTE, WNLI\)/);
  });

  it('has the nine tasks with their labels, files and metrics', () => {
    expect(Object.keys(GLUE_TASKS)).toEqual(['CoLA', 'SST-2', 'MRPC', 'QQP', 'STS-B', 'MNLI', 'QNLI', 'RTE', 'WNLI']);
    const summary = Object.fromEntries(
      Object.values(GLUE_TASKS).map((t) => [t.name, [t.labels, t.metrics, t.mainMetric, t.devFiles, t.pair]]),
    );
    expect(summary).toEqual({
      CoLA: [['0', '1'], ['mcc'], 'mcc', ['dev.tsv'], false],
      'SST-2': [['0', '1'], ['accuracy'], 'accuracy', ['dev.tsv'], false],
      MRPC: [['0', '1'], ['f1', 'accuracy'], 'f1', ['dev.tsv'], true],
      QQP: [['0', '1'], ['f1', 'accuracy'], 'f1', ['dev.tsv'], true],
      'STS-B': ['regression', ['pearson', 'spearman'], 'pearson', ['dev.tsv'], true],
      MNLI: [['contradiction', 'entailment', 'neutral'], ['accuracy'], 'accuracy', ['dev_matched.tsv', 'dev_mismatched.tsv'], true],
      QNLI: [['entailment', 'not_entailment'], ['accuracy'], 'accuracy', ['dev.tsv'], true],
      RTE: [['entailment', 'not_entailment'], ['accuracy'], 'accuracy', ['dev.tsv'], true],
      WNLI: [['0', '1'], ['accuracy'], 'accuracy', ['dev.tsv'], true],
    });
    expect(Object.values(GLUE_TASKS).every((t) => t.trainFile === 'train.tsv')).toBe(true);
    expect(GLUE_TASKS['STS-B'].labelSet.problemType).toBe('regression');
    expect(GLUE_TASKS.MNLI.labelSet).toEqual({ problemType: 'single_label_classification', names: ['contradiction', 'entailment', 'neutral'] });
  });
});

describe('synthetic GLUE files in the original layout', () => {
  it('QQP: question1/question2/is_duplicate, quotes kept', () => {
    const text = tsv([
      ['id', 'qid1', 'qid2', 'question1', 'question2', 'is_duplicate'],
      ['133273', '213221', '213222', 'How is the life of a math student?', 'Which level of prepration is enough for the exam "jlpt5"?', '0'],
      ['402555', '536040', '536041', 'How do I control my horny emotions?', 'How do you control your horniness?', '1'],
    ]);
    expect(GLUE_TASKS.QQP.parse(text, 'QQP/dev.tsv')).toEqual([
      { text: 'How is the life of a math student?', textPair: 'Which level of prepration is enough for the exam "jlpt5"?', label: 0, line: 2 },
      { text: 'How do I control my horny emotions?', textPair: 'How do you control your horniness?', label: 1, line: 3 },
    ]);
  });

  it('QQP: a row cut short is an error naming the line, or skipped with skipBadRows', () => {
    const text = tsv([
      ['id', 'qid1', 'qid2', 'question1', 'question2', 'is_duplicate'],
      ['1', '2', '3', 'Why?', 'Why not?', '1'],
      ['2', '4', '5', 'What is "it'],
    ]);
    expect(() => GLUE_TASKS.QQP.parse(text, 'QQP/train.tsv')).toThrow(/^QQP\/train\.tsv: line 3: missing column "question2"/);
    const r = loadGlueFile('qqp', text, 'QQP/train.tsv', { skipBadRows: true });
    expect(r.dataset.examples).toHaveLength(1);
    expect(r.skipped).toEqual([{ line: 3, reason: expect.stringMatching(/missing column "question2"/) }]);
  });

  it('STS-B: sentence1/sentence2/score by header name, float labels, regression label set', () => {
    const header = ['index', 'genre', 'filename', 'year', 'old_index', 'source1', 'source2', 'sentence1', 'sentence2', 'score'];
    const text = tsv([
      header,
      ['0', 'main-captions', 'MSRvid', '2012test', '0001', 'none', 'none', 'A plane is taking off.', 'An air plane is taking off.', '5.000'],
      ['1', 'main-captions', 'MSRvid', '2012test', '0004', 'none', 'none', 'A man is playing a large flute.', 'A man is playing a flute.', '3.800'],
      ['2', 'main-news', 'headlines', '2013', '0', 'none', 'none', 'He said "no".', 'She said yes.', '0.25'],
    ]);
    const r = loadGlueFile('STS-B', text, 'STS-B/dev.tsv');
    expect(r.dataset.labels).toEqual({ problemType: 'regression', names: ['LABEL_0'] });
    expect(r.dataset.examples).toEqual([
      { text: 'A plane is taking off.', textPair: 'An air plane is taking off.', label: 5, line: 2 },
      { text: 'A man is playing a large flute.', textPair: 'A man is playing a flute.', label: 3.8, line: 3 },
      { text: 'He said "no".', textPair: 'She said yes.', label: 0.25, line: 4 },
    ]);
  });

  it('STS-B: a non-numeric or out-of-range score is a bad row', () => {
    const header = ['index', 'genre', 'filename', 'year', 'old_index', 'source1', 'source2', 'sentence1', 'sentence2', 'score'];
    const row = (score: string) => ['0', 'g', 'f', 'y', '0', 's', 's', 'A.', 'B.', score];
    expect(() => glueTask('stsb').parse(tsv([header, row('4.2'), row('high')]), 'STS-B/train.tsv')).toThrow(
      /^STS-B\/train\.tsv: line 3: label "high" in column "score" is not a number/,
    );
    expect(() => glueTask('stsb').parse(tsv([header, row('5.5')]), 'STS-B/train.tsv')).toThrow(/line 2: label 5.5 in column "score" is outside 0..5/);
  });

  it('MNLI: reads by header name in train and both dev files; labels in task order', () => {
    const trainHeader = ['index', 'promptID', 'pairID', 'genre', 'sentence1_binary_parse', 'sentence2_binary_parse', 'sentence1_parse', 'sentence2_parse', 'sentence1', 'sentence2', 'label1', 'gold_label'];
    const devHeader = [...trainHeader.slice(0, 11), 'label2', 'label3', 'label4', 'label5', 'gold_label'];
    const trow = (i: string, s1: string, s2: string, g: string) => [i, '1', '1e', 'fiction', '( x )', '( y )', '(ROOT x)', '(ROOT y)', s1, s2, g, g];
    const drow = (i: string, s1: string, s2: string, g: string) => [...trow(i, s1, s2, g).slice(0, 11), g, 'neutral', g, g, g];
    const train = tsv([trainHeader, trow('0', 'The cat sat.', 'A cat sat.', 'entailment'), trow('1', 'He ran.', 'He slept.', 'contradiction')]);
    const matched = tsv([devHeader, drow('0', 'It rains.', 'It is wet.', 'neutral'), drow('1', 'Say "hi', 'Hi.', 'entailment')]);
    const mismatched = tsv([devHeader, drow('0', 'Letters.', 'Mail.', 'contradiction')]);
    const mnli = glueTask('mnli');
    expect(mnli.parse(train, 'MNLI/train.tsv')).toEqual([
      { text: 'The cat sat.', textPair: 'A cat sat.', label: 1, line: 2 },
      { text: 'He ran.', textPair: 'He slept.', label: 0, line: 3 },
    ]);
    expect(mnli.parse(matched, `MNLI/${mnli.devFiles[0]}`)).toEqual([
      { text: 'It rains.', textPair: 'It is wet.', label: 2, line: 2 },
      { text: 'Say "hi', textPair: 'Hi.', label: 1, line: 3 },
    ]);
    expect(mnli.parse(mismatched, `MNLI/${mnli.devFiles[1]}`)).toEqual([{ text: 'Letters.', textPair: 'Mail.', label: 0, line: 2 }]);
  });

  it('MNLI: an unknown gold label is an error naming the line', () => {
    const header = ['index', 'promptID', 'pairID', 'genre', 'a', 'b', 'c', 'd', 'sentence1', 'sentence2', 'label1', 'gold_label'];
    const text = tsv([header, ['0', '', '', '', '', '', '', '', 'A.', 'B.', 'x', 'entailment'], ['1', '', '', '', '', '', '', '', 'C.', 'D.', 'x', '-']]);
    expect(() => glueTask('MNLI').parse(text, 'MNLI/dev_matched.tsv')).toThrow(
      /^MNLI\/dev_matched\.tsv: line 3: unknown label "-" in column "gold_label" \(known labels: contradiction, entailment, neutral\)/,
    );
    expect(glueTask('MNLI').parse(text, 'f', { skipBadRows: true })).toHaveLength(1);
  });

  it('a missing header column is an error naming line 1 and listing the columns', () => {
    expect(() => glueTask('mnli').parse(tsv([['index', 'premise', 'hypothesis', 'label'], ['0', 'a', 'b', 'neutral']]), 'MNLI/train.tsv')).toThrow(
      /^MNLI\/train\.tsv: line 1: no column "sentence1" in the header \(columns: "index", "premise", "hypothesis", "label"\)/,
    );
  });

  it('QNLI: question/sentence/label', () => {
    const text = tsv([
      ['index', 'question', 'sentence', 'label'],
      ['0', 'What came into force after the new constitution was herald?', 'As of that day, the new constitution heralding the Second Republic came into force.', 'entailment'],
      ['1', 'What is the first major city?', 'The city has "a lot" of people.', 'not_entailment'],
    ]);
    expect(glueTask('qnli').parse(text, 'QNLI/dev.tsv')).toEqual([
      { text: 'What came into force after the new constitution was herald?', textPair: 'As of that day, the new constitution heralding the Second Republic came into force.', label: 0, line: 2 },
      { text: 'What is the first major city?', textPair: 'The city has "a lot" of people.', label: 1, line: 3 },
    ]);
  });

  it('RTE and WNLI: sentence1/sentence2/label', () => {
    const rte = tsv([
      ['index', 'sentence1', 'sentence2', 'label'],
      ['0', 'Dana Reeve died.', 'Christopher Reeve had an accident.', 'not_entailment'],
      ['1', 'Yet, we now are discovering.', 'Bacteria is winning.', 'entailment'],
    ]);
    expect(glueTask('rte').parse(rte, 'RTE/train.tsv').map((e) => [e.text, e.textPair, e.label])).toEqual([
      ['Dana Reeve died.', 'Christopher Reeve had an accident.', 1],
      ['Yet, we now are discovering.', 'Bacteria is winning.', 0],
    ]);
    const wnli = tsv([
      ['index', 'sentence1', 'sentence2', 'label'],
      ['0', 'I stuck a pin through a carrot.', 'The carrot had a hole.', '1'],
      ['1', 'John couldn\'t see the stage with Billy in front of him.', 'John is so short.', '0'],
    ]);
    expect(glueTask('wnli').parse(wnli, 'WNLI/dev.tsv').map((e) => e.label)).toEqual([1, 0]);
    expect(() => glueTask('wnli').parse(wnli.replace(/\t1\n/, '\t2\n'), 'WNLI/dev.tsv')).toThrow(/^WNLI\/dev\.tsv: line 2: unknown label "2"/);
  });

  it('CoLA synthetic: \\r\\n line ends, no header, empty file is an error', () => {
    const text = 'gj04\t1\t\tGood sentence.\r\ngj04\t0\t*\tSentence bad.\r\n';
    expect(glueTask('cola').parse(text, 'CoLA/dev.tsv')).toEqual([
      { text: 'Good sentence.', label: 1, line: 1 },
      { text: 'Sentence bad.', label: 0, line: 2 },
    ]);
    expect(() => glueTask('cola').parse('', 'CoLA/dev.tsv')).toThrow(/^CoLA\/dev\.tsv: the file is empty/);
    expect(() => glueTask('sst2').parse('sentence\tlabel\n', 'SST-2/dev.tsv')).toThrow(/^SST-2\/dev\.tsv: the file has no data rows/);
  });
});
