/**
 * Fees (团费, R20): standards kept as data with the months they apply from, each member's
 * category and wage, payments (reversed, never edited), a member's statement and admins'
 * reports. Money is integer fen everywhere.
 */
import { Organisation, Person } from '../../../models';
import type { ServiceDeps } from '../deps';
import type { Outbox } from '../messaging/outbox';
import type { Admins } from '../organisations/admins';
import { FeeLedger } from './ledger';
import { FeePaymentImport } from './payments/import';
import { FeePayers, PAYER_ROLES, type Payer } from './payers';
import { FeePayments } from './payments/payments';
import { FeeProfiles } from './profiles';
import { FeeReports, type Owing } from './reports';
import { FeeStandards } from './standards';
import type { YearStatement } from './statement';

/** A member's own fees, or why there are none to pay here. */
export type OwnFees =
  | { ok: true; payer: Payer; statement: YearStatement; declared: { category: string; wageFen: number | null } | null }
  | { ok: false; reason: 'no-branch' | 'applicant' };

export class Fees {
  readonly standards: FeeStandards;
  readonly profiles: FeeProfiles;
  readonly payments: FeePayments;
  readonly payers: FeePayers;
  readonly reports: FeeReports;
  readonly imports: FeePaymentImport;
  private readonly ledger: FeeLedger;

  /** Builds the fee services, each once, from the collaborators createServices passes in. */
  constructor(
    private readonly deps: ServiceDeps,
    admins: Admins,
    outbox: Outbox,
  ) {
    this.standards = new FeeStandards(deps);
    this.payers = new FeePayers(deps, admins);
    this.profiles = new FeeProfiles(deps, this.payers, outbox);
    this.payments = new FeePayments(deps, this.payers, this.profiles, this.standards, admins);
    this.ledger = new FeeLedger(this.profiles, this.payments, this.standards);
    this.reports = new FeeReports(deps, this.payers, this.ledger);
    this.imports = new FeePaymentImport(deps, this.payers, this.profiles, this.payments, this.standards);
  }

  /** The person's own fees this year (团费查询): amount due and why, months paid, what is owed. */
  async own(personId: number, asOf = this.deps.now()): Promise<OwnFees> {
    const person = await Person.findByPk(personId);
    if (!person || !PAYER_ROLES.includes(person.role)) return { ok: false, reason: 'applicant' };
    if (person.branchId === null) return { ok: false, reason: 'no-branch' };
    const branch = (await Organisation.findByPk(person.branchId))!;
    const payer: Payer = {
      id: person.id,
      name: person.name,
      idMasked: person.idMasked,
      branchId: branch.id,
      branchName: branch.fullName,
      branchPath: branch.path,
      joinedLeagueAt: person.joinedLeagueAt,
      recordedAt: person.createdAt,
    };
    const statement = (await this.ledger.statements([payer], asOf)).get(person.id)!;
    const pending = await this.profiles.pendingOf(person.id);
    return { ok: true, payer, statement, declared: pending && { category: pending.category, wageFen: pending.wageFen } };
  }

  /**
   * Members who owe fees as of `asOf`, for the monthly reminder: see FeeReports.owing.
   * @example for await (const { personId, owedFen, months } of services.fees.owing(new Date())) …
   */
  owing(asOf: Date, opts: { orgId?: number; batchSize?: number } = {}): AsyncGenerator<Owing> {
    return this.reports.owing(asOf, opts);
  }
}

export type { Owing } from './reports';
