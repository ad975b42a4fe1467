// What the rest of the relay may rely on from each upstream 3CX client. The
// monitor, the REST layer and the demo are written against these ports only.
import type { EventEmitter } from 'node:events';
import type { ActiveCall, Cdr, CdrPage, ComponentHealth, ComponentName, PbxStatus, Severity } from '../contract/api-types.js';
import type { QueueCallsMapping, QueueDayQuery, QueueDayRow } from './queue-calls-query.js';
import type { MonitoredDn } from './callcontrol-state.js';
import type { XapiQueueInfo, XapiQueueStatus, XapiUserInfo } from './xapi-supervisor.js';

/** Something went wrong upstream; the error tracker turns it into a feed entry. */
export interface UpstreamFault {
  component: ComponentName;
  severity: Severity;
  message: string;
  details?: unknown;
}

export type UpstreamEvents = {
  state: [current: ComponentHealth, previous: ComponentHealth];
  fault: [fault: UpstreamFault];
};

/** Typed `on`/`off` over Node's EventEmitter. */
export interface TypedEmitter<E extends Record<string, unknown[]>> extends Omit<EventEmitter, 'on' | 'off' | 'once' | 'emit'> {
  on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this;
  once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this;
  off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this;
  emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean;
}

export interface UpstreamComponent<E extends Record<string, unknown[]> = UpstreamEvents> extends TypedEmitter<E> {
  readonly name: ComponentName;
  health(): ComponentHealth;
  /** Begin connecting; resolves once the first attempt finished (success or not). Never rejects. */
  start(): Promise<void>;
  /** Close sockets, clear timers and listeners it owns. Idempotent. */
  stop(): Promise<void>;
  /** Drop the current connection and connect again now (manual reconnect). */
  reconnect(): Promise<void>;
  /** One health probe: measures latency, updates state. Never rejects. */
  check(): Promise<void>;
}

export interface XapiPort extends UpstreamComponent {
  /** System-wide: every call of the PBX, monitored or not. */
  getActiveCalls(): Promise<ActiveCall[]>;
  /** Ends any call (`ActiveCalls({Id})/Pbx.DropCall`). Rejects with RelayError not_found (404) when 3CX has no such call. */
  dropCall(id: number): Promise<void>;
  /** `Users/Pbx.MakeCall`: click-to-call for any extension. */
  makeCall(dn: string, destination: string): Promise<{ callId?: string }>;
  /** SystemStatus as last read (start, reconnect, when old); null before the first answer. */
  pbxStatus(): PbxStatus | null;
  /** Number of Users (extensions); null before the first answer. */
  userCount(): number | null;
  /** `GET SystemStatus` now (the supervisor's PBX overview; pbxStatus() is the cached one). */
  getSystemStatus(): Promise<PbxStatus>;
  /** Queues with their agents' extension numbers. */
  getQueues(): Promise<XapiQueueInfo[]>;
  getUsers(): Promise<XapiUserInfo[]>;
  /** `PATCH Users({Id})` `{QueueStatus}`; not_found (404) for an unknown user. */
  setQueueStatus(userId: number, status: XapiQueueStatus): Promise<void>;
}

export type CallControlEvents = UpstreamEvents & {
  /** A parsed Call Control WebSocket event, as received. */
  event: [data: unknown];
  /** The live active-call list after changes (coalesced: the last one emitted is always the final state) and at once after a full resync. */
  calls: [calls: ActiveCall[]];
};

export interface CallControlPort extends UpstreamComponent<CallControlEvents> {
  /** Live list in XAPI ActiveCall shape, of the monitored DNs only; only meaningful while connected. */
  activeCalls(): ActiveCall[];
  /** The DNs Call Control lets this integration see; null until it listed them. */
  monitoredDns(): readonly MonitoredDn[] | null;
  dropCall(id: number): Promise<void>;
  makeCall(fromDn: string, destination: string): Promise<{ callId?: string }>;
}

export interface CdrRangeQuery { from: Date; to: Date }
/** One call record's values in CDR_FIELDS order (cdr-columns.ts); null where the column is empty. */
export type CdrValues = readonly (string | null)[];
/** Whole CSV records of an export, as PostgreSQL wrote them. */
export interface CdrCsvChunk {
  bytes: Buffer;
  /** Records in `bytes`. */
  rows: number;
  /** The last record in `bytes` (for progress). */
  lastRow: Buffer;
}
export interface CdrPageRequest extends CdrRangeQuery { limit: number; cursor?: string }

export interface CdrCallCountQuery {
  /** Start of the first one-hour bucket. */
  hoursFrom: Date;
  /** Number of consecutive one-hour buckets. */
  hours: number;
  /** Calls started from here on (to the last bucket's end) count as today. */
  dayStart: Date;
}
export interface CdrCallCounts {
  today: number;
  /** Calls started in each hour bucket, oldest first (`hours` entries). */
  perHour: number[];
}

export interface CdrPort extends UpstreamComponent {
  /** Keyset page, newest first. Rejects RelayError bad_request for a foreign cursor. */
  page(q: CdrPageRequest): Promise<CdrPage>;
  /** Every row of the range, newest first, from a server-side cursor in batches. */
  stream(q: CdrRangeQuery, opts?: { batchSize?: number; signal?: AbortSignal }): AsyncIterable<Cdr>;
  /**
   * The same rows as CSV records (no header), written by the database itself
   * (COPY): fields in CDR_FIELDS order, times ISO-8601 UTC, formula cells
   * prefixed with `'` (relay/call-records/csv-text.ts). The export path.
   */
  csvChunks(q: CdrRangeQuery, opts?: { signal?: AbortSignal; chunkBytes?: number }): AsyncIterable<CdrCsvChunk>;
  /** Calls (not segments) started today and per hour, counted by the database in one aggregate. */
  callCounts(q: CdrCallCountQuery): Promise<CdrCallCounts>;
  /**
   * Today's queue figures from the call-centre table (queue-calls-query.ts), one aggregate.
   * A failing query rejects without changing the component's state: the table is optional.
   */
  queueDay(q: QueueDayQuery, mapping: QueueCallsMapping): Promise<QueueDayRow[]>;
}
