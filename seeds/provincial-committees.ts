/**
 * The Central Committee and the 38 provincial-level committees under it (R10): the 31
 * provinces, autonomous regions and municipalities, the Xinjiang Production and Construction
 * Corps, and the six central-level bodies as the 智慧团建 tree lists them. Their names,
 * kinds and industries cannot be changed (R12).
 */
export const CENTRAL_COMMITTEE = { fullName: '中国共产主义青年团中央委员会', shortName: '团中央' };

export const PROVINCIAL_COMMITTEES: Array<{ fullName: string; shortName: string }> = [
  ...[
    ['北京市', '北京'],
    ['天津市', '天津'],
    ['河北省', '河北'],
    ['山西省', '山西'],
    ['内蒙古自治区', '内蒙古'],
    ['辽宁省', '辽宁'],
    ['吉林省', '吉林'],
    ['黑龙江省', '黑龙江'],
    ['上海市', '上海'],
    ['江苏省', '江苏'],
    ['浙江省', '浙江'],
    ['安徽省', '安徽'],
    ['福建省', '福建'],
    ['江西省', '江西'],
    ['山东省', '山东'],
    ['河南省', '河南'],
    ['湖北省', '湖北'],
    ['湖南省', '湖南'],
    ['广东省', '广东'],
    ['广西壮族自治区', '广西'],
    ['海南省', '海南'],
    ['重庆市', '重庆'],
    ['四川省', '四川'],
    ['贵州省', '贵州'],
    ['云南省', '云南'],
    ['西藏自治区', '西藏'],
    ['陕西省', '陕西'],
    ['甘肃省', '甘肃'],
    ['青海省', '青海'],
    ['宁夏回族自治区', '宁夏'],
    ['新疆维吾尔自治区', '新疆'],
    ['新疆生产建设兵团', '兵团'],
  ].map(([region, short]) => ({ fullName: `共青团${region}委员会`, shortName: `${short}团委` })),
  { fullName: '共青团中央直属机关工作委员会', shortName: '中直机关团工委' },
  { fullName: '共青团中央国家机关工作委员会', shortName: '中央国家机关团工委' },
  { fullName: '共青团中央金融工作委员会', shortName: '中央金融团工委' },
  { fullName: '共青团中央企业工作委员会', shortName: '中央企业团工委' },
  { fullName: '共青团全国铁道委员会', shortName: '全国铁道团委' },
  { fullName: '共青团中国民用航空委员会', shortName: '中国民航团委' },
];
