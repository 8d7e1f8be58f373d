import type { OrgKind } from '../models/Organisation';

/** One demo organisation; `parent` names its parent by key (the root of the demo is 宁夏). */
export interface DemoOrg {
  key: string;
  parent: string;
  fullName: string;
  shortName: string;
  kind: OrgKind;
  isSchool?: boolean;
  adminCode: string;
  industry?: string;
}

/** The demo subtree under the Ningxia committee: a city, a university, its branches. */
export const DEMO_ORGS: DemoOrg[] = [
  {
    key: 'yinchuan',
    parent: 'ningxia',
    fullName: '共青团银川市委员会',
    shortName: '银川团市委',
    kind: 'leading_body',
    adminCode: 'YcTw2024',
    industry: '党政机关',
  },
  {
    key: 'university',
    parent: 'yinchuan',
    fullName: '共青团宁夏示范大学委员会',
    shortName: '示范大学团委',
    kind: 'committee',
    isSchool: true,
    adminCode: 'Dx7kQ2mP',
    industry: '高等教育',
  },
  {
    key: 'school-cs',
    parent: 'university',
    fullName: '共青团宁夏示范大学信息工程学院总支部委员会',
    shortName: '信息学院团总支',
    kind: 'general_branch',
    isSchool: true,
    adminCode: 'Zz3pR8sT',
    industry: '高等教育',
  },
  {
    key: 'branch-cs1',
    parent: 'school-cs',
    fullName: '共青团宁夏示范大学信息工程学院计算机科学（1）班支部委员会',
    shortName: '计科1班团支部',
    kind: 'branch',
    isSchool: true,
    adminCode: 'Bj1cS9kx',
    industry: '高等教育',
  },
  {
    key: 'branch-cs2',
    parent: 'school-cs',
    fullName: '共青团宁夏示范大学信息工程学院计算机科学（2）班支部委员会',
    shortName: '计科2班团支部',
    kind: 'branch',
    isSchool: true,
    adminCode: 'Bj2cS4mw',
    industry: '高等教育',
  },
  {
    key: 'branch-se',
    parent: 'school-cs',
    fullName: '共青团宁夏示范大学信息工程学院软件工程班支部委员会',
    shortName: '软工班团支部',
    kind: 'branch',
    isSchool: true,
    adminCode: 'Se5wQ7np',
    industry: '高等教育',
  },
  {
    key: 'xingqing',
    parent: 'yinchuan',
    fullName: '共青团银川市兴庆区委员会',
    shortName: '兴庆团区委',
    kind: 'leading_body',
    adminCode: 'Xq6qT3vb',
    industry: '党政机关',
  },
  {
    key: 'community',
    parent: 'xingqing',
    fullName: '共青团银川市兴庆区文化街社区支部委员会',
    shortName: '文化街社区团支部',
    kind: 'branch',
    adminCode: 'Wh8jK2dz',
    industry: '社区',
  },
];

/** A demo person: ID numbers are valid (check digit computed at seeding), region 640104. */
export interface DemoPerson {
  birth: string;
  seq: string;
  name: string;
  role: 'member' | 'cadre';
  branch: string | null;
  joined: string;
  phone: string;
  /** Organisations this person administers. */
  adminOf?: string[];
  /** Posts held: organisation key → title. */
  posts?: Record<string, string>;
  /** A set password for the admins (printed in the README); others keep R3's initial password. */
  password?: string;
}

export const DEMO_PASSWORD = 'Tuan2024demo';
/** The sign-in code of the demo league day (opened by hand, so it works at any time). */
export const DEMO_SIGNIN_CODE = '135790';

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    birth: '19900305',
    seq: '011',
    name: '马建国',
    role: 'cadre',
    branch: null,
    joined: '2004-05-04',
    phone: '13909510001',
    adminOf: ['yinchuan'],
    posts: { yinchuan: '书记' },
    password: DEMO_PASSWORD,
  },
  {
    birth: '19950712',
    seq: '022',
    name: '王丽娟',
    role: 'cadre',
    branch: null,
    joined: '2009-05-04',
    phone: '13909510002',
    adminOf: ['university'],
    posts: { university: '书记' },
    password: DEMO_PASSWORD,
  },
  {
    birth: '19980921',
    seq: '033',
    name: '李明',
    role: 'cadre',
    branch: null,
    joined: '2012-05-04',
    phone: '13909510003',
    adminOf: ['school-cs'],
    posts: { 'school-cs': '书记' },
    password: DEMO_PASSWORD,
  },
  {
    birth: '20040115',
    seq: '044',
    name: '张晓雨',
    role: 'cadre',
    branch: 'branch-cs1',
    joined: '2018-05-04',
    phone: '13909510004',
    adminOf: ['branch-cs1'],
    posts: { 'branch-cs1': '书记' },
    password: DEMO_PASSWORD,
  },
  {
    birth: '20040620',
    seq: '055',
    name: '刘洋',
    role: 'cadre',
    branch: 'branch-cs2',
    joined: '2018-10-10',
    phone: '13909510005',
    adminOf: ['branch-cs2'],
    posts: { 'branch-cs2': '书记' },
    password: DEMO_PASSWORD,
  },
  {
    birth: '20050302',
    seq: '066',
    name: '赵敏',
    role: 'cadre',
    branch: 'branch-se',
    joined: '2019-05-04',
    phone: '13909510006',
    adminOf: ['branch-se'],
    posts: { 'branch-se': '书记' },
    password: DEMO_PASSWORD,
  },
  {
    birth: '19970808',
    seq: '077',
    name: '周强',
    role: 'cadre',
    branch: null,
    joined: '2011-05-04',
    phone: '13909510007',
    adminOf: ['xingqing'],
    posts: { xingqing: '书记' },
    password: DEMO_PASSWORD,
  },
  {
    birth: '19990116',
    seq: '088',
    name: '吴婷',
    role: 'cadre',
    branch: 'community',
    joined: '2013-05-04',
    phone: '13909510008',
    adminOf: ['community'],
    posts: { community: '书记' },
    password: DEMO_PASSWORD,
  },
  { birth: '20041103', seq: '101', name: '陈思远', role: 'member', branch: 'branch-cs1', joined: '2019-05-04', phone: '13909510011' },
  { birth: '20050418', seq: '112', name: '杨雪', role: 'member', branch: 'branch-cs1', joined: '2020-05-04', phone: '13909510012' },
  {
    birth: '20050927',
    seq: '123',
    name: '黄浩然',
    role: 'cadre',
    branch: 'branch-cs1',
    joined: '2019-11-20',
    phone: '13909510013',
    posts: { 'branch-cs1': '组织委员' },
  },
  { birth: '20040512', seq: '134', name: '孙佳怡', role: 'member', branch: 'branch-cs2', joined: '2019-05-04', phone: '13909510014' },
  { birth: '20050101', seq: '145', name: '何子轩', role: 'member', branch: 'branch-se', joined: '2020-05-04', phone: '13909510015' },
  { birth: '20000823', seq: '156', name: '马晓燕', role: 'member', branch: 'community', joined: '2014-05-04', phone: '13909510016' },
];
