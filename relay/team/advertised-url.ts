// The URL a member announces in the team's membership table: followers
// forward leader-only requests (drops, click-to-call, call records) to the
// leader's. The listening URL is right on one machine; a relay bound to a
// wildcard address (0.0.0.0, ::) would announce an address no other machine
// can dial, so it announces its first allowed Host name instead, unless told
// exactly (--advertise-url: behind a reverse proxy, or a name not in the list).

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

export function advertisedUrl(listening: string, o: { advertiseUrl?: string | undefined; allowedHostNames: readonly string[] }): string {
  if (o.advertiseUrl) return o.advertiseUrl;
  const u = new URL(listening);
  const host = o.allowedHostNames[0];
  if (!WILDCARDS.has(u.hostname) || !host) return listening;
  return `${u.protocol}//${host}:${u.port}`;
}
