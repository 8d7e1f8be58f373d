import fc from 'fast-check';
import {
  closestNames,
  createNameSuggester,
  excelSerialToDay,
  ID_STORED_AS_NUMBER,
  normaliseOrgName,
  parseDate,
  parseEducation,
  parseEthnicity,
  parseIdCell,
  parseName,
  parsePhone,
  parsePostTitle,
  parseRole,
} from '../../../../server/services/membership/roster-import/rows/values';
import { ETHNIC_GROUPS } from '../../../../server/services/membership/roster-import/rows/ethnicities';
import { editDistance } from '../../../../server/services/membership/roster-import/rows/suggest';

const TODAY = '2024-06-30';

describe('parseDate', () => {
  it.each([
    ['2016-09-01'],
    ['2016/9/1'],
    ['2016.9.1'],
    ['2016年9月1日'],
    ['20160901'],
    ['2016-9-1'],
    [' 2016 年 9 月 1 日 '],
    ['２０１６／９／１'],
    ['2016-09-01 00:00:00'],
    ['2016-09-01T00:00:00Z'],
    ['42614'],
  ])('reads %p as 2016-09-01', (text) => {
    expect(parseDate(text, { today: TODAY })).toEqual({ ok: true, value: '2016-09-01' });
  });

  it('reads an Excel date cell (UTC midnight) and an Excel serial number', () => {
    expect(parseDate(new Date(Date.UTC(2016, 8, 1)), { today: TODAY })).toEqual({ ok: true, value: '2016-09-01' });
    expect(parseDate(42614, { today: TODAY })).toEqual({ ok: true, value: '2016-09-01' });
    expect(parseDate(42614.75, { today: TODAY })).toEqual({ ok: true, value: '2016-09-01' });
    expect(excelSerialToDay(61)).toBe('1900-03-01');
  });

  it('refuses days that do not exist, the future, half dates and noise, saying what to do', () => {
    const msg = (v: Parameters<typeof parseDate>[0]) => {
      const r = parseDate(v, { today: TODAY, label: '入团时间' });
      return r.ok ? 'ok' : r.message;
    };
    expect(msg('2019-02-29')).toBe('入团时间“2019-02-29”不是真实存在的日期，请检查月份和日');
    expect(msg('2016-13-01')).toMatch(/不是真实存在的日期/);
    expect(msg('2024-07-01')).toBe('入团时间 2024-07-01 晚于今天，请检查');
    expect(msg('2016年9月')).toMatch(/只有年月，请写到具体哪一天/);
    expect(msg('去年')).toMatch(/不是可识别的日期，请写成 2016-09-01 这样的日期/);
    expect(msg(null)).toBe('入团时间未填写');
    expect(msg(-5)).toMatch(/不是可识别的日期/);
    expect(msg('1899-12-31')).toMatch(/过早/);
  });

  it('property: every real day up to today round-trips through each written format and its serial', () => {
    const day = fc.date({ min: new Date(Date.UTC(1901, 0, 1)), max: new Date(Date.UTC(2024, 5, 30)), noInvalidDate: true });
    fc.assert(
      fc.property(day, (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
        const serial = Math.floor(d.getTime() / 86_400_000) + 25569;
        const written = [iso, `${y}/${m}/${dd}`, `${y}.${m}.${dd}`, `${y}年${m}月${dd}日`, iso.replace(/-/g, ''), serial];
        for (const w of written) expect(parseDate(w, { today: TODAY })).toEqual({ ok: true, value: iso });
      }),
    );
  });
});

describe('parseIdCell', () => {
  it('R1 refuses an ID number stored as a number (digits may be lost)', () => {
    expect(parseIdCell(110105200506151230)).toEqual({ ok: false, message: ID_STORED_AS_NUMBER });
    expect(ID_STORED_AS_NUMBER).toBe('身份证号码被 Excel 存成了数字，后几位可能已丢失：请把该列设为“文本”格式后重新填写');
    expect(parseIdCell('1.10105E+17')).toEqual({ ok: false, message: ID_STORED_AS_NUMBER });
  });

  it('R1 checks text through parseIdNumber: check digit, lower-case x, full-width digits', () => {
    expect(parseIdCell('11010520030101000x')).toEqual({ ok: true, value: { value: '11010520030101000X', birthDate: '2003-01-01', gender: 'F' } });
    expect(parseIdCell('１１０１０５２００５０６１５１２３６')).toMatchObject({ ok: true, value: { value: '110105200506151236' } });
    expect(parseIdCell('110105200506151237')).toMatchObject({ ok: false, message: expect.stringContaining('校验位') });
    expect(parseIdCell(null)).toEqual({ ok: false, message: '身份证号码未填写' });
  });
});

describe('other field parsers', () => {
  it('parseName: 2-20 Chinese characters, inner spaces dropped, minority-name dots unified', () => {
    expect(parseName('张  三')).toEqual({ ok: true, value: '张三' });
    expect(parseName('阿依古丽•买买提')).toEqual({ ok: true, value: '阿依古丽·买买提' });
    expect(parseName('张').ok).toBe(false);
    expect(parseName('Zhang San').ok).toBe(false);
    expect(parseName('=1+1')).toEqual({ ok: false, message: expect.stringContaining('姓名“=1+1”不正确') });
  });

  it('parsePhone: mainland mobile numbers, tolerant of spaces, dashes, +86 and number cells', () => {
    expect(parsePhone('138 0013-8000')).toEqual({ ok: true, value: '13800138000' });
    expect(parsePhone('+86 13800138000')).toEqual({ ok: true, value: '13800138000' });
    expect(parsePhone(13800138000)).toEqual({ ok: true, value: '13800138000' });
    expect(parsePhone('12800138000').ok).toBe(false);
    expect(parsePhone('1380013800')).toEqual({ ok: false, message: '手机号码“1380013800”不正确：应为 11 位中国大陆手机号码，以 1 开头' });
  });

  it('parseRole: 团员 / 团干部 only', () => {
    expect(parseRole('团员')).toEqual({ ok: true, value: 'member' });
    expect(parseRole(' 共青团员 ')).toEqual({ ok: true, value: 'member' });
    expect(parseRole('团干部')).toEqual({ ok: true, value: 'cadre' });
    expect(parseRole('群众')).toEqual({ ok: false, message: '政治面貌“群众”无法识别，请填“团员”或“团干部”' });
  });

  it('parseEducation: the list, and common other names mapped onto it', () => {
    expect(parseEducation('本科')).toEqual({ ok: true, value: '本科' });
    expect(parseEducation('大学本科')).toEqual({ ok: true, value: '本科' });
    expect(parseEducation('硕士')).toEqual({ ok: true, value: '硕士研究生' });
    expect(parseEducation('幼儿园')).toMatchObject({ ok: false, message: expect.stringContaining('初中、高中、中专、大专、本科') });
  });

  it('parseEthnicity: the 56 groups, with or without 族, stored with it', () => {
    expect(ETHNIC_GROUPS).toHaveLength(56);
    for (const g of ETHNIC_GROUPS) {
      expect(parseEthnicity(g)).toEqual({ ok: true, value: g });
      expect(parseEthnicity(g.slice(0, -1))).toEqual({ ok: true, value: g });
    }
    expect(parseEthnicity('汉')).toEqual({ ok: true, value: '汉族' });
    expect(parseEthnicity('火星族').ok).toBe(false);
  });

  it('parsePostTitle: optional free text', () => {
    expect(parsePostTitle(null)).toEqual({ ok: true, value: null });
    expect(parsePostTitle('组织委员')).toEqual({ ok: true, value: '组织委员' });
    expect(parsePostTitle('书'.repeat(51)).ok).toBe(false);
  });
});

describe('normaliseOrgName and closestNames', () => {
  it('R11 共青团某某大学（筹）委员会 matches 共青团某某大学(筹)委员会', () => {
    expect(normaliseOrgName('共青团某某大学（筹）委员会')).toBe(normaliseOrgName('共青团某某大学(筹)委员会'));
    expect(normaliseOrgName(' 共青团 某某大学【筹】\u3000委员会ＡＢ１ ')).toBe('共青团某某大学[筹]委员会AB1');
  });

  it('R11 property: normalising is idempotent and blind to spaces and bracket width', () => {
    const piece = fc.constantFrom('共青团', '某某', '大学', '（', '）', '(', ')', '【', '】', ' ', '\u3000', 'Ａ', '1', '１', '委员会');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const name = parts.join('');
        const once = normaliseOrgName(name);
        expect(normaliseOrgName(once)).toBe(once);
        const halfWidth = name
          .replace(/（/g, '(')
          .replace(/）/g, ')')
          .replace(/[ \u3000]/g, '')
          .replace(/Ａ/g, 'A')
          .replace(/１/g, '1');
        expect(normaliseOrgName(halfWidth)).toBe(once);
      }),
    );
  });

  const NAMES = [
    '共青团某某大学委员会',
    '共青团某某大学计算机学院委员会',
    '共青团某某大学计算机学院2023级1班团支部',
    '共青团某某大学计算机学院2023级2班团支部',
    '共青团另一个城市第三中学委员会',
  ];

  it('R11 suggests the closest existing full names, best first, at most n', () => {
    expect(closestNames('共青团某某大学计算机学院2023级1班支部', NAMES)).toEqual([
      '共青团某某大学计算机学院2023级1班团支部',
      '共青团某某大学计算机学院2023级2班团支部',
    ]);
    expect(closestNames('计算机学院2023级2班团支部', NAMES, 1)).toEqual(['共青团某某大学计算机学院2023级2班团支部']);
    expect(closestNames('共青团某某大学（委员会）', NAMES)[0]).toBe('共青团某某大学委员会');
  });

  it('editDistance counts characters and stops past max', () => {
    expect(editDistance('团支部', '团总支')).toBe(2);
    expect(editDistance('𠀀团', '团')).toBe(1); // a character outside the BMP counts once
    expect(editDistance('共青团某某大学委员会', '北京', 3)).toBe(4);
  });

  it('R11 suggests nothing far away', () => {
    expect(closestNames('北京市海淀区少年宫', NAMES)).toEqual([]);
    expect(closestNames('', NAMES)).toEqual([]);
  });

  it('createNameSuggester answers like closestNames and remembers answers', () => {
    const suggest = createNameSuggester(NAMES);
    expect(suggest('共青团某某大学计算机学院委员')).toEqual(closestNames('共青团某某大学计算机学院委员', NAMES));
    expect(suggest('共青团某某大学计算机学院委员')).toBe(suggest(' 共青团某某大学计算机学院委员 '));
  });
});
