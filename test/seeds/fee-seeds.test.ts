import { FeeStandard, FeeStandardBand } from '../../models';
import { demoIdNumber, seed } from '../../seeds';
import { FEE_STANDARD_2016 } from '../../seeds/fee-standards';
import { createTestSystem, TestSystem } from '../helpers/system';

let sys: TestSystem;
beforeEach(async () => {
  sys = await createTestSystem();
});
afterEach(() => sys.close());

describe('fee standards and demo fees in the seeds', () => {
  it('R20 the standard in force is there without demo data (a production database): it comes with the migrations', async () => {
    expect(await seed(sys.services, { demo: false })).toBe(true);
    expect((await FeeStandard.findAll()).map((s) => [s.name, s.validFrom])).toEqual([['中青发〔2016〕13号', '2016-01']]);
  });

  it("R20 the migration's frozen copy of the standard is the reference data: the same standard and bands", async () => {
    const [standard] = await FeeStandard.findAll();
    const { name, title, article, validFrom, bands } = FEE_STANDARD_2016;
    expect({ name: standard.name, title: standard.title, article: standard.article, validFrom: standard.validFrom }).toEqual({
      name,
      title,
      article,
      validFrom,
    });
    const stored = await FeeStandardBand.findAll({ where: { standardId: standard.id }, order: [['id', 'ASC']] });
    expect(
      stored.map(({ category, wageFromFen, flatFen, ratePerMille, roundingFen, capFen }) => ({
        category,
        wageFromFen,
        flatFen,
        ratePerMille,
        roundingFen,
        capFen,
      })),
    ).toEqual(bands);
  });

  it('R20 the demo members have fee categories and one has paid the whole year', async () => {
    expect(await seed(sys.services, { demo: true })).toBe(true);
    const person = (await sys.services.accounts.findByIdNumber(demoIdNumber({ birth: '20041103', seq: '101' })))!;
    const own = await sys.services.fees.own(person.id);
    expect(own).toMatchObject({ ok: true, statement: { owedMonths: [], current: { dueFen: 20 } } });
    const community = (await sys.services.accounts.findByIdNumber(demoIdNumber({ birth: '20000823', seq: '156' })))!;
    expect(await sys.services.fees.own(community.id)).toMatchObject({ statement: { current: { dueFen: 900 } } });
  });
});
