// XAPI `SystemStatus` (swagger `Pbx.SystemStatus`) read into the relay's
// PbxStatus, with the notices a person needs: the version decides whether
// call records exist (`cdroutput` appears with V20 Update 6) and, for the
// token broker, the unit of `expires_in`.
import { z } from 'zod';
import type { PbxNotice, PbxStatus } from '../contract/api-types.js';

const int = z.number().int().nullish().catch(null).transform((v) => v ?? null);
const bool = z.boolean().nullish().catch(null).transform((v) => v ?? null);
const str = z.string().nullish().catch(null).transform((v) => (v?.trim() ? v.trim() : null));

const systemStatusSchema = z.looseObject({
  Version: str,
  LicenseActive: bool,
  ProductCode: str,
  MaxSimCalls: int,
  ExtensionsRegistered: int,
  ExtensionsTotal: int,
  TrunksRegistered: int,
  TrunksTotal: int,
});

/** First release with `cdroutput`. */
export const CDROUTPUT_SINCE = [20, 0, 6] as const;

/** `20.0.7.1080` → [20, 0, 7, 1080]; null when it does not start with a number. */
export function parsePbxVersion(version: string | null | undefined): number[] | null {
  const m = /^\s*(\d+(?:\.\d+)*)/.exec(version ?? '');
  return m ? m[1]!.split('.').map(Number) : null;
}

/** Whether `version` is at least `min` (missing parts count as 0). */
export function versionAtLeast(version: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < Math.max(version.length, min.length); i++) {
    const a = version[i] ?? 0;
    const b = min[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

export const PBX_NOTICE = {
  noCallRecords: 'pbx_version_without_cdroutput',
  licenseInactive: 'pbx_license_inactive',
  versionUnknown: 'pbx_version_unknown',
} as const;

function notices(version: number[] | null, raw: string | null, licenseActive: boolean | null): PbxNotice[] {
  const out: PbxNotice[] = [];
  if (!version) {
    out.push({ code: PBX_NOTICE.versionUnknown, message: `3CX did not report a version the relay can read (${raw ?? 'none'}); call records may be unavailable` });
  } else if (!versionAtLeast(version, CDROUTPUT_SINCE)) {
    out.push({
      code: PBX_NOTICE.noCallRecords,
      message: `3CX ${raw} is older than 20.0.6 (V20 Update 6), which keeps no cdroutput table: call records are unavailable, live calls and the other live features work; update the PBX to get call records`,
    });
  }
  if (licenseActive === false) {
    out.push({ code: PBX_NOTICE.licenseInactive, message: '3CX reports its licence as inactive; the API needs an active Enterprise licence' });
  }
  return out;
}

/** Reads a SystemStatus answer (OData entity, `@odata.context` and unknown fields ignored). Null when it is not an object. */
export function parseSystemStatus(body: unknown, at: Date): PbxStatus | null {
  const parsed = systemStatusSchema.safeParse(body);
  if (!parsed.success) return null;
  const s = parsed.data;
  const version = parsePbxVersion(s.Version);
  return {
    version: s.Version,
    licenseActive: s.LicenseActive,
    productCode: s.ProductCode,
    maxSimCalls: s.MaxSimCalls,
    extensions: { registered: s.ExtensionsRegistered, total: s.ExtensionsTotal },
    trunks: { registered: s.TrunksRegistered, total: s.TrunksTotal },
    callRecordsAvailable: version ? versionAtLeast(version, CDROUTPUT_SINCE) : null,
    notices: notices(version, s.Version, s.LicenseActive),
    asOf: at.toISOString(),
  };
}
