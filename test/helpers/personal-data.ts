/**
 * What must never appear in a log line: the demo people's names, phones, ID numbers, password
 * and the demo organisations' registration codes, and any valid 18-digit ID number at all.
 */
import { demoIdNumber } from '../../seeds';
import { DEMO_ORGS, DEMO_PASSWORD, DEMO_PEOPLE } from '../../seeds/demo';
import { checkDigit } from '../../server/lib/id-number';

/** Literal values, with what they are (for the report; the value itself is masked there). */
export function demoSecrets(): Array<{ what: string; value: string }> {
  return [
    ...DEMO_PEOPLE.flatMap((p) => [
      { what: `name of ${p.seq}`, value: p.name },
      { what: `phone of ${p.seq}`, value: p.phone },
      { what: `ID number of ${p.seq}`, value: demoIdNumber(p) },
      { what: `initial password of ${p.seq}`, value: demoIdNumber(p).slice(-8) },
    ]),
    ...DEMO_ORGS.map((o) => ({ what: `admin code of ${o.key}`, value: o.adminCode })),
    { what: 'the demo password', value: DEMO_PASSWORD },
  ];
}

const ID_LIKE = /(?<![0-9A-Za-z])[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;

/** Valid ID numbers (check digit right) in a text. */
export function idNumbersIn(text: string): string[] {
  return [...text.matchAll(ID_LIKE)].map((m) => m[0].toUpperCase()).filter((id) => checkDigit(id.slice(0, 17)) === id[17]);
}

/** The personal data found in one log line: what it is, never the value whole. */
export function leaksIn(line: string, secrets = demoSecrets()): string[] {
  const found = secrets.filter((s) => line.includes(s.value)).map((s) => s.what);
  for (const id of idNumbersIn(line)) found.push(`an ID number ${id.slice(0, 6)}********${id.slice(-4)}`);
  return found;
}
