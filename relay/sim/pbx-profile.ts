// What differs between the 3CX releases the simulator can play. Taken from
// docs/3cx-v20.md, not from the relay's code (the stand-in must be able to
// disagree with the client): up to 20.0.8 the token's `expires_in` is in
// minutes, from 20.0.9 in seconds.

/** The seed's target: V20 Update 7. */
export const DEFAULT_PBX_VERSION = '20.0.7.1080';

export interface PbxProfile {
  /** As XAPI SystemStatus `Version` shows it. */
  version: string;
  expiresInUnit: 'minutes' | 'seconds';
}

const VERSION_SHAPE = /^(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?$/;

export function pbxProfile(version: string = DEFAULT_PBX_VERSION): PbxProfile {
  const m = VERSION_SHAPE.exec(version.trim());
  if (!m) throw new Error(`PBX version "${version}" is not like 20.0.7 or 20.0.7.1080`);
  const [major, minor, update] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const seconds = major > 20 || (major === 20 && (minor > 0 || update >= 9));
  return { version: m[4] === undefined ? `${m[1]}.${m[2]}.${m[3]}.0` : version.trim(), expiresInUnit: seconds ? 'seconds' : 'minutes' };
}

/** `expires_in` for a token living `lifetimeS`, in the release's unit (whole minutes, at least one). */
export function expiresInFor(profile: PbxProfile, lifetimeS: number): number {
  return profile.expiresInUnit === 'seconds' ? lifetimeS : Math.max(1, Math.round(lifetimeS / 60));
}
