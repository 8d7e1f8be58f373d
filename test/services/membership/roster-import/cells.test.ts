import { columnLetter, normaliseCell } from '../../../../server/services/membership/roster-import/file/cells';

describe('normaliseCell', () => {
  it('trims ASCII, full-width and zero-width spaces; empty text is null', () => {
    expect(normaliseCell('  张三\u3000')).toBe('张三');
    expect(normaliseCell('\u200b\ufeff李四\u00a0')).toBe('李四');
    expect(normaliseCell('\u3000 \t')).toBeNull();
    expect(normaliseCell(undefined)).toBeNull();
    expect(normaliseCell(null)).toBeNull();
  });

  it('keeps numbers and dates, drops NaN and invalid dates', () => {
    expect(normaliseCell(42)).toBe(42);
    expect(normaliseCell(NaN)).toBeNull();
    const d = new Date(Date.UTC(2016, 8, 1));
    expect(normaliseCell(d)).toBe(d);
    expect(normaliseCell(new Date('x'))).toBeNull();
  });

  it('gives a formula its cached result, never evaluating it', () => {
    expect(normaliseCell({ formula: 'A1&B1', result: ' 张三 ' })).toBe('张三');
    expect(normaliseCell({ formula: '1+1', result: 2 })).toBe(2);
    expect(normaliseCell({ sharedFormula: 'A2', result: '汉族' })).toBe('汉族');
    expect(normaliseCell({ formula: 'NOW()' })).toBeNull();
    expect(normaliseCell({ formula: 'A1', result: { error: '#REF!' } })).toBe('#REF!');
  });

  it('joins rich text runs and reads hyperlink text', () => {
    expect(normaliseCell({ richText: [{ text: '共青团' }, { text: '某某大学委员会 ', font: { bold: true } }] })).toBe('共青团某某大学委员会');
    expect(normaliseCell({ text: '书记', hyperlink: 'https://example.org' })).toBe('书记');
    expect(normaliseCell({ text: { richText: [{ text: '副' }, { text: '书记' }] }, hyperlink: 'x' })).toBe('副书记');
  });

  it('turns booleans and errors into their text', () => {
    expect(normaliseCell(true)).toBe('TRUE');
    expect(normaliseCell({ error: '#N/A' })).toBe('#N/A');
  });
});

describe('columnLetter', () => {
  it('numbers columns as spreadsheets do', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });
});
