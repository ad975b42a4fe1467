// The simulated phone system's numbering plan: extensions with people's
// names, call queues, trunk DIDs and outside numbers. Shared by the live
// simulator and the CDR seed so both tell the same story.
import type { Random } from './random.js';

export interface Extension { dn: string; name: string; deviceId: string; userAgent: string }
/** `slaSeconds`: XAPI Queue `SLATime`, answered within it counts toward the service level. */
export interface Queue { dn: string; name: string; agents: string[]; slaSeconds: number }

const PEOPLE = [
  'Anna Ford', 'Ben Carter', 'Chloe Dubois', 'David Novak', 'Elena Rossi', 'Felix Wagner', 'Grace Kim',
  'Hugo Martin', 'Ines Silva', 'Jonas Berg', 'Kara Singh', 'Liam Walsh', 'Maya Cohen', 'Noah Schmidt',
  'Olivia Brown', 'Paul Meyer', 'Quinn Hughes', 'Rosa Lopez', 'Sam Taylor', 'Tara Nilsen',
];
// The back office: extensions 120–139 exist (XAPI Users, Call Control when
// monitored) but the call generator and the CDR seed place no calls for them,
// so a PBX of 40 users keeps the seeded call history of the 20 call takers.
const BACK_OFFICE = [
  'Uma Patel', 'Victor Hale', 'Wendy Okafor', 'Xavier Lind', 'Yara Haddad', 'Zane Fischer', 'Amir Kaya',
  'Bianca Costa', 'Carl Jensen', 'Dana Moreau', 'Emil Horvath', 'Fatima Rahman', 'Gustav Ek', 'Hana Sato',
  'Ivan Petrov', 'Julia Brandt', 'Kofi Mensah', 'Lena Vogel', 'Marco Ricci', 'Nina Larsen',
];
const USER_AGENTS = ['3CX Phone for Windows', '3CX Web Client', 'Yealink SIP-T46U', 'Fanvil X6U', '3CX iOS'];

export const EXTENSIONS: readonly Extension[] = [...PEOPLE, ...BACK_OFFICE].map((name, i) => {
  const dn = String(100 + i);
  return { dn, name, deviceId: `sip:${dn}@127.0.0.1:5060`, userAgent: USER_AGENTS[i % USER_AGENTS.length] as string };
});

/** The extensions that place and take the simulated calls (the first 20). */
export const CALL_TAKERS: readonly Extension[] = EXTENSIONS.slice(0, PEOPLE.length);

export const QUEUES: readonly Queue[] = [
  { dn: '800', name: 'Sales', agents: ['100', '101', '102', '103', '104', '105'], slaSeconds: 20 },
  { dn: '801', name: 'Support', agents: ['106', '107', '108', '109', '110', '111', '112'], slaSeconds: 30 },
  { dn: '802', name: 'Billing', agents: ['113', '114', '115'], slaSeconds: 60 },
];

/** Numbers the company's trunk answers on. */
export const TRUNK_DIDS: readonly string[] = ['+493012345600', '+493012345601', '+493012345602'];
export const TRUNK = { dn: '10000', name: 'SIP Trunk' };

export function findExtension(dn: string): Extension | undefined {
  return EXTENSIONS.find((e) => e.dn === dn);
}

export function findQueue(dn: string): Queue | undefined {
  return QUEUES.find((q) => q.dn === dn);
}

const CITY_CODES = ['+4930', '+4940', '+4989', '+4369', '+4144', '+3120', '+4420', '+3314'];

export function randomOutsideNumber(rng: Random): string {
  return `${rng.pick(CITY_CODES)}${rng.int(1000000, 9999999)}`;
}

/** How XAPI shows a party: "100 Anna Ford" for a DN, the number for an outside line. */
export function displayParty(dnOrNumber: string): string {
  const ext = findExtension(dnOrNumber);
  if (ext) return `${ext.dn} ${ext.name}`;
  const q = findQueue(dnOrNumber);
  if (q) return `${q.dn} ${q.name}`;
  return dnOrNumber;
}
