/**
 * The soak's world, made through the services in a fresh database before the server starts:
 * the seeded organisation tree (团中央 and the 38 provincial committees) with a city › school ›
 * branches subtree under 宁夏团委, a few hundred members with a password (some already logged
 * in on Telegram), the admins who import and announce, accounts that wrong-password bursts aim
 * at, and one activity per sign-in burst, its sign-in open when the burst comes.
 */
import path from 'node:path';
import { Organisation } from '../models';
import { seed } from '../seeds';
import { createLogger } from '../server/logger';
import { buildSystem } from '../server/system';
import { birthYearsAgo } from '../test/helpers/fixtures/admin-fixtures';
import { makeIdNumber } from '../test/helpers/fixtures/factories';

/** A simulated Telegram user with an account (the chat id is the user id: private chats). */
export interface SoakUser {
  chatId: number;
  personId: number;
  name: string;
  idNumber: string;
  password: string;
  /** What the driver believes; every answer is checked against it, so a wrong belief shows as a lost answer. */
  loggedIn: boolean;
}

export interface SoakWorld {
  databaseUrl: string;
  dataDir: string;
  members: SoakUser[];
  importAdmin: SoakUser;
  announcer: SoakUser;
  /** Accounts the wrong-password bursts aim at (one a burst, in turn): nobody logs in to them. */
  victims: Array<{ idNumber: string }>;
  /** Branch full names an import may name. */
  branchNames: string[];
  /** One a sign-in burst, in burst order. */
  activities: Array<{ id: number; code: string }>;
  schoolId: number;
}

export interface WorldOptions {
  dataDir: string;
  members: number;
  /** Share of members already logged in on Telegram when the soak starts. */
  loggedInShare: number;
  /** When each sign-in burst comes, ms from now: its activity starts 10 minutes after (sign-in opens 15 minutes before the start). */
  signinBurstsAtMs: number[];
  scryptLog2N: number;
}

const PASSWORD = 'Soak2024pw';
const ADMIN_PASSWORD = 'Admin2024x';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';
const FIRST_CHAT = 8_100_000;

const nameOf = (i: number) => SURNAMES[i % SURNAMES.length] + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] + GIVEN[(i * 7) % GIVEN.length];

/** Builds the world and closes the database again: from then on only the server process writes to it. */
export async function prepareWorld(opts: WorldOptions): Promise<SoakWorld> {
  const databaseUrl = `sqlite:${path.join(opts.dataDir, 'soak.sqlite')}`;
  // The same hash cost as the server, so a login costs what it costs there.
  const sys = await buildSystem({ databaseUrl, dataDir: opts.dataDir, scryptLog2N: opts.scryptLog2N }, createLogger('silent'));
  try {
    const { services } = sys;
    await seed(services, { demo: false });
    const ningxia = await Organisation.findOne({ where: { shortName: '宁夏团委' } });
    if (!ningxia) throw new Error('the seeded tree has no 宁夏团委');
    const org = (parentId: number, fullName: string, shortName: string, kind: 'leading_body' | 'committee' | 'branch') =>
      services.organisations.create({ parentId, fullName, shortName, kind });
    const city = await org(ningxia.id, '共青团耐力市委员会', '耐力市团委', 'leading_body');
    const school = await org(city.id, '共青团耐力市第一中学委员会', '耐力一中团委', 'committee');
    const branches = [];
    for (let n = 1; n <= 4; n++) branches.push(await org(school.id, `共青团耐力市第一中学高一（${n}）班团支部`, `高一${n}班团支部`, 'branch'));

    // One hash for every member (scrypt at the server's cost is slow; the salt being shared does not matter here).
    const memberHash = await services.deps.hasher.hash(PASSWORD);
    const adminHash = await services.deps.hasher.hash(ADMIN_PASSWORD);
    const now = new Date();
    const account = async (i: number, name: string, role: 'member' | 'cadre', branchId: number | null, hash: string, password: string): Promise<SoakUser> => {
      const idNumber = makeIdNumber(birthYearsAgo(now, role === 'member' ? 20 : 27));
      const person = await services.accounts.create({
        idNumber,
        name,
        role,
        branchId,
        passwordHash: hash,
        phone: '13900000000',
        ethnicity: '汉族',
        education: '本科',
        joinedLeagueAt: '2019-05-04',
      });
      return { chatId: FIRST_CHAT + i, personId: person.id, name, idNumber, password, loggedIn: false };
    };
    const importAdmin = await account(0, '钱导入', 'cadre', null, adminHash, ADMIN_PASSWORD);
    await services.admins.add(school.id, importAdmin.personId);
    const announcer = await account(1, '孙通知', 'cadre', null, adminHash, ADMIN_PASSWORD);
    await services.admins.add(city.id, announcer.personId);
    for (const admin of [importAdmin, announcer]) await bind(admin);

    const members: SoakUser[] = [];
    for (let i = 0; i < opts.members; i++) {
      const m = await account(10 + i, nameOf(i), 'member', branches[i % branches.length].id, memberHash, PASSWORD);
      await services.fees.profiles.set(importAdmin.personId, m.personId, i % 3 ? { category: 'wage', wageFen: 250_000 + 1000 * i } : { category: 'student' });
      if (i < opts.members * opts.loggedInShare) await bind(m);
      members.push(m);
    }
    const victims = [];
    for (let i = 0; i < 4; i++) victims.push({ idNumber: (await account(5000 + i, `被猜密码${i}`, 'member', branches[0].id, memberHash, PASSWORD)).idNumber });

    const activities = [];
    for (const [k, atMs] of opts.signinBurstsAtMs.entries()) {
      const startsAt = new Date(Date.now() + atMs + 10 * 60_000);
      const a = await services.activities.create(importAdmin.personId, {
        orgId: school.id,
        kind: 'league_day',
        title: `耐力团日${k + 1}`,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3600_000),
      });
      await services.activityParticipants.add(
        importAdmin.personId,
        a.id,
        members.map((m) => m.personId),
      );
      activities.push({ id: a.id, code: a.signinCode });
    }
    return {
      databaseUrl,
      dataDir: opts.dataDir,
      members,
      importAdmin,
      announcer,
      victims,
      branchNames: branches.map((b) => b.fullName),
      activities,
      schoolId: school.id,
    };

    async function bind(u: SoakUser): Promise<void> {
      await services.bindings.bind('telegram', String(u.chatId), String(u.chatId), u.personId);
      u.loggedIn = true;
    }
  } finally {
    await sys.close();
  }
}
